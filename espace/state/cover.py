"""/contrat/modifier?n=…: compare formulas, change the cover with an instant price, save and
compare simulations, and validate the change as an avenant."""

from __future__ import annotations

from datetime import date

import reflex as rx

from espace import routes
from espace.contracts import (
    catalogue,
    cover_change,
    cover_choice,
    cover_quotes,
    coverage,
    labels,
    portfolio,
    tariff_data,
    terms,
)
from espace.contracts.cover_choice import CoverChangeError, CoverChoice
from espace.contracts.models import GuaranteeCategory
from espace.contracts.rating import RatingError
from espace.contracts.tariff import instalment_cents
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.models import today_paris
from espace.identity.sessions import Principal
from espace.state.cover_rows import FormulaColumn
from espace.state.cover_simulations import CoverSimulationsMixin
from espace.state.handlers import holder_event
from espace.state.session import SessionState

DEDUCTIBLE_LEVELS = sorted(tariff_data.CURRENT["deductible_coef_bp"])
FREQUENCY_WORDS = {"monthly": "par mois", "quarterly": "par trimestre", "annual": "par an"}


class CoverState(SessionState, CoverSimulationsMixin):
    loaded: bool = False
    found: bool = False
    number: str = ""
    frequency: str = "monthly"
    current_premium: str = ""
    current_formula: str = ""
    pending: str = ""  # a signed change not in force yet: "à partir du …"
    min_effective: str = ""
    max_effective: str = ""  # set on load: a value computed here would be the build's day
    categories: list[str] = []
    formulas: list[FormulaColumn] = []
    option_choices: list[list[str]] = []  # [code, name, description]
    deductible_choices: list[list[str]] = [[str(v), fmt.money(v)] for v in DEDUCTIBLE_LEVELS]

    # the choice being simulated
    c_formula: str = ""
    c_capital: str = ""
    c_deductible: str = ""
    c_options: list[str] = []
    c_rooms: str = ""
    c_surface: str = ""
    moving: bool = False
    form_version: int = 0  # bumped when the fields are set from the server (remounts the inputs)
    c_address: str = ""
    c_postal: str = ""
    c_city: str = ""

    # the quote
    q_ok: bool = False
    q_lines: list[list[str]] = []
    q_annual: str = ""
    q_instalment: str = ""
    q_diff: str = ""
    q_increase: bool = False
    q_prorata: str = ""
    q_advice: list[str] = []
    errors: dict[str, str] = {}

    endorse_error: str = ""
    effective: str = ""
    done_url: str = ""
    done_text: str = ""

    def _contract(self, db, me):
        number = self.router.url.query_parameters.get("n", "")
        return portfolio.owned_contract(session=db, holder_id=me.holder_id, number=number)

    @holder_event
    def load(self, me: Principal):
        self._load_header(me.holder_id)
        self.found, self.done_url, self.done_text, self.endorse_error, self.sim_error = (
            False,
            "",
            "",
            "",
            "",
        )
        with session_scope() as db:
            contract = self._contract(db, me)
            if contract is None:
                self.loaded = True
                return None
            self.found, self.number, self.frequency = (
                True,
                contract.number,
                contract.payment_frequency,
            )
            self._load_terms(db, contract)
            choice = cover_choice.current_choice(
                session=db, contract=contract
            )  # the newest signed terms
            self._set_fields(choice)
            self.current_formula = choice.formula
            self.option_choices = [
                [o.code, o.name, o.description] for o in catalogue.option_definitions(session=db)
            ]
            self._load_formulas(db, contract)
            self._load_sims(db, me.holder_id, contract.id)
            self._reprice(db, contract)
        self.loaded = True
        return None

    def _load_terms(self, db, contract) -> None:
        """Today's premium, and the change already signed that a new one must follow."""
        today = today_paris()
        current = terms.version_on(
            session=db, contract_id=contract.id, day=max(today, contract.start_date)
        )
        self.current_premium = fmt.money(
            current.annual_premium_cents if current else contract.annual_premium_cents
        )
        coming = terms.upcoming(session=db, contract=contract, today=today)
        self.pending = (
            f"Un avenant déjà accepté prend effet le {fmt.date_fr(coming[-1].start)} (cotisation "
            f"{fmt.money(coming[-1].version.annual_premium_cents)} par an) : les choix ci-dessous "
            "partent de cette nouvelle couverture, et une nouvelle modification prendra effet au "
            "plus tôt à cette date."
            if coming
            else ""
        )
        earliest = cover_change.earliest_effective(session=db, contract=contract, today=today)
        self.min_effective = self.effective = earliest.isoformat()
        self.max_effective = cover_change.latest_effective(today=today).isoformat()

    def _set_fields(self, choice: CoverChoice) -> None:
        self.c_formula, self.c_options = choice.formula, sorted(choice.options)
        self.c_capital = str(choice.furniture_capital_cents // 100)
        self.c_deductible = str(choice.deductible_cents)
        self.c_rooms, self.c_surface = str(choice.rooms), str(choice.surface_m2)
        self.c_address, self.c_postal, self.c_city = (
            choice.address_line1,
            choice.postal_code,
            choice.city,
        )
        self.moving = False
        self.form_version += 1

    def _load_formulas(self, db, contract) -> None:
        categories = list(GuaranteeCategory)
        self.categories = [labels.label(labels.GUARANTEE_CATEGORY, c) for c in categories]
        ids = catalogue.formula_ids(session=db)
        base = cover_choice.current_choice(session=db, contract=contract)

        def cells(
            code: str,
        ) -> list[str]:  # what this formula covers with the options the holder keeps
            options = cover_quotes.kept_options(base.options, code)
            lines = coverage.lines_for(
                session=db,
                formula_id=ids[code],
                options=options,
                deductible_cents=base.deductible_cents,
            )
            return [
                "Oui" if any(line.category == c and line.grants for line in lines) else "Non"
                for c in categories
            ]

        self.formulas = [
            FormulaColumn(
                code,
                name,
                fmt.money(q.annual_premium_cents) if q else "",
                code == self.current_formula,
                error,
                cells(code),
            )
            for code, name, q, error in cover_quotes.compare_formulas(session=db, contract=contract)
        ]

    def _choice(self) -> CoverChoice | None:
        errors = {}
        try:
            capital = fmt.parse_euros(self.c_capital)
        except ValueError:
            capital = None
        if capital is None:
            errors["capital"] = "Saisissez un montant en euros, par exemple 25000."
        rooms = int(self.c_rooms) if self.c_rooms.strip().isdigit() else None
        surface = int(self.c_surface) if self.c_surface.strip().isdigit() else None
        if rooms is None:
            errors["rooms"] = "Saisissez un nombre de pièces."
        if surface is None:
            errors["surface"] = "Saisissez une surface en m²."
        self.errors = errors
        if errors:
            return None
        return CoverChoice(
            formula=self.c_formula,
            furniture_capital_cents=capital,
            deductible_cents=int(self.c_deductible or 0),
            options=frozenset(self.c_options),
            rooms=rooms,
            surface_m2=surface,
            address_line1=self.c_address.strip(),
            postal_code=self.c_postal.strip(),
            city=self.c_city.strip(),
        )

    def _reprice(self, db, contract) -> None:
        self.q_ok = False
        choice = self._choice()
        if choice is None:
            return
        try:
            quote = cover_quotes.quote(session=db, contract=contract, choice=choice)
        except RatingError as error:
            field = {
                "furniture_capital_cents": "capital",
                "surface_m2": "surface",
                "postal_code": "postal",
                "deductible_cents": "deductible",
            }.get(error.field, error.field or "options")
            self.errors = {field: error.message}
            return
        self.q_ok = True
        self.q_lines = [[line.label, fmt.money(line.amount_cents)] for line in quote.lines]
        self.q_annual = fmt.money(quote.annual_premium_cents)
        self.q_instalment = (
            f"{fmt.money(instalment_cents(quote.annual_premium_cents, self.frequency))} "
            f"{FREQUENCY_WORDS[self.frequency]}"
        )
        effective = max(self._effective_date() or today_paris(), contract.start_date)
        prorata = cover_change.prorata_for(
            session=db,
            contract=contract,
            new_annual_cents=quote.annual_premium_cents,
            effective=effective,
        )  # against the terms in force on that date
        diff = quote.annual_premium_cents - prorata.old_premium_cents
        self.q_increase = diff > 0
        self.q_diff = (
            "Identique à votre cotisation actuelle"
            if diff == 0
            else f"{'+' if diff > 0 else '−'} {fmt.money(abs(diff))} par an par rapport à "
            "aujourd'hui"
        )
        amount = prorata.amount_cents
        self.q_prorata = (
            f"{'À payer' if amount >= 0 else 'À vous rembourser'} pour l'année en cours (du "
            f"{fmt.date_fr(effective)} au {fmt.date_fr(prorata.year_end)}) : "
            f"{fmt.money(abs(amount))}"
        )
        self.q_advice = list(quote.advice)

    def _effective_date(self) -> date | None:
        try:
            return date.fromisoformat(self.effective)
        except ValueError:
            return None

    def _with_contract(self, action):
        me = self._holder_principal()
        if me is None:
            return self._to_login()
        with session_scope() as db:
            contract = self._contract(db, me)
            if contract is None:
                return None
            return action(db, me, contract)

    def _update(self, **fields):
        for name, value in fields.items():
            setattr(self, name, value)
        self.done_url = ""
        return self._with_contract(lambda db, me, contract: self._reprice(db, contract))

    @holder_event
    def set_formula(self, me: Principal, code: str):
        return self._set_formula(code)

    def _set_formula(self, code: str):
        if code in ("ESSENTIELLE", "CONFORT", "INTEGRALE"):
            return self._update(c_formula=code)
        return None

    @holder_event
    def set_capital(self, me: Principal, value: str):
        return self._update(c_capital=str(value)[:12])

    @holder_event
    def set_deductible(self, me: Principal, value: str):
        if value.isdigit() and int(value) in DEDUCTIBLE_LEVELS:
            return self._update(c_deductible=value)
        return None

    @holder_event
    def toggle_option(self, me: Principal, code: str):
        options = set(self.c_options) ^ {code}
        return self._update(
            c_options=sorted(o for o in options if o in {c[0] for c in self.option_choices})
        )

    @holder_event
    def set_rooms(self, me: Principal, value: str):
        return self._update(c_rooms=str(value)[:3])

    @holder_event
    def set_surface(self, me: Principal, value: str):
        return self._update(c_surface=str(value)[:5])

    @rx.event
    def set_moving(self, value: bool):
        self.moving = bool(value)

    @holder_event
    def set_move(self, me: Principal, form: dict):
        return self._update(
            c_address=str(form.get("c_address") or "")[:200],
            c_postal=str(form.get("c_postal") or "")[:5],
            c_city=str(form.get("c_city") or "")[:100],
        )

    @holder_event
    def set_effective(self, me: Principal, value: str):
        return self._update(effective=str(value)[:10])

    @holder_event
    def choose_formula(self, me: Principal, code: str):
        return self._set_formula(code)

    @holder_event
    def reset_choice(self, me: Principal):
        def action(db, me, contract):
            self._set_fields(cover_choice.current_choice(session=db, contract=contract))
            self._reprice(db, contract)

        return self._with_contract(action)

    # ---- validation ----

    @holder_event
    def endorse(self, me: Principal, form: dict):
        def action(db, me, contract):
            self.endorse_error = ""
            choice = self._choice()
            effective = self._effective_date()
            if choice is None or effective is None:
                self.endorse_error = "Vérifiez les informations saisies et la date d'effet."
                return None
            try:
                endorsement = cover_change.endorse(
                    session=db,
                    holder_id=me.holder_id,
                    account_id=me.account_id,
                    contract_id=contract.id,
                    choice=choice,
                    effective=effective,
                    consent=bool(form.get("consent")),
                )
            except (CoverChangeError, RatingError) as error:
                self.endorse_error = getattr(error, "message", str(error))
                return None
            self.done_url = routes.document_url(endorsement.document_id)
            self.done_text = (
                f"Avenant n° {endorsement.number} enregistré : effet le "
                f"{fmt.date_fr(endorsement.effective_date)}, nouvelle cotisation "
                f"{fmt.money(endorsement.new_premium_cents)} par an."
            )
            self._load_terms(db, contract)
            self.effective = endorsement.effective_date.isoformat()
            self.current_formula = choice.formula
            self._load_formulas(db, contract)
            self._reprice(db, contract)
            return None

        return self._with_contract(action)
