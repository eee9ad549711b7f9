"""The rating engine: golden cases computed by hand, invariants, validation, zones, prorata.

Hand arithmetic uses the 2026-01 tariff (espace/contracts/tariff_data.py). Each step is rounded half
up to the cent: "x → y" below shows the exact value and its rounding.
"""

import random
from dataclasses import replace
from datetime import date

import pytest

from espace.contracts import tariff_data
from espace.contracts.catalogue_data import OPTIONS
from espace.contracts.cover_data import COVER
from espace.contracts.models import PaymentFrequency
from espace.contracts.rating import (
    PriceLine,
    Quote,
    RatingError,
    RatingInput,
    departement_of,
    zone_of,
)
from espace.contracts.tariff import advice, instalment_cents, price, prorata_cents

NNBSP = "\u202f"  # thousands separator in French amounts
NBSP = "\u00a0"
EUR = f"{NBSP}€"
PCT = f"{NBSP}%"
M2 = f"{NBSP}m²"

TAX_LINES = (
    "Surprime catastrophes naturelles (20" + PCT + ")",
    "Taxe sur les conventions d'assurance (9" + PCT + ")",
    "Contribution attentats",
)


def lines(quote: Quote) -> list[tuple[str, int]]:
    return [(line.label, line.amount_cents) for line in quote.lines]


# ---- golden cases -------------------------------------------------------------------------------

LYON = RatingInput(
    postal_code="69006",
    property_type="flat",
    rooms=3,
    surface_m2=68,
    occupancy="tenant",
    formula="CONFORT",
    furniture_capital_cents=2_500_000,
    deductible_cents=15_000,
)


def test_golden_lyon_flat_confort_tenant():
    quote = price(LYON)
    assert lines(quote) == [
        ("Base Confort — appartement", 9_500),
        (f"2 pièces supplémentaires × 19{EUR}", 3_800),  # 2 × 19,00 → 13 300
        (f"Surface au-delà de 60{M2} : 8{M2} × 0,60{EUR}", 480),  # (68 − 60) × 0,60 → 13 780
        ("Zone 3 (Rhône) × 1,15", 2_067),  # 13 780 × 1,15 = 15 847
        ("Locataire × 0,85", -2_377),  # 15 847 × 0,85 = 13 469,95 → 13 470
        (
            f"Capital mobilier au-delà de 15{NNBSP}000{EUR}",
            2_300,
        ),  # 3 × 5 000 incl.; 10 × 2,30 → 15 770
        (f"Franchise 150{EUR} +5{PCT}", 789),  # 15 770 × 1,05 = 16 558,5 → 16 559
        (f"Bonus sans sinistre −5{PCT}", -828),  # 16 559 × 0,95 = 15 731,05 → 15 731 (HT)
        (TAX_LINES[0], 2_517),  # 15 731 × 0,80 = 12 584,8 → 12 585; × 20 % = 2 517
        (TAX_LINES[1], 1_642),  # (15 731 + 2 517) × 9 % = 1 642,32 → 1 642
        (TAX_LINES[2], 590),
    ]
    assert quote.premium_excl_tax_cents == 15_731
    assert quote.taxes_cents == 4_749  # 2 517 + 1 642 + 590
    assert quote.annual_premium_cents == 20_480  # 15 731 + 4 749 = 204,80 € TTC
    assert quote.version == "2026-01"
    assert quote.advice == []


CARNAC = RatingInput(
    postal_code="56340",
    property_type="house",
    rooms=5,
    surface_m2=112,
    occupancy="owner",
    formula="INTEGRALE",
    furniture_capital_cents=6_000_000,
    deductible_cents=30_000,
    options=frozenset({"JARDIN_PISCINE", "OBJETS_VALEUR"}),
)


