"""Database layer: declarative base, engine/session factory and Alembic migrations."""

from guai.db.base import Base
from guai.db.engine import Database, DatabaseError

__all__ = ["Base", "Database", "DatabaseError"]
