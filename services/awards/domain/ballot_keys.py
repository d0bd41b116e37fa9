"""A secret-ballot council's private key, kept with the council wrapped under the services'
key-encryption key (KEK, setting `TDKT_BALLOT_KEK`), so any replica that has the KEK opens the
ballots after any restart, while the database alone holds only ciphertext (README, "Councils and
secret ballots").

Wrapped: AES-256-GCM over the key's PKCS#8 DER, the council's id and the KEK's id as associated
data (a wrapped key copied onto another council does not open), written
`w1.<kek id>.<nonce>.<ciphertext>` in URL-safe base64. The KEK's id is an HMAC of the KEK, so a
service can say which KEK a key was wrapped under without holding it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from shared.kernel.errors import Conflict

_FORMAT = "w1"
# A passphrase KEK is stretched with scrypt; one KEK per deployment, so one fixed salt.
_SALT = b"tdkt ballot key-encryption key v1"


@dataclass(frozen=True, repr=False)
class Kek:
    key: bytes  # 32 bytes; never logged (repr hides it)

    @classmethod
    def from_setting(cls, value: str) -> Kek:
        """A base64 32-byte key as it is, anything else as a passphrase through scrypt."""
        try:
            raw = base64.b64decode(value, validate=True)
        except ValueError:
            raw = b""
        if len(raw) == 32:
            return cls(raw)
        return cls(Scrypt(salt=_SALT, length=32, n=2**15, r=8, p=1).derive(value.encode()))

    @property
    def id(self) -> str:
        return hmac.new(self.key, b"tdkt ballot kek id", hashlib.sha256).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"Kek(id={self.id})"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _aad(council: UUID, kek_id: str) -> bytes:
    return f"{_FORMAT}.{council}.{kek_id}".encode()


def wrap(kek: Kek, council: UUID, secret_pem: str) -> str:
    private = serialization.load_pem_private_key(secret_pem.encode(), password=None)
    der = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    nonce = os.urandom(12)
    sealed = AESGCM(kek.key).encrypt(nonce, der, _aad(council, kek.id))
    return ".".join((_FORMAT, kek.id, _b64(nonce), _b64(sealed)))


def wrapped_under(wrapped: str) -> str:
    """The id of the KEK `wrapped` was wrapped under."""
    return wrapped.split(".")[1]


def unwrap(kek: Kek, council: UUID, code: str, wrapped: str) -> str:
    """The private key as PEM; a Conflict naming both KEKs' ids if `kek` is not the one."""
    _, kek_id, nonce, sealed = wrapped.split(".")
    try:
        if kek_id != kek.id:
            raise InvalidTag
        der = AESGCM(kek.key).decrypt(_unb64(nonce), _unb64(sealed), _aad(council, kek_id))
    except InvalidTag:
        raise Conflict(
            f"the ballot key of council '{code}' is wrapped under another key-encryption key "
            f"(id {kek_id}) than this service's TDKT_BALLOT_KEK (id {kek.id}): resolve it on a "
            "service configured with that key, or send the key handed out at convening as "
            "ballot_secret"
        ) from None
    private = serialization.load_der_private_key(der, password=None)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode()


def rewrap(old: Kek, new: Kek, council: UUID, code: str, wrapped: str) -> str:
    return wrap(new, council, unwrap(old, council, code, wrapped))
