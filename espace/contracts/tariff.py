"""The home-insurance rating engine ("moteur de tarification"): pure arithmetic, no database.

``price(RatingInput)`` gives a ``Quote``: the breakdown in French lines that add up exactly to the
annual premium, taxes included. Steps, each rounded half up to the cent:

1. base premium of the formula and property type, rooms beyond the first, surface beyond a
   threshold;
2. × zone of the département, × occupancy;
3. + furniture capital beyond the capital included;
4. × deductible level, × claims history (bonus or surcharge);
5. + options;
6. catastrophe-naturelle surcharge on the property-damage part, TSCA on premium + surcharge, and the
   fixed "contribution attentats".

``premium_excl_tax_cents`` is the sum of steps 1-5 and ``taxes_cents`` the legal part of step 6 (the
catastrophe-naturelle surcharge is a premium set by law, shown with the taxes as on the notices).
The rating data is in ``tariff_data.py``; the input, the quote, the error and the labels of the
lines in ``rating.py``.
"""

from __future__ import annotations

from datetime import date

from espace.contracts.catalogue_data import FORMULA_NAMES
from espace.contracts.rating import (
    NBSP,
    PriceLine,
    Quote,
    RatingError,
    RatingInput,
    _apply_bp,
    _coef,
    _div_half_up,
    _euros,
    _percent,
    _rate,
    _rooms,
    _Tables,
    _tables,
    departement_of,
)
from espace.contracts.tariff_data import (
    CURRENT,
    DEPARTEMENTS,
    OCCUPANCY_NAMES,
    PROPERTY_NAMES,
    PROPERTY_PLURALS,
)
from espace.core.formatting import money, number

FREQUENCIES = {"monthly": 12, "quarterly": 4, "annual": 1}


# ---- validation ---------------------------------------------------------------------------------


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate(data: RatingInput, t: _Tables) -> None:
    tariff = t.tariff
    if data.formula not in tariff["base_cents"]:
        raise RatingError(f"Formule inconnue : {data.formula}.", "formula")
    if data.property_type not in PROPERTY_NAMES:
        raise RatingError(f"Type de logement inconnu : {data.property_type}.", "property_type")
    if data.occupancy not in tariff["occupancy_coef_bp"]:
        raise RatingError(f"Occupation du logement inconnue : {data.occupancy}.", "occupancy")
    _validate_home(data, tariff["limits"])
    if departement_of(data.postal_code) not in t.zone_of_dept:
        raise RatingError(f"Code postal inconnu : {data.postal_code}.", "postal_code")
    _validate_capital(data, tariff["limits"])
    if data.deductible_cents not in tariff["deductible_coef_bp"] or not _is_int(
        data.deductible_cents
    ):
        shown = (
            _euros(data.deductible_cents)
            if _is_int(data.deductible_cents)
            else str(data.deductible_cents)
        )
        raise RatingError(
            f"Franchise non proposée : {shown}. Choisissez {t.deductibles_text}.",
            "deductible_cents",
        )
    claims_max = tariff["limits"]["claims_max"]
    if not _is_int(data.claims_last_3_years) or not 0 <= data.claims_last_3_years <= claims_max:
        raise RatingError(
            "Le nombre de sinistres des 3 dernières années doit être compris entre 0 et "
            f"{claims_max}.",
            "claims_last_3_years",
        )
    _validate_options(data, t)


