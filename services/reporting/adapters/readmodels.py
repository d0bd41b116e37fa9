"""Reporting's read models (asyncpg). Everything here is rebuilt from the event log."""

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS "{s}".federations (
    code text PRIMARY KEY, name text NOT NULL);
CREATE TABLE IF NOT EXISTS "{s}".units (
    federation text NOT NULL, code text NOT NULL, name text NOT NULL, kind text NOT NULL,
    parent text, ancestry text[] NOT NULL, PRIMARY KEY (federation, code));
CREATE TABLE IF NOT EXISTS "{s}".members (
    federation text NOT NULL, code text NOT NULL, full_name text NOT NULL, unit text NOT NULL,
    unit_path text[] NOT NULL, PRIMARY KEY (federation, code));
CREATE TABLE IF NOT EXISTS "{s}".movements (
    federation text NOT NULL, code text NOT NULL, name text NOT NULL, year int NOT NULL,
    kind text NOT NULL, closed_on date, PRIMARY KEY (federation, code));
CREATE TABLE IF NOT EXISTS "{s}".pledges (
    pledge_id uuid PRIMARY KEY, federation text NOT NULL, movement text NOT NULL,
    year int NOT NULL, phase text, award text NOT NULL, subject_kind text NOT NULL,
    subject_code text NOT NULL, subject_name text, unit text NOT NULL, unit_path text[],
    state text NOT NULL, version int NOT NULL);
CREATE INDEX IF NOT EXISTS pledges_by_year ON "{s}".pledges (federation, year);
CREATE TABLE IF NOT EXISTS "{s}".grants (
    grant_id uuid PRIMARY KEY, federation text NOT NULL, subject_kind text NOT NULL,
    subject_code text NOT NULL, subject_name text NOT NULL, unit text NOT NULL,
    unit_path text[] NOT NULL, award text NOT NULL, award_name text NOT NULL,
    level text NOT NULL, year int NOT NULL, decision_number text NOT NULL,
    decision_date date NOT NULL, signer text NOT NULL, authority text NOT NULL,
    revoked_on date, revoke_reason text, version int NOT NULL);
CREATE INDEX IF NOT EXISTS grants_by_year ON "{s}".grants (federation, year);
CREATE TABLE IF NOT EXISTS "{s}".history (
    event_id uuid PRIMARY KEY, federation text NOT NULL, subject_kind text NOT NULL,
    subject_code text NOT NULL, what text NOT NULL, occurred_at timestamptz NOT NULL,
    award text, year int, detail jsonb NOT NULL, actor text NOT NULL);
CREATE INDEX IF NOT EXISTS history_by_subject
    ON "{s}".history (federation, subject_kind, subject_code, occurred_at);
"""
