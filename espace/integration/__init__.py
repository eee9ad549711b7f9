"""The insurer's integration surface: the REST API under /api/v1 (``app``), its machine clients
(``clients``), the operations the API and the demo share (``operations``) and the SEPA files
(``banking``)."""
