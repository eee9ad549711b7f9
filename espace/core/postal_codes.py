"""French postal codes and the communes they serve, checked offline.

The data (``data/codes_postaux.tsv.gz``: one line per postal code and commune, ~35,700 lines, 6,200
codes, mainland France, Corsica and the overseas departments) is built by
``scripts/postal_codes.py`` from the npm package ``codes-postaux`` of the Base Adresse Nationale
(Etalab), itself made from INSEE's Code officiel géographique and the DGFiP's FIMOCT, both under
the Licence Ouverte. It ships with the app: nothing is fetched at run time."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from espace.core.text import fold

_SHAPE = re.compile(r"^\d{5}$")
_ARRONDISSEMENT = re.compile(r"\s+\d+(er|e) Arrondissement$")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "s/": "sur"}


@dataclass(frozen=True)
class Commune:
    name: str  # "Montmerle-sur-Saône"
    routing: str  # La Poste's routing label: "MONTMERLE SUR SAONE", "PARIS" for its arrondissements


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[Commune, ...]]:
    data = resources.files("espace.core").joinpath("data/codes_postaux.tsv.gz").read_bytes()
    table: dict[str, list[Commune]] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        code, name, routing = line.split("\t")
        table.setdefault(code, []).append(Commune(name, routing))
    return {code: tuple(rows) for code, rows in table.items()}


def town_key(text: str) -> str:
    """A town name as compared: no accents or case, hyphens and apostrophes as spaces, "St" and
    "Ste" spelled out ("St-Étienne" == "SAINT ETIENNE")."""
    words = re.sub(r"[-'’.,/]+", " ", fold(text)).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def communes(postal_code: str) -> tuple[Commune, ...]:
    """The communes a postal code serves (empty for an unknown code)."""
    return _table().get((postal_code or "").strip(), ())


def _display(commune: Commune, *, by_routing: bool) -> str:
    # "Paris 11e Arrondissement" typed as "Paris": the town is Paris.
    return _ARRONDISSEMENT.sub("", commune.name) if by_routing else commune.name


@dataclass(frozen=True)
class CheckedTown:
    postal_code: str
    town: str  # the commune's official spelling


def check(postal_code: str, town: str) -> tuple[CheckedTown | None, dict[str, str]]:
    """Check a postal code and the town typed with it: (the checked pair, {}) or (None, French
    errors keyed ``postal_code`` / ``town``)."""
    code = re.sub(r"\s+", "", postal_code or "")
    town = (town or "").strip()
    errors: dict[str, str] = {}
    if not code:
        errors["postal_code"] = "Indiquez le code postal."
    elif not _SHAPE.match(code):
        errors["postal_code"] = "Le code postal compte 5 chiffres, par exemple 69003."
    elif not communes(code):
        errors["postal_code"] = f"Le code postal {code} n'existe pas : vérifiez-le."
    if not town:
        errors["town"] = "Indiquez la commune."
    elif len(town) > 80:
        errors["town"] = "Le nom de la commune est trop long."
    if errors:
        return None, errors
    wanted = town_key(town)
    served = communes(code)
    for commune in served:
        if town_key(commune.name) == wanted:
            return CheckedTown(code, _display(commune, by_routing=False)), {}
    for commune in served:
        if town_key(commune.routing) == wanted:
            return CheckedTown(code, _display(commune, by_routing=True)), {}
    names = sorted({_display(c, by_routing=True) for c in served})
    listed = ", ".join(names[:6]) + (" …" if len(names) > 6 else "")
    return None, {
        "town": f"Cette commune ne correspond pas au code postal {code}. Communes de ce code : "
        f"{listed}."
    }
