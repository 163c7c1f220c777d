"""Article-level reordering of a BM25 ranking: one hit per 조, the statute before its decree, duty before penalty.

Whole-article BM25 leaves the articles that matter within a hair of each other ("킥보드 헬멧 안 쓰면 벌금":
시행규칙 제13조·제32조, 법 제50조, 제156조 벌칙 and 제160조 과태료 all within 1 %). Two rules that follow from
how statutes are written decide such near-ties instead of noise:

1. Near-duplicates collapse: a long 조 split into several chunks is one answer; only its best chunk stays.
2. A question about a sanction ("벌금", "과태료", "처벌") is answered by two articles: the one stating the duty
   or prohibition, and the 벌칙/과태료 article that sanctions it. Penalty articles are generic ("…을 위반한
   사람은 …벌금"), so they outrank specific duties on the penalty words alone, and 시행령/시행규칙 articles that
   elaborate the duty (장구의 기준) compete with the statute that imposes it. So the best non-penalty article
   scoring at least DUTY_MARGIN of the top goes first — a 법률 article before a 시행령/시행규칙 one, since the
   sanctioned duty is stated in the statute — and the best penalty article of the same law second.

Scores are rewritten so the new order survives merging with other collections (search.search_plan sorts by
score); a row moved up takes the best score below it, so no score exceeds the original best.
"""

from __future__ import annotations

import numpy as np

#: For sanction questions: the best duty article goes first when it scores at least this share of the top.
DUTY_MARGIN = 0.75
#: Words by which a user asks about the sanction (own query tokens, not expansions).
PENALTY_QUERY_WORDS = frozenset(
    {"벌금", "과태료", "처벌", "벌칙", "범칙금", "과료", "징역", "형벌", "처벌받"}
)
#: Title words of a pure sanction article: 벌칙, 과태료, 양벌규정, 과태료의 부과기준 … (not "과태료의 징수유예").
PENALTY_TITLE_WORDS = frozenset({"벌칙", "과태료", "양벌", "규정", "부과", "기준", "범칙금", "범칙", "과료"})
_STEP = 1e-6


def penalty_rows(title_tokens: list[list[str]]) -> np.ndarray:
    """Rows whose 조 title names only a sanction."""
    return np.array(
        [
            bool(t) and set(t) <= PENALTY_TITLE_WORDS and bool(set(t) & {"벌칙", "과태료", "범칙금", "양벌"})
            for t in title_tokens
        ],
        dtype=bool,
    )


def reorder(
    ranked: list[tuple[int, float]],
    *,
    doc_ids: np.ndarray,
    article_keys: list[str | None],
    delegated: np.ndarray,
    penalty: np.ndarray,
    families: dict[int, str],
    asks_penalty: bool,
) -> list[tuple[int, float]]:
    """Apply both rules to `ranked` ((row, score), best first); returns the new (row, score) list."""
    if not ranked:
        return ranked
    # 1. one row per article (documents without 조 keep every chunk)
    seen: set[tuple[int, str]] = set()
    rows: list[tuple[int, float]] = []
    for row, score in ranked:
        key = article_keys[row]
        if key:
            ident = (int(doc_ids[row]), key)
            if ident in seen:
                continue
            seen.add(ident)
        rows.append((row, score))
    out = rows
    # 2. sanction questions: duty first (a statute article before a decree one), its sanction second
    if asks_penalty and len(out) > 1:
        top = out[0][1]
        near = [i for i, (r, s) in enumerate(out) if not penalty[r] and s >= DUTY_MARGIN * top]
        # The duty a sanction punishes is stated in the statute; a decree article only when no statute one is near.
        duty = next((i for i in near if not delegated[out[i][0]]), near[0] if near else None)
        if duty is not None:
            d_row, _ = out.pop(duty)
            family = families.get(int(doc_ids[d_row]))
            pen = next(
                (
                    i
                    for i, (r, _s) in enumerate(out)
                    if penalty[r] and families.get(int(doc_ids[r])) == family
                ),
                None,
            )
            head = [(d_row, top)]
            if pen is not None:
                head.append(out.pop(pen))
            out = head + out
    # Scores non-increasing in the new order: each row takes the best score at or below its position.
    fixed: list[tuple[int, float]] = []
    best = -np.inf
    for i in range(len(out) - 1, -1, -1):
        best = max(best, out[i][1])
        fixed.append((out[i][0], best - i * _STEP))
    return fixed[::-1]
