"""Scale-out: every worker rebuilds its index from the database; tickets and rate limits are shared.

The PostgreSQL test runs two real uvicorn processes on the same database, as behind a load balancer.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from guai.citizen import (
    GuidanceInput,
    ask,
    get_index,
    save_guidance,
    save_settings,
    update_ticket,
)
from guai.citizen.index import GENERATION_TTL
from guai.config import load_settings
from guai.db.engine import Database
from guai.db.models.auth import User
from tests.citizen.conftest import seed_guidance
from tests.conftest import _free_port


def test_index_follows_edits_made_by_another_worker(any_db: Database) -> None:
    seed_guidance(any_db)
    before = get_index(any_db)
    assert ask(any_db, "커피 찌꺼기 버리는 법", session_id=None, client="a", secret="s").escalate
    # Another worker edits the guidance: this process is not told, it only sees the generation change.
    other = Database(any_db.settings)
    with other.session() as s:
        save_guidance(
            s,
            GuidanceInput(
                question="커피 찌꺼기는 어떻게 버리나요?",
                answer="말려서 종량제 봉투에 버립니다.",
                department="청소행정과",
                tags="커피찌꺼기, 원두",
            ),
            actor="other-worker",
        )
    other.dispose()
    time.sleep(GENERATION_TTL + 0.2)
    after = get_index(any_db)
    assert after is not before and after.generation > before.generation
    answer = ask(any_db, "커피 찌꺼기 버리는 법", session_id=None, client="b", secret="s")
    assert not answer.escalate and answer.department == "청소행정과"


def _start_worker(url: str, home: Path, port: int) -> subprocess.Popen:
    """One uvicorn worker process; its log goes to a file (an unread pipe would fill and block it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUAI_") or k.startswith("GUAI_TEST_")}
    env.update(GUAI_DATABASE_URL=url, GUAI_HOME=str(home), GUAI_SECRET_KEY="shared-secret-for-all-workers")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "guai.web.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=(home / f"worker-{port}.log").open("wb"),
        stderr=subprocess.STDOUT,
    )


def _wait_ready(base: str, proc: subprocess.Popen) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("worker exited early; see its log in the test's GUAI_HOME")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("worker did not become ready")


@pytest.fixture
def two_workers(pg_url: str, tmp_path: Path) -> Iterator[tuple[str, str, Database]]:
    db = Database(load_settings(database_url=pg_url, home=tmp_path / "home"))
    db.upgrade()
    seed_guidance(db)
    with db.session() as s:
        save_settings(s, {"chat_per_minute": "6"}, actor="test")
    (tmp_path / "home").mkdir(parents=True, exist_ok=True)
    procs, bases = [], []
    try:
        for _ in range(2):
            port = _free_port()
            procs.append(_start_worker(pg_url, tmp_path / "home", port))
            bases.append(f"http://127.0.0.1:{port}")
        for base, proc in zip(bases, procs, strict=True):
            _wait_ready(base, proc)
        yield bases[0], bases[1], db
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        db.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_two_workers_share_tickets_rate_limits_and_guidance(two_workers) -> None:  # type: ignore[no-untyped-def]
    a, b, db = two_workers
    # A ticket created through worker A is visible through worker B, and the staff reply through A.
    created = httpx.post(
        f"{a}/api/citizen/tickets", json={"question": "골목 쓰레기가 사흘째 그대로예요"}, timeout=30
    )
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    seen = httpx.get(f"{b}/api/citizen/tickets/{code}", timeout=30)
    assert seen.status_code == 200 and seen.json()["department"] == "청소행정과"
    with db.session() as s:
        from sqlalchemy import select

        from guai.auth.users import add_user
        from guai.db.models.citizen import CitizenTicket

        add_user(s, username="clean.staff", password="test-password-1", department="청소행정과", role="직원")
        staff = s.execute(select(User).where(User.username == "clean.staff")).scalar_one()
        tid = s.execute(select(CitizenTicket.id).where(CitizenTicket.code == code)).scalar_one()
        update_ticket(s, staff, tid, status="답변완료", reply="내일 오전에 다시 수거합니다.")
    assert (
        httpx.get(f"{a}/api/citizen/tickets/{code}", timeout=30).json()["reply"]
        == "내일 오전에 다시 수거합니다."
    )

    # The per-minute limit (6) holds across both workers: alternate requests, count the successes.
    if time.time() % 60 > 50:  # stay inside one fixed one-minute window
        time.sleep(61 - time.time() % 60)
    statuses = [
        httpx.post(
            f"{(a, b)[i % 2]}/api/citizen/chat", json={"message": "등본 어디서 떼요"}, timeout=30
        ).status_code
        for i in range(10)
    ]
    assert statuses.count(200) == 6 and statuses.count(429) == 4, statuses
    assert statuses[:6] == [200] * 6

    # Guidance added through one worker's database is answered by the other after its generation check.
    with db.session() as s:
        save_settings(s, {"chat_per_minute": "1000"}, actor="test")
        save_guidance(
            s,
            GuidanceInput(
                question="커피 찌꺼기는 어떻게 버리나요?",
                answer="말려서 종량제 봉투에 버립니다.",
                department="청소행정과",
                tags="커피찌꺼기, 원두",
            ),
            actor="test",
        )
    time.sleep(1.5)
    for base in (a, b):
        data = httpx.post(
            f"{base}/api/citizen/chat", json={"message": "커피 찌꺼기 버리는 법"}, timeout=30
        ).json()
        assert data["escalate"] is False and data["department"] == "청소행정과", data


def test_answer_log_is_sealed_into_the_audit_chain(guidance_db: Database) -> None:
    from sqlalchemy import update

    from guai.citizen import seal_answers, verify_seals
    from guai.db.models.citizen import CitizenQuestion, CitizenRateCounter

    for i in range(5):
        ask(guidance_db, "등본 어디서 떼요", session_id=None, client=f"6.6.6.{i}", secret="s")
    with guidance_db.session() as s:
        s.add(CitizenRateCounter(key="chat-m:old", win=0, count=3))
    assert seal_answers(guidance_db) == 5 and seal_answers(guidance_db) == 0
    with guidance_db.session() as s:
        assert verify_seals(s) == []
        assert s.get(CitizenRateCounter, ("chat-m:old", 0)) is None
        s.execute(update(CitizenQuestion).where(CitizenQuestion.id == 2).values(question="고친 질문"))
    with guidance_db.session() as s:
        assert len(verify_seals(s)) == 1
