"""What the insurer's systems do through the API, as plain functions: each checks the client's
scope itself (an ``ApiClientAuthority``), then calls the same domain functions as the portal, the
back office and the demo data. No second implementation: a holder is registered by
``identity.holders``, a contract opened by ``contracts.admin``, a claim declared through the
declaration wizard's own steps and moved by ``claims.workflow`` under the client's back-office
identity, a document published by ``documents.publishing``, a debit's result recorded by
``billing.debit_results``.

Lookups that miss raise ``LookupError`` (404 in the API); bad input raises ``OperationError`` with
French messages by field (422)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from espace.billing import debit_results, refunds
from espace.billing.models import Payment, PremiumRefund, SepaMandate
from espace.claims import (
    declaration,
    declaration_contents,
    declaration_queries,
    declaration_sending,
    stages,
    workflow,
    workflow_assessment,
)
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim, ClaimEvent, ClaimStatus
from espace.contracts import admin
from espace.contracts.models import (
    Contract,
    ContractTerms,
    Formula,
    FormulaGuarantee,
    Guarantee,
    InsuredProperty,
)
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.documents import publishing
from espace.documents.models import Document
from espace.identity import holders
from espace.identity.models import Policyholder, ProfileChange, StaffRole, StaffUser
from espace.identity.profile import ProfileError
from espace.identity.staff_access import StaffForbidden
from espace.integration.clients import ApiClientAuthority
from espace.privacy.models import PrivacyRequest

MAX_PAGE = 100
NO_ACCOUNT_YET = "L'assuré n'a pas encore créé son espace : avenant impossible en ligne."


class ScopeMissing(PermissionError):
    pass


class OperationError(ValueError):
    """Bad input: French messages by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def require(authority: ApiClientAuthority, scope: str) -> None:
    if not isinstance(authority, ApiClientAuthority) or not authority.allows(scope):
        raise ScopeMissing(scope)


# ----- pagination ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        if kind != "id" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise OperationError({"cursor": "Curseur de pagination invalide."}) from None


def page(session: Session, query, model, *, cursor: str | None, limit: int) -> Page:
    after = decode_cursor(cursor)
    limit = max(1, min(limit, MAX_PAGE))
    rows = list(
        session.exec(query.where(model.id > after).order_by(model.id).limit(limit + 1)).all()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].id) if more and rows else None)


def _field_error(error: Exception) -> OperationError:
    field = getattr(error, "field", "") or "request"
    return OperationError({field: str(error)})


# ----- holders and properties ---------------------------------------------------------------------


def _holder(session: Session, holder_id: int) -> Policyholder:
    holder = session.get(Policyholder, holder_id)
    if holder is None:
        raise LookupError("holder")
    return holder


def list_holders(*, session: Session, authority, cursor=None, limit=50, email: str = "") -> Page:
    require(authority, "holders:read")
    query = select(Policyholder)
    if email:
        query = query.where(Policyholder.email == email.strip().lower())
    return page(session, query, Policyholder, cursor=cursor, limit=limit)


def get_holder(*, session: Session, authority, holder_id: int) -> Policyholder:
    require(authority, "holders:read")
    return _holder(session, holder_id)


def create_holder(*, session: Session, authority, data: dict, today: date | None = None):
    require(authority, "holders:write")
    try:
        return holders.register_holder(session=session, today=today, **data)
    except ProfileError as error:
        raise _field_error(error) from None


def update_holder(*, session: Session, authority, holder_id: int, data: dict) -> Policyholder:
    require(authority, "holders:write")
    try:
        return holders.correct_record(session=session, holder_id=holder_id, **data)
    except ProfileError as error:
        raise _field_error(error) from None


def list_properties(*, session: Session, authority, holder_id: int, cursor=None, limit=50):
    require(authority, "holders:read")
    _holder(session, holder_id)
    query = select(InsuredProperty).where(InsuredProperty.holder_id == holder_id)
    return page(session, query, InsuredProperty, cursor=cursor, limit=limit)


def create_property(*, session: Session, authority, holder_id: int, data: dict):
    require(authority, "holders:write")
    _holder(session, holder_id)
    try:
        return admin.add_property(session=session, holder_id=holder_id, **data)
    except admin.PropertyError as error:
        raise _field_error(error) from None


# ----- catalogue and contracts --------------------------------------------------------------------


