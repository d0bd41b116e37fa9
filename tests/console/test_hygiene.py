"""The console's rules checked over all of it, so a new page or form cannot forget them: every
state-changing route refuses a request without the session's CSRF token; no template has an
inline script, style or event handler or marks a value safe; no asset comes from another host."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from services.console.application.sessions import MemoryStore, Person, new_session
from services.console.bootstrap import build_app
from shared.auth.principal import Principal
from shared.kernel.settings import ConsoleSettings

CONSOLE = Path(__file__).resolve().parents[2] / "services" / "console"


def _routes(routes: list[Any]) -> list[APIRoute]:
    """Every route, also those of included routers."""
    out: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append(route)
        inner = getattr(route, "original_router", None) or getattr(route, "router", None)
        if inner is not None and hasattr(inner, "routes"):
            out += _routes(inner.routes)
    return out


def test_every_post_route_needs_the_csrf_token() -> None:
    store = MemoryStore(3600, 3600)
    session = new_session()
    session.person = Person("test", "staff", "Cán bộ")
    session.token = "not-used"
    session.expires_at = time.time() + 600
    session.principal = Principal("staff", "bac-kan", frozenset({"admin"}))
    store.put(session)
    app = build_app(ConsoleSettings(console_dev_sign_in=True), sessions=store)
    posts = [r for r in _routes(app.routes) if "POST" in (r.methods or set())]
    assert len(posts) >= 5
    with TestClient(app) as client:
        client.cookies.set("tdkt_session", session.id)
        for route in posts:
            path = re.sub(r"\{federation\}", "bac-kan", route.path)
            path = re.sub(r"\{[^}]+\}", "x", path)
            for data in ({}, {"csrf_token": "forged"}, {"csrf_token": session.csrf[:-1]}):
                r = client.post(path, data=data, follow_redirects=False)
                assert r.status_code == 403, (route.path, data, r.status_code)
            # the right token but another site's Origin is refused too
            r = client.post(
                path, data={"csrf_token": session.csrf}, headers={"Origin": "https://evil.example"}
            )
            assert r.status_code == 403, route.path


def test_templates_have_no_inline_code_and_escape_everything() -> None:
    for template in (CONSOLE / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"\sstyle\s*=", text), template.name
        assert not re.search(r"<style", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text, template.name
        assert not re.search(r"(src|href)=\"(https?:)?//", text), template.name


def test_assets_are_served_by_the_console_with_their_licences() -> None:
    static = CONSOLE / "static"
    css = (static / "console.css").read_text(encoding="utf-8")
    assert "url(http" not in css and "@import" not in css
    vendored = sorted(static.glob("vendor/*.js"))
    assert vendored
    for script in vendored:
        stem = script.name.rsplit(".", 2)[0].removesuffix(".min").removesuffix(".umd")
        licences = list(static.glob(f"vendor/{stem}.LICENSE*"))
        assert licences, f"{script.name} has no licence beside it"
    with TestClient(build_app(ConsoleSettings())) as client:
        for script in vendored:
            r = client.get(f"/static/vendor/{script.name}")
            assert r.status_code == 200 and r.headers["x-content-type-options"] == "nosniff"
