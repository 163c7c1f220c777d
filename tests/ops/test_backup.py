"""Backup → restore round trips on SQLite and PostgreSQL: same search results, valid audit chain, same files."""

from __future__ import annotations

import shutil
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from guai.audit import record, verify
from guai.config import load_settings
from guai.db.engine import Database
from tests.conftest import POSTGRES_URL

DOC = """가온구 전동킥보드 주차 지침

제1조(목적) 이 지침은 개인형 이동장치(전동킥보드)의 무단 주차로 인한 보행 불편을 줄이기 위하여 필요한 사항을 정한다.
제2조(견인) 보도 위 무단 주차된 전동킥보드는 신고 후 3시간이 지나면 견인할 수 있다. 견인료는 4만원으로 한다.
제3조(대형폐기물) 대형폐기물은 구청 누리집에서 신고한 뒤 스티커를 붙여 지정된 날에 배출한다.
"""
QUERIES = ["전동킥보드 견인료", "대형폐기물 배출 방법"]


def _search_snapshot(db: Database) -> list[list[tuple[str, str, float]]]:
    from guai.knowledge.search import search

    return [[(h.citation, h.text[:40], round(h.score, 6)) for h in search(db, q, top=3)] for q in QUERIES]


def _populate(db: Database, make_user) -> None:  # type: ignore[no-untyped-def]
    from guai.knowledge.ingest import ingest_bytes

    make_user("kim.staff", "교통행정과")
    report = ingest_bytes(
        db, DOC.encode("utf-8"), "킥보드지침.txt", collection="가온구 지침", actor="kim.staff"
    )
    assert not report.failed
    with db.session() as s:
        for i in range(5):
            record(s, actor="kim.staff", action="test.event", detail={"i": i, "한글": "값"})
    up = db.settings.upload_dir / "chat" / "첨부.txt"
    up.parent.mkdir(parents=True, exist_ok=True)
    up.write_text("첨부 파일 내용", encoding="utf-8")


def _new_installation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, backend_url: str | None) -> list[str]:
    """Point GUAI_* at a fresh, empty installation; returns PostgreSQL schemas to drop afterwards."""
    monkeypatch.setenv("GUAI_HOME", str(tmp_path / "restored-home"))
    if backend_url is None:
        monkeypatch.delenv("GUAI_DATABASE_URL", raising=False)
        return []
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in POSTGRES_URL else "?"
    monkeypatch.setenv("GUAI_DATABASE_URL", f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}")
    return [schema]


def _drop(schemas: list[str]) -> None:
    if not schemas:
        return
    admin = sa.create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        for schema in schemas:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def test_round_trip_same_search_results_and_audit_chain(
    any_db, backend_url, make_user, cli, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _populate(any_db, make_user)
    expected = _search_snapshot(any_db)
    assert expected[0] and expected[1], "fixture documents must be found"
    archive = tmp_path / "backups" / "guai-backup.tar.gz"
    result = cli("backup", str(archive))
    assert result.exit_code == 0, result.output
    assert "백업 완료" in result.output and archive.exists()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "files/uploads/chat/첨부.txt" in names
    assert any(n.startswith("files/indexes/") for n in names)
    if backend_url is not None and shutil.which("pg_dump"):
        assert "database.pgdump" in names  # extra copy for DBAs' pg_restore

    schemas = _new_installation(monkeypatch, tmp_path, backend_url)
    try:
        result = cli("restore", str(archive))
        assert result.exit_code == 0, result.output
        restored = Database(load_settings())
        try:
            assert _search_snapshot(restored) == expected
            with restored.session() as s:
                checked, problems = verify(s)
                assert problems == [] and checked >= 8
                users = s.execute(sa.text("select username from users")).scalars().all()
                assert users == ["kim.staff"]
                actions = s.execute(sa.text("select action from audit_log order by id")).scalars().all()
                # The backup snapshot is taken before its own "backup.create" entry is written.
                assert actions[-1] == "backup.restore" and "backup.create" not in actions
            assert (restored.settings.upload_dir / "chat" / "첨부.txt").read_text(
                encoding="utf-8"
            ) == "첨부 파일 내용"
            # New rows get fresh ids after restore (sequences moved past restored ids on PostgreSQL).
            with restored.session() as s:
                record(s, actor="after", action="test.after")
            assert cli("audit", "verify").exit_code == 0
        finally:
            restored.dispose()
    finally:
        _drop(schemas)


def test_restore_refuses_non_empty_installation_and_bad_archives(db, make_user, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    make_user("kim.staff")
    archive = tmp_path / "b.tar.gz"
    assert cli("backup", str(archive)).exit_code == 0
    result = cli("restore", str(archive))
    assert result.exit_code != 0 and "--force" in result.stderr
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(archive.read_bytes()[:200])
    result = cli("restore", str(broken), "--force")
    assert result.exit_code != 0 and "손상" in result.stderr
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        tar.add(archive, arcname="something.bin")
    assert "guai 백업 파일이 아니" in cli("restore", str(other), "--force").stderr
    # Nothing was changed by the refused restores.
    with db.session() as s:
        assert s.execute(sa.text("select count(*) from users")).scalar_one() == 1
    assert cli("restore", str(archive), "--force").exit_code == 0


def test_backup_is_consistent_while_writes_continue(db, make_user, cli, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_user("kim.staff")
    stop = threading.Event()
    writes = {"n": 0}

    def writer() -> None:
        while not stop.is_set():
            with db.session() as s:
                record(s, actor="writer", action="test.write", detail={"payload": "x" * 200})
            writes["n"] += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        archive = tmp_path / "live.tar.gz"
        result = cli("backup", str(archive))
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    assert writes["n"] > 0
    monkeypatch.setenv("GUAI_HOME", str(tmp_path / "restored"))
    assert cli("restore", str(archive)).exit_code == 0
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output


def test_backup_refuses_destination_inside_data_folder(db, cli, settings) -> None:  # type: ignore[no-untyped-def]
    result = cli("backup", str(settings.home / "x.tar.gz"))
    assert result.exit_code != 0 and "데이터 폴더" in result.stderr
