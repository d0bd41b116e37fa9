"""Baseline: the shared tables, awards' copy of registration's facts (learnt from registration's
events, not from awards' log) and the dossier files, exactly as created before versioned
migrations (a database made then is adopted unchanged)."""

from shared.ops.migrations import baseline, execute, schema
from shared.store.audit.schema import append_only

revision = "a0001"
down_revision = None
branch_labels = None
depends_on = None

REGISTRATION_FACTS = """
CREATE TABLE IF NOT EXISTS "{s}".subjects (
    federation text NOT NULL, kind text NOT NULL, code text NOT NULL, name text NOT NULL,
    unit text NOT NULL, unit_path text[] NOT NULL, PRIMARY KEY (federation, kind, code));
ALTER TABLE "{s}".subjects ADD COLUMN IF NOT EXISTS left_on date;
ALTER TABLE "{s}".subjects ADD COLUMN IF NOT EXISTS version int NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS subjects_path ON "{s}".subjects USING gin (unit_path);
CREATE TABLE IF NOT EXISTS "{s}".pledges (
    federation text NOT NULL, movement text NOT NULL, year int NOT NULL, award text NOT NULL,
    subject_kind text NOT NULL, subject_code text NOT NULL, state text NOT NULL,
    version int NOT NULL,
    PRIMARY KEY (federation, movement, subject_kind, subject_code, award));
CREATE TABLE IF NOT EXISTS "{s}".initiatives (
    federation text NOT NULL, initiative text NOT NULL, author_kind text NOT NULL,
    author_code text NOT NULL, year int NOT NULL, state text NOT NULL, version int NOT NULL,
    PRIMARY KEY (federation, initiative));
CREATE TABLE IF NOT EXISTS "{s}".federation_formers (
    federation text NOT NULL, former text NOT NULL, PRIMARY KEY (federation, former));
CREATE TABLE IF NOT EXISTS "{s}".deferred (
    event_id text PRIMARY KEY, effective_on date NOT NULL, seq bigserial, envelope jsonb NOT NULL);
CREATE INDEX IF NOT EXISTS deferred_due ON "{s}".deferred (effective_on, seq);
CREATE TABLE IF NOT EXISTS "{s}".acclaims (
    federation text NOT NULL, block text NOT NULL, year int NOT NULL, units text[] NOT NULL,
    PRIMARY KEY (federation, block, year));
"""

DOSSIER_FILES = """
CREATE TABLE IF NOT EXISTS "{s}".dossier_files (
    sha256 text PRIMARY KEY, size bigint NOT NULL, content bytea NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now(),
    CHECK (sha256 = encode(sha256(content), 'hex')), CHECK (size = octet_length(content)));
ALTER TABLE "{s}".dossier_files ALTER COLUMN content SET STORAGE EXTERNAL;
"""


def upgrade() -> None:
    execute(baseline.SHARED + REGISTRATION_FACTS + DOSSIER_FILES)
    # The files' append-only triggers, as the code before created them at start (idempotent).
    for statement in append_only(schema(), "dossier_files"):
        execute(statement.as_string(), formatted=True)
