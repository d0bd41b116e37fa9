"""The tables of awards' lists (adapters/index.py tails the log into them, adapters/index_handlers.py
holds how each event changes them, adapters/index_lists.py reads them): their schema and the
columns the writes and the reads share."""

from __future__ import annotations

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS "{s}".index_position (id int PRIMARY KEY, sequence bigint NOT NULL);
CREATE TABLE IF NOT EXISTS "{s}".nomination_index (
    nomination uuid PRIMARY KEY, federation text NOT NULL, since bigint NOT NULL,
    subject_kind text NOT NULL, subject_code text NOT NULL, subject_name text NOT NULL,
    unit text NOT NULL, unit_path text[] NOT NULL, award text NOT NULL, year int NOT NULL,
    eligible boolean NOT NULL, upward boolean NOT NULL, state text NOT NULL,
    passed boolean, forwarded_to text, sequence bigint NOT NULL);
CREATE INDEX IF NOT EXISTS nomination_index_list ON "{s}".nomination_index (federation, year, since);
CREATE INDEX IF NOT EXISTS nomination_index_forwarded ON "{s}".nomination_index (since)
    WHERE forwarded_to IS NOT NULL;
CREATE TABLE IF NOT EXISTS "{s}".grant_index (
    grant_id uuid PRIMARY KEY, federation text NOT NULL, since bigint NOT NULL,
    subject_kind text NOT NULL, subject_code text NOT NULL, subject_name text NOT NULL,
    unit text NOT NULL, unit_path text[] NOT NULL, award text NOT NULL, level text NOT NULL,
    year int NOT NULL, decision_number text NOT NULL, source text NOT NULL, nomination text,
    revoked_on date, sequence bigint NOT NULL);
CREATE INDEX IF NOT EXISTS grant_index_list ON "{s}".grant_index (federation, year, since);
ALTER TABLE "{s}".grant_index ADD COLUMN IF NOT EXISTS decision uuid;
-- the period's key (shared.kernel.periods); rows listed before periods are for their year
ALTER TABLE "{s}".grant_index ADD COLUMN IF NOT EXISTS period text;
CREATE INDEX IF NOT EXISTS grant_index_decision ON "{s}".grant_index (decision);
CREATE INDEX IF NOT EXISTS grant_index_nomination ON "{s}".grant_index (nomination)
    WHERE nomination IS NOT NULL;
CREATE TABLE IF NOT EXISTS "{s}".council_index (
    council uuid PRIMARY KEY, federation text NOT NULL, since bigint NOT NULL,
    code text NOT NULL, name text NOT NULL, year int NOT NULL, meets_on date NOT NULL,
    secret_ballot boolean NOT NULL, members jsonb NOT NULL, nominations text[] NOT NULL,
    resolved boolean NOT NULL, sequence bigint NOT NULL);
CREATE INDEX IF NOT EXISTS council_index_list ON "{s}".council_index (federation, since);
CREATE TABLE IF NOT EXISTS "{s}".decision_index (
    decision uuid PRIMARY KEY, federation text NOT NULL, since bigint NOT NULL,
    authority text NOT NULL, number text NOT NULL, signed_on date NOT NULL, signer text NOT NULL,
    year int NOT NULL, title text NOT NULL, sequence bigint NOT NULL);
CREATE INDEX IF NOT EXISTS decision_index_list ON "{s}".decision_index (federation, since);
-- a grant removed by its decision's amendment or cancelled with it; a cancelled decision
ALTER TABLE "{s}".grant_index ADD COLUMN IF NOT EXISTS cancelled_on date;
ALTER TABLE "{s}".decision_index ADD COLUMN IF NOT EXISTS cancelled_on date;
CREATE TABLE IF NOT EXISTS "{s}".grant_code (code text PRIMARY KEY, grant_id uuid NOT NULL);
"""
# Tables added after a deployment's index had already passed their events: created empty, so the
# index is tailed again from the start (every write is guarded by the event's sequence, so the
# lists already there are unchanged) and the new ones fill.
LATER_TABLES = ("council_index", "decision_index", "grant_code")

NOMINATION_COLUMNS = (
    "nomination, federation, since, subject_kind, subject_code, subject_name, unit, unit_path, "
    "award, year, eligible, upward, state, passed, forwarded_to"
)
GRANT_COLUMNS = (
    "grant_id, federation, since, subject_kind, subject_code, subject_name, unit, unit_path, award, "
    "level, year, decision_number, source, nomination, revoked_on, decision, period"
)
COUNCIL_COLUMNS = (
    "council, federation, since, code, name, year, meets_on, secret_ballot, members, nominations"
)
DECISION_COLUMNS = "decision, federation, since, authority, number, signed_on, signer, year, title"