def test_golden_carnac_house_integrale_owner_with_options():
    quote = price(CARNAC)
    assert lines(quote) == [
        ("Base Intégrale — maison", 19_500),
        (f"4 pièces supplémentaires × 34{EUR}", 13_600),  # 4 × 34 → 33 100
        (f"Surface au-delà de 100{M2} : 12{M2} × 0,50{EUR}", 600),  # 12 × 0,50 → 33 700
        ("Zone 5 (Morbihan) × 1,20", 6_740),  # 33 700 × 1,20 = 40 440; owner × 1,00: no line
        (
            f"Capital mobilier au-delà de 30{NNBSP}000{EUR}",
            7_200,
        ),  # 5 × 6 000 incl.; 30 × 2,40 → 47 640
        # deductible 300 € × 1,00: no line
        (f"Bonus sans sinistre −5{PCT}", -2_382),  # 47 640 × 0,95 = 45 258
        ("Option Objets de valeur", 3_600),  # catalogue order
        ("Option Jardin et piscine", 4_800),  # HT = 45 258 + 8 400 = 53 658
        (
            TAX_LINES[0],
            8_559,
        ),  # (45 258 × 0,76 = 34 396,08 → 34 396) + 8 400 = 42 796; × 20 % = 8 559,2 → 8 559
        (TAX_LINES[1], 5_600),  # (53 658 + 8 559) × 9 % = 62 217 × 9 % = 5 599,53 → 5 600
        (TAX_LINES[2], 590),
    ]
    assert quote.premium_excl_tax_cents == 53_658
    assert quote.taxes_cents == 14_749  # 8 559 + 5 600 + 590
    assert quote.annual_premium_cents == 68_407  # 684,07 € TTC
    assert quote.advice == []  # Jardin et piscine taken, capital 12 000 € a room


def test_golden_paris_landlord_furnished_studio():
    data = RatingInput(
        postal_code="75011",
        property_type="flat",
        rooms=1,
        surface_m2=22,
        occupancy="landlord",
        formula="ESSENTIELLE",
        furniture_capital_cents=500_000,
        deductible_cents=30_000,
        options=frozenset({"PROTECTION_JURIDIQUE"}),
    )
    quote = price(data)
    assert lines(quote) == [
        ("Base Essentielle — appartement", 7_000),  # 1 room: no extra room; 22 m² < 60 m²
        ("Zone 4 (Paris) × 1,30", 2_100),  # 7 000 × 1,30 = 9 100
        ("Propriétaire non occupant × 0,70", -2_730),  # 9 100 × 0,70 = 6 370
        (
            f"Mobilier du logement loué (5{NNBSP}000{EUR})",
            1_000,
        ),  # nothing included: 5 × 2,00 → 7 370
        (f"Bonus sans sinistre −5{PCT}", -368),  # 7 370 × 0,95 = 7 001,5 → 7 002 (half up)
        ("Option Protection juridique", 2_400),  # HT = 9 402
        (
            TAX_LINES[0],
            1_120,
        ),  # 7 002 × 0,80 = 5 601,6 → 5 602 (PJ is no damage); × 20 % = 1 120,4 → 1 120
        (TAX_LINES[1], 947),  # (9 402 + 1 120) × 9 % = 946,98 → 947
        (TAX_LINES[2], 590),
    ]
    assert quote.annual_premium_cents == 12_059  # 9 402 + 1 120 + 947 + 590 = 120,59 €
    assert quote.advice == [
        "La formule Essentielle ne couvre ni le bris de glace ni le vol : la formule Confort "
        "les inclut."
    ]