def _validate_home(data: RatingInput, limits: dict) -> None:
    low, high = limits["rooms"]
    if not _is_int(data.rooms) or not low <= data.rooms <= high:
        raise RatingError(f"Le nombre de pièces doit être compris entre {low} et {high}.", "rooms")
    surface, rooms = data.surface_m2, data.rooms
    if not _is_int(surface):
        raise RatingError(f"Surface impossible pour {_rooms(rooms)} : {surface}.", "surface_m2")
    per_room = limits["surface_min_m2_per_room"] * rooms
    prefix = f"Surface impossible pour {_rooms(rooms)} : {number(surface)}{NBSP}m²"
    if surface > limits["surface_max_m2"]:
        raise RatingError(
            f"{prefix} (maximum {number(limits['surface_max_m2'])}{NBSP}m²).", "surface_m2"
        )
    if surface < per_room and per_room > limits["surface_min_m2"]:
        raise RatingError(
            f"{prefix} (au moins {limits['surface_min_m2_per_room']}{NBSP}m² par pièce, "
            f"soit {number(per_room)}{NBSP}m²).",
            "surface_m2",
        )
    if surface < limits["surface_min_m2"]:
        raise RatingError(f"{prefix} (minimum {limits['surface_min_m2']}{NBSP}m²).", "surface_m2")


def _validate_capital(data: RatingInput, limits: dict) -> None:
    capital = data.furniture_capital_cents
    low, high = limits["capital_min_cents"], limits["capital_max_cents"]
    if data.occupancy == "landlord":
        if not _is_int(capital) or not (capital == 0 or low <= capital <= high):
            raise RatingError(
                f"Le capital mobilier doit être nul (location vide) ou compris entre {_euros(low)} "
                f"et {_euros(high)}.",
                "furniture_capital_cents",
            )
    elif not _is_int(capital) or not low <= capital <= high:
        raise RatingError(
            f"Le capital mobilier doit être compris entre {_euros(low)} et {_euros(high)}.",
            "furniture_capital_cents",
        )


def _validate_options(data: RatingInput, t: _Tables) -> None:
    tariff = t.tariff
    options = tariff["options"]
    unknown = sorted(str(code) for code in data.options if code not in options)
    if unknown:
        raise RatingError(f"Option inconnue : {unknown[0]}.", "options")
    covers = tariff["formula_covers"][data.formula]
    for code in t.option_order:
        if code in data.options:
            _validate_option(data, options[code], covers, tariff)


def _validate_option(data: RatingInput, option: dict, covers: frozenset[str], tariff: dict) -> None:
    name, formula = option["name"], data.formula
    if data.property_type not in option["price"]:
        allowed = " et aux ".join(PROPERTY_PLURALS[p] for p in option["price"])
        raise RatingError(f"L'option {name} est réservée aux {allowed}.", "options")
    if data.occupancy not in option.get("occupancies", OCCUPANCY_NAMES):
        raise RatingError(
            f"L'option {name} n'est pas proposée à un {OCCUPANCY_NAMES[data.occupancy].lower()}.",
            "options",
        )
    included = option.get("excluded_if_formula_covers")
    if included and included in covers:
        raise RatingError(
            f"L'option {name} est déjà incluse dans la formule {FORMULA_NAMES[formula]}.", "options"
        )
    required = option.get("requires_formula_cover")
    if required and required not in covers:
        with_it = " ou ".join(
            FORMULA_NAMES[f] for f, c in tariff["formula_covers"].items() if required in c
        )
        raise RatingError(
            f"L'option {name} demande une formule qui couvre {tariff['cover_names'][required]} "
            f"({with_it}).",
            "options",
        )
    minimum = option.get("min_capital_cents", 0)
    if data.furniture_capital_cents < minimum:
        raise RatingError(
            f"L'option {name} demande un capital mobilier d'au moins {_euros(minimum)}.", "options"
        )


# ---- pricing steps -------------------------------------------------------------------------------


class _Sheet:
    """The lines being written, and the running subtotal."""

    def __init__(self) -> None:
        self.lines: list[PriceLine] = []
        self.total = 0

    def add(self, label: str, amount: int) -> None:
        self.lines.append(PriceLine(label, amount))
        self.total += amount

    def scale(self, label: str, coef_bp: int) -> None:
        """Multiply the subtotal; a neutral coefficient writes no line."""
        if coef_bp != 10_000:
            self.add(label, _apply_bp(self.total, coef_bp) - self.total)


