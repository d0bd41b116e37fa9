"""Baseline: the sessions table exactly as created before versioned migrations (a database made
then is adopted unchanged)."""

from shared.ops.migrations import execute

revision = "c0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute(
        'CREATE TABLE IF NOT EXISTS "{s}".sessions (key text PRIMARY KEY, data bytea NOT NULL, '
        "created double precision NOT NULL, last_seen double precision NOT NULL)"
    )
