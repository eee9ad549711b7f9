"""The perils a holder can declare, as data: which guarantee answers them, which questions the
declaration asks for each, and which legal deadline applies (Code des assurances, art. L113-2)."""

from __future__ import annotations

from dataclasses import dataclass, field

from espace.contracts.models import GuaranteeCategory as C

YES_NO = (("yes", "Oui"), ("no", "Non"))


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    kind: str  # choice | text | date
    options: tuple[tuple[str, str], ...] = ()
    required: bool = True
    hint: str = ""
    show_if: tuple[str, str] | None = None  # asked only when another answer has this value
    max_length: int = 200


@dataclass(frozen=True)
class Peril:
    code: str
    label: str
    icon: str
    summary: str
    category: str | None  # the guarantee category that answers it; None: the handler decides
    # "theft" (2 working days), "natcat" (30 days after the order), "standard" (5 working days)
    deadline: str
    questions: tuple[Question, ...] = field(default_factory=tuple)
    documents_hint: str = ""


_POLICE_REF = Question(
    "police_report_ref",
    "Numéro du récépissé de dépôt de plainte",
    "text",
    hint=(
        "Il figure sur le récépissé remis par la police ou la gendarmerie (ou la pré-plainte en "
        "ligne)."
    ),
    max_length=40,
)
_POLICE_DATE = Question("police_report_date", "Date du dépôt de plainte", "date")
PERILS: tuple[Peril, ...] = (
    Peril(
        "water_damage",
        "Dégât des eaux",
        "droplets",
        "Fuite, infiltration, débordement",
        C.WATER_DAMAGE,
        "standard",
        (
            Question(
                "origin",
                "D'où vient l'eau ?",
                "choice",
                (
                    ("leak", "Fuite d'une canalisation ou d'un appareil"),
                    ("infiltration", "Infiltration (toiture, joints, terrasse)"),
                    ("overflow", "Débordement (baignoire, lave-linge, évier)"),
                    ("unknown", "Je ne sais pas encore"),
                ),
            ),
            Question(
                "neighbour_involved",
                "Un voisin ou un autre logement est-il concerné ?",
                "choice",
                YES_NO,
                hint="Par exemple si l'eau vient de chez le voisin du dessus, ou a coulé chez lui.",
            ),
            Question(
                "amicable_report",
                "Un constat amiable dégât des eaux a-t-il été rempli ?",
                "choice",
                (
                    ("yes", "Oui, il est signé"),
                    ("planned", "Pas encore, c'est prévu"),
                    ("no", "Non"),
                ),
                show_if=("neighbour_involved", "yes"),
            ),
            Question(
                "leak_stopped",
                "L'eau est-elle arrêtée ?",
                "choice",
                YES_NO,
                hint="Coupez l'arrivée d'eau si vous le pouvez : c'est la première chose à faire.",
            ),
        ),
        "Photos des dégâts et de l'origine de la fuite, constat amiable s'il y en a un, devis "
        "ou factures.",
    ),
    Peril(
        "fire",
        "Incendie",
        "flame",
        "Incendie, explosion, fumées",
        C.FIRE,
        "standard",
        (
            Question("firefighters_called", "Les pompiers sont-ils intervenus ?", "choice", YES_NO),
            Question(
                "fire_origin",
                "Origine du feu",
                "choice",
                (
                    ("electrical", "Appareil ou installation électrique"),
                    ("cooking", "Cuisine"),
                    ("heating", "Chauffage, cheminée"),
                    ("outside", "Feu venu de l'extérieur"),
                    ("unknown", "Inconnue"),
                ),
            ),
            Question("someone_injured", "Quelqu'un a-t-il été blessé ?", "choice", YES_NO),
        ),
        "Photos des dégâts, rapport d'intervention des pompiers si vous l'avez.",
    ),
    Peril(
        "theft",
        "Vol ou cambriolage",
        "lock-open",
        "Vol avec effraction, tentative de vol",
        C.THEFT_VANDALISM,
        "theft",
        (
            _POLICE_REF,
            _POLICE_DATE,
            Question(
                "forced_entry",
                "Y a-t-il eu effraction ?",
                "choice",
                YES_NO,
                hint="Porte ou fenêtre forcée, serrure cassée, escalade.",
            ),
            Question(
                "entry_point",
                "Par où les voleurs sont-ils entrés ?",
                "choice",
                (
                    ("door", "Porte d'entrée"),
                    ("window", "Fenêtre ou baie vitrée"),
                    ("other", "Autre accès"),
                ),
                show_if=("forced_entry", "yes"),
            ),
            Question(
                "stolen_summary",
                "Qu'est-ce qui a été volé ?",
                "text",
                hint="En quelques mots ; vous détaillerez les objets plus loin.",
                max_length=500,
            ),
        ),
        "Récépissé de dépôt de plainte, photos de l'effraction, factures des objets volés.",
    ),
    Peril(
        "glass_breakage",
        "Bris de glace",
        "square-dashed",
        "Vitre, baie vitrée, plaque de cuisson",
        C.GLASS_BREAKAGE,
        "standard",
        (
            Question(
                "pane",
                "Qu'est-ce qui est cassé ?",
                "choice",
                (
                    ("window", "Fenêtre ou porte-fenêtre"),
                    ("bay", "Baie vitrée"),
                    ("veranda", "Véranda"),
                    ("hob", "Plaque vitrocéramique ou à induction"),
                    ("mirror", "Miroir fixé au mur"),
                    ("other", "Autre vitrage"),
                ),
            ),
            Question(
                "glass_cause",
                "Comment est-ce arrivé ?",
                "choice",
                (
                    ("accident", "Accident (choc, chute d'objet)"),
                    ("weather", "Intempéries"),
                    ("vandalism", "Acte de malveillance"),
                    ("unknown", "Je ne sais pas"),
                ),
            ),
        ),
        "Photo du vitrage, devis ou facture de remplacement (règlement express possible avec "
        "la facture).",
    ),
    Peril(
        "natural_disaster",
        "Catastrophe naturelle",
        "waves",
        "Inondation, coulée de boue, sécheresse, séisme",
        C.NATURAL_DISASTER,
        "natcat",
        (
            Question(
                "event_type",
                "De quel événement s'agit-il ?",
                "choice",
                (
                    ("flood", "Inondation"),
                    ("mudslide", "Coulée de boue"),
                    ("drought", "Sécheresse (fissures)"),
                    ("earthquake", "Séisme"),
                    ("other", "Autre"),
                ),
            ),
            Question(
                "order_published",
                "L'arrêté de catastrophe naturelle est-il publié au Journal officiel ?",
                "choice",
                YES_NO,
                hint=(
                    "Sans arrêté publié, déclarez quand même : nous suivons la publication pour "
                    "vous."
                ),
            ),
            Question(
                "order_reference",
                "Référence de l'arrêté (NOR)",
                "text",
                show_if=("order_published", "yes"),
                hint="Par exemple INTE2612345A, indiquée en tête de l'arrêté.",
                max_length=40,
            ),
            Question(
                "order_date",
                "Date de publication au Journal officiel",
                "date",
                show_if=("order_published", "yes"),
            ),
        ),
        "Photos des dégâts, relevé des objets abîmés ; gardez les objets endommagés pour l'expert.",
    ),
    Peril(
        "storm",
        "Tempête, grêle, neige",
        "cloud-lightning",
        "Vent violent, grêle, poids de la neige",
        C.STORM_HAIL_SNOW,
        "standard",
        (
            Question(
                "weather_event",
                "Quel événement ?",
                "choice",
                (("wind", "Vent violent"), ("hail", "Grêle"), ("snow", "Poids de la neige")),
            ),
            Question("roof_damaged", "La toiture est-elle endommagée ?", "choice", YES_NO),
            Question(
                "protection_taken",
                "Avez-vous protégé le logement (bâche, planches) ?",
                "choice",
                YES_NO,
                hint=(
                    "Les frais de mesures conservatoires sont pris en charge : gardez les factures."
                ),
            ),
        ),
        "Photos des dégâts, factures des mesures conservatoires.",
    ),
    Peril(
        "vandalism",
        "Vandalisme",
        "spray-can",
        "Dégradations volontaires",
        C.THEFT_VANDALISM,
        "theft",
        (
            _POLICE_REF,
            _POLICE_DATE,
            Question(
                "vandalism_place",
                "Où ont eu lieu les dégradations ?",
                "choice",
                (
                    ("inside", "À l'intérieur du logement"),
                    ("outside", "Façade, portes ou clôtures"),
                    ("common", "Parties communes"),
                ),
            ),
        ),
        "Récépissé de dépôt de plainte, photos des dégradations.",
    ),
    Peril(
        "third_party",
        "Dommage causé à un tiers",
        "users",
        "Vous avez causé un dommage à quelqu'un",
        C.CIVIL_LIABILITY,
        "standard",
        (
            Question("victim_name", "Nom de la personne lésée", "text", max_length=120),
            Question(
                "victim_kind",
                "Qui est-ce ?",
                "choice",
                (
                    ("neighbour", "Un voisin"),
                    ("visitor", "Un invité ou visiteur"),
                    ("other", "Une autre personne"),
                ),
            ),
            Question(
                "victim_insurer",
                "Son assureur, si vous le connaissez",
                "text",
                required=False,
                max_length=120,
            ),
        ),
        "Photos, constat ou courrier de la personne lésée, devis.",
    ),
    Peril(
        "other",
        "Autre événement",
        "circle-help",
        "Un autre dommage à votre logement",
        None,
        "standard",
        (),
        "Tout ce qui aide à comprendre : photos, devis, courriers.",
    ),
)