def test_golden_rural_house_with_two_claims():
    data = RatingInput(
        postal_code="23000",
        property_type="house",
        rooms=4,
        surface_m2=95,
        occupancy="owner",
        formula="CONFORT",
        furniture_capital_cents=2_000_000,
        deductible_cents=50_000,
        claims_last_3_years=2,
    )
    quote = price(data)
    assert lines(quote) == [
        ("Base Confort — maison", 17_000),
        (f"3 pièces supplémentaires × 30{EUR}", 9_000),  # → 26 000; 95 m² ≤ 100 m²: no surface line
        (
            "Zone 1 (Creuse) × 0,85",
            -3_900,
        ),  # 26 000 × 0,85 = 22 100; capital 20 000 € = 4 × 5 000 included
        (f"Franchise 500{EUR} −5{PCT}", -1_105),  # 22 100 × 0,95 = 20 995
        (
            f"Majoration 2 sinistres en 3 ans +15{PCT}",
            3_149,
        ),  # 20 995 × 1,15 = 24 144,25 → 24 144 (HT)
        (TAX_LINES[0], 3_863),  # 24 144 × 0,80 = 19 315,2 → 19 315; × 20 % = 3 863
        (TAX_LINES[1], 2_521),  # (24 144 + 3 863) × 9 % = 2 520,63 → 2 521
        (TAX_LINES[2], 590),
    ]
    assert quote.annual_premium_cents == 31_118  # 24 144 + 3 863 + 2 521 + 590 = 311,18 €
    assert quote.advice == [
        f"Avec 2 sinistres ces 3 dernières années, une franchise de 500,00{EUR} restera à votre "
        f"charge à chaque nouveau sinistre : une franchise de 300,00{EUR} ou moins vous protège "
        "mieux."
    ]


def test_golden_corsica_flat_with_one_claim():
    data = RatingInput(
        postal_code="20000",
        property_type="flat",
        rooms=2,
        surface_m2=45,
        occupancy="owner",
        formula="CONFORT",
        furniture_capital_cents=1_200_000,
        deductible_cents=30_000,
        options=frozenset({"BRIS_GLACE"}),
        claims_last_3_years=1,
    )
    quote = price(data)
    assert lines(quote) == [
        ("Base Confort — appartement", 9_500),
        (f"1 pièce supplémentaire × 19{EUR}", 1_900),  # → 11 400
        ("Zone 5 (Corse-du-Sud) × 1,20", 2_280),  # 11 400 × 1,20 = 13 680
        (
            f"Capital mobilier au-delà de 10{NNBSP}000{EUR}",
            460,
        ),  # 2 × 2,30 → 14 140; 1 claim: neutral
        ("Option Bris de glace renforcé", 1_600),  # 12 + 2 × 2 = 16 → HT 15 740
        (
            TAX_LINES[0],
            2_582,
        ),  # (14 140 × 0,80 = 11 312) + 1 600 = 12 912; × 20 % = 2 582,4 → 2 582
        (TAX_LINES[1], 1_649),  # (15 740 + 2 582) × 9 % = 1 648,98 → 1 649
        (TAX_LINES[2], 590),
    ]
    assert quote.annual_premium_cents == 20_561  # 15 740 + 2 582 + 1 649 + 590 = 205,61 €


def test_golden_guadeloupe_house_essentielle_tenant():
    data = RatingInput(
        postal_code="97110",
        property_type="house",
        rooms=3,
        surface_m2=70,
        occupancy="tenant",
        formula="ESSENTIELLE",
        furniture_capital_cents=1_000_000,
        deductible_cents=100_000,
        options=frozenset({"ASSISTANCE_PLUS"}),
    )
    quote = price(data)
    assert lines(quote) == [
        ("Base Essentielle — maison", 12_000),
        (f"2 pièces supplémentaires × 22{EUR}", 4_400),  # → 16 400
        ("Zone 6 (Guadeloupe) × 1,40", 6_560),  # 16 400 × 1,40 = 22 960
        (
            "Locataire × 0,85",
            -3_444,
        ),  # 22 960 × 0,85 = 19 516; capital 10 000 € < 12 000 € included
        (f"Franchise 1{NNBSP}000{EUR} −12{PCT}", -2_342),  # 19 516 × 0,88 = 17 174,08 → 17 174
        (f"Bonus sans sinistre −5{PCT}", -859),  # 17 174 × 0,95 = 16 315,3 → 16 315
        ("Option Assistance renforcée", 2_400),  # HT 18 715
        (
            TAX_LINES[0],
            2_610,
        ),  # 16 315 × 0,80 = 13 052 (assistance is no damage); × 20 % = 2 610,4 → 2 610
        (TAX_LINES[1], 1_919),  # (18 715 + 2 610) × 9 % = 1 919,25 → 1 919
        (TAX_LINES[2], 590),
    ]
    assert quote.annual_premium_cents == 23_834  # 18 715 + 2 610 + 1 919 + 590 = 238,34 €
    assert quote.advice == [
        "Votre capital mobilier semble faible pour 3 pièces : comptez au moins "
        f"15{NNBSP}000,00{EUR}.",
        "La formule Essentielle ne couvre ni le bris de glace ni le vol : la formule Confort "
        "les inclut.",
    ]


