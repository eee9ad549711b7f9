"""What is searched, as SearchDocs built from the database and the product's texts.

Public: the FAQ, the general conditions' articles and the glossary. Per formula: each guarantee
with its ceiling, deductible, exclusions and examples (both in ``public_sources``). Per holder:
their documents (text extracted from the PDFs), claims, claim messages, message threads with
advisers and payments. For the back office only (scope ``s``): one card per holder (name, e-mail,
contract and claim numbers). URLs may hold ``{contract}``, filled at query time with the holder's
own contract number."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from espace import routes
from espace.billing.models import Payment, PaymentStatus
from espace.claims.models import Claim, ClaimEvent, ClaimItem, ClaimMessage
from espace.contracts.models import Contract, InsuredProperty
from espace.core import formatting as fmt
from espace.core.models import saved_id
from espace.documents.models import Document
from espace.identity.models import Account, Policyholder
from espace.search.index import SearchDoc
from espace.support.models import SupportMessage, SupportThread

PUBLIC = "pub"
DOCUMENT_TEXT_LIMIT = 6000  # the beginning of a PDF's text is what identifies it


def holder_scope(holder_id: int) -> str:
    return f"h{holder_id}"


def formula_scope(code: str) -> str:
    return f"f{code.lower()}"


# ----- a holder's own data --------------------------------------------------------------------
# Own items also carry the words people use to find them besides their title: the month in letters
# ("reçu de novembre"), the town of the insured home ("Carnac") and where a claim or payment stands.


def month_year(day: date | None) -> str:
    return fmt.month_fr(day) if day else ""


def _period(start: date | None, end: date | None) -> str:
    """ "période du 01/11/2025 au 30/11/2025 (novembre 2025)"."""
    if not start or not end:
        return ""
    months = (
        month_year(start)
        if (start.year, start.month) == (end.year, end.month)
        else f"{month_year(start)} à {month_year(end)}"
    )
    return f"période du {fmt.date_fr(start)} au {fmt.date_fr(end)} ({months})"


def _rhythm(start: date | None, end: date | None) -> str:
    """ "mensuelle", "trimestrielle" or "annuelle": how often the premium of this period is paid."""
    if not start or not end:
        return ""
    days = (end - start).days + 1
    return (
        "mensuelle"
        if days <= 31
        else "trimestrielle"
        if days <= 92
        else "annuelle"
        if days >= 360
        else ""
    )


def contract_place(session: Session, contract_id: int | None) -> str:
    """The town of a contract's home, as people name it ("la maison de Carnac"). Not "maison" or
    "appartement": those words are in many questions ("je quitte mon appartement") that are not
    about every payment and receipt of the contract."""
    contract = session.get(Contract, contract_id) if contract_id is not None else None
    prop = session.get(InsuredProperty, contract.property_id) if contract else None
    return prop.city if prop else ""


def _contract_words(contract_number: str, place: str) -> str:
    return (
        f"Contrat {contract_number}" + (f" ({place})" if place else "")
        if contract_number
        else place
    )


def document_doc(document: Document, contract_number: str = "", place: str = "") -> SearchDoc:
    from espace.documents.library import KIND_LABELS

    kind_label = fmt.label(KIND_LABELS, document.kind)
    issued = document.issued_at.astimezone(fmt.PARIS).date() if document.issued_at else None
    rhythm = _rhythm(document.period_start, document.period_end) if document.payment_id else ""
    facts = [
        kind_label,
        document.reference,
        _contract_words(contract_number, place),
        f"Cotisation {rhythm}" if rhythm else "",
        _period(document.period_start, document.period_end),
        fmt.money(document.amount_cents) if document.amount_cents is not None else "",
        f"émis le {fmt.date_fr(issued)} ({month_year(issued)})" if issued else "",
    ]
    body = (
        ". ".join(x for x in facts if x)
        + "\n"
        + (document.text_content or "")[:DOCUMENT_TEXT_LIMIT]
    )
    return SearchDoc(
        key=f"document:{document.id}",
        kind="document",
        scope=holder_scope(document.holder_id),
        title=document.title,
        body=body,
        url=routes.document_url(saved_id(document), preview=True),
        day=document.issued_at.astimezone(fmt.PARIS).date() if document.issued_at else None,
        amount_cents=document.amount_cents,
        category=document.guarantee_category,
        contract=contract_number,
    )


def claim_doc(
    session: Session, claim: Claim, contract_number: str = "", place: str | None = None
) -> SearchDoc:
    from espace.claims import perils as claim_perils
    from espace.claims import stages as claim_stages

    found = claim_perils.peril(claim.peril)
    answers = (
        " ".join(f"{q} {a}" for q, a in claim_perils.answer_text(found, claim.answers))
        if found
        else ""
    )
    items = " ".join(
        i.description
        for i in session.exec(select(ClaimItem).where(ClaimItem.claim_id == claim.id)).all()
    )
    stages = " ".join(
        f"{claim_stages.label(e.kind)} {e.detail}"
        for e in session.exec(select(ClaimEvent).where(ClaimEvent.claim_id == claim.id)).all()
    )
    place = contract_place(session, claim.contract_id) if place is None else place
    occurred = claim.occurred_at.astimezone(fmt.PARIS).date() if claim.occurred_at else None
    standing = (
        "Dossier en cours"
        if claim.status in claim_stages.OPEN_STATUSES
        else claim_stages.label(claim.status)
    )
    context = ". ".join(
        x
        for x in (
            standing,
            f"survenu en {month_year(occurred)}" if occurred else "",
            _contract_words(contract_number, place),
        )
        if x
    )
    body = "\n".join(
        x for x in (claim.description, answers, items, stages, context, claim.number or "") if x
    )
    return SearchDoc(
        key=f"claim:{claim.id}",
        kind="claim",
        scope=holder_scope(claim.holder_id),
        title=(
            f"Sinistre {claim.number} — {claim_perils.label(claim.peril)}"
            f" ({claim_stages.label(claim.status)})"
        ),
        body=body,
        url=f"{routes.CLAIM}?n={claim.number}",
        day=claim.occurred_at.astimezone(fmt.PARIS).date() if claim.occurred_at else None,
        amount_cents=claim.indemnity_cents
        if claim.indemnity_cents is not None
        else claim.declared_total_cents,
        category=(found.category or "") if found else "",
        contract=contract_number,
    )


def message_doc(message: ClaimMessage, claim: Claim) -> SearchDoc:
    author = "Votre gestionnaire" if message.staff_id else "Vous"
    return SearchDoc(
        key=f"message:{message.id}",
        kind="message",
        scope=holder_scope(claim.holder_id),
        title=f"Message — sinistre {claim.number} ({author})",
        body=message.body,
        url=f"{routes.CLAIM}?n={claim.number}#messages",
        day=message.created_at.astimezone(fmt.PARIS).date() if message.created_at else None,
    )


def _payment_standing(payment: Payment) -> str:
    if payment.status == PaymentStatus.SCHEDULED:
        return f"Prochaines échéances : prélèvement prévu le {fmt.date_fr(payment.due_date)}."
    if payment.status == PaymentStatus.REJECTED:
        return "Prélèvement rejeté par la banque : cotisation impayée, à régulariser."
    if payment.status == PaymentStatus.REGULARISED and payment.regularised_at:
        return f"Régularisé le {fmt.date_fr(payment.regularised_at)}."
    if payment.paid_at:
        return f"Payé le {fmt.date_fr(payment.paid_at)}."
    return ""


def _of(month: str) -> str:
    """ "de" before a month, elided before a vowel: "d'avril", "d'août", "de mai"."""
    return f"d'{month}" if month[:1].lower() in "aeiouyâéè" else f"de {month}"


def payment_doc(payment: Payment, contract_number: str, place: str = "") -> SearchDoc:
    from espace.billing.payments import METHOD_LABELS, STATUS_LABELS

    status = fmt.label(STATUS_LABELS, payment.status)
    title = (
        f"Échéance du {fmt.date_fr(payment.due_date)} — {fmt.money(payment.amount_cents)}"
        f" ({status.lower()})"
    )
    rhythm = _rhythm(payment.period_start, payment.period_end)
    body = (
        f"Cotisation {rhythm + ' ' if rhythm else ''}du contrat {contract_number}"
        f"{f' ({place})' if place else ''}, "
        f"{_period(payment.period_start, payment.period_end)}. "
        f"Échéance {_of(month_year(payment.due_date))}. "
        f"{METHOD_LABELS.get(payment.method, payment.method)}. {status}. "
        f"{_payment_standing(payment)} "
        f"{payment.rejection_reason}"
    )
    return SearchDoc(
        key=f"payment:{payment.id}",
        kind="payment",
        scope=holder_scope(payment.holder_id),
        title=title,
        body=body,
        url=f"{routes.PAYMENTS}#historique",
        day=payment.due_date,
        amount_cents=payment.amount_cents,
        contract=contract_number,
    )


def thread_doc(thread: SupportThread, messages: list[SupportMessage]) -> SearchDoc:
    """A conversation with the advisers: its subject and every message (the assistant's transcript
    carried into it included: the holder wrote it)."""
    body = "\n".join(m.body for m in messages)
    return SearchDoc(
        key=f"thread:{thread.id}",
        kind="thread",
        scope=holder_scope(thread.holder_id),
        title=f"Conversation — {thread.subject}",
        body=body[:DOCUMENT_TEXT_LIMIT],
        url=f"{routes.MESSAGE}?n={thread.id}",
        day=thread.last_message_at.astimezone(fmt.PARIS).date() if thread.last_message_at else None,
    )


def thread_docs(session: Session, holder_id: int) -> list[SearchDoc]:
    threads = session.exec(select(SupportThread).where(SupportThread.holder_id == holder_id)).all()
    if not threads:
        return []
    messages: dict[int, list[SupportMessage]] = {}
    for message in session.exec(
        select(SupportMessage)
        .where(col(SupportMessage.thread_id).in_([t.id for t in threads]))
        .order_by(col(SupportMessage.created_at), col(SupportMessage.id))
    ).all():
        messages.setdefault(message.thread_id, []).append(message)
    return [thread_doc(t, messages.get(saved_id(t), [])) for t in threads]


STAFF_SCOPE = "s"


def holder_card(session: Session, holder: Policyholder) -> SearchDoc:
    """What the back office finds a holder by: name, e-mail, phone, contract and claim numbers,
    town."""
    contracts = session.exec(select(Contract).where(Contract.holder_id == holder.id)).all()
    claims = session.exec(
        select(Claim.number).where(Claim.holder_id == holder.id, col(Claim.number).is_not(None))
    ).all()
    emails = {holder.email or ""} | {
        a.email for a in session.exec(select(Account).where(Account.holder_id == holder.id)).all()
    }
    towns = {contract_place(session, c.id) for c in contracts}
    body = " ".join(
        x
        for x in (
            *sorted(e for e in emails if e),
            *(e.replace("@", " ").replace(".", " ") for e in sorted(emails) if e),
            holder.phone or "",
            *(c.number for c in contracts),
            *claims,
            *sorted(t for t in towns if t),
        )
        if x
    )
    return SearchDoc(
        key=f"holder:{holder.id}",
        kind="holder",
        scope=STAFF_SCOPE,
        title=f"{holder.first_name} {holder.last_name}",
        body=body,
        url="",
    )


def staff_docs(session: Session, holder_id: int) -> list[SearchDoc]:
    holder = session.get(Policyholder, holder_id)
    return [holder_card(session, holder)] if holder else []


def holder_docs(session: Session, holder_id: int, *, today: date | None = None) -> list[SearchDoc]:
    contracts = session.exec(select(Contract).where(Contract.holder_id == holder_id)).all()
    numbers = {c.id: c.number for c in contracts}
    places = {c.id: contract_place(session, c.id) for c in contracts}
    docs: list[SearchDoc] = [
        document_doc(d, numbers.get(d.contract_id, ""), places.get(d.contract_id, ""))
        for d in session.exec(select(Document).where(Document.holder_id == holder_id)).all()
    ]
    claims = session.exec(
        select(Claim).where(Claim.holder_id == holder_id, col(Claim.number).is_not(None))
    ).all()
    docs += [
        claim_doc(session, c, numbers.get(c.contract_id, ""), places.get(c.contract_id, ""))
        for c in claims
    ]
    by_id = {c.id: c for c in claims}
    if by_id:
        docs += [
            message_doc(m, by_id[m.claim_id])
            for m in session.exec(
                select(ClaimMessage).where(col(ClaimMessage.claim_id).in_(list(by_id)))
            ).all()
        ]
    docs += [
        payment_doc(p, numbers.get(p.contract_id, ""), places.get(p.contract_id, ""))
        for p in session.exec(select(Payment).where(Payment.holder_id == holder_id)).all()
    ]
    docs += thread_docs(session, holder_id)
    return docs
