"""The general conditions (conditions générales) of the MRH contract as structured data.

`ARTICLES` holds the contract text, article by article, in French. Paragraphs carry two markups
that the web page turns into links (see `render_paragraph`):

- ``[[Art. 16]]``: a cross-reference to another article, written exactly as its ``number``;
- ``{{franchise}}`` or ``{{plafond|plafonds}}``: a glossary term, ``{{key}}`` or
  ``{{key|displayed text}}``, where ``key`` is a key of `GLOSSARY`.

`PARTICULAR_OVERRIDES` lists, per formula, what the particular conditions change compared to the
general ones, as plain text (no markup). Its amounts are computed from `catalogue_data.COVER`, so both
always agree.
"""

from __future__ import annotations

import re

from espace.contracts.catalogue_data import (
    COVER,
    FORMULAS,
    GUARANTEES,
    NATURAL_DISASTER_DEDUCTIBLE_CENTS,
)
from espace.core import formatting as fmt
from espace.core.text import fold

GENERAL_CONDITIONS_VERSION = "CG-MRH-2026-01"

NBSP = "\u00a0"


def format_euros(cents: int) -> str:
    """A whole amount in euros, French style: ``4 500 000 €`` (narrow no-break thousands separator)."""
    return f"{fmt.number(cents // 100)}{NBSP}€"


def _amount_in(text: str, index: int = -1) -> int:
    """Cents of the `index`-th euro amount written in a catalogue note (``"… jusqu'à 3 000 €"``)."""
    amounts = re.findall(r"(\d[\d \u00a0\u202f]*)\s?€", text)
    if not amounts:
        raise ValueError(f"no amount in {text!r}")
    return int(re.sub(r"\D", "", amounts[index])) * 100


def _number_in(text: str, unit: str) -> int:
    """The number written before `unit` in a catalogue note (``"30 % du capital"``, ``"5 nuits"``)."""
    match = re.search(rf"(\d+)\s?{unit}", text)
    if match is None:
        raise ValueError(f"no {unit!r} in {text!r}")
    return int(match.group(1))


_LEGAL_DEDUCTIBLE = format_euros(NATURAL_DISASTER_DEDUCTIBLE_CENTS)
_CONTRACT_DEDUCTIBLES = [format_euros(cents) for cents in (15_000, 30_000, 50_000)]
_PHONE = "09 70 80 90 00"  # customer service
_ASSISTANCE_PHONE = "01 86 95 00 00"  # assistance, 24 h/24
_ADDRESS = "12 quai de la Fosse, 44000 Nantes"

_CH_GENERAL = "Dispositions générales"
_CH_PROPERTY = "Les garanties de vos biens"
_CH_LIABILITY = "Votre responsabilité, votre défense et l'assistance"
_CH_LIMITS = "Exclusions et franchises"
_CH_CLAIMS = "En cas de sinistre"
_CH_LIFE = "La vie de votre contrat"


def _article(number: int, title: str, chapter: str, paragraphs: list[str]) -> dict:
    return {
        "number": f"Art. {number}",
        "slug": f"art-{number}",
        "title": title,
        "chapter": chapter,
        "paragraphs": paragraphs,
    }


