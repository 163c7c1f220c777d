"""Ranking on the synthetic demo set: numbers add up, JSON shape, filters, masking, Excel and PNG."""

from __future__ import annotations

import io
import json
import re
from datetime import date

from openpyxl import load_workbook

from guai.complaints.reports import chart_png, workbook_bytes
from guai.complaints.service import rank_topic

GROUP_KEYS = {"rank", "label", "count", "share", "complaint_ids", "departments", "places", "trend"}


def _rank(demo, topic="전동킥보드", **kwargs):  # type: ignore[no-untyped-def]
    db, settings = demo
    with db.session() as s:
        return rank_topic(s, topic, settings=settings, **kwargs)


def _check_numbers_and_shape(ranking, topic: str = "전동킥보드") -> dict:  # type: ignore[no-untyped-def]
    ranking.check()
    data = json.loads(json.dumps(ranking.to_dict(), ensure_ascii=False))
    assert {"topic", "period", "total", "groups", "matched_ids"} <= set(data)
    assert data["topic"] == topic and data["total"] == len(data["matched_ids"]) == len(
        set(data["matched_ids"])
    )
    assert sum(g["count"] for g in data["groups"]) == data["total"]
    assert abs(sum(g["share"] for g in data["groups"]) - 1) < 0.01
    grouped: list[str] = []
    for g in data["groups"]:
        assert GROUP_KEYS <= set(g)
        assert len(g["complaint_ids"]) == g["count"] == sum(t["count"] for t in g["trend"])
        assert sum(d["count"] for d in g["departments"]) <= g["count"]
        grouped += g["complaint_ids"]
    assert sorted(grouped) == sorted(data["matched_ids"])
    ranks = [g["rank"] for g in data["groups"]]
    counts = [g["count"] for g in data["groups"] if g["label"] != "기타"]
    assert ranks == list(range(1, len(ranks) + 1)) and counts == sorted(counts, reverse=True)
    # Complaints are identified by the source system's number.
    assert all(re.fullmatch(r"(SE|1AA|SPP|TEL|VIS)-\d{4}-\d{6}", cid) for cid in data["matched_ids"])
    return data


def test_numbers_add_up_and_json_shape(demo) -> None:
    data = _check_numbers_and_shape(_rank(demo))
    assert data["total"] > 100


def test_numbers_add_up_on_sqlite_and_postgresql(sample_any) -> None:
    whole = _check_numbers_and_shape(_rank(sample_any))
    assert whole["total"] >= 40 and len(whole["groups"]) >= 3
    assert whole["period"] == {"from": "2025-11-01", "to": "2026-10-31", "label": "자료의 최근 12개월"}
    spring = _check_numbers_and_shape(
        _rank(sample_any, date_from=date(2026, 3, 1), date_to=date(2026, 5, 31))
    )
    assert 0 < spring["total"] < whole["total"]
    assert [t["month"] for t in spring["groups"][0]["trend"]] == ["2026-03", "2026-04", "2026-05"]
    # The filters give the same answer whichever database holds the complaints.
    dong = _check_numbers_and_shape(_rank(sample_any, dong="새빛동", department="교통행정과"))
    assert 0 < dong["total"] < whole["total"]


def test_default_period_is_latest_twelve_months_with_previous_period(demo) -> None:
    ranking = _rank(demo)
    assert (ranking.period.start, ranking.period.end) == (date(2025, 11, 1), date(2026, 10, 31))
    assert ranking.previous is not None and ranking.previous.start == date(2024, 11, 1)
    assert ranking.previous_total is not None and ranking.total > ranking.previous_total  # kickboards grow
    assert len(ranking.months) == 12


def test_sub_issues_have_readable_labels_examples_and_reply_gists(demo) -> None:
    ranking = _rank(demo)
    labels = " ".join(g.label for g in ranking.groups)
    for word in ("방치", "과속", "무면허", "헬멧", "수거", "사고"):
        assert word in labels
    top = ranking.groups[0]
    assert len(top.examples) == 2 and all(e.id for e in top.examples)
    assert top.reply_gist and "감사" not in top.reply_gist
    assert top.departments[0].name == "교통행정과" and top.places


def test_filters_restrict_the_set(demo) -> None:
    everything = _rank(demo)
    one_dong = _rank(demo, dong="새빛동")
    spring = _rank(demo, date_from=date(2026, 3, 1), date_to=date(2026, 5, 31))
    assert 0 < one_dong.total < everything.total
    assert all(p.name == "새빛동" for g in one_dong.groups for p in g.places)
    assert spring.months == ["2026-03", "2026-04", "2026-05"] and 0 < spring.total < everything.total


def test_representative_complaints_are_masked(demo) -> None:
    ranking = _rank(demo, "전동킥보드")
    text = json.dumps(ranking.to_dict(), ensure_ascii=False) + ranking.to_markdown()
    assert not re.search(r"010-\d{4}-\d{4}", text)
    listing = " ".join(str(r["title"]) for r in ranking.listing())
    assert not re.search(r"010-\d{4}-\d{4}", listing)


def test_markdown_has_table_and_add_up_line(demo) -> None:
    md = _rank(demo).to_markdown()
    assert "| 순위 | 유형 | 건수 | 비율 |" in md and "= 전체" in md and "대표 민원 [" in md


def test_excel_opens_with_openpyxl(demo) -> None:
    ranking = _rank(demo)
    wb = load_workbook(io.BytesIO(workbook_bytes(ranking, ranking.listing())))
    assert wb.sheetnames == ["순위", "월별 추이", "대표 민원", "민원 목록", "조건"]
    sheet = wb["순위"]
    assert [c.value for c in sheet[1]][:4] == ["순위", "유형", "건수", "비율"]
    assert sheet.cell(row=2, column=4).number_format == "0.0%"
    assert sheet.cell(row=len(ranking.groups) + 2, column=3).value == ranking.total
    assert wb["민원 목록"].max_row == ranking.total + 1


def test_chart_png_is_produced(demo) -> None:
    png = chart_png(_rank(demo))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000


def test_warm_rank_reuses_the_index_and_gives_the_same_answer(demo) -> None:
    # Query latency is measured by bench/bench_complaints.py; here: a warm query equals a cold one.
    first = _rank(demo, "불법 주정차").to_dict()
    second = _rank(demo, "불법 주정차").to_dict()
    first.pop("generated_at"), second.pop("generated_at")  # the clock may tick between the two
    assert first == second and first["total"] > 0
