"""Query understanding: Kiwi tokens, everyday words → statute vocabulary, named law and 조.

Citizens write "킥보드 헬멧 안 쓰면 벌금"; the statute says "개인형 이동장치 … 인명보호 장구 … 벌금·과료".
data/legal_terms.tsv maps everyday words to the words statutes use (one line: word, TAB, terms separated by
";"). Expansion tokens are weighted below the user's own words (engine.EXPANSION_WEIGHT).
"""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path

from guai.knowledge.citations import normalize_article_key
from guai.knowledge.engine import QueryPlan
from guai.knowledge.textproc import normalize, query_synonyms, tokens, tokens_many

TERMS_FILE = Path(__file__).parent / "data" / "legal_terms.tsv"
_lock = threading.Lock()


@cache
def _raw_terms() -> list[tuple[str, list[str]]]:
    rows: list[tuple[str, list[str]]] = []
    for line in TERMS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _, terms = line.partition("\t")
        targets = [t.strip() for t in terms.split(";") if t.strip()]
        if word.strip() and targets:
            rows.append((word.strip(), targets))
    return rows


_compiled: list[tuple[str, frozenset[str], list[str]]] | None = None


def _terms() -> list[tuple[str, frozenset[str], list[str]]]:
    """(compact key, key tokens, expansion tokens) per entry; tokenised once per process in one Kiwi batch."""
    global _compiled
    if _compiled is None:
        with _lock:
            if _compiled is None:
                rows = _raw_terms()
                keys = tokens_many([w for w, _ in rows])
                targets = tokens_many(["\n".join(t) for _, t in rows])
                _compiled = [
                    # "=못 내": literal only; its tokens ({내}) would match every "내다".
                    (
                        re.sub(r"\s", "", w.removeprefix("=")),
                        frozenset() if w.startswith("=") else frozenset(k),
                        tg,
                    )
                    for (w, _), k, tg in zip(rows, keys, targets, strict=True)
                ]
    return _compiled


def expansion_tokens(query_tokens: list[str], compact_query: str) -> tuple[list[str], dict[str, list[str]]]:
    """Statute-vocabulary tokens for the everyday words in the query, and which own token each came from."""
    have = set(query_tokens)
    out: list[str] = []
    alternatives: dict[str, list[str]] = {}
    for key, key_tokens, targets in _terms():
        if (key_tokens and key_tokens <= have) or (len(key) >= 2 and key in compact_query):
            new = [t for t in targets if t not in have]
            out.extend(t for t in new if t not in out)
            for origin in key_tokens & have or have & set(_spread(key, query_tokens)):
                alternatives.setdefault(origin, []).extend(new)
    parts = _compound_parts()
    for origin in query_tokens:
        # "전입신고" is one token (user dictionary) but statutes also write "…에 따른 신고": add the parts.
        for t in parts.get(origin, ()):
            if t not in have:
                alternatives.setdefault(origin, []).append(t)
                if t not in out:
                    out.append(t)
        for t in query_synonyms([origin]):
            if t not in have:
                alternatives.setdefault(origin, []).append(t)
                if t not in out:
                    out.append(t)
    return out, alternatives


@cache
def _compound_parts() -> dict[str, tuple[str, ...]]:
    """User-dictionary compounds → their parts of two or more characters ("전입신고" → 전입, 신고)."""
    try:
        from guai.korean._data import user_dictionary
    except ImportError:  # pragma: no cover
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for entry in user_dictionary():
        pieces = tuple(p for p in entry.spaced.split(" ") if len(p) >= 2)
        if len(pieces) >= 2:
            out[entry.word] = pieces
    return out


def _spread(key: str, query_tokens: list[str]) -> list[str]:
    """Own tokens that are part of a multi-word key matched in the compact query ("술 마시고 운전")."""
    return [t for t in query_tokens if t in key]


def plan_query(text: str) -> QueryPlan:
    """Tokens, expansion and structural hints for one query."""
    norm = normalize(text or "")
    own = list(dict.fromkeys(tokens(norm)))
    compact = re.sub(r"[\s·ㆍ・「」]", "", norm)
    extra, alternatives = expansion_tokens(own, compact)
    return QueryPlan(
        text=norm,
        tokens=own,
        extra=extra,
        compact=compact,
        article=normalize_article_key(norm),
        alternatives=alternatives,
    )
