"""Search quality set: French queries a policyholder types on a phone, with the items that answer
them.

Each entry of ``QUERIES`` is ``(category, query, relevant keys)``. The relevant keys were chosen by
reading the items (FAQ answers, general-conditions articles, glossary, the guarantees of the demo
holder's formulas, her claims, messages, payments and documents), from the meaning of the query,
never from what the engine returns. The demo holder is Camille Martin (``seed.DEMO_EMAIL``):
contract MRH0412857 (formula Confort, flat in Lyon, paid monthly) and MRH0413922 (formula Intégrale,
house in Carnac, paid yearly). Essentielle guarantees are out of her reach, so they never appear
here.

Public items use their index keys as they are (``guarantee:confort:degats_eaux``, ``article:art-6``,
``glossary:franchise``, ``faq:degat-des-eaux``). Her own data has database ids that depend on the
seed, so it is written with symbolic keys that :func:`resolve` maps to index keys at run time:

- ``claim@water_damage`` / ``claim@storm``: her (only) claim of that peril (its number carries the
  year of the declaration, which moves with the seed's date; the peril does not). A query that is a
  claim number is written ``{number@water_damage}`` and typed as that claim's number
  (:func:`query_text`);
- ``message@water_damage:staff`` / ``message@water_damage:holder``: the message of that claim
  written by the handler / by her;
- ``payment@rejected``: her rejected direct debit; ``payment@next``: the next scheduled one;
  ``payment@2025-11`` or ``payment@2026-04:MRH0413922``: the payment due that month (on that
  contract);
- ``document@mandate``: her signed SEPA mandate; ``document@receipt:2025-11`` (optionally
  ``:MRH0412857``): the receipt of the payment due that month.

A key ending with ``*`` stands for every item it matches (see :func:`resolve_all`):
``payment@upcoming*`` (every scheduled payment), ``document@receipt*`` (every receipt),
``document@receipt:2024*`` (the receipts of payments due in 2024),
``document@receipt:MRH0413922*`` (the receipts of that contract), ``payment@contract:MRH0413922*``,
``document@attestation*`` (every home-insurance attestation issued to her), ``document@notice*``
(every annual notice, avis d'échéance, sent to her).
Every one of those items answers the query equally well (e.g. any receipt for « quittance »).
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from espace.billing.models import Payment, PaymentStatus
from espace.claims.models import Claim, ClaimMessage
from espace.contracts.models import Contract
from espace.documents.models import Document, DocumentKind
from espace.support.models import SupportThread

# ----- shorthands for items that answer many queries -------------------------------------------

WATER = {"guarantee:confort:degats_eaux", "guarantee:integrale:degats_eaux", "article:art-6"}
THEFT = {"guarantee:confort:vol", "guarantee:integrale:vol", "article:art-9"}
GLASS = {"guarantee:confort:bris_glace", "guarantee:integrale:bris_glace", "article:art-10"}
NATCAT = {"guarantee:confort:catnat", "guarantee:integrale:catnat", "article:art-8"}
STORM = {"guarantee:confort:climat", "guarantee:integrale:climat", "article:art-7"}
FIRE = {"guarantee:confort:incendie", "guarantee:integrale:incendie", "article:art-5"}
ELECTRIC = {
    "guarantee:confort:dommages_elec",
    "guarantee:integrale:dommages_elec",
    "article:art-11",
}
LIABILITY = {
    "guarantee:confort:rc_vie_privee",
    "guarantee:integrale:rc_vie_privee",
    "article:art-12",
}
ASSISTANCE = {"guarantee:confort:assistance", "guarantee:integrale:assistance", "article:art-14"}
LEGAL = {"guarantee:integrale:protection_juridique", "article:art-13"}
DEDUCTIBLE = {"article:art-16", "faq:franchise", "glossary:franchise"}
CANCEL = {"faq:resilier-contrat", "article:art-21"}
DISASTER = NATCAT | {"faq:catastrophe-naturelle", "glossary:catastrophe-naturelle"}
CERTIFICATE = {"faq:attestation-habitation", "faq:types-attestations", "document@attestation*"}

MY_WATER_CLAIM = (
    "claim@water_damage"  # declared 6 days ago: leak from the upstairs neighbour, expert appointed
)
MY_STORM_CLAIM = (
    "claim@storm"  # declared 419 days ago: tiles torn off by storm Ciarán, paid and closed
)

QUERIES: list[tuple[str, str, set[str]]] = [
    # ----- english: the same needs typed in English -----
    ("english", "water leak from the ceiling", WATER | {"faq:degat-des-eaux", MY_WATER_CLAIM}),
    ("english", "burglary theft", THEFT | {"faq:vol-cambriolage"}),
    ("english", "stolen jewellery", THEFT | {"faq:vol-cambriolage", "glossary:objets-de-valeur"}),
    ("english", "cracked glass door", GLASS | {"faq:reglement-express-bris-de-glace"}),
    ("english", "house fire", FIRE),
    ("english", "lightning damaged my tv", ELECTRIC),
    (
        "english",
        "home insurance certificate",
        {"faq:attestation-habitation", "faq:types-attestations", "document@attestation*"},
    ),
    ("english", "how do I file a claim", {"faq:declarer-sinistre", "article:art-17"}),
    ("english", "change my bank account", {"faq:compte-bancaire-mandat"}),
    ("english", "payment receipt", {"faq:quittances", "document@receipt*"}),
    ("english", "third party liability", LIABILITY),
    (
        "english",
        "earthquake",
        NATCAT | {"faq:catastrophe-naturelle", "glossary:catastrophe-naturelle"},
    ),
    ("english", "emergency locksmith", ASSISTANCE | {"faq:assistance-urgence"}),
    ("english", "delete my personal data", {"faq:effacement-donnees", "faq:droits-rgpd"}),
    # ----- negation: what is NOT covered, what did NOT happen -----
    ("negation", "qu'est-ce qui n'est jamais garanti", {"article:art-15"}),
    ("negation", "ce qui n'est pas couvert par le dégât des eaux", WATER),
    ("negation", "je ne reçois pas le SMS", {"faq:code-nouvel-appareil"}),
    ("negation", "pas de franchise", {"article:art-16", "faq:franchise", "glossary:franchise"}),
    ("negation", "le voisin ne veut pas signer le constat", {"faq:constat-amiable-degat-des-eaux"}),
    ("negation", "exclusions non couvertes", {"article:art-15"}),
    (
        "negation",
        "je n'ai pas de mobile pour recevoir le code",
        {"faq:acces-email-perdu", "faq:code-nouvel-appareil"},
    ),
    ("negation", "not covered damage", {"article:art-15"}),
    # ----- everyday: situations told as people tell them (words with several senses) -----
    ("everyday", "je pars 2 mois en vacances", {"article:art-4", "article:art-9"}),
    (
        "everyday",
        "qui paye si mon voisin est inondé",
        LIABILITY | WATER | {"faq:constat-amiable-degat-des-eaux"},
    ),
    ("everyday", "mon fils a cassé la vitre de l'école", LIABILITY),
    ("everyday", "il vient de pleuvoir dans la chambre", WATER | STORM),
    ("everyday", "je paie trop cher", {"faq:modifier-contrat", "article:art-16"}),
    ("everyday", "ma fille part étudier à l'étranger", {"article:art-2", "article:art-4"}),
    ("everyday", "mon logement reste vide tout l'été", {"article:art-9", "article:art-4"}),
    ("everyday", "mon colocataire est-il assuré", {"article:art-2", "glossary:assure"}),
    ("everyday", "fuite sous l'évier", WATER | {"faq:degat-des-eaux"}),
    ("everyday", "ma paie arrive le 10", {"faq:date-prelevement"}),
    # ----- more negation, everyday and paraphrase (grown while tuning, never from the held-out set)
    # -----
    ("negation", "dommages non garantis", {"article:art-15"}),
    ("negation", "ce qui n'est pas pris en charge", {"article:art-15"}),
    (
        "negation",
        "vol non couvert",
        {"article:art-9", "guarantee:confort:vol", "guarantee:integrale:vol"},
    ),
    (
        "negation",
        "je ne trouve pas mon attestation",
        {"faq:attestation-habitation", "faq:types-attestations", "document@attestation*"},
    ),
    ("negation", "mon prélèvement n'est pas passé", {"payment@rejected", "faq:prelevement-rejete"}),
    ("negation", "what isn't covered by my insurance", {"article:art-15"}),
    ("negation", "le code n'arrive pas", {"faq:code-nouvel-appareil"}),
    ("everyday", "mon chat a renversé un vase chez la voisine", LIABILITY),
    ("everyday", "on m'a piqué mon ordinateur", THEFT | {"faq:vol-cambriolage"}),
    ("everyday", "le lave-linge a débordé", WATER | {"faq:degat-des-eaux"}),
    (
        "everyday",
        "ma maison a été inondée par la rivière",
        NATCAT | {"faq:catastrophe-naturelle", "glossary:catastrophe-naturelle"},
    ),
    ("everyday", "je n'habite plus là", {"faq:demenagement", "article:art-21", "article:art-4"}),
    (
        "paraphrase",
        "la serrure a été forcée",
        THEFT | {"faq:vol-cambriolage", "glossary:effraction"},
    ),
    (
        "paraphrase",
        "de l'eau coule sous la porte de la salle de bain",
        WATER | {"faq:degat-des-eaux"},
    ),
    ("paraphrase", "je veux arrêter mon assurance", {"faq:resilier-contrat", "article:art-21"}),
    ("paraphrase", "quelqu'un a tagué ma façade", THEFT),
    # ----- typo in short words -----
    ("typo", "dégat des eau", WATER | {"faq:degat-des-eaux", MY_WATER_CLAIM}),
    ("typo", "bri de vitre", GLASS | {"faq:reglement-express-bris-de-glace"}),
    ("typo", "feu de cheminé", FIRE),
    ("typo", "vole bijoux", THEFT | {"faq:vol-cambriolage", "glossary:objets-de-valeur"}),
    # ----- synonym: the holder's word is not the insurer's -----
    ("synonym", "fuite", WATER | {"faq:degat-des-eaux", MY_WATER_CLAIM}),
    ("synonym", "cambriolage", THEFT | {"faq:vol-cambriolage"}),
    ("synonym", "vitre", GLASS | {"faq:reglement-express-bris-de-glace"}),
    (
        "synonym",
        "inondation",
        NATCAT | {"faq:catastrophe-naturelle", "glossary:catastrophe-naturelle"},
    ),
    ("synonym", "voleur", THEFT | {"faq:vol-cambriolage"}),
    ("synonym", "coup de vent", STORM | {MY_STORM_CLAIM}),
    ("synonym", "carreau cassé", GLASS | {"faq:reglement-express-bris-de-glace"}),
    ("synonym", "foudre", ELECTRIC | FIRE),
    ("synonym", "rc", LIABILITY),
    ("synonym", "quittance", {"faq:quittances", "document@receipt*"}),
    ("synonym", "dédommagement", {"article:art-19", "glossary:indemnite", "faq:franchise"}),
    ("synonym", "reste à charge", {"glossary:franchise", "article:art-16", "faq:franchise"}),
    # ----- typo: letters missing, doubled or swapped -----
    ("typo", "cambriolge", THEFT | {"faq:vol-cambriolage"}),
    (
        "typo",
        "innondation",
        NATCAT | {"faq:catastrophe-naturelle", "glossary:catastrophe-naturelle"},
    ),
    (
        "typo",
        "atestation",
        {"faq:attestation-habitation", "faq:types-attestations", "faq:verifier-attestation"},
    ),
    ("typo", "franchize", {"glossary:franchise", "article:art-16", "faq:franchise"}),
    ("typo", "prelevment rejete", {"payment@rejected", "faq:prelevement-rejete"}),
    ("typo", "fuitte d'eau", WATER | {"faq:degat-des-eaux", MY_WATER_CLAIM}),
    ("typo", "resiliasion", {"faq:resilier-contrat", "article:art-21"}),
    ("typo", "tempette", STORM | {MY_STORM_CLAIM}),
    ("typo", "subrogasion", {"glossary:subrogation", "article:art-19"}),
    ("typo", "mot de pase oublié", {"faq:mot-de-passe-oublie"}),
    ("typo", "vétustée", {"glossary:vetuste", "article:art-19"}),
    ("typo", "sinitre en cours", {MY_WATER_CLAIM}),
    # ----- accents: typed without them -----
    (
        "accents",
        "degat des eaux",
        WATER | {"faq:degat-des-eaux", "faq:constat-amiable-degat-des-eaux", MY_WATER_CLAIM},
    ),
    ("accents", "prelevement rejete", {"payment@rejected", "faq:prelevement-rejete"}),
    ("accents", "echeancier", {"payment@upcoming*", "faq:fractionnement", "faq:date-prelevement"}),
    (
        "accents",
        "resiliation",
        {"faq:resilier-contrat", "article:art-21", "faq:remboursement-resiliation"},
    ),
    ("accents", "vetuste", {"glossary:vetuste", "article:art-19"}),
    (
        "accents",
        "catastrophe naturelle arrete",
        NATCAT | {"faq:catastrophe-naturelle", "glossary:catastrophe-naturelle"},
    ),
    ("accents", "responsabilite civile", LIABILITY),
    ("accents", "reglement express bris de glace", {"faq:reglement-express-bris-de-glace"}),
    ("accents", "dommages electriques", ELECTRIC),
    ("accents", "recu de cotisation", {"faq:quittances", "document@receipt*"}),
    ("accents", "expertise desaccord", {"article:art-18", "faq:visite-expert"}),
    # ----- paraphrase: the situation told in everyday words -----
    ("paraphrase", "l'eau coule du plafond", WATER | {"faq:degat-des-eaux", MY_WATER_CLAIM}),
    (
        "paraphrase",
        "on m'a volé mon vélo dans la cave",
        THEFT | {"faq:vol-cambriolage", "glossary:dependances"},
    ),
    ("paraphrase", "ma box a grillé pendant l'orage", ELECTRIC),
    ("paraphrase", "le vent a arraché des tuiles", STORM | {MY_STORM_CLAIM}),
    ("paraphrase", "mon fils a cassé la télé d'un copain", LIABILITY),
    (
        "paraphrase",
        "je n'arrive plus à me connecter",
        {
            "faq:mot-de-passe-oublie",
            "faq:compte-bloque",
            "faq:acces-email-perdu",
            "faq:se-connecter",
        },
    ),
    ("paraphrase", "je ne veux plus recevoir de pub", {"faq:prospection-commerciale"}),
    ("paraphrase", "je change de banque", {"faq:compte-bancaire-mandat"}),
    ("paraphrase", "la baie vitrée est fendue", GLASS | {"faq:reglement-express-bris-de-glace"}),
    (
        "paraphrase",
        "mes bijoux ont disparu",
        THEFT | {"faq:vol-cambriolage", "glossary:objets-de-valeur"},
    ),
    (
        "paraphrase",
        "je quitte mon appartement pour une maison",
        {"faq:demenagement", "article:art-4", "article:art-21"},
    ),
    # ----- question: asked as a whole sentence -----
    (
        "question",
        "combien je paie par mois ?",
        {"payment@upcoming*", "faq:fractionnement", "article:art-20"},
    ),
    (
        "question",
        "que faire après un cambriolage ?",
        THEFT | {"faq:vol-cambriolage", "faq:assistance-urgence"},
    ),
    (
        "question",
        "qui appeler la nuit pour une fuite ?",
        ASSISTANCE | {"faq:assistance-urgence", "faq:degat-des-eaux"},
    ),
    (
        "question",
        "comment déclarer un sinistre ?",
        {"faq:declarer-sinistre", "article:art-17", "faq:delais-declaration"},
    ),
    (
        "question",
        "combien de temps pour déclarer un vol ?",
        {"faq:delais-declaration", "article:art-17", "article:art-9"},
    ),
    (
        "question",
        "est-ce que je suis remboursé à neuf ?",
        {"glossary:valeur-a-neuf", "article:art-19", "faq:formules"},
    ),
    (
        "question",
        "où est mon attestation d'assurance ?",
        {"faq:attestation-habitation", "faq:types-attestations", "document@attestation*"},
    ),
    (
        "question",
        "quand l'expert va-t-il passer ?",
        {
            "message@water_damage:staff",
            "message@water_damage:holder",
            MY_WATER_CLAIM,
            "faq:visite-expert",
            "faq:etapes-sinistre",
        },
    ),
    ("question", "comment changer la date du prélèvement ?", {"faq:date-prelevement"}),
    (
        "question",
        "pourquoi mon prélèvement a été refusé ?",
        {"payment@rejected", "faq:prelevement-rejete"},
    ),
    (
        "question",
        "une tempête c'est une catastrophe naturelle ?",
        {"faq:catastrophe-naturelle", "article:art-7", "article:art-8"},
    ),
    # ----- own_data: her claims, messages, payments, documents -----
    ("own_data", "mon sinistre tempête", {MY_STORM_CLAIM}),
    (
        "own_data",
        "message de l'expert",
        {"message@water_damage:staff", "message@water_damage:holder", MY_WATER_CLAIM},
    ),
    ("own_data", "prélèvement rejeté", {"payment@rejected", "faq:prelevement-rejete"}),
    ("own_data", "mandat sepa", {"document@mandate", "faq:compte-bancaire-mandat"}),
    ("own_data", "reçu de cotisation novembre 2025", {"document@receipt:2025-11"}),
    (
        "own_data",
        "{number@water_damage}",
        {MY_WATER_CLAIM, "message@water_damage:staff", "message@water_damage:holder"},
    ),
    ("own_data", "mon dégât des eaux en cours", {MY_WATER_CLAIM}),
    ("own_data", "virement indemnité tempête", {MY_STORM_CLAIM}),
    ("own_data", "parquet abîmé", {MY_WATER_CLAIM}),
    ("own_data", "prochain prélèvement", {"payment@next"}),
    (
        "own_data",
        "cotisation maison de Carnac",
        {"payment@contract:MRH0413922*", "document@receipt:MRH0413922*"},
    ),
    ("own_data", "mes reçus 2024", {"document@receipt:2024*"}),
    # ----- conditions: general-conditions articles and glossary -----
    ("conditions", "subrogation", {"glossary:subrogation", "article:art-19"}),
    ("conditions", "délai de déclaration", {"article:art-17", "faq:delais-declaration"}),
    ("conditions", "valeur à neuf", {"glossary:valeur-a-neuf", "article:art-19", "faq:formules"}),
    ("conditions", "exclusions communes", {"article:art-15"}),
    ("conditions", "prescription", {"glossary:prescription", "article:art-23"}),
    ("conditions", "déchéance", {"glossary:decheance", "article:art-17"}),
    (
        "conditions",
        "dépendances",
        {"glossary:dependances", "article:art-3", "article:art-4", "article:art-9"},
    ),
    ("conditions", "plafond de garantie", {"glossary:plafond", "article:art-19"}),
    (
        "conditions",
        "mise en demeure cotisation impayée",
        {"article:art-20", "faq:prelevement-rejete"},
    ),
    ("conditions", "médiateur", {"article:art-23", "faq:reclamation-cnil"}),
    (
        "conditions",
        "loi Hamon",
        {"article:art-21", "faq:resilier-contrat", "faq:remboursement-resiliation"},
    ),
    ("conditions", "personnes assurées", {"article:art-2", "glossary:assure"}),
    # ----- short: one word, often ambiguous -----
    ("short", "eau", WATER | {"faq:degat-des-eaux", MY_WATER_CLAIM}),
    ("short", "vol", THEFT | {"faq:vol-cambriolage"}),
    ("short", "verre", GLASS | {"faq:reglement-express-bris-de-glace"}),
    ("short", "feu", FIRE),
    (
        "short",
        "expert",
        {
            "faq:visite-expert",
            "glossary:expertise",
            "article:art-18",
            MY_WATER_CLAIM,
            "message@water_damage:holder",
        },
    ),
    ("short", "franchise", {"glossary:franchise", "article:art-16", "faq:franchise"}),
    ("short", "sepa", {"document@mandate", "faq:compte-bancaire-mandat"}),
    ("short", "tempête", STORM | {MY_STORM_CLAIM}),
    (
        "short",
        "attestation",
        {
            "faq:attestation-habitation",
            "faq:types-attestations",
            "faq:verifier-attestation",
            "document@attestation*",
        },
    ),
    ("short", "rib", {"faq:compte-bancaire-mandat", "document@mandate"}),
    ("short", "serrurier", ASSISTANCE | {"faq:assistance-urgence", "faq:vol-cambriolage"}),
    ("short", "grêle", STORM),
    # ----- grown on 7 December 2026: three rounds written from the items' meaning before any was
    # run (a fresh set each time: 0.920, 0.833 on its negations, then 0.792 success@3 before the
    # engine changes of that day), then tuned on; never from the held-out set -----
    ("english", "frozen pipe burst", WATER | {"faq:degat-des-eaux"}),
    (
        "english",
        "my bike was stolen from the garage",
        THEFT | {"faq:vol-cambriolage", "glossary:dependances"},
    ),
    ("english", "legal expenses cover", LEGAL),
    ("english", "how much is my deductible", DEDUCTIBLE),
    ("english", "cancel my home insurance", CANCEL),
    ("english", "power surge fried my fridge", ELECTRIC),
    ("english", "hail damaged the roof", STORM),
    ("english", "forgot my password", {"faq:mot-de-passe-oublie"}),
    ("english", "moving house", {"faq:demenagement", "article:art-21", "article:art-4"}),
    ("english", "flood from the river", DISASTER),
    (
        "english",
        "when is my next direct debit",
        {"payment@next", "faq:rappel-prelevement", "faq:date-prelevement"},
    ),
    ("english", "complaint to the ombudsman", {"article:art-23"}),
    ("english", "who is insured under my policy", {"article:art-2", "glossary:assure"}),
    ("english", "my account is locked", {"faq:compte-bloque"}),
    ("negation", "les biens qui ne sont pas assurés", {"article:art-3", "article:art-15"}),
    ("negation", "je n'ai pas reçu mon attestation", CERTIFICATE),
    (
        "negation",
        "je ne peux pas payer ce mois-ci",
        {"faq:prelevement-rejete", "article:art-20", "faq:date-prelevement"},
    ),
    (
        "negation",
        "pas d'effraction mais des objets ont disparu",
        THEFT | {"glossary:effraction", "faq:vol-cambriolage"},
    ),
    ("negation", "je ne me souviens plus de mon mot de passe", {"faq:mot-de-passe-oublie"}),
    ("negation", "je n'ai pas de réseau pour déclarer", {"faq:declarer-sinistre-hors-ligne"}),
    ("negation", "je ne reconnais pas cette connexion", {"faq:alerte-connexion-inconnue"}),
    (
        "negation",
        "pourquoi je ne suis pas remboursé en totalité",
        DEDUCTIBLE | {"glossary:vetuste", "article:art-19"},
    ),
    ("negation", "not received the verification code", {"faq:code-nouvel-appareil"}),
    ("negation", "I don't want marketing emails", {"faq:prospection-commerciale"}),
    (
        "negation",
        "le propriétaire n'accepte pas mon attestation",
        {"faq:verifier-attestation", "faq:types-attestations"},
    ),
    ("everyday", "mon ado a rayé la voiture du voisin avec son vélo", LIABILITY),
    (
        "everyday",
        "la machine à laver a coulé chez le voisin du dessous",
        WATER | LIABILITY | {"faq:constat-amiable-degat-des-eaux", "faq:degat-des-eaux"},
    ),
    ("everyday", "un arbre est tombé sur le toit", STORM),
    (
        "everyday",
        "on a défoncé ma porte d'entrée",
        THEFT | {"glossary:effraction", "faq:vol-cambriolage"},
    ),
    (
        "everyday",
        "j'ai perdu mes clés, je suis à la porte",
        ASSISTANCE | {"faq:assistance-urgence"},
    ),
    ("everyday", "la foudre est tombée sur la maison", ELECTRIC | FIRE),
    ("everyday", "mon congélateur ne marche plus après une coupure de courant", ELECTRIC),
    (
        "everyday",
        "je veux baisser ma cotisation",
        {"faq:modifier-contrat", "faq:formules", "faq:options"},
    ),
    (
        "everyday",
        "je vais me marier, mon conjoint est-il couvert",
        {"article:art-2", "glossary:assure"},
    ),
    ("everyday", "les plombs ont sauté et la télé ne marche plus", ELECTRIC),
    (
        "everyday",
        "j'ai changé de téléphone et on me demande un code",
        {"faq:code-nouvel-appareil", "faq:application-authentification"},
    ),
    ("everyday", "je pars vivre chez mon copain", {"faq:demenagement", "article:art-21"}),
    ("everyday", "de la moisissure au plafond de la salle de bain", WATER | {"faq:degat-des-eaux"}),
    ("typo", "asistance depanage", ASSISTANCE | {"faq:assistance-urgence"}),
    ("typo", "bris de glase", GLASS | {"faq:reglement-express-bris-de-glace"}),
    ("typo", "responsabilté civil", LIABILITY),
    ("typo", "declaré un sinistre", {"faq:declarer-sinistre", "article:art-17"}),
    ("typo", "cotisaton anuelle", {"article:art-20", "faq:fractionnement"}),
    ("typo", "catastrofe naturele", DISASTER),
    ("typo", "dégas électrique", ELECTRIC),
    ("short", "médiation", {"article:art-23"}),
    ("short", "mandat", {"document@mandate", "faq:compte-bancaire-mandat"}),
    ("synonym", "infiltration", WATER),
    ("synonym", "intrusion", THEFT | {"glossary:effraction", "faq:vol-cambriolage"}),
    ("synonym", "avocat", LEGAL),
    ("synonym", "dépannage", ASSISTANCE | {"faq:assistance-urgence"}),
    ("synonym", "mensualisation", {"faq:fractionnement", "article:art-20"}),
    ("synonym", "relevé d'identité bancaire", {"faq:compte-bancaire-mandat", "document@mandate"}),
    ("paraphrase", "quelqu'un est entré chez moi pendant la nuit", THEFT | {"faq:vol-cambriolage"}),
    ("paraphrase", "le toit laisse passer la pluie", WATER | STORM),
    (
        "paraphrase",
        "combien de jours pour prévenir l'assureur",
        {"article:art-17", "faq:delais-declaration"},
    ),
    ("paraphrase", "je souhaite mettre fin à mon contrat", CANCEL),
    (
        "paraphrase",
        "on me demande de prouver ce que je possédais",
        {"faq:justificatifs-a-conserver", "article:art-18", "article:art-19"},
    ),
    (
        "paraphrase",
        "mon bailleur veut vérifier que je suis assuré",
        {"faq:verifier-attestation", "faq:attestation-habitation"},
    ),
    ("question", "est-ce que mes enfants sont assurés ?", {"article:art-2", "glossary:assure"}),
    ("question", "que couvre la protection juridique ?", LEGAL),
    (
        "question",
        "qui paie la réparation de la fenêtre cassée ?",
        GLASS | {"faq:reglement-express-bris-de-glace"},
    ),
    ("question", "puis-je payer tous les trimestres ?", {"faq:fractionnement", "article:art-20"}),
    (
        "question",
        "l'assurance habitation est-elle obligatoire pour un locataire ?",
        {"faq:assurance-obligatoire"},
    ),
    ("own_data", "quittance de mars 2026", {"document@receipt:2026-03"}),
    ("own_data", "mon attestation", CERTIFICATE),
    (
        "own_data",
        "réponse du gestionnaire sur ma fuite",
        {"message@water_damage:staff", MY_WATER_CLAIM},
    ),
    ("own_data", "indemnisation de mon sinistre tempête", {MY_STORM_CLAIM}),
    ("own_data", "mes échéances à venir", {"payment@upcoming*"}),
    ("accents", "resilier mon contrat", CANCEL),
    ("accents", "evenement climatique grele", STORM),
    ("accents", "telecharger attestation", CERTIFICATE),
    ("accents", "reclamation", {"article:art-23", "faq:reclamation-cnil"}),
    ("conditions", "où s'exerce la garantie", {"article:art-4"}),
    ("conditions", "capital mobilier", {"glossary:capital-mobilier", "article:art-3"}),
    ("conditions", "dommages immatériels", {"glossary:dommages-immateriels"}),
    ("conditions", "indemnisation en valeur d'usage", {"article:art-19", "glossary:vetuste"}),
    ("conditions", "échéance annuelle", {"glossary:echeance", "article:art-21", "article:art-20"}),
    ("negation", "sans effraction", THEFT | {"glossary:effraction"}),
    (
        "negation",
        "vol sans trace d'effraction",
        THEFT | {"glossary:effraction", "faq:vol-cambriolage"},
    ),
    ("negation", "ce que mon assurance ne rembourse jamais", {"article:art-15"}),
    ("negation", "les dommages que l'assurance ne prend pas en charge", {"article:art-15"}),
    (
        "negation",
        "sinistre non déclaré à temps",
        {"article:art-17", "glossary:decheance", "faq:delais-declaration"},
    ),
    (
        "negation",
        "je n'ai pas de facture pour mes meubles",
        {"faq:justificatifs-a-conserver", "article:art-18"},
    ),
    ("negation", "what is not included in my cover", {"article:art-15"}),
    ("negation", "theft without forced entry", THEFT | {"glossary:effraction"}),
    ("negation", "my payment did not go through", {"payment@rejected", "faq:prelevement-rejete"}),
    ("negation", "je n'ai plus accès à ma boîte mail", {"faq:acces-email-perdu"}),
    ("negation", "le logement n'est pas habité l'hiver", {"article:art-4", "article:art-9"}),
    (
        "negation",
        "l'eau ne s'arrête pas de couler",
        WATER | {"faq:degat-des-eaux"} | ASSISTANCE | {"faq:assistance-urgence"},
    ),
    ("negation", "je ne suis pas d'accord avec l'expert", {"article:art-18", "faq:visite-expert"}),
    ("negation", "objets non assurés", {"article:art-3", "article:art-15"}),
    ("negation", "je n'ai jamais reçu mon code", {"faq:code-nouvel-appareil"}),
    ("negation", "exclu de la garantie vol", THEFT | {"article:art-15"}),
    ("negation", "ce qui n'est pas couvert en cas d'incendie", FIRE | {"article:art-15"}),
    ("negation", "aucun remboursement pour les bijoux ?", THEFT | {"glossary:objets-de-valeur"}),
    ("negation", "ma franchise n'est pas déduite", DEDUCTIBLE),
    (
        "negation",
        "je n'arrive pas à télécharger mon attestation",
        CERTIFICATE | {"faq:verifier-attestation"},
    ),
    (
        "negation",
        "l'expert n'est pas venu",
        {"faq:visite-expert", "article:art-18", MY_WATER_CLAIM, "message@water_damage:staff"},
    ),
    ("negation", "sinistre refusé pour défaut d'entretien", {"article:art-15"}),
    (
        "negation",
        "je ne veux plus de prélèvement automatique",
        {"faq:compte-bancaire-mandat", "faq:fractionnement", "article:art-20"},
    ),
    (
        "negation",
        "pas de nouvelles de mon dossier",
        {MY_WATER_CLAIM, "faq:etapes-sinistre", "message@water_damage:staff"},
    ),
    ("negation", "le bris de glace ne couvre pas quoi ?", GLASS),
    ("negation", "doesn't cover flood", DISASTER),
    (
        "negation",
        "mes bijoux ne sont pas assurés ?",
        THEFT | {"glossary:objets-de-valeur", "faq:options"},
    ),
    (
        "negation",
        "aucune nouvelle de l'expert",
        {"faq:visite-expert", MY_WATER_CLAIM, "message@water_damage:staff"},
    ),
    ("everyday", "la baignoire a débordé", WATER | {"faq:degat-des-eaux"}),
    (
        "everyday",
        "ma voisine du dessus a une fuite",
        WATER | {"faq:constat-amiable-degat-des-eaux", "faq:degat-des-eaux"},
    ),
    ("everyday", "des jeunes ont cassé ma boîte aux lettres", THEFT),
    ("everyday", "mon chien a mordu le facteur", LIABILITY),
    ("everyday", "un orage a grillé mon ordinateur", ELECTRIC),
    ("everyday", "ma banque a changé", {"faq:compte-bancaire-mandat"}),
    ("everyday", "mon fils de 20 ans est en fac à Bordeaux", {"article:art-2"}),
    ("everyday", "fissures dans les murs après la sécheresse", DISASTER),
    (
        "paraphrase",
        "qui rembourse les travaux chez le voisin",
        LIABILITY | WATER | {"faq:constat-amiable-degat-des-eaux"},
    ),
    (
        "paraphrase",
        "où en est le traitement de mon dossier",
        {MY_WATER_CLAIM, "faq:etapes-sinistre"},
    ),
    ("paraphrase", "payer en plusieurs fois", {"faq:fractionnement", "article:art-20"}),
    ("paraphrase", "changer la date de paiement", {"faq:date-prelevement"}),
    (
        "paraphrase",
        "recevoir un justificatif pour mon propriétaire",
        CERTIFICATE | {"faq:verifier-attestation"},
    ),
    (
        "paraphrase",
        "quelqu'un utilise mon compte",
        {"faq:alerte-connexion-inconnue", "faq:compte-bloque"},
    ),
    (
        "paraphrase",
        "l'assureur paie combien pour mes meubles anciens",
        {"glossary:vetuste", "article:art-19", "glossary:valeur-a-neuf"},
    ),
    (
        "question",
        "combien coûte l'option objets de valeur ?",
        {"faq:options", "glossary:objets-de-valeur"},
    ),
    (
        "question",
        "suis-je couvert si je prête mon appartement ?",
        {"article:art-2", "article:art-12"},
    ),
    ("question", "comment contester le montant proposé ?", {"article:art-18", "article:art-23"}),
    ("question", "quel est le plafond pour le vol ?", THEFT | {"glossary:plafond"}),
    (
        "question",
        "que faire si l'eau coule encore ?",
        WATER | {"faq:degat-des-eaux", "faq:assistance-urgence"} | ASSISTANCE,
    ),
    (
        "question",
        "comment activer la double authentification ?",
        {"faq:application-authentification"},
    ),
    ("question", "dois-je porter plainte après un vol ?", THEFT | {"faq:vol-cambriolage"}),
    ("conditions", "assurance pour compte", {"article:art-2", "article:art-1"}),
    ("conditions", "définition du sinistre", {"glossary:sinistre", "article:art-1"}),
    ("conditions", "expertise contradictoire", {"article:art-18", "glossary:expertise"}),
    ("conditions", "déclaration du risque", {"article:art-17", "glossary:decheance"}),
    ("english", "claim status", {MY_WATER_CLAIM, "faq:etapes-sinistre"}),
    ("english", "broken lock after burglary", THEFT | {"faq:vol-cambriolage"} | ASSISTANCE),
    ("english", "my dog bit someone", LIABILITY),
    ("english", "annual premium", {"article:art-20", "faq:fractionnement"}),
    (
        "english",
        "expert visit appointment",
        {"faq:visite-expert", "article:art-18", MY_WATER_CLAIM},
    ),
    ("typo", "degat des eaus voisin", WATER | {"faq:constat-amiable-degat-des-eaux"}),
    ("typo", "franchie", DEDUCTIBLE),
    (
        "typo",
        "prélévement",
        {
            "payment@next",
            "payment@upcoming*",
            "faq:date-prelevement",
            "faq:rappel-prelevement",
            "faq:prelevement-rejete",
        },
    ),
    ("typo", "exper visite", {"faq:visite-expert", "article:art-18"}),
    ("short", "clés", ASSISTANCE | {"faq:assistance-urgence"} | THEFT),
    ("short", "orage", STORM | ELECTRIC),
    ("short", "facture", {"faq:justificatifs-a-conserver", "faq:quittances", "document@receipt*"}),
    ("synonym", "fenêtre brisée", GLASS),
    (
        "synonym",
        "préjudice",
        {"glossary:dommages-immateriels", "article:art-12", "glossary:indemnite"},
    ),
    ("own_data", "mon contrat maison", {"faq:conditions-generales", "document@attestation*"}),
    # ----- a fourth round, written the same way (fresh: 0.829 success@3) -----
    ("everyday", "mon plafond est tout taché", WATER | {"faq:degat-des-eaux"}),
    ("everyday", "mon portable a été volé dans le métro", THEFT | {"faq:options", "article:art-4"}),
    ("everyday", "le chauffe-eau a lâché", WATER | {"faq:degat-des-eaux"}),
    ("everyday", "la tempête a fait tomber la clôture", STORM),
    ("everyday", "un camion a percuté ma façade", FIRE),
    (
        "everyday",
        "mon fils a inondé l'appartement du dessous",
        WATER | LIABILITY | {"faq:constat-amiable-degat-des-eaux"},
    ),
    ("everyday", "je suis en retard pour payer", {"faq:prelevement-rejete", "article:art-20"}),
    ("everyday", "j'ai déménagé sans prévenir", {"faq:demenagement", "article:art-21"}),
    (
        "everyday",
        "les cambrioleurs ont pris la télé et l'ordinateur",
        THEFT | {"faq:vol-cambriolage"},
    ),
    ("everyday", "odeur de brûlé dans la cuisine", FIRE),
    ("everyday", "un court-circuit a brûlé la prise", ELECTRIC | FIRE),
    ("paraphrase", "je voudrais un document qui prouve que je suis assuré", CERTIFICATE),
    (
        "paraphrase",
        "combien je vais toucher",
        {"article:art-19", "faq:franchise", "glossary:indemnite"},
    ),
    ("paraphrase", "le montant que je paie moi-même en cas de sinistre", DEDUCTIBLE),
    ("paraphrase", "changer mes coordonnées bancaires", {"faq:compte-bancaire-mandat"}),
    (
        "paraphrase",
        "mon mot de passe ne marche plus",
        {"faq:mot-de-passe-oublie", "faq:compte-bloque"},
    ),
    (
        "paraphrase",
        "qui envoyer pour réparer ma porte la nuit",
        ASSISTANCE | {"faq:assistance-urgence"},
    ),
    (
        "question",
        "combien de temps pour être indemnisé ?",
        {"article:art-19", "faq:etapes-sinistre"},
    ),
    ("question", "que dois-je garder comme preuves ?", {"faq:justificatifs-a-conserver"}),
    ("question", "qui est couvert par mon contrat ?", {"article:art-2", "glossary:assure"}),
    ("question", "puis-je résilier à tout moment ?", CANCEL),
    (
        "question",
        "que se passe-t-il si je ne paie pas ?",
        {"article:art-20", "faq:prelevement-rejete"},
    ),
    (
        "question",
        "comment savoir si mon sinistre est accepté ?",
        {MY_WATER_CLAIM, "faq:etapes-sinistre"},
    ),
    ("question", "pourquoi l'expert doit venir ?", {"faq:visite-expert", "article:art-18"}),
    ("conditions", "indemnisation en valeur à neuf", {"glossary:valeur-a-neuf", "article:art-19"}),
    ("conditions", "obligations de l'assuré en cas de sinistre", {"article:art-17"}),
    ("conditions", "biens exclus", {"article:art-15", "article:art-3"}),
    ("conditions", "garanties territoriales", {"article:art-4"}),
    ("conditions", "résiliation par l'assureur", {"article:art-21"}),
    (
        "conditions",
        "franchise catastrophe naturelle",
        NATCAT | {"article:art-16", "faq:catastrophe-naturelle"},
    ),
    ("negation", "je n'ai pas fait de constat", {"faq:constat-amiable-degat-des-eaux"}),
    (
        "negation",
        "ma porte ne ferme plus après le cambriolage",
        THEFT | ASSISTANCE | {"faq:vol-cambriolage", "faq:assistance-urgence"},
    ),
    ("negation", "theft without a police report", THEFT | {"faq:vol-cambriolage"}),
    ("english", "how long to report a claim", {"article:art-17", "faq:delais-declaration"}),
    ("english", "storm damage to roof tiles", STORM | {MY_STORM_CLAIM}),
    ("english", "temporary accommodation after a fire", ASSISTANCE),
    ("english", "pay monthly", {"faq:fractionnement", "article:art-20"}),
    # ----- a fifth round, mostly negations (fresh: 0.783 success@3, 0.733 on its negations) -----
    (
        "negation",
        "toujours pas de nouvelles de l'expert",
        {"faq:visite-expert", MY_WATER_CLAIM, "message@water_damage:staff", "article:art-18"},
    ),
    (
        "negation",
        "je n'ai pas encore déclaré mon sinistre",
        {"faq:declarer-sinistre", "faq:delais-declaration", "article:art-17"},
    ),
    ("negation", "je ne trouve pas mes quittances", {"faq:quittances", "document@receipt*"}),
    ("negation", "ni vol ni effraction mais la porte est abîmée", THEFT | {"glossary:effraction"}),
    ("negation", "ma télé ne s'allume plus après l'orage", ELECTRIC),
    (
        "negation",
        "I can't log in",
        {"faq:se-connecter", "faq:mot-de-passe-oublie", "faq:compte-bloque"},
    ),
    ("negation", "my insurance won't pay for the damage", {"article:art-15", "article:art-16"}),
    ("negation", "the expert didn't come", {"faq:visite-expert", "article:art-18", MY_WATER_CLAIM}),
    (
        "negation",
        "je ne veux pas que mes données soient utilisées",
        {
            "faq:donnees-utilisees",
            "faq:droits-rgpd",
            "faq:prospection-commerciale",
            "faq:effacement-donnees",
        },
    ),
    ("negation", "biens non garantis", {"article:art-15", "article:art-3"}),
    ("negation", "sinistre non couvert par la garantie tempête", STORM | {"article:art-15"}),
    (
        "negation",
        "je n'ai pas de garage, mon vélo est-il couvert",
        THEFT | {"glossary:dependances"},
    ),
    (
        "negation",
        "pas de réponse à mon message",
        {"message@water_damage:holder", "message@water_damage:staff"},
    ),
    ("negation", "le prélèvement n'a pas eu lieu", {"payment@rejected", "faq:prelevement-rejete"}),
    ("everyday", "mon voisin a fait tomber un arbre sur ma clôture", STORM | LIABILITY | FIRE),
    ("everyday", "la cuisine a pris feu", FIRE),
    ("everyday", "mon enfant a dessiné sur le mur du voisin", LIABILITY),
    ("everyday", "la neige a cassé la gouttière", STORM),
    ("everyday", "mon compteur d'eau fuit", WATER | {"faq:degat-des-eaux"}),
    ("everyday", "je ne retrouve plus ma bague", THEFT | {"glossary:objets-de-valeur"}),
    ("everyday", "je prends ma retraite en Bretagne", {"faq:demenagement"}),
    (
        "everyday",
        "j'ai reçu un courrier de mise en demeure",
        {"article:art-20", "faq:prelevement-rejete"},
    ),
    # ----- a sixth round (fresh: 0.818 success@3; one query dropped: no item answers it) -----
    ("everyday", "mon mari a oublié le gaz allumé et la cuisine a brûlé", FIRE),
    (
        "everyday",
        "un dégât des eaux chez moi venant de l'appartement du dessus",
        WATER | {"faq:constat-amiable-degat-des-eaux", "faq:degat-des-eaux"},
    ),
    ("everyday", "mes parents viennent vivre avec nous", {"article:art-2", "glossary:assure"}),
    (
        "everyday",
        "j'ai acheté une télé très chère",
        {
            "faq:options",
            "glossary:objets-de-valeur",
            "glossary:capital-mobilier",
            "faq:modifier-contrat",
        },
    ),
    (
        "everyday",
        "mon propriétaire me demande une attestation",
        CERTIFICATE | {"faq:verifier-attestation"},
    ),
    (
        "everyday",
        "j'ai trouvé la porte fracturée en rentrant",
        THEFT | {"faq:vol-cambriolage", "glossary:effraction"},
    ),
    (
        "everyday",
        "mon banquier a refusé le prélèvement",
        {"payment@rejected", "faq:prelevement-rejete"},
    ),
    (
        "everyday",
        "le plombier m'a fait un devis",
        {"thread@plombier", "faq:justificatifs-a-conserver", MY_WATER_CLAIM},
    ),
    (
        "question",
        "comment se passe l'indemnisation ?",
        {"article:art-19", "faq:etapes-sinistre", "faq:franchise"},
    ),
    (
        "question",
        "combien de temps après le sinistre pour être payé ?",
        {"article:art-19", "faq:etapes-sinistre"},
    ),
    ("question", "est-ce que l'assurance couvre les dégâts causés par mon chien ?", LIABILITY),
    ("question", "qui contacter en cas de désaccord ?", {"article:art-23", "article:art-18"}),
    (
        "question",
        "comment récupérer mon compte ?",
        {"faq:acces-email-perdu", "faq:mot-de-passe-oublie", "faq:compte-bloque"},
    ),
    ("conditions", "prescription biennale", {"glossary:prescription", "article:art-23"}),
    ("conditions", "subrogation de l'assureur", {"glossary:subrogation", "article:art-19"}),
    ("conditions", "dommages aux biens des tiers", LIABILITY | {"glossary:tiers"}),
    ("conditions", "délai de paiement de l'indemnité", {"article:art-19"}),
    ("conditions", "garantie des appareils électriques", ELECTRIC),
    ("negation", "la garantie vol ne joue pas", THEFT),
    ("negation", "sans assurance habitation", {"faq:assurance-obligatoire"}),
    (
        "negation",
        "nothing was stolen but the door is broken",
        THEFT | GLASS | {"glossary:effraction"},
    ),
    # ----- a seventh round, mostly negations (fresh: 0.923 success@3, 0.913 on its 23 negations;
    # one label widened after the run: her own annual notices answer « avis d'échéance »; two of its
    # 26 queries were already here and are not repeated) -----
    ("negation", "l'humidité dans la salle de bain n'est pas prise en charge ?", WATER),
    (
        "negation",
        "on m'a volé mon vélo dans le local commun, pas d'effraction",
        THEFT | {"glossary:effraction"},
    ),
    ("negation", "la fuite vient de la façade, ce n'est pas couvert ?", WATER),
    ("negation", "pas assuré pour les dégâts faits exprès", {"article:art-15"}),
    ("negation", "l'usure n'est pas couverte", {"article:art-15", "glossary:vetuste"}),
    (
        "negation",
        "logement vide plus de trois mois, je ne suis plus couvert contre le vol ?",
        THEFT,
    ),
    (
        "negation",
        "I didn't get my home insurance certificate",
        {"faq:attestation-habitation", "faq:types-attestations", "document@attestation*"},
    ),
    (
        "negation",
        "pas d'accord avec le montant de l'expert",
        {"article:art-18", "article:art-23", "faq:visite-expert"},
    ),
    ("negation", "je ne veux plus recevoir de publicité", {"faq:prospection-commerciale"}),
    ("negation", "je ne reçois pas le code à 6 chiffres", {"faq:code-nouvel-appareil"}),
    ("negation", "la vitre n'est pas brisée, seulement fêlée", GLASS),
    ("negation", "is storm damage not covered?", STORM | {"article:art-15"}),
    (
        "negation",
        "je ne suis pas d'accord avec la décision de l'assureur",
        {"article:art-23", "article:art-18"},
    ),
    (
        "negation",
        "je n'ai pas reçu d'avis d'échéance",
        {"article:art-21", "glossary:echeance", "document@notice*"},
    ),
    (
        "negation",
        "mes bijoux ne sont pas couverts en totalité ?",
        {"glossary:objets-de-valeur"} | THEFT,
    ),
    ("negation", "mon colocataire n'est pas sur le contrat", {"article:art-2", "glossary:assure"}),
    (
        "negation",
        "sinistre pas déclaré dans les délais",
        {"article:art-17", "faq:delais-declaration"},
    ),
    ("negation", "not insured outside my home?", {"article:art-4"}),
    (
        "negation",
        "je ne serai pas là pour la visite de l'expert",
        {"faq:visite-expert", "article:art-18"},
    ),
    ("negation", "mes clés volées, les serrures ne ferment plus", THEFT),
    ("negation", "la réparation du tuyau n'est pas remboursée ?", WATER),
    (
        "everyday",
        "plus d'eau chaude, le chauffe-eau a lâché",
        {"faq:assistance-urgence"} | ASSISTANCE | WATER,
    ),
    (
        "everyday",
        "je paie trop cher, je veux changer de formule",
        {"faq:modifier-contrat", "faq:formules"},
    ),
    ("everyday", "les pompiers sont venus cette nuit", FIRE | {"faq:assistance-urgence"}),
    # ----- an eighth round, every category (fresh: 0.865 success@3, MRR 0.833; of its 37 queries,
    # 6 were already here and 4 are held-out queries, typed the same by chance: left out) -----
    ("english", "my basement flooded after heavy rain", DISASTER),
    ("english", "who pays if my kid breaks the neighbour's window", LIABILITY),
    (
        "english",
        "download my payment receipts",
        {"faq:quittances", "document@receipt*", "faq:historique-export"},
    ),
    ("english", "what is the deductible", DEDUCTIBLE),
    (
        "synonym",
        "cambrioleurs entrés par la fenêtre",
        THEFT | {"faq:vol-cambriolage", "glossary:effraction"},
    ),
    ("synonym", "montant restant à ma charge", DEDUCTIBLE),
    ("synonym", "mettre fin à mon assurance", CANCEL),
    ("synonym", "coupure de courant, le frigo a grillé", ELECTRIC),
    ("typo", "atestation habitation", CERTIFICATE),
    ("typo", "prélevemnt rejeté", {"payment@rejected", "faq:prelevement-rejete"}),
    ("typo", "resiliation loi hammon", CANCEL),
    ("typo", "dommage électrque", ELECTRIC),
    ("accents", "degat des eaux chez le voisin", WATER | {"faq:constat-amiable-degat-des-eaux"}),
    ("accents", "echeance annuelle", {"glossary:echeance", "article:art-21", "document@notice*"}),
    ("accents", "bris de glace reglement express", GLASS | {"faq:reglement-express-bris-de-glace"}),
    (
        "paraphrase",
        "l'assurance rembourse-t-elle à neuf ?",
        {"glossary:valeur-a-neuf", "article:art-19"},
    ),
    ("paraphrase", "quelqu'un a utilisé mon compte sans moi", {"faq:alerte-connexion-inconnue"}),
    ("paraphrase", "le montant maximum que l'assureur paie", {"glossary:plafond"}),
    (
        "question",
        "quand serai-je prélevé ?",
        {"payment@next", "faq:date-prelevement", "faq:rappel-prelevement"},
    ),
    (
        "question",
        "comment ajouter une personne au contrat ?",
        {"article:art-2", "faq:modifier-contrat", "glossary:assure"},
    ),
    ("own_data", "le message du gestionnaire sur la fuite", {"message@water_damage:staff"}),
    ("own_data", "mon mandat SEPA", {"document@mandate", "faq:compte-bancaire-mandat"}),
    ("own_data", "attestation pour la location", CERTIFICATE | {"faq:verifier-attestation"}),
    ("conditions", "légitime défense", {"article:art-15"}),
    ("conditions", "refoulement des égouts", WATER),
    ("conditions", "médiateur de l'assurance", {"article:art-23"}),
    # ----- a ninth round, mostly negations (fresh: 0.739 success@3, MRR 0.671 on SQLite, 0.783 /
    # 0.681 on PostgreSQL; 0.778 / 0.677 on its 18 negations; two of its 25 queries were already
    # here and are not repeated) -----
    (
        "negation",
        "je n'arrive plus à me connecter à mon compte",
        {"faq:compte-bloque", "faq:mot-de-passe-oublie", "faq:se-connecter"},
    ),
    ("negation", "le code de vérification n'arrive pas", {"faq:code-nouvel-appareil"}),
    ("negation", "je ne trouve pas mes conditions générales", {"faq:conditions-generales"}),
    ("negation", "qu'est-ce qui n'est pas remboursé en cas de vol ?", THEFT | {"article:art-15"}),
    ("negation", "dégâts non couverts par l'assurance", {"article:art-15"}),
    (
        "negation",
        "l'expert n'est toujours pas passé",
        {"article:art-18", "faq:etapes-sinistre", "faq:visite-expert"},
    ),
    ("negation", "je ne veux plus être assuré chez vous", CANCEL),
    (
        "negation",
        "je n'ai pas de facture pour mes meubles volés",
        {"faq:justificatifs-a-conserver"},
    ),
    (
        "negation",
        "pourquoi mon indemnité ne couvre pas tout",
        DEDUCTIBLE | {"article:art-19", "glossary:plafond", "glossary:vetuste"},
    ),
    (
        "negation",
        "je n'ai pas déclaré le sinistre à temps",
        {"article:art-17", "faq:delais-declaration", "glossary:decheance"},
    ),
    ("negation", "what is not covered by my home insurance", {"article:art-15"}),
    ("negation", "I don't agree with the settlement", {"article:art-18", "article:art-23"}),
    ("negation", "sans effraction, le vol est-il couvert ?", THEFT | {"glossary:effraction"}),
    (
        "negation",
        "je ne suis pas propriétaire, suis-je couvert ?",
        LIABILITY | {"article:art-2", "faq:assurance-obligatoire"},
    ),
    (
        "negation",
        "mes données ne doivent pas servir à la pub",
        {"faq:donnees-utilisees", "faq:prospection-commerciale"},
    ),
    ("negation", "je n'habite plus à cette adresse", {"faq:demenagement"}),
    ("negation", "ma réclamation n'a pas eu de réponse", {"article:art-23"}),
    ("negation", "l'assureur ne répond pas à mes messages", {"article:art-23"}),
    (
        "everyday",
        "le voisin du dessus a une fuite qui coule chez moi",
        WATER | {"faq:constat-amiable-degat-des-eaux", "faq:degat-des-eaux"},
    ),
    ("everyday", "ma fille a fait tomber l'ordinateur d'une amie", LIABILITY),
    ("everyday", "on a tagué le mur de ma maison", THEFT),
    ("everyday", "la tempête a arraché des tuiles", STORM),
    ("everyday", "je voudrais payer tous les trois mois", {"faq:fractionnement"}),
    # ----- a tenth round, negations (fresh: 0.750 success@3, MRR 0.633 on SQLite, 0.800 / 0.677
    # on PostgreSQL) -----
    (
        "negation",
        "je n'ai jamais reçu mon attestation par mail",
        {"document@attestation*", "faq:attestation-habitation", "faq:types-attestations"},
    ),
    ("negation", "les dégâts ne sont pas pris en charge, pourquoi ?", {"article:art-15"}),
    ("negation", "mon téléphone ne reçoit pas le SMS de connexion", {"faq:code-nouvel-appareil"}),
    ("negation", "je ne retrouve plus mon contrat", {"faq:conditions-generales"}),
    ("negation", "rien n'a été volé mais la serrure est cassée", THEFT | {"glossary:effraction"}),
    ("negation", "je ne comprends pas le montant de ma franchise", DEDUCTIBLE),
    (
        "negation",
        "pas remboursé à neuf",
        {"article:art-19", "glossary:valeur-a-neuf", "glossary:vetuste"},
    ),
    ("negation", "la grêle n'est pas couverte ?", STORM),
    (
        "negation",
        "je n'ai pas pu déclarer mon sinistre en ligne",
        {"faq:declarer-sinistre", "faq:declarer-sinistre-hors-ligne"},
    ),
    (
        "negation",
        "je n'ai pas fait de constat avec mon voisin",
        {"faq:constat-amiable-degat-des-eaux"},
    ),
    (
        "negation",
        "ma banque n'a pas payé l'échéance",
        {"faq:prelevement-rejete", "payment@rejected"},
    ),
    ("negation", "je ne veux plus payer tous les mois", {"faq:fractionnement"}),
    ("negation", "ce n'est pas moi qui me suis connecté", {"faq:alerte-connexion-inconnue"}),
    (
        "negation",
        "je n'ai plus mon ancien numéro de téléphone",
        {"faq:application-authentification", "faq:code-nouvel-appareil"},
    ),
    ("negation", "les bijoux ne sont pas tous assurés ?", THEFT | {"glossary:objets-de-valeur"}),
    (
        "negation",
        "the expert hasn't come yet",
        {"article:art-18", "faq:etapes-sinistre", "faq:visite-expert"},
    ),
    ("negation", "my claim was not accepted", {"article:art-15", "article:art-23"}),
    ("negation", "I no longer live there", {"faq:demenagement"}),
    (
        "negation",
        "no water damage cover for the garden?",
        WATER | {"article:art-15", "article:art-4"},
    ),
    ("negation", "je ne suis pas chez moi pendant un mois", {"article:art-4", "article:art-9"}),
    # ----- an eleventh round, negations, written after the fixes of rounds 9 and 10 (fresh: 1.000
    # success@3, MRR 0.933 on SQLite, 0.933 / 0.917 on PostgreSQL) -----
    ("negation", "aucun remboursement pour l'usure", {"article:art-15", "glossary:vetuste"}),
    (
        "negation",
        "je n'ai pas encore reçu l'argent de mon sinistre",
        {"article:art-19", "faq:etapes-sinistre"},
    ),
    (
        "negation",
        "la porte n'était pas fermée à clé et on m'a volé",
        THEFT | {"article:art-15", "glossary:effraction"},
    ),
    (
        "negation",
        "pourquoi ma cotisation n'a pas baissé",
        {"article:art-20", "faq:modifier-contrat"},
    ),
    (
        "negation",
        "je ne sais pas quelle attestation donner à mon bailleur",
        {"faq:attestation-habitation", "faq:types-attestations", "faq:verifier-attestation"},
    ),
    (
        "negation",
        "le dégât n'est pas chez moi mais chez le voisin",
        WATER | LIABILITY | {"faq:constat-amiable-degat-des-eaux"},
    ),
    (
        "negation",
        "je ne veux plus de la double authentification",
        {"faq:application-authentification", "faq:code-nouvel-appareil"},
    ),
    (
        "negation",
        "ma box ne s'allume plus après l'orage",
        {"article:art-11", "guarantee:confort:dommages_elec", "guarantee:integrale:dommages_elec"},
    ),
    (
        "negation",
        "le relogement n'est pas prévu dans ma formule ?",
        {
            "article:art-14",
            "faq:formules",
            "guarantee:confort:assistance",
            "guarantee:integrale:assistance",
        },
    ),
    (
        "negation",
        "je ne peux pas prouver la valeur de mes bijoux",
        {"faq:justificatifs-a-conserver", "glossary:objets-de-valeur"},
    ),
    ("negation", "I didn't report the claim in time", {"article:art-17", "faq:delais-declaration"}),
    ("negation", "my password doesn't work", {"faq:compte-bloque", "faq:mot-de-passe-oublie"}),
    ("negation", "I don't understand my deductible", DEDUCTIBLE),
    (
        "negation",
        "the payment didn't go through this month",
        {"faq:prelevement-rejete", "payment@rejected"},
    ),
    (
        "negation",
        "not covered when I rent out my flat",
        {"article:art-15", "article:art-2", "article:art-4"},
    ),
    # ----- a twelfth round, mostly negations, written after the conversations' demotion (fresh:
    # 0.769 success@3, MRR 0.674 on SQLite; 0.778 and 0.682 on its 18 negations) -----
    ("negation", "la serrure ne ferme plus depuis le cambriolage", THEFT | {"article:art-14"}),
    (
        "negation",
        "le plombier n'a pas trouvé l'origine de la fuite",
        WATER | {"faq:degat-des-eaux"},
    ),
    ("negation", "mon fils n'habite plus à la maison, est-il encore assuré ?", {"article:art-2"}),
    (
        "negation",
        "je n'ai pas de facture pour ma télé volée",
        {"faq:justificatifs-a-conserver", "article:art-17"},
    ),
    (
        "negation",
        "on ne m'a pas proposé de relogement après l'incendie",
        ASSISTANCE | {"article:art-5"},
    ),
    (
        "negation",
        "je ne suis pas d'accord avec le montant proposé",
        {"article:art-18", "article:art-23"},
    ),
    (
        "negation",
        "pas de nouvelles de mon dossier sinistre",
        {"faq:etapes-sinistre", MY_WATER_CLAIM},
    ),
    (
        "negation",
        "ma cotisation n'a pas été prélevée ce mois-ci",
        {"faq:prelevement-rejete", "payment@rejected", "article:art-20"},
    ),
    (
        "negation",
        "je n'ai pas reçu mon avis d'échéance",
        {"document@notice*", "article:art-20", "article:art-21", "glossary:echeance"},
    ),
    ("negation", "les dégâts du jardin ne sont pas remboursés ?", {"article:art-3", "faq:options"}),
    ("negation", "le vol dans la cave n'est pas couvert ?", THEFT | {"glossary:dependances"}),
    (
        "negation",
        "l'appli ne m'envoie plus le code de connexion",
        {"faq:code-nouvel-appareil", "faq:application-authentification"},
    ),
    ("negation", "impossible de résilier, je n'ai pas un an d'ancienneté", CANCEL),
    ("negation", "the locksmith isn't covered?", ASSISTANCE | THEFT),
    (
        "negation",
        "I can't pay this month",
        {"faq:prelevement-rejete", "article:art-20", "faq:date-prelevement"},
    ),
    ("negation", "the insurer never replied to my complaint", {"article:art-23"}),
    ("negation", "my tenant is not insured", {"article:art-2", "faq:assurance-obligatoire"}),
    ("negation", "dommages pas pris en charge après une bagarre", {"article:art-15"}),
    ("question", "qui paie l'expert ?", {"article:art-18", "faq:visite-expert"}),
    (
        "question",
        "est-ce que je peux changer de franchise ?",
        DEDUCTIBLE | {"faq:modifier-contrat"},
    ),
    ("question", "combien de nuits d'hôtel après un sinistre ?", ASSISTANCE),
    (
        "paraphrase",
        "l'argent arrive combien de jours après l'accord ?",
        {"article:art-19", "faq:etapes-sinistre"},
    ),
    ("paraphrase", "mes affaires emportées dans une location de vacances", {"article:art-4"}),
    (
        "paraphrase",
        "j'ai oublié de déclarer, est-ce trop tard ?",
        {"article:art-17", "faq:delais-declaration"},
    ),
    ("conditions", "garanties hors de France", {"article:art-4"} | LIABILITY),
    ("everyday", "mon grand-père vit chez nous, il est couvert ?", {"article:art-2"}),
    # ----- a thirteenth round, written after round 12's fixes (fresh: 0.792 success@3, MRR 0.724
    # on SQLite; 0.750 and 0.679 on its 16 negations) -----
    (
        "negation",
        "la fuite d'eau ne s'arrête pas",
        WATER | {"faq:degat-des-eaux", "faq:assistance-urgence"},
    ),
    ("negation", "je n'arrive pas à joindre mon gestionnaire", {"article:art-23"}),
    (
        "negation",
        "pas de remboursement des honoraires de mon expert ?",
        {"faq:visite-expert", "article:art-18", "article:art-5"},
    ),
    (
        "negation",
        "mes bijoux ne sont pas couverts au-delà d'un certain montant ?",
        {"glossary:objets-de-valeur", "article:art-3", "faq:options", "article:art-9"},
    ),
    ("negation", "la piscine n'est pas assurée ?", {"article:art-3", "faq:options"}),
    ("negation", "je ne veux plus payer par prélèvement", {"faq:fractionnement", "article:art-20"}),
    ("negation", "la garantie ne s'applique pas hors de chez moi ?", {"article:art-4"}),
    (
        "negation",
        "un dépannage sans sinistre n'est pas pris en charge ?",
        ASSISTANCE | {"faq:options"},
    ),
    ("negation", "je n'ai pas porté plainte après le vol", THEFT | {"faq:vol-cambriolage"}),
    ("negation", "mon ex n'habite plus avec moi", {"article:art-2"}),
    (
        "negation",
        "the expert's report is wrong, I don't accept it",
        {"article:art-18", "faq:visite-expert"},
    ),
    (
        "negation",
        "I haven't received my refund after cancelling",
        {"faq:remboursement-resiliation"},
    ),
    (
        "negation",
        "why wasn't the wear and tear reimbursed?",
        {"glossary:vetuste", "article:art-19"},
    ),
    (
        "negation",
        "aucun e-mail reçu pour réinitialiser mon mot de passe",
        {"faq:mot-de-passe-oublie", "faq:acces-email-perdu"},
    ),
    ("negation", "ma demande de résiliation n'a pas été prise en compte", CANCEL),
    ("negation", "le sinistre n'est pas encore clôturé", {"faq:etapes-sinistre", MY_WATER_CLAIM}),
    ("everyday", "l'orage a grillé mon ordinateur", ELECTRIC),
    ("everyday", "mon fils étudiant vit à Lyon, est-il assuré ?", {"article:art-2"}),
    (
        "question",
        "qui appeler la nuit si la porte est cassée",
        ASSISTANCE | {"faq:assistance-urgence"},
    ),
    (
        "question",
        "la nounou qui garde mes enfants est-elle assurée ?",
        {"article:art-2"} | LIABILITY,
    ),
    (
        "english",
        "what happens if I declare late",
        {"article:art-17", "faq:delais-declaration", "glossary:decheance"},
    ),
    (
        "conditions",
        "plafond pour les objets de valeur",
        {"glossary:objets-de-valeur", "article:art-3"},
    ),
    ("paraphrase", "le prix de mon assurance augmente à l'échéance", {"article:art-20"}),
    ("paraphrase", "résilier sans attendre un an", CANCEL),
]

CATEGORIES = (
    "english",
    "negation",
    "everyday",
    "synonym",
    "typo",
    "accents",
    "paraphrase",
    "question",
    "own_data",
    "conditions",
    "short",
)


# ----- symbolic keys -> index keys ----------------------------------------------------------------


def _claim(session: Session, holder_id: int, ref: str) -> Claim:
    query = select(Claim).where(Claim.holder_id == holder_id, Claim.number.is_not(None))
    query = (
        query.where(Claim.number == ref)
        if ref.startswith("SIN-")
        else query.where(Claim.peril == ref)
    )
    found = session.exec(query).all()
    if len(found) != 1:
        raise LookupError(f"{len(found)} claims for {ref!r}")
    return found[0]


def _contract_id(session: Session, holder_id: int, number: str) -> int:
    contract = session.exec(
        select(Contract).where(Contract.holder_id == holder_id, Contract.number == number)
    ).first()
    if contract is None:
        raise LookupError(f"no contract {number!r}")
    return contract.id


def _payments(
    session: Session, holder_id: int, month: str = "", contract: str = ""
) -> list[Payment]:
    """The holder's payments due in ``month`` ("YYYY-MM" or "YYYY", all when empty), on
    ``contract``."""
    query = select(Payment).where(Payment.holder_id == holder_id)
    if contract:
        query = query.where(Payment.contract_id == _contract_id(session, holder_id, contract))
    return [
        p
        for p in session.exec(query.order_by(Payment.due_date, Payment.id)).all()
        if p.due_date.isoformat().startswith(month)
    ]


def _receipts(
    session: Session, holder_id: int, month: str = "", contract: str = ""
) -> list[Document]:
    by_payment = {p.id: p for p in _payments(session, holder_id, month, contract)}
    documents = session.exec(
        select(Document).where(
            Document.holder_id == holder_id, Document.kind == DocumentKind.RECEIPT
        )
    ).all()
    return [d for d in documents if d.payment_id in by_payment]


def _only(items: list, what: str):
    if len(items) != 1:
        raise LookupError(f"{len(items)} items for {what!r}")
    return items[0]


def _split(ref: str) -> tuple[str, str]:
    """ "2025-11:MRH0412857" -> ("2025-11", "MRH0412857"); "MRH0413922" -> ("", "MRH0413922")."""
    month, contract = "", ""
    for part in ref.split(":") if ref else []:
        if part.startswith("MRH"):
            contract = part
        else:
            month = part
    return month, contract


def resolve(session: Session, holder_id: int, key: str) -> str:
    """The index key of one item: public keys as they are, symbolic keys (``kind@ref``) looked
    up."""
    if "@" not in key:
        return key
    if key.endswith("*"):
        raise ValueError(f"{key!r} stands for several items: use resolve_all")
    kind, ref = key.split("@", 1)
    if kind == "claim":
        return f"claim:{_claim(session, holder_id, ref).id}"
    if kind == "message":
        claim_ref, author = ref.rsplit(":", 1)
        claim = _claim(session, holder_id, claim_ref)
        messages = session.exec(select(ClaimMessage).where(ClaimMessage.claim_id == claim.id)).all()
        wanted = [m for m in messages if (m.staff_id is not None) == (author == "staff")]
        return f"message:{_only(wanted, key).id}"
    if kind == "thread":
        from espace.search.text import fold

        threads = session.exec(
            select(SupportThread).where(SupportThread.holder_id == holder_id)
        ).all()
        return f"thread:{_only([t for t in threads if fold(ref) in fold(t.subject)], key).id}"
    if kind == "payment":
        if ref == "rejected":
            rejected = [
                p for p in _payments(session, holder_id) if p.status == PaymentStatus.REJECTED
            ]
            return f"payment:{_only(rejected, key).id}"
        if ref == "next":
            upcoming = [
                p for p in _payments(session, holder_id) if p.status == PaymentStatus.SCHEDULED
            ]
            if not upcoming:
                raise LookupError(key)
            return f"payment:{upcoming[0].id}"
        return f"payment:{_only(_payments(session, holder_id, *_split(ref)), key).id}"
    if kind == "document":
        if ref == "mandate":
            mandates = session.exec(
                select(Document).where(
                    Document.holder_id == holder_id, Document.kind == DocumentKind.MANDATE
                )
            ).all()
            return f"document:{_only(list(mandates), key).id}"
        if ref.startswith("receipt:"):
            month, contract = _split(ref.removeprefix("receipt:"))
            return f"document:{_only(_receipts(session, holder_id, month, contract), key).id}"
    raise ValueError(f"unknown symbolic key {key!r}")


# ``document@attestation*``, ``document@notice*``: every document of hers of that kind
_DOCUMENT_KINDS = {"attestation": DocumentKind.ATTESTATION, "notice": DocumentKind.NOTICE}


def resolve_all(session: Session, holder_id: int, key: str) -> set[str]:
    """Like :func:`resolve`, and a key ending with ``*`` gives every item it matches (never
    none)."""
    if not key.endswith("*"):
        return {resolve(session, holder_id, key)}
    kind, ref = key[:-1].split("@", 1)
    if kind == "payment" and ref == "upcoming":
        found = [
            f"payment:{p.id}"
            for p in _payments(session, holder_id)
            if p.status == PaymentStatus.SCHEDULED
        ]
    elif kind == "payment" and ref.startswith("contract:"):
        found = [
            f"payment:{p.id}"
            for p in _payments(session, holder_id, contract=ref.removeprefix("contract:"))
        ]
    elif kind == "document" and ref in _DOCUMENT_KINDS:
        found = [
            f"document:{d.id}"
            for d in session.exec(
                select(Document).where(
                    Document.holder_id == holder_id, Document.kind == _DOCUMENT_KINDS[ref]
                )
            ).all()
        ]
    elif kind == "document" and (ref == "receipt" or ref.startswith("receipt:")):
        found = [
            f"document:{d.id}"
            for d in _receipts(
                session, holder_id, *_split(ref.removeprefix("receipt").removeprefix(":"))
            )
        ]
    else:
        raise ValueError(f"unknown symbolic key {key!r}")
    if not found:
        raise LookupError(f"nothing for {key!r}")
    return set(found)


def query_text(session: Session, holder_id: int, query: str) -> str:
    """What the holder types: ``{number@water_damage}`` becomes that claim's number
    (SIN-<year>-000001)."""
    for ref in re.findall(r"\{number@(\w+)\}", query):
        query = query.replace(f"{{number@{ref}}}", _claim(session, holder_id, ref).number)
    return query


def relevant(session: Session, holder_id: int, keys: set[str]) -> set[str]:
    """The index keys of every item that answers a query."""
    return {resolved for key in keys for resolved in resolve_all(session, holder_id, key)}
