"""Renewal of contracts at their anniversary (the daily job ``renew-contracts``).

``NOTICE_LEAD_DAYS`` before an anniversary, the job renews the contract for the next year, once (a
``ContractRenewal`` row per contract and anniversary is inserted first: a second worker, or a run
made again, finds it and does nothing):

- the next year's premium from the tariff version in force, the claims of the last 3 years counted
  on the anniversary, recorded as a new version of the terms effective on the anniversary;
- the new schedule in the holder's payment frequency (instalments of that year still scheduled are
  replaced; a year already partly paid is kept);
- the annual notice (avis d'échéance) PDF in "Mes documents", with the loi Chatel mention of the
  right not to renew, its deadline and what a late notice changes; an in-app notice and an e-mail.

On the anniversary itself the job issues the new year's attestation (claimed by a conditional
update, so once too). It also ends the contracts whose cancellation took effect.

Chatel (article L113-15-1 du Code des assurances): the notice must reach the holder at the latest
15 days before the last day to refuse the renewal (2 months before the anniversary, the contract's
notice period) and at the earliest 3 months before it. Sent at 90 days, it is in that window. A
notice sent later gives the holder 20 days from its sending; without a notice, the holder may cancel
at any time from the anniversary.

The schedule of a year is written by ``renewal_schedule``, the notice and its Chatel mention by
``renewal_notice``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from espace import routes
from espace.billing import payment_changes
from espace.billing.instalments import add_months
from espace.contracts import attestations
from espace.contracts import terms as contract_terms
from espace.contracts.cover_choice import choice_of
from espace.contracts.cover_quotes import claims_counted, rating_input
from espace.contracts.models import (
    AttestationKind,
    Contract,
    ContractStatus,
    ContractTerms,
)
from espace.contracts.portfolio import next_anniversary
from espace.contracts.rating import RatingError
from espace.contracts.tariff import price
from espace.contracts.tariff_data import CURRENT
from espace.core.db import savepoint
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.core.working_days import add_working_days
from espace.documents.models import Document
from espace.lifecycle.models import Cancellation, CancellationStatus, ContractRenewal
from espace.lifecycle.renewal_notice import _announce, _notice_document, chatel_terms
from espace.lifecycle.renewal_schedule import ensure_schedule, schedule_year
from espace.notifications import notices
from espace.notifications.models import NotificationCategory

NOTICE_LEAD_DAYS = 90  # the notice goes out this many days before the anniversary


@dataclass(frozen=True)
class RenewalReport:
    renewed: int = 0
    attestations: int = 0
    ended: int = 0


def at(day: date, hour: int = 6) -> datetime:
    """A moment of ``day`` in Paris (the time a document issued by the job on that day bears)."""
    return datetime.combine(day, time(hour, 0), tzinfo=PARIS)


# ---- renewing one contract ------------------------------------------------------------------


def _price(session: Session, contract: Contract, base: ContractTerms, anniversary: date):
    """(terms, claims counted) of the next year: the tariff in force, the claims on the
    anniversary. A home the tariff cannot rate any more keeps its premium."""
    counted = claims_counted(session=session, contract_id=contract.id, on=anniversary)
    current = contract_terms.terms_of(base)
    try:
        quote = price(
            replace(rating_input(base, choice_of(session, base)), claims_last_3_years=counted)
        )
    except RatingError:
        return current, counted
    prices = {line.label: line.amount_cents for line in quote.lines}
    options = {
        code: prices.get(f"Option {CURRENT['options'][code]['name']}", amount)
        for code, amount in current.options.items()
        if code in CURRENT["options"]
    }
    return (
        replace(
            current,
            annual_premium_cents=quote.annual_premium_cents,
            annual_tax_cents=quote.taxes_cents,
            tariff_version=quote.version,
            options=options,
        ),
        counted,
    )


def _claim(session: Session, contract: Contract, anniversary: date) -> ContractRenewal | None:
    """The renewal row, inserted first; None when another run already renewed this year."""
    try:
        with savepoint(session):
            row = ContractRenewal(contract_id=contract.id, anniversary=anniversary)
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row


def renew(
    *,
    session: Session,
    contract: Contract,
    anniversary: date,
    today: date,
    now: datetime | None = None,
    documents: bool = True,
) -> ContractRenewal | None:
    """Renew ``contract`` for the year from ``anniversary`` (see the module): None when it ends
    before, or when this year was renewed already. ``documents=False`` (old years replayed for the
    demo data): the terms and the schedule only, no notice, message nor attestation."""
    if (
        contract.status != ContractStatus.ACTIVE
        or anniversary <= contract.start_date
        or (contract.end_date is not None and contract.end_date < anniversary)
    ):
        return None
    now = now or utcnow()
    row = _claim(session, contract, anniversary)
    if row is None:
        return None
    before = contract_terms.version_on(
        session=session, contract_id=contract.id, day=anniversary - timedelta(days=1)
    )
    base = contract_terms.version_on(session=session, contract_id=contract.id, day=anniversary)
    newest = contract_terms.latest(session=session, contract_id=contract.id)
    new_terms, counted = _price(session, contract, base, anniversary)
    if newest.effective_from > anniversary:
        version = base  # a change signed for later: priced when it was signed
    else:
        version = contract_terms.record_version(
            session=session,
            contract=contract,
            effective_from=anniversary,
            terms=new_terms,
            today=today,
        )
    instalments = schedule_year(
        session=session,
        contract=contract,
        year_start=anniversary,
        version=version,
        earliest=add_working_days(today, payment_changes.NOTICE_WORKING_DAYS),
    )
    chatel = chatel_terms(anniversary, today)
    row.old_premium_cents = before.annual_premium_cents
    row.new_premium_cents = version.annual_premium_cents
    row.tariff_version = version.tariff_version
    row.claims_counted = counted
    row.notice_sent_on = today
    row.chatel_deadline = chatel.deadline
    if not documents:
        row.attestation_claimed_at = now
        session.add(row)
        session.flush()
        return row
    document = _notice_document(session, contract, row, version, instalments, chatel, now)
    row.notice_document_id = document.id
    session.add(row)
    session.flush()
    _announce(session, contract, row, chatel)
    return row


# ---- the attestation of the new year ---------------------------------------------------------


def issue_attestation(
    *, session: Session, renewal: ContractRenewal, now: datetime | None = None
) -> Document | None:
    """The new year's attestation, once (the renewal is claimed by a conditional update)."""
    now = now or utcnow()
    claimed = session.exec(
        update(ContractRenewal)
        .where(ContractRenewal.id == renewal.id, ContractRenewal.attestation_claimed_at.is_(None))
        .values(attestation_claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None
    contract = session.get(Contract, renewal.contract_id)
    if (
        contract is None
        or contract.status != ContractStatus.ACTIVE
        or (contract.end_date is not None and contract.end_date < renewal.anniversary)
    ):
        return None
    document = attestations.issue(
        session=session,
        holder_id=contract.holder_id,
        contract_id=contract.id,
        request=attestations.AttestationRequest(kind=AttestationKind.STANDARD),
        today=renewal.anniversary,
    )
    document.issued_at = now
    session.add(document)
    session.exec(
        update(ContractRenewal)
        .where(ContractRenewal.id == renewal.id)
        .values(attestation_document_id=document.id)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    session.refresh(renewal)
    notices.notify(
        session=session,
        holder_id=contract.holder_id,
        category=NotificationCategory.DOCUMENTS,
        title=f"Votre attestation d'assurance {renewal.anniversary.year} — {contract.number}",
        body="Votre contrat a été reconduit : votre nouvelle attestation est dans « Mes "
        "documents ».",
        link=routes.DOCUMENTS,
    )
    return document


# ---- the daily job --------------------------------------------------------------------------


def end_cancelled(*, session: Session, today: date) -> int:
    """Contracts whose cancellation took effect (their last day is past) are terminated."""
    ended = 0
    rows = session.exec(
        select(Contract).where(
            Contract.status == ContractStatus.ACTIVE,
            Contract.end_date.is_not(None),
            Contract.end_date < today,
        )
    ).all()
    for contract in rows:
        contract.status = ContractStatus.TERMINATED
        session.add(contract)
        for request in session.exec(
            select(Cancellation).where(
                Cancellation.contract_id == contract.id,
                Cancellation.status == CancellationStatus.RECEIVED,
            )
        ).all():
            request.status = CancellationStatus.EFFECTIVE
            session.add(request)
        ended += 1
    session.flush()
    return ended


def renew_due(*, session: Session, today: date, now: datetime | None = None) -> RenewalReport:
    """The daily job: end the cancelled contracts, renew those whose anniversary is within
    ``NOTICE_LEAD_DAYS``, issue the attestations of the years starting today (or missed since)."""
    now = now or utcnow()
    ended = end_cancelled(session=session, today=today)
    done = set(
        session.exec(
            select(ContractRenewal.contract_id, ContractRenewal.anniversary).where(
                ContractRenewal.anniversary >= today
            )
        ).all()
    )
    renewed = 0
    contracts = session.exec(
        select(Contract).where(Contract.status == ContractStatus.ACTIVE).order_by(Contract.id)
    ).all()
    for contract in contracts:
        ensure_schedule(session=session, contract=contract, today=today)
        anniversary = next_anniversary(contract.start_date, today - timedelta(days=1))
        if (
            anniversary <= contract.start_date
            or (contract.id, anniversary) in done
            or anniversary - timedelta(days=NOTICE_LEAD_DAYS) > today
        ):
            continue
        if renew(session=session, contract=contract, anniversary=anniversary, today=today, now=now):
            renewed += 1
    issued = 0
    for renewal in session.exec(
        select(ContractRenewal).where(
            ContractRenewal.anniversary <= today,
            ContractRenewal.anniversary > today - timedelta(days=NOTICE_LEAD_DAYS),
            ContractRenewal.attestation_claimed_at.is_(None),
        )
    ).all():
        if issue_attestation(session=session, renewal=renewal, now=now) is not None:
            issued += 1
    return RenewalReport(renewed=renewed, attestations=issued, ended=ended)


# ---- a contract's past, run with the same functions (demo data, imports) --------------------


DOCUMENT_YEARS = 2  # the demo's replayed history: documents of the last two renewals


def replay_history(*, session: Session, contract: Contract, today: date) -> None:
    """Run the contract's life from its start to ``today`` as the job would have: the first year's
    schedule and attestation, each renewal on the day the job makes it (new terms, schedule, notice,
    e-mail), each year's attestation, and the debits collected on their due date. Renewals more
    than ``DOCUMENT_YEARS`` years old get their terms and schedule only (a PDF takes ~80 ms; the
    demo seeds in every test run)."""
    documents_from = add_months(today, -12 * DOCUMENT_YEARS)
    from espace.billing.instalments import collect_due
    from espace.contracts.contract_documents import issue_particular_conditions

    first = contract_terms.version_on(
        session=session, contract_id=contract.id, day=contract.start_date
    )
    schedule_year(session=session, contract=contract, year_start=contract.start_date, version=first)
    issue_particular_conditions(
        session=session,
        contract=contract,
        version=first,
        issued_on=contract.start_date,
        now=at(contract.start_date, 9),
    )
    if documents_from <= contract.start_date <= today:
        document = attestations.issue(
            session=session,
            holder_id=contract.holder_id,
            contract_id=contract.id,
            request=attestations.AttestationRequest(kind=AttestationKind.STANDARD),
            today=contract.start_date,
        )
        document.issued_at = at(contract.start_date)
        session.add(document)
    anniversary = next_anniversary(contract.start_date, contract.start_date)
    while anniversary - timedelta(days=NOTICE_LEAD_DAYS) <= today:
        sent_on = anniversary - timedelta(days=NOTICE_LEAD_DAYS)
        collect_due(session=session, contract_id=contract.id, today=sent_on)
        renewal = renew(
            session=session,
            contract=contract,
            anniversary=anniversary,
            today=sent_on,
            now=at(sent_on),
            documents=anniversary > documents_from,
        )
        if renewal is not None and renewal.notice_document_id and anniversary <= today:
            issue_attestation(session=session, renewal=renewal, now=at(anniversary))
        anniversary = next_anniversary(contract.start_date, anniversary)
    collect_due(session=session, contract_id=contract.id, today=today)
    contract_terms.sync_current(session=session, contract=contract, today=today)
