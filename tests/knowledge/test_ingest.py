"""Ingest of HWPX, DOCX, PDF, TXT and MD files the tests build; bad files are reported and the rest goes on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from guai.db.models.knowledge import KnowledgeChunk, KnowledgeCollection, KnowledgeDocument
from guai.knowledge.collections import parse_visibility
from guai.knowledge.ingest import ingest_bytes, ingest_paths
from guai.knowledge.search import search
from tests.knowledge.conftest import docx_bytes, hwpx_bytes, korean_pdf

ORDINANCE = [
    "가온구 자전거 보관소 조례",
    "제1조(목적) 이 조례는 자전거 보관소의 설치와 운영을 정한다.",
    "제2조(이용 시간) ① 자전거 보관소는 매일 오전 6시부터 오후 11시까지 이용할 수 있다.",
    "② 장기 방치 자전거는 14일 동안 공고한 뒤 수거한다.",
    "부칙",
    "이 조례는 공포한 날부터 시행한다.",
]


def _chunks(db, title: str) -> list[KnowledgeChunk]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return list(
            s.scalars(
                select(KnowledgeChunk)
                .where(KnowledgeChunk.doc_title == title)
                .order_by(KnowledgeChunk.ordinal)
            )
        )


def test_hwpx_docx_pdf_ingest_with_citations(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    folder.mkdir()
    hwpx_bytes(ORDINANCE, folder / "bike.hwpx")
    (folder / "guide.docx").write_bytes(
        docx_bytes(
            "가온구 민원 응대 지침",
            [
                ("1. 전화 응대", ["전화는 세 번 울리기 전에 받고 소속과 이름을 먼저 밝힌다."]),
                ("2. 방문 응대", ["방문 민원인에게는 대기 번호표를 안내하고 10분 안에 상담을 시작한다."]),
            ],
        )
    )
    (folder / "plan.pdf").write_bytes(
        korean_pdf(
            [
                ["가온구 하천 정비 계획", "1. 배경: 장마철 하천 범람 위험이 커졌다."],
                ["2. 추진 내용: 제방 보강과 배수 펌프장 증설을 2027년까지 마친다."],
            ]
        )
    )
    report = ingest_paths(db, [folder], collection="테스트", visibility=parse_visibility("staff"), actor="t")
    assert [r.status for r in report.results] == ["added", "added", "added"], report.results

    bike = _chunks(db, "가온구 자전거 보관소 조례")
    assert [c.citation for c in bike] == [
        "가온구 자전거 보관소 조례 제1조",
        "가온구 자전거 보관소 조례 제2조",
        "가온구 자전거 보관소 조례 부칙",
    ]
    assert bike[1].title == "이용 시간" and "② 장기 방치 자전거" in bike[1].text

    guide = _chunks(db, "가온구 민원 응대 지침")
    assert [c.citation for c in guide] == [
        "가온구 민원 응대 지침 1. 전화 응대",
        "가온구 민원 응대 지침 2. 방문 응대",
    ]

    plan = _chunks(db, "가온구 하천 정비 계획")
    assert plan and plan[0].location == "1~2쪽" and "배수 펌프장" in plan[0].text

    hits = search(db, "방치 자전거 수거", top=3)
    assert hits[0].citation == "가온구 자전거 보관소 조례 제2조"
    assert "<mark>" in hits[0].snippet_html


def test_bad_files_are_reported_by_name_and_the_rest_goes_on(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (folder / "secret.pdf").write_bytes(korean_pdf([["비밀 문서"]], encrypt="pw"))
    (folder / "broken.hwpx").write_bytes(b"PK\x03\x04 not a zip at all")
    (folder / "broken.docx").write_bytes(b"not a word file")
    (folder / "old.hwp").write_bytes(b"\x00\x01 not an hwp file" * 20)
    (folder / "table.xlsx").write_bytes(b"whatever")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "ok.txt").write_text(
        "가온구 청사 주차장은 평일 오전 9시부터 오후 6시까지 무료입니다.", encoding="utf-8"
    )
    report = ingest_paths(db, [folder], collection="섞음", actor="t")
    by_name = {Path(r.name).name: r for r in report.results}
    assert by_name["ok.txt"].status == "added"
    assert by_name["table.xlsx"].status == "skipped" and "지원하지 않는 형식" in by_name["table.xlsx"].reason
    assert "암호" in by_name["secret.pdf"].reason
    for name in ("broken.pdf", "broken.hwpx", "broken.docx", "old.hwp"):
        assert by_name[name].status == "failed", name
        assert "손상" in by_name[name].reason or "올바른" in by_name[name].reason, by_name[name].reason
    assert by_name["empty.txt"].status == "failed" and "빈 파일" in by_name["empty.txt"].reason
    assert search(db, "청사 주차장 무료", top=1)[0].doc_title.startswith("가온구 청사 주차장")


def test_dedupe_replace_on_change_and_remove(db, write, cli) -> None:  # type: ignore[no-untyped-def]
    path = write("notice.md", "# 가온구 공지\n\n## 휴관\n\n도서관은 매주 월요일 쉽니다.\n")
    first = ingest_paths(db, [path], collection="공지", actor="t")
    again = ingest_paths(db, [path], collection="공지", actor="t")
    assert first.results[0].status == "added" and again.results[0].status == "unchanged"
    copy = write("copy.md", path.read_bytes())
    assert ingest_paths(db, [copy], collection="공지", actor="t").results[0].status == "duplicate"
    with db.session() as s:
        gen_before = s.scalar(
            select(KnowledgeCollection.generation).where(KnowledgeCollection.name == "공지")
        )
    assert search(db, "도서관 휴관 요일", top=1)[0].text.endswith("월요일 쉽니다.")
    path.write_text("# 가온구 공지\n\n## 휴관\n\n도서관은 매주 화요일 쉽니다.\n", encoding="utf-8")
    changed = ingest_paths(db, [path], collection="공지", actor="t")
    assert changed.results[0].status == "replaced"
    with db.session() as s:
        docs = s.scalar(select(func.count()).select_from(KnowledgeDocument))
        chunks = list(s.scalars(select(KnowledgeChunk.text)))
        gen_after = s.scalar(select(KnowledgeCollection.generation).where(KnowledgeCollection.name == "공지"))
    assert docs == 1 and gen_after > gen_before
    assert any("화요일" in t for t in chunks) and not any("월요일" in t for t in chunks)
    assert search(db, "도서관 휴관 요일", top=1)[0].text.endswith("화요일 쉽니다.")

    listed = cli("collections", "list")
    assert listed.exit_code == 0 and "공지" in listed.output
    removed = cli("collections", "remove", "공지", "--yes")
    assert removed.exit_code == 0, removed.output
    assert search(db, "도서관 휴관 요일") == []
    missing = cli("collections", "remove", "공지", "--yes")
    assert missing.exit_code != 0 and "없습니다" in missing.stderr


def test_cli_ingest_progress_and_errors(db, write, cli) -> None:  # type: ignore[no-untyped-def]
    good = write(
        "a/rule.txt",
        "제1조(목적) 이 규칙은 회의실 예약을 정한다.\n제2조(예약) 회의실은 하루 전까지 예약한다.",
    )
    write("a/bad.docx", b"nope")
    result = cli("ingest", str(good.parent), "--collection", "규칙", "--visibility", "staff")
    assert result.exit_code == 0, result.output
    assert "bad.docx" in result.output and "손상" in result.output and "추가 1" in result.output
    bad_vis = cli("ingest", str(good), "--collection", "규칙", "--visibility", "everyone")
    assert bad_vis.exit_code == 2 and "공개 범위" in bad_vis.stderr
    no_dept = cli("ingest", str(good), "--collection", "새것", "--visibility", "department:없는과")
    assert no_dept.exit_code == 2 and "없는과" in no_dept.stderr
    nothing = cli("ingest", str(good.parent / "missing.txt"), "--collection", "규칙")
    assert nothing.exit_code == 2


def test_upload_bytes_goes_through_same_pipeline(db) -> None:  # type: ignore[no-untyped-def]
    report = ingest_bytes(
        db,
        "제1조(목적) 이 지침은 드론 촬영 허가를 정한다.\n제2조(신청) 촬영 7일 전까지 신청한다.".encode(),
        "드론 지침.txt",
        collection="업로드",
        actor="t",
    )
    assert report.results[0].status == "added" and report.results[0].chunks == 2
    bad = ingest_bytes(db, b"\x00\x00binary", "x.txt", collection="업로드", actor="t")
    assert bad.results[0].status == "failed" and "텍스트 파일이 아닙니다" in bad.results[0].reason