ARTICLES: list[dict] = [
    _article(
        1,
        "Objet du contrat et définitions générales",
        _CH_GENERAL,
        [
            "Le présent contrat d'assurance multirisque habitation est régi par le Code des assurances. "
            "Il se compose des présentes conditions générales, qui décrivent l'ensemble des garanties proposées, "
            "et des conditions particulières, qui précisent la formule choisie, les options souscrites, "
            "les montants de {{plafond|plafonds}} et de {{franchise|franchises}} applicables à votre contrat.",
            "En cas de contradiction, les conditions particulières prévalent sur les conditions générales. "
            "Toute modification de votre contrat en cours d'année fait l'objet d'un {{avenant}}, qui précise "
            "la date d'effet du changement et la nouvelle cotisation.",
            "Dans le présent contrat, « vous » désigne le {{souscripteur}} ainsi que les autres personnes ayant "
            "la qualité d'{{assuré}} (voir [[Art. 2]]). « Nous » désigne Espace Assurances, entreprise régie "
            "par le Code des assurances.",
            "Les termes signalés dans le texte renvoient au lexique, qui en donne la définition. "
            "Un terme défini au lexique a toujours le sens qui lui est donné, quel que soit l'article où il est employé.",
            "Le contrat a pour objet de garantir les dommages subis par les biens assurés (voir [[Art. 3]]) "
            "situés à l'adresse du logement déclaré, ainsi que votre responsabilité civile de particulier. "
            "Les garanties acquises sont celles de la formule indiquée aux conditions particulières : "
            "Essentielle, Confort ou Intégrale.",
        ],
    ),
    _article(
        2,
        "Les personnes assurées",
        _CH_GENERAL,
        [
            "Ont la qualité d'{{assuré}} : le {{souscripteur}} désigné aux conditions particulières, son conjoint, "
            "son partenaire lié par un pacte civil de solidarité ou son concubin, ainsi que les personnes qui "
            "vivent habituellement sous leur toit.",
            "Sont également assurés les enfants mineurs, ainsi que les enfants majeurs fiscalement à charge du "
            "souscripteur, y compris lorsqu'ils poursuivent leurs études hors du domicile. "
            "Les ascendants qui vivent au foyer ont aussi la qualité d'assuré.",
            "Pour la garantie responsabilité civile (voir [[Art. 12]]), ont en outre la qualité d'assuré les "
            "personnes qui gardent gratuitement vos enfants ou vos animaux domestiques, pour les dommages causés "
            "par ces derniers. Vos employés de maison sont assurés lorsqu'ils agissent dans l'exercice de leurs fonctions.",
            "Les locataires, sous-locataires et autres occupants à titre onéreux du logement n'ont pas la qualité "
            "d'assuré, sauf mention contraire aux conditions particulières. Ils sont des {{tiers}} au regard du contrat.",
        ],
    ),
    _article(
        3,
        "Les biens assurés",
        _CH_GENERAL,
        [
            "Le bâtiment est assuré lorsque vous êtes propriétaire du logement ou lorsque votre bail met son "
            "assurance à votre charge. Il comprend les constructions, les murs de clôture, les {{dépendances}} "
            "situées à la même adresse et les installations fixes qui ne peuvent être détachées sans être "
            "détériorées : chauffage, plomberie, installations électriques, cuisine aménagée.",
            "Le mobilier comprend les meubles, les appareils électroménagers, audiovisuels et informatiques, "
            "les vêtements et les objets personnels qui vous appartiennent ou qui vous sont confiés. "
            "Il est assuré dans la limite du {{capital mobilier}} indiqué aux conditions particulières.",
            "Les {{objets de valeur}} font partie du mobilier, mais ne sont garantis contre le vol que dans la limite "
            "fixée aux conditions particulières, exprimée en pourcentage du capital mobilier. "
            "Au-delà, l'option Objets de valeur permet de les assurer pour leur valeur déclarée.",
            "Les embellissements sont les peintures, papiers peints, revêtements de sols, de murs et de plafonds, "
            "ainsi que les aménagements intérieurs réalisés à vos frais. Ils sont assurés même lorsque vous êtes "
            "locataire, pour la part que vous avez financée.",
            "Ne sont pas des biens assurés : les véhicules terrestres à moteur et leurs remorques, les bateaux, "
            "les animaux, les biens à usage professionnel, ainsi que les arbres, plantations et piscines, "
            "sauf souscription de l'option Jardin et piscine.",
        ],
    ),
    _article(
        4,
        "Où s'exerce la garantie",
        _CH_GENERAL,
        [
            "Les garanties de dommages aux biens s'exercent à l'adresse du logement assuré indiquée aux conditions "
            "particulières, y compris dans ses {{dépendances}} situées à la même adresse.",
            "La garantie responsabilité civile vie privée (voir [[Art. 12]]) s'exerce dans le monde entier, "
            "lors de séjours de moins de trois mois consécutifs hors de France. "
            "L'assistance s'exerce dans les limites prévues à l'[[Art. 14]].",
            "Lorsque vous déménagez, les garanties s'appliquent à la fois à l'ancien et au nouveau logement pendant "
            "30 jours à compter de la date d'emménagement, à condition que vous nous ayez déclaré la nouvelle adresse. "
            "Le changement d'adresse donne lieu à un {{avenant}}.",
            "Pendant vos vacances, le mobilier que vous emportez dans une résidence de villégiature louée est garanti "
            "contre l'incendie et les dégâts des eaux, dans la limite de 10 % du {{capital mobilier}}.",
        ],
    ),
    # -- Art. 5 to Art. 14: one article per guarantee of catalogue_data.GUARANTEES --------------------
    _article(
        5,
        "Incendie et événements assimilés",
        _CH_PROPERTY,
        [
            "Nous garantissons les dommages matériels causés aux biens assurés par l'incendie, c'est-à-dire la "
            "combustion avec flammes en dehors d'un foyer normal, par l'explosion ou l'implosion, et par la chute "
            "directe de la foudre.",
            "Sont assimilés à l'incendie les dommages causés par les fumées dues à une défaillance soudaine d'un "
            "appareil de chauffage ou de cuisson, par le choc d'un véhicule terrestre identifié ou la chute d'un "
            "appareil aérien. Les attentats et actes de terrorisme sont garantis conformément à l'article L126-2 "
            "du Code des assurances.",
            "Nous prenons également en charge les frais consécutifs au {{sinistre}} : démolition et déblais, "
            "mesures de sauvetage, relogement pendant la durée des travaux et honoraires de l'expert que vous "
            "avez choisi, dans les limites fixées aux conditions particulières.",
            "Ne sont pas garantis, outre les exclusions communes de l'[[Art. 15]] : les objets tombés ou jetés "
            "dans un foyer, les brûlures de fumeurs sans incendie sauf disposition contraire des conditions "
            "particulières, et les dommages subis par les appareils électriques du seul fait de leur fonctionnement, "
            "qui relèvent de l'[[Art. 11]].",
            "L'indemnité est calculée selon les règles de l'[[Art. 19]], après déduction de la {{franchise}} "
            "prévue à l'[[Art. 16]]. Le sinistre doit nous être déclaré dans les délais de l'[[Art. 17]].",
        ],
    ),
    _article(
        6,
        "Dégâts des eaux et gel",
        _CH_PROPERTY,
        [
            "Nous garantissons les dommages matériels causés aux biens assurés par l'eau provenant de fuites, "
            "de ruptures ou de débordements des conduites non enterrées, des chéneaux et gouttières, des appareils "
            "à effet d'eau (lave-linge, lave-vaisselle, chauffe-eau, aquarium) et des installations de chauffage.",
            "Sont également garantis les infiltrations accidentelles par la toiture, les terrasses et les balcons "
            "formant toiture, les débordements et refoulements des égouts, ainsi que les dommages causés par le gel "
            "des canalisations et installations de chauffage situées à l'intérieur des bâtiments.",
            "Nous prenons en charge les frais de recherche de fuite, c'est-à-dire les frais de démolition et de "
            "remise en état des murs, sols et plafonds rendus nécessaires pour localiser l'origine de la fuite. "
            "Ils sont garantis dans la limite du {{plafond}} indiqué aux conditions particulières.",
            "Ne sont pas garantis : les frais de réparation de la conduite, de la toiture ou de l'appareil à "
            "l'origine du sinistre, les infiltrations par les façades sauf disposition contraire des conditions "
            "particulières, l'humidité et la condensation, ainsi que les dommages dus à un défaut d'entretien "
            "connu de vous et non réparé (voir [[Art. 15]]).",
            "Lorsque le sinistre touche plusieurs logements d'un même immeuble, il est réglé selon la convention "
            "d'indemnisation et de recours des sinistres immeuble (IRSI) conclue entre assureurs. "
            "L'{{expertise}} est alors organisée par l'assureur que cette convention désigne.",
            "La {{franchise}} de l'[[Art. 16]] s'applique. Déclarez le sinistre dans les délais de l'[[Art. 17]] "
            "en joignant, le cas échéant, le constat amiable de dégât des eaux signé avec vos voisins.",
        ],
    ),
    _article(
        7,
        "Tempête, grêle et poids de la neige",
        _CH_PROPERTY,
        [
            "Conformément à l'article L122-7 du Code des assurances, nous garantissons les dommages matériels "
            "causés aux biens assurés par l'action directe du vent ou le choc d'un objet renversé ou projeté par "
            "le vent, par la grêle et par le poids de la neige ou de la glace accumulée sur les toitures.",
            "Le vent doit avoir eu une intensité telle qu'il a détruit, brisé ou endommagé plusieurs bâtiments de "
            "bonne construction dans la commune du bien sinistré ou dans les communes voisines. À défaut, "
            "vous pouvez produire une attestation de la station de Météo-France la plus proche indiquant que "
            "le vent dépassait 100 km/h au moment du sinistre.",
            "Sont également garantis les dommages de mouille causés par la pluie, la neige ou la grêle pénétrant "
            "dans le bâtiment, lorsqu'elles entrent par une ouverture créée par l'événement et dans les 48 heures "
            "qui le suivent.",
            "Ne sont pas garantis : les clôtures, antennes et stores extérieurs, sauf disposition contraire des "
            "conditions particulières, les bâtiments en cours de construction qui ne sont pas entièrement clos "
            "et couverts, ainsi que les dommages dus à un défaut d'entretien de la toiture.",
            "La {{franchise}} de l'[[Art. 16]] s'applique et le sinistre doit nous être déclaré dans les délais "
            "de l'[[Art. 17]]. Lorsque l'événement relève du régime des catastrophes naturelles, notamment des "
            "vents cycloniques d'intensité exceptionnelle, c'est la garantie de l'[[Art. 8]] qui s'applique.",
        ],
    ),
    _article(
        8,
        "Catastrophes naturelles",
        _CH_PROPERTY,
        [
            "Conformément à l'article L125-1 du Code des assurances, nous garantissons les dommages matériels "
            "directs subis par les biens assurés et ayant eu pour cause déterminante l'intensité anormale d'un "
            "agent naturel : inondation, coulée de boue, sécheresse et réhydratation des sols, mouvement de "
            "terrain, séisme, avalanche.",
            "La garantie n'est acquise que si l'état de {{catastrophe naturelle}} a été constaté par un arrêté "
            "interministériel publié au Journal officiel, pour la commune et la période où le sinistre est survenu. "
            "Elle couvre les biens assurés au titre des autres garanties de dommages du contrat, dans la limite "
            "des capitaux assurés.",
            f"Une {{{{franchise}}}} légale, fixée par arrêté, reste à votre charge : elle est de {_LEGAL_DEDUCTIBLE} "
            "par sinistre pour les biens à usage d'habitation. Elle remplace la franchise contractuelle de "
            "l'[[Art. 16]] et vous vous interdisez de l'assurer auprès d'un autre assureur.",
            "Vous devez nous déclarer le sinistre dès que vous en avez connaissance et au plus tard 30 jours "
            "après la publication de l'arrêté interministériel (voir [[Art. 17]]). Nous vous versons l'indemnité "
            "dans les délais prévus à l'article L125-2 du Code des assurances.",
            "Ne sont pas garantis les biens qui ne sont pas assurés au titre des dommages directs, ni les "
            "dommages dont la cause déterminante n'est pas l'agent naturel reconnu par l'arrêté.",
        ],
    ),
    _article(
        9,
        "Vol et vandalisme",
        _CH_PROPERTY,
        [
            "Lorsque cette garantie figure aux conditions particulières, nous garantissons la disparition, "
            "la destruction ou la détérioration des biens assurés à la suite d'un vol ou d'une tentative de vol "
            "commis à l'intérieur du logement. Le vol doit avoir été commis avec {{effraction}}, escalade ou "
            "usage de fausses clés, par une personne introduite ou maintenue clandestinement dans le logement, "
            "ou avec violence ou menace sur vous ou un membre de votre foyer.",
            "Nous garantissons aussi les actes de vandalisme commis à l'intérieur du logement par l'auteur du vol "
            "ou de la tentative, ainsi que les détériorations des portes, serrures et fenêtres consécutives à "
            "l'effraction. Le remplacement des serrures est pris en charge lorsque vos clés ont été volées.",
            "Les {{objets de valeur}} ne sont garantis que dans la limite du pourcentage du {{capital mobilier}} "
            "fixé aux conditions particulières. Dans les {{dépendances}}, seul le mobilier qui y est habituellement "
            "entreposé est garanti, à l'exclusion des objets de valeur.",
            "Ne sont pas garantis : le vol sans effraction ni violence, le vol dans les parties communes d'un "
            "immeuble sauf disposition contraire des conditions particulières, le vol commis par un membre de "
            "votre foyer ou avec sa complicité, et le vol survenu lorsque le logement est resté inoccupé plus de "
            "90 jours au cours de l'année d'assurance.",
            "Dès que vous constatez le vol, vous devez déposer plainte auprès des services de police ou de "
            "gendarmerie et nous déclarer le sinistre dans un délai de 2 jours ouvrés (voir [[Art. 17]]), "
            "en joignant le récépissé de dépôt de plainte. Si les biens volés sont retrouvés, vous devez nous "
            "en informer dans les 8 jours.",
            "La {{franchise}} de l'[[Art. 16]] s'applique. L'indemnité est calculée selon l'[[Art. 19]], "
            "{{vétusté}} déduite sauf disposition contraire des conditions particulières.",
        ],
    ),
    _article(
        10,
        "Bris de glace",
        _CH_PROPERTY,
        [
            "Lorsque cette garantie figure aux conditions particulières, nous garantissons le bris accidentel des "
            "vitres, glaces et miroirs fixés, des baies vitrées, des vérandas et des plaques vitrocéramiques ou à "
            "induction des appareils de cuisson.",
            "L'option Bris de glace renforcé étend la garantie aux vitres des inserts de cheminée, aux aquariums "
            "et aux panneaux solaires. Elle s'applique dans les mêmes conditions que la garantie de base.",
            "L'indemnité comprend le remplacement à l'identique des éléments brisés, les frais de pose et, si "
            "nécessaire, les frais de clôture provisoire et de gardiennage rendus nécessaires par le bris, "
            "dans la limite du {{plafond}} fixé aux conditions particulières.",
            "Ne sont pas garantis : les rayures, ébréchures et écaillures, les vitraux et les objets en verre "
            "mobiles (vases, verres, luminaires), les bris survenus au cours de travaux portant sur les éléments "
            "vitrés, ainsi que les dommages aux encadrements et châssis.",
            "Cette garantie peut comporter une {{franchise}} propre, fixée aux conditions particulières "
            "(voir [[Art. 16]]). Déclarez le bris dans les délais de l'[[Art. 17]] et conservez les éléments "
            "brisés jusqu'à leur remplacement.",
        ],
    ),
    _article(
        11,
        "Dommages électriques",
        _CH_PROPERTY,
        [
            "Lorsque cette garantie figure aux conditions particulières, nous garantissons les dommages matériels "
            "causés aux appareils électriques et électroniques, aux installations électriques et à leurs "
            "accessoires par la chute de la foudre, une surtension, une sous-tension ou un court-circuit.",
            "L'indemnité correspond au coût de réparation de l'appareil ou, s'il n'est pas réparable, à sa valeur "
            "de remplacement par un appareil de performances équivalentes. La {{vétusté}} est déduite selon les "
            "modalités prévues aux conditions particulières.",
            "Ne sont pas garantis : les dommages couverts par la garantie légale ou la garantie du fabricant, "
            "l'usure et les pannes d'origine interne, les lampes, fusibles et résistances, ainsi que les appareils "
            "dont l'âge dépasse la limite éventuellement prévue aux conditions particulières.",
            "Les pertes de données et les frais de reconstitution de logiciels sont des "
            "{{dommages immatériels}} et ne sont pas garantis.",
            "La {{franchise}} de l'[[Art. 16]] s'applique. Conservez l'appareil endommagé à notre disposition et "
            "déclarez le sinistre selon l'[[Art. 17]], en joignant le diagnostic du réparateur.",
        ],
    ),
    _article(
        12,
        "Responsabilité civile vie privée et occupant",
        _CH_LIABILITY,
        [
            "Nous garantissons les conséquences pécuniaires de la responsabilité civile que vous pouvez encourir "
            "en raison des dommages corporels, matériels et {{dommages immatériels|immatériels}} consécutifs "
            "causés aux {{tiers}} au cours de votre vie privée. Sont couverts les dommages causés par vous-même, "
            "par les personnes dont vous répondez, par vos animaux domestiques et par les biens dont vous avez la garde.",
            "Au titre de votre responsabilité d'occupant, nous garantissons votre responsabilité envers le "
            "propriétaire du logement que vous louez (articles 1733 et 1735 du Code civil), envers les voisins "
            "et envers les tiers, pour les dommages causés par un incendie, une explosion ou un dégât des eaux "
            "ayant pris naissance dans votre logement.",
            "La garantie s'exerce par sinistre, quel que soit le nombre de victimes, dans la limite des "
            "{{plafond|plafonds}} fixés aux conditions particulières. Elle ne comporte pas de {{franchise}} "
            "(voir [[Art. 16]]).",
            "Ne sont pas garantis : les dommages causés par les véhicules terrestres à moteur dont vous avez la "
            "garde, qui relèvent de l'assurance automobile obligatoire, les dommages résultant de vos activités "
            "professionnelles, la pratique de la chasse et les dommages causés par les chiens de 1re et 2e catégories.",
            "Vous ne devez accepter aucune reconnaissance de responsabilité ni aucune transaction sans notre accord. "
            "Déclarez-nous toute réclamation d'un tiers dans les délais de l'[[Art. 17]] : nous assurons votre "
            "défense et dirigeons la procédure dans la limite de notre garantie.",
        ],
    ),
    _article(
        13,
        "Protection juridique",
        _CH_LIABILITY,
        [
            "Lorsque cette garantie est incluse dans votre formule ou souscrite en option, nous vous apportons, "
            "conformément aux articles L127-1 et suivants du Code des assurances, une information juridique par "
            "téléphone et la prise en charge de votre défense dans les litiges de la vie privée liés à votre "
            "logement : conflit avec un voisin, un bailleur, un artisan, un vendeur ou un syndic.",
            "Nous prenons en charge, dans la limite du {{plafond}} fixé par litige aux conditions particulières, "
            "les honoraires d'avocat, de commissaire de justice et d'expert, ainsi que les frais de procédure. "
            "Notre intervention suppose que l'intérêt financier du litige dépasse le seuil d'intervention "
            "indiqué aux conditions particulières.",
            "Vous avez le libre choix de votre avocat (article L127-3 du Code des assurances). En cas de "
            "désaccord entre vous et nous sur les mesures à prendre pour régler le litige, ce désaccord peut être "
            "soumis à une tierce personne désignée d'un commun accord ou, à défaut, par le président du tribunal "
            "judiciaire (article L127-4).",
            "Ne sont pas garantis : les litiges dont le fait générateur est antérieur à la souscription de la "
            "garantie, les amendes et leurs majorations, les litiges liés à votre activité professionnelle, "
            "ainsi que les sommes que vous seriez condamné à verser à la partie adverse.",
            "Le litige doit nous être déclaré avant toute action, dans les conditions de l'[[Art. 17]] ; les frais "
            "engagés sans notre accord préalable ne sont pas remboursés, sauf urgence. Cette garantie ne comporte "
            "pas de {{franchise}} (voir [[Art. 16]]) : seul le seuil d'intervention s'applique.",
        ],
    ),
    _article(
        14,
        "Assistance au domicile 24 h/24",
        _CH_LIABILITY,
        [
            f"Notre service d'assistance est joignable 24 h/24 et 7 j/7 au {_ASSISTANCE_PHONE}. Il intervient à la suite "
            "d'un {{sinistre}} garanti qui rend votre logement inhabitable ou qui nécessite des mesures d'urgence.",
            "Selon la situation, nous organisons et prenons en charge l'envoi d'un serrurier ou d'un vitrier pour "
            "une fermeture provisoire, le gardiennage du logement, votre relogement d'urgence et le transfert de "
            "votre mobilier. Si vous êtes en déplacement, nous organisons votre retour anticipé au domicile.",
            "Ces prestations s'exercent dans la limite du montant et du nombre de nuits de relogement fixés aux "
            "conditions particulières. Elles doivent être demandées au préalable à notre service : les dépenses "
            "engagées sans son accord ne sont pas remboursées.",
            "Ne sont pas pris en charge : les événements survenus hors du logement assuré, sauf disposition "
            "contraire des conditions particulières, les dépannages sans sinistre garanti, qui relèvent de l'option "
            "Assistance renforcée, et les frais de repas.",
            "Les prestations d'assistance ne comportent pas de {{franchise}} (voir [[Art. 16]]). L'appel au "
            "service d'assistance ne vaut pas déclaration : vous devez aussi nous déclarer le sinistre selon "
            "l'[[Art. 17]].",
        ],
    ),
    # -- limits ------------------------------------------------------------------------------------------
    _article(
        15,
        "Exclusions communes",
        _CH_LIMITS,
        [
            "Outre les exclusions propres à chaque garantie, ne sont jamais garantis les dommages causés ou "
            "provoqués intentionnellement par vous ou avec votre complicité (article L113-1 du Code des assurances), "
            "ni ceux résultant de votre participation à une rixe, sauf cas de légitime défense.",
            "Sont également exclus les dommages occasionnés par la guerre étrangère ou la guerre civile "
            "(article L121-8 du Code des assurances), ainsi que ceux dus à des armes ou engins destinés à exploser "
            "par modification de structure du noyau de l'atome ou à toute source de rayonnements ionisants.",
            "Ne sont pas garantis les dommages résultant d'un défaut d'entretien ou de réparation qui vous incombe, "
            "connu de vous et non réparé, ni l'usure normale des biens. Les dommages résultant d'un {{sinistre}} "
            "survenu avant la prise d'effet du contrat sont également exclus.",
            "Les amendes et sanctions pénales, ainsi que les {{dommages immatériels}} qui ne sont pas la "
            "conséquence d'un dommage garanti, ne sont pas pris en charge.",
            "Les exclusions propres à chaque garantie figurent dans l'article qui la décrit, de l'[[Art. 5]] à "
            "l'[[Art. 14]], et le cas échéant dans vos conditions particulières.",
        ],
    ),
    _article(
        16,
        "Franchise",
        _CH_LIMITS,
        [
            "La {{franchise}} est la part du dommage qui reste à votre charge. Son montant est déduit de "
            "l'{{indemnité}} due pour chaque {{sinistre}}, selon les règles de l'[[Art. 19]].",
            "Sauf disposition particulière, la franchise applicable est la franchise contractuelle choisie à la "
            f"souscription et indiquée aux conditions particulières : {_CONTRACT_DEDUCTIBLES[0]}, "
            f"{_CONTRACT_DEDUCTIBLES[1]} ou {_CONTRACT_DEDUCTIBLES[2]}. Le choix d'une franchise plus élevée "
            "diminue votre cotisation ; tout changement de niveau de franchise fait l'objet d'un {{avenant}}.",
            "Certaines garanties comportent une franchise propre, fixée aux conditions particulières : c'est "
            "notamment le cas de la garantie bris de glace (voir [[Art. 10]]). Pour les catastrophes naturelles, "
            f"la franchise légale de {_LEGAL_DEDUCTIBLE} s'applique à la place de la franchise contractuelle "
            "(voir [[Art. 8]]).",
            "Les garanties responsabilité civile, protection juridique et assistance ne comportent pas de "
            "franchise (voir [[Art. 12]], [[Art. 13]] et [[Art. 14]]).",
            "Lorsqu'un même événement endommage des biens relevant de plusieurs garanties, une seule franchise "
            "est appliquée : la plus élevée d'entre elles.",
        ],
    ),
    # -- claims ------------------------------------------------------------------------------------------
    _article(
        17,
        "Déclaration des sinistres et délais",
        _CH_CLAIMS,
        [
            "Conformément à l'article L113-2 du Code des assurances, vous devez nous déclarer tout {{sinistre}} "
            "de nature à mettre en jeu une garantie dès que vous en avez connaissance, et au plus tard dans un "
            "délai de 5 jours ouvrés. Ce délai est ramené à 2 jours ouvrés en cas de vol (voir [[Art. 9]]).",
            "En cas de {{catastrophe naturelle}}, vous devez nous déclarer le sinistre au plus tard 30 jours "
            "après la publication au Journal officiel de l'arrêté interministériel constatant l'état de "
            "catastrophe naturelle (voir [[Art. 8]]).",
            "La déclaration peut être faite depuis votre espace client, par téléphone ou par courrier. Elle indique "
            "la date, les circonstances et les causes connues du sinistre, la nature et le montant approximatif "
            "des dommages, ainsi que les coordonnées des {{tiers}} impliqués et des témoins éventuels.",
            "Vous devez prendre toutes les mesures utiles pour limiter l'importance des dommages et conserver les "
            "biens endommagés jusqu'à l'{{expertise}}. Transmettez-nous dans les meilleurs délais les justificatifs "
            "de valeur (factures, photographies, certificats) et tout acte judiciaire qui vous est adressé.",
            "Si vous déclarez le sinistre tardivement et que ce retard nous cause un préjudice, vous perdez votre "
            "droit à indemnité pour ce sinistre ({{déchéance}}), sauf cas fortuit ou de force majeure. "
            "Toute fausse déclaration intentionnelle sur la date, les circonstances ou le montant du sinistre "
            "entraîne également la déchéance de vos droits pour ce sinistre.",
        ],
    ),
    _article(
        18,
        "Estimation des dommages et expertise",
        _CH_CLAIMS,
        [
            "Les dommages sont évalués de gré à gré ou, si nécessaire, par une {{expertise}} amiable menée par "
            "l'expert que nous désignons. Vous pouvez vous faire assister par un expert de votre choix.",
            "En cas de désaccord sur le montant des dommages, chacun de nous désigne son expert. Si ces experts "
            "ne parviennent pas à un accord, ils en désignent un troisième ; les trois experts opèrent alors en "
            "commun et à la majorité des voix.",
            "Si l'une des parties ne nomme pas son expert, ou si les deux experts ne s'entendent pas sur le choix "
            "du troisième, la désignation est faite par le président du tribunal judiciaire du lieu du sinistre. "
            "Chaque partie paie les frais de son expert et la moitié des honoraires du troisième.",
            "L'expertise ne préjuge pas de l'application des garanties. Elle établit les causes du sinistre, "
            "le montant des dommages et la {{vétusté}} applicable, et nous permet d'exercer notre recours contre "
            "le {{tiers}} responsable (voir [[Art. 19]]).",
        ],
    ),
    _article(
        19,
        "Indemnisation",
        _CH_CLAIMS,
        [
            "Les bâtiments sont indemnisés sur la base de leur valeur de reconstruction au jour du sinistre, "
            "{{vétusté}} déduite. Lorsque vos conditions particulières prévoient la {{valeur à neuf}}, la vétusté "
            "est prise en charge dans la limite de 25 % de la valeur de reconstruction, à condition que la "
            "reconstruction soit effectuée dans un délai de deux ans.",
            "Le mobilier est indemnisé sur la base de sa valeur de remplacement par un bien équivalent au jour "
            "du sinistre, vétusté déduite, ou en valeur à neuf lorsque vos conditions particulières le prévoient. "
            "Les embellissements sont indemnisés sur la base du coût de leur remise en état.",
            "Pour chaque garantie, l'{{indemnité}} est égale au montant des dommages diminué de la {{franchise}} "
            "(voir [[Art. 16]]), sans pouvoir dépasser le {{plafond}} fixé aux conditions particulières : "
            "indemnité = minimum (plafond ; dommages − franchise). Par exemple, pour un dommage de "
            f"{format_euros(200_000)}, une franchise de {format_euros(15_000)} et un plafond de "
            f"{format_euros(300_000)}, l'indemnité est de {format_euros(185_000)}.",
            "Nous versons l'indemnité dans les 30 jours qui suivent l'accord amiable ou la décision judiciaire "
            "exécutoire. En cas d'opposition d'un créancier, ce délai court à compter de sa mainlevée.",
            "Après paiement de l'indemnité, nous sommes subrogés dans vos droits contre le tiers responsable "
            "({{subrogation}}, article L121-12 du Code des assurances). Si la subrogation ne peut plus s'opérer "
            "de votre fait, nous pouvons être déchargés de tout ou partie de notre garantie.",
        ],
    ),
    # -- the contract's life -----------------------------------------------------------------------------
    _article(
        20,
        "Cotisation et paiement",
        _CH_LIFE,
        [
            "La cotisation est annuelle ; son montant, taxes comprises, figure aux conditions particulières et "
            "sur l'avis d'{{échéance}}. Vous pouvez la régler en une fois, ou par fractions mensuelles ou "
            "trimestrielles par prélèvement SEPA, sans frais de fractionnement.",
            "La cotisation comprend la taxe sur les conventions d'assurance, la contribution au régime des "
            "catastrophes naturelles et la contribution au fonds de garantie des victimes des actes de terrorisme. "
            "Toute modification de ces taxes et contributions s'applique de plein droit.",
            "Conformément à l'article L113-3 du Code des assurances, si une cotisation ou une fraction de cotisation "
            "n'est pas payée dans les 10 jours de son échéance, nous pouvons vous adresser une lettre recommandée "
            "de mise en demeure. Les garanties sont suspendues 30 jours après l'envoi de cette lettre, et le "
            "contrat peut être résilié 10 jours après l'expiration de ce délai.",
            "Lorsqu'un {{avenant}} modifie vos garanties en cours d'année, la différence de cotisation est calculée "
            "au prorata de la période restant à courir jusqu'à la prochaine échéance principale. Elle vous est "
            "facturée ou remboursée selon le sens de la modification.",
            "Nous pouvons modifier notre tarif à l'échéance principale. Vous en êtes informé par l'avis d'échéance "
            "et pouvez alors résilier le contrat dans le délai d'un mois ; à défaut, le nouveau tarif s'applique.",
        ],
    ),
    _article(
        21,
        "Durée, résiliation",
        _CH_LIFE,
        [
            "Le contrat prend effet à la date indiquée aux conditions particulières, pour une durée d'un an. "
            "Il est ensuite reconduit tacitement d'année en année à chaque {{échéance}} principale, sauf résiliation "
            "par vous ou par nous dans les conditions ci-dessous.",
            "Vous pouvez résilier le contrat chaque année à l'échéance principale, avec un préavis de deux mois. "
            "Conformément à l'article L113-15-1 du Code des assurances (loi Chatel), l'avis d'échéance vous rappelle "
            "la date limite de résiliation ; s'il vous est adressé moins de 15 jours avant cette date ou après "
            "elle, vous pouvez résilier dans les 20 jours qui suivent son envoi.",
            "Après un an à compter de la première souscription, vous pouvez résilier le contrat à tout moment, "
            "sans frais ni pénalité, conformément à l'article L113-15-2 du Code des assurances (loi Hamon). "
            "La résiliation prend effet un mois après que nous en avons reçu la notification. Si vous êtes "
            "locataire, votre nouvel assureur effectue cette démarche pour vous.",
            "Le contrat peut aussi être résilié par vous ou par nous en cas de déménagement ou de changement de "
            "situation familiale ou professionnelle modifiant le risque (article L113-16). Nous pouvons le "
            "résilier après un {{sinistre}} (article R113-10) ; vous pouvez alors résilier, dans le délai d'un mois, "
            "les autres contrats souscrits auprès de nous.",
            "Vous pouvez notifier la résiliation par lettre, sur tout autre support durable ou depuis votre espace "
            "client, grâce à la fonctionnalité de résiliation en ligne prévue à l'article L113-14. En cas de "
            "résiliation en cours d'année, la part de cotisation afférente à la période non courue vous est remboursée.",
        ],
    ),
    _article(
        22,
        "Vos données personnelles",
        _CH_LIFE,
        [
            "Espace Assurances, responsable de traitement, traite vos données personnelles pour la souscription, "
            "la gestion et l'exécution de votre contrat, la gestion des sinistres et le recouvrement des cotisations. "
            "Elle les traite aussi pour satisfaire à ses obligations légales, notamment la lutte contre le "
            "blanchiment des capitaux et contre la fraude à l'assurance.",
            "Ces traitements reposent sur l'exécution du contrat, le respect de nos obligations légales et notre "
            "intérêt légitime. Les données sont destinées à nos services, à nos experts, à nos prestataires "
            "d'assistance et à nos réassureurs, ainsi qu'aux autorités habilitées ; elles ne sont jamais vendues.",
            "Vos données sont conservées pendant la durée du contrat, puis pendant les délais de {{prescription}} "
            "légaux, en général cinq ans après la fin de la relation ou le règlement définitif du dernier sinistre. "
            "Elles sont hébergées dans l'Union européenne.",
            "Conformément au règlement (UE) 2016/679 (RGPD) et à la loi n° 78-17 du 6 janvier 1978 modifiée, "
            "vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation, de portabilité et "
            "d'opposition. Vous pouvez aussi définir des directives relatives au sort de vos données après votre décès.",
            "Vous pouvez exercer ces droits auprès de notre délégué à la protection des données, par courriel à "
            f"dpo@espace-assurances.example ou par courrier au {_ADDRESS}. Si vous estimez que vos droits ne sont "
            "pas respectés, vous pouvez introduire une réclamation auprès de la CNIL.",
        ],
    ),
    _article(
        23,
        "Réclamations et médiation",
        _CH_LIFE,
        [
            f"Pour toute difficulté, contactez d'abord votre interlocuteur habituel depuis votre espace client ou "
            f"au {_PHONE}. Si sa réponse ne vous satisfait pas, adressez une réclamation écrite à notre service "
            f"Réclamations, par courrier au {_ADDRESS} ou par courriel à reclamations@espace-assurances.example.",
            "Nous accusons réception de votre réclamation dans un délai de 10 jours ouvrables, sauf si nous vous "
            "avons répondu entre-temps. Nous vous apportons une réponse dans un délai maximal de deux mois à compter "
            "de sa réception.",
            "Si le désaccord persiste, ou en l'absence de réponse dans ce délai, vous pouvez saisir gratuitement "
            "La Médiation de l'Assurance, TSA 50110, 75441 Paris Cedex 09, ou sur www.mediation-assurance.org. "
            "Le médiateur rend son avis dans un délai de 90 jours ; le recours à la médiation ne vous prive pas "
            "du droit de saisir les tribunaux.",
            "Toute action dérivant du contrat se prescrit par deux ans à compter de l'événement qui y donne "
            "naissance, dans les conditions des articles L114-1 à L114-3 du Code des assurances. "
            "La {{prescription}} est notamment interrompue par la désignation d'un expert après un sinistre ou par "
            "l'envoi d'une lettre recommandée avec accusé de réception relative au paiement de la cotisation ou "
            "au règlement de l'indemnité.",
            "Espace Assurances est soumise au contrôle de l'Autorité de contrôle prudentiel et de résolution "
            "(ACPR), 4 place de Budapest, CS 92459, 75436 Paris Cedex 09.",
        ],
    ),
]

