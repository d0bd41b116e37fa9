"""Alembic's environment for shared.ops.migrations.migrate: the caller's connection (holding the
migration lock) and the service's schema for the version table; one transaction per migration."""

from alembic import context

context.configure(
    connection=context.config.attributes["connection"],
    version_table_schema=context.config.attributes["schema"],
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
