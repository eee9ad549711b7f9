"""The MRH product catalogue as data: formulas, guarantees and options.

Amounts are in cents. ``None`` as a ceiling means "up to the furniture capital" for contents
and "replacement value" for the building, as written in ``ceiling_note``.
"""

from __future__ import annotations

from espace.contracts.models import DeductibleKind as D
from espace.contracts.models import GuaranteeCategory as C

NATURAL_DISASTER_DEDUCTIBLE_CENTS = (
    38_000  # legal deductible for homes (arrêté du 5 septembre 2000 modifié)
)
DROUGHT_DEDUCTIBLE_CENTS = (
    152_000  # legal deductible for subsidence after drought (mouvements de terrain, sécheresse)
)

FORMULAS = [
    (
        "ESSENTIELLE",
        "Essentielle",
        "L'indispensable : responsabilité civile et grands événements.",
        1,
    ),
    ("CONFORT", "Confort", "La protection complète du quotidien, vol et bris de glace compris.", 2),
    (
        "INTEGRALE",
        "Intégrale",
        "Tout compris, plafonds relevés et protection juridique incluse.",
        3,
    ),
]
FORMULA_NAMES = {code: name for code, name, _description, _rank in FORMULAS}

GUARANTEES = [
    (
        "INCENDIE",
        C.FIRE,
        "Incendie et événements assimilés",
        "Incendie, explosion, implosion, chute de la foudre, fumées et attentats.",
        "Art. 5",
    ),
    (
        "DEGATS_EAUX",
        C.WATER_DAMAGE,
        "Dégâts des eaux et gel",
        "Fuites, ruptures et débordements des conduites, appareils à effet d'eau, infiltrations "
        "par la toiture et gel des canalisations intérieures, y compris la recherche de fuite.",
        "Art. 6",
    ),
    (
        "CLIMAT",
        C.STORM_HAIL_SNOW,
        "Tempête, grêle et poids de la neige",
        "Dommages causés par le vent, la grêle ou le poids de la neige sur les toitures.",
        "Art. 7",
    ),
    (
        "CATNAT",
        C.NATURAL_DISASTER,
        "Catastrophes naturelles",
        "Inondation, coulée de boue, sécheresse, séisme, lorsque l'état de catastrophe naturelle "
        "est constaté par arrêté interministériel.",
        "Art. 8",
    ),
    (
        "VOL",
        C.THEFT_VANDALISM,
        "Vol et vandalisme",
        "Vol ou tentative de vol avec effraction, escalade, usage de fausses clés ou agression, "
        "et actes de vandalisme à l'intérieur du logement.",
        "Art. 9",
    ),
    (
        "BRIS_GLACE",
        C.GLASS_BREAKAGE,
        "Bris de glace",
        "Bris des vitres, baies vitrées, vérandas, plaques vitrocéramiques et miroirs fixés.",
        "Art. 10",
    ),
    (
        "DOMMAGES_ELEC",
        C.HOME_DAMAGE,
        "Dommages électriques",
        "Dommages aux appareils électriques et électroniques causés par la foudre ou une "
        "surtension.",
        "Art. 11",
    ),
    (
        "RC_VIE_PRIVEE",
        C.CIVIL_LIABILITY,
        "Responsabilité civile vie privée et occupant",
        "Dommages causés aux tiers par vous, les membres de votre foyer et vos animaux "
        "domestiques, et responsabilité envers le propriétaire et les voisins.",
        "Art. 12",
    ),
    (
        "PROTECTION_JURIDIQUE",
        C.LEGAL_PROTECTION,
        "Protection juridique",
        "Information juridique par téléphone et prise en charge des frais de procédure pour les "
        "litiges de la vie privée liés au logement.",
        "Art. 13",
    ),
    (
        "ASSISTANCE",
        C.ASSISTANCE,
        "Assistance au domicile 24 h/24",
        "Serrurier, relogement d'urgence, gardiennage et rapatriement après un sinistre.",
        "Art. 14",
    ),
]
FORMULA_NAMES = {code: name for code, name, _description, _rank in FORMULAS}

_COMMON_EXCLUSIONS = [
    "Les dommages causés intentionnellement par l'assuré.",
    "Les dommages résultant d'un défaut d'entretien connu et non réparé.",
]

