"""Keyed digests for short codes, and AES-GCM encryption at rest (TOTP secrets, later IBANs)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from espace.core.settings import get_settings


@lru_cache
def _key(purpose: bytes) -> bytes:
    secret = get_settings().secret_key.get_secret_value().encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"espace", info=purpose).derive(secret)


def code_digest(code: str) -> str:
    """HMAC-SHA256 of a short code: a stolen table cannot be brute-forced without the key."""
    return hmac.new(_key(b"codes"), code.encode(), hashlib.sha256).hexdigest()


def encrypt(plaintext: str, *, purpose: bytes = b"at-rest") -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_key(purpose)).encrypt(nonce, plaintext.encode(), purpose)
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str, *, purpose: bytes = b"at-rest") -> str:
    raw = base64.urlsafe_b64decode(token.encode())
    return AESGCM(_key(purpose)).decrypt(raw[:12], raw[12:], purpose).decode()
