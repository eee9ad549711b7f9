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
``document@attestation*`` (every home-insurance attestation issued to her).
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
    elif kind == "document" and ref == "attestation":
        found = [
            f"document:{d.id}"
            for d in session.exec(
                select(Document).where(
                    Document.holder_id == holder_id, Document.kind == DocumentKind.ATTESTATION
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
