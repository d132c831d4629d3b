"""The session's secrets: seat tokens, the facilitator's token, the room code, CSRF guards.

Every token is an HMAC of one random secret, so the secrets file holds the secret (and, in
the pseudonymous mode, the key from pseudonym to name) and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def new_secret() -> str:
    """A fresh random secret (hex)."""
    return secrets.token_hex(32)


class Keys:
    """Tokens derived from one secret."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self._key = bytes.fromhex(secret)

    def _mac(self, text: str, length: int = 22) -> str:
        digest = hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")[:length]

    def seat_token(self, seat: str) -> str:
        """The token in a seat's link."""
        return self._mac(f"seat\0{seat}")

    @property
    def facilitator(self) -> str:
        """The token in the facilitator's link."""
        return self._mac("facilitator\0")

    @property
    def room_code(self) -> str:
        """Six digits a guest types to join."""
        number = int.from_bytes(hmac.new(self._key, b"room\0", hashlib.sha256).digest()[:4])
        return f"{number % 1_000_000:06d}"

    def csrf(self, token: str) -> str:
        """The guard a form posted for ``token`` must carry."""
        return self._mac(f"csrf\0{token}", 32)

    def csrf_ok(self, token: str, guard: str) -> bool:
        """Whether ``guard`` is the right guard for ``token`` (constant time)."""
        return hmac.compare_digest(self.csrf(token), guard or "")
