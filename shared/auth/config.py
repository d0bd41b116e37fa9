"""The settings a service refuses to start with."""

from __future__ import annotations

import logging

from shared.kernel.settings import AwardsSettings, ServiceSettings

log = logging.getLogger("tdkt.auth")

DEV_SECRET = ServiceSettings.model_fields["jwt_secret"].default
DEV_VERIFICATION_SECRET = AwardsSettings.model_fields["verification_secret"].default.get_secret_value()
DEV_BALLOT_KEK = AwardsSettings.model_fields["ballot_kek"].default.get_secret_value()


class ConfigError(ValueError):
    """A setup that must not start: the message says which setting to change."""


def check_config(settings: ServiceSettings) -> None:
    """Refuse, at start, a setup that would accept tokens anyone can mint or skip a check."""
    if settings.jwks_url and not (settings.jwt_issuer and settings.jwt_audience):
        raise ConfigError("TDKT_JWKS_URL needs TDKT_JWT_ISSUER and TDKT_JWT_AUDIENCE to check tokens")
    if settings.development:
        if settings.jwt_secret == DEV_SECRET:
            log.warning("development mode: tokens signed with the public development secret are accepted")
        return
    if settings.jwt_secret == DEV_SECRET:
        raise ConfigError(
            "refusing to start: TDKT_JWT_SECRET is the public development secret and TDKT_DEVELOPMENT "
            "is off. Outside development set TDKT_JWT_SECRET to a secret of your own (HS256 tokens are "
            "refused anyway) and TDKT_JWKS_URL to registration's /.well-known/jwks.json; on a "
            "developer's machine set TDKT_DEVELOPMENT=1"
        )
    if not settings.jwks_url:
        raise ConfigError(
            "refusing to start: TDKT_DEVELOPMENT is off and TDKT_JWKS_URL is not set, so no token could "
            "be verified. Set TDKT_JWKS_URL (registration's /.well-known/jwks.json), TDKT_JWT_ISSUER "
            "and TDKT_JWT_AUDIENCE, or TDKT_DEVELOPMENT=1 on a developer's machine"
        )
    secret = settings.verification_secret if isinstance(settings, AwardsSettings) else None
    if secret is not None and secret.get_secret_value() == DEV_VERIFICATION_SECRET:
        raise ConfigError(
            "refusing to start: TDKT_VERIFICATION_SECRET is the public development secret, so anyone "
            "could work out a certificate's verification code. Set it to a long random secret of your "
            "own, and keep it: the codes printed on certificates are made from it"
        )
    kek = settings.ballot_kek if isinstance(settings, AwardsSettings) else None
    if kek is not None and kek.get_secret_value() in (DEV_BALLOT_KEK, ""):
        raise ConfigError(
            "refusing to start: TDKT_BALLOT_KEK is unset or the public development key, so anyone with "
            "the database could open secret ballots. Set it, the same on every awards replica, to "
            "a base64 32-byte key (`openssl rand -base64 32`) or a long passphrase, and keep it: "
            "secret-ballot councils convened under it resolve only with it (README, 'Councils and "
            "secret ballots')"
        )
