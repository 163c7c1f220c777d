"""Ingest of a real HWP 5.0 binary document (tests/knowledge/fixtures/hwplib_source.hwp, see the README there).

Every other HWP test builds its file; this one proves the whole path with a file 한글 itself saved: extraction,
`guai ingest` + `guai search` through the CLI, a truncated copy, and HWP/HWPX files with the wrong extension.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select

from guai.db.models.knowledge import KnowledgeChunk, KnowledgeDocument
from guai.knowledge.extract import ExtractError, extract_bytes
from guai.knowledge.ingest import ingest_bytes, ingest_paths
from tests.knowledge.conftest import hwpx_bytes

FIXTURE = Path(__file__).parent / "fixtures" / "hwplib_source.hwp"
BODY = "이것은 원본 HWP 파일의 내용입니다."


@pytest.fixture(scope="module")
def hwp_data() -> bytes:
    data = FIXTURE.read_bytes()
    # Guard the fixture itself: an OLE compound file whose FileHeader says HWP 5.0.
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and b"HWP Document File" in data
    return data


def test_extracts_the_real_korean_text(hwp_data: bytes) -> None:
    extracted = extract_bytes(hwp_data, FIXTURE.name)
    lines = [b.text for b in extracted.blocks]
    assert extracted.kind == "hwp"
    assert extracted.title == "첫 문단..."
    assert lines[:2] == ["첫 문단...", BODY]
    assert "| ABC | 123 |" in lines  # the document's one table row


def test_cli_ingest_then_search_finds_it(db, cli, hwp_data: bytes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / FIXTURE.name
    path.write_bytes(hwp_data)
    result = cli("ingest", str(path), "--collection", "한글문서", "--visibility", "staff")
    assert result.exit_code == 0, result.output
    assert "추가 1" in result.output

    found = cli("search", "원본 파일 내용", "--collection", "한글문서", "--format", "json")
    assert found.exit_code == 0, found.output
    hits = json.loads(found.output)
    assert hits, found.output
    assert Path(hits[0]["source"]).name == FIXTURE.name
    assert hits[0]["collection"] == "한글문서"
    assert BODY in hits[0]["text"]

    # Ingesting the same file again is recognised, not stored twice.
    again = cli("ingest", str(path), "--collection", "한글문서")
    assert again.exit_code == 0 and "변경 없음 1" in again.output, again.output


def test_upload_of_the_file_goes_through_the_same_pipeline(db, hwp_data: bytes) -> None:  # type: ignore[no-untyped-def]
    report = ingest_bytes(db, hwp_data, "업로드.hwp", collection="업로드", actor="t")
    assert report.results[0].status == "added", report.results[0].reason
    with db.session() as s:
        texts = list(s.scalars(select(KnowledgeChunk.text)))
    assert any(BODY in t for t in texts)


def test_truncated_copy_is_reported_by_name_and_the_folder_goes_on(
    db, cli, hwp_data: bytes, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "받은문서"
    folder.mkdir()
    (folder / "잘린문서.hwp").write_bytes(hwp_data[: len(hwp_data) // 2])
    shutil.copy(FIXTURE, folder / FIXTURE.name)
    (folder / "메모.txt").write_text("가온구 청사 민원실은 토요일에 문을 닫습니다.", encoding="utf-8")

    result = cli("ingest", str(folder), "--collection", "받은문서")
    assert result.exit_code == 0, result.output
    assert "잘린문서.hwp" in result.output and "잘린 한글 문서" in result.output
    assert "추가 2" in result.output and "실패 1" in result.output

    with db.session() as s:
        names = sorted(Path(n).name for n in s.scalars(select(KnowledgeDocument.filename)))
    assert names == [FIXTURE.name, "메모.txt"]  # nothing of the broken file was stored

    hits = json.loads(cli("search", "원본 파일", "--collection", "받은문서", "--format", "json").output)
    assert hits and Path(hits[0]["source"]).name == FIXTURE.name


@pytest.mark.parametrize("keep", [512, 0.5, -1000])
def test_any_truncation_gives_the_corrupt_reason_not_an_empty_document(hwp_data: bytes, keep: float) -> None:
    # Before the container check, olefile filled missing sectors silently and the user was told the file
    # had no text, "maybe a scanned PDF".
    cut = int(len(hwp_data) * keep) if isinstance(keep, float) else keep
    with pytest.raises(ExtractError, match="중간에 잘린 한글 문서"):
        extract_bytes(hwp_data[:cut], "잘린문서.hwp")


def test_ole_file_that_is_not_hwp(hwp_data: bytes) -> None:
    at = hwp_data.index(b"HWP Document File")
    damaged = hwp_data[:at] + b"XYZ" + hwp_data[at + 3 :]
    with pytest.raises(ExtractError, match="올바른 한글 문서가 아닙니다.*파일 머리"):
        extract_bytes(damaged, "머리없음.hwp")


def test_wrong_extensions_get_the_rename_advice(db, hwp_data: bytes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "확장자"
    folder.mkdir()
    (folder / "바이너리.hwpx").write_bytes(hwp_data)  # HWP 5.0 saved under .hwpx
    # Built as .hwpx, then renamed: python-hwpx writes a binary HWP when the target name ends in .hwp.
    hwpx = hwpx_bytes(
        ["가온구 공원 조례", "제1조(목적) 이 조례는 공원 관리를 정한다."], tmp_path / "공원.hwpx"
    )
    assert hwpx.read_bytes()[:4] == b"PK\x03\x04"
    shutil.copy(hwpx, folder / "사실은HWPX.hwp")
    (folder / "쓰레기.hwp").write_bytes(b"\x00\x01 not an hwp file" * 20)
    (folder / "메모.txt").write_text("가온구 청사 민원실은 토요일에 문을 닫습니다.", encoding="utf-8")

    report = ingest_paths(db, [folder], collection="확장자", actor="t")
    by_name = {Path(r.name).name: r for r in report.results}
    assert by_name["메모.txt"].status == "added"
    assert by_name["바이너리.hwpx"].status == "failed"
    assert (
        "실제로는 HWP 5.0" in by_name["바이너리.hwpx"].reason and ".hwp 로" in by_name["바이너리.hwpx"].reason
    )
    assert by_name["사실은HWPX.hwp"].status == "failed"
    assert "실제로는 HWPX" in by_name["사실은HWPX.hwp"].reason
    garbage = by_name["쓰레기.hwp"]
    assert garbage.status == "failed" and "올바른 한글 문서가 아닙니다" in garbage.reason
    assert tempfile.gettempdir() not in garbage.reason  # no private temporary path in what users read
