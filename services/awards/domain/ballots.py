"""Sealed ballots: a secret-ballot council's choices, encrypted to the council's own key.

The council's public key is stored with it; its private key only wrapped under the services'
key-encryption key (domain.ballot_keys), never in clear, and handed once to whoever convened the
council (the teller); it is needed only to resolve. A sealed ballot is stored in the voter's
transaction, so its position pairs it with the voter, but without the private key it says
nothing: RSA-OAEP is randomised (sealing the same choice twice gives unrelated bytes, so a guess
cannot be checked) and every sealed ballot has the same length."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Iterable

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from shared.kernel.errors import Invalid

CHOICES = ("yes", "no", "abstain")
_OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def new_key() -> tuple[str, str]:
    """(public key to store, private key to hand to the teller), both as PEM text."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    secret = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return public_of(private), secret.decode()


def public_of(private: rsa.RSAPrivateKey) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def seal(public_pem: str, choice: str) -> str:
    public = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(public, rsa.RSAPublicKey)
    return base64.b64encode(public.encrypt(choice.encode(), _OAEP)).decode()


def opener(public_pem: str, secret_pem: str) -> rsa.RSAPrivateKey:
    """The private key, if it is the one that belongs to `public_pem`."""
    try:
        private = serialization.load_pem_private_key(secret_pem.encode(), password=None)
    except (ValueError, TypeError, InvalidKey):
        raise Invalid.on("ballot_secret", "not a private key in PEM form") from None
    if not isinstance(private, rsa.RSAPrivateKey) or public_of(private) != public_pem:
        raise Invalid.on("ballot_secret", "not this council's ballot key")
    return private


def count(private: rsa.RSAPrivateKey, sealed: Iterable[str]) -> Counter[str]:
    tally: Counter[str] = Counter()
    for ballot in sealed:
        choice = private.decrypt(base64.b64decode(ballot), _OAEP).decode()
        if choice not in CHOICES:
            raise ValueError("a sealed ballot holds no valid choice")
        tally[choice] += 1
    return tally
