"""Summaries in 개조식 lines, each traceable to its source sentence.

API: ``summarize(text, *, length="3줄", gateway=None, user=None) -> Summary``. Without a model (``gateway`` None
or without chat) the summary is extractive: sentences scored by TextRank over character n-gram TF-IDF plus
position, picked with MMR for variety, rewritten in 개조식. With a model the summary is abstractive and every line is
checked against the source (numbers, dates and names must appear there; differences are listed in ``issues``).
Each ``SummaryLine`` has ``source_start``/``source_end`` offsets of the sentence it comes from.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from guai.documents import DocumentError
from guai.documents.factcheck import FactIssue, check_facts
from guai.documents.llm import can_chat, chat
from guai.documents.style import to_gaejosik
from guai.documents.text import Span, split_sentences, strip_bullet

LENGTHS = ("3줄", "1쪽", "상세")  # also "N줄" for 1–40 lines
MAX_CHARS = 400_000


@dataclass(frozen=True)
class SummaryLine:
    text: str
    source_start: int
    source_end: int
    source_text: str
    issues: tuple[FactIssue, ...] = ()


@dataclass
class Summary:
    lines: list[SummaryLine]
    length: str
    method: str  # "추출" (no model) or "생성" (model)
    source_chars: int
    model: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def issues(self) -> list[FactIssue]:
        return [i for line in self.lines for i in line.issues]

    @property
    def title(self) -> str:
        return f"요약({self.length})"

    def to_text(self) -> str:
        return "\n".join(f"○ {line.text}" for line in self.lines)

    def to_markdown(self) -> str:
        out = [f"## {self.title}", ""]
        for line in self.lines:
            flag = " ⚠ " + "; ".join(i.message for i in line.issues) if line.issues else ""
            out.append(f"- {line.text}{flag}")
        return "\n".join(out) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "length": self.length,
            "method": self.method,
            "model": self.model,
            "source_chars": self.source_chars,
            "notes": self.notes,
            "lines": [
                {
                    "text": ln.text,
                    "source_start": ln.source_start,
                    "source_end": ln.source_end,
                    "source_text": ln.source_text,
                    "issues": [i.__dict__ for i in ln.issues],
                }
                for ln in self.lines
            ],
        }


def _target_lines(length: str, n_sentences: int) -> int:
    m = re.fullmatch(r"(\d{1,2})\s*줄", length)
    if m:
        return int(m.group(1))
    if length == "1쪽":
        return 12
    return max(5, min(40, math.ceil(n_sentences * 0.25)))


def _candidates(text: str) -> list[Span]:
    out = []
    for s in split_sentences(text):
        body = strip_bullet(s.text)
        if len(body) < 8 or not re.search(r"[가-힣]", body) or re.fullmatch(r"[<\[(].*[>\])]", body):
            continue
        out.append(s)
    return out


def _vectors(sentences: list[str]) -> Any:
    """L2-normalised sublinear TF-IDF over character 2- and 3-grams within words (sparse rows).

    Written with scipy directly: importing scikit-learn alone costs about a second on a cold CLI run.
    """
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    df: dict[int, int] = {}
    for r, sentence in enumerate(sentences):
        counts: dict[int, int] = {}
        for word in sentence.split():
            w = f" {word} "
            for n in (2, 3):
                for i in range(len(w) - n + 1):
                    j = vocab.setdefault(w[i : i + n], len(vocab))
                    counts[j] = counts.get(j, 0) + 1
        for j, c in counts.items():
            rows.append(r)
            cols.append(j)
            vals.append(1.0 + math.log(c))
            df[j] = df.get(j, 0) + 1
    n_docs = len(sentences)
    idf = np.ones(len(vocab))
    for j, d in df.items():
        idf[j] = math.log((1 + n_docs) / (1 + d)) + 1.0
    matrix = csr_matrix(
        (np.array(vals) * idf[np.array(cols, dtype=int)] if vals else np.array(vals), (rows, cols)),
        shape=(n_docs, max(len(vocab), 1)),
    )
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    from scipy.sparse import diags

    return diags(1.0 / norms) @ matrix


def _textrank(sim: np.ndarray, iterations: int = 40, damping: float = 0.85) -> np.ndarray:
    n = sim.shape[0]
    weights = sim.copy()
    np.fill_diagonal(weights, 0.0)
    sums = weights.sum(axis=1, keepdims=True)
    sums[sums == 0] = 1.0
    transition = weights / sums
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        rank = (1 - damping) / n + damping * transition.T @ rank
    return rank


def extract(text: str, count: int) -> list[Span]:
    """The `count` most central, non-redundant sentences of `text`, in document order."""
    cands = _candidates(text)
    if not cands:
        return []
    if len(cands) <= count:
        return cands
    matrix = _vectors([strip_bullet(c.text) for c in cands])
    sim = (matrix @ matrix.T).toarray()
    rank = _textrank(sim)
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid) or 1.0
    central = np.asarray(matrix @ centroid).ravel() / norm
    position = np.array([1.0 / (1.0 + i / 5.0) for i in range(len(cands))])
    score = 0.55 * rank / (rank.max() or 1) + 0.30 * central / (central.max() or 1) + 0.15 * position
    chosen: list[int] = []
    while len(chosen) < count:
        best, best_val = -1, -1e9
        for i in np.argsort(-score)[: count * 6]:
            if i in chosen:
                continue
            redundancy = max((sim[i, j] for j in chosen), default=0.0)
            val = 0.7 * score[i] - 0.3 * redundancy
            if val > best_val:
                best, best_val = int(i), val
        if best < 0:
            break
        chosen.append(best)
    return [cands[i] for i in sorted(chosen)]


def _extractive(text: str, length: str) -> Summary:
    cands = _candidates(text)
    count = _target_lines(length, len(cands))
    spans = extract(text, count)
    if length == "1쪽":  # one page ≈ 1,200 characters of bullets
        total, kept = 0, []
        for s in spans:
            total += len(s.text)
            if kept and total > 1200:
                break
            kept.append(s)
        spans = kept
    lines = [SummaryLine(to_gaejosik(s.text), s.start, s.end, s.text) for s in spans]
    return Summary(lines, length, "추출", len(text))


_SYSTEM = (
    "당신은 구청 공무원의 문서 요약을 돕습니다. 원문에 있는 사실만 쓰고, 원문에 없는 숫자·날짜·이름을 만들지 마세요. "
    "한 줄에 한 가지 내용을 개조식(명사형 끝맺음, 예: '…추진', '…증가함')으로 씁니다. 머리말 없이 요약 줄만 씁니다."
)


def _abstractive(text: str, length: str, gateway: Any, user: Any) -> Summary:
    cands = _candidates(text)
    count = _target_lines(length, len(cands))
    prompt = f"다음 문서를 {count}줄 이내 개조식으로 요약하세요. 각 줄은 '- '로 시작합니다.\n\n<문서>\n{text}\n</문서>"
    reply, model = chat(gateway, _SYSTEM, prompt, user=user, purpose="documents.summarize")
    raw = [strip_bullet(line) for line in reply.splitlines()]
    raw = [line for line in raw if line and re.search(r"[가-힣A-Za-z0-9]", line)][: max(count, 3) * 2]
    if not raw:
        raise DocumentError("모델이 빈 요약을 돌려주었습니다. 다시 시도하거나 모델 없이 요약하세요.")
    sources = cands or [Span(text.strip(), 0, len(text))]
    matrix = _vectors([strip_bullet(c.text) for c in sources] + raw)
    src, out = matrix[: len(sources)], matrix[len(sources) :]
    sim = (out @ src.T).toarray()
    lines = []
    for i, line in enumerate(raw):
        j = int(sim[i].argmax())
        s = sources[j]
        lines.append(SummaryLine(line, s.start, s.end, s.text, tuple(check_facts(line, text))))
    summary = Summary(lines, length, "생성", len(text), model=model)
    if summary.issues:
        summary.notes.append("원문에 없는 숫자·날짜·이름이 있는 줄을 표시했습니다. 원문과 대조하세요.")
    return summary


def summarize(text: str, *, length: str = "3줄", gateway: Any = None, user: Any = None) -> Summary:
    """Summarise `text` in 개조식 lines (3줄, 1쪽 or 상세); with a chat-capable `gateway` the summary is generated."""
    length = length.strip()
    m = re.fullmatch(r"(\d{1,2})\s*줄", length)
    if length not in LENGTHS and not (m and 1 <= int(m.group(1)) <= 40):
        raise DocumentError(f"요약 길이는 {', '.join(LENGTHS)} 중 하나여야 합니다: {length!r}")
    if not text or not text.strip():
        raise DocumentError("요약할 내용이 비어 있습니다.")
    if len(text) > MAX_CHARS:
        raise DocumentError(f"문서가 너무 깁니다({len(text):,}자). {MAX_CHARS:,}자 이하로 나누어 요약하세요.")
    if can_chat(gateway):
        return _abstractive(text, length, gateway, user)
    return _extractive(text, length)
