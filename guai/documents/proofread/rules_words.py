"""Plain words for old administrative jargon, common misspellings and 율/률 (data files + one rule)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from guai.documents.proofread.conjugate import _final, _is_hangul
from guai.documents.proofread.engine import DECREE, Context, Finding, rule
from guai.documents.proofread.terms import TermMatcher, load_terms, override_dir


def _mtime(folder: Path | None, name: str) -> float:
    try:
        return (folder / name).stat().st_mtime if folder else 0.0
    except OSError:
        return 0.0


@lru_cache(maxsize=8)
def _matcher(name: str, folder: Path | None, mtime: float) -> TermMatcher:  # mtime: reload after edits
    return TermMatcher(load_terms(name, folder))


def matcher(name: str) -> TermMatcher:
    folder = override_dir()
    return _matcher(name, folder, _mtime(folder, name))


@rule(
    "PLAIN-WORDS",
    "쉬운 우리말 쓰기",
    f"{DECREE} 제7조제2항 (일반화되지 않은 약어·전문용어를 피하여 이해하기 쉽게)",
    severity="권고",
)
def check_plain_words(ctx: Context) -> Iterator[Finding | None]:
    for m in matcher("plain_terms.tsv").find(ctx.text):
        yield ctx.finding(
            "PLAIN-WORDS",
            m.start,
            m.end,
            f"'{m.old}'보다 쉬운 말 '{m.new}'을(를) 씁니다.",
            m.new,
            severity="권고",
        )


@rule(
    "MISSPELLING",
    "자주 틀리는 말",
    f"{DECREE} 제7조제1항 (「국어기본법」 제3조제3호 어문규범: 한글 맞춤법·표준어 규정)",
)
def check_misspellings(ctx: Context) -> Iterator[Finding | None]:
    for m in matcher("misspellings.tsv").find(ctx.text):
        yield ctx.finding(
            "MISSPELLING",
            m.start,
            m.end,
            f"'{m.old}'은(는) 맞춤법에 맞지 않습니다. '{m.new}'(으)로 씁니다.",
            m.new,
        )


_RATE = re.compile(r"(?<=[가-힣])([가-힣])(율|률)")
# Words where 율/률 is not the suffix 率/律 or which are established spellings.
_RATE_EXCEPTIONS = {"선율", "운율", "전율", "규율", "자율", "타율", "음률", "법률"}


@rule("RATE-SUFFIX", "'율'과 '률'", f"{DECREE} 제7조제1항 (한글 맞춤법 제11항 붙임 1)")
def check_rate(ctx: Context) -> Iterator[Finding | None]:
    """모음이나 ㄴ 받침 뒤에서는 '율', 그 밖의 받침 뒤에서는 '률' (이용률, 참여율, 출산율)."""
    for m in _RATE.finditer(ctx.text):
        prev = m.group(1)
        if not _is_hangul(prev) or prev + m.group(2) in _RATE_EXCEPTIONS:
            continue
        want = "율" if _final(prev) in ("", "ㄴ") else "률"
        if m.group(2) != want:
            yield ctx.finding(
                "RATE-SUFFIX",
                m.start(2),
                m.end(2),
                f"'{prev}' 뒤에서는 '{want}'로 씁니다(모음·ㄴ 받침 뒤 '율', 그 밖의 받침 뒤 '률').",
                want,
            )
