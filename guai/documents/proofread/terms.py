"""Word lists (old administrative expressions, misspellings) from data files, with administrator overrides."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from guai.documents.proofread.conjugate import DOEDA_SUFFIXES, HADA_SUFFIXES, conjugate

DATA_DIR = Path(__file__).parent / "data"
KINDS = ("word", "hada", "doeda", "regex")


class TermFileError(ValueError):
    """A word-list file has a malformed line; the message names file and line."""


@dataclass(frozen=True)
class Term:
    kind: str
    old: str
    new: str
    not_after: str = ""


def override_dir() -> Path | None:
    """GUAI_HOME/documents/proofread — where an administrator adds or changes entries (None if no settings)."""
    try:
        from guai.config import get_settings

        return get_settings().home / "documents" / "proofread"
    except Exception:  # settings invalid: the packaged lists still work
        return None


def parse_terms(text: str, source: str) -> list[Term]:
    """Terms from TSV text; `#` lines are comments."""
    out: list[Term] = []
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3 or cols[0] not in KINDS or not cols[1]:
            raise TermFileError(
                f"{source} {no}번째 줄 형식이 올바르지 않습니다: 종류(word/hada/doeda/regex), 옛말, 새말을 탭으로 나누어 적으세요."
            )
        not_after = cols[3].strip() if len(cols) > 3 else ""
        if cols[0] == "regex":
            try:
                re.compile(cols[1])
            except re.error as exc:
                raise TermFileError(f"{source} {no}번째 줄의 정규식이 올바르지 않습니다: {exc}") from exc
        if cols[0] in ("hada", "doeda"):
            tail = "하다" if cols[0] == "hada" else "되다"
            if not cols[1].endswith(tail) or not cols[2].endswith("다"):
                raise TermFileError(
                    f"{source} {no}번째 줄: {cols[0]} 항목은 '…{tail}' 꼴의 옛말과 '…다' 꼴의 새말이 필요합니다."
                )
        out.append(Term(cols[0], cols[1], cols[2], not_after))
    return out


def load_terms(name: str, extra_dir: Path | None = None) -> list[Term]:
    """Packaged list `name` merged with the override file of the same name (same kind+old replaces; new `-` removes)."""
    terms = {(t.kind, t.old): t for t in parse_terms((DATA_DIR / name).read_text(encoding="utf-8"), name)}
    folder = extra_dir if extra_dir is not None else override_dir()
    if folder is not None and (folder / name).is_file():
        for t in parse_terms((folder / name).read_text(encoding="utf-8"), str(folder / name)):
            if t.new == "-":
                terms.pop((t.kind, t.old), None)
            else:
                terms[(t.kind, t.old)] = t
    return list(terms.values())


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    old: str
    new: str


class TermMatcher:
    """Finds every listed expression in a text and proposes the replacement, conjugated where needed."""

    def __init__(self, terms: list[Term]) -> None:
        self.words = {t.old: t for t in terms if t.kind == "word"}
        self.verbs = {t.old[:-2]: t for t in terms if t.kind in ("hada", "doeda")}
        self.regexes = [(re.compile(t.old), t.new) for t in terms if t.kind == "regex"]
        self._not_after = {
            old: re.compile(f"(?:{t.not_after})") for old, t in self.words.items() if t.not_after
        }
        alts = sorted(self.words, key=len, reverse=True)
        self._word_re = re.compile(r"(?<![가-힣])(" + "|".join(map(re.escape, alts)) + ")") if alts else None
        stems = sorted(self.verbs, key=len, reverse=True)
        sufs = sorted({s for s, _ in HADA_SUFFIXES + DOEDA_SUFFIXES}, key=len, reverse=True)
        self._verb_re = (
            re.compile(r"(?<![가-힣])(" + "|".join(map(re.escape, stems)) + ")(" + "|".join(sufs) + ")")
            if stems
            else None
        )

    def find(self, text: str) -> list[Match]:
        out: list[Match] = []
        if self._word_re:
            for m in self._word_re.finditer(text):
                old = m.group(1)
                na = self._not_after.get(old)
                if na and na.match(text, m.end()):
                    continue
                out.append(Match(m.start(), m.end(), old, self.words[old].new))
        if self._verb_re:
            for m in self._verb_re.finditer(text):
                term = self.verbs[m.group(1)]
                table = dict(HADA_SUFFIXES if term.kind == "hada" else DOEDA_SUFFIXES)
                if m.group(2) not in table:
                    continue
                out.append(
                    Match(m.start(), m.end(), m.group(0), _rewrite(term, m.group(2), table[m.group(2)]))
                )
        for rx, new in self.regexes:
            for m in rx.finditer(text):
                out.append(Match(m.start(), m.end(), m.group(0), m.expand(new)))
        return out


def _rewrite(term: Term, suffix: str, ending: str) -> str:
    light = "하다" if term.kind == "hada" else "되다"
    if term.new.endswith(light):
        return term.new[:-2] + suffix  # same light verb: keep the writer's own ending (하여/해)
    return conjugate(term.new, ending)
