"""The security schemes in a service's OpenAPI, so /docs has an Authorize button."""

from __future__ import annotations

from typing import Any

from shared.kernel.settings import ServiceSettings
from shared.web.gate import is_public


def document_security(app: Any, settings: ServiceSettings) -> None:
    """Declare the security schemes in the app's OpenAPI, so /docs has an Authorize button: HTTP
    bearer (a product-issued access token, or in development a `tdkt token`), and the sign-in
    provider's OpenID Connect discovery URL when TDKT_OIDC_DISCOVERY_URL is set. Every operation
    but the public ones (shared.web.gate.PUBLIC) requires the bearer."""
    build = app.openapi
    done: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if "schema" in done:
            return done["schema"]  # type: ignore[no-any-return]
        schema: dict[str, Any] = build()
        schemes: dict[str, Any] = {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "An access token from registration's POST /v1/access/tokens (at most "
                "10 minutes; RS256 or EdDSA, keys at /.well-known/jwks.json); in development also "
                "an HS256 token from `tdkt token`.",
            }
        }
        if settings.oidc_discovery_url:
            schemes["openid"] = {
                "type": "openIdConnect",
                "openIdConnectUrl": settings.oidc_discovery_url,
                "description": "Where people sign in. The provider's ID token is exchanged for the "
                "product's access token at registration's POST /v1/access/tokens; the services "
                "accept only that access token.",
            }
        schema.setdefault("components", {})["securitySchemes"] = schemes
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                if isinstance(operation, dict):
                    operation["security"] = [] if is_public(path) else [{"bearer": []}]
        done["schema"] = schema
        return schema

    app.openapi = openapi
