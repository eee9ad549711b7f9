"""French text for search: accent folding, tokens, stop words and Snowball stems.

The index and the queries go through the same functions, so that "Dégâts", "degats" and
"dégât" meet on one stem."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "ß": "ss"})

# Common French words that carry no meaning for search (folded, without accents). Not "non": "non
# couvert" is the opposite of "couvert".
STOP_WORDS = frozenset(
    """
a au aux avec ce ces cet cette dans de des du elle en est et etre il ils je la le les leur leurs lui ma mais me
mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos
votre vous y d l j m n s t c qu est sont ai as avons avez ont suis es etes sommes etait quel quelle quels quelles
comment combien quand pourquoi puis peut peux faut fait faire mon ma mes si sans sous chez ca cela ceci plus
moins tres tout tous toute toutes aussi donc alors car comme dont ou la-bas ici y-a-t il-y
apres avant pendant depuis entre vers contre lors selon jusqu jusque deja encore ni oui quoi lequel laquelle
dois doit doivent devez veux veut voulez vais va vont avoir ete sera serait fais font pouvez bonjour merci svp stp
""".split()
)


def fold(text: str) -> str:
    """Lowercase without accents: "Dégâts des eaux" -> "degats des eaux"."""
    text = (text or "").lower().translate(_LIGATURES)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Folded words, stop words kept (for phrases and snippets)."""
    return _WORD.findall(fold(text))


def terms(text: str) -> list[str]:
    """Folded words that matter: stop words removed."""
    return [w for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


# Words whose Snowball stem collides with an unrelated insurance word ("vente" would meet "vent").
_KEEP = {"vente": "vente", "ventes": "vente"}


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Snowball stem of a folded word. Folding first keeps typed-without-accents words on the same stem
    as the written ones; two endings that folding breaks are put back together: the feminine participle
    ("cassée" folds to "cassee", like "cassé") and the y/i alternation ("payé", "paie", "paiement")."""
    if word.isdigit():
        return word
    if word in _KEEP:
        return _KEEP[word]
    if len(word) > 4 and word.endswith(("ee", "ees")):
        word = word[:-1] if word.endswith("ee") else word[:-2]
    stemmed = _stemmer().stemWord(word)
    return stemmed[:-1] + "i" if stemmed.endswith("y") and len(stemmed) > 2 else stemmed


def stems(text: str) -> list[str]:
    return [stem(w) for w in terms(text)]


def normalise(text: str) -> str:
    """What the full-text index stores: the stems of the meaningful words."""
    return " ".join(stems(text))