def catalogue(*, session: Session, authority) -> list[tuple[Formula, list]]:
    require(authority, "contracts:read")
    result = []
    for formula in session.exec(select(Formula).order_by(Formula.rank, Formula.id)).all():
        lines = session.exec(
            select(FormulaGuarantee, Guarantee)
            .join(Guarantee, Guarantee.id == FormulaGuarantee.guarantee_id)
            .where(FormulaGuarantee.formula_id == formula.id)
            .order_by(Guarantee.id)
        ).all()
        result.append((formula, list(lines)))
    return result


def formula_codes(session: Session) -> dict[int, str]:
    return {f.id: f.code for f in session.exec(select(Formula)).all()}


def list_contracts(
    *, session: Session, authority, cursor=None, limit=50, holder_id: int | None = None
) -> Page:
    require(authority, "contracts:read")
    query = select(Contract)
    if holder_id is not None:
        query = query.where(Contract.holder_id == holder_id)
    return page(session, query, Contract, cursor=cursor, limit=limit)


def get_contract(*, session: Session, authority, contract_id: int) -> Contract:
    require(authority, "contracts:read")
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise LookupError("contract")
    return contract


def contract_terms(*, session: Session, authority, contract_id: int) -> list[ContractTerms]:
    get_contract(session=session, authority=authority, contract_id=contract_id)
    return list(
        session.exec(
            select(ContractTerms)
            .where(ContractTerms.contract_id == contract_id)
            .order_by(ContractTerms.effective_from, ContractTerms.id)
        ).all()
    )


def _next_contract_number(session: Session) -> str:
    last = session.exec(
        select(Contract.number)
        .where(Contract.number.like("MRH5%"))
        .order_by(Contract.number.desc())
    ).first()
    return f"MRH{(int(last[3:]) + 1) if last else 5_000_000:07d}"


def create_contract(*, session: Session, authority, data: dict, today: date | None = None):
    """Subscribe a contract on a property of the holder, priced by the tariff, its payment schedule
    set up to a year ahead (instalments already due are recorded paid)."""
    from espace.billing.instalments import add_months, seed_history
    from espace.contracts.tariff_data import CURRENT

    require(authority, "contracts:write")
    today = today or datetime.now(PARIS).date()
    holder_id, property_id = data["holder_id"], data["property_id"]
    _holder(session, holder_id)
    prop = session.exec(
        select(InsuredProperty).where(
            InsuredProperty.id == property_id, InsuredProperty.holder_id == holder_id
        )
    ).first()
    if prop is None:
        raise OperationError({"property_id": "Ce bien n'appartient pas à cet assuré."})
    errors: dict[str, str] = {}
    if session.exec(select(Formula.id).where(Formula.code == data["formula"])).first() is None:
        errors["formula"] = "Formule inconnue (voir /catalogue)."
    unknown = [o for o in data.get("options") or [] if o not in CURRENT["options"]]
    if unknown:
        errors["options"] = f"Options inconnues : {', '.join(unknown)}."
    number = data.get("number") or _next_contract_number(session)
    if session.exec(select(Contract.id).where(Contract.number == number)).first() is not None:
        errors["number"] = "Ce numéro de contrat existe déjà."
    if not today - timedelta(days=30 * 365) <= data["start_date"] <= today + timedelta(days=366):
        errors["start_date"] = "Date d'effet entre il y a 30 ans et dans un an."
    if errors:
        raise OperationError(errors)
    try:
        contract = admin.open_contract(
            session=session,
            number=number,
            holder_id=holder_id,
            prop=prop,
            formula_code=data["formula"],
            furniture_capital_cents=data["furniture_capital_cents"],
            deductible_cents=data["deductible_cents"],
            start_date=data["start_date"],
            options=tuple(sorted(set(data.get("options") or []))),
            payment_frequency=data.get("payment_frequency") or "monthly",
            debit_day=data.get("debit_day") or 5,
            today=today,
        )
    except (KeyError, ValueError) as error:
        raise OperationError({"request": f"Contrat refusé par le tarif : {error}"}) from None
    seed_history(session=session, contract=contract, today=today, ahead_until=add_months(today, 12))
    return contract


