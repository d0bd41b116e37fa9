"""`python -m services.reporting.entrypoints.cli rebuild|check`: rebuild the read models from
the services' event feeds, or compare the live ones with a fresh rebuild row by row.

The feeds are read with `--token`, else TDKT_FEED_TOKEN, else the service account's tokens
(TDKT_SERVICE_CLIENT_ID and TDKT_SERVICE_CLIENT_SECRET, exchanged at registration and renewed
during a long rebuild; a national `reader` or `auditor` assignment), else in development a
token minted with TDKT_JWT_SECRET."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Coroutine
from typing import Any, TypeVar

import typer

from services.reporting.application.rebuild import Feed, compare, rebuild
from shared.auth.service_account import TokenUnavailable, token_source
from shared.kernel.settings import ReportingSettings

T = TypeVar("T")

cli = typer.Typer(help="Reporting read models.", no_args_is_help=True)


def _feeds(settings: ReportingSettings, token: str | None) -> list[Feed]:
    token = token or os.environ.get("TDKT_FEED_TOKEN") or ""
    tokens = None if token else token_source(settings, "reporting-rebuild", "*", ["auditor"], 3600)
    return [
        Feed("registration", settings.registration_url, token, tokens=tokens),
        Feed("awards", settings.awards_url, token, tokens=tokens),
    ]


def _run(work: Coroutine[Any, Any, T]) -> T:
    """Run `work`; without a token for the feeds, say why (never the secret) and exit 2."""
    try:
        return asyncio.run(work)
    except TokenUnavailable as exc:
        typer.echo(f"no token for the feeds: {exc}", err=True)
        raise typer.Exit(2) from None


@cli.command("rebuild")
def rebuild_command(
    swap: bool = typer.Option(True, help="swap the rebuilt models in (live consumption continues)"),
    token: str | None = typer.Option(
        None,
        help="a national token for the feeds (else TDKT_FEED_TOKEN, else the service account's "
        "TDKT_SERVICE_CLIENT_ID, else in development minted with TDKT_JWT_SECRET)",
    ),
) -> None:
    """Rebuild every read model from the registration and awards feeds into fresh tables."""
    settings = ReportingSettings()
    outcome = _run(rebuild(settings.database_url, settings.schema_name, _feeds(settings, token), swap=swap))
    typer.echo(
        json.dumps(
            {
                "schema": outcome.schema,
                "applied": outcome.applied,
                "seconds": round(outcome.seconds, 2),
                "positions": outcome.positions,
            }
        )
    )


@cli.command("check")
def check_command(token: str | None = typer.Option(None, help="as for rebuild")) -> None:
    """Rebuild into a scratch schema and compare it with the live read models; exit 1 on a difference."""
    settings = ReportingSettings()
    scratch = f"{settings.schema_name}_check"
    _run(
        rebuild(
            settings.database_url, settings.schema_name, _feeds(settings, token), swap=False, target=scratch
        )
    )
    differences = asyncio.run(compare(settings.database_url, settings.schema_name, scratch))
    typer.echo(json.dumps(differences, indent=1))
    if any(v["missing_in_live"] or v["extra_in_live"] for v in differences.values()):
        raise typer.Exit(1)


if __name__ == "__main__":
    cli()
