"""Portable logical dump of every table (JSON lines, typed values) and loading it into another database.

Used for PostgreSQL backups (read inside one REPEATABLE READ snapshot, so it is consistent while the server
runs) and for restoring any backup into SQLite or PostgreSQL, whichever the target installation uses.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, func, insert, select, text
from sqlalchemy.engine import Connection, Engine

SKIP_TABLES = {"alembic_version"}
BATCH = 1000


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$t": "dt", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$t": "d", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": "tm", "v": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$t": "b", "v": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, decimal.Decimal):
        return {"$t": "dec", "v": str(value)}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$t", "v"}:
        kind, raw = value["$t"], value["v"]
        if kind == "dt":
            return dt.datetime.fromisoformat(raw)
        if kind == "d":
            return dt.date.fromisoformat(raw)
        if kind == "tm":
            return dt.time.fromisoformat(raw)
        if kind == "b":
            return base64.b64decode(raw)
        if kind == "dec":
            return decimal.Decimal(raw)
    return value


def reflect(bind: Engine | Connection) -> MetaData:
    meta = MetaData()
    meta.reflect(bind=bind)
    return meta


def ordered_tables(meta: MetaData) -> list[Table]:
    """Tables parents first (foreign keys), without Alembic's bookkeeping table."""
    return [t for t in meta.sorted_tables if t.name not in SKIP_TABLES]


def _pk_order(table: Table) -> list[Any]:
    return list(table.primary_key.columns) or list(table.columns)[:1]


def dump_tables(
    engine: Engine, out_dir: Path, *, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Write <table>.jsonl for every table from one consistent snapshot; return row counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    opts = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**opts) as conn, conn.begin():
        meta = reflect(conn)
        for table in ordered_tables(meta):
            n = 0
            with open(out_dir / f"{table.name}.jsonl", "w", encoding="utf-8") as fh:
                result = conn.execution_options(stream_results=True).execute(
                    select(table).order_by(*_pk_order(table))
                )
                for row in result.mappings():
                    fh.write(json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False))
                    fh.write("\n")
                    n += 1
            counts[table.name] = n
            if progress:
                progress(table.name, n)
    return counts


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield {k: _decode(v) for k, v in json.loads(line).items()}


def iter_engine_rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    for row in conn.execute(select(table).order_by(*_pk_order(table))).mappings():
        yield dict(row)


def _fix_row(row: dict[str, Any], columns: set[str], target_dialect: str) -> dict[str, Any]:
    fixed = {}
    for key, value in row.items():
        if key not in columns:
            continue  # a column dropped by a later migration
        if target_dialect == "postgresql" and isinstance(value, dt.datetime) and value.tzinfo is None:
            # SQLite keeps UTC values without an offset; PostgreSQL would read them in the session zone.
            value = value.replace(tzinfo=dt.UTC)
        fixed[key] = value
    return fixed


def load_rows(
    conn: Connection,
    rows_by_table: dict[str, Callable[[], Iterator[dict[str, Any]]]],
    *,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Replace the contents of every target table with the given rows (caller owns the transaction)."""
    meta = reflect(conn)
    tables = ordered_tables(meta)
    for table in reversed(tables):
        conn.execute(table.delete())
    counts: dict[str, int] = {}
    dialect = conn.dialect.name
    for table in tables:
        source = rows_by_table.get(table.name)
        n = 0
        if source is not None:
            cols = {c.name for c in table.columns}
            batch: list[dict[str, Any]] = []
            for row in source():
                batch.append(_fix_row(row, cols, dialect))
                if len(batch) >= BATCH:
                    conn.execute(insert(table), batch)
                    n += len(batch)
                    batch = []
            if batch:
                conn.execute(insert(table), batch)
                n += len(batch)
        counts[table.name] = n
        if progress:
            progress(table.name, n)
    if dialect == "postgresql":
        _reset_sequences(conn, tables)
    return counts


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """After explicit ids were inserted, move each serial sequence past the highest id."""
    for table in tables:
        for col in table.primary_key.columns:
            seq = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": col.name}
            ).scalar()
            if seq:
                top = conn.execute(select(func.max(col))).scalar()
                if top is None:
                    conn.execute(text("SELECT setval(:s, 1, false)"), {"s": seq})
                else:
                    conn.execute(text("SELECT setval(:s, :v, true)"), {"s": seq, "v": int(top)})
