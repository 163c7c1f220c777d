"""Citations: 항 markers (①…㊿), 조/항/호 references, and exact citations for a position inside a chunk."""

from __future__ import annotations

import re

# ① … ⑳, ㉑ … ㉟, ㊱ … ㊿ — the 항 numbers as printed in Korean statutes.
_CIRCLED = (
    [chr(c) for c in range(0x2460, 0x2474)]
    + [chr(c) for c in range(0x3251, 0x3260)]
    + [chr(c) for c in range(0x32B1, 0x32C0)]
)
CIRCLED_INDEX = {ch: i + 1 for i, ch in enumerate(_CIRCLED)}
CIRCLED_CLASS = "[" + "".join(_CIRCLED) + "]"

ARTICLE_KEY = re.compile(r"제\s*(\d+)\s*조(?:\s*의\s*(\d+))?")
# A reference like "제50조제4항", "제50조 제4항 제2호", "제2조의3".
REFERENCE = re.compile(
    r"제\s*(\d+)\s*조(?:\s*의\s*(\d+))?(?:\s*제\s*(\d+)\s*항)?(?:\s*제\s*(\d+)\s*호(?:\s*의\s*(\d+))?)?"
)
_PARAGRAPH_LINE = re.compile(rf"^\s*({CIRCLED_CLASS})", re.M)
_ITEM_LINE = re.compile(r"^\s*(\d+)(?:의(\d+))?\.\s", re.M)


def circled(n: int) -> str:
    """The printed 항 marker for number n (1 → ①); beyond ㊿ the plain number in brackets."""
    return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else f"({n})"


def article_key(number: int, branch: int | None = None) -> str:
    """ "제50조" or "제50조의2"."""
    return f"제{number}조" + (f"의{branch}" if branch else "")


def normalize_article_key(text: str) -> str | None:
    """The article key of the first 조 reference in `text` ("제 50 조의 2" → "제50조의2"), or None."""
    m = ARTICLE_KEY.search(text)
    if not m:
        return None
    return article_key(int(m.group(1)), int(m.group(2)) if m.group(2) else None)


def paragraph_range(first: int, last: int) -> str:
    """ "제4항" or "제1항부터 제3항까지" — how statutes themselves cite a run of 항."""
    return f"제{first}항" if first == last else f"제{first}항부터 제{last}항까지"


def item_range(first: str, last: str) -> str:
    return f"제{first}호" if first == last else f"제{first}호부터 제{last}호까지"


def position_citation(base: str, text: str, offset: int, *, article_level: bool) -> str:
    """The most exact citation for character `offset` of an article chunk's `text`.

    `base` is the chunk's own citation ("도로교통법 제50조"); when the chunk is a whole 조 (article_level) the
    항 (and 호) printed before `offset` are appended: "도로교통법 제50조제4항", "… 제2조제1호".
    """
    if not article_level:
        return base
    # Up to the end of the line holding `offset`: the marker that starts that line counts.
    line_end = text.find("\n", offset)
    head = text[: line_end if line_end >= 0 else len(text)]
    paragraph = None
    para_start = 0
    for m in _PARAGRAPH_LINE.finditer(head):
        paragraph = CIRCLED_INDEX[m.group(1)]
        para_start = m.start()
    item = None
    for m in _ITEM_LINE.finditer(head, para_start):
        item = m.group(1) + (f"의{m.group(2)}" if m.group(2) else "")
    cite = base
    if paragraph:
        cite += f"제{paragraph}항"
    if item:
        cite += f"제{item}호"
    return cite


def canonical_citation(text: str) -> str:
    """Citation text compared without spaces or brackets, so "도로교통법 제50조 제4항" == "도로교통법 제50조제4항"."""
    return re.sub(r"[\s「」『』()（）\[\]]", "", text)


def citation_matches(claimed: str, available: list[str]) -> str | None:
    """The available citation that `claimed` refers to (same law and 조; 항/호 may be more exact), or None."""
    want = canonical_citation(claimed)
    if not want:
        return None
    best = None
    for cite in available:
        have = canonical_citation(cite)
        if want == have:
            return cite
        # "…제50조제4항" claimed while the source is the whole "…제50조", or vice versa.
        if want.startswith(have) or have.startswith(want):
            if ARTICLE_KEY.search(want) and _same_article(want, have):
                best = best or cite
    return best


def _same_article(a: str, b: str) -> bool:
    ma, mb = ARTICLE_KEY.search(a), ARTICLE_KEY.search(b)
    if not ma or not mb:
        return False
    prefix_a, prefix_b = a[: ma.start()], b[: mb.start()]
    return prefix_a == prefix_b and ma.group(1) == mb.group(1) and ma.group(2) == mb.group(2)
