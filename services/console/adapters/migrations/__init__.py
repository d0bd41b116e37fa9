"""The console's versioned migrations (shared.ops.migrations): the table of sessions kept in
PostgreSQL (adapters/session_store.py), in the schema `console`."""

from pathlib import Path

VERSIONS = Path(__file__).parent