ARTICLES_BY_NUMBER: dict[str, dict] = {article["number"]: article for article in ARTICLES}
ARTICLES_BY_SLUG: dict[str, dict] = {article["slug"]: article for article in ARTICLES}


def chapters() -> list[tuple[str, list[dict]]]:
    """The articles grouped by chapter, in the order of the text."""
    groups: list[tuple[str, list[dict]]] = []
    for article in ARTICLES:
        if not groups or groups[-1][0] != article["chapter"]:
            groups.append((article["chapter"], []))
        groups[-1][1].append(article)
    return groups


# ---------------------------------------------------------------------------------------------
# Glossary
# ---------------------------------------------------------------------------------------------

GLOSSARY: dict[str, dict[str, str]] = {
    "franchise": {
        "term": "Franchise",
        "definition": "Somme qui reste à votre charge lors d'un sinistre ; elle est déduite de l'indemnité. "
        f"Par exemple, avec une franchise de {format_euros(15_000)}, un dommage de "
        f"{format_euros(100_000)} est indemnisé {format_euros(85_000)}.",
    },
    "plafond": {
        "term": "Plafond",
        "definition": "Montant maximal que nous versons pour un même sinistre au titre d'une garantie. "
        "Il figure dans vos conditions particulières.",
    },
    "vétusté": {
        "term": "Vétusté",
        "definition": "Perte de valeur d'un bien due à son âge, à son usure et à son état d'entretien. "
        "Elle est déduite de l'indemnité, sauf lorsque le contrat prévoit une indemnisation "
        "en valeur à neuf.",
    },
    "sinistre": {
        "term": "Sinistre",
        "definition": "Événement susceptible de mettre en jeu une garantie du contrat : incendie, fuite d'eau, "
        "vol, dommage causé à autrui… Tous les dommages qui ont la même cause forment un seul sinistre.",
    },
    "tiers": {
        "term": "Tiers",
        "definition": "Toute personne qui n'est pas assurée par le contrat, par exemple votre voisin, un "
        "passant ou le propriétaire de votre logement. Les membres de votre foyer ne sont pas "
        "des tiers entre eux.",
    },
    "valeur à neuf": {
        "term": "Valeur à neuf",
        "definition": "Indemnisation sur la base du prix d'un bien neuf équivalent, sans déduire la vétusté "
        "ou en ne la déduisant qu'au-delà d'un certain pourcentage fixé au contrat.",
    },
    "capital mobilier": {
        "term": "Capital mobilier",
        "definition": "Montant, choisi à la souscription, à hauteur duquel votre mobilier et vos objets "
        "personnels sont assurés. C'est le maximum que nous versons pour le contenu du logement.",
    },
    "objets de valeur": {
        "term": "Objets de valeur",
        "definition": "Bijoux, montres et objets en métal précieux, quelle que soit leur valeur, ainsi que "
        f"les tableaux, sculptures, tapis et collections valant plus de {format_euros(300_000)} "
        "pièce. Ils sont garantis dans une limite propre, fixée aux conditions particulières.",
    },
    "effraction": {
        "term": "Effraction",
        "definition": "Forcement, dégradation ou destruction d'un dispositif de fermeture (serrure, porte, "
        "fenêtre, volet) ou d'un mur, d'un sol ou d'un plafond, laissant des traces visibles.",
    },
    "catastrophe naturelle": {
        "term": "Catastrophe naturelle",
        "definition": "Événement naturel d'une intensité anormale (inondation, séisme, sécheresse…) reconnu "
        "comme tel par un arrêté interministériel publié au Journal officiel. Sans cet arrêté, "
        "la garantie catastrophes naturelles ne s'applique pas.",
    },
    "dépendances": {
        "term": "Dépendances",
        "definition": "Locaux qui ne servent pas d'habitation, situés à la même adresse que le logement : "
        "garage, cave, grenier, abri de jardin, buanderie. Ils peuvent communiquer ou non avec "
        "le logement.",
    },
    "avenant": {
        "term": "Avenant",
        "definition": "Document qui modifie votre contrat en cours de vie : changement de formule, de franchise "
        "ou d'adresse, ajout d'une option. Il indique la date d'effet du changement et la "
        "nouvelle cotisation.",
    },
    "échéance": {
        "term": "Échéance",
        "definition": "Date à laquelle une cotisation doit être payée. L'échéance principale, indiquée aux "
        "conditions particulières, est la date anniversaire à laquelle le contrat se renouvelle.",
    },
    "souscripteur": {
        "term": "Souscripteur",
        "definition": "Personne qui signe le contrat et s'engage à payer la cotisation. Il est assuré, "
        "comme les membres de son foyer.",
    },
    "dommages immatériels": {
        "term": "Dommages immatériels",
        "definition": "Préjudices financiers qui ne sont ni des dégâts matériels ni des blessures : perte de "
        "loyers, privation de jouissance, perte de données. Ils sont dits « consécutifs » "
        "lorsqu'ils découlent d'un dommage matériel ou corporel garanti.",
    },
    "subrogation": {
        "term": "Subrogation",
        "definition": "Mécanisme par lequel l'assureur qui vous a indemnisé se retourne, à votre place, contre "
        "le responsable du dommage pour se faire rembourser les sommes versées.",
    },
    "assuré": {
        "term": "Assuré",
        "definition": "Personne protégée par le contrat : le souscripteur et les membres de son foyer, "
        "dans les conditions décrites à l'article 2.",
    },
    "indemnité": {
        "term": "Indemnité",
        "definition": "Somme que nous versons, à vous ou à la victime, en réparation d'un dommage garanti, "
        "après déduction de la franchise et dans la limite du plafond.",
    },
    "expertise": {
        "term": "Expertise",
        "definition": "Examen des dommages par un professionnel indépendant, l'expert, qui en recherche les "
        "causes et en évalue le montant.",
    },
    "déchéance": {
        "term": "Déchéance",
        "definition": "Perte du droit à indemnité pour un sinistre, lorsque l'assuré n'a pas respecté certaines "
        "obligations (déclaration tardive ayant causé un préjudice, fausse déclaration). "
        "Le contrat continue de s'appliquer aux autres sinistres.",
    },
    "prescription": {
        "term": "Prescription",
        "definition": "Délai au-delà duquel une action en justice n'est plus possible. En assurance, il est en "
        "principe de deux ans à compter de l'événement qui donne naissance à l'action.",
    },
}


