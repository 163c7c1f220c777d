"""The evaluation: question set integrity, metrics, and `guai eval search` side by side with the baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guai.knowledge import eval as ev
from tests.conftest import SHARED_DATA
from tests.knowledge.conftest import ROAD_LAW


def test_question_set_is_large_and_varied() -> None:
    qs = ev.load_questions()
    assert len(qs) >= 80
    laws = {ev.parse_expected(f"{t} {k}")[0] for q in qs for t, k in q.expected}
    families = {t.replace(" 시행령", "").replace(" 시행규칙", "") for t in laws}
    assert len(families) >= 30
    assert any(t.endswith("시행령") for t in laws) and any(t.endswith("시행규칙") for t in laws)
    assert len({q.question for q in qs}) == len(qs)


def test_validation_sets_are_separate_and_varied() -> None:
    assert [label for label, _ in ev.QUESTION_SETS] == [
        "조정용",
        "검증1(조정에 참고)",
        "검증2(독립·구어체)",
        "검증3(독립·블라인드)",
    ]
    seen: set[str] = set()
    for _label, path in ev.QUESTION_SETS:
        qs = ev.load_questions(path)
        assert len(qs) >= 40
        laws = {t for q in qs for t, _ in q.expected}
        assert len({t.replace(" 시행령", "").replace(" 시행규칙", "") for t in laws}) >= 25
        assert any(t.endswith("시행령") for t in laws) and any(t.endswith("시행규칙") for t in laws)
        questions = {q.question for q in qs}
        assert len(questions) == len(qs) and not questions & seen
        seen |= questions


@pytest.mark.parametrize("path", [p for _, p in ev.QUESTION_SETS], ids=["tuning", "v1", "v2", "v3"])
def test_every_answer_exists_in_the_shared_laws(path: Path) -> None:
    if not (SHARED_DATA / "laws").is_dir():
        pytest.skip("../shared/data/laws is not available")
    have: set[tuple[str, str]] = set()
    from guai.knowledge.lawtext import split_front_matter

    keys = {(t, k) for q in ev.load_questions(path) for t, k in q.expected}
    titles = {t for t, _ in keys}
    for path in (SHARED_DATA / "laws").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        title = str(split_front_matter(text)[0].get("제목", ""))
        if title in titles:
            for line in text.splitlines():
                if line.startswith("##### 제"):
                    have.add((title, line[6:].split(" ")[0]))
    assert sorted(keys - have) == []


def test_metrics_and_ranks() -> None:
    r = ev.SystemResult("x", ranks=[1, 3, None, 6])
    assert r.hit_at(1) == 0.25 and r.hit_at(5) == 0.5 and r.mrr == pytest.approx((1 + 1 / 3 + 1 / 6) / 4)
    assert ev.parse_expected("도로교통법 시행규칙 제32조의2") == ("도로교통법 시행규칙", "제32조의2")
    with pytest.raises(ValueError):
        ev.parse_expected("도로교통법")


def test_eval_command_compares_with_whitespace_baseline(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    laws = tmp_path / "laws" / "도로교통법"
    laws.mkdir(parents=True)
    (laws / "법률.md").write_bytes(ROAD_LAW.read_bytes())
    questions = tmp_path / "q.jsonl"
    rows = [
        ("킥보드 헬멧 안 쓰면 벌금 내나요?", ["도로교통법 제50조", "도로교통법 제156조"]),
        ("술 마시고 운전하면 어떤 처벌을 받나요", ["도로교통법 제148조의2", "도로교통법 제44조"]),
        ("어린이 보호구역은 누가 지정하나요", ["도로교통법 제12조"]),
        ("운전면허증 갱신 기간을 놓치면 과태료가 있나요", ["도로교통법 제160조", "도로교통법 제87조"]),
        ("주차장 요금 감면", ["주차장법 제9조"]),
    ]  # a law not in this folder: the question is left out
    questions.write_text(
        "\n".join(json.dumps({"question": q, "answers": a}, ensure_ascii=False) for q, a in rows),
        encoding="utf-8",
    )
    out = cli(
        "eval", "search", "--laws", str(tmp_path / "laws"), "--questions", str(questions), "--format", "json"
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["questions"] == 4
    guai, _bare, plain, baseline = data["systems"]
    assert "rank-bm25" in baseline["name"]
    assert guai["hit@5"] == 1.0 and guai["hit@5"] > baseline["hit@5"]
    assert 0 <= baseline["mrr"] <= guai["mrr"] <= 1
    table = cli("eval", "search", "--laws", str(tmp_path / "laws"), "--questions", str(questions))
    assert "hit@5" in table.output and "기준선" in table.output
    both = json.loads(
        cli(
            "eval",
            "search",
            "--laws",
            str(tmp_path / "laws"),
            "--questions",
            str(questions),
            "--questions",
            str(questions),
            "--format",
            "json",
        ).output
    )
    assert [s["questions"] for s in both["sets"]] == [4, 4]
    assert [x["mrr"] for x in both["sets"][1]["systems"]] == [x["mrr"] for x in data["systems"]]
    missing = cli("eval", "search", "--laws", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "법령 폴더가 없습니다" in missing.stderr
