"""French text for search: accent folding, tokens, stop words and Snowball stems.

The index and the queries go through the same functions, so that "Dégâts", "degats" and
"dégât" meet on one stem."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from espace.core.text import fold

_WORD = re.compile(r"[a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "ß": "ss"})

# Common French words that carry no meaning for search (folded, without accents). Not "non": "non
# couvert" is the opposite of "couvert".
STOP_WORDS = frozenset(
    """
a au aux avec ce ces cet cette dans de des du elle en est et etre il ils je la le les leur leurs lui
ma mais me
mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu
un une vos
votre vous y d l j m n s t c qu est sont ai as avons avez ont suis es etes sommes etait quel quelle
quels quelles
comment combien quand pourquoi puis peut peux faut fait faire mon ma mes si sans sous chez ca cela
ceci plus
moins tres tout tous toute toutes aussi donc alors car comme dont ou la-bas ici y-a-t il-y
apres avant pendant depuis entre vers contre lors selon jusqu jusque deja encore ni oui quoi lequel
laquelle
dois doit doivent devez veux veut voulez vais va vont avoir ete sera serait fais font pouvez bonjour
merci svp stp
the to my how is in of on for what when will with from can it be are was by at this that your our
and do does
did have has who which where why i if there get got should would could am we us they them its
not no without never
""".split()
)

# Words that change the sense of an expression: kept when queries are matched against the thesaurus
# ("pas couvert" is the opposite of "couvert"; "par mois" is a rhythm of payment, "2 mois" a
# duration).
SENSE_WORDS = frozenset(
    "pas non sans jamais aucun aucune not no without never par chaque tous".split()
)


# Words that deny what follows or precedes them: one sense for the thesaurus ("jamais garanti", "ne
# rembourse pas", "aucune garantie" and "not covered" meet "pas couvert").
NEGATION_WORDS = frozenset("pas non sans jamais aucun aucune not no without never".split())
# "ne ... plus" (no longer: "je n'habite plus là") and "ne ... rien" ("on ne me rembourse rien"):
# the second word is kept as a sense word only after "ne"; alone, "plus" and "rien" are stop words.
_NE = frozenset({"ne", "n"})
_AFTER_NE = {"plus": "plus", "rien": "pas", "guere": "pas"}

# English negative contractions ("isn't covered") read as "is not": "not" changes the sense.
# "Can't", "cannot", "can not" and "couldn't" read as "unable": "I can't pay" is not "it won't pay".
_NOT = re.compile(
    r"\b(is|are|was|were|do|does|did|has|have|had|ca|wo|could|should|would)n'?t\b|\b(can) ?(not)\b"
)
_FULL = {"wo": "will not", "ca": "unable", "can": "unable", "could": "unable"}


def _negative(match: re.Match[str]) -> str:
    verb = match.group(1) or match.group(2)
    return _FULL.get(verb, f"{verb} not")


# English verbs in two words whose second is a stop word ("log in": "log" alone would meet the stem
# of "logement"): one word.
_COMPOUNDS = re.compile(r"\b(log|sign)[ -]?(in|on|out)\b")


def words(text: str) -> list[str]:
    """Folded words, stop words kept (for phrases and snippets)."""
    folded = _NOT.sub(_negative, fold(text))
    return _WORD.findall(_COMPOUNDS.sub(r"\1\2", folded))


def terms(text: str) -> list[str]:
    """Folded words that matter: stop words removed."""
    return [w for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


def sense_terms(text: str) -> list[str]:
    """Like :func:`terms`, with the words that change the sense of an expression kept: the sense
    words, and the second word of "ne ... plus" ("plus") and "ne ... rien" ("pas")."""
    found = words(text)
    kept = []
    for i, w in enumerate(found):
        if w in _AFTER_NE and _NE & set(found[max(0, i - 3) : i]):
            kept.append(_AFTER_NE[w])
        elif w in SENSE_WORDS or (w not in STOP_WORDS and (len(w) > 1 or w.isdigit())):
            kept.append(w)
    return kept


# Words whose Snowball stem collides with an unrelated insurance word ("vente" would meet "vent"):
# rewritten to a word of the same sense whose stem is its own.
_REWRITE = {"vente": "vendre", "ventes": "vendre"}
_Y_BETWEEN_VOWELS = re.compile(r"(?<=[aeiou])y(?=[aeiou])")


# The version of what the index stores for a text (``normalise``, ``canonical_text``): an index
# written with another one is built again at start (``SearchIndex.is_built``).
TEXT_FORMAT = "3"  # 2: English -ed and -ing forms; 3: "can't" read as "unable"


def _english_base(word: str) -> str:
    """The base of an English past participle or gerund ("flooded", "leaking": "flood", "leak"),
    which Snowball French keeps whole. No French word of five letters or more ends in "-ed" or
    "-ing" but anglicisms ("parking"), which then meet their English family too."""
    if len(word) >= 6 and word.endswith("ing"):
        base = word[:-3]
    elif len(word) >= 5 and word.endswith("ied"):
        base = word[:-3] + "y"  # carried
    elif len(word) >= 5 and word.endswith("ed"):
        base = word[:-2]
    else:
        return word
    if len(base) >= 4 and base[-1] == base[-2] and (base[-1] not in "sfzl" or len(base) >= 6):
        base = base[:-1]  # stopped, cancelled (not "filled", "missed")
    return base


def canonical(word: str) -> str:
    """A folded word rewritten so that its Snowball stem meets its family's: the feminine participle
    that folding breaks ("cassée" folds to "cassee": "casse", like "cassé"), the y/i alternation
    ("payer", "paie", "paiement": "paier") and English -ed/-ing forms. The index stems these words
    with Snowball French (PyStemmer, or PostgreSQL's dictionary), so both backends agree."""
    if word.isdigit():
        return word
    word = _english_base(_REWRITE.get(word, word))
    if len(word) > 4 and word.endswith(("ee", "ees")):
        word = word[:-1] if word.endswith("ee") else word[:-2]
    return _Y_BETWEEN_VOWELS.sub("i", word)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Snowball stem of a folded word (see :func:`canonical`). Folding first keeps
    typed-without-accents words on the same stem as the written ones."""
    if word.isdigit():
        return word
    return _stemmer().stemWord(canonical(word))


def stems(text: str) -> list[str]:
    return [stem(w) for w in terms(text)]


def normalise(text: str) -> str:
    """What the full-text index stores: the stems of the meaningful words."""
    return " ".join(stems(text))


def canonical_text(text: str) -> str:
    """The meaningful words, folded and rewritten (:func:`canonical`), for an index that stems them
    itself (PostgreSQL)."""
    return " ".join(canonical(w) for w in terms(text))
