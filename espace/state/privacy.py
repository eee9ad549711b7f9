"""'Mes données': what is kept and why, consents with their history, the export of one's data, and
the erasure request (after a second-factor check)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from espace import routes
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.identity import staff_reads
from espace.identity.sessions import Principal
from espace.identity.stepup import StepUpProof
from espace.privacy import data_inventory, rights
from espace.state.handlers import holder_event
from espace.state.session import SessionState, full_navigation
from espace.state.stepup import StepUpMixin


@dataclasses.dataclass
class InventoryRow:
    category: str = ""
    what: str = ""
    why: str = ""
    how_long: str = ""
    recipients: str = ""


@dataclasses.dataclass
class ConsentRow:
    purpose: str = ""
    label: str = ""
    granted: bool = False


@dataclasses.dataclass
class HistoryRow:
    label: str = ""
    granted: str = ""
    date: str = ""


@dataclasses.dataclass
class ReadRow:
    date: str = ""
    role: str = ""
    what: str = ""


READS_SHOWN = 20


def _field(row: dict, *names: str) -> str:
    return next((str(row[n]) for n in names if n in row and row[n]), "")


class PrivacyState(SessionState, StepUpMixin):
    STEP_UP_REASONS: ClassVar[dict[str, str]] = {
        "erasure": (
            "Supprimer votre espace client est définitif : confirmez votre identité avec le "
            "code reçu."
        ),
    }
    ALWAYS_ASK: ClassVar[frozenset[str]] = frozenset({"erasure"})

    loaded: bool = False
    inventory: list[InventoryRow] = []
    consent_rows: list[ConsentRow] = []
    history: list[HistoryRow] = []
    consents_version: int = 0
    reads: list[ReadRow] = []  # "qui a consulté mon dossier": the most recent staff reads
    reads_total: int = 0
    flash: str = ""
    erasure_text: str = ""

    def _me(self) -> Principal | None:
        return self._holder_principal()

    @holder_event
    def load(self, me: Principal):
        self._load_header(me.holder_id)
        self._stepup_clear()
        self.flash = ""
        self._refresh(me.holder_id)
        self.loaded = True
        return None

    def _refresh(self, holder_id: int) -> None:
        self.inventory = [
            InventoryRow(
                _field(r, "category", "categorie"),
                _field(r, "what", "data", "donnees"),
                _field(r, "why", "purpose", "basis"),
                _field(r, "how_long", "retention", "duration"),
                _field(r, "recipients", "who", "shared_with"),
            )
            for r in data_inventory.DATA_INVENTORY
        ]
        with session_scope() as db:
            self.erasure_text = rights.erasure_explanation(session=db, holder_id=holder_id)
            current = rights.consents(session=db, holder_id=holder_id)
            history = rights.consent_history(session=db, holder_id=holder_id)
            reads = staff_reads.for_holder(session=db, holder_id=holder_id, limit=READS_SHOWN)
            self.reads_total = staff_reads.count_for_holder(session=db, holder_id=holder_id)
        self.reads = [ReadRow(fmt.datetime_fr(r.at), r.role, r.detail or r.what) for r in reads]
        self.consent_rows = [
            ConsentRow(p, rights.PURPOSES[p], bool(current.get(p))) for p in rights.PURPOSES
        ]
        self.history = [
            HistoryRow(
                rights.PURPOSES.get(c.purpose, c.purpose),
                "Accepté" if c.granted else "Refusé",
                fmt.datetime_fr(c.changed_at),
            )
            for c in history[:20]
        ]

    @holder_event
    def save_consents(self, me: Principal, form: dict):
        with session_scope() as db:
            for purpose in rights.PURPOSES:
                rights.set_consent(
                    session=db,
                    holder_id=me.holder_id,
                    purpose=purpose,
                    granted=bool(form.get(purpose)),
                )
        self.flash = "Vos choix sont enregistrés."
        self.consents_version += 1
        self._refresh(me.holder_id)
        return None

    @holder_event
    def ask_erasure(self, me: Principal):
        return self._with_step_up("erasure")

    def _run_stepped_up(self, action: str, me: Principal, proof: StepUpProof):
        if action != "erasure":
            return None
        try:
            with session_scope() as db:
                rights.request_erasure(
                    session=db, holder_id=me.holder_id, account_id=me.account_id, proof=proof
                )
        except rights.PrivacyError:
            self.flash = "Cette demande n'a pas pu être enregistrée : contactez-nous."
            return None
        self.reset()
        # The account is closed and its sessions ended: leave, forgetting everything on this device.
        return full_navigation(f"{routes.LOGOUT}?motif=supprime", clear_client_state=True)
