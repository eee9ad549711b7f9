"""/verifier: anyone holding an attestation checks it is genuine (public page)."""

from __future__ import annotations

import reflex as rx

from espace.contracts import attestations
from espace.core.db import session_scope
from espace.state.handlers import blocking_event


class VerifyState(rx.State):
    status: str = ""  # valide | expirée | révoquée | inconnue
    # The reference the verdict above belongs to: the page shows a verdict only for the reference
    # in its own address (the state of the tab still holds the previous one until ``load`` ends).
    checked_ref: str = ""
    kind: str = ""
    holder: str = ""
    town: str = ""
    valid_from: str = ""
    valid_until: str = ""

    @blocking_event
    def load(self):
        reference = self.router.url.query_parameters.get("ref", "")
        with session_scope() as db:
            result = attestations.verify(session=db, reference=reference)
        self.checked_ref = reference
        self.status, self.kind, self.holder, self.town = (
            result.status,
            result.kind,
            result.holder,
            result.town,
        )
        self.valid_from, self.valid_until = result.valid_from, result.valid_until
