"""`tdkt`: the operator's command line (dev tokens and maintenance commands)."""

from __future__ import annotations

import psycopg
import typer

from shared.auth.permissions import ROLES
from shared.auth.tokens import mint
from shared.kernel.settings import AwardsSettings, RegistrationSettings, ServiceSettings
from shared.store.audit import verification as audit

cli = typer.Typer(help="TĐKT backend operations.", no_args_is_help=True)


@cli.callback()
def _root() -> None:
    """TĐKT backend operations."""


@cli.command()
def token(
    scope: str = typer.Option(..., help="'*', a federation code, or federation/unit/... path"),
    roles: str = typer.Option("admin", help="comma-separated roles: " + ", ".join(ROLES)),
    sub: str = typer.Option("dev", help="the user id recorded as actor"),
    hours: int = typer.Option(8, help="lifetime in hours"),
) -> None:
    """Mint a development token signed with TDKT_JWT_SECRET (HS256)."""
    role_list = [r.strip() for r in roles.split(",") if r.strip()]
    try:
        typer.echo(mint(ServiceSettings(), sub, scope, role_list, hours * 3600))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


LOGGED: dict[str, type[ServiceSettings]] = {"registration": RegistrationSettings, "awards": AwardsSettings}
SERVICE = typer.Option(..., help="registration or awards")


def _log_of(service: str) -> tuple[str, str, str]:
    if service not in LOGGED:
        raise typer.BadParameter(f"choose one of {sorted(LOGGED)}", param_hint="--service")
    settings = LOGGED[service]()
    try:
        table = audit.events_table(settings.database_url, settings.schema_name)
    except LookupError as exc:
        typer.echo(f"cannot find the {service} log: {exc}", err=True)
        raise typer.Exit(2) from None
    except psycopg.Error as exc:  # its message may hold connection details
        typer.echo(f"cannot reach the {service} database: {type(exc).__name__}", err=True)
        raise typer.Exit(2) from None
    return settings.database_url, settings.schema_name, table


@cli.command()
def verify(
    service: str = SERVICE,
    anchor: str | None = typer.Option(None, help="ID:HASH, a head printed by an earlier verify"),
) -> None:
    """Recompute the service's event-log hash chain; exit 1 naming the first tampered event."""
    expected: tuple[int, str] | None = None
    if anchor:
        head, _, digest = anchor.partition(":")
        if not head.isdigit() or len(digest) != 64:
            raise typer.BadParameter("expected ID:HASH as printed by verify", param_hint="--anchor")
        expected = (int(head), digest)
    log = _log_of(service)
    try:
        verdict = audit.verify(*log, expected)
    except psycopg.Error as exc:
        typer.echo(f"cannot read the {service} log: {type(exc).__name__}", err=True)
        raise typer.Exit(2) from None
    typer.echo(str(verdict))
    raise typer.Exit(0 if verdict.ok else 1)


@cli.command()
def seal(service: str = SERVICE) -> None:
    """Seal a log stored before it had a hash chain (once, after upgrading)."""
    log = _log_of(service)
    try:
        count = audit.seal_backlog(*log)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    except psycopg.Error as exc:
        typer.echo(f"cannot seal the {service} log: {type(exc).__name__}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"sealed {count} events; now run verify and record its head")


def main() -> None:
    cli()