# formula code -> guarantee code -> (ceiling_cents, ceiling_note, deductible_kind, deductible_value,
# exclusions)
COVER = {
    "ESSENTIELLE": {
        "INCENDIE": (
            None,
            "Valeur de reconstruction et capital mobilier",
            D.CONTRACT,
            0,
            ["Les brûlures de fumeurs sans incendie.", *_COMMON_EXCLUSIONS],
        ),
        "DEGATS_EAUX": (
            None,
            "Capital mobilier et frais de remise en état",
            D.CONTRACT,
            0,
            [
                "Les infiltrations par les façades.",
                "Les frais de réparation de la conduite elle-même.",
                *_COMMON_EXCLUSIONS,
            ],
        ),
        "CLIMAT": (
            None,
            "Valeur de reconstruction et capital mobilier",
            D.CONTRACT,
            0,
            ["Les clôtures, antennes et stores extérieurs.", *_COMMON_EXCLUSIONS],
        ),
        "CATNAT": (
            None,
            "Dans la limite des capitaux assurés",
            D.LEGAL,
            NATURAL_DISASTER_DEDUCTIBLE_CENTS,
            ["Les biens non assurés au titre des dommages directs."],
        ),
        "RC_VIE_PRIVEE": (
            450_000_000,
            "Dont dommages matériels : 1 500 000 €",
            D.NONE,
            0,
            [
                "Les dommages causés par les véhicules terrestres à moteur.",
                "Les activités professionnelles.",
            ],
        ),
        "ASSISTANCE": (
            150_000,
            "Relogement : 5 nuits au plus",
            D.NONE,
            0,
            ["Les événements survenus hors du logement assuré."],
        ),
    },
    "CONFORT": {
        "INCENDIE": (
            None,
            "Valeur de reconstruction et capital mobilier",
            D.CONTRACT,
            0,
            ["Les brûlures de fumeurs sans incendie.", *_COMMON_EXCLUSIONS],
        ),
        "DEGATS_EAUX": (
            None,
            "Capital mobilier, recherche de fuite jusqu'à 3 000 €",
            D.CONTRACT,
            0,
            [
                "Les infiltrations par les façades.",
                "Les frais de réparation de la conduite elle-même.",
                *_COMMON_EXCLUSIONS,
            ],
        ),
        "CLIMAT": (
            None,
            "Valeur de reconstruction et capital mobilier",
            D.CONTRACT,
            0,
            ["Les clôtures, antennes et stores extérieurs.", *_COMMON_EXCLUSIONS],
        ),
        "CATNAT": (
            None,
            "Dans la limite des capitaux assurés",
            D.LEGAL,
            NATURAL_DISASTER_DEDUCTIBLE_CENTS,
            ["Les biens non assurés au titre des dommages directs."],
        ),
        "VOL": (
            None,
            "Capital mobilier, dont objets de valeur : 30 % du capital",
            D.CONTRACT,
            0,
            [
                "Le vol sans effraction ni violence.",
                "Le vol dans les parties communes.",
                "Le vol commis par un membre du foyer.",
            ],
        ),
        "BRIS_GLACE": (
            500_000,
            "",
            D.FIXED,
            7_500,
            ["Les rayures et écaillures.", "Les vitraux et objets en verre mobiles."],
        ),
        "DOMMAGES_ELEC": (
            300_000,
            "Vétusté déduite au-delà de 5 ans",
            D.CONTRACT,
            0,
            [
                "Les appareils de plus de 10 ans.",
                "Les dommages couverts par la garantie du fabricant.",
            ],
        ),
        "RC_VIE_PRIVEE": (
            450_000_000,
            "Dont dommages matériels : 1 500 000 €",
            D.NONE,
            0,
            [
                "Les dommages causés par les véhicules terrestres à moteur.",
                "Les activités professionnelles.",
            ],
        ),
        "ASSISTANCE": (
            300_000,
            "Relogement : 10 nuits au plus",
            D.NONE,
            0,
            ["Les événements survenus hors du logement assuré."],
        ),
    },
    "INTEGRALE": {
        "INCENDIE": (
            None,
            "Valeur à neuf et capital mobilier",
            D.CONTRACT,
            0,
            list(_COMMON_EXCLUSIONS),
        ),
        "DEGATS_EAUX": (
            None,
            "Capital mobilier, recherche de fuite jusqu'à 5 000 €",
            D.CONTRACT,
            0,
            ["Les frais de réparation de la conduite elle-même.", *_COMMON_EXCLUSIONS],
        ),
        "CLIMAT": (
            None,
            "Valeur à neuf et capital mobilier",
            D.CONTRACT,
            0,
            ["Les antennes et stores extérieurs.", *_COMMON_EXCLUSIONS],
        ),
        "CATNAT": (
            None,
            "Dans la limite des capitaux assurés",
            D.LEGAL,
            NATURAL_DISASTER_DEDUCTIBLE_CENTS,
            ["Les biens non assurés au titre des dommages directs."],
        ),
        "VOL": (
            None,
            "Capital mobilier, dont objets de valeur : 50 % du capital",
            D.CONTRACT,
            0,
            ["Le vol sans effraction ni violence.", "Le vol commis par un membre du foyer."],
        ),
        "BRIS_GLACE": (1_000_000, "", D.NONE, 0, ["Les rayures et écaillures."]),
        "DOMMAGES_ELEC": (
            800_000,
            "Valeur à neuf jusqu'à 5 ans",
            D.CONTRACT,
            0,
            ["Les dommages couverts par la garantie du fabricant."],
        ),
        "RC_VIE_PRIVEE": (
            800_000_000,
            "Dont dommages matériels : 3 000 000 €",
            D.NONE,
            0,
            [
                "Les dommages causés par les véhicules terrestres à moteur.",
                "Les activités professionnelles.",
            ],
        ),
        "PROTECTION_JURIDIQUE": (
            2_000_000,
            "Par litige ; seuil d'intervention : 300 €",
            D.NONE,
            0,
            ["Les litiges antérieurs à la souscription.", "Les amendes et leurs majorations."],
        ),
        "ASSISTANCE": (600_000, "Relogement : 30 nuits au plus", D.NONE, 0, []),
    },
}

