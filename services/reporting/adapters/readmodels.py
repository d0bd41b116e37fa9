"""Reporting's read models (asyncpg). Everything here is rebuilt from the event logs.

Facts keep the federation and unit they had when they happened; reports resolve each unit
through `units` (one row per version of a unit, with the date it took effect) to roll
figures up the tree as it stood on the report's date."""

from services.reporting.adapters.projections.common import happened_on_sql

TABLES = (
    "federations",
    "federation_merges",
    "units",
    "unit_endings",
    "members",
    "movements",
    "pledges",
    "nominations",
    "grants",
    "initiatives",
    "works",
    "targets",
    "covenants",
    "block_scores",
    "acclaims",
    "history",
    "unit_headcounts",
)

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS "{s}".federations (code text PRIMARY KEY, name text NOT NULL);
CREATE TABLE IF NOT EXISTS "{s}".federation_merges (
    federation text PRIMARY KEY, into_federation text NOT NULL, effective_on date NOT NULL);
CREATE TABLE IF NOT EXISTS "{s}".units (
    federation text NOT NULL, code text NOT NULL, version int NOT NULL, name text,
    kind text, parent text, ancestry text[] NOT NULL, as_federation text NOT NULL,
    valid_from date NOT NULL, change text NOT NULL, PRIMARY KEY (federation, code, version));
CREATE INDEX IF NOT EXISTS units_moved_out ON "{s}".units (as_federation) WHERE as_federation <> federation;
CREATE INDEX IF NOT EXISTS units_by_code ON "{s}".units (code);
-- a unit as of a date: its latest version by then, without a sort
CREATE INDEX IF NOT EXISTS units_as_of ON "{s}".units (federation, code, valid_from DESC, version DESC);
CREATE TABLE IF NOT EXISTS "{s}".unit_endings (
    federation text NOT NULL, code text NOT NULL, change text NOT NULL, merged_into text,
    effective_on date NOT NULL, PRIMARY KEY (federation, code));
CREATE TABLE IF NOT EXISTS "{s}".members (
    federation text NOT NULL, code text NOT NULL, version int NOT NULL, full_name text,
    unit text NOT NULL, unit_path text[], valid_from date NOT NULL, change text NOT NULL,
    PRIMARY KEY (federation, code, version));
CREATE TABLE IF NOT EXISTS "{s}".movements (
    federation text NOT NULL, code text NOT NULL, name text NOT NULL, year int NOT NULL,
    kind text NOT NULL, phases jsonb NOT NULL, awards text[] NOT NULL,
    registration_deadline date, launched_by text, closed_on date,
    PRIMARY KEY (federation, code));
CREATE TABLE IF NOT EXISTS "{s}".pledges (
    pledge_id uuid PRIMARY KEY, federation text NOT NULL, movement text NOT NULL,
    year int NOT NULL, phase text, award text NOT NULL, award_name text,
    subject_kind text NOT NULL, subject_code text NOT NULL, subject_name text,
    unit text NOT NULL, unit_path text[], state text NOT NULL, version int NOT NULL);
CREATE INDEX IF NOT EXISTS pledges_by_year ON "{s}".pledges (federation, year);
-- the national reports read a whole year of every federation
CREATE INDEX IF NOT EXISTS pledges_in_year ON "{s}".pledges (year);
CREATE TABLE IF NOT EXISTS "{s}".nominations (
    nomination text PRIMARY KEY, federation text NOT NULL, subject_kind text,
    subject_code text, subject_name text, unit text, unit_path text[], award text,
    level text, year int, eligible boolean, upward boolean, withdrawn boolean NOT NULL DEFAULT false,
    forwarded_to text, council_passed boolean, granted boolean NOT NULL DEFAULT false);
CREATE INDEX IF NOT EXISTS nominations_by_year ON "{s}".nominations (federation, year);
CREATE INDEX IF NOT EXISTS nominations_upward_in_year ON "{s}".nominations (year) WHERE upward;
CREATE TABLE IF NOT EXISTS "{s}".grants (
    grant_id uuid PRIMARY KEY, federation text NOT NULL, subject_kind text NOT NULL,
    subject_code text NOT NULL, subject_name text, unit text NOT NULL, unit_path text[],
    award text NOT NULL, award_name text, level text, year int NOT NULL,
    decision_number text, decision_date date, signer text, authority text, source text,
    nomination text, granted boolean NOT NULL DEFAULT false, revoked_on date,
    revoke_reason text, revoke_reference text, occasion text, period_kind text,
    period_from int, period_to int);
CREATE INDEX IF NOT EXISTS grants_by_year ON "{s}".grants (federation, year);
CREATE INDEX IF NOT EXISTS grants_in_year ON "{s}".grants (year) WHERE granted;
CREATE INDEX IF NOT EXISTS grants_by_subject
    ON "{s}".grants (federation, subject_code, award, year) WHERE granted;
