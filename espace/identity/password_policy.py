"""Password rules of CNIL délibération 2022-100 (about 80 bits of entropy), plus refusing common
passwords (zxcvbn's frequency lists) and words tied to the person or the brand."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from zxcvbn import zxcvbn

from espace.core.text import fold

MAX_LENGTH = 128
BRAND_WORDS = ("espace", "assurance", "assurances", "mrh")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_LEVELS = ["Très faible", "Faible", "Moyen", "Bon", "Excellent"]

RULES_TEXT = (
    "Au moins 12 caractères mêlant majuscules, minuscules, chiffres et caractères spéciaux ; "
    "ou 14 caractères avec trois de ces types ; ou une phrase de passe de 20 caractères."
)


@dataclass(frozen=True)
class PasswordCheck:
    errors: list[str] = field(default_factory=list)
    level: int = 0  # 0..4 for the meter
    label: str = _LEVELS[0]
    hints: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _classes(password: str) -> dict[str, bool]:
    return {
        "upper": any(c.isupper() for c in password),
        "lower": any(c.islower() for c in password),
        "digit": any(c.isdigit() for c in password),
        "special": any(not c.isalnum() for c in password),
    }


def meets_cnil_rules(password: str) -> bool:
    n, kinds = len(password), sum(_classes(password).values())
    return (n >= 12 and kinds == 4) or (n >= 14 and kinds >= 3) or n >= 20


def _fold(text: str) -> str:
    return fold(text).translate(_LEET)


def personal_words(
    *,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    birth_date: date | None = None,
    extra: tuple[str, ...] = (),
) -> list[str]:
    words = [
        *re.split(r"[\s\-']+", first_name),
        *re.split(r"[\s\-']+", last_name),
        *re.split(r"[._+\-]+", email.split("@")[0]),
        *extra,
    ]
    if birth_date:
        words += [str(birth_date.year), birth_date.strftime("%d%m"), birth_date.strftime("%d%m%y")]
    return sorted({_fold(w) for w in words if len(w) >= 4})


def check_password(password: str, *, personal: list[str] | None = None) -> PasswordCheck:
    """Errors (French, empty when acceptable), and a level with hints for the live meter."""
    errors: list[str] = []
    if len(password) > MAX_LENGTH:
        return PasswordCheck(
            errors=[f"Le mot de passe doit contenir au plus {MAX_LENGTH} caractères."]
        )
    classes = _classes(password)
    hints = []
    if len(password) < 12:
        hints.append("Au moins 12 caractères")
    if not classes["upper"]:
        hints.append("Une majuscule")
    if not classes["lower"]:
        hints.append("Une minuscule")
    if not classes["digit"]:
        hints.append("Un chiffre")
    if not classes["special"]:
        hints.append("Un caractère spécial (# ! ? …)")
    if not password:
        return PasswordCheck(errors=["Choisissez un mot de passe."], hints=hints)
    if not meets_cnil_rules(password):
        errors.append("Mot de passe trop faible. " + RULES_TEXT)

    folded = _fold(password)
    if any(word in folded for word in (*(personal or []), *BRAND_WORDS)):
        errors.append(
            "Évitez votre nom, votre date de naissance, votre adresse e-mail et le nom d'Espace."
        )

    estimate = zxcvbn(
        password[:72]
    )  # zxcvbn refuses longer input; the start is what a guesser tries
    common = sum(
        len(m["token"])
        for m in estimate["sequence"]
        if m["pattern"] == "dictionary" and m.get("dictionary_name") == "passwords"
    )
    if common >= 0.6 * len(password) or estimate["score"] < 2:
        errors.append("Ce mot de passe est trop courant ou trop facile à deviner.")

    level = estimate["score"]
    if errors:
        level = min(level, 1)
    elif not hints:
        level = max(level, 3)
    if meets_cnil_rules(password):
        hints = []
    return PasswordCheck(errors=errors, level=level, label=_LEVELS[level], hints=hints)
