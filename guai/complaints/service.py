"""Complaint analytics service: the one API the CLI, the web page and the chat call.

Public API (stable):

    rank_topic(session, topic, *, date_from=None, date_to=None, dong=None, department=None,
               settings=None, viewer=None, reveal=False, gateway=None, top=None, period_label=None) -> Ranking
        Complaints about `topic` in the period (default: the latest 12 months of data), grouped into
        sub-issues and ranked by count. `Ranking.to_dict()` / `.to_markdown()`; numbers always come
        from the data and `Ranking.check()` has verified they add up. Representative complaints are
        masked unless `reveal` or the viewer is a system administrator or handled them.
        With `gateway` (guai.llm) embeddings widen matching and chat improves labels + a 3-line
        summary; without it (or when the model fails) the result is the same minus those extras.

    answer_request(session, text, *, today=None, **kwargs) -> Ranking | None
        Natural-language entry: parse_request(text) then rank_topic; None if not a ranking request.

    TOOL_SPEC, run_tool(session, arguments, **kwargs) -> dict
        The same ranking as an OpenAI-style function-calling tool for the chat.

Errors: TopicError (no searchable words), NoComplaintsError (nothing imported yet).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from guai.complaints import clustering, replies
from guai.complaints.index import CorpusIndex, get_index, index_dir
from guai.complaints.intent import parse_request
from guai.complaints.periods import Period, add_months, month_end
from guai.complaints.ranking import Example, Named, RankedGroup, Ranking
from guai.complaints.topics import TopicError, add_semantic, build_query, describe, match_topic
from guai.config import Settings, get_settings
from guai.db.models.complaints import Complaint

__all__ = ["NoComplaintsError", "TOOL_SPEC", "TopicError", "answer_request", "rank_topic", "run_tool"]

log = logging.getLogger(__name__)
EXAMPLES_PER_GROUP = 2
GIST_REPLIES = 25
DEFAULT_MONTHS = 12


class NoComplaintsError(LookupError):
    """No complaints have been imported yet (or none fit the filters)."""


def _default_period(
    index: CorpusIndex,
    scope: np.ndarray,
    date_from: date | None,
    date_to: date | None,
    label: str | None = None,
) -> Period:
    days = index.days[scope & (index.days >= 0)]
    if date_from and date_to:
        return Period(date_from, date_to, label or "지정 기간")
    if len(days) == 0:
        start = date_from or date(1900, 1, 1)
        return Period(start, date_to or date.today(), "전체")
    first, last = date.fromordinal(int(days.min())), date.fromordinal(int(days.max()))
    if date_from:
        return Period(date_from, last, "지정일 이후")
    if date_to:
        return Period(first, date_to, "지정일까지")
    end = month_end(last)
    start = max(
        add_months(date(end.year, end.month, 1), -(DEFAULT_MONTHS - 1)), date(first.year, first.month, 1)
    )
    return Period(start, end, f"자료의 최근 {DEFAULT_MONTHS}개월")


def _months(period: Period) -> list[str]:
    out, cursor = [], date(period.start.year, period.start.month, 1)
    while cursor <= period.end:
        out.append(f"{cursor.year:04d}-{cursor.month:02d}")
        cursor = add_months(cursor, 1)
    return out


def _load(session: Session, ids: list[int], *columns: Any) -> dict[int, Any]:
    rows: dict[int, Any] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for row in session.execute(select(Complaint.id, *columns).where(Complaint.id.in_(chunk))):
            rows[row[0]] = row
    return rows


def _place_tokens(rows: Any) -> set[str]:
    """Tokens of 동, place and 동/출장소 department names: they say where, not what, so never name a sub-issue."""
    from guai.complaints.labels import place_names

    return place_names(n for r in rows for n in (r.dong, r.place, r.department))


def _district_places(session: Session) -> set[str]:
    """The district's own 동 (from its 동 주민센터 departments): places even where a file has no 동 column."""
    from guai.complaints.labels import place_names
    from guai.db.models.auth import Department, DepartmentKind

    names = session.scalars(
        select(Department.name).where(
            (Department.kind == DepartmentKind.DONG.value)
            | Department.name.like("%주민센터")
            | Department.name.like("%행정복지센터")
        )
    ).all()
    return place_names(names)