CREATE TABLE IF NOT EXISTS "{s}".initiatives (
    federation text NOT NULL, initiative text NOT NULL, title text, field text,
    author_kind text, author_code text, unit text NOT NULL, unit_path text[],
    year int NOT NULL, benefit_value bigint, registered_on date, recognised_on date,
    rejected_on date, decided_version int NOT NULL DEFAULT 0,
    PRIMARY KEY (federation, initiative));
CREATE TABLE IF NOT EXISTS "{s}".works (
    federation text NOT NULL, work text NOT NULL, name text, unit text NOT NULL,
    unit_path text[], value bigint, occasion text, year int NOT NULL, registered_on date,
    completed_on date, plaqued_on date, PRIMARY KEY (federation, work));
CREATE TABLE IF NOT EXISTS "{s}".targets (
    federation text NOT NULL, unit text NOT NULL, unit_path text[], programme text NOT NULL,
    year int NOT NULL, origin text NOT NULL, target bigint NOT NULL, version int NOT NULL,
    PRIMARY KEY (federation, unit, programme, year, origin));
CREATE TABLE IF NOT EXISTS "{s}".covenants (
    federation text NOT NULL, block text NOT NULL, year int NOT NULL, block_name text,
    units text[] NOT NULL, signed_on date, PRIMARY KEY (federation, block, year));
CREATE TABLE IF NOT EXISTS "{s}".block_scores (
    federation text NOT NULL, block text NOT NULL, year int NOT NULL, unit text NOT NULL,
    score numeric NOT NULL, PRIMARY KEY (federation, block, year, unit));
CREATE TABLE IF NOT EXISTS "{s}".acclaims (
    federation text NOT NULL, block text NOT NULL, year int NOT NULL, block_name text,
    units text[] NOT NULL, acclaimed_on date, PRIMARY KEY (federation, block, year));
CREATE TABLE IF NOT EXISTS "{s}".history (
    event_id uuid PRIMARY KEY, federation text NOT NULL, subject_kind text NOT NULL,
    subject_code text NOT NULL, what text NOT NULL, occurred_at timestamptz NOT NULL,
    award text, year int, detail jsonb NOT NULL, actor text NOT NULL, happened_on date);
CREATE INDEX IF NOT EXISTS history_by_subject
    ON "{s}".history (federation, subject_kind, subject_code, occurred_at);
CREATE TABLE IF NOT EXISTS "{s}".unit_headcounts (
    federation text NOT NULL, unit text NOT NULL, counted_on date NOT NULL, workers int NOT NULL,
    members int NOT NULL, version int NOT NULL, PRIMARY KEY (federation, unit, counted_on));
"""

# A history line's `happened_on` (the day its event took effect; `occurred_at` is when it was
# recorded) came after the table: a schema without it gains the column, filled from each line's
# detail as the projection fills it (common.happened_on); a rebuild fills it from the feed.
SCHEMA_SQL += (
    "DO $migrate$ BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE "
    "table_schema = '{s}' AND table_name = 'history' AND column_name = 'happened_on') THEN "
    'ALTER TABLE "{s}".history ADD COLUMN IF NOT EXISTS happened_on date; '
    f'UPDATE "{{s}}".history SET happened_on = {happened_on_sql()}; '
    "END IF; END $migrate$;\n"
)

# A grant's occasion (regular, thematic, ad-hoc) and period (kind, from, to: shared.kernel.periods)
# came after the table: a schema without them gains the columns, empty (read as a regular grant
# for the calendar year) until a rebuild fills them from the feed.
SCHEMA_SQL += (
    'ALTER TABLE "{s}".grants ADD COLUMN IF NOT EXISTS occasion text, '
    "ADD COLUMN IF NOT EXISTS period_kind text, ADD COLUMN IF NOT EXISTS period_from int, "
    "ADD COLUMN IF NOT EXISTS period_to int;\n"
    # a grant removed by its decision's amendment or cancelled with it: never granted
    'ALTER TABLE "{s}".grants ADD COLUMN IF NOT EXISTS cancelled_on date, '
    "ADD COLUMN IF NOT EXISTS cancel_reason text;\n"
)

# Came after the tables (issue 18): a movement's version, so an amendment and its launch apply in
# any order; participation pledges, which name no award.
SCHEMA_SQL += (
    'ALTER TABLE "{s}".movements ADD COLUMN IF NOT EXISTS version int;\n'
    'ALTER TABLE "{s}".pledges ALTER COLUMN award DROP NOT NULL;\n'
)

# Came after the tables (issue 21): the source aggregate's version kept with what it set, so an
# older event applied after a newer one (by another replica) never overwrites it; rows from
# before are version 0, so any event still applies to them.
SCHEMA_SQL += "".join(
    f'ALTER TABLE "{{s}}".{table} ADD COLUMN IF NOT EXISTS {column} int NOT NULL DEFAULT 0;\n'
    for table, column in (
        ("covenants", "version"),
        ("block_scores", "version"),
        ("acclaims", "version"),
        ("works", "version"),
        ("works", "occasion_version"),
        ("initiatives", "text_version"),
        ("initiatives", "benefit_version"),
    )
)