def glossary_anchor(key: str) -> str:
    """An ASCII anchor for a glossary key: ``"valeur à neuf"`` -> ``"valeur-a-neuf"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(key)).strip("-")


# ---------------------------------------------------------------------------------------------
# Particular conditions: what each formula changes compared to the general conditions
# ---------------------------------------------------------------------------------------------

_GUARANTEE_ARTICLES = {code: number for code, _category, _name, _description, number in GUARANTEES}
_GUARANTEE_NAMES = {code: name for code, _category, name, _description, _number in GUARANTEES}
_FORMULA_NAMES = {code: name for code, name, _description, _rank in FORMULAS}


def _cover(formula: str, guarantee: str) -> tuple:
    return COVER[formula][guarantee]


def _ceiling(formula: str, guarantee: str) -> str:
    return format_euros(_cover(formula, guarantee)[0])


def _not_covered(formula: str, guarantee: str) -> dict:
    return {
        "article": _GUARANTEE_ARTICLES[guarantee],
        "text": f"La garantie {_GUARANTEE_NAMES[guarantee]} n'est pas acquise dans la formule "
        f"{_FORMULA_NAMES[formula]}.",
    }


def _liability(formula: str) -> dict:
    ceiling_cents, note, *_rest = _cover(formula, "RC_VIE_PRIVEE")
    return {
        "article": "Art. 12",
        "text": f"La garantie est accordée à hauteur de {format_euros(ceiling_cents)} par sinistre, dont "
        f"{format_euros(_amount_in(note))} pour les dommages matériels.",
    }


def _assistance(formula: str, extra: str = "") -> dict:
    ceiling_cents, note, *_rest = _cover(formula, "ASSISTANCE")
    return {
        "article": "Art. 14",
        "text": f"Les prestations d'assistance sont prises en charge dans la limite de "
        f"{format_euros(ceiling_cents)} par sinistre ; le relogement d'urgence est pris en charge "
        f"pendant {_number_in(note, 'nuits')} nuits au plus.{extra}",
    }


def _leak_search(formula: str) -> str:
    return format_euros(_amount_in(_cover(formula, "DEGATS_EAUX")[1]))


def _valuables_share(formula: str) -> int:
    return _number_in(_cover(formula, "VOL")[1], "%")


def _legal_protection_threshold(formula: str) -> str:
    return format_euros(_amount_in(_cover(formula, "PROTECTION_JURIDIQUE")[1]))


_OPTIONAL_LEGAL_PROTECTION = (
    "La protection juridique n'est pas incluse dans la formule {formula} ; elle peut être souscrite "
    "en option, avec un plafond et un seuil d'intervention fixés lors de sa souscription."
)

PARTICULAR_OVERRIDES: dict[str, list[dict]] = {
    "ESSENTIELLE": [
        {
            "article": "Art. 5",
            "text": "Les bâtiments sont indemnisés sur la base de leur valeur de reconstruction, vétusté "
            "déduite, et le mobilier dans la limite du capital mobilier. Les brûlures de fumeurs "
            "sans incendie ne sont pas garanties.",
        },
        {
            "article": "Art. 6",
            "text": "Les dommages sont garantis dans la limite du capital mobilier et des frais de remise en "
            "état ; la recherche de fuite est prise en charge au titre de ces frais. Les infiltrations "
            "par les façades ne sont pas garanties.",
        },
        {
            "article": "Art. 7",
            "text": "Les clôtures, antennes et stores extérieurs ne sont pas garantis.",
        },
        _not_covered("ESSENTIELLE", "VOL"),
        _not_covered("ESSENTIELLE", "BRIS_GLACE"),
        _not_covered("ESSENTIELLE", "DOMMAGES_ELEC"),
        _liability("ESSENTIELLE"),
        {"article": "Art. 13", "text": _OPTIONAL_LEGAL_PROTECTION.format(formula="Essentielle")},
        _assistance("ESSENTIELLE"),
    ],
    "CONFORT": [
        {
            "article": "Art. 5",
            "text": "Les bâtiments sont indemnisés sur la base de leur valeur de reconstruction, vétusté "
            "déduite, et le mobilier dans la limite du capital mobilier. Les brûlures de fumeurs "
            "sans incendie ne sont pas garanties.",
        },
        {
            "article": "Art. 6",
            "text": f"Les frais de recherche de fuite sont pris en charge jusqu'à {_leak_search('CONFORT')} "
            "par sinistre. Les infiltrations par les façades ne sont pas garanties.",
        },
        {
            "article": "Art. 7",
            "text": "Les clôtures, antennes et stores extérieurs ne sont pas garantis.",
        },
        {
            "article": "Art. 9",
            "text": f"Les objets de valeur sont garantis dans la limite de {_valuables_share('CONFORT')} % "
            "du capital mobilier. Le vol commis dans les parties communes de l'immeuble n'est pas garanti.",
        },
        {
            "article": "Art. 10",
            "text": f"La garantie est accordée à hauteur de {_ceiling('CONFORT', 'BRIS_GLACE')} par sinistre, "
            f"après application d'une franchise spécifique de "
            f"{format_euros(_cover('CONFORT', 'BRIS_GLACE')[3])}.",
        },
        {
            "article": "Art. 11",
            "text": f"La garantie est accordée à hauteur de {_ceiling('CONFORT', 'DOMMAGES_ELEC')} par sinistre. "
            "La vétusté est déduite pour les appareils de plus de 5 ans ; les appareils de plus de "
            "10 ans ne sont pas garantis.",
        },
        _liability("CONFORT"),
        {"article": "Art. 13", "text": _OPTIONAL_LEGAL_PROTECTION.format(formula="Confort")},
        _assistance("CONFORT"),
    ],
    "INTEGRALE": [
        {
            "article": "Art. 5",
            "text": "Les bâtiments et le mobilier sont indemnisés en valeur à neuf (voir Art. 19). "
            "Par dérogation aux conditions générales, les brûlures de fumeurs sans incendie sont garanties.",
        },
        {
            "article": "Art. 6",
            "text": f"Les frais de recherche de fuite sont pris en charge jusqu'à {_leak_search('INTEGRALE')} "
            "par sinistre. Les infiltrations accidentelles par les façades sont garanties.",
        },
        {
            "article": "Art. 7",
            "text": "Les dommages sont indemnisés en valeur à neuf. Les clôtures sont garanties ; les antennes "
            "et stores extérieurs restent exclus.",
        },
        {
            "article": "Art. 9",
            "text": f"Les objets de valeur sont garantis dans la limite de {_valuables_share('INTEGRALE')} % "
            "du capital mobilier. Le vol commis dans les parties communes de l'immeuble est garanti.",
        },
        {
            "article": "Art. 10",
            "text": f"La garantie est accordée à hauteur de {_ceiling('INTEGRALE', 'BRIS_GLACE')} par sinistre, "
            "sans franchise.",
        },
        {
            "article": "Art. 11",
            "text": f"La garantie est accordée à hauteur de {_ceiling('INTEGRALE', 'DOMMAGES_ELEC')} par sinistre. "
            "Les appareils de moins de 5 ans sont indemnisés en valeur à neuf ; au-delà, la vétusté "
            "est déduite, sans limite d'âge des appareils garantis.",
        },
        _liability("INTEGRALE"),
        {
            "article": "Art. 13",
            "text": "La protection juridique est incluse : nous prenons en charge les frais jusqu'à "
            f"{_ceiling('INTEGRALE', 'PROTECTION_JURIDIQUE')} par litige, avec un seuil d'intervention "
            f"de {_legal_protection_threshold('INTEGRALE')}.",
        },
        _assistance(
            "INTEGRALE",
            " L'assistance s'applique également aux événements survenus hors du logement assuré.",
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------------------------

_MARKUP = re.compile(r"\[\[(?P<ref>[^\[\]{}]*)\]\]|\{\{(?P<term>[^\[\]{}]*)\}\}")
_STRAY = ("[[", "]]", "{{", "}}")


def render_paragraph(text: str) -> list[dict]:
    """Split a paragraph into segments for the web page.

    Each segment is ``{"kind": "text" | "ref" | "term", "text": shown text, "target": ...}``:
    the target is the article's slug for a ref, the glossary key for a term and ``""`` for text.
    Raises ValueError for an unknown article or glossary key, or a markup left open.
    """
    segments: list[dict] = []

    def add_text(chunk: str) -> None:
        if not chunk:
            return
        if any(marker in chunk for marker in _STRAY):
            raise ValueError(f"unbalanced markup in {chunk!r}")
        if segments and segments[-1]["kind"] == "text":
            segments[-1]["text"] += chunk
        else:
            segments.append({"kind": "text", "text": chunk, "target": ""})

    position = 0
    for match in _MARKUP.finditer(text):
        add_text(text[position : match.start()])
        position = match.end()
        if match.group("ref") is not None:
            number = match.group("ref").strip()
            article = ARTICLES_BY_NUMBER.get(number)
            if article is None:
                raise ValueError(f"unknown article {number!r}")
            segments.append({"kind": "ref", "text": number, "target": article["slug"]})
        else:
            key, _bar, shown = match.group("term").partition("|")
            key = key.strip()
            if key not in GLOSSARY:
                raise ValueError(f"unknown glossary key {key!r}")
            segments.append({"kind": "term", "text": shown or key, "target": key})
    add_text(text[position:])
    return segments


def visible_text(text: str) -> str:
    """The paragraph as the reader sees it, without the markup."""
    return "".join(segment["text"] for segment in render_paragraph(text))
