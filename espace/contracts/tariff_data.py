"""The MRH rating data ("tarif"), versioned. Pure data: the arithmetic is in ``tariff.py``.

Conventions:
- amounts are integer cents, before taxes (HT) unless stated otherwise;
- coefficients are integers in basis points of 1: ``11_500`` means "× 1,15";
- a new tariff is a new constant (``TARIFF_2027 = {...}``) and ``CURRENT`` moves to it; quotes
  and endorsements record the ``version`` they were priced with.

Where the values come from:
- "law": fixed by a text (code des assurances, code général des impôts), cited next to it;
- "market": orders of magnitude of the French MRH market in 2025-2026 (comparators, FFA/France
  Assureurs statistics: average MRH premium around 200-250 € TTC a year for a flat and 350-450 € for
  a house), calibrated so that a 3-room flat in a mid zone costs about 150-250 € TTC in Confort and
  a 5-room house about 350-600 €. They are this product's pricing choices, not regulated figures.
"""

from __future__ import annotations

from typing import Any

PROPERTY_NAMES = {"flat": "appartement", "house": "maison"}
PROPERTY_PLURALS = {"flat": "appartements", "house": "maisons"}
OCCUPANCY_NAMES = {
    "owner": "Propriétaire occupant",
    "tenant": "Locataire",
    "landlord": "Propriétaire non occupant",
}

# Départements (INSEE code -> name), metropolitan 01-95 (Corsica as 2A/2B) and overseas 971-976.
DEPARTEMENTS = {
    "01": "Ain",
    "02": "Aisne",
    "03": "Allier",
    "04": "Alpes-de-Haute-Provence",
    "05": "Hautes-Alpes",
    "06": "Alpes-Maritimes",
    "07": "Ardèche",
    "08": "Ardennes",
    "09": "Ariège",
    "10": "Aube",
    "11": "Aude",
    "12": "Aveyron",
    "13": "Bouches-du-Rhône",
    "14": "Calvados",
    "15": "Cantal",
    "16": "Charente",
    "17": "Charente-Maritime",
    "18": "Cher",
    "19": "Corrèze",
    "2A": "Corse-du-Sud",
    "2B": "Haute-Corse",
    "21": "Côte-d'Or",
    "22": "Côtes-d'Armor",
    "23": "Creuse",
    "24": "Dordogne",
    "25": "Doubs",
    "26": "Drôme",
    "27": "Eure",
    "28": "Eure-et-Loir",
    "29": "Finistère",
    "30": "Gard",
    "31": "Haute-Garonne",
    "32": "Gers",
    "33": "Gironde",
    "34": "Hérault",
    "35": "Ille-et-Vilaine",
    "36": "Indre",
    "37": "Indre-et-Loire",
    "38": "Isère",
    "39": "Jura",
    "40": "Landes",
    "41": "Loir-et-Cher",
    "42": "Loire",
    "43": "Haute-Loire",
    "44": "Loire-Atlantique",
    "45": "Loiret",
    "46": "Lot",
    "47": "Lot-et-Garonne",
    "48": "Lozère",
    "49": "Maine-et-Loire",
    "50": "Manche",
    "51": "Marne",
    "52": "Haute-Marne",
    "53": "Mayenne",
    "54": "Meurthe-et-Moselle",
    "55": "Meuse",
    "56": "Morbihan",
    "57": "Moselle",
    "58": "Nièvre",
    "59": "Nord",
    "60": "Oise",
    "61": "Orne",
    "62": "Pas-de-Calais",
    "63": "Puy-de-Dôme",
    "64": "Pyrénées-Atlantiques",
    "65": "Hautes-Pyrénées",
    "66": "Pyrénées-Orientales",
    "67": "Bas-Rhin",
    "68": "Haut-Rhin",
    "69": "Rhône",
    "70": "Haute-Saône",
    "71": "Saône-et-Loire",
    "72": "Sarthe",
    "73": "Savoie",
    "74": "Haute-Savoie",
    "75": "Paris",
    "76": "Seine-Maritime",
    "77": "Seine-et-Marne",
    "78": "Yvelines",
    "79": "Deux-Sèvres",
    "80": "Somme",
    "81": "Tarn",
    "82": "Tarn-et-Garonne",
    "83": "Var",
    "84": "Vaucluse",
    "85": "Vendée",
    "86": "Vienne",
    "87": "Haute-Vienne",
    "88": "Vosges",
    "89": "Yonne",
    "90": "Territoire de Belfort",
    "91": "Essonne",
    "92": "Hauts-de-Seine",
    "93": "Seine-Saint-Denis",
    "94": "Val-de-Marne",
    "95": "Val-d'Oise",
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "975": "Saint-Pierre-et-Miquelon",
    "976": "Mayotte",
}