def test_market_orders_of_magnitude():
    # A 3-room flat in a mid zone (Dijon) in Confort: 150-250 € TTC; a 5-room house: 350-600 €.
    flat = replace(LYON, postal_code="21000", occupancy="owner", deductible_cents=30_000)
    house = RatingInput(
        postal_code="21000",
        property_type="house",
        rooms=5,
        surface_m2=110,
        occupancy="owner",
        formula="CONFORT",
        furniture_capital_cents=3_000_000,
        deductible_cents=30_000,
    )
    assert 15_000 <= price(flat).annual_premium_cents <= 25_000
    assert 35_000 <= price(house).annual_premium_cents <= 60_000
    assert 35_000 <= price(replace(house, formula="INTEGRALE")).annual_premium_cents <= 60_000


# ---- invariants over many homes ------------------------------------------------------------------


def random_inputs(n: int, seed: int = 2026) -> list[RatingInput]:
    rng = random.Random(seed)
    postal = [
        "69006",
        "75011",
        "13001",
        "23000",
        "56340",
        "20000",
        "20200",
        "97110",
        "97400",
        "21000",
        "33000",
    ]
    result = []
    while len(result) < n:
        rooms = rng.randint(1, 12)
        data = RatingInput(
            postal_code=rng.choice(postal),
            property_type=rng.choice(["flat", "house"]),
            rooms=rooms,
            surface_m2=max(9, rooms * rng.randint(7, 45)),
            occupancy=rng.choice(["owner", "tenant", "landlord"]),
            formula=rng.choice(["ESSENTIELLE", "CONFORT", "INTEGRALE"]),
            furniture_capital_cents=rng.randrange(300_000, 20_000_001, 50_000),
            deductible_cents=rng.choice([15_000, 30_000, 50_000, 100_000]),
            options=frozenset(rng.sample([o[0] for o in OPTIONS], rng.randint(0, 3))),
            claims_last_3_years=rng.choice([0, 0, 0, 1, 2, 3, 5]),
        )
        try:
            price(data)
        except RatingError:
            continue
        result.append(data)
    return result


SAMPLE = random_inputs(400)


def test_lines_add_up_exactly():
    for data in SAMPLE:
        quote = price(data)
        assert sum(line.amount_cents for line in quote.lines) == quote.annual_premium_cents
        assert quote.premium_excl_tax_cents + quote.taxes_cents == quote.annual_premium_cents
        assert [line.label for line in quote.lines[-3:]] == list(TAX_LINES)
        assert sum(line.amount_cents for line in quote.lines[:-3]) == quote.premium_excl_tax_cents
        assert quote.lines[-1].amount_cents == 590
        assert all(
            isinstance(line, PriceLine) and isinstance(line.amount_cents, int)
            for line in quote.lines
        )


def total(data: RatingInput) -> int:
    return price(data).annual_premium_cents


