"""Reads the vocabulary files in guai/korean/data (user dictionary, synonym groups), once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

USER_DICTIONARY_FILE = "user_dictionary.tsv"
SYNONYMS_FILE = "synonyms.tsv"
PRE_ANALYZED_FILE = "pre_analyzed.tsv"
PRE_ANALYZED_SCORE = 3.0

#: Tags a user-dictionary word may carry: they are content tags that `tokens()` keeps.
ALLOWED_TAGS = frozenset({"NNG", "NNP"})

#: Kiwi user-word score for entries without one. At 0 Kiwi still splits compounds before another noun
#: ("불법주차 차량" -> 불법/주차/차량); 1 keeps them whole there without changing unrelated words.
DEFAULT_SCORE = 1.0

#: Prefix marking a synonym variant that is recognised but never added by query expansion.
ONE_WAY_MARK = "~"


class VocabularyError(ValueError):
    """A vocabulary data file has a malformed line; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class DictEntry:
    """One user-dictionary word: `word` has no spaces; `spaced` keeps the file's split points."""

    word: str
    spaced: str
    tag: str
    score: float
    line: int

    @property
    def parts(self) -> tuple[str, ...]:
        """The pieces between the split points ("전동 킥보드" -> ("전동", "킥보드"))."""
        return tuple(self.spaced.split(" "))


@dataclass(frozen=True, slots=True)
class SynonymRow:
    """One line of synonyms.tsv: the canonical term and its variants as written."""

    canonical: str
    variants: tuple[str, ...]
    one_way: frozenset[str]
    line: int


def _read(name: str) -> str:
    return resources.files("guai.korean").joinpath("data", name).read_text(encoding="utf-8")


def _lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append((number, line))
    return out


def _squash_spaces(value: str) -> str:
    return " ".join(value.split())


@cache
def user_dictionary() -> tuple[DictEntry, ...]:
    """All entries of user_dictionary.tsv, in file order."""
    return parse_user_dictionary(_read(USER_DICTIONARY_FILE))


@cache
def synonym_rows() -> tuple[SynonymRow, ...]:
    """All rows of synonyms.tsv, in file order."""
    return parse_synonyms(_read(SYNONYMS_FILE))


@dataclass(frozen=True, slots=True)
class PreAnalyzed:
    """A surface form with the morphemes Kiwi must read it as: pieces are (form, tag, start, end)."""

    surface: str
    pieces: tuple[tuple[str, str, int, int], ...]
    score: float


@cache
def pre_analyzed_words() -> tuple[PreAnalyzed, ...]:
    """All entries of pre_analyzed.tsv."""
    return parse_pre_analyzed(_read(PRE_ANALYZED_FILE))


def parse_pre_analyzed(text: str) -> tuple[PreAnalyzed, ...]:
    """Parse pre_analyzed.tsv; the pieces must spell the surface exactly."""
    entries: list[PreAnalyzed] = []
    for number, line in _lines(text):
        cols = line.split("\t")
        where = f"{PRE_ANALYZED_FILE}:{number}"
        if len(cols) not in (2, 3):
            raise VocabularyError(f"{where}: expected 'surface<TAB>form/TAG ...[<TAB>score]', got {line!r}")
        surface = cols[0].strip()
        pieces: list[tuple[str, str, int, int]] = []
        pos = 0
        for item in cols[1].split():
            form, _, tag = item.rpartition("/")
            if not form or not tag:
                raise VocabularyError(f"{where}: piece {item!r} is not form/TAG")
            pieces.append((form, tag, pos, pos + len(form)))
            pos += len(form)
        if "".join(p[0] for p in pieces) != surface:
            raise VocabularyError(f"{where}: pieces do not spell {surface!r}")
        try:
            score = float(cols[2]) if len(cols) == 3 and cols[2].strip() else PRE_ANALYZED_SCORE
        except ValueError as exc:
            raise VocabularyError(f"{where}: score {cols[2]!r} is not a number") from exc
        entries.append(PreAnalyzed(surface=surface, pieces=tuple(pieces), score=score))
    return tuple(entries)


def parse_user_dictionary(text: str) -> tuple[DictEntry, ...]:
    """Parse user_dictionary.tsv content; a malformed line or a duplicate word raises VocabularyError."""
    entries: list[DictEntry] = []
    seen: dict[str, int] = {}
    for number, line in _lines(text):
        cols = line.split("\t")
        where = f"{USER_DICTIONARY_FILE}:{number}"
        if len(cols) not in (2, 3):
            raise VocabularyError(f"{where}: expected 'word<TAB>tag[<TAB>score]', got {line!r}")
        spaced = _squash_spaces(cols[0])
        tag = cols[1].strip()
        if not spaced:
            raise VocabularyError(f"{where}: empty word")
        if tag not in ALLOWED_TAGS:
            raise VocabularyError(f"{where}: tag {tag!r} not in {sorted(ALLOWED_TAGS)}")
        try:
            score = float(cols[2]) if len(cols) == 3 and cols[2].strip() else DEFAULT_SCORE
        except ValueError as exc:
            raise VocabularyError(f"{where}: score {cols[2]!r} is not a number") from exc
        word = spaced.replace(" ", "")
        if word in seen:
            raise VocabularyError(f"{where}: {word!r} already defined on line {seen[word]}")
        seen[word] = number
        entries.append(DictEntry(word=word, spaced=spaced, tag=tag, score=score, line=number))
    return tuple(entries)


def parse_synonyms(text: str) -> tuple[SynonymRow, ...]:
    """Parse synonyms.tsv content; a malformed line raises VocabularyError."""
    rows: list[SynonymRow] = []
    for number, line in _lines(text):
        cols = [_squash_spaces(c) for c in line.split("\t")]
        cols = [c for c in cols if c]
        where = f"{SYNONYMS_FILE}:{number}"
        if len(cols) < 2:
            raise VocabularyError(f"{where}: expected 'canonical<TAB>variant[<TAB>variant...]'")
        canonical = cols[0]
        if canonical.startswith(ONE_WAY_MARK):
            raise VocabularyError(f"{where}: the canonical term cannot be one-way ({canonical!r})")
        variants: list[str] = []
        one_way: set[str] = set()
        for col in cols[1:]:
            term = col
            if col.startswith(ONE_WAY_MARK):
                term = col[len(ONE_WAY_MARK) :].strip()
                one_way.add(term)
            if not term:
                raise VocabularyError(f"{where}: empty variant")
            variants.append(term)
        rows.append(SynonymRow(canonical, tuple(variants), frozenset(one_way), number))
    return tuple(rows)
