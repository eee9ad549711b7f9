"""The insurer's integration surface: the REST API under /api/v1 (``app``), its machine clients
(``clients``), each route's work on the domain functions (``operations``), the SEPA files
(``banking``) and the ``api-client``/``webhooks``/``bank`` commands (``commands``)."""
