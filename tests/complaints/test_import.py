"""Import on SQLite and PostgreSQL: encodings, XLSX, column detection and --map, rejects, duplicates, clean failures."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from guai.complaints.columns import ColumnError
from guai.complaints.reader import ImportFileError
from guai.db.models.complaints import Complaint, ComplaintImport
from tests.complaints.conftest import load_file

ROWS = [
    ("접수번호", "등록일", "민원제목", "민원내용", "담당부서", "처리결과", "행정동"),
    (
        "2026-0001",
        "2026.3.5.",
        "전동킥보드 방치",
        "인도에 킥보드가 쓰러져 있어요",
        "교통행정과",
        "수거했습니다.",
        "새빛동",
    ),
    ("2026-0002", "2026-03-06", "층간소음 중재", "윗집 소음이 심합니다", "주택과", "안내했습니다.", "한울동"),
    ("2026-0003", "20260307", "가로등 고장", "가로등이 꺼졌어요", "도로과", "", "누리동"),
]


def _csv(rows: list[tuple[str, ...]]) -> str:
    return "\n".join(",".join(r) for r in rows) + "\n"


def _counts(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return (
            s.scalar(select(func.count(Complaint.id))) or 0,
            s.scalar(select(func.count(ComplaintImport.id))) or 0,
        )


@pytest.mark.parametrize("encoding", ["cp949", "utf-8-sig"])
def test_csv_encodings_and_korean_headers(any_db, settings, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(ROWS).encode(encoding))
    report = load_file(any_db, settings, path)
    assert (report.imported, report.rejected) == (3, 0)
    assert report.columns["source_no"] == "접수번호" and report.columns["department"] == "담당부서"
    with any_db.session() as s:
        first = s.scalar(select(Complaint).where(Complaint.source_no == "2026-0001"))
        assert first is not None and first.title == "전동킥보드 방치" and first.dong == "새빛동"
        assert str(first.received_on) == "2026-03-05" and "킥보드" in first.body_tokens.split()


def test_xlsx_import_and_reimport_adds_nothing(any_db, settings, tmp_path: Path) -> None:
    wb = Workbook()
    for row in ROWS:
        wb.active.append(list(row))
    path = tmp_path / "export.xlsx"
    wb.save(path)
    assert load_file(any_db, settings, path).imported == 3
    again = load_file(any_db, settings, path)
    assert (again.imported, again.duplicates) == (0, 3)
    assert _counts(any_db)[0] == 3


def test_gzip_csv(any_db, settings, tmp_path: Path) -> None:
    path = tmp_path / "export.csv.gz"
    path.write_bytes(gzip.compress(_csv(ROWS).encode("utf-8")))
    assert load_file(any_db, settings, path).imported == 3


def test_bad_rows_go_to_reject_file_with_row_number_and_reason(any_db, settings, tmp_path: Path) -> None:
    rows = [
        *ROWS,
        ("2026-0004", "2026-02-30", "날짜 틀림", "내용", "도로과", "", ""),
        ("", "", "", "", "", "", "x"),
    ]
    path = tmp_path / "bad.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    report = load_file(any_db, settings, path)
    assert (report.imported, report.rejected) == (3, 2)
    text = report.reject_file.read_text(encoding="utf-8-sig")
    assert "5,접수일: 없는 날짜입니다 '2026-02-30'" in text and "6,제목과 내용이 모두 비어 있습니다" in text


def test_failure_after_rows_were_stored_writes_nothing(any_db, settings, tmp_path: Path) -> None:
    # An error after the rows went to the database (here: the progress callback, as on Ctrl-C)
    # must roll back the batch and every row, on both databases.
    path = tmp_path / "export.csv"
    path.write_text(_csv(ROWS), encoding="utf-8")

    def interrupt(done: int, total: int) -> None:
        if done:
            with any_db.engine.connect() as other:  # rows are flushed but invisible outside the transaction
                assert other.scalar(select(func.count(Complaint.id))) == 0
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_file(any_db, settings, path, progress=interrupt)
    assert _counts(any_db) == (0, 0)
    assert load_file(any_db, settings, path).imported == 3  # and a retry imports everything


def test_corrupt_xlsx_writes_nothing(any_db, settings, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook" * 10)
    with pytest.raises(ImportFileError, match="엑셀 파일을 열 수 없습니다"):
        load_file(any_db, settings, path)
    assert _counts(any_db) == (0, 0)


def test_binary_csv_writes_nothing(any_db, settings, tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ImportFileError, match="텍스트 파일이 아닙니다"):
        load_file(any_db, settings, path)
    assert _counts(any_db) == (0, 0)


def test_missing_columns_is_a_clear_error_and_writes_nothing(any_db, settings, tmp_path: Path) -> None:
    path = tmp_path / "nocols.csv"
    path.write_text("일련,금액,비고\n1,100,a\n", encoding="utf-8")
    with pytest.raises(ColumnError, match="제목이나 내용 열을 찾지 못했습니다. 파일의 열: 일련, 금액, 비고"):
        load_file(any_db, settings, path)
    assert _counts(any_db) == (0, 0)


def test_map_overrides_detection(any_db, settings, tmp_path: Path) -> None:
    path = tmp_path / "custom.csv"
    path.write_text("요지,부서코드\n킥보드 방치,교통행정과\n", encoding="utf-8")
    report = load_file(any_db, settings, path, overrides={"요지": "content", "부서코드": "department"})
    assert report.imported == 1 and report.columns == {"content": "요지", "department": "부서코드"}


def test_cli_import_errors_exit_nonzero_with_korean_message(backend_url, cli, tmp_path: Path) -> None:
    path = tmp_path / "nocols.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = cli("complaints", "import", str(path))
    assert result.exit_code != 0
    assert (
        "제목이나 내용 열을 찾지 못했습니다" in result.stderr
        and "아무것도 저장하지 않았습니다" in result.stderr
    )


def test_cli_import_with_map(backend_url, cli, tmp_path: Path) -> None:
    path = tmp_path / "custom.csv"
    path.write_bytes(io.BytesIO("요지\n가로등이 꺼졌어요\n".encode("cp949")).getvalue())
    result = cli("complaints", "import", str(path), "--map", "요지=내용")
    assert result.exit_code == 0, result.output
    assert "1건 가져옴" in result.output


def test_one_home_two_databases_never_share_a_cached_index(backend_url, tmp_path: Path) -> None:
    # Same GUAI_HOME (so the same index folder): first a SQLite pilot, then another database whose ids
    # also start at 1. The second must be ranked from its own complaints, not the pilot's cached index.
    from guai.complaints.service import rank_topic
    from guai.config import load_settings
    from guai.db.engine import Database

    lamps = [
        ROWS[0],
        *[
            (f"2026-01{i}", f"2026-03-0{i}", "가로등 고장", "가로등이 꺼졌어요", "도로과", "", "새빛동")
            for i in range(1, 4)
        ],
    ]
    other_url = backend_url or f"sqlite:///{tmp_path / 'other.db'}"
    totals = []
    for url, rows in ((f"sqlite:///{tmp_path / 'pilot.db'}", ROWS), (other_url, lamps)):
        settings = load_settings(home=tmp_path / "home", database_url=url)
        database = Database(settings)
        database.upgrade()
        path = tmp_path / "export.csv"
        path.write_text(_csv(rows), encoding="utf-8")
        load_file(database, settings, path)
        with database.session() as s:
            totals.append(rank_topic(s, "가로등", settings=settings).total)
        database.dispose()
    assert totals == [1, 3]


def test_repeated_source_number_gives_distinct_ids_in_rankings(any_db, settings, tmp_path: Path) -> None:
    # Real exports reuse a number for different complaints; outputs must still name each one uniquely.
    from guai.complaints.service import rank_topic

    rows = [
        ROWS[0],
        ("2026-0009", "2026-03-05", "가로등 고장", "가로등이 꺼졌어요", "도로과", "", "새빛동"),
        ("2026-0009", "2026-03-05", "가로등 고장", "골목 가로등이 깜빡여요", "도로과", "", "새빛동"),
    ]
    path = tmp_path / "export.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    assert load_file(any_db, settings, path).imported == 2
    with any_db.session() as s:
        ranking = rank_topic(s, "가로등", settings=settings)
    ranking.check()
    assert sorted(ranking.matched_ids) == ["2026-0009 (2행)", "2026-0009 (3행)"]