def endorse_contract(
    *, session: Session, authority, contract_id: int, data: dict, today: date | None = None
) -> Contract:
    """An endorsement the holder agreed with the insurer (phone, agency): recorded by the portal's
    own function (new version of the terms from ``effective_date``, re-priced instalments, the
    avenant PDF in "Mes documents", the e-mail). The holder must have an account: it is recorded
    as accepted by them."""
    from espace.contracts import cover_change
    from espace.identity.accounts import account_of_holder

    require(authority, "contracts:write")
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise LookupError("contract")
    account = account_of_holder(session=session, holder_id=contract.holder_id)
    if account is None:
        raise OperationError({"contract_id": NO_ACCOUNT_YET})
    current = cover_change.current_choice(session=session, contract=contract)
    changes = {k: data[k] for k in ("formula", "furniture_capital_cents", "deductible_cents")}
    changes = {k: v for k, v in changes.items() if v is not None}
    if data.get("options") is not None:
        changes["options"] = frozenset(data["options"])
    choice = replace(current, **changes)
    try:
        cover_change.endorse(
            session=session,
            holder_id=contract.holder_id,
            account_id=account.id,
            contract_id=contract.id,
            choice=choice,
            effective=data["effective_date"],
            consent=True,
            today=today,
        )
    except cover_change.CoverChangeError as error:
        raise _field_error(error) from None
    except (KeyError, ValueError) as error:
        raise OperationError({"request": f"Avenant refusé par le tarif : {error}"}) from None
    session.refresh(contract)
    return contract


# ----- payments -----------------------------------------------------------------------------------


def list_payments(
    *, session: Session, authority, cursor=None, limit=50, contract_id=None, status=None
) -> Page:
    require(authority, "payments:read")
    query = select(Payment)
    if contract_id is not None:
        query = query.where(Payment.contract_id == contract_id)
    if status:
        query = query.where(Payment.status == status)
    return page(session, query, Payment, cursor=cursor, limit=limit)


def get_payment(*, session: Session, authority, payment_id: int) -> Payment:
    require(authority, "payments:read")
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise LookupError("payment")
    return payment


def payment_event(
    *, session: Session, authority, payment_id: int, kind: str, code: str = "", reason: str = ""
) -> Payment:
    require(authority, "payments:write")
    try:
        if kind == "paid":
            payment, _ = debit_results.mark_paid(session=session, payment_id=payment_id)
        elif kind == "rejected":
            payment, _ = debit_results.reject(
                session=session, payment_id=payment_id, code=code, reason=reason, source="api"
            )
        elif kind == "refunded":
            payment, _ = debit_results.refund(session=session, payment_id=payment_id)
        else:
            raise OperationError({"event": "Événement : paid, rejected ou refunded."})
    except debit_results.DebitResultError as error:
        raise _field_error(error) from None
    return payment


# ----- refunds owed to holders --------------------------------------------------------------------


def list_refunds(
    *, session: Session, authority, cursor=None, limit=50, holder_id=None, status=None
) -> Page:
    require(authority, "payments:read")
    query = select(PremiumRefund)
    if holder_id is not None:
        query = query.where(PremiumRefund.holder_id == holder_id)
    if status:
        query = query.where(PremiumRefund.status == status)
    return page(session, query, PremiumRefund, cursor=cursor, limit=limit)


def get_refund(*, session: Session, authority, refund_id: int) -> PremiumRefund:
    require(authority, "payments:read")
    refund = session.get(PremiumRefund, refund_id)
    if refund is None:
        raise LookupError("refund")
    return refund


def refund_event(
    *, session: Session, authority, refund_id: int, kind: str, reference: str = ""
) -> PremiumRefund:
    """The core system or the bank confirms a refund paid (by a SEPA file or another transfer)."""
    require(authority, "payments:write")
    if kind != "paid":
        raise OperationError({"event": "Événement : paid."})
    try:
        refund, _ = refunds.mark_paid(
            session=session, refund_id=refund_id, via="sepa", reference=reference
        )
    except refunds.RefundError as error:
        raise _field_error(error) from None
    return refund


# ----- documents ----------------------------------------------------------------------------------


def list_documents(
    *, session: Session, authority, cursor=None, limit=50, holder_id=None, contract_id=None
) -> Page:
    require(authority, "documents:read")
    query = select(Document)
    if holder_id is not None:
        query = query.where(Document.holder_id == holder_id)
    if contract_id is not None:
        query = query.where(Document.contract_id == contract_id)
    return page(session, query, Document, cursor=cursor, limit=limit)


def get_document(*, session: Session, authority, document_id: int) -> Document:
    require(authority, "documents:read")
    document = session.get(Document, document_id)
    if document is None:
        raise LookupError("document")
    return document


def publish_document(*, session: Session, authority, data: dict) -> Document:
    require(authority, "documents:write")
    try:
        pdf = base64.b64decode(data["content_base64"], validate=True)
    except (binascii.Error, ValueError):
        raise OperationError({"content_base64": "Contenu base64 invalide."}) from None
    try:
        return publishing.publish_pdf(
            session=session,
            holder_id=data["holder_id"],
            contract_id=data.get("contract_id"),
            kind=data["kind"],
            title=data["title"],
            pdf=pdf,
            reference=data.get("reference") or "",
        )
    except publishing.PublishError as error:
        raise _field_error(error) from None


