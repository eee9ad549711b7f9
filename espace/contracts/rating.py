"""What the rating engine (tariff.py) works with: its input, its quote and its error, the rounding
and the French labels of its lines, and the tariff's compiled lookups (the zone of a postal
code)."""

from __future__ import annotations

from dataclasses import dataclass, field

from espace.contracts.tariff_data import CURRENT
from espace.core.formatting import money

NBSP = "\u00a0"
MINUS = "\u2212"


@dataclass(frozen=True)
class RatingInput:
    postal_code: str
    property_type: str  # "house" | "flat"
    rooms: int
    surface_m2: int
    occupancy: str  # "owner" | "tenant" | "landlord"
    formula: str  # "ESSENTIELLE" | "CONFORT" | "INTEGRALE"
    furniture_capital_cents: int
    deductible_cents: int
    options: frozenset[str] = frozenset()
    claims_last_3_years: int = 0
    # Claims the holder declared that the coefficient above does not count yet (it is set at the
    # anniversary):
    # with a no-claims bonus they make it "not renewed", never "earned".
    claims_not_yet_rated: int = 0


@dataclass(frozen=True)
class PriceLine:
    label: str
    amount_cents: int  # signed: bonuses and discounts are negative


@dataclass(frozen=True)
class Quote:
    version: str
    lines: list[PriceLine]
    premium_excl_tax_cents: int
    taxes_cents: int
    annual_premium_cents: int  # taxes included; the lines add up exactly to it
    advice: list[str] = field(default_factory=list)


class RatingError(ValueError):
    """Input that cannot be priced: ``message`` in French for the person, ``field`` of
    RatingInput."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# ---- rounding and labels -------------------------------------------------------------------------


def _div_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero (symmetric)."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    n, d = abs(numerator), abs(denominator)
    return sign * ((2 * n + d) // (2 * d))


def _apply_bp(amount: int, coef_bp: int) -> int:
    return _div_half_up(amount * coef_bp, 10_000)


def _euros(cents: int) -> str:
    """money() without ",00" for whole euros: "15 000 €"."""
    text = money(cents)
    return text.replace(",00", "") if cents % 100 == 0 else text


def _coef(coef_bp: int) -> str:
    return f"{coef_bp / 10_000:.2f}".replace(".", ",")


def _percent(coef_bp: int) -> str:
    """11_500 -> "+15 %", 9_500 -> "−5 %"."""
    delta = coef_bp - 10_000
    value = f"{abs(delta) / 100:g}".replace(".", ",")
    return f"{'+' if delta >= 0 else MINUS}{value}{NBSP}%"


def _rate(rate_bp: int) -> str:
    """900 -> "9 %"."""
    return f"{rate_bp / 100:g}".replace(".", ",") + f"{NBSP}%"


def _rooms(n: int) -> str:
    return f"{n} pièce" if n == 1 else f"{n} pièces"


# ---- compiled lookups ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tables:
    tariff: dict
    zone_of_dept: dict[str, tuple[int, int]]  # département -> (zone number, coefficient bp)
    deductibles_text: str
    claims_top: int
    option_order: tuple[str, ...]


_COMPILED: dict[int, _Tables] = {}


def _compile(tariff: dict) -> _Tables:
    zones = tariff["zones"]
    zone_of_dept = {
        dept: (zone, zones[zone]["coef_bp"]) for dept, zone in tariff["zone_of_departement"].items()
    }
    levels = [_euros(level) for level in sorted(tariff["deductible_coef_bp"])]
    text = levels[0] if len(levels) == 1 else f"{', '.join(levels[:-1])} ou {levels[-1]}"
    return _Tables(
        tariff=tariff,
        zone_of_dept=zone_of_dept,
        deductibles_text=text,
        claims_top=max(tariff["claims_coef_bp"]),
        option_order=tuple(tariff["options"]),
    )


def _tables(tariff: dict) -> _Tables:
    tables = _COMPILED.get(id(tariff))
    if tables is None or tables.tariff is not tariff:
        tables = _COMPILED[id(tariff)] = _compile(tariff)
    return tables


_tables(CURRENT)  # precompute at import


def departement_of(postal_code: str) -> str | None:
    """INSEE département code of a French postal code: "69006" -> "69", "20000" -> "2A", "97110" ->
    "971"."""
    code = (postal_code or "").strip()
    if len(code) != 5 or not (code.isascii() and code.isdigit()):
        return None
    if code.startswith("97"):
        return code[:3]
    if code.startswith("20"):  # Corsica: 200xx-201xx Corse-du-Sud, 202xx and above Haute-Corse
        return "2A" if code < "20200" else "2B"
    return code[:2]


def zone_of(postal_code: str, tariff: dict = CURRENT) -> int | None:
    entry = _tables(tariff).zone_of_dept.get(departement_of(postal_code) or "")
    return entry[0] if entry else None
