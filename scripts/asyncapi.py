"""Writes docs/asyncapi-<service>.json, the AsyncAPI documents of the publishing services
(registration, awards): `python -m scripts.asyncapi`. A test checks the shipped files match."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from services.awards.application.contracts import CONTRACTS as AWARDS
from services.registration.application.contracts import CONTRACTS as REGISTRATION
from shared.web.asyncapi import asyncapi, render


def shipped_documents() -> dict[str, dict[str, Any]]:
    return {c.service: asyncapi(c) for c in (REGISTRATION, AWARDS)}


def main(docs: Path = Path("docs")) -> None:
    for service, document in shipped_documents().items():
        path = docs / f"asyncapi-{service}.json"
        path.write_text(render(document), encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
