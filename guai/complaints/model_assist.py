"""Optional model help for a ranking: clearer sub-issue labels and a 3-line summary.

The model only words things. It sees the table the data produced and may rename groups and summarise;
a summary line quoting a number that is not in the table is dropped, so numbers stay the data's.
Any model problem leaves the ranking as it was.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from guai.complaints.ranking import Ranking

log = logging.getLogger(__name__)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_JSON = re.compile(r"\{.*\}", re.S)


def _prompt(ranking: Ranking) -> str:
    rows = [
        {
            "rank": g.rank,
            "label": g.label,
            "terms": g.terms[:6],
            "count": g.count,
            "share_pct": round(g.share * 100, 1),
            "change": g.change,
            "examples": [e.title for e in g.examples],
        }
        for g in ranking.groups
    ]
    return (
        f"구청 민원 분석 결과입니다. 주제: {ranking.label}, 기간: {ranking.period_text()}, 전체 {ranking.total}건.\n"
        f"유형별 표(JSON): {json.dumps(rows, ensure_ascii=False)}\n\n"
        "1) 각 유형의 label을 공무원이 보고서에 쓸 수 있는 짧은 한국어 명사구(12자 이내, 예: '무단 방치·통행 방해')로 고쳐 주세요. "
        "'기타'는 그대로 두세요.\n2) 전체 결과를 3줄로 요약해 주세요. 숫자는 표에 있는 숫자만 쓰세요.\n"
        '다음 JSON 한 개만 답하세요: {"labels": {"1": "...", ...}, "summary": ["...", "...", "..."]}'
    )


def _allowed_numbers(ranking: Ranking) -> set[str]:
    values: set[str] = {str(ranking.total), f"{ranking.total:,}", str(len(ranking.groups))}
    if ranking.previous_total is not None:
        values |= {str(ranking.previous_total), str(abs(ranking.total - ranking.previous_total))}
    for g in ranking.groups:
        values |= {str(g.rank), str(g.count), f"{g.count:,}", f"{g.share * 100:.1f}", f"{g.share * 100:.0f}"}
        if g.change is not None:
            values |= {str(abs(g.change))}
        if g.change_pct is not None:
            values |= {f"{abs(g.change_pct) * 100:.0f}"}
    for d in (ranking.period.start, ranking.period.end):
        values |= {str(d.year), str(d.month), str(d.day)}
    return values


def improve_ranking(ranking: Ranking, gateway: Any, *, user: Any = None) -> None:
    """Ask the model for labels and a summary; keep only what passes the checks."""
    try:
        if not ranking.groups or not gateway.available("chat"):
            return
        result = gateway.chat(
            [{"role": "user", "content": _prompt(ranking)}],
            user=user,
            purpose="민원 분석 요약",
            temperature=0.2,
            max_tokens=600,
        )
    except Exception as exc:  # noqa: BLE001 - the model is optional; the ranking stands without it
        log.warning("model help for complaint ranking failed: %s", exc)
        return
    match = _JSON.search(result.text or "")
    if not match:
        return
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError:
        return
    labels = data.get("labels") if isinstance(data, dict) else None
    if isinstance(labels, dict):
        for g in ranking.groups:
            new = labels.get(str(g.rank))
            if isinstance(new, str) and 0 < len(new.strip()) <= 20 and g.label != "기타":
                g.model_label = new.strip()
    summary = data.get("summary") if isinstance(data, dict) else None
    if isinstance(summary, list):
        allowed = _allowed_numbers(ranking)
        lines = [s.strip() for s in summary if isinstance(s, str) and s.strip()]
        ranking.summary = [s[:200] for s in lines[:3] if all(n in allowed for n in _NUMBER.findall(s))]
    ranking.model = f"{result.provider}/{result.model}"
