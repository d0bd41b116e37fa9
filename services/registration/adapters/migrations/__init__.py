"""Registration's versioned migrations (shared.ops.migrations), one file per revision in order.
The read model's `rm_*` tables are not here: projected from registration's own log, they keep
`CREATE … IF NOT EXISTS` (adapters/readmodel.py) and a rebuild recreates their rows."""

from pathlib import Path

VERSIONS = Path(__file__).parent
