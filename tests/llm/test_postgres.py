"""Gateway bookkeeping on both databases: usage, quotas, per-department report and CSV, conversations."""

from __future__ import annotations

from datetime import date

import pytest

from guai.auth.departments import add_department
from guai.auth.users import add_user
from guai.llm import QuotaExceeded, get_gateway
from guai.llm.usage import export_csv, period_start, set_quota, today, usage_by_department
from tests.support.fixtures import register_fake_provider


def test_usage_quota_report_on_each_backend(any_db, fake_llm):
    with any_db.session() as s:
        add_department(s, name="교통행정과", phone="02-1")
        add_department(s, name="가온1동 주민센터", phone="02-2", kind="동")
        user = add_user(s, username="kim", password="pw-123456789", department="교통행정과", role="직원")
    register_fake_provider(any_db, fake_llm)
    gw = get_gateway(any_db)
    gw.chat([{"role": "user", "content": "안녕"}], user=user)
    list(gw.chat_stream([{"role": "user", "content": "또 안녕"}], user=user))
    gw.embed(["주차"], user=user)
    with any_db.session() as s:
        set_quota(
            s, scope="user", target_id=user.id, period="month", max_tokens=1, max_requests=None, actor="t"
        )
    with pytest.raises(QuotaExceeded, match="토큰 1개"):
        gw.chat([{"role": "user", "content": "x"}], user=user)
    with any_db.session() as s:
        rows = {r.department: r for r in usage_by_department(s, period_start("month"), today())}
        assert rows["교통행정과"].requests == 3 and rows["교통행정과"].tokens > 0
        assert rows["가온1동 주민센터"].requests == 0
        csv_text = export_csv(s, date(2000, 1, 1), today())
    # plain and streamed chat share one daily row (same model, kind and purpose); embeddings get their own
    assert "교통행정과,kim,fake,fake-chat,chat,chat,2," in csv_text
    assert "교통행정과,kim,fake,fake-embed,embeddings,embeddings,1," in csv_text
