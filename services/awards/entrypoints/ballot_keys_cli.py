"""`python -m services.awards.entrypoints.ballot_keys_cli rewrap`: rotate the key-encryption key
of secret ballots (README, "Councils and secret ballots"). The new KEK is the one the service is
configured with (`TDKT_BALLOT_KEK`); the old one is read from another environment variable, never
from the command line (where other users of the machine could read it)."""

from __future__ import annotations

import os

import typer

from services.awards.application.app import AwardsApplication
from services.awards.application.ballot_rotation import rewrap_ballot_keys
from services.awards.domain.ballot_keys import Kek
from shared.kernel.settings import AwardsSettings

cli = typer.Typer(help="Secret ballots' key-encryption key.", no_args_is_help=True)


@cli.callback()
def main() -> None:
    """Secret ballots' key-encryption key (one command now; a group, so it stays `… rewrap`)."""


@cli.command("rewrap")
def rewrap(
    old_kek_env: str = typer.Option("TDKT_OLD_BALLOT_KEK", help="the variable holding the old KEK"),
    reason: str = typer.Option("key-encryption key rotated", help="kept in each council's history"),
) -> None:
    """Wrap every unresolved secret-ballot council's key again under TDKT_BALLOT_KEK; prints
    the counts (rewrapped, already, resolved, unopened, unsealed)."""
    old_value = os.environ.get(old_kek_env)
    if not old_value:
        raise typer.BadParameter(f"set {old_kek_env} to the KEK the keys are wrapped under now")
    app = AwardsApplication(AwardsSettings())
    counts = rewrap_ballot_keys(app, Kek.from_setting(old_value), app.kek, reason)
    typer.echo(" ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "no secret-ballot council")


if __name__ == "__main__":
    cli()
