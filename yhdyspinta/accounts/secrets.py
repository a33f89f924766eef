"""Encrypting the identity providers' client secrets kept in the database.

Fernet (AES with an HMAC) from `cryptography`. The key is SECRETS_ENCRYPTION_KEY, or one derived
from SECRET_KEY when none is set: a database copy alone does not reveal the secrets. Changing
the key means entering the stored secrets again (docs/operations.md).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> Fernet:
    key = settings.SECRETS_ENCRYPTION_KEY
    if not key:
        digest = hashlib.sha256(b"yhdyspinta-secrets:" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    try:
        return Fernet(key)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SECRETS_ENCRYPTION_KEY must be a Fernet key (32 bytes, url-safe base64)."
        ) from exc


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored client secret cannot be decrypted: the encryption key has changed. "
            "Enter the secret again."
        ) from exc
