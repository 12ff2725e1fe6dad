"""Secrets at rest: a model field that stores its value Fernet-encrypted (AES-128-CBC + HMAC).

Keys come from FIELD_ENCRYPTION_KEYS (newest first, so keys can be rotated: old ones still decrypt);
without it, one key is derived from SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

_PREFIX = "fernet:"


@cache
def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        digest = hashlib.sha256(b"agent-platform-field-encryption:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def secret_digest(secret: str) -> str:
    """What is stored of a random single-purpose secret (a token, an API key): its SHA-256, hex. A
    high-entropy secret needs no slow hash; only a password does."""
    return hashlib.sha256(secret.encode()).hexdigest()


def encrypt(value: str) -> str:
    return _PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(_PREFIX):
        raise ValueError("value is not encrypted")
    try:
        return _fernet().decrypt(stored[len(_PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong or rotated-out FIELD_ENCRYPTION_KEYS") from exc


def mask(value: str | None) -> str:
    """What a secret looks like wherever it is shown: the last four characters at most."""
    if not value:
        return ""
    return "•" * 8 + (value[-4:] if len(value) >= 12 else "")


class EncryptedTextField(models.TextField):
    """A text field encrypted in the database; Python code sees the plain value."""

    def from_db_value(self, value, expression, connection):
        # An empty value stays empty (not None): a blank field loaded and saved again must not turn NULL.
        return value if value in (None, "") else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value in (None, "") else encrypt(value)
