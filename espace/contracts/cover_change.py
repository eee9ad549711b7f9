"""Changing one's cover: the endorsement (avenant): a new version of the contract's terms from its
effective date (nothing changes before it), the instalments of the year re-priced with the prorata,
the avenant PDF. The choice itself is in ``cover_choice``, quotes and simulations in
``cover_quotes``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from espace.billing.models import Payment, PaymentStatus
from espace.contracts import attestations, contract_documents
from espace.contracts import terms as contract_terms
from espace.contracts.cover_choice import (
    CoverChangeError,
    CoverChoice,
    _base_version,
    choice_of,
    describe_changes,
    owned_contract,
)
from espace.contracts.cover_quotes import quote
from espace.contracts.models import (
    MONTHS_PER_PERIOD,
    Contract,
    ContractOptionDef,
    ContractStatus,
    ContractTerms,
    Endorsement,
    Formula,
)
from espace.contracts.portfolio import next_anniversary
from espace.contracts.rating import Quote
from espace.contracts.tariff import prorata_cents
from espace.core import formatting as fmt
from espace.core.models import get_existing, saved_id, today_paris
from espace.documents import library
from espace.documents.models import Document, DocumentKind
from espace.identity.models import Account, Policyholder
from espace.notifications import outbox

MAX_EFFECTIVE_DELAY = timedelta(days=90)
CONSENT_TEXT = (
    "J'ai pris connaissance des modifications, de la nouvelle cotisation et de la régularisation, "
    "et j'accepte cet avenant à mon contrat."
)


# ---- endorsement ----------------------------------------------------------------------------


def insurance_year(contract: Contract, day: date) -> tuple[date, date]:
    """The contract year containing ``day``: from the last anniversary to the day before the next
    one."""
    end = next_anniversary(contract.start_date, day) - timedelta(days=1)
    start = next_anniversary(contract.start_date, end - timedelta(days=366))
    return max(start, contract.start_date), end


def _validate_move(choice: CoverChoice, before: CoverChoice) -> None:
    moved = (choice.address_line1, choice.postal_code, choice.city) != (
        before.address_line1,
        before.postal_code,
        before.city,
    )
    if moved and not (
        choice.address_line1.strip() and choice.postal_code.strip() and choice.city.strip()
    ):
        raise CoverChangeError(
            "Pour un déménagement, indiquez l'adresse complète du nouveau logement.",
            "address_line1",
        )


@dataclass(frozen=True)
class Prorata:
    amount_cents: int  # signed: to pay (+) or to refund (−) for the rest of the insurance year
    old_premium_cents: int  # the annual premium of the terms the change replaces
    year_start: date
    year_end: date


def prorata_for(
    *, session: Session, contract: Contract, new_annual_cents: int, effective: date
) -> Prorata:
    """The premium difference from ``effective`` to the end of its insurance year, against the
    version in force on that date (a version signed earlier and starting later already carries its
    own prorata)."""
    version = contract_terms.version_on(
        session=session, contract_id=saved_id(contract), day=max(effective, contract.start_date)
    )
    old = version.annual_premium_cents if version is not None else contract.annual_premium_cents
    year_start, year_end = insurance_year(contract, effective)
    return Prorata(
        prorata_cents(old, new_annual_cents, effective, year_start, year_end),
        old,
        year_start,
        year_end,
    )


def latest_effective(*, today: date) -> date:
    """A change takes effect at the latest ``MAX_EFFECTIVE_DELAY`` from today."""
    return today + MAX_EFFECTIVE_DELAY


def earliest_effective(*, session: Session, contract: Contract, today: date) -> date:
    """A change takes effect at the earliest today, and never before a version already signed."""
    newest = contract_terms.latest(session=session, contract_id=saved_id(contract))
    return max(today, newest.effective_from) if newest is not None else today


def endorse(
    *,
    session: Session,
    holder_id: int,
    account_id: int,
    contract_id: int,
    choice: CoverChoice,
    effective: date,
    consent: bool,
    today: date | None = None,
) -> Endorsement:
    """Validate a change: a new version of the terms from ``effective`` (the cover and the
    contract's copy of today's terms change on that date, not before), re-priced instalments,
    avenant PDF."""
    from espace.documents.pdf.avenant import render_avenant

    today = today or today_paris()
    contract = owned_contract(session=session, holder_id=holder_id, contract_id=contract_id)
    if contract is None or contract.status != ContractStatus.ACTIVE:
        raise CoverChangeError("Ce contrat ne peut pas être modifié en ligne.")
    if not consent:
        raise CoverChangeError("Cochez la case pour accepter l'avenant.", "consent")
    if effective < today or effective > latest_effective(today=today):
        raise CoverChangeError(
            "La date d'effet doit être comprise entre aujourd'hui et dans 90 jours.", "effective"
        )
    if contract.end_date is not None and effective > contract.end_date:
        raise CoverChangeError(
            "La date d'effet doit précéder la fin de votre contrat.", "effective"
        )
    base = _base_version(session, contract, today)
    if effective < base.effective_from:
        raise CoverChangeError(
            f"Un avenant déjà accepté prend effet le {fmt.date_fr(base.effective_from)} : "
            "choisissez une date d'effet à partir de cette date.",
            "effective",
        )
    before = choice_of(session, base)
    _validate_move(choice, before)
    changes = describe_changes(session, before, choice)
    if not changes:
        raise CoverChangeError("Aucune modification à enregistrer : changez au moins un élément.")
    new_quote = quote(session=session, contract=contract, choice=choice, today=today)
    prorata = prorata_for(
        session=session,
        contract=contract,
        new_annual_cents=new_quote.annual_premium_cents,
        effective=effective,
    )

    number = (
        session.exec(
            select(func.count())
            .select_from(Endorsement)
            .where(Endorsement.contract_id == contract.id)
        ).one()
        + 1
    )
    endorsement = Endorsement(
        contract_id=saved_id(contract),
        number=number,
        effective_date=effective,
        changes=changes,
        old_premium_cents=prorata.old_premium_cents,
        new_premium_cents=new_quote.annual_premium_cents,
        prorata_cents=prorata.amount_cents,
        tariff_version=new_quote.version,
        accepted_by_account_id=account_id,
        consent_text=CONSENT_TEXT,
    )
    session.add(endorsement)
    session.flush()
    version = contract_terms.record_version(
        session=session,
        contract=contract,
        effective_from=effective,
        terms=_new_terms(session, base, choice, new_quote),
        endorsement_id=endorsement.id,
        today=today,
    )
    moved = (choice.address_line1, choice.postal_code, choice.city) != (
        before.address_line1,
        before.postal_code,
        before.city,
    )
    if moved:  # attestations naming the old address stop the day before the move
        attestations.revoke_for_contract(
            session=session,
            contract_id=saved_id(contract),
            reason="Déménagement",
            effective=effective,
            today=today,
        )
    _reprice_instalments(
        session, contract, effective, prorata.year_end, prorata.amount_cents, new_quote, today
    )
    endorsement.document_id = _avenant_document(
        session, contract, endorsement, version, prorata.year_end, render_avenant, today
    ).id
    session.add(endorsement)
    contract_documents.issue_particular_conditions(
        session=session,
        contract=contract,
        version=version,
        issued_on=today,
        endorsement_number=number,
    )
    account = get_existing(session, Account, account_id)
    outbox.send_email_template(
        session=session,
        to=account.email,
        account_id=account.id,
        category="contracts",
        template="endorsement",
        endorsement=str(number),
        number=contract.number,
        effective=fmt.date_fr(effective),
        premium=fmt.money(new_quote.annual_premium_cents),
    )
    return endorsement


def _new_terms(
    session: Session, base: ContractTerms, choice: CoverChoice, new_quote: Quote
) -> contract_terms.Terms:
    names = dict(session.exec(select(ContractOptionDef.code, ContractOptionDef.name)).all())
    prices = {line.label: line.amount_cents for line in new_quote.lines}

    def option_price(code: str) -> int:
        label = f"Option {names[code]}"
        return prices.get(
            label, next((amount for text, amount in prices.items() if names[code] in text), 0)
        )

    moved = bool(choice.postal_code) and (
        (choice.address_line1, choice.postal_code, choice.city)
        != (base.address_line1, base.postal_code, base.city)
    )
    address = (
        {
            "address_line1": choice.address_line1,
            "address_line2": "",
            "postal_code": choice.postal_code,
            "city": choice.city,
        }
        if moved
        else {}
    )
    return replace(
        contract_terms.terms_of(base),
        formula_id=saved_id(
            session.exec(select(Formula).where(Formula.code == choice.formula)).one()
        ),
        furniture_capital_cents=choice.furniture_capital_cents,
        deductible_cents=choice.deductible_cents,
        annual_premium_cents=new_quote.annual_premium_cents,
        annual_tax_cents=new_quote.taxes_cents,
        tariff_version=new_quote.version,
        options={code: option_price(code) for code in sorted(choice.options)},
        rooms=choice.rooms or base.rooms,
        surface_m2=choice.surface_m2 or base.surface_m2,
        **address,
    )


def _reprice_instalments(
    session: Session,
    contract: Contract,
    effective: date,
    year_end: date,
    prorata: int,
    new_quote: Quote,
    today: date,
) -> None:
    """Scheduled instalments of the current year carry the prorata; later ones the new premium."""
    per_year = 12 // MONTHS_PER_PERIOD[contract.payment_frequency]
    scheduled = session.exec(
        select(Payment)
        .where(Payment.contract_id == contract.id, Payment.status == PaymentStatus.SCHEDULED)
        .order_by(col(Payment.due_date))
    ).all()
    this_year = [p for p in scheduled if p.period_end <= year_end and p.due_date >= effective]
    later = [p for p in scheduled if p.period_start > year_end]
    tax_ratio = new_quote.taxes_cents / max(1, new_quote.annual_premium_cents)
    for payment in later:
        payment.amount_cents = new_quote.annual_premium_cents // per_year
        payment.tax_cents = round(payment.amount_cents * tax_ratio)
        session.add(payment)
    if this_year:
        share, rest = divmod(prorata, len(this_year))
        for index, payment in enumerate(this_year):
            payment.amount_cents += share + (rest if index == 0 else 0)
            payment.tax_cents = round(payment.amount_cents * tax_ratio)
            session.add(payment)
    elif prorata:
        due = max(effective, today)
        session.add(
            Payment(
                contract_id=saved_id(contract),
                holder_id=contract.holder_id,
                due_date=due,
                period_start=effective,
                period_end=year_end,
                amount_cents=prorata,
                tax_cents=round(prorata * tax_ratio),
                status=PaymentStatus.SCHEDULED,
            )
        )


def _avenant_document(
    session: Session,
    contract: Contract,
    endorsement: Endorsement,
    version: ContractTerms,
    year_end: date,
    render,
    today: date,
) -> Document:
    from espace.documents.addresses import holder_lines, property_lines
    from espace.documents.pdf.data import AvenantChange, AvenantData

    holder = get_existing(session, Policyholder, contract.holder_id)
    name, address = holder_lines(holder)
    per_year = 12 // MONTHS_PER_PERIOD[contract.payment_frequency]
    sign = "+ " if endorsement.prorata_cents >= 0 else "− "
    reference = f"AV-{endorsement.effective_date.year}-{endorsement.id:06d}"
    frequency = {"monthly": "par mois", "quarterly": "par trimestre", "annual": "par an"}[
        contract.payment_frequency
    ]
    data = AvenantData(
        reference=reference,
        number=endorsement.number,
        issued_on=fmt.date_fr(today),
        effective_on=fmt.date_fr(endorsement.effective_date),
        holder_name=name,
        holder_address=address,
        contract_number=contract.number,
        formula=get_existing(session, Formula, version.formula_id).name,
        property_address=property_lines(version),
        changes=[AvenantChange(c["label"], c["before"], c["after"]) for c in endorsement.changes],
        old_premium=fmt.money(endorsement.old_premium_cents),
        new_premium=fmt.money(endorsement.new_premium_cents),
        prorata=(
            f"{sign}{fmt.money(abs(endorsement.prorata_cents))} pour la période du "
            f"{fmt.date_fr(endorsement.effective_date)} au {fmt.date_fr(year_end)}"
        ),
        next_instalment=(
            f"{fmt.money(endorsement.new_premium_cents // per_year)} {frequency} à partir de la "
            "prochaine échéance annuelle"
        ),
        consent=f"Accepté en ligne le {fmt.datetime_fr(endorsement.accepted_at)} par {name}",
    )
    document = Document(
        holder_id=contract.holder_id,
        contract_id=contract.id,
        kind=DocumentKind.AVENANT,
        title=f"Avenant n° {endorsement.number} — {contract.number}",
        reference=reference,
        amount_cents=endorsement.new_premium_cents,
        period_start=endorsement.effective_date,
    )
    library.store_pdf(document, render(data))
    session.add(document)
    session.flush()
    return document


def endorsements_of(*, session: Session, contract_id: int) -> list[Endorsement]:
    return list(
        session.exec(
            select(Endorsement)
            .where(Endorsement.contract_id == contract_id)
            .order_by(col(Endorsement.number).desc())
        ).all()
    )
