"""One settings class per service; every value can be overridden from the environment."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class OidcProvider(BaseModel):
    """An OpenID provider whose ID tokens registration exchanges for the product's access tokens
    (`TDKT_OIDC_PROVIDERS`, a JSON list of these)."""

    issuer: str  # exactly as in its tokens' `iss`
    audience: str  # the client id its ID tokens are issued to (the console's)
    # Its keys; default: the `jwks_uri` of `<issuer>/.well-known/openid-configuration`.
    jwks_url: str | None = None


class ServiceSettings(BaseSettings):
    """What every service needs: its store, the broker, the token secret, where to listen."""

    model_config = SettingsConfigDict(env_prefix="TDKT_", extra="ignore", populate_by_name=True)

    service: str = "service"
    database_url: str = "postgresql://postgres@127.0.0.1:5432/tdkt"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    exchange: str = "tdkt.events"
    queue_prefix: str = "tdkt."
    host: str = "127.0.0.1"
    port: int = 8000
    schema_name: str = "public"
    # Development mode: HS256 tokens signed with `jwt_secret` are accepted (`tdkt token`, the
    # console's development sign-in, the tests). Off, they are refused, and a start with the
    # public development secret or without a JWKS URL fails (shared.auth.config.check_config).
    development: bool = False
    jwt_secret: str = "dev-only-secret-change-me-32bytes!"
    jwt_algorithm: str = "HS256"
    # The product's access tokens (issued by registration, POST /v1/access/tokens): their `iss`
    # and `aud`, and where their public keys are (registration's /.well-known/jwks.json).
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwks_url: str | None = None
    # How long a fetched key set is trusted, and the least time between two fetches that an
    # unknown `kid` may cause (a stream of forged kids cannot turn into a stream of fetches).
    jwks_max_age_seconds: float = 300.0
    jwks_refetch_seconds: float = 30.0
    # The sign-in provider's discovery document, declared in each service's OpenAPI (/docs).
    oidc_discovery_url: str | None = None
    max_body_bytes: int = 20 * 1024 * 1024
    relay_page_size: int = 500
    relay_in_flight: int = 200
    relay_poll_seconds: float = 0.2
    consumer_prefetch: int = 256
    # Half the prefetch: the next batch fills (its deliveries unacknowledged) while one is applied.
    consumer_batch_size: int = 128
    # A batch is applied when full, when no message came for `consumer_idle_flush_seconds` (the
    # queue went quiet), or when its oldest message waited `consumer_batch_wait_seconds`.
    consumer_batch_wait_seconds: float = 0.05
    consumer_idle_flush_seconds: float = 0.002
    consumer_max_deliveries: int = 5
    feed_scan_limit: int = 5000
    # Names of the peer services' base URLs, used by reporting to rebuild from their feeds.
    registration_url: str = "http://127.0.0.1:8001"
    awards_url: str = "http://127.0.0.1:8002"
    # The service account this service acts as when it calls another (reporting's lag watcher
    # and rebuild): its client id and secret (`POST /v1/access/people/{id}:issue-secret`),
    # exchanged at registration's `POST /v1/access/tokens` for a short-lived access token under
    # `service_client_assignment` (default: its only assignment in force). Unset, only a
    # development token (TDKT_DEVELOPMENT) can be used.
    service_client_id: str | None = None
    service_client_secret: SecretStr | None = None
    service_client_assignment: str | None = None

    @property
    def pg(self) -> dict[str, str]:
        """The URL split into the parts eventsourcing's POSTGRES_* environment wants."""
        parts = urlsplit(self.database_url)
        return {
            "POSTGRES_DBNAME": parts.path.lstrip("/") or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": parts.username or "postgres",
            "POSTGRES_PASSWORD": parts.password or "",
        }


class RegistrationSettings(ServiceSettings):
    service: str = "registration"
    schema_name: str = Field("registration", validation_alias=AliasChoices("TDKT_REGISTRATION_SCHEMA"))
    port: int = Field(8001, validation_alias=AliasChoices("TDKT_REGISTRATION_PORT"))
    # People and access (README, "Access"): the providers whose ID tokens are exchanged for
    # access tokens, and the tokens' life (at most 10 minutes: a revocation takes that long).
    oidc_providers: list[OidcProvider] = Field(default_factory=list)
    access_token_seconds: int = Field(600, ge=30, le=600)
    # Signing keys: the algorithm of new keys, their age at rotation, and how long a new key is
    # published before it signs (longer than the services' JWKS cache, jwks_max_age_seconds).
    signing_algorithm: Literal["RS256", "EdDSA"] = "RS256"
    signing_key_max_age_days: float = Field(30.0, gt=0)
    signing_key_publish_ahead_seconds: float = Field(600.0, ge=0)
    # Encrypts the private keys at rest (PEM with this passphrase); unset, they are stored plain.
    signing_key_passphrase: str | None = None
    # The first national administrator, granted at start when no person holds that e-mail yet
    # (or `python -m services.registration.entrypoints.access_cli first-admin`).
    first_admin_email: str | None = None
    first_admin_issuer: str | None = None
    first_admin_subject: str | None = None