def test_more_rooms_never_cost_less():
    checked = 0
    for data in SAMPLE:
        if data.rooms < 20 and data.surface_m2 >= 7 * (data.rooms + 1):
            assert total(replace(data, rooms=data.rooms + 1)) >= total(data), data
            checked += 1
    assert checked > 100
    # worst case for the invariant: the capital exactly covered by the included capital of the extra
    # room
    for formula in ("ESSENTIELLE", "CONFORT", "INTEGRALE"):
        for kind in ("flat", "house"):
            for rooms in range(1, 20):
                data = RatingInput("23000", kind, rooms, 300, "tenant", formula, 10_000_000, 30_000)
                assert total(replace(data, rooms=rooms + 1)) >= total(data), data


def test_more_capital_or_surface_never_cost_less():
    for data in SAMPLE:
        assert total(
            replace(data, furniture_capital_cents=data.furniture_capital_cents + 100_000)
        ) >= total(data)
        assert total(
            replace(data, furniture_capital_cents=data.furniture_capital_cents + 1)
        ) >= total(data)
        assert total(replace(data, surface_m2=data.surface_m2 + 10)) >= total(data)


def test_lower_deductible_never_costs_less():
    levels = [15_000, 30_000, 50_000, 100_000]
    for data in SAMPLE:
        premiums = [total(replace(data, deductible_cents=level)) for level in levels]
        assert premiums == sorted(premiums, reverse=True), data
        assert premiums[0] > premiums[-1]


def test_more_claims_never_cost_less():
    for data in SAMPLE:
        premiums = [total(replace(data, claims_last_3_years=n)) for n in range(0, 8)]
        assert premiums == sorted(premiums), data
        assert (
            premiums[0] < premiums[2] < premiums[3] == premiums[7]
        )  # 3 and more: the same surcharge


def test_integrale_confort_essentielle_in_order():
    for data in SAMPLE:
        bare = replace(data, options=frozenset())
        e, c, i = (total(replace(bare, formula=f)) for f in ("ESSENTIELLE", "CONFORT", "INTEGRALE"))
        assert e < c < i, data


def test_options_add_their_price():
    base = replace(CARNAC, options=frozenset())
    # Jardin et piscine: 48 € HT, damage: + 48 × 20 % catnat = 9,60, then 9 % TSCA on 57,60 = 5,184
    assert total(replace(base, options=frozenset({"JARDIN_PISCINE"}))) - total(
        base
    ) == pytest.approx(4_800 + 960 + 518, abs=1)


def test_price_is_deterministic_and_quote_frozen():
    assert price(CARNAC) == price(CARNAC)
    with pytest.raises(AttributeError):
        price(CARNAC).annual_premium_cents = 0  # type: ignore[misc]


# ---- validation ----------------------------------------------------------------------------------

