"""Alembic environment: runs migrations on the engine handed over by guai.db.Database."""

from alembic import context

import guai.db.models  # noqa: F401  (registers every table on Base.metadata)
from guai.db.base import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
