"""Departments and users from the CLI: add, list, import, disable, and clear errors that write nothing."""

from __future__ import annotations

import json
from pathlib import Path

from guai.auth.departments import list_departments
from guai.config import load_settings
from guai.db.engine import Database


def _departments() -> list[str]:
    db = Database(load_settings())
    try:
        with db.session() as s:
            return [d.name for d in list_departments(s)]
    finally:
        db.dispose()


def test_add_department_with_parent_and_list_json(cli, backend_url) -> None:  # type: ignore[no-untyped-def]
    assert cli("departments", "add", "교통건설국", "--phone", "02-2600-1400").exit_code == 0
    assert (
        cli("departments", "add", "주차관리과", "--phone", "02-2600-1420", "--parent", "교통건설국").exit_code
        == 0
    )
    assert cli("departments", "add", "가온1동 주민센터", "--phone", "02-2600-3000").exit_code == 0
    rows = json.loads(cli("departments", "list", "--format", "json").output)
    by_name = {r["name"]: r for r in rows}
    assert by_name["주차관리과"]["parent"] == "교통건설국"
    assert by_name["주차관리과"]["kind"] == "과"
    assert by_name["가온1동 주민센터"]["kind"] == "동"


def test_duplicate_department_is_refused(cli) -> None:  # type: ignore[no-untyped-def]
    cli("departments", "add", "총무과")
    result = cli("departments", "add", "총무과")
    assert result.exit_code == 1
    assert "이미 있습니다" in result.stderr


def test_import_cp949_csv(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv_file = tmp_path / "부서.csv"
    csv_file.write_bytes(
        "부서명,전화번호,상위부서\n복지국,02-2600-1200,\n생활보장과,02-2600-1220,복지국\n새빛동 주민센터,02-2600-3020,\n".encode(
            "cp949"
        )
    )
    result = cli("departments", "import", str(csv_file))
    assert result.exit_code == 0, result.stderr
    assert "부서 3개 추가" in result.output
    assert set(_departments()) >= {"복지국", "생활보장과", "새빛동 주민센터"}
    again = cli("departments", "import", str(csv_file))
    assert "부서 0개 추가" in again.output and "이미 있던 부서 3개" in again.output


def test_import_with_missing_name_column_writes_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("전화번호,상위부서\n02-1,\n", encoding="utf-8")
    result = cli("departments", "import", str(csv_file))
    assert result.exit_code == 1
    assert "부서명" in result.stderr and "아무것도 저장하지 않았습니다" in result.stderr
    assert _departments() == []


def test_import_with_a_bad_row_midway_writes_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv_file = tmp_path / "half.csv"
    csv_file.write_text("부서명,전화번호,상위부서\n환경국,02-1,\n청소행정과,02-2,없는국\n", encoding="utf-8")
    result = cli("departments", "import", str(csv_file))
    assert result.exit_code == 1
    assert "3번째 줄" in result.stderr and "없는국" in result.stderr
    assert _departments() == []


def test_import_binary_file_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "x.csv"
    bad.write_bytes(b"\x00\x01\x02PK\x03\x04" * 10)
    result = cli("departments", "import", str(bad))
    assert result.exit_code == 1
    assert "텍스트 파일이 아닙니다" in result.stderr


def test_users_add_with_password_stdin_list_and_disable(cli, backend_url) -> None:  # type: ignore[no-untyped-def]
    cli("departments", "add", "교통행정과")
    result = cli(
        "users",
        "add",
        "hong",
        "--department",
        "교통행정과",
        "--role",
        "부서관리자",
        "--password-stdin",
        input="correct-horse-1\n",
    )
    assert result.exit_code == 0, result.stderr
    dup = cli(
        "users", "add", "hong", "--department", "교통행정과", "--password-stdin", input="another-pass-2\n"
    )
    assert dup.exit_code == 1 and "이미 사용 중" in dup.stderr
    assert cli("users", "disable", "hong").exit_code == 0
    rows = json.loads(cli("users", "list", "--format", "json").output)
    assert rows == [
        {
            "username": "hong",
            "name": "hong",
            "department": "교통행정과",
            "role": "부서관리자",
            "active": False,
        }
    ]


def test_user_errors_are_clear(cli) -> None:  # type: ignore[no-untyped-def]
    cli("departments", "add", "교통행정과")
    unknown_dept = cli(
        "users", "add", "a1", "--department", "없는과", "--password-stdin", input="password-123\n"
    )
    assert unknown_dept.exit_code == 1 and "없는과" in unknown_dept.stderr
    bad_role = cli(
        "users",
        "add",
        "a2",
        "--department",
        "교통행정과",
        "--role",
        "사장",
        "--password-stdin",
        input="password-123\n",
    )
    assert bad_role.exit_code == 1 and "직원, 부서관리자, 시스템관리자" in bad_role.stderr
    short = cli("users", "add", "a3", "--department", "교통행정과", "--password-stdin", input="short\n")
    assert short.exit_code == 1 and "8자 이상" in short.stderr


def test_api_key_is_shown_once_and_can_be_revoked(cli, db) -> None:  # type: ignore[no-untyped-def]
    from guai.auth.tokens import resolve_api_key

    cli("departments", "add", "교통행정과")
    cli("users", "add", "prog", "--department", "교통행정과", "--password-stdin", input="password-123\n")
    out = cli("keys", "create", "prog").output
    key = out.strip().splitlines()[-1]
    assert key.startswith("guai-")
    with db.session() as s:
        assert resolve_api_key(s, key).username == "prog"
    assert cli("keys", "revoke", "prog").exit_code == 0
    with db.session() as s:
        assert resolve_api_key(s, key) is None