# ----- claims -------------------------------------------------------------------------------------


def _claim(session: Session, claim_id: int) -> Claim:
    claim = session.exec(
        select(Claim).where(Claim.id == claim_id, Claim.status != ClaimStatus.DRAFT)
    ).first()
    if claim is None:
        raise LookupError("claim")
    return claim


def list_claims(
    *, session: Session, authority, cursor=None, limit=50, holder_id=None, status=None
) -> Page:
    require(authority, "claims:read")
    query = select(Claim).where(Claim.status != ClaimStatus.DRAFT)
    if holder_id is not None:
        query = query.where(Claim.holder_id == holder_id)
    if status:
        query = query.where(Claim.status == status)
    return page(session, query, Claim, cursor=cursor, limit=limit)


@dataclass(frozen=True)
class ClaimDetail:
    claim: Claim
    events: list[ClaimEvent]
    files: list
    messages: list


def get_claim(*, session: Session, authority, claim_id: int) -> ClaimDetail:
    require(authority, "claims:read")
    claim = _claim(session, claim_id)
    return ClaimDetail(
        claim,
        stages.events(session=session, claim_id=claim.id),
        declaration_queries.files(session=session, claim_id=claim.id),
        declaration_queries.messages(session=session, claim_id=claim.id),
    )


def _claim_errors(error: ClaimInputError) -> OperationError:
    found = error.args[0] if error.args else None
    return OperationError(dict(found) if isinstance(found, dict) else {"request": str(error)})


def declare_claim(
    *, session: Session, authority, data: dict, now: datetime | None = None
) -> ClaimDetail:
    """A claim reported to the insurer (phone, agency), filed through the wizard's own steps."""
    require(authority, "claims:write")
    now = now or utcnow()
    contract = session.get(Contract, data["contract_id"])
    if contract is None:
        raise OperationError({"contract_id": "Contrat inconnu."})
    occurred = data["occurred_at"]
    if not now.year - 6 <= occurred.year <= now.year:
        raise OperationError({"occurred_at": "Date du sinistre invalide."})
    if occurred.tzinfo is None:
        occurred = occurred.replace(tzinfo=PARIS)
    local = occurred.astimezone(PARIS)
    try:
        claim = declaration.start_draft(
            session=session, holder_id=contract.holder_id, account_id=None, contract_id=contract.id
        )
        declaration.set_peril(session=session, claim=claim, peril_code=data["peril"])
        declaration.set_answers(
            session=session, claim=claim, raw=data.get("answers") or {}, today=local.date()
        )
        declaration.set_when(
            session=session,
            claim=claim,
            day_text=local.strftime("%d/%m/%Y"),
            time_text=local.strftime("%H:%M"),
            description=data["description"],
            now=now,
        )
        declaration.set_location(session=session, claim=claim, kind="property")
        for item in data["items"]:
            declaration_contents.add_item(
                session=session,
                claim=claim,
                description=item["description"],
                category=item["category"],
                purchase_date="",
                purchase_price="",
                estimate_text=f"{item['estimate_cents'] / 100:.2f}",
                today=local.date(),
            )
        declaration_sending.submit(session=session, claim=claim, now=now)
    except ClaimInputError as error:
        raise _claim_errors(error) from None
    return get_claim(session=session, authority=authority, claim_id=claim.id)


CLAIM_ACTIONS = (
    "appoint_expert",
    "plan_visit",
    "assess",
    "record_payment",
    "request_documents",
    "refuse",
    "close",
    "reopen",
)


