"""The ranking result: sub-issues with counts, shares, trends, places, departments, examples and replies.

`Ranking.to_dict()` is the JSON shape of `guai complaints rank --format json` (topic, period, total,
groups[rank, label, count, share, complaint_ids, departments, places, trend, ...], matched_ids);
`Ranking.to_markdown()` is the report text; `Ranking.check()` verifies that the numbers add up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from guai.complaints.periods import Period


@dataclass
class Named:
    name: str
    count: int

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "count": self.count}


@dataclass
class Example:
    """A representative complaint, masked unless the viewer may see it."""

    id: str
    received_on: date | None
    title: str
    excerpt: str
    dong: str | None
    department: str | None
    why: str
    masked: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "date": self.received_on.isoformat() if self.received_on else None,
            "title": self.title,
            "excerpt": self.excerpt,
            "dong": self.dong,
            "department": self.department,
            "why": self.why,
            "masked": self.masked,
        }


@dataclass
class RankedGroup:
    rank: int
    label: str
    terms: list[str]
    count: int
    share: float
    complaint_ids: list[str]
    departments: list[Named]
    places: list[Named]
    hotspots: list[Named]
    trend: list[tuple[str, int]]
    previous_count: int | None
    examples: list[Example] = field(default_factory=list)
    reply_gist: str | None = None
    model_label: str | None = None

    @property
    def display_label(self) -> str:
        return self.model_label or self.label

    @property
    def change(self) -> int | None:
        return None if self.previous_count is None else self.count - self.previous_count

    @property
    def change_pct(self) -> float | None:
        if self.previous_count in (None, 0):
            return None
        return (self.count - self.previous_count) / self.previous_count  # type: ignore[operator]

    def change_text(self) -> str:
        if self.previous_count is None:
            return "-"
        delta = self.count - self.previous_count
        sign = "+" if delta > 0 else ""
        pct = self.change_pct
        return f"{sign}{delta}건" + (
            f" ({sign}{pct * 100:.0f}%)" if pct is not None else " (신규)" if delta > 0 else ""
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "label": self.display_label,
            "data_label": self.label,
            "terms": self.terms,
            "count": self.count,
            "share": round(self.share, 4),
            "previous_count": self.previous_count,
            "change": self.change,
            "change_pct": None if self.change_pct is None else round(self.change_pct, 4),
            "trend": [{"month": m, "count": c} for m, c in self.trend],
            "departments": [d.to_dict() for d in self.departments],
            "places": [p.to_dict() for p in self.places],
            "hotspots": [p.to_dict() for p in self.hotspots],
            "examples": [e.to_dict() for e in self.examples],
            "reply_gist": self.reply_gist,
            "complaint_ids": self.complaint_ids,
        }


class RankingCheckError(AssertionError):
    """The ranking's numbers do not add up (a bug; never shown as a result)."""


