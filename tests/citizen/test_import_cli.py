"""Guidance import (CSV in UTF-8/cp949, XLSX, all or nothing) and the `guai citizen` commands."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from guai.auth.departments import import_departments
from guai.citizen import CitizenError, import_guidance, list_guidance
from guai.db.engine import Database
from guai.db.models.citizen import CitizenGuidance
from tests.citizen.conftest import DEPARTMENTS_CSV, GUIDANCE_CSV

HEADER = "번호,질문,답변,담당부서,전화번호,키워드,근거,유효기간,최종확인일\n"


@pytest.fixture
def dept_db(db: Database) -> Database:
    with db.session() as s:
        import_departments(s, DEPARTMENTS_CSV)
    return db


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.execute(select(func.count()).select_from(CitizenGuidance)).scalar() or 0)


def test_korean_headers_cp949_and_update_by_code(dept_db: Database) -> None:
    text = (
        HEADER
        + "A1,폐목재는 어떻게 버리나요?,불연성 마대에 담아 버리세요.,청소행정과,,폐목재,폐기물관리법 제15조,2030. 1. 31.,2025년 3월 10일\n"
    )
    with dept_db.session() as s:
        report = import_guidance(s, text.encode("cp949"), "guide.csv", actor="t")
    assert (report.created, report.updated) == (1, 0)
    with dept_db.session() as s:
        row = list_guidance(s)[0]
        assert row.phone == "02-2600-1510"  # blank phone → the department's number
        assert row.valid_until.isoformat() == "2030-01-31" and row.last_checked.isoformat() == "2025-03-10"
    with dept_db.session() as s:
        report = import_guidance(
            s, text.replace("불연성", "전용 불연성").encode("utf-8-sig"), "guide.csv", actor="t"
        )
    assert (report.created, report.updated) == (0, 1)


def test_bad_rows_abort_everything(dept_db: Database) -> None:
    text = (
        HEADER + "A1,좋은 질문,좋은 답,청소행정과,,,,,\n"
        "A2,없는 부서,답,우주항공과,,,,,\n"
        "A3,날짜 오류,답,청소행정과,,,,내년쯤,\n"
        "A1,번호 중복,답,청소행정과,,,,,\n"
    )
    with dept_db.session() as s, pytest.raises(CitizenError) as err:
        import_guidance(s, text.encode(), "guide.csv", actor="t")
    message = str(err.value)
    assert "아무것도 저장하지 않음" in message and "4행" in message and "5행" in message
    assert _count(dept_db) == 0


def test_missing_columns_and_wrong_type(dept_db: Database) -> None:
    with dept_db.session() as s, pytest.raises(CitizenError, match="필수 열"):
        import_guidance(s, b"question,answer\nq,a\n", "x.csv", actor="t")
    with dept_db.session() as s, pytest.raises(CitizenError, match="CSV 또는 XLSX"):
        import_guidance(s, b"{}", "x.json", actor="t")
    with dept_db.session() as s, pytest.raises(CitizenError, match="XLSX 파일을 열 수 없습니다"):
        import_guidance(s, b"not a zip", "x.xlsx", actor="t")


def test_xlsx_import(dept_db: Database) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "question", "answer", "department", "phone", "tags", "valid until"])
    ws.append(
        ["X1", "반려견 등록은 어디서?", "동물병원에서 등록합니다.", "환경과", "02-2600-1520", "강아지", None]
    )
    buf = io.BytesIO()
    wb.save(buf)
    with dept_db.session() as s:
        assert import_guidance(s, buf.getvalue(), "guide.xlsx", actor="t").created == 1


def test_cli_import_report_tickets_ask(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init")
    from guai.config import load_settings

    db = Database(load_settings())
    with db.session() as s:
        import_departments(s, DEPARTMENTS_CSV)
    result = cli("citizen", "import", str(GUIDANCE_CSV))
    assert result.exit_code == 0, result.output
    assert "새로 76건" in result.output
    asked = cli("citizen", "ask", "음쓰 언제 버려유")
    assert "청소행정과" in asked.output and "G003" in asked.output
    report = cli("citizen", "report", "--json")
    data = json.loads(report.output)
    assert data["total"] == 1 and data["top"][0]["guidance_code"] == "G003"
    assert cli("citizen", "tickets").exit_code == 0
    assert cli("citizen", "report", "--date", "어제").exit_code != 0
    missing = cli("citizen", "import", str(tmp_path / "none.csv"))
    assert missing.exit_code != 0
    db.dispose()
