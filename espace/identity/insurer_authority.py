"""The insurer's own authority over bank details: recording what the holder did outside the portal.

A mandate signed on paper and received by post, a revocation notified by the holder's bank, accounts
migrated from the insurer's core system, the demo data: none comes with a holder's second factor,
yet the insurer must record it. Such callers pass an ``InsurerRecord`` instead of a ``StepUpProof``
to the functions that accept one (``stepup.require_authority``: bank accounts and mandates only).

This module is the insurer's side of the domain: ``espace.state``, ``espace.pages`` and
``espace.api`` must never import it (an import-linter contract in pyproject.toml checks it), so no
handler a browser can call holds this authority. See ``espace/identity/stepup.py`` for the whole
design.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCES = {
    "paper": "mandat papier reçu par courrier",
    "bank": "avis de la banque du titulaire",
    "core_system": "reprise du système de gestion",
    "demo": "données de démonstration",
}


@dataclass(frozen=True)
class InsurerRecord:
    """The insurer records an event that happened outside the portal; ``reference`` points at its
    evidence."""

    source: str  # a key of SOURCES
    reference: str = ""

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown source of an insurer record: {self.source!r}")