@dataclass
class Ranking:
    topic: str
    label: str
    period: Period
    previous: Period | None
    filters: dict[str, str]
    total: int
    previous_total: int | None
    groups: list[RankedGroup]
    matched_ids: list[str]
    months: list[str]
    monthly_total: list[int]
    passing_excluded: int
    semantic_added: int
    method: str
    masked: bool
    generated_at: datetime
    summary: list[str] = field(default_factory=list)
    model: str | None = None
    #: One dict per matched complaint (id, date, group, dong, department, title, why) for listings/exports;
    #: titles are as stored — exports mask them through `listing()`.
    rows: list[dict[str, object]] = field(default_factory=list)

    def listing(self) -> list[dict[str, object]]:
        """The matched complaints for exports, titles masked unless the ranking is unmasked."""
        if not self.masked:
            return list(self.rows)
        from guai.privacy import mask_text

        return [{**row, "title": mask_text(str(row["title"]))} for row in self.rows]

    def check(self) -> None:
        """Group counts sum to the total, ids are unique and complete, shares sum to 1, trends sum to counts."""
        problems = []
        if sum(g.count for g in self.groups) != self.total:
            problems.append("유형별 건수의 합이 전체와 다릅니다")
        if len(self.matched_ids) != self.total or len(set(self.matched_ids)) != self.total:
            problems.append("민원 번호 목록이 전체 건수와 다릅니다")
        grouped = [cid for g in self.groups for cid in g.complaint_ids]
        if sorted(grouped) != sorted(self.matched_ids):
            problems.append("유형별 민원 번호가 전체 목록과 다릅니다")
        if self.total and abs(sum(g.share for g in self.groups) - 1.0) > 1e-6:
            problems.append("비율의 합이 100%가 아닙니다")
        for g in self.groups:
            if sum(c for _, c in g.trend) != g.count:
                problems.append(f"'{g.label}' 월별 추이의 합이 건수와 다릅니다")
        if sum(self.monthly_total) != self.total:
            problems.append("월별 합계가 전체와 다릅니다")
        if problems:
            raise RankingCheckError("; ".join(problems))

    @property
    def change_text(self) -> str:
        if self.previous_total is None or self.previous is None:
            return "-"
        delta = self.total - self.previous_total
        sign = "+" if delta > 0 else ""
        pct = f" ({sign}{delta / self.previous_total * 100:.0f}%)" if self.previous_total else ""
        return f"{sign}{delta}건{pct}"

    def period_text(self) -> str:
        return f"{_kdate(self.period.start)} ~ {_kdate(self.period.end)}"

    def to_dict(self) -> dict[str, object]:
        return {
            "topic": self.label,
            "query": self.topic,
            "period": {
                "from": self.period.start.isoformat(),
                "to": self.period.end.isoformat(),
                "label": self.period.label,
            },
            "previous_period": None
            if self.previous is None
            else {
                "from": self.previous.start.isoformat(),
                "to": self.previous.end.isoformat(),
                "total": self.previous_total,
            },
            "filters": self.filters,
            "total": self.total,
            "change": None if self.previous_total is None else self.total - self.previous_total,
            "groups": [g.to_dict() for g in self.groups],
            "monthly": [
                {"month": m, "count": c} for m, c in zip(self.months, self.monthly_total, strict=True)
            ],
            "matched_ids": self.matched_ids,
            "excluded_passing_mentions": self.passing_excluded,
            "semantic_matches": self.semantic_added,
            "method": self.method,
            "masked": self.masked,
            "summary": self.summary,
            "model": self.model,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
        }

    def to_markdown(self, *, details: bool = True) -> str:
        lines = [f"# 「{self.label}」 관련 민원 유형별 순위", ""]
        lines.append(f"- 기간: {self.period_text()} ({self.period.label})")
        if self.filters:
            lines.append("- 조건: " + ", ".join(f"{k} {v}" for k, v in self.filters.items()))
        prev = (
            f", 직전 기간 {self.previous_total:,}건 대비 {self.change_text}"
            if self.previous_total is not None
            else ""
        )
        lines.append(f"- 전체: {self.total:,}건{prev}")
        lines.append(f"- 찾은 방법: {self.method}")
        if self.passing_excluded:
            lines.append(f"- 지나가며 언급만 한 민원 {self.passing_excluded:,}건은 제외했습니다.")
        if self.summary:
            lines += ["", "## 요약", ""] + [f"- {s}" for s in self.summary]
        lines += [
            "",
            "| 순위 | 유형 | 건수 | 비율 | 직전 기간 대비 | 주요 동 | 처리 부서 |",
            "| ---: | --- | ---: | ---: | ---: | --- | --- |",
        ]
        for g in self.groups:
            lines.append(
                f"| {g.rank} | {_md(g.display_label)} | {g.count:,} | {g.share * 100:.1f}% | {g.change_text()} | "
                f"{_md(_names(g.places))} | {_md(_names(g.departments))} |"
            )
        lines.append(f"| | **합계** | **{self.total:,}** | **100%** | {self.change_text} | | |")
        if details:
            for g in self.groups:
                lines += ["", f"## {g.rank}. {g.display_label} ({g.count:,}건, {g.share * 100:.1f}%)", ""]
                if g.terms:
                    lines.append(f"- 특징어: {', '.join(g.terms[:6])}")
                lines.append(
                    "- 월별 추이: " + " · ".join(f"{m[2:].replace('-', '.')} {c}" for m, c in g.trend)
                )
                if g.hotspots:
                    lines.append(f"- 자주 나온 장소: {_names(g.hotspots)}")
                for e in g.examples:
                    when = _kdate(e.received_on) if e.received_on else "날짜 없음"
                    lines.append(
                        f"- 대표 민원 [{e.id}] ({when}, {e.dong or '동 미상'}) {_md(e.title)}: {_md(e.excerpt)}"
                    )
                if g.reply_gist:
                    lines.append(f"- 답변 요지: {_md(g.reply_gist)}")
        lines += [
            "",
            f"유형별 건수 합계 {sum(g.count for g in self.groups):,}건 = 전체 {self.total:,}건. "
            "숫자는 모두 가져온 민원 자료에서 센 값입니다."
            + (" 개인정보는 가렸습니다." if self.masked else ""),
        ]
        return "\n".join(lines) + "\n"


def _names(items: list[Named], limit: int = 3) -> str:
    return ", ".join(f"{n.name}({n.count})" for n in items[:limit]) or "-"


def _md(text: str) -> str:
    return " ".join(text.replace("|", "｜").split())


def _kdate(d: date) -> str:
    """공문서 date style: 2025. 3. 10."""
    return f"{d.year}. {d.month}. {d.day}."
