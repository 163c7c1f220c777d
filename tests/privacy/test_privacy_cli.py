"""`guai mask` through the real Typer app (typer.testing.CliRunner on guai.cli.app)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from guai.cli import app

TEXT = "민원인 김철수 씨(010-1234-5678, kim@example.com)가 왕십리로 123-4 앞 불법 주차를 신고했습니다."

runner = CliRunner()


def test_text_output_masks_and_summarises_on_stderr() -> None:
    result = runner.invoke(app, ["mask", TEXT])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "민원인 [이름1] 씨([전화1], [이메일1])가 [주소1] 앞 불법 주차를 신고했습니다.\n"
    assert "전화 1건, 이메일 1건, 주소 1건, 이름 1건" in result.stderr
    assert "010-1234-5678" not in result.output


def test_json_output_has_spans_but_no_values() -> None:
    result = runner.invoke(app, ["mask", TEXT, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["text"].startswith("민원인 [이름1] 씨([전화1]")
    assert [(s["type"], s["placeholder"]) for s in data["spans"]] == [
        ("이름", "[이름1]"),
        ("전화번호", "[전화1]"),
        ("이메일", "[이메일1]"),
        ("주소", "[주소1]"),
    ]
    phone = data["spans"][1]
    assert TEXT[phone["start"] : phone["end"]] == "010-1234-5678"
    assert "010-1234-5678" not in result.stdout and "mapping" not in data
    assert data["counts"] == {"전화번호": 1, "이메일": 1, "주소": 1, "이름": 1}


def test_show_values_reveals_originals_on_request() -> None:
    data = json.loads(runner.invoke(app, ["mask", TEXT, "-f", "json", "--show-values"]).stdout)
    assert data["spans"][1]["value"] == "010-1234-5678"
    assert data["mapping"]["[이름1]"] == "김철수"
    text_mode = runner.invoke(app, ["mask", TEXT, "--show-values"])
    assert "[전화1]\t전화번호\t010-1234-5678" in text_mode.stderr
    assert "010-1234-5678" not in text_mode.stdout


def test_reads_stdin_with_dash_and_keeps_lines() -> None:
    result = runner.invoke(
        app, ["mask", "-", "--plain"], input="첫째 줄 010-1111-2222\n둘째 줄 성명: 최지우\n"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "첫째 줄 [전화]\n둘째 줄 성명: [이름]\n"


def test_types_and_phone_policy_options() -> None:
    text = "교통행정과 02-2286-5114, 민원인 010-2222-3333, 콜센터 1588-1234, 홍길동 님"
    result = runner.invoke(app, ["mask", text, "--types", "전화", "--public-phone", "02-2286-"])
    assert result.stdout.strip() == "교통행정과 02-2286-5114, 민원인 [전화1], 콜센터 1588-1234, 홍길동 님"
    strict = runner.invoke(app, ["mask", text, "-t", "phone", "--mask-business-numbers"])
    assert strict.stdout.strip() == "교통행정과 [전화1], 민원인 [전화2], 콜센터 [전화3], 홍길동 님"


def test_unknown_type_is_a_clear_error() -> None:
    result = runner.invoke(app, ["mask", TEXT, "--types", "여권번호"])
    assert result.exit_code == 2
    assert "알 수 없는 개인정보 유형" in result.stderr


def test_clean_text_passes_through() -> None:
    result = runner.invoke(app, ["mask", "2025. 3. 10. 14:00 회의", "-f", "json"])
    assert json.loads(result.stdout) == {
        "text": "2025. 3. 10. 14:00 회의",
        "spans": [],
        "counts": {},
        "summary": "없음",
    }
