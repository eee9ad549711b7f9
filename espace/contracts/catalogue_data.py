"""The MRH product catalogue as data: formulas, guarantees and options (what each covers:
``cover_data``).

Amounts are in cents.
"""

from __future__ import annotations

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
