"""Sub-issues of matched complaints: groups of distinctive co-occurring terms, labelled by those terms.

1. Terms far more frequent in the matched complaints than in all complaints (lift × frequency,
   a class-based TF-IDF) are the candidates; generic complaint words never are.
2. Candidates that keep the same company (second-order co-occurrence) are merged by average linkage,
   so "헬멧·안전모·착용" become one sub-issue and "무면허·미성년자" another.
3. Each complaint goes to the group whose terms it contains with the most weight (title counts
   double); complaints with none go to "기타". Small groups dissolve into the others.
The label is the group's two most frequent terms ("방치·통행"). Deterministic for the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from guai.complaints.index import CorpusIndex
from guai.complaints.labels import GENERIC, NAME_KINDS, is_piece, is_place

OTHER = "기타"
MAX_TERMS = 80
MERGE_DISTANCE = 0.6
MAX_GROUPS = 9

TITLE_WEIGHT = 3


@lru_cache(maxsize=4096)
def is_predicate(term: str) -> bool:
    """Whether a stored token is a verb/adjective stem ("쓰러지"), judged by Kiwi on "<term>다"."""
    from guai.korean import analyze

    morphs = analyze(term + "다")
    return bool(morphs) and morphs[0].form == term and morphs[0].tag.split("-")[0] in ("VV", "VA")


def display_term(term: str) -> str:
    """Readable form of a token for labels: stems become nouns ("쓰러지" → "쓰러짐", "먹" → "먹음")."""
    if not is_predicate(term):
        return term
    last = ord(term[-1]) - 0xAC00
    if 0 <= last < 11172 and last % 28 == 0:
        return term[:-1] + chr(0xAC00 + last + 16)  # add final ㅁ
    return term + "음"


@dataclass
class SubIssue:
    """One sub-issue: label, its terms, and member positions (index rows) with their fit score."""

    label: str
    terms: list[str]
    positions: np.ndarray
    fit: np.ndarray


def _candidate_terms(
    index: CorpusIndex, positions: np.ndarray, exclude: set[str]
) -> tuple[list[int], np.ndarray]:
    sub = index.both[positions]
    df_sub = np.diff(sub.tocsc().indptr).astype(np.float64)
    df_all = index.doc_freq().astype(np.float64)
    n_sub, n_all = float(len(positions)), float(index.size)
    lift = (df_sub / n_sub) / np.maximum(df_all / n_all, 1e-9)
    min_df = max(2.0, 0.02 * n_sub)
    score = np.where((df_sub >= min_df) & (lift > 1.5), df_sub * np.log(np.maximum(lift, 1e-9)), 0.0)
    vocab = index.terms()
    blocked = set(exclude) | GENERIC
    order = [int(c) for c in np.argsort(-score)[: MAX_TERMS * 4] if score[c] > 0]
    usable = [c for c in order if not (vocab[c] in blocked or len(vocab[c]) < 2 or vocab[c].isdigit())]
    # Places and proper names say where, not what (labels like "하늘연·일원" or "신흥동·주위").
    places = [c for c in usable if vocab[c] in exclude or is_place(vocab[c])]
    # A kind most matched complaints mention is the topic itself ("공원"), not part of a name.
    kinds = [index.vocab[k] for k in NAME_KINDS if k in index.vocab and df_sub[index.vocab[k]] < 0.3 * n_sub]
    cooc = _cooccurrence(sub, usable, places + kinds)
    chosen: list[int] = []
    skip = set(places)
    for u, col in enumerate(usable):
        if len(chosen) >= MAX_TERMS:
            break
        if col in skip:
            continue
        term, with_term = vocab[col], float(df_sub[col])
        together = {vocab[p]: float(cooc[u, j]) for j, p in enumerate(places) if term in vocab[p]}
        # Kiwi splits some named places in running text ("자유공원에" → 자유 + 공원): the name is a
        # piece when "<name><kind>" is a place and the kind is (almost) always there too.
        if term not in NAME_KINDS:
            for j, kind in enumerate(kinds, start=len(places)):
                if cooc[u, j] >= 0.8 * with_term and is_place(term + vocab[kind]):
                    together[term + vocab[kind]] = with_term
        if together and is_piece(term, with_term, together):
            continue
        chosen.append(col)
    return chosen, score


def _cooccurrence(sub: sparse.csr_matrix, rows: list[int], cols: list[int]) -> np.ndarray:
    """How many complaints contain both term `rows[i]` and term `cols[j]` (one sparse product)."""
    if not rows or not cols:
        return np.zeros((len(rows), len(cols)))
    csc = sub.tocsc()
    left = (csc[:, rows] > 0).astype(np.float32)
    right = (csc[:, cols] > 0).astype(np.float32)
    return (left.T @ right).toarray()


def _merge_terms(presence: np.ndarray) -> np.ndarray:
    """Cluster labels (1..k) for term columns by second-order co-occurrence, average linkage.

    Two terms are alike when they co-occur with the same other terms (cosine of their P(other|term)
    profiles), not only with each other: "중학생" and "무면허" seldom share a sentence but both come
    with "미성년자", "운전" in the titles of the same sub-issue.
    """
    k = presence.shape[1]
    if k == 1:
        return np.ones(1, dtype=int)
    inter = presence.T @ presence
    df = np.maximum(np.diag(inter).copy(), 1.0)
    profile = inter / df[:, None]
    np.fill_diagonal(profile, 1.0)
    profile /= np.maximum(np.linalg.norm(profile, axis=1, keepdims=True), 1e-12)
    distance = np.clip(1.0 - profile @ profile.T, 0.0, None)
    distance = (distance + distance.T) / 2
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return fcluster(tree, t=MERGE_DISTANCE, criterion="distance")


def cluster(index: CorpusIndex, positions: np.ndarray, exclude: set[str]) -> list[SubIssue]:
    """Sub-issues of the complaints at `positions`, largest first, "기타" last."""
    if len(positions) == 0:
        return []
    cols, score = _candidate_terms(index, positions, exclude)
    vocab = index.terms()
    if not cols:
        return [SubIssue(OTHER, [], positions, np.zeros(len(positions)))]
    weighted = (index.title[positions][:, cols] * TITLE_WEIGHT + index.body[positions][:, cols]).toarray()
    presence = (weighted > 0).astype(np.float64)
    in_title = (index.title[positions][:, cols] > 0).toarray().astype(np.float64)
    term_group = _merge_terms(presence)
    weights = score[cols] / max(score[cols].max(), 1e-9)
    groups = sorted(set(term_group.tolist()))
    min_size = max(2, int(0.015 * len(positions)))
    while True:
        # Normalised by the group's total weight so a group with many terms does not swallow the rest.
        fit = np.stack(
            [
                (np.minimum(weighted[:, term_group == g], 2) * weights[term_group == g]).sum(axis=1)
                / np.sqrt(weights[term_group == g].sum())
                for g in groups
            ],
            axis=1,
        )
        best = np.where(fit.max(axis=1) > 0, np.argmax(fit, axis=1), -1)
        sizes = {g: int((best == i).sum()) for i, g in enumerate(groups)}
        small = [g for g in groups if sizes[g] < min_size]
        too_many = len(groups) > MAX_GROUPS
        if not small and not too_many:
            break
        drop = min(small or groups, key=lambda g: (sizes[g], g))
        groups = [g for g in groups if g != drop]
        if not groups:
            return [SubIssue(OTHER, [], positions, np.zeros(len(positions)))]
    out: list[SubIssue] = []
    for i, g in enumerate(groups):
        members = best == i
        if not members.any():
            continue
        term_cols = [j for j, tg in enumerate(term_group) if tg == g]
        # Titles summarise a complaint, so terms used in titles make the better labels.
        freq = presence[members][:, term_cols].sum(axis=0) + 2 * in_title[members][:, term_cols].sum(axis=0)
        ranked = [term_cols[j] for j in np.argsort(-freq, kind="stable") if freq[j] > 0]
        terms = [vocab[cols[j]] for j in ranked]
        # Nouns name a sub-issue better than verb stems; keep frequency order within each kind.
        named = _distinct(sorted(terms[:5], key=is_predicate))
        out.append(
            SubIssue(
                label="·".join(display_term(t) for t in named[:2]),
                terms=terms,
                positions=positions[members],
                fit=fit[members, i],
            )
        )
    rest = best == -1
    out.sort(key=lambda s: (-len(s.positions), s.label))
    if rest.any():
        out.append(SubIssue(OTHER, [], positions[rest], np.zeros(int(rest.sum()))))
    _dedupe_labels(out)
    return out


def assign(index: CorpusIndex, positions: np.ndarray, issues: list[SubIssue]) -> list[int]:
    """For other complaints (e.g. the previous period), the position in `issues` each would join."""
    named = [(i, s) for i, s in enumerate(issues) if s.terms]
    other = next((i for i, s in enumerate(issues) if not s.terms), -1)
    if len(positions) == 0:
        return []
    if not named:
        return [other] * len(positions)
    fits = []
    for _, issue in named:
        cols = [index.vocab[t] for t in issue.terms if t in index.vocab]
        block = (index.title[positions][:, cols] * TITLE_WEIGHT + index.body[positions][:, cols]).toarray()
        fits.append(np.minimum(block, 2).sum(axis=1) / np.sqrt(max(len(cols), 1)))
    stacked = np.stack(fits, axis=1)
    best = np.argmax(stacked, axis=1)
    return [named[b][0] if stacked[r, b] > 0 else other for r, b in enumerate(best)]


def _distinct(terms: list[str]) -> list[str]:
    """Drop terms that repeat an earlier one (synonyms, or one containing the other)."""
    from guai.korean import canonical

    out: list[str] = []
    for term in terms:
        if any(canonical(term) == canonical(t) or term in t or t in term for t in out):
            continue
        out.append(term)
    return out


def _dedupe_labels(issues: list[SubIssue]) -> None:
    seen: dict[str, int] = {}
    for issue in issues:
        if issue.label in seen and len(issue.terms) > 2:
            issue.label = "·".join(display_term(t) for t in (issue.terms[0], issue.terms[2]))
        seen[issue.label] = seen.get(issue.label, 0) + 1
