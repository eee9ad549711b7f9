"""What the insurer's systems do through the API, as plain functions: each checks the client's
scope itself (an ``ApiClientAuthority``), then calls the same domain functions as the portal, the
back office and the demo data. No second implementation: a holder is registered by
``identity.holders``, a contract opened by ``contracts.admin``, a claim declared through the
declaration wizard's own steps and moved by ``claims.workflow`` under the client's back-office
identity, a document published by ``documents.publishing``, a debit's result recorded by
``billing.debit_results``.

Lookups that miss raise ``LookupError`` (404 in the API); bad input raises ``OperationError`` with
French messages by field (422).

One module per resource, as the routers of ``espace.integration.routes``: ``holders``,
``contracts``, ``payments`` (and refunds), ``documents``, ``claims``, ``portal_requests``;
``common`` holds the errors, the scope check and the cursor pagination they share."""