class AwardsSettings(ServiceSettings):
    service: str = "awards"
    schema_name: str = Field("awards", validation_alias=AliasChoices("TDKT_AWARDS_SCHEMA"))
    port: int = Field(8002, validation_alias=AliasChoices("TDKT_AWARDS_PORT"))
    # Certificates' verification codes are HMAC-SHA256 of the grant's id under this secret
    # (services/awards/domain/verification.py); changing it changes every code, so keep it. Never
    # logged. The development default is refused outside development (shared.auth.config).
    verification_secret: SecretStr = SecretStr("dev-only-verification-secret-change-me")
    # Wraps each secret-ballot council's private key, stored with the council, so any replica
    # resolves after any restart (services/awards/domain/ballot_keys.py): a base64 32-byte key, or
    # a passphrase stretched with scrypt. Never logged; the same on every replica; losing it
    # leaves only the tellers' copies. The development default is refused outside development.
    ballot_kek: SecretStr = SecretStr("ZGV2LW9ubHktYmFsbG90LWtlay1jaGFuZ2UtbWUhISE=")
    # Where a certificate's QR code sends its reader: the console's public verification page,
    # the code appended (`<url>/<code>`).
    verification_url: str = "http://127.0.0.1:8000/xac-minh"
    # Processes that render big documents (decisions, certificates) off the API's process.
    document_processes: int = Field(1, ge=0, le=8)


class ReportingSettings(ServiceSettings):
    service: str = "reporting"
    schema_name: str = Field("reporting", validation_alias=AliasChoices("TDKT_REPORTING_SCHEMA"))
    port: int = Field(8003, validation_alias=AliasChoices("TDKT_REPORTING_PORT"))


class ConsoleSettings(ServiceSettings):
    """The console (services/console): a web interface that calls the three services over HTTP
    with the signed-in person's token; it has no store of its own besides its session store."""

    service: str = "console"
    port: int = Field(8000, validation_alias=AliasChoices("TDKT_CONSOLE_PORT"))
    reporting_url: str = "http://127.0.0.1:8003"
    # The development sign-in page (pick who you are; a token minted with TDKT_JWT_SECRET).
    # Off unless enabled: `make run` and the tests enable it; production signs in with OIDC.
    console_dev_sign_in: bool = False
    # The federation the development identities belong to.
    console_dev_federation: str = "bac-kan"
    # How long a signed-in session lasts without use, and at most (the token's life).
    console_session_idle_seconds: int = 2 * 3600
    console_session_max_seconds: int = 8 * 3600
    # Set the cookie's Secure flag even over plain HTTP (behind a TLS-terminating proxy).
    console_secure_cookies: bool = False
    # A Fernet key (32 bytes, URL-safe base64): sessions then live in PostgreSQL, encrypted under
    # it, shared by every console replica; unset, in this process's memory (one console).
    console_session_key: str | None = None
    # How long the console waits for a service's answer.
    console_service_timeout_seconds: float = 30.0
    # The OpenID Connect sign-in (README, "Signing in"): the provider's issuer exactly as in its
    # ID tokens (its discovery document at <issuer>/.well-known/openid-configuration unless
    # `console_oidc_discovery_url` says otherwise), the console's client there (a secret for a
    # confidential client; none for a public one, PKCE alone), and the console's callback URL
    # as registered at the provider (https://console.example/dang-nhap/callback). Off unless
    # the issuer, client id and redirect URL are set.
    console_oidc_issuer: str | None = None
    console_oidc_discovery_url: str | None = None
    console_oidc_client_id: str | None = None
    console_oidc_client_secret: str | None = None
    console_oidc_redirect_url: str | None = None
    # Where the provider sends the browser after its sign-out (default: the sign-in page next
    # to the redirect URL); it must be registered at the provider too.
    console_oidc_post_logout_url: str | None = None
    console_oidc_scopes: str = "openid email profile"
    # How old a product access token may get before the console exchanges a fresh ID token for
    # a new one (so a revoked assignment ends within this, at the latest at the token's expiry).
    console_access_refresh_seconds: float = Field(240.0, ge=0)

    @property
    def console_oidc(self) -> bool:
        return bool(
            self.console_oidc_issuer and self.console_oidc_client_id and self.console_oidc_redirect_url
        )