def _home(sheet: _Sheet, data: RatingInput, tariff: dict) -> None:
    kind, formula = data.property_type, data.formula
    sheet.add(
        f"Base {FORMULA_NAMES[formula]} — {PROPERTY_NAMES[kind]}",
        tariff["base_cents"][formula][kind],
    )
    extra_rooms = data.rooms - 1
    if extra_rooms:
        per_room = tariff["per_extra_room_cents"][formula][kind]
        label = "pièce supplémentaire" if extra_rooms == 1 else "pièces supplémentaires"
        sheet.add(f"{extra_rooms} {label} × {_euros(per_room)}", extra_rooms * per_room)
    threshold = tariff["surface"]["threshold_m2"][kind]
    extra_m2 = data.surface_m2 - threshold
    if extra_m2 > 0:
        per_m2 = tariff["surface"]["per_m2_cents"][kind]
        sheet.add(
            f"Surface au-delà de {threshold}{NBSP}m² : {extra_m2}{NBSP}m² × {money(per_m2)}",
            extra_m2 * per_m2,
        )


def _location(sheet: _Sheet, data: RatingInput, t: _Tables) -> None:
    dept = departement_of(data.postal_code)
    assert dept is not None  # _validate refused an unknown postal code
    zone, coef_bp = t.zone_of_dept[dept]
    sheet.scale(f"Zone {zone} ({DEPARTEMENTS.get(dept, dept)}) × {_coef(coef_bp)}", coef_bp)
    occupancy_bp = t.tariff["occupancy_coef_bp"][data.occupancy]
    sheet.scale(f"{OCCUPANCY_NAMES[data.occupancy]} × {_coef(occupancy_bp)}", occupancy_bp)


