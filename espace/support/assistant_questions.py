"""What the assistant understands of a question: folded and stemmed like search queries, its intent,
the guarantee category it points at, an amount and an item."""

from __future__ import annotations

import re
from dataclasses import dataclass

from espace.search import text

MAX_QUESTION_CHARS = 500

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
