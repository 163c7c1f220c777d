"""Without a model, recognised requests reach the colleagues' real services through the intent router."""

from __future__ import annotations

from pathlib import Path

import pytest

from guai.assistants.tools import available_tools
from tests.support.web import login, sse_events

COMPLAINTS = Path(__file__).resolve().parents[1] / "complaints" / "fixtures" / "topics_labelled.csv"
LAW_MD = """# 도로교통법

## 제50조(특정 운전자의 준수사항)
④ 자전거등의 운전자는 자전거도로 및 도로법에 따른 도로를 운전할 때에는 행정안전부령으로 정하는 인명보호 장구를 착용하여야 하며, 동승자에게도 이를 착용하도록 하여야 한다.

## 제32조(정차 및 주차의 금지)
모든 차의 운전자는 교차로·횡단보도·건널목이나 보도와 차도가 구분된 도로의 보도에서는 차를 정차하거나 주차하여서는 아니 된다.
"""


def _send(client, message):
    resp = client.post("/chat/send", data={"message": message}, headers={"X-CSRF-Token": client.csrf})
    return sse_events(resp.text)


@pytest.mark.slow
def test_intent_router_uses_real_tools(live_server, make_user):
    names = {t.name for t in available_tools()}
    if not {"law_search", "complaint_ranking", "summarize", "draft_document"} <= names:
        pytest.skip(f"colleague tools not all installed yet: {sorted(names)}")
    from guai.complaints.operations import import_file
    from guai.knowledge.collections import parse_visibility
    from guai.knowledge.ingest import ingest_bytes

    make_user("kim.staff")
    with live_server.db.session() as s:
        import_file(s, COMPLAINTS.read_bytes(), COMPLAINTS.name, actor="test", settings=live_server.settings)
    ingest_bytes(
        live_server.db,
        LAW_MD.encode(),
        "도로교통법.md",
        collection="법령",
        visibility=parse_visibility("staff"),
    )
    with login(live_server.url, "kim.staff") as c:
        ev = _send(c, "전동킥보드 민원 순위별로 정리해줘")
        tool = next(e for e in ev if e["type"] == "tool")
        assert tool["name"] == "complaint_ranking" and "전동킥보드" in tool["markdown"]
        ev = _send(c, "자전거 인명보호 장구 착용 법 조항 찾아줘")
        tool = next(e for e in ev if e["type"] == "tool")
        assert tool["name"] == "law_search" and "제50조" in tool["markdown"]
        long_text = (
            "가온구는 올해 불법 주정차 단속을 강화한다. 단속 인력을 두 배로 늘린다. 주민 신고 앱을 개선한다. "
            "어린이보호구역은 24시간 단속한다. 단속 결과는 매달 공개한다. "
        ) * 3
        ev = _send(c, f"다음 글을 요약해줘: {long_text}")
        tool = next(e for e in ev if e["type"] == "tool")
        assert tool["name"] == "summarize" and "요약" in tool["markdown"]
        ev = _send(c, "불법 주정차 단속 강화 계획서 초안 작성해줘")
        tool = next(e for e in ev if e["type"] == "tool")
        assert tool["name"] == "draft_document" and "계획" in tool["markdown"]
        assert ev[-1]["type"] == "done" and "<pre>" in ev[-1]["html"]
