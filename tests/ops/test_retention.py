"""Retention: purge removes exactly what is due, is audited, tolerates missing tables, never purges audit early."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import sqlalchemy as sa

from guai.audit import entry_hash, verify
from guai.audit.log import GENESIS, HEAD_KEY
from guai.db.base import utcnow
from guai.db.models.assistants import ChatMessage, Conversation
from guai.db.models.audit import AuditEntry
from guai.db.models.auth import LoginAttempt, User
from guai.db.models.citizen import CitizenQuestion
from guai.db.models.settings import AppSetting
from guai.ops import retention


def _ago(days: float):  # type: ignore[no-untyped-def]
    return utcnow() - timedelta(days=days)


def _seed(db, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("kim.staff")
    with db.session() as s:
        uid = s.execute(sa.select(User.id)).scalar_one()
        for days, title in ((31, "old-1"), (45, "old-2"), (29, "recent-1"), (1, "recent-2")):
            conv = Conversation(user_id=uid, title=title, created_at=_ago(days + 5), updated_at=_ago(days))
            s.add(conv)
            s.flush()
            s.add_all(
                [
                    ChatMessage(conversation_id=conv.id, role="user", content="질문", created_at=_ago(days)),
                    ChatMessage(
                        conversation_id=conv.id, role="assistant", content="답", created_at=_ago(days)
                    ),
                ]
            )
        for days in (91, 200, 89, 3):
            at = _ago(days)
            s.add(CitizenQuestion(at=at, day=at.date(), question="대형폐기물?", outcome="answered"))
        for days in (61, 59):
            s.add(LoginAttempt(username="x", client="1.2.3.4", at=_ago(days)))
    uploads = db.settings.upload_dir / "chat"
    uploads.mkdir(parents=True, exist_ok=True)
    for name, days in (("old.txt", 40), ("new.txt", 10)):
        path = uploads / name
        path.write_text(name, encoding="utf-8")
        stamp = _ago(days).timestamp()
        os.utime(path, (stamp, stamp))


def _counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return {
            t: s.execute(sa.text(f"select count(*) from {t}")).scalar_one()
            for t in ("conversations", "chat_messages", "citizen_questions", "login_attempts")
        }


def test_purge_removes_exactly_what_is_due_and_is_audited(db, make_user, cli) -> None:  # type: ignore[no-untyped-def]
    _seed(db, make_user)
    for kind, days in (("conversations", "30"), ("citizen", "90"), ("logs", "60"), ("uploads", "30")):
        assert cli("retention", "set", kind, days).exit_code == 0
    before = _counts(db)
    preview = cli("purge", "--dry-run")
    assert preview.exit_code == 0 and "미리 보기" in preview.output
    assert _counts(db) == before
    result = cli("purge")
    assert result.exit_code == 0, result.output
    assert _counts(db) == {
        "conversations": 2,
        "chat_messages": 4,
        "citizen_questions": 2,
        "login_attempts": 1,
    }
    with db.session() as s:
        titles = sorted(s.execute(sa.select(Conversation.title)).scalars())
        assert titles == ["recent-1", "recent-2"]
        entry = s.execute(sa.select(AuditEntry).where(AuditEntry.action == "retention.purge")).scalar_one()
    detail = json.loads(entry.detail)
    assert detail["deleted"]["conversations:대화"] == 2
    assert detail["deleted"]["citizen:시민 챗봇 질문 기록"] == 2
    assert detail["deleted"]["logs:로그인 실패 기록"] == 1
    assert detail["deleted"]["uploads:업로드 파일"] == 1
    assert detail["total"] == 6
    remaining = sorted(p.name for p in (db.settings.upload_dir / "chat").iterdir())
    assert remaining == ["new.txt"]
    # Running again finds nothing more to delete.
    assert "합계 0건" in cli("purge").output
    assert cli("audit", "verify").exit_code == 0


def test_missing_tables_are_skipped(db, settings) -> None:  # type: ignore[no-untyped-def]
    retention.register_table("conversations", "not_built_yet", "created_at", "아직 없는 기능")
    try:
        with db.session() as s:
            report = retention.purge(s, settings, dry_run=True)
        skipped = [i for i in report.items if i.label == "아직 없는 기능"]
        assert skipped and skipped[0].skipped == "테이블 없음" and skipped[0].count == 0
    finally:
        retention._table_targets[:] = [t for t in retention._table_targets if t.table != "not_built_yet"]


def _old_audit_chain(db, ages_days: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Entries dated in the past with valid hashes (record() always stamps 'now')."""
    with db.session() as s:
        prev = GENESIS
        for i, days in enumerate(ages_days, start=1):
            at = _ago(days)
            h = entry_hash(
                entry_id=i,
                at=at,
                actor="old",
                department=None,
                action="old.event",
                target=None,
                outcome="성공",
                client=None,
                detail=None,
                prev_hash=prev,
            )
            s.add(
                AuditEntry(
                    id=i,
                    at=at,
                    actor="old",
                    department=None,
                    action="old.event",
                    target=None,
                    outcome="성공",
                    client=None,
                    detail=None,
                    prev_hash=prev,
                    hash=h,
                )
            )
            prev = h
        s.add(AppSetting(key=HEAD_KEY, value=f"{len(ages_days)}:{prev}", updated_by="test"))


def test_audit_log_never_purged_before_legal_minimum(db, cli) -> None:  # type: ignore[no-untyped-def]
    _old_audit_chain(db, [1000, 900, 800, 700, 10])
    result = cli("retention", "set", "audit", "365")
    assert result.exit_code != 0 and "최소 730일" in result.stderr
    # Default policy keeps the audit log forever.
    cli("purge")
    with db.session() as s:
        assert (
            s.execute(
                sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.actor == "old")
            ).scalar_one()
            == 5
        )
    assert cli("retention", "set", "audit", "850").exit_code == 0
    assert cli("purge").exit_code == 0
    with db.session() as s:
        old = (
            s.execute(sa.select(AuditEntry.id).where(AuditEntry.actor == "old").order_by(AuditEntry.id))
            .scalars()
            .all()
        )
        assert old == [3, 4, 5]  # 1000 and 900 days old removed; 800 and newer kept
        checked, problems = verify(s)
        assert problems == []
    assert cli("audit", "verify").exit_code == 0
    with db.session() as s:
        # A purge can never be told to cut inside the legal minimum, even when called directly.
        try:
            retention._purge_audit(s, utcnow() - timedelta(days=100), dry_run=True)
        except retention.RetentionError as exc:
            assert "2년" in str(exc)
        else:
            raise AssertionError("audit purge inside the legal minimum was allowed")


def test_retention_policy_validation() -> None:
    assert retention.validate_policy({"conversations": "30", "audit": None}) == {
        "conversations": 30,
        "audit": None,
    }
    for bad in ({"nope": 3}, {"logs": "abc"}, {"citizen": 1}):
        try:
            retention.validate_policy(bad)
        except retention.RetentionError:
            continue
        raise AssertionError(f"accepted {bad}")