def claim_action(
    *, session: Session, authority, claim_id: int, action: str, data: dict
) -> ClaimDetail:
    """Move a claim through its stages with the back office's own functions (the tracker, the
    notices and the staff audit log follow)."""
    require(authority, "claims:write")
    _claim(session, claim_id)
    staff_id = authority.staff_id
    try:
        if action == "appoint_expert":
            expert_id = data.get("expert_id") or _any_expert(session)
            workflow_assessment.appoint_expert(
                session=session, staff_id=staff_id, claim_id=claim_id, expert_id=expert_id
            )
        elif action == "plan_visit":
            at = data.get("visit_at")
            if at is None or not 2000 <= at.year <= 2100:
                raise OperationError({"visit_at": "Indiquez la date et l'heure de la visite."})
            if at.tzinfo is None:
                at = at.replace(tzinfo=PARIS)
            local = at.astimezone(PARIS)
            workflow_assessment.plan_visit(
                session=session,
                staff_id=staff_id,
                claim_id=claim_id,
                day_text=local.strftime("%d/%m/%Y"),
                time_text=local.strftime("%H:%M"),
                note=data.get("note") or "",
            )
        elif action == "assess":
            damage = data.get("damage_cents")
            if damage is None:
                raise OperationError({"damage_cents": "Indiquez le montant des dommages."})
            workflow_assessment.assess(
                session=session,
                staff_id=staff_id,
                claim_id=claim_id,
                damage_text=f"{damage / 100:.2f}",
            )
        elif action == "record_payment":
            workflow_assessment.record_payment(
                session=session,
                staff_id=staff_id,
                claim_id=claim_id,
                reference=data.get("reference") or "",
            )
        elif action in ("request_documents", "refuse", "reopen"):
            text = (data.get("reason") or "").strip()
            if not text:
                raise OperationError({"reason": "Indiquez le motif ou les documents demandés."})
            if action == "request_documents":
                workflow.request_documents(
                    session=session, staff_id=staff_id, claim_id=claim_id, what=text
                )
            elif action == "refuse":
                workflow.refuse(session=session, staff_id=staff_id, claim_id=claim_id, reason=text)
            else:
                workflow.reopen(session=session, staff_id=staff_id, claim_id=claim_id, reason=text)
        elif action == "close":
            workflow.close(session=session, staff_id=staff_id, claim_id=claim_id)
        else:
            raise OperationError({"action": f"Action : {', '.join(CLAIM_ACTIONS)}."})
    except ClaimInputError as error:
        raise _claim_errors(error) from None
    except StaffForbidden as error:
        raise OperationError({"action": str(error)}) from None
    return get_claim(session=session, authority=authority, claim_id=claim_id)


def _any_expert(session: Session) -> int:
    expert = session.exec(
        select(StaffUser.id)
        .where(StaffUser.role == StaffRole.EXPERT, StaffUser.is_active)
        .order_by(StaffUser.id)
    ).first()
    if expert is None:
        raise OperationError({"expert_id": "Aucun expert actif : indiquez expert_id."})
    return expert


def claim_message(*, session: Session, authority, claim_id: int, body: str) -> ClaimDetail:
    require(authority, "claims:write")
    _claim(session, claim_id)
    try:
        workflow.reply(session=session, staff_id=authority.staff_id, claim_id=claim_id, body=body)
    except ClaimInputError as error:
        raise _claim_errors(error) from None
    except StaffForbidden as error:
        raise OperationError({"body": str(error)}) from None
    return get_claim(session=session, authority=authority, claim_id=claim_id)


# ----- requests raised in the portal --------------------------------------------------------------


@dataclass(frozen=True)
class PortalRequest:
    id: str
    kind: str
    holder_id: int
    status: str
    created_at: datetime
    detail: str


def list_requests(
    *, session: Session, authority, holder_id: int | None = None, limit: int = 100
) -> list[PortalRequest]:
    """What holders did in the portal that the insurer must act on, newest first: contact changes,
    mandates signed or revoked, GDPR requests. Cancellations and complaints join this list when
    their tables land (their events are already listed in ``webhooks.events``)."""
    require(authority, "requests:read")
    limit = max(1, min(limit, MAX_PAGE))
    changes, mandates, privacy = select(ProfileChange), select(SepaMandate), select(PrivacyRequest)
    if holder_id is not None:
        changes = changes.where(ProfileChange.holder_id == holder_id)
        mandates = mandates.where(SepaMandate.holder_id == holder_id)
        privacy = privacy.where(PrivacyRequest.holder_id == holder_id)
    rows = [
        PortalRequest(
            f"profile-{c.id}", f"profile.{c.field}", c.holder_id, c.status, c.changed_at, ""
        )
        for c in session.exec(changes.order_by(ProfileChange.id.desc()).limit(limit)).all()
    ]
    rows += [
        PortalRequest(f"mandate-{m.id}", "mandate", m.holder_id, m.status, m.signed_at, m.reference)
        for m in session.exec(mandates.order_by(SepaMandate.id.desc()).limit(limit)).all()
    ]
    rows += [
        PortalRequest(f"gdpr-{r.id}", f"gdpr.{r.kind}", r.holder_id, r.status, r.created_at, "")
        for r in session.exec(privacy.order_by(PrivacyRequest.id.desc()).limit(limit)).all()
    ]
    rows.sort(key=lambda r: r.created_at, reverse=True)
    return rows[:limit]
