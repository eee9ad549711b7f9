"""The action panel's handlers of /gestion/sinistre?n=…, for ``StaffClaimState``
(``state/staff_claims.py``), which declares the vars and mixes this in: each re-checks the staff
session and calls ``claims.workflow`` or ``claims.workflow_assessment``, which re-check the role."""

from __future__ import annotations

import reflex as rx

from espace.claims import workflow, workflow_assessment
from espace.claims.declaration import ClaimInputError
from espace.claims.uploads import MAX_BYTES, UploadRejected
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.identity.staff_access import StaffForbidden
from espace.state.form_values import text as _text
from espace.state.handlers import off_loop, staff_event

NOT_FOUND = "Dossier introuvable."


def _int(text: str) -> int:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return 0


class StaffClaimActions(rx.State, mixin=True):
    def _act(self, action: str, call, success: str):
        """Re-check the session, run ``call(db, staff_id, claim_id)`` in one transaction, show the
        outcome.

        On an error nothing was saved and the forms keep what was typed."""
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        self.flash = ""
        if not self._claim_id:
            self.errors = {action: NOT_FOUND}
            return None
        try:
            with session_scope() as db:
                call(db, staff_id, self._claim_id)
        except ClaimInputError as error:
            errors = dict(error.errors)
            if "action" in errors:
                errors[action] = errors.pop("action")
            self.errors = errors
            return None
        except StaffForbidden as error:
            self.errors = {action: str(error)}
            return None
        except UploadRejected as error:
            self.errors = {f"{action}_file": error.message}
            return None
        self.errors = {}
        self.flash = success
        if action == "report":
            self.report_summary = ""
        self.form_versions = {**self.form_versions, action: self.form_versions.get(action, 0) + 1}
        self._refresh(staff_id)
        return None

    @staff_event
    def take_claim(self, me: Principal):
        return self._act(
            "assign",
            lambda db, me, cid: workflow.assign_handler(
                session=db, staff_id=me, claim_id=cid, handler_id=me
            ),
            "Vous êtes le gestionnaire de ce dossier.",
        )

    @staff_event
    def assign_handler(self, me: Principal, form: dict):
        handler_id = _int(_text(form, "handler", 12))
        return self._act(
            "assign",
            lambda db, me, cid: workflow.assign_handler(
                session=db, staff_id=me, claim_id=cid, handler_id=handler_id
            ),
            "Gestionnaire attribué.",
        )

    @staff_event
    def appoint_expert(self, me: Principal, form: dict):
        expert_id = _int(_text(form, "expert", 12))
        return self._act(
            "appoint",
            lambda db, me, cid: workflow_assessment.appoint_expert(
                session=db, staff_id=me, claim_id=cid, expert_id=expert_id
            ),
            "Expert missionné : l'assuré est prévenu.",
        )

    @staff_event
    def plan_visit(self, me: Principal, form: dict):
        day, hour, note = (
            _text(form, "visit_date", 20),
            _text(form, "visit_time", 10),
            _text(form, "visit_note", 300),
        )
        return self._act(
            "visit",
            lambda db, me, cid: workflow_assessment.plan_visit(
                session=db, staff_id=me, claim_id=cid, day_text=day, time_text=hour, note=note
            ),
            "Visite planifiée : l'assuré est prévenu.",
        )

    @rx.event
    def set_report_summary(self, value: str):
        self.report_summary = str(value or "")[:1000]

    @staff_event
    async def upload_report(self, me: Principal, files: list[rx.UploadFile]):
        if not files:
            return None
        upload = files[0]
        data, name = await upload.read(MAX_BYTES + 1), upload.name or ""
        summary = self.report_summary
        return await off_loop(
            self._act,
            "report",
            lambda db, me, cid: workflow_assessment.attach_report(
                session=db, staff_id=me, claim_id=cid, data=data, filename=name, summary=summary
            ),
            "Rapport d'expertise joint : l'assuré est prévenu.",
        )

    @rx.event
    def report_rejected(self, rejected: list[dict]):
        self.errors = {
            "report_file": (
                "Fichier refusé : une photo (JPEG, PNG, HEIC) ou un PDF de 10 Mo au plus."
            )
        }

    @staff_event
    def assess(self, me: Principal, form: dict):
        damage, category = _text(form, "damage", 30), _text(form, "category", 30)
        if self.peril != "other":
            category = ""
        return self._act(
            "assess",
            lambda db, me, cid: workflow_assessment.assess(
                session=db, staff_id=me, claim_id=cid, damage_text=damage, category=category
            ),
            "Indemnité calculée : l'assuré est prévenu.",
        )

    @staff_event
    def record_payment(self, me: Principal, form: dict):
        reference = _text(form, "payment_reference", 40)
        return self._act(
            "payment",
            lambda db, me, cid: workflow_assessment.record_payment(
                session=db, staff_id=me, claim_id=cid, reference=reference
            ),
            "Paiement enregistré : l'assuré est prévenu.",
        )

    @staff_event
    def request_documents(self, me: Principal, form: dict):
        what = _text(form, "requested", 1000)
        return self._act(
            "documents",
            lambda db, me, cid: workflow.request_documents(
                session=db, staff_id=me, claim_id=cid, what=what
            ),
            "Documents demandés à l'assuré.",
        )

    @staff_event
    def refuse(self, me: Principal, form: dict):
        reason = _text(form, "refusal", 1000)
        return self._act(
            "refuse",
            lambda db, me, cid: workflow.refuse(
                session=db, staff_id=me, claim_id=cid, reason=reason
            ),
            "Refus enregistré : l'assuré est prévenu.",
        )

    @staff_event
    def close_claim(self, me: Principal):
        return self._act(
            "close",
            lambda db, me, cid: workflow.close(session=db, staff_id=me, claim_id=cid),
            "Dossier clôturé.",
        )

    @staff_event
    def reopen(self, me: Principal, form: dict):
        reason = _text(form, "reopen_reason", 1000)
        return self._act(
            "reopen",
            lambda db, me, cid: workflow.reopen(
                session=db, staff_id=me, claim_id=cid, reason=reason
            ),
            "Dossier rouvert.",
        )

    @staff_event
    def reply(self, me: Principal, form: dict):
        body = _text(form, "reply_body", 4001)
        return self._act(
            "messages",
            lambda db, me, cid: workflow.reply(session=db, staff_id=me, claim_id=cid, body=body),
            "Message envoyé à l'assuré.",
        )

    @rx.event
    def set_document_kind(self, value: str):
        self.document_kind = str(value or "")[:20]

    @staff_event
    async def upload_document(self, me: Principal, files: list[rx.UploadFile]):
        if not files:
            return None
        upload = files[0]
        data, name, kind = await upload.read(MAX_BYTES + 1), upload.name or "", self.document_kind
        return await off_loop(
            self._act,
            "upload",
            lambda db, me, cid: workflow.upload(
                session=db, staff_id=me, claim_id=cid, data=data, filename=name, kind=kind
            ),
            "Document ajouté au dossier.",
        )

    @rx.event
    def document_rejected(self, rejected: list[dict]):
        self.errors = {
            "upload_file": (
                "Fichier refusé : une photo (JPEG, PNG, HEIC) ou un PDF de 10 Mo au plus."
            )
        }
