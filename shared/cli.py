"""`tdkt`: the operator's command line (dev tokens and maintenance commands)."""

from __future__ import annotations

import typer

from shared import auth
from shared.settings import ServiceSettings

cli = typer.Typer(help="TĐKT backend operations.", no_args_is_help=True)


@cli.callback()
def _root() -> None:
    """TĐKT backend operations."""


@cli.command()
def token(
    scope: str = typer.Option(..., help="'*', a federation code, or federation/unit/... path"),
    roles: str = typer.Option("admin", help="comma-separated roles: " + ", ".join(auth.ROLES)),
    sub: str = typer.Option("dev", help="the user id recorded as actor"),
    hours: int = typer.Option(8, help="lifetime in hours"),
) -> None:
    """Mint a development token signed with TDKT_JWT_SECRET (HS256)."""
    role_list = [r.strip() for r in roles.split(",") if r.strip()]
    try:
        typer.echo(auth.mint(ServiceSettings(), sub, scope, role_list, hours * 3600))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def main() -> None:
    cli()
