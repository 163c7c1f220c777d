"""Synonym groups from data/synonyms.tsv: canonical terms for grouping, and query expansion for search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from guai.korean._data import SynonymRow, VocabularyError, synonym_rows
from guai.korean.normalize import normalize

__all__ = [
    "SynonymGroup",
    "all_groups",
    "canonical",
    "canonicalize_tokens",
    "expand_query_tokens",
    "group",
]


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    """Terms that mean the same thing in a complaint; `one_way` variants are never added by expansion."""

    canonical: str
    variants: tuple[str, ...]
    one_way: frozenset[str]

    @property
    def terms(self) -> tuple[str, ...]:
        """The canonical term first, then every variant as written in the data file."""
        return (self.canonical, *self.variants)


def _key(term: str) -> str:
    """Spacing-, width- and case-insensitive lookup key ("전동 킥보드" and "전동킥보드" are one key)."""
    return "".join(normalize(term).split()).casefold()


def _group_of(row: SynonymRow) -> SynonymGroup:
    variants = tuple(dict.fromkeys(v for v in row.variants if v != row.canonical))
    return SynonymGroup(row.canonical, variants, row.one_way)


@cache
def _surface_index() -> tuple[tuple[SynonymGroup, ...], dict[str, SynonymGroup]]:
    groups = tuple(_group_of(row) for row in synonym_rows())
    index: dict[str, SynonymGroup] = {}
    for grp in groups:
        for term in grp.terms:
            key = _key(term)
            other = index.get(key)
            if other is not None and other is not grp:
                raise VocabularyError(
                    f"synonyms.tsv: {term!r} is in two groups ({other.canonical!r} and {grp.canonical!r})"
                )
            index[key] = grp
    return groups, index


def all_groups() -> list[SynonymGroup]:
    """Every synonym group, in data-file order."""
    return list(_surface_index()[0])


def _find(term: str) -> SynonymGroup | None:
    return _surface_index()[1].get(_key(term))


def canonical(term: str) -> str:
    """The canonical term of `term`'s group ("전동 킥보드", "PM" -> "전동킥보드"); `term` itself if none."""
    grp = _find(term)
    return grp.canonical if grp is not None else term


def group(term: str) -> list[str]:
    """All terms of `term`'s group, canonical first; `[term]` when it belongs to no group."""
    grp = _find(term)
    return list(grp.terms) if grp is not None else [term]


@dataclass(frozen=True, slots=True)
class _TokenIndex:
    by_tokens: dict[tuple[str, ...], SynonymGroup]
    longest: int
    canonical_token: dict[str, str]
    expansion: dict[str, tuple[str, ...]]
    conflicts: tuple[str, ...]


@cache
def _token_index() -> _TokenIndex:
    """Each term as search tokens, so token lists can be matched (needs Kiwi, built on first use)."""
    from guai.korean.analyzer import tokens_batch

    groups = _surface_index()[0]
    terms = [(grp, term) for grp in groups for term in grp.terms]
    analysed = tokens_batch([term for _, term in terms])
    by_tokens: dict[tuple[str, ...], SynonymGroup] = {}
    conflicts: list[str] = []
    singles: dict[str, list[str]] = {grp.canonical: [] for grp in groups}
    canonical_token: dict[str, str] = {}
    for (grp, term), toks in zip(terms, analysed, strict=True):
        seq = tuple(toks)
        if not seq:
            conflicts.append(f"{term!r} has no search tokens")
            continue
        other = by_tokens.setdefault(seq, grp)
        if other is not grp:
            conflicts.append(f"{term!r} {seq} is also in group {other.canonical!r}")
        if term == grp.canonical:
            canonical_token[grp.canonical] = "".join(seq)
            if len(seq) != 1:
                conflicts.append(f"canonical {term!r} is not one token: {seq}")
        if len(seq) == 1 and term not in grp.one_way:
            singles[grp.canonical].append(seq[0])
    expansion = {name: tuple(dict.fromkeys(forms)) for name, forms in singles.items()}
    longest = max((len(seq) for seq in by_tokens), default=0)
    return _TokenIndex(by_tokens, longest, canonical_token, expansion, tuple(conflicts))


def _matches(toks: Sequence[str]) -> list[tuple[int, int, SynonymGroup]]:
    """Longest-first, left-to-right matches of group terms in a token list: (start, end, group)."""
    index = _token_index()
    found: list[tuple[int, int, SynonymGroup]] = []
    i = 0
    count = len(toks)
    while i < count:
        for n in range(min(index.longest, count - i), 0, -1):
            grp = index.by_tokens.get(tuple(toks[i : i + n]))
            if grp is not None:
                found.append((i, i + n, grp))
                i += n
                break
        else:
            i += 1
    return found


def expand_query_tokens(tokens: Sequence[str]) -> list[str]:
    """Query tokens plus the one-token forms of every group they mention (for BM25 queries).

    The original tokens come first, unchanged; then, per matched group, its canonical token and its
    other two-way single-token variants, each once ("킥보드" adds 전동킥보드, 공유킥보드, 개인형이동장치 ...).
    Multi-token variants are recognised ("주정차 위반" -> [주정차, 위반]) but never added.
    """
    out = list(tokens)
    seen = set(out)
    index = _token_index()
    for _, _, grp in _matches(tokens):
        for tok in index.expansion[grp.canonical]:
            if tok not in seen:
                seen.add(tok)
                out.append(tok)
    return out


def canonicalize_tokens(tokens: Sequence[str]) -> list[str]:
    """Tokens with every group term replaced by its canonical token (for clustering and topic counts)."""
    index = _token_index()
    out: list[str] = []
    last = 0
    for start, end, grp in _matches(tokens):
        out.extend(tokens[last:start])
        out.append(index.canonical_token.get(grp.canonical, grp.canonical))
        last = end
    out.extend(tokens[last:])
    return out