CAPITAL_RANGE = (
    f"Le capital mobilier doit être compris entre 3{NNBSP}000{EUR} et 300{NNBSP}000{EUR}."
)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"furniture_capital_cents": -100}, "furniture_capital_cents", CAPITAL_RANGE),
        ({"furniture_capital_cents": 0}, "furniture_capital_cents", CAPITAL_RANGE),
        ({"furniture_capital_cents": 299_999}, "furniture_capital_cents", CAPITAL_RANGE),
        ({"furniture_capital_cents": 30_000_001}, "furniture_capital_cents", CAPITAL_RANGE),
        (
            {"occupancy": "landlord", "furniture_capital_cents": 100_000},
            "furniture_capital_cents",
            "Le capital mobilier doit être nul (location vide) ou compris entre "
            f"3{NNBSP}000{EUR} et 300{NNBSP}000{EUR}.",
        ),
        (
            {"surface_m2": 8, "rooms": 1},
            "surface_m2",
            f"Surface impossible pour 1 pièce : 8{M2} (minimum 9{M2}).",
        ),
        (
            {"surface_m2": 20},
            "surface_m2",
            f"Surface impossible pour 3 pièces : 20{M2} (au moins 7{M2} par pièce, soit 21{M2}).",
        ),
        (
            {"surface_m2": 1_200},
            "surface_m2",
            f"Surface impossible pour 3 pièces : 1{NNBSP}200{M2} (maximum 1{NNBSP}000{M2}).",
        ),
        (
            {"surface_m2": -5},
            "surface_m2",
            f"Surface impossible pour 3 pièces : -5{M2} (au moins 7{M2} par pièce, soit 21{M2}).",
        ),
        ({"rooms": 0}, "rooms", "Le nombre de pièces doit être compris entre 1 et 20."),
        (
            {"rooms": 21, "surface_m2": 400},
            "rooms",
            "Le nombre de pièces doit être compris entre 1 et 20.",
        ),
        ({"postal_code": "99999"}, "postal_code", "Code postal inconnu : 99999."),
        ({"postal_code": "00100"}, "postal_code", "Code postal inconnu : 00100."),
        ({"postal_code": "98000"}, "postal_code", "Code postal inconnu : 98000."),
        ({"postal_code": "6900"}, "postal_code", "Code postal inconnu : 6900."),
        ({"postal_code": "Lyon"}, "postal_code", "Code postal inconnu : Lyon."),
        (
            {"deductible_cents": 20_000},
            "deductible_cents",
            f"Franchise non proposée : 200{EUR}. Choisissez 150{EUR}, 300{EUR}, 500{EUR} ou "
            f"1{NNBSP}000{EUR}.",
        ),
        ({"formula": "PREMIUM"}, "formula", "Formule inconnue : PREMIUM."),
        ({"property_type": "boat"}, "property_type", "Type de logement inconnu : boat."),
        ({"occupancy": "guest"}, "occupancy", "Occupation du logement inconnue : guest."),
        (
            {"claims_last_3_years": -1},
            "claims_last_3_years",
            "Le nombre de sinistres des 3 dernières années doit être compris entre 0 et 20.",
        ),
        ({"options": frozenset({"CAVE"})}, "options", "Option inconnue : CAVE."),
        (
            {"options": frozenset({"JARDIN_PISCINE"})},
            "options",
            "L'option Jardin et piscine est réservée aux maisons.",
        ),
        (
            {"options": frozenset({"OBJETS_VALEUR"}), "furniture_capital_cents": 1_999_999},
            "options",
            f"L'option Objets de valeur demande un capital mobilier d'au moins 20{NNBSP}000{EUR}.",
        ),
        (
            {"options": frozenset({"PROTECTION_JURIDIQUE"}), "formula": "INTEGRALE"},
            "options",
            "L'option Protection juridique est déjà incluse dans la formule Intégrale.",
        ),
        (
            {"options": frozenset({"BRIS_GLACE"}), "formula": "ESSENTIELLE"},
            "options",
            "L'option Bris de glace renforcé demande une formule qui couvre le bris de glace "
            "(Confort ou Intégrale).",
        ),
        (
            {"options": frozenset({"OBJETS_VALEUR"}), "occupancy": "landlord"},
            "options",
            "L'option Objets de valeur n'est pas proposée à un propriétaire non occupant.",
        ),
    ],
)
def test_validation_errors(changes, field, message):
    with pytest.raises(RatingError) as caught:
        price(replace(LYON, **changes))
    assert caught.value.field == field
    assert caught.value.message == message
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)
    assert field in RatingInput.__dataclass_fields__ or field == "options"


