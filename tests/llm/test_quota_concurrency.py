"""Quota admission is atomic: concurrent calls of one department get exactly the limit's worth through,
on SQLite and PostgreSQL; reservations are settled with real token counts or released on failure."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from guai.auth.departments import add_department
from guai.auth.users import add_user
from guai.db.models.llm import LLMQuotaCounter
from guai.llm import LLMError, QuotaExceeded, get_gateway
from guai.llm.usage import set_quota, spent, today
from tests.support.fixtures import register_fake_provider


def _race(n: int, call) -> tuple[int, int, list[BaseException]]:
    """Start n calls at the same moment; (admitted, refused by quota, other errors)."""
    barrier = threading.Barrier(n)
    ok, refused, errors = [], [], []

    def worker(i: int) -> None:
        barrier.wait()
        try:
            call(i)
            ok.append(i)
        except QuotaExceeded:
            refused.append(i)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return len(ok), len(refused), errors


@pytest.fixture
def setup(any_db, fake_llm):
    with any_db.session() as s:
        add_department(s, name="교통행정과", phone="02-1")
        users = [
            add_user(s, username=f"u{i}", password="pw-123456789", department="교통행정과", role="직원")
            for i in range(3)
        ]
    register_fake_provider(any_db, fake_llm)
    fake_llm.delay = 0.15  # every call is in flight while the others are admitted
    return any_db, users


def test_concurrent_requests_stop_exactly_at_the_limit(setup, fake_llm):
    db, users = setup
    with db.session() as s:
        set_quota(
            s,
            scope="department",
            target_id=users[0].department_id,
            period="day",
            max_tokens=None,
            max_requests=5,
            actor="t",
        )
    gw = get_gateway(db)
    admitted, refused, errors = _race(
        12, lambda i: gw.chat([{"role": "user", "content": f"질문 {i}"}], user=users[i % 3])
    )
    assert errors == [] and (admitted, refused) == (5, 7)
    assert len(fake_llm.calls()) == 5
    with db.session() as s:
        assert spent(s, scope="department", target_id=users[0].department_id, since=today()).requests == 5


def test_concurrent_streams_respect_token_limit_and_settle(setup, fake_llm):
    db, users = setup
    user = users[0]
    question = "가" * 40  # estimated 20 tokens per call; the scripted server reports 20 prompt tokens too
    with db.session() as s:
        set_quota(
            s, scope="user", target_id=user.id, period="month", max_tokens=70, max_requests=None, actor="t"
        )
    gw = get_gateway(db)
    admitted, refused, errors = _race(
        8, lambda i: list(gw.chat_stream([{"role": "user", "content": question}], user=user))
    )
    assert errors == [] and (admitted, refused) == (3, 5)  # 3 × 20 ≤ 70 < 4 × 20
    with db.session() as s:
        counter = s.execute(select(LLMQuotaCounter).where(LLMQuotaCounter.target_id == user.id)).scalar_one()
        used = spent(s, scope="user", target_id=user.id, since=counter.period_start)
        # estimates were replaced by the real counts (prompt + the mock answer's tokens)
        assert counter.requests == 3 and counter.tokens == used.tokens > 60


def test_failed_call_releases_its_reservation(setup, fake_llm):
    db, users = setup
    with db.session() as s:
        set_quota(
            s, scope="user", target_id=users[1].id, period="day", max_tokens=None, max_requests=1, actor="t"
        )
    gw = get_gateway(db)
    fake_llm.delay = 0
    fake_llm.fail(400)
    with pytest.raises(LLMError):
        gw.chat([{"role": "user", "content": "실패할 질문"}], user=users[1])
    gw.chat([{"role": "user", "content": "다시"}], user=users[1])  # the failed call did not use the quota
    with pytest.raises(QuotaExceeded, match="요청 1회"):
        gw.chat([{"role": "user", "content": "한 번 더"}], user=users[1])
