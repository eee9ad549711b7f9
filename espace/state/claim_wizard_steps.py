"""The claim declaration wizard's step handlers: each step's form saved on the holder's draft
(mixed into ``ClaimWizardState``, whose helpers ``_save``, ``_go``, ``_draft`` and ``_show`` they
use)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.claims import declaration, declaration_contents, perils
from espace.claims.deadlines import describe as describe_deadline
from espace.core.db import session_scope
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.identity.sessions import Principal
from espace.state.claim_rows import HOLDER_FILE_KINDS, add_uploads, read_uploads
from espace.state.handlers import holder_event, off_loop


class ClaimWizardStepsMixin(rx.State, mixin=True):
    """One handler per step's form; ``ClaimWizardState`` declares the vars they set."""

    @rx.event
    def pick_contract(self, value: str):
        """The contract ticked on the first step (the emergency link follows it)."""
        if str(value) in {o.value for o in self.contracts}:
            self.contract_id = str(value)

    @holder_event
    def choose_contract(self, me: Principal, form: dict):
        contract_id = str(form.get("contract") or "")
        if not contract_id.isdigit():
            self.errors = {"contract": "Choisissez le contrat concerné."}
            return None

        def action(db, claim, principal):
            if claim is None:
                claim = declaration.start_draft(
                    session=db,
                    holder_id=principal.holder_id,
                    account_id=principal.account_id,
                    contract_id=int(contract_id),
                )
                if self._suggested_peril:
                    declaration.set_peril(session=db, claim=claim, peril_code=self._suggested_peril)
                return claim
            declaration.set_contract(session=db, claim=claim, contract_id=int(contract_id))
            return claim

        outcome = self._save(action, creating=True)
        if outcome is not None or self.errors:
            return outcome
        self._go(declaration.STEP_PERIL)
        return rx.call_script(
            f"window.history.replaceState(null,'','{routes.CLAIM_NEW}?brouillon={self.claim_id}')"
        )

    @holder_event
    def choose_peril(self, me: Principal, form: dict):
        peril = str(form.get("peril") or "")
        outcome = self._save(
            lambda db, claim, _p: declaration.set_peril(session=db, claim=claim, peril_code=peril)
        )
        if not self.errors:
            self._go(declaration.STEP_QUESTIONS)
        return outcome

    @holder_event
    def set_answer(self, me: Principal, question_id: str, value: str):
        """Live answers, so that conditional questions appear; saved with the step's form."""
        if perils.peril(self.peril) and question_id in {
            q.id for q in perils.peril(self.peril).questions
        }:
            self.answers = {**self.answers, question_id: str(value)[:500]}
            self._build_questions()

    @holder_event
    def save_answers(self, me: Principal, form: dict):
        raw = {**self.answers, **{k: str(v or "") for k, v in form.items()}}
        outcome = self._save(
            lambda db, claim, _p: declaration.set_answers(
                session=db, claim=claim, raw=raw, today=utcnow().astimezone(PARIS).date()
            )
        )
        if not self.errors:
            self._go(declaration.STEP_WHEN)
        else:
            self.answers = {k: str(v) for k, v in raw.items()}
            self._build_questions()
        return outcome

    @rx.event
    def preview_deadline(self, day: str):
        """Show the legal deadline as soon as the date is typed (explained, never blocking)."""
        parsed = perils.parse_date(day)
        found = perils.peril(self.peril)
        if parsed is None or found is None:
            self.deadline_text = self.late_text = ""
            return
        from espace.claims.deadlines import deadline

        order = (
            perils.parse_date(self.answers.get("order_date", ""))
            if found.deadline == "natcat"
            else None
        )
        result = deadline(
            kind=found.deadline,
            occurred=parsed,
            today=utcnow().astimezone(PARIS).date(),
            order_date=order,
        )
        self.deadline_text, self.late_text = describe_deadline(result), result.consequence

    @holder_event
    def save_when(self, me: Principal, form: dict):
        day, hour = str(form.get("occurred_date") or ""), str(form.get("occurred_time") or "")
        text = str(form.get("description") or "")
        self.occurred_date, self.occurred_time, self.description = day[:10], hour[:5], text[:4000]
        outcome = self._save(
            lambda db, claim, _p: declaration.set_when(
                session=db,
                claim=claim,
                day_text=day,
                time_text=hour,
                description=text,
                now=utcnow(),
            )
        )
        if not self.errors:
            self._go(declaration.STEP_WHERE)
        else:
            self.occurred_date, self.occurred_time, self.description = (
                day[:10],
                hour[:5],
                text[:4000],
            )
        return outcome

    @holder_event
    def use_property_address(self, me: Principal):
        outcome = self._save(
            lambda db, claim, _p: declaration.set_location(session=db, claim=claim, kind="property")
        )
        if not self.errors:
            self._go(declaration.STEP_ITEMS)
        return outcome

    @rx.event
    def open_address(self):
        """Show the form to type the address where the loss happened."""
        self.address_open, self.errors = True, {}

    @holder_event
    def use_typed_address(self, me: Principal, form: dict):
        street = str(form.get("location_street") or "")[:200]
        postal_code = str(form.get("location_postal_code") or "")[:20]
        town = str(form.get("location_town") or "")[:120]
        outcome = self._save(
            lambda db, claim, _p: declaration.set_location(
                session=db,
                claim=claim,
                kind="address",
                street=street,
                postal_code=postal_code,
                town=town,
            )
        )
        if not self.errors:
            self._go(declaration.STEP_ITEMS)
        else:  # what was typed stays in the form, next to its errors
            self.address_open = True
            self.address_street, self.address_zip, self.address_town = (
                street[:120],
                postal_code[:5],
                town[:80],
            )
            self.form_version += 1
        return outcome

    @holder_event
    def add_item(self, me: Principal, form: dict):
        def action(db, claim, _p):
            declaration_contents.add_item(
                session=db,
                claim=claim,
                description=str(form.get("item_description") or ""),
                category=str(form.get("item_category") or ""),
                purchase_date=str(form.get("item_purchase_date") or ""),
                purchase_price=str(form.get("item_purchase_price") or ""),
                estimate_text=str(form.get("item_estimate") or ""),
                today=utcnow().astimezone(PARIS).date(),
            )

        outcome = self._save(action)
        if not self.errors:
            self.form_version += 1  # empty the item form for the next one
        return outcome

    @holder_event
    def remove_item(self, me: Principal, item_id: int):
        return self._save(
            lambda db, claim, _p: declaration_contents.remove_item(
                session=db, claim=claim, item_id=int(item_id)
            )
        )

    @holder_event
    def items_done(self, me: Principal):
        outcome = self._save(
            lambda db, claim, _p: declaration_contents.items_done(session=db, claim=claim)
        )
        if not self.errors:
            self._go(declaration.STEP_FILES)
        return outcome

    @rx.event
    def set_upload_kind(self, value: str):
        self.upload_kind = value if value in {k for k, _ in HOLDER_FILE_KINDS} else "auto"

    @holder_event
    async def upload(self, me: Principal, files: list[rx.UploadFile]):
        received = await read_uploads(files)
        return await off_loop(self._store_uploads, me, received)

    def _store_uploads(self, me: Principal, received: list[tuple[bytes, str]]):
        self.upload_errors = []
        with session_scope() as db:
            claim = self._draft(db, me.holder_id)
            if claim is None:
                self.upload_errors = ["Ce brouillon n'existe plus."]
                return None
            _added, problems = add_uploads(
                db, claim, received, self.upload_kind, declaration_contents.add_file
            )
            self._show(db, claim)
        self.upload_errors = problems
        return None

    @holder_event
    def remove_file(self, me: Principal, file_id: int):
        return self._save(
            lambda db, claim, _p: declaration_contents.remove_draft_file(
                session=db, claim=claim, file_id=int(file_id)
            )
        )

    @holder_event
    def files_done(self, me: Principal):
        outcome = self._save(
            lambda db, claim, _p: declaration_contents.files_done(session=db, claim=claim)
        )
        if not self.errors:
            self._go(declaration.STEP_SUMMARY)
        return outcome
