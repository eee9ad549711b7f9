"""What each formula and each option covers, as data: per guarantee, the ceiling, the deductible and
the exclusions; per option, the guarantee it grants or extends. Amounts are in cents; a ceiling of
None means up to the furniture capital for contents and the replacement value for the building, as
written in its note."""

from __future__ import annotations

from espace.contracts.catalogue_data import NATURAL_DISASTER_DEDUCTIBLE_CENTS
from espace.contracts.models import DeductibleKind as D

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
