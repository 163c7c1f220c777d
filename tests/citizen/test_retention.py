"""Retention: `guai purge` removes old citizen answers and closed tickets, and the audit seals still verify."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from guai.audit import verify
from guai.citizen import TicketInput, ask, escalate, seal_answers, verify_seals
from guai.db.engine import Database
from guai.db.models.audit import AuditEntry
from guai.db.models.citizen import CitizenQuestion, CitizenTicket


def _ask(db: Database, days_ago: int, n: int, net: int) -> None:
    now = datetime.now(UTC) - timedelta(days=days_ago)
    for i in range(n):
        ask(db, "등본 어디서 떼요", session_id=None, client=f"10.{net}.0.{i}", secret="t", now=now)


def _ids(db: Database) -> list[int]:
    with db.session() as s:
        return list(s.execute(select(CitizenQuestion.id).order_by(CitizenQuestion.id)).scalars())


def test_purge_keeps_audit_seals_verifiable(guidance_db: Database, cli) -> None:  # type: ignore[no-untyped-def]
    _ask(guidance_db, 120, 3, 1)  # ids 1-3: due
    _ask(guidance_db, 5, 2, 2)  # ids 4-5: recent
    assert seal_answers(guidance_db) == 5  # one seal over 1-5 straddles the cutoff
    _ask(guidance_db, 100, 2, 3)  # ids 6-7: due, not sealed yet
    _ask(guidance_db, 1, 1, 4)  # id 8: recent, not sealed
    assert cli("retention", "set", "citizen", "90").exit_code == 0
    preview = cli("purge", "--dry-run")
    assert preview.exit_code == 0 and _ids(guidance_db) == list(range(1, 9))
    result = cli("purge")
    assert result.exit_code == 0, result.output
    assert _ids(guidance_db) == [4, 5, 8]
    with guidance_db.session() as s:
        assert verify_seals(s) == []
        checked, problems = verify(s)
        assert checked and problems == []
        purge = s.execute(select(AuditEntry).where(AuditEntry.action == "retention.purge")).scalar_one()
        assert json.loads(purge.detail)["deleted"]["citizen:시민 챗봇 질문 기록"] == 5
        reseals = {
            e.target: json.loads(e.detail)
            for e in s.execute(
                select(AuditEntry).where(AuditEntry.action == "citizen.answers.purged")
            ).scalars()
        }
        assert {t: (d["deleted"], d["intact_before"]) for t, d in reseals.items()} == {
            "1-5": (3, True),
            "6-7": (2, True),
        }
    # The unsealed recent row is sealed later as usual, and an edit after the purge is still caught.
    assert seal_answers(guidance_db) == 1
    with guidance_db.session() as s:
        assert verify_seals(s) == []
        s.execute(update(CitizenQuestion).where(CitizenQuestion.id == 4).values(question="고친 질문"))
    with guidance_db.session() as s:
        assert len(verify_seals(s)) == 1
    assert "합계 0건" in cli("purge").output


def test_purge_does_not_launder_an_earlier_edit(guidance_db: Database, cli) -> None:  # type: ignore[no-untyped-def]
    _ask(guidance_db, 120, 2, 1)
    _ask(guidance_db, 5, 2, 2)
    seal_answers(guidance_db)
    with guidance_db.session() as s:
        s.execute(update(CitizenQuestion).where(CitizenQuestion.id == 3).values(question="몰래 고친 질문"))
    assert cli("retention", "set", "citizen", "90").exit_code == 0
    assert cli("purge").exit_code == 0
    with guidance_db.session() as s:
        problems = verify_seals(s)
    assert len(problems) == 1 and "삭제 전에 이미 바뀌어" in problems[0]


def test_only_closed_tickets_are_purged(guidance_db: Database, cli) -> None:  # type: ignore[no-untyped-def]
    codes = {}
    for name in ("closed-old", "done-old", "open-old", "closed-new"):
        codes[name] = escalate(
            guidance_db, TicketInput(question=f"{name} 쓰레기를 안 가져가요"), client="9.9.9.9", secret="t"
        ).code
    old = datetime.now(UTC) - timedelta(days=200)
    with guidance_db.session() as s:
        for name, status, when in (
            ("closed-old", "종결", old),
            ("done-old", "답변완료", old),
            ("open-old", "처리중", old),
            ("closed-new", "종결", datetime.now(UTC)),
        ):
            s.execute(
                update(CitizenTicket)
                .where(CitizenTicket.code == codes[name])
                .values(status=status, created_at=old, updated_at=when)
            )
    assert cli("retention", "set", "citizen", "90").exit_code == 0
    assert cli("purge").exit_code == 0
    with guidance_db.session() as s:
        left = set(s.execute(select(CitizenTicket.code)).scalars())
        assert left == {codes["open-old"], codes["closed-new"]}
        assert s.execute(select(func.count()).select_from(CitizenTicket)).scalar_one() == 2


def test_purge_and_seals_on_both_backends(any_db: Database) -> None:
    from guai.ops import retention
    from tests.citizen.conftest import seed_guidance

    seed_guidance(any_db)
    _ask(any_db, 120, 2, 5)
    _ask(any_db, 2, 2, 6)
    assert seal_answers(any_db) == 4
    _ask(any_db, 95, 1, 7)
    first = _ids(any_db)[0]
    with any_db.session() as s:
        from guai.ops.settings_store import RETENTION_KEY, set_json

        set_json(s, RETENTION_KEY, {"citizen": 90}, actor="test")
    with any_db.session() as s:
        report = retention.purge(s, any_db.settings)
    assert {i.label: i.count for i in report.items if i.kind == "citizen"}["시민 챗봇 질문 기록"] == 3
    assert _ids(any_db) == [first + 2, first + 3]
    with any_db.session() as s:
        assert verify_seals(s) == []
        assert verify(s)[1] == []
