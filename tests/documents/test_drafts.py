"""Drafts: each type's structure, 공문서 format, and zero findings from the proofreader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guai.documents import DocumentError
from guai.documents.drafting import draft, get_template, templates
from guai.documents.proofread import proofread


def _example_fields(kind: str) -> dict[str, str]:
    return {f.name: f.example for f in get_template(kind).fields if f.example}


@pytest.mark.parametrize("kind", ["보고서", "계획서", "보도자료", "공문"])
def test_every_draft_type_has_zero_findings(kind: str) -> None:
    doc = draft(kind, _example_fields(kind), facts=["최근 3개월 관련 민원은 412건입니다."], complete=True)
    assert doc.method == "서식"
    assert proofread(doc.text) == []
    assert doc.findings == []


def test_report_structure_is_gaejosik_with_item_order() -> None:
    doc = draft("보고서", _example_fields("보고서"), complete=True)
    heads = re.findall(r"^(\d)\. (.+)$", doc.text, re.M)
    assert heads == [
        ("1", "추진 배경"),
        ("2", "현황"),
        ("3", "추진 계획"),
        ("4", "기대 효과"),
        ("5", "행정사항"),
    ]
    assert "  가. 보도 위 전동킥보드 방치 민원 증가" in doc.text
    assert "    1) 기간: 2025. 4. 1.~4. 30." in doc.text
    assert "2025. 3. 10." in doc.text  # date input 2025-03-10 written in 공문서 form


def test_plan_formats_money_and_dates() -> None:
    doc = draft("계획서", _example_fields("계획서"), complete=True)
    assert "금15,000,000원(금일천오백만원)" in doc.text
    assert "10:00~17:00" in doc.text


def test_press_release_parts() -> None:
    doc = draft("보도자료", _example_fields("보도자료"), complete=True)
    lines = doc.text.splitlines()
    assert lines[0] == "보 도 자 료" and lines[1] == "배포일: 2025. 3. 10."
    assert "- 보행 불편 민원 많은 역세권부터 설치" in lines
    assert (
        "ㅤ" not in doc.text
        and '가온구청장은 "걷기 편한 거리를 만드는 것이 구민 안전의 첫걸음입니다"라고 말했다.' in doc.text
    )
    assert lines[-1] == "※ 문의: 교통행정과 (02-2600-1234)"


def test_official_letter_with_and_without_attachments() -> None:
    doc = draft("공문", _example_fields("공문"), complete=True)
    assert doc.text.startswith("수신  수신자 참조\n제목  전동킥보드 주차 질서 확립 협조 요청\n")
    assert "붙임  1. 정비 계획서 1부.\n      2. 협조 대상 명단 1부.  끝." in doc.text
    fields = _example_fields("공문")
    fields["붙임"] = ""
    doc = draft("공문", fields, complete=True)
    assert re.search(r"^  나\. 협조 내용: 주차구역 안내문 게시  끝\.$", doc.text, re.M)
    assert proofread(doc.text) == []


def test_user_jargon_is_corrected_and_reported() -> None:
    doc = draft(
        "공문",
        {"수신": "각 동장", "제목": "점검 요청", "본문": "상기 시설의 시건장치를 익일까지 점검 바랍니다."},
        complete=True,
    )
    assert "위 시설의 잠금장치를 다음 날까지 점검 바랍니다." in doc.text
    assert {f.rule for f in doc.corrections} == {"PLAIN-WORDS"}
    assert proofread(doc.text) == []


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(DocumentError, match="필수 항목"):
        draft("공문", {"수신": "각 동장"}, complete=True)
    with pytest.raises(DocumentError, match="날짜"):
        draft("보도자료", {**_example_fields("보도자료"), "배포일": "다음주"}, complete=True)
    with pytest.raises(DocumentError, match="금액"):
        draft("계획서", {**_example_fields("계획서"), "예산": "많이"}, complete=True)
    with pytest.raises(DocumentError, match="서식에 없는 항목"):
        draft("공문", {"없는항목": "x"})
    with pytest.raises(DocumentError, match="서식이 없습니다"):
        draft("회의록", {})


def test_lenient_mode_marks_blanks_and_takes_free_content() -> None:
    doc = draft("보고서", {"제목": "킥보드 정비", "내용": "민원이 늘었다. 견인 요청이 많다."})
    assert "○○" in doc.text and any("○○" in n for n in doc.notes)
    assert "  가. 민원이 늘었음" in doc.text
    assert proofread(doc.text) == []


def test_administrator_can_change_and_add_templates(tmp_path: Path) -> None:
    folder = tmp_path / "guai-home" / "documents" / "templates"
    folder.mkdir(parents=True)
    (folder / "회의록.yaml").write_text(
        "kind: 회의록\ndescription: 회의 결과\nfields:\n  - {name: 제목, label: 제목, required: true}\n"
        "  - {name: 결과, label: 결과, type: lines}\nbody: |\n  {{ 제목 }}\n\n  {{ items(fields['결과'], 0) }}\n",
        encoding="utf-8",
    )
    assert "회의록" in templates()
    doc = draft("회의록", {"제목": "주간 회의", "결과": "안건 확정\n예산 검토"}, complete=True)
    assert doc.text == "주간 회의\n\n1. 안건 확정\n2. 예산 검토\n"
    (folder / "broken.yaml").write_text(
        "kind: x\nfields: [{name: a, type: picture}]\nbody: ''\n", encoding="utf-8"
    )
    with pytest.raises(DocumentError, match="알 수 없는 항목 종류"):
        templates()
