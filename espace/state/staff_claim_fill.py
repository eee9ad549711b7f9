"""Filling the display vars of /gestion/sinistre?n=… from the claim, for ``StaffClaimState``
(``state/staff_claims.py``), which declares the vars and mixes this in."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.claims import declaration_queries, perils, stages, workflow_permissions, workflow_views
from espace.claims.labels import AUDIT_LABELS, FILE_KIND_LABELS
from espace.claims.models import Claim, ClaimStatus
from espace.core import formatting as fmt
from espace.core.models import utcnow
from espace.identity.models import StaffRole
from espace.state.staff_claim_rows import (
    AnswerItem,
    AuditRow,
    EventRow,
    FileRow,
    ItemRow,
    MessageRow,
    ReadRow,
)

S = ClaimStatus


class StaffClaimFill(rx.State, mixin=True):
    def _fill(self, db, staff_id: int, claim: Claim) -> None:
        staff = workflow_permissions.active_staff(db, staff_id)
        # the home and formula insured on the day of the loss
        holder, contract, prop, formula = workflow_views.claim_parties(session=db, claim=claim)
        names = workflow_views.staff_names(session=db)
        now = utcnow()
        self.found = True
        self.number, self.status, self.status_label = (
            claim.number or "",
            claim.status,
            stages.label(claim.status),
        )
        self.late = stages.is_late(claim.next_step_due_at, now)
        self.next_due = fmt.date_fr(claim.next_step_due_at)
        self.express, self.express_reason = claim.express, claim.express_reason
        self.holder_name = f"{holder.civility} {holder.first_name} {holder.last_name}".strip()
        self.holder_email, self.holder_phone = holder.email, fmt.phone(holder.phone) or "—"
        self.holder_address = ", ".join(
            x
            for x in (
                holder.address_line1,
                holder.address_line2,
                f"{holder.postal_code} {holder.city}",
            )
            if x
        )
        self.contract_number, self.formula = contract.number, formula.name if formula else ""
        self.property_address = ", ".join(
            x
            for x in (prop.address_line1, prop.address_line2, f"{prop.postal_code} {prop.city}")
            if x
        )
        self._fill_declaration(claim)
        self._fill_items(db, claim)
        self._fill_estimate(claim)
        self._fill_files(db, claim, names)
        history = stages.events(session=db, claim_id=claim.id)
        self.timeline = [
            EventRow(
                label=stages.label(e.kind),
                at=fmt.datetime_fr(e.at),
                detail=e.detail,
                next_step=e.next_step,
                by=names.get(e.staff_id, "") if e.staff_id else "",
            )
            for e in history
        ]
        self.handler_name, self.expert_name = (
            names.get(claim.handler_id, ""),
            names.get(claim.expert_id, ""),
        )
        self.visit = (
            f"{fmt.datetime_fr(claim.visit_at)}"
            + (f" — {claim.visit_note}" if claim.visit_note else "")
            if claim.visit_at
            else ""
        )
        self._fill_assessment(claim, history)
        self.payment = (
            f"{fmt.money(claim.indemnity_cents)} le {fmt.date_fr(claim.paid_at)} (référence "
            f"{claim.payment_reference})"
            if claim.paid_at
            else ""
        )
        self.refusal_reason, self.requested_documents = (
            claim.refusal_reason,
            claim.requested_documents,
        )
        self.allowed = workflow_permissions.allowed_actions(staff, claim)
        self.messages = (
            [
                MessageRow(
                    author=names.get(m.staff_id, "Gestion") if m.staff_id else holder.display_name,
                    at=fmt.datetime_fr(m.created_at),
                    body=m.body,
                    from_staff=m.staff_id is not None,
                )
                for m in declaration_queries.messages(session=db, claim_id=claim.id)
            ]
            if self.allowed["messages"]
            else []
        )
        self.audit = [
            AuditRow(
                who=who,
                action=AUDIT_LABELS.get(log.action, log.action),
                at=fmt.datetime_fr(log.at),
                detail=log.detail,
            )
            for log, who in workflow_views.audit_log(
                session=db, staff_id=staff_id, claim_id=claim.id
            )
        ]
        self.reads = [
            ReadRow(who=who, role=role, at=fmt.datetime_fr(at), what=what)
            for who, role, at, what in workflow_views.read_log(
                session=db, staff_id=staff_id, claim_id=claim.id
            )
        ]
        self.handler_options = (
            [
                [
                    str(s.id),
                    f"{s.full_name} ({workflow_permissions.ROLE_LABELS.get(s.role, s.role)})",
                ]
                for role in (StaffRole.HANDLER, StaffRole.MANAGER)
                for s in workflow_views.staff_of_role(session=db, role=role)
            ]
            if self.allowed["assign"]
            else []
        )
        self.expert_options = (
            [
                [str(s.id), s.full_name]
                for s in workflow_views.staff_of_role(session=db, role=StaffRole.EXPERT)
            ]
            if self.allowed["appoint"]
            else []
        )

    def _fill_declaration(self, claim: Claim) -> None:
        found = perils.peril(claim.peril)
        self.peril, self.peril_label = claim.peril, perils.label(claim.peril)
        self.answers = (
            [AnswerItem(q, a) for q, a in perils.answer_text(found, claim.answers)] if found else []
        )
        self.occurred = fmt.datetime_fr(claim.occurred_at)
        self.submitted = fmt.datetime_fr(claim.submitted_at)
        self.description = claim.description
        if (
            claim.location_kind == "geolocation"
            and claim.latitude is not None
            and claim.longitude is not None
        ):
            accuracy = (
                f" (précision ± {fmt.number(claim.location_accuracy_m)} m)"
                if claim.location_accuracy_m
                else ""
            )
            self.location = (
                f"Position relevée : latitude {claim.latitude:.5f} ; longitude "
                f"{claim.longitude:.5f}".replace(".", ",")
                + accuracy
            )
        elif claim.location_kind == "address":
            self.location = (
                f"Adresse saisie par l'assuré : {claim.location_street}, "
                f"{claim.location_postal_code} {claim.location_town}"
            )
        else:
            self.location = "À l'adresse du logement assuré"
        self.deadline = fmt.date_fr(claim.declaration_deadline) or "—"
        self.late_declaration = claim.late_declaration
        self.guarantee_category = claim.guarantee_category or (
            found.category if found and found.category else ""
        )

    def _fill_items(self, db, claim: Claim) -> None:
        rows = declaration_queries.items(session=db, claim_id=claim.id)
        self.items = [
            ItemRow(
                description=i.description,
                category=perils.ITEM_CATEGORY_LABELS.get(i.category, i.category),
                purchased=fmt.date_fr(i.purchase_date) or "—",
                price=fmt.money(i.purchase_price_cents) or "—",
                estimate=fmt.money(i.estimate_cents),
            )
            for i in rows
        ]
        self.declared_total = fmt.money(sum(i.estimate_cents for i in rows))

    def _fill_estimate(self, claim: Claim) -> None:
        shown = claim.estimate or {}
        if not shown:
            self.estimate_lines, self.estimate_explanation = [], ""
            return
        lines = [
            AnswerItem("Garantie", shown.get("guarantee") or "Aucune garantie identifiée"),
            AnswerItem("Dommages déclarés", fmt.money(shown.get("damage_cents", 0))),
        ]
        if shown.get("covered"):
            lines += [
                AnswerItem("Plafond", fmt.money(shown.get("ceiling_cents", 0))),
                AnswerItem("Franchise", fmt.money(shown.get("deductible_cents", 0))),
                AnswerItem("Indemnité estimée", fmt.money(shown.get("indemnity_cents", 0))),
            ]
        self.estimate_lines, self.estimate_explanation = lines, str(shown.get("explanation", ""))

    def _fill_files(self, db, claim: Claim, names: dict) -> None:
        rows = []
        for f in declaration_queries.files(session=db, claim_id=claim.id):
            photo = f.mime_type.startswith("image/") and bool(f.thumbnail_key)
            kind = FILE_KIND_LABELS.get(f.kind, f.kind)
            uploaded = fmt.date_fr(f.uploaded_at)
            rows.append(
                FileRow(
                    name=f.filename,
                    kind=kind,
                    uploaded=uploaded,
                    uploader=names.get(f.uploaded_by_staff_id, "Gestion")
                    if f.uploaded_by_staff_id
                    else "Assuré",
                    photo=photo,
                    url=routes.claim_file_url(f.id, inline=photo),
                    thumbnail_url=routes.claim_file_url(f.id, thumbnail=True) if photo else "",
                    alt=f"{kind} « {f.filename} », ajoutée le {uploaded}" if photo else "",
                )
            )
        self.files = rows

    def _fill_assessment(self, claim: Claim, history) -> None:
        self.assessed_damage = fmt.money(claim.assessed_damage_cents)
        self.ceiling, self.deductible = (
            fmt.money(claim.ceiling_cents),
            fmt.money(claim.deductible_cents),
        )
        self.indemnity = fmt.money(claim.indemnity_cents)
        detail = ""
        for event in reversed(history):
            if event.kind in (S.INDEMNITY_COMPUTED, "express"):
                detail = event.detail
                break
        if not detail and claim.indemnity_cents is not None:
            detail = (
                f"min(plafond {self.ceiling} ; dommages {self.assessed_damage} − franchise "
                f"{self.deductible}) = {self.indemnity}"
            )
        self.indemnity_detail = detail
