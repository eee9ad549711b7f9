"""Assistant Espace: answers common questions in French from the knowledge base and from the
holder's own contracts, claims and payments.

Deterministic and local: a question is folded and stemmed like search queries (``search.text``),
matched against a few intents in order, and answered from the database; anything else goes to
the help articles, and when none fits well the assistant says it does not know and offers an
adviser. Every answer names its sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from espace import content, routes
from espace.billing import payments
from espace.claims import indemnity, stages
from espace.claims.models import Claim
from espace.claims.stages import OPEN_STATUSES
from espace.contracts import coverage, labels
from espace.contracts.models import Contract, ContractStatus, Formula, InsuredProperty
from espace.core import formatting as fmt
from espace.core.models import saved_id
from espace.search import text


@dataclass(frozen=True)
class Action:
    label: str
    href: str = ""  # an internal page; empty for an in-page action
    # link | attestation (issue and download today's attestation for contract_id) | escalate (to an
    # adviser)
    kind: str = "link"
    contract_id: int = 0


@dataclass(frozen=True)
class Source:
    label: str
    href: str = ""


@dataclass(frozen=True)
class Reply:
    intent: str
    paragraphs: list[str]
    actions: list[Action] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    understood: bool = True
    category: str = "other"  # the message-thread category an escalation would use

    def __post_init__(self) -> None:
        # A sentence starts with a capital, also when the "Contrat … :" lead is left out (one
        # contract): "Votre formule…", never "votre formule…".
        self.paragraphs[:] = [p[:1].upper() + p[1:] for p in self.paragraphs]


NOT_UNDERSTOOD = (
    "Je ne sais pas répondre à cette question. Reformulez-la, consultez l'aide, ou parlez à un "
    "conseiller : il recevra notre conversation et vous n'aurez rien à répéter."
)
MAX_QUESTION_CHARS = 500

SUGGESTIONS = (
    "Où est mon attestation ?",
    "Quelle est ma franchise dégât des eaux ?",
    "Combien serai-je remboursé pour une télé de 800 € volée ?",
    "J'ai oublié mon mot de passe",
    "Déclarer un sinistre",
)

# Words that point at a guarantee category (folded; compared as stems).
_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "water_damage": (
        "degat des eaux",
        "degats des eaux",
        "eau",
        "eaux",
        "fuite",
        "infiltration",
        "debordement",
        "canalisation",
        "tuyau",
        "gel",
        "plomberie",
        "humidite",
    ),
    "theft_vandalism": (
        "vol",
        "vole",
        "volee",
        "voles",
        "cambriolage",
        "cambriole",
        "effraction",
        "vandalisme",
        "tag",
    ),
    "fire": ("incendie", "feu", "fumee", "explosion", "brule"),
    "glass_breakage": (
        "bris de glace",
        "vitre",
        "fenetre",
        "baie vitree",
        "miroir",
        "vitroceramique",
    ),
    "storm_hail_snow": ("tempete", "grele", "neige", "vent"),
    "natural_disaster": (
        "catastrophe naturelle",
        "inondation",
        "secheresse",
        "seisme",
        "coulee de boue",
    ),
    "home_damage": (
        "dommage electrique",
        "dommages electriques",
        "surtension",
        "foudre",
        "court circuit",
    ),
    "civil_liability": ("responsabilite civile", "tiers"),
    "legal_protection": ("protection juridique", "litige", "avocat"),
    "assistance": ("assistance", "serrurier", "relogement"),
}

_PERIL_OF_CATEGORY = {
    "water_damage": "water_damage",
    "theft_vandalism": "theft",
    "fire": "fire",
    "glass_breakage": "glass_breakage",
    "storm_hail_snow": "storm",
    "natural_disaster": "natural_disaster",
    "civil_liability": "third_party",
}

_AMOUNT = re.compile(
    r"(\d{1,3}(?:[  \u202f.]\d{3})+|\d+)(?:,(\d{1,2}))?\s*(?:€|euros?\b|eur\b|e\b)", re.IGNORECASE
)
_ITEM = re.compile(
    r"\b(?:pour|d'|de)\s*(?:un|une|mon|ma|mes|le|la|les|des)\s+([a-zà-ÿ' "
    r"-]{2,30}?)\s+(?:de|d'une valeur de|à)\s+\d",
    re.IGNORECASE,
)


# ----- understanding --------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    raw: str
    folded: str
    stems: frozenset[str]

    def has(self, *stems: str) -> bool:
        return any(s in self.stems for s in stems)

    def says(self, *phrases: str) -> bool:
        return any(re.search(rf"\b{re.escape(p)}\b", self.folded) for p in phrases)


def parse(question: str) -> Question:
    raw = (question or "").strip()[:MAX_QUESTION_CHARS]
    folded = " ".join(text.words(raw))
    return Question(raw, folded, frozenset(text.stem(w) for w in text.words(raw)))


def amount_cents(question: str) -> int | None:
    """'800 €', '1 200 euros', '1.200,50€' -> cents."""
    match = _AMOUNT.search(question or "")
    if match is None:
        return None
    whole = re.sub(r"\D", "", match.group(1))
    return int(whole) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def item_name(question: str) -> str:
    match = _ITEM.search(question or "")
    return match.group(1).strip() if match else ""


def category_of(q: Question) -> str:
    """The guarantee category the question talks about ("" when none); the longest phrase wins."""
    best, best_len = "", 0
    for category, phrases in _CATEGORY_WORDS.items():
        for phrase in phrases:
            if len(phrase) > best_len and (
                q.says(phrase) or (" " not in phrase and text.stem(phrase) in q.stems)
            ):
                best, best_len = category, len(phrase)
    return best


def intent_of(q: Question) -> str:
    if q.says("mot de passe", "mdp", "password") or (q.has("identifi") and q.has("oubli", "perdu")):
        return "password"
    if q.has("franchis"):
        return "deductible"
    if amount_cents(q.raw) is not None and (
        q.has("rembours", "indemnis", "indemn", "touch", "percevr", "recevr")
        or q.says("combien", "pris en charge", "prise en charge")
    ):
        return "reimbursement"
    if (
        q.folded.startswith("plafond")
        or q.says("quel est le plafond", "quel plafond", "plafonds", "jusqu a combien")
        or (q.has("plafond") and q.has("garant", "rembours", "maximum", "combien"))
    ):
        return "ceiling"
    if q.has("attest") and not q.has("verifi", "authent", "qr"):
        return "attestation"
    if q.says("ou en est", "ou en sont", "suivi", "avancement", "etat de mon") and q.has(
        "sinistr", "dossi", "declar"
    ):
        return "claim_status"
    if q.has("declar", "signal") and (q.has("sinistr") or category_of(q)):
        return "declare"
    if q.says(
        "prochain prelevement", "prochaine echeance", "prochain paiement", "prochaine mensualite"
    ) or (q.says("quand") and q.has("prelev", "pai", "echeanc")):
        return "next_payment"
    if q.says(
        "conseiller",
        "conseillere",
        "humain",
        "parler a quelqu un",
        "parler a une personne",
        "joindre",
    ):
        return "human"
    if q.folded in ("bonjour", "salut", "bonsoir", "hello", "merci", "merci beaucoup", "au revoir"):
        return "smalltalk"
    return "faq"


# ----- the holder's data ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Contract:
    contract: Contract
    formula: str
    place: str  # "appartement, Lyon"
    cover: coverage.Cover | None = None  # in force today


def _contracts(session: Session, holder_id: int, today: date | None = None) -> list[_Contract]:
    rows = session.exec(
        select(Contract, Formula, InsuredProperty)
        .join(Formula, col(Formula.id) == Contract.formula_id)
        .join(InsuredProperty, col(InsuredProperty.id) == Contract.property_id)
        .where(Contract.holder_id == holder_id, Contract.status == ContractStatus.ACTIVE)
        .order_by(col(Contract.start_date))
    ).all()
    if today is None:
        return [
            _Contract(
                c,
                f.name,
                f"{labels.label(labels.PROPERTY_TYPE, p.property_type).lower()}, {p.city}",
            )
            for c, f, p in rows
        ]
    result = []
    for c, f, p in rows:
        cover = coverage.cover_on(session=session, contract=c, on=coverage.shown_day(c, today))
        result.append(
            _Contract(
                c,
                cover.formula_name if cover else f.name,
                f"{labels.label(labels.PROPERTY_TYPE, p.property_type).lower()}, {p.city}",
                cover,
            )
        )
    return result


def _contract_source(item: _Contract) -> Source:
    return Source(
        f"Vos garanties — contrat {item.contract.number} (formule {item.formula})",
        f"{routes.CONTRACT}?n={item.contract.number}",
    )


def _article_source(slug: str) -> Source:
    article = content.article(slug)
    return (
        Source(f"Aide : « {article.title} »", f"{routes.HELP}#{slug}")
        if article
        else Source("Aide", routes.HELP)
    )


def _lead(contracts: list[_Contract], item: _Contract) -> str:
    return f"Contrat {item.contract.number} ({item.place}) : " if len(contracts) > 1 else ""


def _line_for(item: _Contract, category: str) -> coverage.CoverLine | None:
    """The guarantee answering ``category`` today, the options taken included."""
    return item.cover.line_for(category) if item.cover else None


def _no_contract() -> Reply:
    return Reply(
        "no_contract",
        [
            "Vous n'avez pas de contrat en cours : je ne peux pas répondre à partir de vos "
            "garanties."
        ],
        [Action("Voir mes contrats", routes.CONTRACTS)],
        understood=True,
        category="contract",
    )


def _ask_category(what: str) -> Reply:
    examples = "dégât des eaux, vol, incendie, bris de glace, tempête, catastrophe naturelle"
    return Reply(
        "ask_category",
        [f"Pour quel type de sinistre voulez-vous connaître {what} ? Par exemple : {examples}."],
        [Action("Voir toutes mes garanties", routes.CONTRACTS)],
        category="contract",
    )


# ----- answers --------------------------------------------------------------------------------


def _deductible(session: Session, holder_id: int, q: Question, today: date) -> Reply:
    category = category_of(q)
    contracts = _contracts(session, holder_id, today)
    if not contracts:
        return _no_contract()
    if not category:
        return _ask_category("la franchise")
    name = labels.label(labels.GUARANTEE_CATEGORY, category).lower()
    lines, sources = [], []
    for item in contracts:
        line = _line_for(item, category)
        sources.append(_contract_source(item))
        if line is None:
            lines.append(
                f"{_lead(contracts, item)}votre formule {item.formula} ne comprend pas la "
                f"garantie {name}."
            )
        else:
            lines.append(
                f"{_lead(contracts, item)}votre franchise {name} (garantie « {line.name} ») est de "
                f"{line.deductible}."
            )
    lines.append(
        "La franchise est la part des dommages qui reste à votre charge : elle est déduite de "
        "l'indemnité."
    )
    return Reply(
        "deductible",
        lines,
        [Action("Voir mes garanties", sources[0].href)],
        sources + [_article_source("franchise")],
        category="contract",
    )


def _ceiling_text(line: coverage.CoverLine, cover: coverage.Cover) -> str:
    if line.ceiling_cents is not None:
        return line.ceiling
    capital, note = fmt.money(cover.furniture_capital_cents), line.ceiling
    if note.lower().startswith("capital mobilier"):
        return f"{capital} (votre capital mobilier{note[len('capital mobilier') :]})"
    return f"{note[:1].lower()}{note[1:]} (capital mobilier : {capital})"


def _ceiling(session: Session, holder_id: int, q: Question, today: date) -> Reply:
    category = category_of(q)
    contracts = _contracts(session, holder_id, today)
    if not contracts:
        return _no_contract()
    if not category:
        return _ask_category("le plafond")
    name = labels.label(labels.GUARANTEE_CATEGORY, category).lower()
    lines = []
    for item in contracts:
        line = _line_for(item, category)
        lines.append(
            f"{_lead(contracts, item)}"
            + (
                f"votre formule {item.formula} ne comprend pas la garantie {name}."
                if line is None or item.cover is None  # no cover today: no line either
                else f"plafond de la garantie « {line.name} » : "
                f"{_ceiling_text(line, item.cover)} ; franchise : {line.deductible}."
            )
        )
    return Reply(
        "ceiling",
        lines,
        [Action("Voir mes garanties", _contract_source(contracts[0]).href)],
        [_contract_source(item) for item in contracts],
        category="contract",
    )


def _reimbursement(session: Session, holder_id: int, q: Question, today: date) -> Reply:
    damage = amount_cents(q.raw) or 0
    category = category_of(q)
    contracts = _contracts(session, holder_id, today)
    if not contracts:
        return _no_contract()
    if not category:
        return _ask_category("le remboursement")
    thing = item_name(q.raw)
    subject = (
        f"un bien ({thing}) de {fmt.money(damage)}" if thing else f"{fmt.money(damage)} de dommages"
    )
    peril = _PERIL_OF_CATEGORY.get(category, "other")
    name = labels.label(labels.GUARANTEE_CATEGORY, category).lower()
    lines = [f"Pour {subject} ({name}), voici ce que prévoient vos garanties :"]
    for item in contracts:
        result = indemnity.compute(
            session=session,
            contract=item.contract,
            peril_code=peril,
            damage_cents=damage,
            on=coverage.shown_day(item.contract, today),
            category=category,
        )
        if not result.covered:
            lines.append(f"{_lead(contracts, item)}{result.explanation}")
            continue
        lines.append(
            f"{_lead(contracts, item)}vous seriez remboursé {fmt.money(result.indemnity_cents)} : "
            f"{fmt.money(damage)} − franchise de {fmt.money(result.deductible_cents)}, dans la "
            f"limite du plafond de {fmt.money(result.ceiling_cents)} (garantie « "
            f"{result.guarantee} »)."
        )
    if category == "theft_vandalism":
        lines.append(
            "Le vol doit avoir eu lieu avec effraction, escalade, fausses clés ou agression, et "
            "vous devez porter plainte puis nous le déclarer sous 2 jours ouvrés."
        )
    lines.append(
        "C'est une estimation à partir de la valeur que vous indiquez : le montant définitif "
        "dépend des justificatifs (facture, photos) et de la vétusté prévue par vos conditions "
        "générales."
    )
    return Reply(
        "reimbursement",
        lines,
        [Action("Déclarer ce sinistre", f"{routes.CLAIM_NEW}?peril={peril}")],
        [_contract_source(item) for item in contracts] + [_article_source("franchise")],
        category="claim",
    )


def _attestation(session: Session, holder_id: int, q: Question) -> Reply:
    contracts = _contracts(session, holder_id)
    if not contracts:
        return _no_contract()
    actions = [
        Action(
            f"Télécharger l'attestation — {item.contract.number} ({item.place})"
            if len(contracts) > 1
            else "Télécharger mon attestation",
            kind="attestation",
            contract_id=saved_id(item.contract),
        )
        for item in contracts
    ]
    actions.append(
        Action("Autres attestations (détaillée, location saisonnière…)", routes.DOCUMENTS)
    )
    return Reply(
        "attestation",
        [
            "Votre attestation d'assurance habitation est prête : téléchargez-la ci-dessous, elle "
            "est datée d'aujourd'hui et porte un QR code que votre bailleur ou votre syndic peut "
            "vérifier.",
            "Elle est aussi dans « Mes documents », avec les attestations détaillées et "
            "temporaires.",
        ],
        actions,
        [_article_source("attestation-habitation")],
        category="contract",
    )


def _password(_session: Session, _holder_id: int, _q: Question) -> Reply:
    return Reply(
        "password",
        [
            "Vous êtes connecté : vous pouvez changer votre mot de passe dans « Sécurité ».",
            "Si vous l'avez oublié, sur la page de connexion choisissez « Mot de passe oublié ? » "
            "et indiquez votre e-mail ou votre numéro de contrat : vous recevez un lien (valable "
            "1 heure) par e-mail, ou un code par SMS.",
            "Vous n'avez plus accès à votre e-mail ? La page « Accès perdu » vous permet de "
            "prouver votre identité avec votre contrat.",
        ],
        [
            Action("Changer mon mot de passe", routes.SECURITY),
            Action("Mot de passe oublié", routes.FORGOT),
        ],
        [_article_source("mot-de-passe-oublie")],
        category="other",
    )


def _declare(_session: Session, _holder_id: int, q: Question) -> Reply:
    category = category_of(q)
    peril = _PERIL_OF_CATEGORY.get(category, "")
    href = f"{routes.CLAIM_NEW}?peril={peril}" if peril else routes.CLAIM_NEW
    return Reply(
        "declare",
        [
            "Je vous ouvre la déclaration en ligne : elle prend environ 5 minutes et "
            "s'enregistre à chaque étape.",
            "Préparez vos photos, vos factures et, en cas de vol, votre dépôt de plainte. En cas "
            "d'urgence (fuite, effraction), appelez l'assistance 24 h/24 au "
            f"{content.ASSISTANCE_PHONE}.",
        ],
        [Action("Déclarer un sinistre", href)],
        [_article_source("declarer-sinistre")],
        category="claim",
    )


def _claim_status(session: Session, holder_id: int, _q: Question) -> Reply:
    claims = session.exec(
        select(Claim)
        .where(Claim.holder_id == holder_id, col(Claim.status).in_(OPEN_STATUSES))
        .order_by(col(Claim.submitted_at).desc())
    ).all()
    if not claims:
        return Reply(
            "claim_status",
            ["Vous n'avez pas de sinistre en cours."],
            [Action("Mes sinistres", routes.CLAIMS)],
            [Source("Mes sinistres", routes.CLAIMS)],
            category="claim",
        )
    lines = []
    for claim in claims:
        due = (
            f", au plus tard le {fmt.date_fr(claim.next_step_due_at)}"
            if claim.next_step_due_at
            else ""
        )
        lines.append(
            f"Sinistre {claim.number} : {stages.label(claim.status)}. Prochaine étape : "
            f"{stages.STAGES[claim.status].next_step.rstrip('.')}{due}."
        )
    return Reply(
        "claim_status",
        lines,
        [Action(f"Suivre le sinistre {c.number}", f"{routes.CLAIM}?n={c.number}") for c in claims],
        [Source(f"Suivi du sinistre {c.number}", f"{routes.CLAIM}?n={c.number}") for c in claims],
        category="claim",
    )


def _next_payment(session: Session, holder_id: int, _q: Question, today: date) -> Reply:
    coming = [
        row
        for row in payments.schedule(session=session, holder_id=holder_id, today=today)
        if row.status == "scheduled" and row.due_date >= today
    ]
    if not coming:
        return Reply(
            "next_payment",
            ["Aucune échéance n'est prévue pour le moment."],
            [Action("Mes paiements", routes.PAYMENTS)],
            [Source("Mes paiements", routes.PAYMENTS)],
            category="payment",
        )
    row = coming[0]
    return Reply(
        "next_payment",
        [
            f"Votre prochaine échéance est de {fmt.money(row.amount_cents)} le "
            f"{fmt.date_fr(row.due_date)} (contrat {row.contract_number}, "
            f"{row.method_label.lower()})."
        ],
        [Action("Voir mon échéancier", routes.PAYMENTS)],
        [Source("Échéancier — Mes paiements", routes.PAYMENTS)],
        category="payment",
    )


def _human(_session: Session, _holder_id: int, _q: Question) -> Reply:
    return Reply(
        "human",
        [
            "Je peux vous mettre en relation avec un conseiller par la messagerie sécurisée : il "
            "recevra notre conversation, vous n'aurez pas à répéter votre question. Réponse sous "
            "2 jours ouvrés. Pour une urgence, appelez l'assistance 24 h/24 au "
            f"{content.ASSISTANCE_PHONE}."
        ],
        [Action("Parler à un conseiller", kind="escalate")],
    )


def _smalltalk(_session: Session, _holder_id: int, q: Question) -> Reply:
    if q.folded.startswith("merci"):
        return Reply("smalltalk", ["Avec plaisir ! Une autre question ?"])
    if q.folded == "au revoir":
        return Reply("smalltalk", ["Au revoir, et bonne journée !"])
    return Reply(
        "smalltalk",
        [
            "Bonjour ! Posez-moi votre question : attestation, garanties, franchise, "
            "remboursement, sinistre, paiement…"
        ],
    )


# ----- the help articles ------------------------------------------------------------------------

_GENERIC = frozenset(
    text.stem(w) for w in ("assurance", "contrat", "espace", "question", "savoir", "besoin", "aide")
)
_ARTICLE_CATEGORY = {
    "access": "other",
    "contract": "contract",
    "claims": "claim",
    "payments": "payment",
    "documents": "contract",
    "privacy": "other",
}


def _stems(phrase: str) -> set[str]:
    return set(text.stems(phrase))


def _article_stems() -> list[tuple[content.FaqArticle, set[str], set[str]]]:
    return [
        (a, _stems(a.title + " " + " ".join(a.keywords)), _stems(a.body)) for a in content.ARTICLES
    ]


_ARTICLES = _article_stems()


def best_article(question: str) -> tuple[content.FaqArticle | None, bool]:
    """The help article that answers best, and whether it answers well enough to be shown.

    A word of the question counts when it (or a synonym from the search thesaurus) is in the
    article's title or keywords, or when it is itself in the body. Confident: most words in the
    title, or three quarters of them anywhere."""
    wanted = [s for s in _stems(question) if s not in _GENERIC]
    if not wanted:
        return None, False
    from espace.search.thesaurus import expand

    synonyms = {s: {x for e in expand(s) for x in _stems(e)} | {s} for s in wanted}
    best, best_score, confident = None, 0, False
    for article, head, body in _ARTICLES:
        in_head = sum(1 for stem in wanted if synonyms[stem] & head)
        in_body = sum(1 for stem in wanted if not synonyms[stem] & head and stem in body)
        score = 3 * in_head + in_body
        if score > best_score:
            best, best_score = article, score
            confident = in_head * 2 >= len(wanted) or (in_head + in_body) * 4 >= len(wanted) * 3
    return best, confident


def _faq(_session: Session, _holder_id: int, q: Question) -> Reply:
    article, confident = best_article(q.raw)
    if article is None or not confident:
        return Reply(
            "unknown", [NOT_UNDERSTOOD], [Action("Consulter l'aide", routes.HELP)], understood=False
        )
    paragraphs = article.body.split("\n\n")[:2]
    actions = [Action(label, href) for label, href in article.links[:2]]
    actions.append(Action("Lire l'article complet", f"{routes.HELP}#{article.slug}"))
    return Reply(
        "faq",
        paragraphs,
        actions,
        [_article_source(article.slug)],
        category=_ARTICLE_CATEGORY.get(article.category, "other"),
    )


_COVER_HANDLERS = {"deductible": _deductible, "reimbursement": _reimbursement, "ceiling": _ceiling}
_HANDLERS = {
    "password": _password,
    "attestation": _attestation,
    "claim_status": _claim_status,
    "declare": _declare,
    "smalltalk": _smalltalk,
    "human": _human,
    "faq": _faq,
}


def answer(*, session: Session, holder_id: int, question: str, today: date) -> Reply:
    q = parse(question)
    if not q.folded:
        return Reply("empty", ["Posez votre question en quelques mots."], understood=False)
    intent = intent_of(q)
    if intent == "next_payment":
        return _next_payment(session, holder_id, q, today)
    if intent in _COVER_HANDLERS:  # answered from the terms in force today
        return _COVER_HANDLERS[intent](session, holder_id, q, today)
    return _HANDLERS[intent](session, holder_id, q)
