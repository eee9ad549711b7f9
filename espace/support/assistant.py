"""Assistant Espace: answers common questions in French from the knowledge base and from the
holder's own contracts, claims and payments.

Deterministic and local: a question is folded and stemmed like search queries (``search.text``),
matched against a few intents in order, and answered from the database; anything else goes to
the help articles, and when none fits well the assistant says it does not know and offers an
adviser. Every answer names its sources.

What a question means is read by ``assistant_questions``, the replies' shape and the holder's
contracts they draw on are in ``assistant_replies``, the answers about the cover in
``assistant_cover``."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from espace import content, routes
from espace.billing import payments
from espace.claims import stages
from espace.claims.models import Claim
from espace.claims.stages import OPEN_STATUSES
from espace.core import formatting as fmt
from espace.core.models import saved_id
from espace.search import text
from espace.support.assistant_cover import _ceiling, _deductible, _reimbursement
from espace.support.assistant_questions import (
    _PERIL_OF_CATEGORY,
    Question,
    category_of,
    intent_of,
    parse,
)
from espace.support.assistant_replies import (
    Action,
    Reply,
    Source,
    _article_source,
    _contracts,
    _no_contract,
)

NOT_UNDERSTOOD = (
    "Je ne sais pas répondre à cette question. Reformulez-la, consultez l'aide, ou parlez à un "
    "conseiller : il recevra notre conversation et vous n'aurez rien à répéter."
)

SUGGESTIONS = (
    "Où est mon attestation ?",
    "Quelle est ma franchise dégât des eaux ?",
    "Combien serai-je remboursé pour une télé de 800 € volée ?",
    "J'ai oublié mon mot de passe",
    "Déclarer un sinistre",
)


# ----- answers --------------------------------------------------------------------------------


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
