"""Baseline: the shared tables, awards' catalogue as registration learnt it, and the signing keys,
exactly as created before versioned migrations (a database made then is adopted unchanged)."""

from shared.ops.migrations import baseline, execute

revision = "r0001"
down_revision = None
branch_labels = None
depends_on = None

AWARD_CATALOGUE = """
CREATE TABLE IF NOT EXISTS "{s}".award_catalogue (
    federation text NOT NULL, code text NOT NULL, subjects text NOT NULL,
    names jsonb NOT NULL, effective_until date, PRIMARY KEY (federation, code));
"""

SIGNING_KEYS = """
CREATE TABLE IF NOT EXISTS "{s}".signing_keys (
    kid text PRIMARY KEY, alg text NOT NULL, private_pem bytea NOT NULL, public_jwk jsonb NOT NULL,
    created_at timestamptz NOT NULL, not_before timestamptz NOT NULL);
"""


def upgrade() -> None:
    execute(baseline.SHARED + AWARD_CATALOGUE + SIGNING_KEYS)
