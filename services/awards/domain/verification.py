"""A certificate's verification code: HMAC-SHA256 of the grant's id under the deployment's secret,
its first 100 bits written as 20 Crockford base-32 characters in groups of five. Without the
secret a code cannot be derived from a grant id nor guessed (2^100 codes, a handful issued), and
it reveals nothing of the id. Read leniently: case, spaces and dashes ignored, O read as 0,
I and L as 1, U refused (Crockford's alphabet has none)."""

from __future__ import annotations

import hashlib
import hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20  # characters of 5 bits: 100 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def code_of(secret: bytes, grant_id: str) -> str:
    """The code as stored and looked up: 20 characters, no dashes."""
    digest = hmac.new(secret, f"grant:{grant_id}".encode(), hashlib.sha256).digest()
    bits = int.from_bytes(digest, "big") >> (256 - 5 * LENGTH)
    return "".join(ALPHABET[(bits >> (5 * (LENGTH - 1 - i))) & 31] for i in range(LENGTH))


def shown(code: str) -> str:
    """As printed: XXXXX-XXXXX-XXXXX-XXXXX."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def normalised(text: str) -> str | None:
    """The code someone typed, as stored; None when it cannot be one (wrong length or a letter
    outside the alphabet)."""
    code = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
