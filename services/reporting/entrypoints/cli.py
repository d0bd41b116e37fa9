"""`python -m services.reporting.entrypoints.cli rebuild|check`: rebuild the read models from
the services' event feeds, or compare the live ones with a fresh rebuild row by row."""

from __future__ import annotations

import asyncio
import json
import os

import typer

from services.reporting.application.rebuild import Feed, compare, rebuild
from shared.auth.tokens import mint
from shared.kernel.settings import ReportingSettings

cli = typer.Typer(help="Reporting read models.", no_args_is_help=True)


def _feeds(settings: ReportingSettings, token: str | None) -> list[Feed]:
    token = (
        token
        or os.environ.get("TDKT_FEED_TOKEN")
        or mint(settings, "reporting-rebuild", "*", ["auditor"], 3600)
    )
    return [
        Feed("registration", settings.registration_url, token),
        Feed("awards", settings.awards_url, token),
    ]


@cli.command("rebuild")
def rebuild_command(
    swap: bool = typer.Option(True, help="swap the rebuilt models in (live consumption continues)"),
    token: str | None = typer.Option(
        None, help="a national token for the feeds (else TDKT_FEED_TOKEN, else minted with TDKT_JWT_SECRET)"
    ),
) -> None:
    """Rebuild every read model from the registration and awards feeds into fresh tables."""
    settings = ReportingSettings()
    outcome = asyncio.run(
        rebuild(settings.database_url, settings.schema_name, _feeds(settings, token), swap=swap)
    )
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
    asyncio.run(
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
