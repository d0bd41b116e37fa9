"""The shared tables as the code before versioned migrations created them at start (`CREATE …
IF NOT EXISTS`, so a database it made is adopted as it is): every service's first migration runs
these. Frozen: a later change of shape is a new migration, never an edit here."""

RELAY = """
CREATE TABLE IF NOT EXISTS "{s}".relay_position (relay text PRIMARY KEY, position bigint NOT NULL);
"""

STORE_EPOCHS = """
CREATE TABLE IF NOT EXISTS "{s}".store_epochs (from_position bigint PRIMARY KEY,
    epoch uuid NOT NULL, began_at timestamptz NOT NULL DEFAULT now());
"""

SUBSCRIPTIONS = """
CREATE TABLE IF NOT EXISTS "{s}".subscriptions (federation text NOT NULL, name text NOT NULL,
    event_types text[] NOT NULL, bindings text[] NOT NULL, queue text NOT NULL,
    dead_letter_queue text NOT NULL, max_deliveries int NOT NULL, created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (federation, name));
"""

TRACKING = """
CREATE TABLE IF NOT EXISTS "{s}".processed_events (
    consumer text NOT NULL, event_id uuid NOT NULL, source text NOT NULL,
    sequence bigint NOT NULL, processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id));
CREATE TABLE IF NOT EXISTS "{s}".consumer_positions (
    consumer text NOT NULL, source text NOT NULL, sequence bigint NOT NULL,
    PRIMARY KEY (consumer, source));
CREATE TABLE IF NOT EXISTS "{s}".dead_letters (
    consumer text NOT NULL, event_id text NOT NULL, attempts int NOT NULL,
    error text NOT NULL, envelope text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id));
"""

PROBLEMS = """
CREATE TABLE IF NOT EXISTS "{s}".problems (
    reader text NOT NULL, event_id text NOT NULL, service text NOT NULL, event_type text NOT NULL,
    aggregate text NOT NULL, sequence bigint, federation text, subject_kind text, subject_code text,
    problem text NOT NULL, outcome text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz, resolved_by text, PRIMARY KEY (reader, event_id));
CREATE INDEX IF NOT EXISTS problems_open ON "{s}".problems (subject_kind, subject_code)
    WHERE resolved_at IS NULL;
"""

SHARED = RELAY + STORE_EPOCHS + SUBSCRIPTIONS + TRACKING + PROBLEMS