OPTIONS = [
    (
        "PROTECTION_JURIDIQUE",
        "Protection juridique",
        "Litiges avec un voisin, un artisan, un bailleur ou un vendeur : conseil et frais de "
        "procédure.",
        C.LEGAL_PROTECTION,
    ),
    (
        "OBJETS_VALEUR",
        "Objets de valeur",
        "Bijoux, œuvres d'art et collections assurés au-delà du plafond de base.",
        C.THEFT_VANDALISM,
    ),
    (
        "BRIS_GLACE",
        "Bris de glace renforcé",
        "Extension aux inserts de cheminée, aquariums et panneaux solaires.",
        C.GLASS_BREAKAGE,
    ),
    (
        "JARDIN_PISCINE",
        "Jardin et piscine",
        "Arbres, plantations, mobilier de jardin, piscine et ses équipements.",
        C.HOME_DAMAGE,
    ),
    (
        "ASSISTANCE_PLUS",
        "Assistance renforcée",
        "Dépannage d'urgence plomberie, électricité et serrurerie sans sinistre garanti.",
        C.ASSISTANCE,
    ),
]
FORMULA_NAMES = {code: name for code, name, _description, _rank in FORMULAS}

# What each option covers: option code -> (granted guarantee code or None, ceiling_cents,
# ceiling_note, deductible_kind, deductible_value, exclusions, article of the general conditions). A
# granted guarantee makes its category covered (Protection juridique on Essentielle or Confort, with
# the ceiling and threshold of Intégrale's); the other options extend the cover of their category or
# insure property the formula leaves out (garden, pool). D.BASE: the deductible of the formula's
# guarantee extended.
OPTION_COVER = {
    "PROTECTION_JURIDIQUE": (
        "PROTECTION_JURIDIQUE",
        2_000_000,
        "Par litige ; seuil d'intervention : 300 €",
        D.NONE,
        0,
        ["Les litiges antérieurs à la souscription.", "Les amendes et leurs majorations."],
        "Art. 13",
    ),
    "OBJETS_VALEUR": (
        None,
        None,
        "Valeur déclarée de chaque objet, au-delà du plafond objets de valeur de la formule",
        D.CONTRACT,
        0,
        ["Les objets non déclarés.", "Le vol sans effraction ni violence."],
        "Art. 9",
    ),
    "BRIS_GLACE": (
        None,
        None,
        "Plafond de la garantie Bris de glace",
        D.BASE,
        0,
        ["Les rayures et écaillures.", "Les panneaux solaires de plus de 15 ans."],
        "Art. 10",
    ),
    "JARDIN_PISCINE": (
        None,
        1_000_000,
        "Dont arbres et plantations : 500 € par arbre",
        D.CONTRACT,
        0,
        [
            "Les dommages dus au gel ou à la sécheresse sur les plantations.",
            "Les piscines gonflables ou démontables.",
        ],
        "Art. 3",
    ),
    "ASSISTANCE_PLUS": (
        None,
        50_000,
        "Dépannage d'urgence sans sinistre : 2 interventions par an",
        D.NONE,
        0,
        ["Les pannes d'appareils électroménagers."],
        "Art. 14",
    ),
}
