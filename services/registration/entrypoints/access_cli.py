"""`python -m services.registration.entrypoints.access_cli first-admin|rotate-keys|retire-key`:
the installation's first national admin, and the token signing keys (README, "Access")."""

from __future__ import annotations

import asyncio

import asyncpg
import typer

from services.registration.adapters.migrations import VERSIONS
from services.registration.adapters.signing_keys import SigningKeys
from services.registration.application import access
from services.registration.application.service import RegistrationApplication
from shared.kernel.settings import RegistrationSettings
from shared.ops.migrations import migrate

cli = typer.Typer(help="People, access and signing keys.", no_args_is_help=True)


@cli.command("first-admin")
def first_admin(
    email: str | None = typer.Option(None, help="the e-mail the provider will vouch for"),
    issuer: str | None = typer.Option(None, help="or the provider's issuer …"),
    subject: str | None = typer.Option(None, help="… and the person's subject there"),
    reason: str = typer.Option("the installation's first national administrator", help="kept in the history"),
) -> None:
    """Grant national `admin` to a person (invited if new); does nothing if they hold it."""
    if not email and not (issuer and subject):
        raise typer.BadParameter("give --email, or --issuer and --subject")
    app = RegistrationApplication(RegistrationSettings())
    typer.echo(access.first_admin(app, email.lower() if email else None, issuer, subject, reason))


async def _keys(action: str, kid: str | None, immediately: bool) -> str:
    settings = RegistrationSettings()
    await asyncio.to_thread(migrate, settings.database_url, settings.schema_name, VERSIONS)
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        keys = SigningKeys(pool, settings.schema_name, settings)
        if action == "retire":
            assert kid is not None
            return "retired" if await keys.retire(kid) else "no such key"
        return await keys.rotate(immediately=immediately)
    finally:
        await pool.close()


@cli.command("rotate-keys")
def rotate_keys(
    immediately: bool = typer.Option(
        False, help="sign with it at once (after a leak), not after publishing it"
    ),
) -> None:
    """Make a new signing key; prints its kid. Keys also rotate by age on their own."""
    typer.echo(asyncio.run(_keys("rotate", None, immediately)))


@cli.command("retire-key")
def retire_key(kid: str) -> None:
    """Delete a key at once (a leaked one): the tokens it signed stop being accepted."""
    typer.echo(asyncio.run(_keys("retire", kid, False)))


if __name__ == "__main__":
    cli()
