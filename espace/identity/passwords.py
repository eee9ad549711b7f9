"""Password hashing with argon2id (passlib), parameters from OWASP's recommendation."""

from __future__ import annotations

from functools import lru_cache

from passlib.context import CryptContext

_context = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=19456,
    argon2__time_cost=2,
    argon2__parallelism=1,
)

MAX_PASSWORD_LENGTH = 128


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH * 4:  # refuse absurd inputs before hashing
        return False
    try:
        return _context.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


@lru_cache
def _dummy_hash() -> str:
    return hash_password("espace-timing-equaliser")


def burn_verification_time(password: str) -> None:
    """Spend the time of a real verification, so unknown accounts answer as slowly as known ones."""
    verify_password(password, _dummy_hash())
