"""Tokens at rest are encrypted with Fernet; the key comes from configuration."""

from __future__ import annotations

from cryptography.fernet import Fernet


class TokenCipher:
    def __init__(self, key: str | bytes) -> None:
        self._fernet = Fernet(key.encode("ascii") if isinstance(key, str) else key)

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode("ascii")

    def encrypt(self, token: str | None) -> str | None:
        if token is None:
            return None
        return self._fernet.encrypt(token.encode("utf-8")).decode("ascii")

    def decrypt(self, sealed: str | None) -> str | None:
        if sealed is None:
            return None
        return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
