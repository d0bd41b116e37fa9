"""The console as an OpenID Connect client of one provider (TDKT_CONSOLE_OIDC_*): the
authorization code flow with PKCE, run by the console's backend. The browser only carries the
authorization request and the code; the code is redeemed here with the PKCE verifier (and the
client secret when there is one), and the ID token is verified here with PyJWT against the
provider's published keys: signature, issuer, audience, expiry, issue time and the nonce of the
sign-in that asked for it. Refresh (a fresh ID token for the next exchange) and the provider's
end-session URL are here too."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from shared.kernel.settings import ConsoleSettings

ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"]
LEEWAY = 30  # seconds of clock difference with the provider
METADATA_SECONDS = 3600.0
JWKS_SECONDS = 300.0
JWKS_REFETCH_SECONDS = 30.0  # the least time between two fetches an unknown `kid` may cause


class SignInRefused(Exception):
    """A sign-in the console refuses; `message` is what the person reads (Vietnamese), `reason`
    what the log says."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(reason)
        self.message = message
        self.reason = reason


class ProviderUnavailable(Exception):
    """The provider did not answer (or answered nonsense): nothing was decided."""


REFUSED_TOKEN = "Nhà cung cấp tài khoản trả về thẻ đăng nhập không hợp lệ, nên bạn chưa được đăng nhập."


@dataclass(frozen=True)
class Metadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None


