"""The console's browser tests: the three services and the console started once as processes
(as `make run` starts them) on a database and exchange of their own, seeded over the services'
public APIs; one Chromium (Debian's package, never a download) driven by Playwright."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from shared.kernel import clock
from tests.console.oidc import CLIENT_ID, CLIENT_SECRET, OidcProvider
from tests.support import ROOT, Isolation, ServiceProcess, run_apart, token

HERE = Path(__file__).resolve().parent
AXE = HERE / "vendor" / "axe-4.14.1.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts" / "console"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
FEDERATION = "bac-kan"
OTHER = "cao-bang"
XSS = "<script>alert(1)</script>"
TODAY = clock.today()
YEAR = TODAY.year
MOVEMENT = f"td-{YEAR}"
ACCESS_ISSUER = "https://tdkt.test/registration"
ACCESS_AUDIENCE = "tdkt"


@dataclass
class Stack:
    isolation: Isolation
    services: dict[str, ServiceProcess]
    console: ServiceProcess
    admin: dict[str, str] = field(default_factory=dict)
    provider: OidcProvider | None = None

    @property
    def url(self) -> str:
        return self.console.url

    def service(self, name: str) -> str:
        return self.services[name].url

    def get(self, service: str, path: str, **params: Any) -> httpx.Response:
        return httpx.get(self.service(service) + path, params=params, headers=self.admin, timeout=30)

    def post(self, service: str, path: str, body: Any, expect: int | None = 201) -> dict[str, Any]:
        r = httpx.post(self.service(service) + path, json=body, headers=self.admin, timeout=30)
        if expect is not None:
            assert r.status_code == expect, (path, r.status_code, r.text)
        return r.json() if r.content else {}


def access_env(registration: ServiceProcess, provider: OidcProvider) -> dict[str, str]:
    """The product's own access tokens (README, "Access"): registration exchanges the test
    provider's ID tokens for them, every service checks them against registration's key set.
    Development stays on, so the HS256 tokens of the development sign-in work beside them."""
    return {
        "TDKT_JWT_ISSUER": ACCESS_ISSUER,
        "TDKT_JWT_AUDIENCE": ACCESS_AUDIENCE,
        "TDKT_JWKS_URL": registration.url + "/.well-known/jwks.json",
        "TDKT_JWKS_REFETCH_SECONDS": "0.5",
        "TDKT_OIDC_PROVIDERS": json.dumps([{"issuer": provider.issuer, "audience": CLIENT_ID}]),
    }


@pytest.fixture(scope="package")
def stack() -> Iterator[Stack]:
    isolation = Isolation()
    env = isolation.env()
    services = {name: ServiceProcess(name, env) for name in ("registration", "awards", "reporting")}
    console = ServiceProcess("console", env)
    provider = OidcProvider([console.url + "/dang-nhap/callback"], [console.url + "/dang-nhap"])
    started: list[ServiceProcess] = []
    try:
        provider.start()
        for service in services.values():
            service.env.update(access_env(services["registration"], provider))
            service.start()
            started.append(service)
        console.env.update(
            {
                **access_env(services["registration"], provider),
                "TDKT_CONSOLE_DEV_SIGN_IN": "1",
                "TDKT_CONSOLE_DEV_FEDERATION": FEDERATION,
                "TDKT_REGISTRATION_URL": services["registration"].url,
                "TDKT_AWARDS_URL": services["awards"].url,
                "TDKT_REPORTING_URL": services["reporting"].url,
                "TDKT_CONSOLE_OIDC_ISSUER": provider.issuer,
                "TDKT_CONSOLE_OIDC_CLIENT_ID": CLIENT_ID,
                "TDKT_CONSOLE_OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "TDKT_CONSOLE_OIDC_REDIRECT_URL": console.url + "/dang-nhap/callback",
                # Every page exchanges the ID token again: a revocation ends access at once.
                "TDKT_CONSOLE_ACCESS_REFRESH_SECONDS": "0",
            }
        )
        console.start()
        started.append(console)
        result = Stack(
            isolation, services, console, {"Authorization": f"Bearer {token('*', ['admin'])}"}, provider
        )
        seed(result)
        yield result
    finally:
        for process in reversed(started):
            process.stop()
        provider.stop()
        isolation.drop()
        run_apart(isolation.drop_broker_objects())


UNITS = [
    ("ldld-tp-bac-kan", "LĐLĐ thành phố Bắc Kạn", "upper", None),
    ("cdcs-truong-a", "CĐCS Trường THPT Bắc Kạn", "grassroots", "ldld-tp-bac-kan"),
    ("cdcs-benh-vien", "CĐCS Bệnh viện Đa khoa tỉnh", "grassroots", "ldld-tp-bac-kan"),
]
# Founded this year: not in the tree as it stood before.
NEW_UNIT = ("cdcs-thanh-lap-moi", "CĐCS Công ty Thành Lập Mới", date(YEAR, 6, 1))
MEMBERS = [
    ("dv-a1", "Nguyễn Văn An", "cdcs-truong-a"),
    ("dv-a2", "Đặng Thị Ánh", "cdcs-truong-a"),
    ("dv-0xss", XSS, "cdcs-truong-a"),
    ("dv-b1", "Trần Thị Bình", "cdcs-benh-vien"),
]


def seed(stack: Stack) -> None:
    """Bắc Kạn's tree, a few members and this year's movement, written as national staff would."""
    stack.post("registration", "/v1/federations", {"code": FEDERATION, "name": "LĐLĐ tỉnh Bắc Kạn"})
    stack.post("registration", "/v1/federations", {"code": OTHER, "name": "LĐLĐ tỉnh Cao Bằng"})
    base = f"/v1/federations/{FEDERATION}"
    for code, name, kind, parent in UNITS:
        stack.post(
            "registration", f"{base}/units", {"code": code, "name": name, "kind": kind, "parent": parent}
        )
    stack.post(
        "registration",
        f"{base}/units",
        {
            "code": NEW_UNIT[0],
            "name": NEW_UNIT[1],
            "kind": "grassroots",
            "parent": "ldld-tp-bac-kan",
            "effective_on": NEW_UNIT[2].isoformat(),
        },
    )
    stack.post(
        "registration",
        f"/v1/federations/{OTHER}/units",
        {"code": "cdcs-cb", "name": "CĐCS Cao Bằng", "kind": "grassroots"},
    )
    for code, name, unit in MEMBERS:
        stack.post("registration", f"{base}/members", {"code": code, "full_name": name, "unit": unit})
    stack.post(
        "registration",
        f"{base}/movements",
        {
            "code": MOVEMENT,
            "name": f"Phong trào thi đua năm {YEAR}",
            "year": YEAR,
            "awards": ["bang-khen-ldld", "co-thi-dua-ldld", "ldtt"],
            "registration_deadline": date(YEAR, 12, 31).isoformat(),
        },
    )
    for code in ("dv-a1", "dv-b1"):
        stack.post(
            "registration",
            f"{base}/pledges",
            {
                "movement": MOVEMENT,
                "award": "bang-khen-ldld",
                "subject_kind": "member",
                "subject_code": code,
                "pledged_on": TODAY.isoformat(),
            },
        )


# Package scope, not session: Playwright's sync API keeps an event loop running in the main thread
# until it stops, and every async test after it would fail ("cannot be called from a running
# event loop").
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium (.ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.problems = problems  # type: ignore[attr-defined]
    yield tab
    context.close()
    # No page may break its own Content-Security-Policy or fail a script.
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def sign_in(page: Page, stack: Stack, identity: str, unit: str | None = None) -> None:
    page.goto(stack.url + "/dang-nhap")
    page.check(f"input[name=identity][value={identity}]")
    if unit:
        page.select_option("#f-unit", unit)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    assert "Đã đăng nhập" in page.content(), page.content()[:2000]


def axe(page: Page) -> None:
    """axe-core (vendored) on the page as it is: no serious or critical violation. Evaluated over
    the DevTools protocol, so the page's own CSP stays as strict as it is."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})); }"
    )
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def form_post(stack: Stack, cookies: Any, path: str, data: dict[str, str]) -> httpx.Response:
    """A forged form post: the victim's cookie, no CSRF token (what another site's page sends)."""
    jar = {c["name"]: c["value"] for c in cookies}
    return httpx.post(stack.url + path, data=data, cookies=jar, follow_redirects=False, timeout=30)