@pytest.mark.parametrize(
    "changes",
    [
        {"furniture_capital_cents": 300_000},
        {"furniture_capital_cents": 30_000_000},
        {"occupancy": "landlord", "furniture_capital_cents": 0},
        {"rooms": 1, "surface_m2": 9},
        {"surface_m2": 21},
        {"surface_m2": 1_000},
        {"rooms": 20, "surface_m2": 140},
        {"claims_last_3_years": 20},
        {"options": frozenset({"OBJETS_VALEUR"}), "furniture_capital_cents": 2_000_000},
        {"options": frozenset({"PROTECTION_JURIDIQUE", "BRIS_GLACE", "ASSISTANCE_PLUS"})},
        {"postal_code": " 69006 "},
    ],
)
def test_limits_accepted(changes):
    assert price(replace(LYON, **changes)).annual_premium_cents > 0


# ---- zones ------------------------------------------------------------------------------------

METROPOLITAN = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
OVERSEAS = [str(n) for n in range(971, 977)]


def test_every_departement_has_a_zone():
    mapping = tariff_data.CURRENT["zone_of_departement"]
    assert set(mapping) == set(METROPOLITAN + OVERSEAS) == set(tariff_data.DEPARTEMENTS)
    assert len(METROPOLITAN) == 96
    assert set(mapping.values()) <= set(tariff_data.CURRENT["zones"])
    assert len(tariff_data.CURRENT["zones"]) >= 5


@pytest.mark.parametrize("dept", [d for d in METROPOLITAN if d not in ("2A", "2B")])
def test_metropolitan_postal_codes(dept):
    assert departement_of(f"{dept}100") == dept
    assert zone_of(f"{dept}100") is not None


@pytest.mark.parametrize(
    "postal_code, dept, zone",
    [
        ("20000", "2A", 5),
        ("20167", "2A", 5),
        ("20199", "2A", 5),
        ("20200", "2B", 5),
        ("20620", "2B", 5),
        ("97110", "971", 6),
        ("97200", "972", 6),
        ("97300", "973", 6),
        ("97400", "974", 6),
        ("97500", "975", 6),
        ("97600", "976", 6),
        ("97133", "971", 6),
        ("69006", "69", 3),
        ("75011", "75", 4),
        ("13001", "13", 4),
        ("23000", "23", 1),
        ("21000", "21", 2),
        ("56340", "56", 5),
    ],
)
def test_special_postal_codes(postal_code, dept, zone):
    assert departement_of(postal_code) == dept
    assert zone_of(postal_code) == zone


@pytest.mark.parametrize(
    "postal_code", ["97700", "97800", "98000", "96000", "00000", "1234", "123456", "", "2A004"]
)
def test_unknown_postal_codes(postal_code):
    assert zone_of(postal_code) is None


def test_zone_coefficients_rank_risks():
    zones = {n: z["coef_bp"] for n, z in tariff_data.CURRENT["zones"].items()}
    rural, mid, city, paris, coast, overseas = (zones[n] for n in range(1, 7))
    assert rural < mid < city < paris and mid < coast < overseas


# ---- consistency with the catalogue -------------------------------------------------------------


def test_options_match_the_catalogue():
    options = tariff_data.CURRENT["options"]
    assert [(code, o["name"]) for code, o in options.items()] == [
        (code, name) for code, name, *_ in OPTIONS
    ]


@pytest.mark.parametrize("formula", ["ESSENTIELLE", "CONFORT", "INTEGRALE"])
def test_formula_covers_match_the_catalogue(formula):
    covers = tariff_data.CURRENT["formula_covers"][formula]
    assert ("glass" in covers) == ("BRIS_GLACE" in COVER[formula])
    assert ("theft" in covers) == ("VOL" in COVER[formula])
    assert ("legal" in covers) == ("PROTECTION_JURIDIQUE" in COVER[formula])


# ---- advice --------------------------------------------------------------------------------------


