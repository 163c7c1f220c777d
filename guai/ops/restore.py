"""`guai restore FILE`: check the archive, load its database into this installation, put its files back.

Everything is checked (format, checksums) before anything is touched; the database load runs in one
transaction, so a failure leaves the target as it was. Restoring over a non-empty installation needs force.
"""

from __future__ import annotations

import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from guai.audit import record
from guai.config import Settings
from guai.db.engine import Database
from guai.db.models.audit import AuditEntry
from guai.db.models.auth import User
from guai.ops.backup import FORMAT, FORMAT_VERSION, BackupError, data_files, sha256_file
from guai.ops.dump import iter_engine_rows, iter_jsonl, load_rows, ordered_tables, reflect


@dataclass
class RestoreReport:
    tables: dict[str, int]
    files: int
    source_dialect: str
    created_at: str


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest = json.loads(member.read().decode("utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"백업 파일을 찾을 수 없습니다: {archive}") from exc
    except (tarfile.TarError, KeyError, ValueError, OSError, EOFError) as exc:
        raise BackupError(f"guai 백업 파일이 아니거나 손상되었습니다: {archive} ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"guai 백업 파일이 아닙니다: {archive}")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise BackupError("더 새로운 guai에서 만든 백업입니다. guai를 먼저 업그레이드하세요.")
    return manifest


def _is_empty(db: Database) -> bool:
    with db.session() as s:
        users = s.execute(select(func.count()).select_from(User)).scalar_one()
        audit = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    return users == 0 and audit == 0


def _extract(archive: Path, dest: Path) -> None:
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(dest, filter="data")  # refuses absolute paths, '..', devices and links out of dest


def _verify(manifest: dict[str, Any], root: Path) -> None:
    db_info = manifest.get("database") or {}
    if db_info.get("kind") == "sqlite":
        if sha256_file(root / db_info["path"]) != db_info.get("sha256"):
            raise BackupError(
                "백업의 데이터베이스 파일이 손상되었습니다 (체크섬 불일치). 복원하지 않았습니다."
            )
    elif db_info.get("kind") == "jsonl":
        missing = [
            t for t in manifest.get("tables", {}) if not (root / db_info["path"] / f"{t}.jsonl").exists()
        ]
        if missing:
            raise BackupError(
                f"백업에 테이블 파일이 없습니다: {', '.join(missing[:5])}. 복원하지 않았습니다."
            )
    else:
        raise BackupError("백업의 데이터베이스 형식을 알 수 없습니다.")
    for rel, digest in (manifest.get("files") or {}).items():
        path = root / "files" / rel
        if not path.is_file() or sha256_file(path) != digest:
            raise BackupError(f"백업의 파일 {rel}이(가) 없거나 손상되었습니다. 복원하지 않았습니다.")


def _sources(
    manifest: dict[str, Any], root: Path, settings: Settings, stack: list[Any]
) -> dict[str, Callable[[], Iterator[dict[str, Any]]]]:
    db_info = manifest["database"]
    if db_info["kind"] == "jsonl":
        folder = root / db_info["path"]
        return {p.stem: partial(iter_jsonl, p) for p in folder.glob("*.jsonl")}
    # An SQLite snapshot: bring it to this guai's schema first (older backups), then read it table by table.
    snapshot = Database(settings.model_copy(update={"database_url": f"sqlite:///{root / db_info['path']}"}))
    snapshot.upgrade()
    stack.append(snapshot)
    conn = snapshot.engine.connect()
    stack.append(conn)
    tables = ordered_tables(reflect(conn))
    return {t.name: partial(iter_engine_rows, conn, t) for t in tables}


def _restore_files(manifest: dict[str, Any], root: Path, home: Path) -> int:
    """Replace the data folder's files with the backup's (files not in the backup are removed)."""
    for rel in data_files(home):
        (home / rel).unlink()
    count = 0
    for rel in manifest.get("files") or {}:
        target = home / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / "files" / rel, target)
        count += 1
    return count


def restore_backup(
    settings: Settings,
    db: Database,
    archive: Path,
    *,
    force: bool = False,
    actor: str = "cli",
    progress: Callable[[str], None] | None = None,
) -> RestoreReport:
    note = progress or (lambda _msg: None)
    archive = archive.resolve()
    manifest = read_manifest(archive)
    db.upgrade()
    if not force and not _is_empty(db):
        raise BackupError(
            "이 설치에는 이미 사용자나 감사 기록이 있습니다. 빈 설치에 복원하거나, 현재 데이터를 "
            "덮어쓰려면 --force를 쓰세요 (먼저 현재 상태를 백업하세요)."
        )
    home = settings.home.resolve()
    with tempfile.TemporaryDirectory(dir=home.parent, prefix=".guai-restore-") as tmp_name:
        root = Path(tmp_name)
        note("백업 파일 풀기")
        _extract(archive, root)
        note("체크섬 확인")
        _verify(manifest, root)
        stack: list[Any] = []
        try:
            sources = _sources(manifest, root, settings, stack)
            note("데이터베이스 복원")
            with db.engine.begin() as conn:
                counts = load_rows(conn, sources)
        finally:
            for item in reversed(stack):
                item.close() if hasattr(item, "close") else item.dispose()
        note("파일 복원")
        files = _restore_files(manifest, root, home)
    with db.session() as s:
        record(
            s,
            actor=actor,
            action="backup.restore",
            target=archive.name,
            detail={
                "created_at": manifest.get("created_at"),
                "source": manifest.get("dialect"),
                "rows": sum(counts.values()),
                "files": files,
            },
        )
    return RestoreReport(counts, files, manifest.get("dialect", "?"), manifest.get("created_at", "?"))
