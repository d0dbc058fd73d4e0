"""RFC 6238 TOTP written out from the RFC, independent of django-otp: the tests compute the
code an authenticator app would show from the secret the enrolment page gives."""

from __future__ import annotations

import hashlib
import hmac
import struct
import time
from base64 import b32decode


def hotp(key: bytes, counter: int, digits: int = 6) -> str:
    """RFC 4226 section 5.3: HMAC-SHA-1 of the counter, dynamic truncation, modulo 10^digits."""
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** digits).zfill(digits)


def totp(secret_base32: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238: HOTP with the counter floor(unix time / 30 s)."""
    key = b32decode(secret_base32.replace(" ", "").upper())
    return hotp(key, int((time.time() if at is None else at) // step), digits)
