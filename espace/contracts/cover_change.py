"""Changing one's cover: quotes from the tariff engine, formula comparison, saved simulations, and
the endorsement (avenant): a new version of the contract's terms from its effective date (nothing
changes before it), the instalments of the year re-priced with the prorata, the avenant PDF."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from espace.billing.models import Payment, PaymentStatus
from espace.claims.models import Claim, ClaimStatus
from espace.contracts import attestations, contract_documents
from espace.contracts import terms as contract_terms
from espace.contracts.models import (
    MONTHS_PER_PERIOD,
    Contract,
    ContractOptionDef,
    ContractStatus,
    ContractTerms,
    Endorsement,
    Formula,
    InsuredProperty,
    Simulation,
)
from espace.contracts.portfolio import next_anniversary
from espace.contracts.tariff import Quote, RatingError, RatingInput, price, prorata_cents
from espace.core import formatting as fmt
from espace.core.formatting import PARIS
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


class CoverChangeError(ValueError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CoverChoice:
    formula: str
    furniture_capital_cents: int
    deductible_cents: int
    options: frozenset[str] = field(default_factory=frozenset)
    rooms: int = 0
    surface_m2: int = 0
    address_line1: str = ""  # a move: new address of the insured home
    postal_code: str = ""
    city: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["options"] = sorted(self.options)
        return data

    @classmethod
    def from_json(cls, data: dict) -> CoverChoice:
        return cls(**{**data, "options": frozenset(data.get("options", []))})


def owned_contract(*, session: Session, holder_id: int, contract_id: int) -> Contract | None:
    return session.exec(
        select(Contract).where(Contract.id == contract_id, Contract.holder_id == holder_id)
    ).first()


def option_codes(session: Session, contract: Contract, on: date | None = None) -> frozenset[str]:
    """Options taken on ``on`` (default: in the newest version of the terms)."""
    version = _version(session, contract, on)
    return contract_terms.option_codes(version) if version is not None else frozenset()


def _version(session: Session, contract: Contract, on: date | None) -> ContractTerms | None:
    if on is None:
        return contract_terms.latest(session=session, contract_id=saved_id(contract))
    return contract_terms.version_on(
        session=session, contract_id=saved_id(contract), day=max(on, contract.start_date)
    )


def _base_version(session: Session, contract: Contract, today: date) -> ContractTerms:
    """The newest version, on which a change builds (recorded from the contract row if it has none
    yet)."""
    return contract_terms.latest(
        session=session, contract_id=saved_id(contract)
    ) or contract_terms.record_initial(session=session, contract=contract, today=today)


def choice_of(session: Session, version: ContractTerms) -> CoverChoice:
    formula = get_existing(session, Formula, version.formula_id)
    return CoverChoice(
        formula=formula.code,
        furniture_capital_cents=version.furniture_capital_cents,
        deductible_cents=version.deductible_cents,
        options=contract_terms.option_codes(version),
        rooms=version.rooms,
        surface_m2=version.surface_m2,
        address_line1=version.address_line1,
        postal_code=version.postal_code,
        city=version.city,
    )


def current_choice(*, session: Session, contract: Contract, on: date | None = None) -> CoverChoice:
    """The terms in force on ``on`` as a choice; without a date, the newest signed terms (in force
    or coming), on which a new change builds."""
    version = _version(session, contract, on)
    if (
        version is None
    ):  # a contract row without versions (built directly): its copy is its only version
        terms = contract_terms.snapshot(session=session, contract=contract)
        formula = get_existing(session, Formula, terms.formula_id)
        return CoverChoice(
            formula=formula.code,
            furniture_capital_cents=terms.furniture_capital_cents,
            deductible_cents=terms.deductible_cents,
            options=terms.option_codes,
            rooms=terms.rooms,
            surface_m2=terms.surface_m2,
            address_line1=terms.address_line1,
            postal_code=terms.postal_code,
            city=terms.city,
        )
    return choice_of(session, version)


def rating_input(prop, choice: CoverChoice, claims_not_yet_rated: int = 0) -> RatingInput:
    """``prop``: the insured home as rated (a version of the terms, or the property row)."""
    return RatingInput(
        postal_code=choice.postal_code or prop.postal_code,
        property_type=prop.property_type,
        rooms=choice.rooms or prop.rooms,
        surface_m2=choice.surface_m2 or prop.surface_m2,
        occupancy=prop.occupancy,
        formula=choice.formula,
        furniture_capital_cents=choice.furniture_capital_cents,
        deductible_cents=choice.deductible_cents,
        options=choice.options,
        claims_last_3_years=0,
        claims_not_yet_rated=claims_not_yet_rated,
    )


def claims_counted(*, session: Session, contract_id: int, on: date) -> int:
    """Claims the tariff counts on ``on``: declared (not drafts), not refused, occurred in the 3
    years before."""
    since = datetime.combine(on - timedelta(days=3 * 365), time(0), tzinfo=PARIS)
    until = datetime.combine(on + timedelta(days=1), time(0), tzinfo=PARIS)
    return session.exec(
        select(func.count())
        .select_from(Claim)
        .where(
            Claim.contract_id == contract_id,
            col(Claim.status).not_in((ClaimStatus.DRAFT, ClaimStatus.REFUSED)),
            col(Claim.occurred_at).is_not(None),
            col(Claim.occurred_at) >= since,
            col(Claim.occurred_at) < until,
        )
    ).one()


def quote(
    *, session: Session, contract: Contract, choice: CoverChoice, today: date | None = None
) -> Quote:
    """Price a choice for this contract's home (raises RatingError with a French message and field).

    A change in the middle of the year keeps the claims coefficient set at the anniversary; claims
    declared since are counted at the next one, so a no-claims bonus shows as "not renewed", not
    earned."""
    today = today or today_paris()
    prop = _version(session, contract, None) or session.get(InsuredProperty, contract.property_id)
    pending = (
        claims_counted(session=session, contract_id=contract.id, on=today) if contract.id else 0
    )
    result = price(rating_input(prop, choice, pending))
    if pending:
        anniversary = next_anniversary(contract.start_date, today)
        result = replace(
            result,
            advice=[
                *result.advice,
                (
                    f"{pending} sinistre{'s' if pending > 1 else ''} "
                    f"déclaré{'s' if pending > 1 else ''} ces 3 dernières années : le bonus sans "
                    f"sinistre s'applique jusqu'à l'échéance du {fmt.date_fr(anniversary)} et ne "
                    "sera pas reconduit ; votre cotisation sera revue à cette date."
                ),
            ],
        )
    return result


def kept_options(options: frozenset[str], formula_code: str) -> frozenset[str]:
    """The options that still make sense with another formula (Intégrale includes legal protection;
    reinforced glass breakage needs the formula's glass breakage)."""
    return frozenset(
        o
        for o in options
        if not (formula_code == "INTEGRALE" and o == "PROTECTION_JURIDIQUE")
        and not (formula_code == "ESSENTIELLE" and o == "BRIS_GLACE")
    )


def compare_formulas(
    *, session: Session, contract: Contract, today: date | None = None
) -> list[tuple[str, str, Quote | None, str]]:
    """(code, name, quote or None, error) for every formula, with the holder's other choices
    kept."""
    base = current_choice(session=session, contract=contract)
    result: list[tuple[str, str, Quote | None, str]] = []
    for formula in session.exec(select(Formula).order_by(col(Formula.rank))).all():
        options = kept_options(base.options, formula.code)
        try:
            result.append(
                (
                    formula.code,
                    formula.name,
                    quote(
                        session=session,
                        contract=contract,
                        today=today,
                        choice=replace(base, formula=formula.code, options=options),
                    ),
                    "",
                )
            )
        except RatingError as error:
            result.append((formula.code, formula.name, None, error.message))
    return result


# ---- simulations --------------------------------------------------------------------------


def save_simulation(
    *, session: Session, holder_id: int, contract_id: int, name: str, choice: CoverChoice
) -> Simulation:
    contract = owned_contract(session=session, holder_id=holder_id, contract_id=contract_id)
    if contract is None:
        raise CoverChangeError("Contrat introuvable.")
    name = name.strip()
    if not name:
        raise CoverChangeError(
            "Donnez un nom à cette simulation, par exemple « Franchise 300 € ».", "name"
        )
    result = quote(session=session, contract=contract, choice=choice)
    simulation = Simulation(
        holder_id=holder_id,
        contract_id=saved_id(contract),
        name=name[:60],
        inputs=choice.as_json(),
        lines=[[line.label, line.amount_cents] for line in result.lines],
        annual_premium_cents=result.annual_premium_cents,
        tariff_version=result.version,
    )
    session.add(simulation)
    session.flush()
    return simulation


def simulations(*, session: Session, holder_id: int, contract_id: int) -> list[Simulation]:
    return list(
        session.exec(
            select(Simulation)
            .where(Simulation.holder_id == holder_id, Simulation.contract_id == contract_id)
            .order_by(col(Simulation.created_at), col(Simulation.id))
        ).all()
    )


def delete_simulation(*, session: Session, holder_id: int, simulation_id: int) -> bool:
    row = session.exec(
        select(Simulation).where(Simulation.id == simulation_id, Simulation.holder_id == holder_id)
    ).first()
    if row is None:
        return False
    session.delete(row)
    return True


# ---- endorsement ----------------------------------------------------------------------------


def insurance_year(contract: Contract, day: date) -> tuple[date, date]:
    """The contract year containing ``day``: from the last anniversary to the day before the next
    one."""
    end = next_anniversary(contract.start_date, day) - timedelta(days=1)
    start = next_anniversary(contract.start_date, end - timedelta(days=366))
    return max(start, contract.start_date), end


def describe_changes(session: Session, before: CoverChoice, after: CoverChoice) -> list[dict]:
    names = {f.code: f.name for f in session.exec(select(Formula)).all()}
    option_names = {o.code: o.name for o in session.exec(select(ContractOptionDef)).all()}
    changes = []
    if before.formula != after.formula:
        changes.append(
            {"label": "Formule", "before": names[before.formula], "after": names[after.formula]}
        )
    if before.furniture_capital_cents != after.furniture_capital_cents:
        changes.append(
            {
                "label": "Capital mobilier",
                "before": fmt.money(before.furniture_capital_cents),
                "after": fmt.money(after.furniture_capital_cents),
            }
        )
    if before.deductible_cents != after.deductible_cents:
        changes.append(
            {
                "label": "Franchise",
                "before": fmt.money(before.deductible_cents),
                "after": fmt.money(after.deductible_cents),
            }
        )
    for code in sorted(before.options ^ after.options):
        taken = code in after.options
        changes.append(
            {
                "label": f"Option {option_names.get(code, code)}",
                "before": "Souscrite" if not taken else "Non souscrite",
                "after": "Souscrite" if taken else "Non souscrite",
            }
        )
    if (before.rooms, before.surface_m2) != (after.rooms, after.surface_m2):
        changes.append(
            {
                "label": "Logement (pièces, surface)",
                "before": f"{before.rooms} pièces, {before.surface_m2} m²",
                "after": f"{after.rooms} pièces, {after.surface_m2} m²",
            }
        )
    moved = (after.address_line1, after.postal_code, after.city) != (
        before.address_line1,
        before.postal_code,
        before.city,
    )
    if moved:
        changes.append(
            {
                "label": "Adresse du logement (déménagement)",
                "before": f"{before.address_line1}, {before.postal_code} {before.city}",
                "after": f"{after.address_line1}, {after.postal_code} {after.city}",
            }
        )
    return changes


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
    if effective < today or effective > today + MAX_EFFECTIVE_DELAY:
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
