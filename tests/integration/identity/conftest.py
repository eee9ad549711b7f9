"""Fixtures of the identity tests."""

from __future__ import annotations

import pytest

from espace.identity import passwords


@pytest.fixture
def verified_hashes(monkeypatch) -> list[str]:
    """The hash of every argon2id verification run from now on, in order: "same work for an unknown
    account" is counted, not timed (a timed ratio fails on a busy machine)."""
    seen: list[str] = []
    real_verify = passwords._context.verify

    def counting_verify(secret, hashed, **kwargs):
        seen.append(hashed)
        return real_verify(secret, hashed, **kwargs)

    monkeypatch.setattr(passwords._context, "verify", counting_verify)
    return seen


def argon2_cost(hashed: str) -> str:
    """ "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<digest>" -> "$argon2id$v=19$m=19456,t=2,p=1"."""
    return "$".join(hashed.split("$")[:4])
