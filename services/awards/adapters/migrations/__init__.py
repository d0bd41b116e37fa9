"""Awards' versioned migrations (shared.ops.migrations), one file per revision in order. The
index tables (adapters/index_tables.py) are not here: projected from awards' own log, they keep
`CREATE … IF NOT EXISTS` and are filled again from the log."""

from pathlib import Path

VERSIONS = Path(__file__).parent
