"""`guai backup FILE`: one .tar.gz with a consistent database snapshot, the data folder's files and a manifest.

SQLite is copied with SQLite's online backup API; PostgreSQL is dumped table by table inside one
REPEATABLE READ snapshot. Both are consistent while the server keeps running. Files (uploads, search
indexes, branding, the signing key) are copied from GUAI_HOME with their SHA-256 in the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from guai import __version__ as guai_version
from guai.config import Settings
from guai.db.base import utcnow
from guai.db.engine import Database
from guai.ops.dump import dump_tables

FORMAT = "guai-backup"
FORMAT_VERSION = 1
# Live database files and throw-away state are not copied as files (the database goes in as a snapshot).
EXCLUDE_TOP = {"metrics", "logs", "tmp", "backups"}
EXCLUDE_SUFFIXES = (".db", ".db-wal", ".db-shm", ".db-journal", ".tmp", ".pid", ".sock")


class BackupError(Exception):
    """Backup or restore cannot be done; message is Korean and says what to do."""


@dataclass
class BackupReport:
    path: Path
    size: int
    sha256: str
    tables: dict[str, int]
    files: int
    dialect: str


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def data_files(home: Path) -> list[Path]:
    """Files of GUAI_HOME that belong in a backup, relative to it."""
    out: list[Path] = []
    if not home.exists():
        return out
    for root, dirs, files in os.walk(home):
        rel_root = Path(root).relative_to(home)
        if rel_root == Path("."):
            dirs[:] = [d for d in dirs if d not in EXCLUDE_TOP]
        for name in files:
            if name.endswith(EXCLUDE_SUFFIXES) or name == "guai.toml":
                continue
            out.append(rel_root / name)
    return sorted(out)


def _sqlite_snapshot(db: Database, dest: Path) -> None:
    src_path = db.engine.url.database
    if not src_path or not Path(src_path).exists():
        raise BackupError(f"SQLite 데이터베이스 파일을 찾을 수 없습니다: {src_path}")
    src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(dest)
    try:
        with dst:
            src.backup(dst, pages=1024)  # copies in steps; writers are only paused briefly per step
    finally:
        dst.close()
        src.close()


def _pg_dump(db: Database, dest: Path) -> str:
    """Also keep a pg_dump custom-format file for DBAs (pg_restore) when pg_dump is installed.

    guai restore uses the portable table dump; this copy is a convenience and never fails the backup.
    """
    exe = shutil.which("pg_dump")
    if exe is None:
        return "pg_dump 없음 (표 덤프만 포함)"
    from sqlalchemy import text

    with db.engine.connect() as conn:
        schema = conn.execute(text("select current_schema()")).scalar()
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run(
        [exe, "--format=custom", "--no-owner", f"--schema={schema}", f"--file={dest}", f"--dbname={url}"],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if result.returncode != 0:
        dest.unlink(missing_ok=True)
        return f"pg_dump 실패 (표 덤프만 포함): {result.stderr.strip()[:300]}"
    return "database.pgdump (pg_restore용)"


def _sqlite_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
            )
        ]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in sorted(names)}
    finally:
        conn.close()


def create_backup(
    settings: Settings, db: Database, dest: Path, *, progress: Callable[[str], None] | None = None
) -> BackupReport:
    """Write the backup archive atomically (a partial file never appears under the final name)."""
    dest = dest.resolve()
    if dest.exists() and dest.is_dir():
        raise BackupError(f"{dest}은(는) 폴더입니다. 백업 파일 이름을 주세요 (예: guai-backup.tar.gz).")
    dest.parent.mkdir(parents=True, exist_ok=True)
    home = settings.home.resolve()
    if dest.is_relative_to(home):
        raise BackupError("백업 파일을 데이터 폴더(GUAI_HOME) 안에 만들 수 없습니다. 다른 위치를 지정하세요.")
    note = progress or (lambda _msg: None)
    revisions = sorted(db.current_revisions())
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".guai-backup-") as tmp_name:
        tmp = Path(tmp_name)
        manifest: dict = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "guai_version": guai_version,
            "created_at": utcnow().isoformat(),
            "dialect": db.dialect,
            "revisions": revisions,
            "district": settings.district_name,
        }
        if db.dialect == "sqlite":
            note("SQLite 온라인 백업")
            _sqlite_snapshot(db, tmp / "database.sqlite")
            manifest["database"] = {
                "kind": "sqlite",
                "path": "database.sqlite",
                "sha256": sha256_file(tmp / "database.sqlite"),
            }
            manifest["tables"] = _sqlite_counts(tmp / "database.sqlite")
        else:
            note("PostgreSQL 스냅숏 덤프")
            manifest["tables"] = dump_tables(db.engine, tmp / "tables")
            manifest["database"] = {"kind": "jsonl", "path": "tables"}
            manifest["pg_dump"] = _pg_dump(db, tmp / "database.pgdump")
        files = data_files(home)
        note(f"파일 {len(files)}개")
        manifest["files"] = {str(rel): sha256_file(home / rel) for rel in files}
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        partial = tmp / "archive.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(tmp / "manifest.json", arcname="manifest.json")
            if manifest["database"]["kind"] == "sqlite":
                tar.add(tmp / "database.sqlite", arcname="database.sqlite")
            else:
                tar.add(tmp / "tables", arcname="tables")
                if (tmp / "database.pgdump").exists():
                    tar.add(tmp / "database.pgdump", arcname="database.pgdump")
            for rel in files:
                tar.add(home / rel, arcname=f"files/{rel}")
        os.chmod(partial, 0o600)  # the archive holds personal data and the signing key
        os.replace(partial, dest)
    return BackupReport(
        dest, dest.stat().st_size, sha256_file(dest), manifest["tables"], len(files), db.dialect
    )