@dataclass(frozen=True)
class Tokens:
    """What the token endpoint answered, the ID token verified."""

    id_token: str
    claims: dict[str, Any]
    refresh_token: str | None

    @property
    def expires_at(self) -> float:
        return float(self.claims["exp"])


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def challenge(verifier: str) -> str:
    """PKCE's S256 code challenge of a verifier (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OidcClient:
    def __init__(self, settings: ConsoleSettings, http: httpx.AsyncClient) -> None:
        assert settings.console_oidc_issuer and settings.console_oidc_client_id
        self.settings = settings
        self.issuer = settings.console_oidc_issuer
        self.client_id = settings.console_oidc_client_id
        self.http = http
        self._metadata: tuple[float, Metadata] | None = None
        self._keys: dict[str, jwt.PyJWK] = {}
        self._keys_at = 0.0

    @property
    def redirect_url(self) -> str:
        assert self.settings.console_oidc_redirect_url
        return self.settings.console_oidc_redirect_url

    async def _json(self, method: str, url: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        try:
            answer = await self.http.request(method, url, **kwargs)
            body = answer.json()
        except (httpx.HTTPError, ValueError):
            raise ProviderUnavailable(f"{url} did not answer with JSON") from None
        if not isinstance(body, dict):
            raise ProviderUnavailable(f"{url} answered no JSON object")
        return answer.status_code, body

    async def metadata(self) -> Metadata:
        """The provider's discovery document (cached an hour); its issuer must be the one
        configured, exactly."""
        if self._metadata is not None and time.monotonic() - self._metadata[0] < METADATA_SECONDS:
            return self._metadata[1]
        url = self.settings.console_oidc_discovery_url or (
            self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        )
        status, doc = await self._json("GET", url)
        if status != 200:
            raise ProviderUnavailable(f"discovery answered {status}")
        if doc.get("issuer") != self.issuer:
            raise ProviderUnavailable(f"the discovery document names issuer {doc.get('issuer')!r}")
        try:
            found = Metadata(
                issuer=str(doc["issuer"]),
                authorization_endpoint=str(doc["authorization_endpoint"]),
                token_endpoint=str(doc["token_endpoint"]),
                jwks_uri=str(doc["jwks_uri"]),
                end_session_endpoint=(
                    str(doc["end_session_endpoint"]) if doc.get("end_session_endpoint") else None
                ),
            )
        except KeyError as exc:
            raise ProviderUnavailable(f"the discovery document lacks {exc}") from None
        self._metadata = (time.monotonic(), found)
        return found

    async def authorization_url(self, state: str, nonce: str, verifier: str) -> str:
        meta = await self.metadata()
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_url,
            "scope": self.settings.console_oidc_scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge(verifier),
            "code_challenge_method": "S256",
        }
        separator = "&" if "?" in meta.authorization_endpoint else "?"
        return meta.authorization_endpoint + separator + urlencode(query)

    def _client_auth(self, form: dict[str, str]) -> dict[str, Any]:
        """client_secret_basic when the console has a secret; else a public client (PKCE alone)."""
        secret = self.settings.console_oidc_client_secret
        if secret:
            return {"data": form, "auth": (self.client_id, secret)}
        return {"data": {**form, "client_id": self.client_id}}

    async def _token_request(self, form: dict[str, str]) -> dict[str, Any]:
        meta = await self.metadata()
        status, body = await self._json(
            "POST", meta.token_endpoint, headers={"Accept": "application/json"}, **self._client_auth(form)
        )
        if status >= 500:
            raise ProviderUnavailable(f"the token endpoint answered {status}")
        if status != 200:
            raise SignInRefused(
                "Mã đăng nhập không hợp lệ, đã hết hạn hoặc đã được dùng, nên bạn chưa được đăng nhập. "
                "Đăng nhập lại từ đầu.",
                f"the token endpoint refused the grant: {str(body.get('error'))[:100]}",
            )
        return body

    async def redeem(self, code: str, verifier: str, nonce: str) -> Tokens:
        """The authorization code for tokens (with the PKCE verifier); the ID token verified,
        its nonce the sign-in's own."""
        body = await self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_url,
                "code_verifier": verifier,
            }
        )
        id_token = body.get("id_token")
        if not isinstance(id_token, str):
            raise SignInRefused(REFUSED_TOKEN, "the token endpoint sent no id_token")
        claims = await self.verify_id_token(id_token, nonce)
        refresh = body.get("refresh_token")
        return Tokens(id_token, claims, refresh if isinstance(refresh, str) else None)

    async def refresh(self, refresh_token: str, subject: str) -> Tokens:
        """A fresh ID token for the same person (the refresh token grant)."""
        body = await self._token_request({"grant_type": "refresh_token", "refresh_token": refresh_token})
        id_token = body.get("id_token")
        if not isinstance(id_token, str):
            raise SignInRefused(REFUSED_TOKEN, "the refresh answer has no id_token")
        claims = await self.verify_id_token(id_token, None)
        if claims.get("sub") != subject:
            raise SignInRefused(REFUSED_TOKEN, "the refreshed ID token names another subject")
        renewed = body.get("refresh_token")
        return Tokens(id_token, claims, renewed if isinstance(renewed, str) else refresh_token)

    async def verify_id_token(self, token: str, nonce: str | None) -> dict[str, Any]:
        """Signature (a key of the provider's JWKS, named by `kid`), issuer (the configured one,
        exactly), audience (this client), `azp` when several audiences, expiry, issue time, and
        with `nonce` the sign-in's nonce."""
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise SignInRefused(REFUSED_TOKEN, "the ID token is not a JWT") from None
        if unverified.get("iss") != self.issuer:
            raise SignInRefused(
                "Thẻ đăng nhập do một nhà cung cấp tài khoản khác phát hành, không phải nhà cung cấp "
                "hệ thống tin cậy, nên bạn chưa được đăng nhập.",
                f"the ID token's issuer is {str(unverified.get('iss'))[:200]!r}",
            )
        if header.get("alg") not in ALGORITHMS:
            raise SignInRefused(REFUSED_TOKEN, f"the ID token's algorithm {header.get('alg')!r} is refused")
        key = await self._key(header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=self.client_id,
                leeway=LEEWAY,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.PyJWTError as exc:
            raise SignInRefused(REFUSED_TOKEN, f"the ID token failed verification: {exc}") from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise SignInRefused(REFUSED_TOKEN, "the ID token was issued to another party (azp)")
        if nonce is not None and not (
            isinstance(claims.get("nonce"), str) and secrets.compare_digest(claims["nonce"], nonce)
        ):
            raise SignInRefused(
                "Thẻ đăng nhập không thuộc lần đăng nhập này (nonce không khớp), nên bạn chưa được "
                "đăng nhập. Đăng nhập lại từ đầu.",
                "the ID token's nonce is not the sign-in's",
            )
        return claims

    async def _key(self, kid: Any) -> jwt.PyJWK:
        if not isinstance(kid, str):
            raise SignInRefused(REFUSED_TOKEN, "the ID token names no key (kid)")
        now = time.monotonic()
        stale = now - self._keys_at > JWKS_SECONDS
        if stale or (kid not in self._keys and now - self._keys_at > JWKS_REFETCH_SECONDS):
            meta = await self.metadata()
            status, body = await self._json("GET", meta.jwks_uri)
            if status != 200:
                raise ProviderUnavailable(f"the JWKS answered {status}")
            listed = body.get("keys")
            signing = [
                k
                for k in (listed if isinstance(listed, list) else [])
                if isinstance(k, dict) and k.get("use", "sig") == "sig" and k.get("kty") != "oct"
            ]
            try:
                keys = jwt.PyJWKSet(signing).keys
            except jwt.PyJWTError:
                raise ProviderUnavailable("the JWKS holds no usable signing key") from None
            self._keys = {k.key_id: k for k in keys if k.key_id}
            self._keys_at = now
        found = self._keys.get(kid)
        if found is None:
            raise SignInRefused(REFUSED_TOKEN, f"the ID token's key {kid[:64]!r} is not the provider's")
        return found

    async def end_session_url(self, id_token: str | None, post_logout: str | None) -> str | None:
        """Where to send the browser to end the provider's session too (RP-initiated logout),
        if the provider advertises it."""
        try:
            meta = await self.metadata()
        except ProviderUnavailable:
            return None
        if not meta.end_session_endpoint:
            return None
        query = {"client_id": self.client_id}
        if id_token:
            query["id_token_hint"] = id_token
        if post_logout:
            query["post_logout_redirect_uri"] = post_logout
        separator = "&" if "?" in meta.end_session_endpoint else "?"
        return meta.end_session_endpoint + separator + urlencode(query)