def _top(counter: Counter[str], n: int = 3) -> list[Named]:
    return [Named(name, count) for name, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _masker(reveal_all: bool, viewer: Any) -> Any:
    from guai.privacy import mask_text

    def show(text: str, department: str | None) -> tuple[str, bool]:
        if reveal_all or (
            viewer is not None
            and (
                getattr(viewer, "is_system_admin", False)
                or (department and getattr(getattr(viewer, "department", None), "name", None) == department)
            )
        ):
            return text, False
        return mask_text(text), True

    return show


def rank_topic(
    session: Session,
    topic: str,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    dong: str | None = None,
    department: str | None = None,
    settings: Settings | None = None,
    viewer: Any = None,
    reveal: bool = False,
    gateway: Any = None,
    top: int | None = None,
    period_label: str | None = None,
) -> Ranking:
    """Rank the sub-issues of complaints about `topic` (see the module docstring)."""
    settings = settings or get_settings()
    if not topic or not topic.strip():
        raise TopicError("주제를 입력하세요 (예: 전동킥보드).")
    index = get_index(session, index_dir(settings.index_dir))
    if index.size == 0:
        raise NoComplaintsError(
            "가져온 민원이 없습니다. 먼저 'guai complaints import 파일' 로 민원 자료를 가져오세요."
        )
    scope = index.filter_mask(department=department, dong=dong)
    period = _default_period(index, scope, date_from, date_to, period_label)
    previous = period.previous()
    query = build_query(topic, index)
    current_mask = scope & index.filter_mask(date_from=period.start, date_to=period.end)
    if period.label == "전체":
        current_mask = scope
    result = match_topic(index, query, current_mask)
    if gateway is not None:
        result = _semantic(session, index, result, topic, gateway)
    positions = result.positions
    ids = [int(i) for i in index.ids[positions]]
    meta = _load(
        session,
        ids,
        Complaint.source_no,
        Complaint.source_file,
        Complaint.source_row,
        Complaint.received_on,
        Complaint.department,
        Complaint.dong,
        Complaint.place,
        Complaint.title,
    )
    issues = clustering.cluster(
        index, positions, query.all_tokens() | _place_tokens(meta.values()) | _district_places(session)
    )
    prev_positions = match_topic(
        index, query, scope & index.filter_mask(date_from=previous.start, date_to=previous.end)
    ).positions
    prev_counts = Counter(clustering.assign(index, prev_positions, issues))
    has_previous = bool(
        (scope & (index.days >= previous.start.toordinal()) & (index.days <= previous.end.toordinal())).any()
    )

    ref = _refs(meta)
    # Undated complaints only count when the data has no dates at all (period "전체").
    months = ["날짜 없음"] if period.label == "전체" else _months(period)
    month_of = {m: k for k, m in enumerate(months)}
    total = len(ids)
    show = _masker(reveal, viewer)
    groups: list[RankedGroup] = []
    for i, issue in enumerate(issues):
        member_ids = [int(x) for x in index.ids[issue.positions]]
        trend = [0] * len(months)
        depts: Counter[str] = Counter()
        dongs: Counter[str] = Counter()
        spots: Counter[str] = Counter()
        for cid in member_ids:
            row = meta[cid]
            key = (
                f"{row.received_on.year:04d}-{row.received_on.month:02d}" if row.received_on else "날짜 없음"
            )
            trend[month_of.get(key, len(months) - 1)] += 1
            depts[row.department or "부서 미상"] += 1
            if row.dong:
                dongs[row.dong] += 1
            if row.place:
                spots[row.place] += 1
        groups.append(
            RankedGroup(
                rank=i + 1,
                label=issue.label,
                terms=issue.terms[:8],
                count=len(member_ids),
                share=len(member_ids) / total if total else 0.0,
                complaint_ids=[ref[c] for c in member_ids],
                departments=_top(depts),
                places=_top(dongs),
                hotspots=_top(spots),
                trend=list(zip(months, trend, strict=True)),
                previous_count=prev_counts.get(i, 0) if has_previous else None,
            )
        )
    _fill_examples(session, index, result, issues, groups, show, ref)
    monthly_total = [sum(g.trend[k][1] for g in groups) for k in range(len(months))]
    filters = {k: v for k, v in (("동", dong), ("부서", department)) if v}
    ranking = Ranking(
        topic=topic,
        label=query.label,
        period=period,
        previous=previous if has_previous else None,
        filters=filters,
        total=total,
        previous_total=len(prev_positions) if has_previous else None,
        groups=groups,
        matched_ids=[ref[c] for c in ids],
        months=months,
        monthly_total=monthly_total,
        passing_excluded=len(result.passing),
        semantic_added=result.semantic,
        method=describe(query),
        masked=not reveal,
        generated_at=datetime.now(UTC),
    )
    ranking.rows = [
        {
            "id": ref[cid],
            "date": meta[cid].received_on,
            "group": g.label,
            "dong": meta[cid].dong or "",
            "department": meta[cid].department or "",
            "title": meta[cid].title,
            "why": result.reasons.get(int(p), ""),
        }
        for g, issue in zip(groups, issues, strict=True)
        for p, cid in zip(issue.positions, index.ids[issue.positions], strict=True)
    ]
    ranking.check()
    if gateway is not None:
        from guai.complaints.model_assist import improve_ranking

        improve_ranking(ranking, gateway)
    if top:
        ranking.groups = ranking.groups[:top]
    return ranking


def _refs(meta: dict[int, Any]) -> dict[int, str]:
    """How outputs name each complaint: the source system's number, else file#row.

    Real exports repeat a number for different complaints (edited re-submissions; 17 numbers in the
    인천 중구 export), so a repeated number gets its row ("46605 (12행)") and every id stays unique.
    """
    repeated = Counter(r.source_no for r in meta.values() if r.source_no)
    return {
        i: (f"{r.source_no} ({r.source_row}행)" if repeated[r.source_no] > 1 else r.source_no)
        if r.source_no
        else f"{r.source_file}#{r.source_row}"
        for i, r in meta.items()
    }


def _fill_examples(
    session: Session,
    index: CorpusIndex,
    result: Any,
    issues: list[clustering.SubIssue],
    groups: list[RankedGroup],
    show: Any,
    ref: dict[int, str],
) -> None:
    """Two representative complaints and the replies' gist per group (only those rows are read)."""
    picks: dict[int, list[int]] = {}
    gist_ids: dict[int, list[int]] = {}
    lengths = index.body_lengths()
    for i, issue in enumerate(issues):
        order = np.lexsort((np.abs(lengths[issue.positions] - 60), -issue.fit))
        ranked = [int(index.ids[issue.positions[j]]) for j in order]
        picks[i] = ranked[: EXAMPLES_PER_GROUP * 4]
        gist_ids[i] = ranked[:GIST_REPLIES]
    wanted = sorted({c for v in picks.values() for c in v} | {c for v in gist_ids.values() for c in v})
    rows = _load(
        session,
        wanted,
        Complaint.source_no,
        Complaint.source_file,
        Complaint.source_row,
        Complaint.received_on,
        Complaint.title,
        Complaint.content,
        Complaint.answer,
        Complaint.department,
        Complaint.dong,
    )
    position_of = {
        int(cid): int(p) for p, cid in zip(result.positions, index.ids[result.positions], strict=True)
    }
    for i, group in enumerate(groups):
        chosen: list[Example] = []
        seen_titles: set[str] = set()
        for cid in picks[i]:
            row = rows[cid]
            if row.title in seen_titles:
                continue
            seen_titles.add(row.title)
            title, masked_t = show(row.title, row.department)
            body = " ".join((row.content or "").split())
            excerpt, masked_b = show(body[:160] + ("…" if len(body) > 160 else ""), row.department)
            chosen.append(
                Example(
                    id=ref[cid],
                    received_on=row.received_on,
                    title=title,
                    excerpt=excerpt,
                    dong=row.dong,
                    department=row.department,
                    why=result.reasons.get(position_of.get(cid, -1), ""),
                    masked=masked_t or masked_b,
                )
            )
            if len(chosen) == EXAMPLES_PER_GROUP:
                break
        group.examples = chosen
        answers = [rows[c].answer for c in gist_ids[i] if rows[c].answer]
        text = replies.gist(answers)
        if text:
            group.reply_gist = show(text, None)[0]


def _semantic(session: Session, index: CorpusIndex, result: Any, topic: str, gateway: Any) -> Any:
    """Widen matching with embeddings when the provider offers them; any model failure is logged, not fatal."""
    try:
        if not gateway.available("embeddings"):
            return result
        positions = [int(p) for p in result.positions[:40]] + [int(p) for p in result.passing[:400]]
        rows = _load(session, [int(index.ids[p]) for p in positions], Complaint.title, Complaint.content)
        texts = {
            p: f"{rows[int(index.ids[p])].title}\n{(rows[int(index.ids[p])].content or '')[:300]}"
            for p in positions
        }
        return add_semantic(
            index, result, texts, topic, lambda batch: gateway.embed(batch, purpose="민원 주제 의미 검색")
        )
    except Exception as exc:  # noqa: BLE001 - the model is optional; ranking must still answer
        log.warning("embeddings unavailable for complaint matching: %s", exc)
        return result


def answer_request(
    session: Session, text: str, *, today: date | None = None, **kwargs: Any
) -> Ranking | None:
    """Rank for a natural-language request ("전동킥보드 관련 민원 순위별로 정리해줘"); None if it is not one."""
    request = parse_request(text, today=today)
    if request is None:
        return None
    params = request.to_kwargs()
    if request.top and "top" not in kwargs:
        kwargs["top"] = request.top
    if request.period is not None:
        kwargs.setdefault("period_label", request.period.label)
    return rank_topic(session, **params, **kwargs)  # type: ignore[arg-type]


TOOL_SPEC: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "rank_complaints",
        "description": "주제(예: 전동킥보드, 불법 주정차)에 관한 민원을 유형별로 묶어 건수 순위, 비율, 추이, 주요 동, 처리 부서를 "
        "돌려줍니다. 숫자는 모두 실제 민원 자료에서 셉니다.",
        "parameters": {
            "type": "object",
            "properties": {
                "topic": {"type": "string", "description": "민원 주제 (한국어 명사구)"},
                "date_from": {"type": "string", "description": "시작일 YYYY-MM-DD (선택)"},
                "date_to": {"type": "string", "description": "종료일 YYYY-MM-DD (선택)"},
                "dong": {"type": "string", "description": "동 이름 (선택)"},
                "department": {"type": "string", "description": "처리 부서 (선택)"},
            },
            "required": ["topic"],
        },
    },
}


def run_tool(session: Session, arguments: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Execute TOOL_SPEC's function with model-supplied arguments; returns the ranking dict (plus markdown)."""

    def _date(value: Any) -> date | None:
        return date.fromisoformat(str(value)) if value else None

    ranking = rank_topic(
        session,
        str(arguments.get("topic", "")),
        date_from=_date(arguments.get("date_from")),
        date_to=_date(arguments.get("date_to")),
        dong=arguments.get("dong") or None,
        department=arguments.get("department") or None,
        **kwargs,
    )
    out = ranking.to_dict()
    out["markdown"] = ranking.to_markdown(details=False)
    return out
