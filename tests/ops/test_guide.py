"""활용 가이드: guide content, first-login tour shown once, best practices submit/vote/feature with audit."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from guai.db.models.audit import AuditEntry
from guai.db.models.ops import BestPractice
from guai.ops.guide_content import DEPARTMENT_PROMPTS, FEATURES
from guai.web.app import create_app
from tests.ops.webutil import csrf, login


@pytest.fixture
def app(db, settings, make_user):  # type: ignore[no-untyped-def]
    make_user("kim.staff", "교통행정과")
    make_user("park.welfare", "복지정책과")
    make_user("admin", "총무과", "시스템관리자")
    return create_app(settings)


def test_guide_page_has_examples_for_every_feature_and_department(app) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        login(c, "kim.staff")
        home = c.get("/").text
        assert 'href="/guide"' in home and "활용 가이드" in home
        page = c.get("/guide").text
        for f in FEATURES:
            assert f.goal in page and f.prompt in page
        for kind in ("민원", "복지", "건축", "홍보", "총무"):
            assert f"{kind} 업무" in page
        only = c.get("/guide", params={"kind": "건축"}).text
        assert "건축 업무" in only and "복지 업무" not in only
        assert DEPARTMENT_PROMPTS["건축"][0] in only


def test_first_login_tour_shown_once(app) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        login(c, "kim.staff")
        assert 'id="guai-tour"' in c.get("/").text
        assert 'id="guai-tour"' not in c.get("/guide").text  # only on the home page
        token = csrf(c)
        assert c.post("/guide/tour/done").status_code == 403  # CSRF required
        assert c.post("/guide/tour/done", headers={"X-CSRF-Token": token}).status_code == 204
        assert 'id="guai-tour"' not in c.get("/").text
        c.post("/guide/tour/restart", data={"csrf_token": token})
        assert 'id="guai-tour"' in c.get("/").text
    with TestClient(app) as other:
        login(other, "park.welfare")
        assert 'id="guai-tour"' in other.get("/").text  # per user


def _audit_actions(app) -> list[str]:  # type: ignore[no-untyped-def]
    with app.state.db.session() as s:
        return list(
            s.execute(
                sa.select(AuditEntry.action)
                .where(AuditEntry.action.like("practice.%"))
                .order_by(AuditEntry.id)
            ).scalars()
        )


def test_submit_vote_and_feature_best_practices(app) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app) as kim, TestClient(app) as park, TestClient(app) as admin:
        login(kim, "kim.staff")
        login(park, "park.welfare")
        login(admin, "admin")
        token = csrf(kim)
        bad = kim.post(
            "/guide/practices",
            data={
                "csrf_token": token,
                "title": "짧",
                "area": "대화",
                "dept_kind": "민원",
                "prompt": "x",
                "outcome": "y",
            },
        )
        assert "제목은 4~120자" in bad.text
        for title, kind in (("민원 답변 초안 10분 만에", "민원"), ("복지 안내문 쉬운 말로", "복지")):
            resp = kim.post(
                "/guide/practices",
                data={
                    "csrf_token": token,
                    "title": title,
                    "area": "문서 작성",
                    "dept_kind": kind,
                    "prompt": "이 민원에 대한 답변을 공손하고 쉬운 말로 써 줘.",
                    "outcome": "답변 작성 1시간 → 10분",
                },
            )
            assert "우수사례를 올렸습니다" in resp.text
        with app.state.db.session() as s:
            first, second = s.execute(sa.select(BestPractice.id).order_by(BestPractice.id)).scalars().all()
        # Authors cannot vote for themselves; others vote once, and can take it back.
        assert (
            "자신이 올린 사례" in kim.post(f"/guide/practices/{first}/vote", data={"csrf_token": token}).text
        )
        ptoken = csrf(park)
        park.post(f"/guide/practices/{second}/vote", data={"csrf_token": ptoken})
        park.post(f"/guide/practices/{second}/vote", data={"csrf_token": ptoken})
        park.post(f"/guide/practices/{second}/vote", data={"csrf_token": ptoken})
        admin_token = csrf(admin)
        admin.post(f"/guide/practices/{second}/vote", data={"csrf_token": admin_token})
        with app.state.db.session() as s:
            votes = dict(s.execute(sa.select(BestPractice.id, BestPractice.vote_count)).all())
        assert votes == {first: 0, second: 2}
        page = park.get("/guide/practices").text
        assert page.index("복지 안내문 쉬운 말로") < page.index(
            "민원 답변 초안 10분 만에"
        )  # most votes first
        assert "우수사례로 선정" not in page  # staff cannot feature
        assert park.post(f"/guide/practices/{first}/feature", data={"csrf_token": ptoken}).status_code == 403
        resp = admin.post(
            f"/guide/practices/{first}/feature", data={"csrf_token": admin_token, "featured": "1"}
        )
        assert "우수사례로 선정했습니다" in resp.text
        page = park.get("/guide/practices").text
        assert page.index("민원 답변 초안 10분 만에") < page.index("복지 안내문 쉬운 말로")  # featured first
        assert re.search(r'class="badge">우수사례 선정', page)
        filtered = park.get("/guide/practices", params={"kind": "복지"}).text
        assert "복지 안내문 쉬운 말로" in filtered and "민원 답변 초안 10분 만에" not in filtered
    assert _audit_actions(app) == ["practice.submit", "practice.submit", "practice.feature"]
