"""Audit log: every admin change is chained, and tampering with any row is detected."""

from __future__ import annotations

from sqlalchemy import text

from guai.audit import record, verify
from guai.db.engine import Database


def _fill(db: Database, n: int = 5) -> None:
    with db.session() as s:
        for i in range(n):
            record(
                s, actor=f"user{i}", action="test.action", target=f"t{i}", client="127.0.0.1", detail={"i": i}
            )


def test_intact_chain_verifies(any_db: Database, cli) -> None:  # type: ignore[no-untyped-def]
    _fill(any_db)
    with any_db.session() as s:
        checked, problems = verify(s)
    assert checked == 5 and problems == []
    result = cli("audit", "verify")
    assert result.exit_code == 0 and "정상" in result.output


def test_edited_row_is_detected_and_named(any_db: Database, cli) -> None:  # type: ignore[no-untyped-def]
    _fill(any_db)
    with any_db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE id = 3"))
    result = cli("audit", "verify")
    assert result.exit_code == 4
    assert "항목 3" in result.output and "변경" in result.output


def test_deleted_middle_row_is_detected(any_db: Database) -> None:
    _fill(any_db)
    with any_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = 2"))
    with any_db.session() as s:
        _, problems = verify(s)
    assert any(p.entry_id == 3 and "삭제" in p.problem for p in problems)


def test_deleted_last_row_is_detected(any_db: Database) -> None:
    _fill(any_db)
    with any_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = 5"))
    with any_db.session() as s:
        _, problems = verify(s)
    assert problems and "삭제" in problems[0].problem


def test_cli_admin_changes_are_audited(cli, db: Database) -> None:  # type: ignore[no-untyped-def]
    cli("departments", "add", "홍보과", "--phone", "02-2600-1700")
    cli("users", "add", "pr1", "--department", "홍보과", "--password-stdin", input="password-123\n")
    csv_text = cli("audit", "export").output
    assert "department.add" in csv_text and "user.add" in csv_text and "pr1" in csv_text
