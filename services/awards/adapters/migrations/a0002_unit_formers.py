"""A unit's former codes (registration's `unit-registered` `former_codes`, issue 18): the rules
judge a unit whose code changed on the histories of its earlier codes too."""

from shared.ops.migrations import execute

revision = "a0002"
down_revision = "a0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `position` as in `former_codes`: 0 the code it had last, higher ones before that.
    execute(
        'CREATE TABLE IF NOT EXISTS "{s}".unit_formers (federation text NOT NULL, code text NOT NULL, '
        "former text NOT NULL, position int NOT NULL, PRIMARY KEY (federation, code, former))"
    )