def _furniture(sheet: _Sheet, data: RatingInput, tariff: dict) -> None:
    furniture = tariff["furniture"]
    if data.occupancy == "landlord":
        included = furniture["landlord_included_cents"]
        label = f"Mobilier du logement loué ({_euros(data.furniture_capital_cents)})"
    else:
        included = furniture["included_per_room_cents"][data.formula] * data.rooms
        label = f"Capital mobilier au-delà de {_euros(included)}"
    extra = data.furniture_capital_cents - included
    if extra > 0:
        thousands = -(-extra // 100_000)  # each started 1 000 €
        sheet.add(label, thousands * furniture["price_per_1000_cents"][data.formula])


def _adjustments(sheet: _Sheet, data: RatingInput, t: _Tables) -> None:
    deductible_bp = t.tariff["deductible_coef_bp"][data.deductible_cents]
    sheet.scale(
        f"Franchise {_euros(data.deductible_cents)} {_percent(deductible_bp)}", deductible_bp
    )
    claims = data.claims_last_3_years
    claims_bp = t.tariff["claims_coef_bp"][min(claims, t.claims_top)]
    if claims == 0 and data.claims_not_yet_rated > 0:
        pending = data.claims_not_yet_rated
        label = (
            f"Bonus sans sinistre {_percent(claims_bp)} jusqu'à l'échéance, non reconduit "
            f"({pending} sinistre{'s' if pending > 1 else ''} déclaré{'s' if pending > 1 else ''})"
        )
    elif claims == 0:
        label = f"Bonus sans sinistre {_percent(claims_bp)}"
    else:
        label = (
            f"Majoration {claims} sinistre{'s' if claims > 1 else ''} en 3 ans "
            f"{_percent(claims_bp)}"
        )
    sheet.scale(label, claims_bp)


def _options(sheet: _Sheet, data: RatingInput, t: _Tables) -> int:
    """Add the options' lines; return the part of them that is property damage."""
    damage = 0
    for code in t.option_order:
        if code in data.options:
            option = t.tariff["options"][code]
            fixed, per_room = option["price"][data.property_type]
            amount = fixed + per_room * data.rooms
            sheet.add(f"Option {option['name']}", amount)
            damage += amount if option["damage"] else 0
    return damage


def _taxes(
    sheet: _Sheet, core_cents: int, damage_options_cents: int, data: RatingInput, tariff: dict
) -> None:
    damage = _apply_bp(core_cents, tariff["damage_share_bp"][data.formula]) + damage_options_cents
    catnat = _apply_bp(damage, tariff["catnat_bp"])
    sheet.add(f"Surprime catastrophes naturelles ({_rate(tariff['catnat_bp'])})", catnat)
    tsca = _apply_bp(sheet.total, tariff["tsca_bp"])
    sheet.add(f"Taxe sur les conventions d'assurance ({_rate(tariff['tsca_bp'])})", tsca)
    sheet.add("Contribution attentats", tariff["attentats_cents"])


def price(data: RatingInput, tariff: dict = CURRENT) -> Quote:
    """Price a home; raises RatingError (French message and field) for input that cannot be
    priced."""
    t = _tables(tariff)
    _validate(data, t)
    sheet = _Sheet()
    _home(sheet, data, tariff)
    _location(sheet, data, t)
    _furniture(sheet, data, tariff)
    _adjustments(sheet, data, t)
    core = sheet.total
    damage_options = _options(sheet, data, t)
    premium_excl_tax = sheet.total
    _taxes(sheet, core, damage_options, data, tariff)
    return Quote(
        version=tariff["version"],
        lines=sheet.lines,
        premium_excl_tax_cents=premium_excl_tax,
        taxes_cents=sheet.total - premium_excl_tax,
        annual_premium_cents=sheet.total,
        advice=advice(data, tariff),
    )


# ---- advice --------------------------------------------------------------------------------------


def advice(data: RatingInput, tariff: dict = CURRENT) -> list[str]:
    """Plain-French hints about the choices (never blocking)."""
    tips = []
    rules = tariff["advice"]
    advised = rules["capital_per_room_cents"] * data.rooms
    if data.occupancy != "landlord" and data.furniture_capital_cents < advised:
        tips.append(
            f"Votre capital mobilier semble faible pour {_rooms(data.rooms)} : comptez au "
            f"moins {money(advised)}."
        )
    reference = rules["deductible_with_claims_cents"]
    if data.claims_last_3_years > 0 and data.deductible_cents > reference:
        claims = data.claims_last_3_years
        tips.append(
            f"Avec {claims} sinistre{'s' if claims > 1 else ''} ces 3 dernières années, une "
            f"franchise de {money(data.deductible_cents)} restera à votre charge à chaque nouveau "
            f"sinistre : une franchise de {money(reference)} ou moins vous protège mieux."
        )
    if (
        data.property_type == "house"
        and data.formula == "INTEGRALE"
        and "JARDIN_PISCINE" not in data.options
    ):
        tips.append(
            "Votre maison a un jardin ou une piscine ? L'option Jardin et piscine protège arbres, "
            "plantations, mobilier de jardin et piscine."
        )
    if data.formula == "ESSENTIELLE":
        tips.append(
            "La formule Essentielle ne couvre ni le bris de glace ni le vol : la formule "
            "Confort les inclut."
        )
    return tips


# ---- instalments and prorata ---------------------------------------------------------------------


def instalment_cents(annual_cents: int, frequency: str) -> int:
    """The regular instalment for a payment frequency; the rounding rest goes on the last
    instalment."""
    try:
        per_year = FREQUENCIES[str(frequency)]
    except KeyError:
        raise ValueError(f"unknown payment frequency: {frequency!r}") from None
    return annual_cents // per_year


def prorata_cents(
    old_annual_cents: int,
    new_annual_cents: int,
    effective: date,
    period_start: date,
    period_end: date,
) -> int:
    """Signed premium difference for the days from ``effective`` to ``period_end`` inclusive.

    The period is the insurance year (365 or 366 days). Rounded to the cent, halves away from zero,
    so that an increase and the matching decrease give opposite amounts.
    """
    if not period_start <= effective <= period_end:
        raise ValueError(
            f"effective date {effective} outside the period {period_start} - {period_end}"
        )
    period_days = (period_end - period_start).days + 1
    remaining_days = (period_end - effective).days + 1
    return _div_half_up((new_annual_cents - old_annual_cents) * remaining_days, period_days)
