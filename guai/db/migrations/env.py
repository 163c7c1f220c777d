"""Alembic environment: runs migrations on the engine handed over by guai.db.Database."""

from alembic import context

import guai.db.models  # noqa: F401  (registers every table on Base.metadata)
from guai.db.base import Base

config = context.config
engine = config.attributes["engine"]
only_tables: set[str] | None = config.attributes.get("only_tables")


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """When writing a feature's migration, look only at that feature's tables."""
    if only_tables is None:
        return True
    table = obj if type_ == "table" else getattr(obj, "table", None)
    table_name = name if type_ == "table" else getattr(table, "name", None)
    return table_name in only_tables


with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