def test_advice():
    assert advice(LYON) == []
    low = replace(LYON, furniture_capital_cents=1_400_000)
    assert advice(low) == [
        "Votre capital mobilier semble faible pour 3 pièces : comptez au moins "
        f"15{NNBSP}000,00{EUR}."
    ]
    assert advice(replace(low, occupancy="landlord")) == []  # a landlord insures no contents
    assert advice(replace(LYON, rooms=1, furniture_capital_cents=400_000)) == [
        f"Votre capital mobilier semble faible pour 1 pièce : comptez au moins 5{NNBSP}000,00{EUR}."
    ]
    assert advice(replace(LYON, deductible_cents=100_000, claims_last_3_years=1)) == [
        f"Avec 1 sinistre ces 3 dernières années, une franchise de 1{NNBSP}000,00{EUR} restera à "
        f"votre charge à chaque nouveau sinistre : une franchise de 300,00{EUR} ou moins vous "
        "protège mieux."
    ]
    assert advice(replace(LYON, deductible_cents=30_000, claims_last_3_years=3)) == []
    assert advice(replace(CARNAC, options=frozenset())) == [
        "Votre maison a un jardin ou une piscine ? L'option Jardin et piscine protège arbres, "
        "plantations, mobilier de jardin et piscine."
    ]
    assert price(replace(LYON, formula="ESSENTIELLE")).advice == [
        "La formule Essentielle ne couvre ni le bris de glace ni le vol : la formule Confort "
        "les inclut."
    ]


# ---- instalments and prorata ---------------------------------------------------------------------


def test_instalments():
    assert (
        instalment_cents(20_480, "monthly") == 1_706
    )  # 20 480 / 12 = 1 706,67; the last one takes 1 714
    assert instalment_cents(20_480, PaymentFrequency.QUARTERLY) == 5_120
    assert (
        instalment_cents(20_481, "quarterly") == 5_120
    )  # the rest (1) goes on the last instalment
    assert instalment_cents(20_480, "annual") == 20_480
    with pytest.raises(ValueError):
        instalment_cents(20_480, "weekly")


YEAR = (date(2026, 1, 1), date(2026, 12, 31))  # 365 days
LEAP = (date(2028, 1, 1), date(2028, 12, 31))  # 366 days


def test_prorata_mid_year_is_about_half():
    # 2 July to 31 December: 183 days; 10 000 × 183 / 365 = 5 013,70 → 5 014
    assert prorata_cents(20_000, 30_000, date(2026, 7, 2), *YEAR) == 5_014
    # leap year: 10 000 × 183 / 366 = 5 000 exactly
    assert prorata_cents(20_000, 30_000, date(2028, 7, 2), *LEAP) == 5_000


def test_prorata_decrease_is_negative_and_symmetric():
    assert prorata_cents(30_000, 20_000, date(2026, 7, 2), *YEAR) == -5_014
    assert prorata_cents(20_480, 20_480, date(2026, 7, 2), *YEAR) == 0


def test_prorata_first_and_last_day():
    assert (
        prorata_cents(20_000, 30_000, date(2026, 12, 31), *YEAR) == 27
    )  # 10 000 / 365 = 27,40 → 27
    assert prorata_cents(20_000, 30_000, date(2026, 1, 1), *YEAR) == 10_000  # the whole year
    # an insurance year from an anniversary: 15 April 2026 - 14 April 2027, change on 14 April 2027
    assert (
        prorata_cents(68_407, 20_480, date(2027, 4, 14), date(2026, 4, 15), date(2027, 4, 14))
        == -131
    )
    # −47 927 / 365 = −131,31 → −131


def test_prorata_rounds_halves_away_from_zero():
    # 61 × 3 days / 366 = 0,5 → 1 ; and −1 for the decrease
    assert prorata_cents(0, 61, date(2028, 12, 29), *LEAP) == 1
    assert prorata_cents(61, 0, date(2028, 12, 29), *LEAP) == -1


def test_prorata_effective_outside_the_period():
    with pytest.raises(ValueError):
        prorata_cents(20_000, 30_000, date(2027, 1, 1), *YEAR)
    with pytest.raises(ValueError):
        prorata_cents(20_000, 30_000, date(2025, 12, 31), *YEAR)