TARIFF_2026: dict[str, Any] = {
    "version": "2026-01",
    # --- Property and furniture limits (validation) -----------------------------------------------
    "limits": {
        "rooms": (1, 20),
        # 9 m² is the minimum main room of a decent home (décret n° 2002-120 du 30 janvier 2002,
        # art. 4); 7 m² a room on average is this product's plausibility check (market practice, not
        # a legal figure).
        "surface_min_m2": 9,
        "surface_max_m2": 1_000,
        "surface_min_m2_per_room": 7,
        "capital_min_cents": 300_000,  # market: the smallest furniture capital offered
        "capital_max_cents": 30_000_000,  # market: above it, a "habitation haut de gamme" contract
        "claims_max": 20,
    },
    # --- Base premium (market) --------------------------------------------------------------------
    # Annual premium HT for the home's first room, per formula and property type. It covers the
    # building (owner) or the tenant's liability towards the owner (risques locatifs), the contents
    # up to the included capital, civil liability and assistance. A house costs more than a flat:
    # more exposed surfaces (roof, outbuildings), more fire and storm claims.
    "base_cents": {
        "ESSENTIELLE": {"flat": 7_000, "house": 12_000},
        "CONFORT": {"flat": 9_500, "house": 17_000},
        "INTEGRALE": {"flat": 13_000, "house": 19_500},
    },
    # Each room beyond the first (market: rooms are the classic French MRH rating unit). Invariant
    # checked by the tests: a room is always worth more than the included capital it brings (see
    # "furniture"), so that one more room never lowers the premium.
    "per_extra_room_cents": {
        "ESSENTIELLE": {"flat": 1_400, "house": 2_200},
        "CONFORT": {"flat": 1_900, "house": 3_000},
        "INTEGRALE": {"flat": 2_500, "house": 3_400},
    },
    # Surface beyond a threshold close to the average size of a main home (INSEE, enquête Logement:
    # about 63 m² for a flat and 112 m² for a house), so that very large rooms are paid for.
    "surface": {
        "threshold_m2": {"flat": 60, "house": 100},
        "per_m2_cents": {"flat": 60, "house": 50},
    },
    # --- Geographic zones (market) ----------------------------------------------------------------
    # Theft frequency is highest in large cities; storms, floods, coastal flooding (Xynthia 2010,
    # Cévennes episodes, Alex 2020) and wildfires weigh on the coasts and the south; cyclones and
    # earthquakes overseas. Coefficients apply to the base premium (rooms and surface included).
    "zones": {
        1: {"name": "Rurale", "coef_bp": 8_500},
        2: {"name": "Intermédiaire", "coef_bp": 10_000},
        3: {"name": "Grandes agglomérations", "coef_bp": 11_500},
        4: {"name": "Paris, petite couronne et Marseille", "coef_bp": 13_000},
        5: {"name": "Littoral et zones exposées (tempêtes, inondations)", "coef_bp": 12_000},
        6: {"name": "Outre-mer (cyclones, séismes)", "coef_bp": 14_000},
    },
    # Département -> zone. Every département of DEPARTEMENTS has one (checked by the tests).
    "zone_of_departement": {
        # 1: rural, low density, low theft frequency
        **dict.fromkeys(
            [
                "02",
                "03",
                "04",
                "05",
                "07",
                "08",
                "09",
                "10",
                "12",
                "15",
                "16",
                "18",
                "19",
                "23",
                "24",
                "32",
                "36",
                "39",
                "41",
                "43",
                "46",
                "47",
                "48",
                "52",
                "53",
                "55",
                "58",
                "61",
                "65",
                "70",
                "71",
                "79",
                "81",
                "82",
                "86",
                "87",
                "88",
                "89",
            ],
            1,
        ),
        # 2: medium-sized towns and their surroundings
        **dict.fromkeys(
            [
                "01",
                "14",
                "21",
                "22",
                "25",
                "26",
                "27",
                "28",
                "35",
                "37",
                "40",
                "42",
                "45",
                "49",
                "50",
                "51",
                "54",
                "57",
                "60",
                "62",
                "63",
                "64",
                "68",
                "72",
                "73",
                "74",
                "76",
                "80",
                "84",
                "90",
            ],
            2,
        ),
        # 3: large cities (Lyon, Lille, Toulouse, Bordeaux, Nantes, Strasbourg, Grenoble) and the
        #    outer Paris ring
        **dict.fromkeys(["31", "33", "38", "44", "59", "67", "69", "77", "78", "91", "95"], 3),
        # 4: Paris, the inner ring and Marseille: highest theft and water-damage frequency
        **dict.fromkeys(["13", "75", "92", "93", "94"], 4),
        # 5: Atlantic and Channel coasts exposed to storms, Mediterranean coast to floods and
        #    wildfires, Corsica
        **dict.fromkeys(
            ["06", "11", "17", "29", "30", "34", "56", "66", "83", "85", "2A", "2B"], 5
        ),
        # 6: overseas départements (by their 3-digit code)
        **dict.fromkeys(["971", "972", "973", "974", "975", "976"], 6),
    },
    # --- Occupancy (market) -----------------------------------------------------------------------
    # A tenant must insure his "risques locatifs" (art. 7 g de la loi n° 89-462 du 6 juillet 1989)
    # rather than the whole building: cheaper. A landlord not living there ("propriétaire non
    # occupant", PNO; compulsory liability cover for co-owners since the loi ALUR, art. 9-1 de la
    # loi n° 65-557 du 10 juillet 1965) insures the building and his liability, without contents.
    "occupancy_coef_bp": {"owner": 10_000, "tenant": 8_500, "landlord": 7_000},
    # --- Furniture capital (market) ---------------------------------------------------------------
    # Capital included per room, per formula; each started 1 000 € beyond it is charged. A
    # landlord's base covers no contents: his furniture (furnished rental) is charged from the first
    # euro, and a capital of 0 (unfurnished rental) is allowed for him only.
    "furniture": {
        "included_per_room_cents": {
            "ESSENTIELLE": 400_000,
            "CONFORT": 500_000,
            "INTEGRALE": 600_000,
        },
        "landlord_included_cents": 0,
        "price_per_1000_cents": {"ESSENTIELLE": 200, "CONFORT": 230, "INTEGRALE": 240},
    },
    # --- Contract deductible (market) -------------------------------------------------------------
    # Level -> coefficient. 300 € is the reference; a lower deductible costs more, a higher one
    # less. (Natural disasters keep their legal deductible of 380 €, whatever the level chosen.)
    "deductible_coef_bp": {15_000: 10_500, 30_000: 10_000, 50_000: 9_500, 100_000: 8_800},
    # --- Claims history over the last 3 years (market) --------------------------------------------
    # Number of claims -> coefficient; the last entry applies to that number and more.
    "claims_coef_bp": {0: 9_500, 1: 10_000, 2: 11_500, 3: 13_500},
    # --- What the formulas include (from cover_data.COVER; checked by the tests) --------------
    "formula_covers": {
        "ESSENTIELLE": frozenset(),
        "CONFORT": frozenset({"theft", "glass"}),
        "INTEGRALE": frozenset({"theft", "glass", "legal"}),
    },
    "cover_names": {
        "theft": "le vol",
        "glass": "le bris de glace",
        "legal": "la protection juridique",
    },
    # --- Options (market), in catalogue order -----------------------------------------------------
    # price: property type -> (fixed, per room) in cents HT; "damage": part of the property-damage
    # premium (subject to the catastrophe-naturelle surcharge); rules: who may take it.
    "options": {
        "PROTECTION_JURIDIQUE": {
            "name": "Protection juridique",
            "damage": False,
            "price": {"flat": (2_400, 0), "house": (2_400, 0)},
            "excluded_if_formula_covers": "legal",
        },
        "OBJETS_VALEUR": {
            "name": "Objets de valeur",
            "damage": True,
            "price": {"flat": (3_600, 0), "house": (3_600, 0)},
            "min_capital_cents": 2_000_000,
            "occupancies": ("owner", "tenant"),
        },
        "BRIS_GLACE": {
            "name": "Bris de glace renforcé",
            "damage": True,
            "price": {"flat": (1_200, 200), "house": (1_800, 300)},  # more rooms, more glazing
            "requires_formula_cover": "glass",
        },
        "JARDIN_PISCINE": {
            "name": "Jardin et piscine",
            "damage": True,
            "price": {"house": (4_800, 0)},  # no price for a flat: houses only
        },
        "ASSISTANCE_PLUS": {
            "name": "Assistance renforcée",
            "damage": False,
            "price": {"flat": (1_800, 0), "house": (2_400, 0)},
        },
    },
    # --- Advice (market rules of thumb) -----------------------------------------------------------
    "advice": {
        # below 5 000 € a room, the contents of a furnished home are usually under-insured
        "capital_per_room_cents": 500_000,
        # with claims in the last 3 years, a deductible above this level is likely to cost more than
        # it saves
        "deductible_with_claims_cents": 30_000,
    },
    # --- Taxes and legal surcharges (law) ---------------------------------------------------------
    # Share of the premium (after options are set aside) for property damage (fire, water, storm,
    # theft, glass, electrical damage) as opposed to civil liability, assistance and legal
    # protection (market split; Intégrale includes legal protection, hence a lower share).
    "damage_share_bp": {"ESSENTIELLE": 8_000, "CONFORT": 8_000, "INTEGRALE": 7_600},
    # Catastrophe-naturelle surcharge (art. L125-2 et A125-2 du code des assurances): a percentage
    # of the premium for property damage, 12 % until 2024, 20 % for homes since 1 January 2025
    # (arrêté du 22 décembre 2023).
    "catnat_bp": 2_000,
    # Taxe sur les conventions d'assurance (art. 991 et 1001 du CGI): 9 % for home multi-risk
    # contracts, on the premium including the catastrophe-naturelle surcharge.
    "tsca_bp": 900,
    # Contribution to the Fonds de garantie des victimes des actes de terrorisme et d'autres
    # infractions (art. L422-1 du code des assurances): a fixed amount per property contract and per
    # year set by arrêté, 5,90 € since 1 January 2017, not subject to the TSCA.
    "attentats_cents": 590,
}

CURRENT = TARIFF_2026
