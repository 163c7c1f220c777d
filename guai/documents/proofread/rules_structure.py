"""Rules for item numbering, the `끝.` mark and 붙임 (시행규칙 제2조제1항, 제4조제4항·제5항)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from guai.documents.formatting import CIRCLED, CIRCLED_HANGUL, HANGUL_ORDER, LEVEL_NAMES, item_symbol
from guai.documents.proofread.engine import RULES_ACT, Context, Finding, rule

_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(r"(\d{1,2})\.(?=\s)")),
    (1, re.compile(r"([가-하])\.(?=\s)")),
    (2, re.compile(r"(\d{1,2})\)(?=\s)")),
    (3, re.compile(r"([가-하])\)(?=\s)")),
    (4, re.compile(r"\((\d{1,2})\)(?=\s)")),
    (5, re.compile(r"\(([가-하])\)(?=\s)")),
    (6, re.compile(r"([①-⑳])(?=\s|[가-힣])")),
    (7, re.compile(r"([㉮-㉻])(?=\s|[가-힣])")),
]
_DATE_START = re.compile(r"\d{1,2}\.\s*\d{1,2}\.")
_ATTACH = re.compile(r"^(\s*)붙\s*임\s*:?\s*")


@dataclass
class Item:
    level: int
    index: int
    start: int
    end: int


def _index(level: int, value: str) -> int:
    if level in (0, 2, 4):
        return int(value) - 1
    if level in (1, 3, 5):
        return HANGUL_ORDER.index(value) if value in HANGUL_ORDER else -1
    return (CIRCLED if level == 6 else CIRCLED_HANGUL).index(value)


def parse_item(line: str, offset: int, at: int = 0) -> Item | None:
    """The item marker at position `at` of `line` (after indentation), or None."""
    pos = at
    while pos < len(line) and line[pos] in " \t\u3000":
        pos += 1
    if _DATE_START.match(line, pos):
        return None
    for level, rx in _MARKERS:
        m = rx.match(line, pos)
        if m:
            idx = _index(level, m.group(1))
            if idx < 0:
                return None
            return Item(level, idx, offset + m.start(), offset + m.end())
    return None


def items(ctx: Context) -> Iterator[tuple[Item, str]]:
    """Every item marker at a line start, tagged "attach" (first of a 붙임 list), "restart" or "".

    An item that restarts its list (1., 가., ①) after lines without items also starts a new list: a new section
    may number its own items.
    """
    gap = False
    for offset, line in ctx.lines():
        att = _ATTACH.match(line)
        if att:
            it = parse_item(line, offset, att.end())
            # An unnumbered 붙임 line counts as the list's first item, so a following "2." is in order.
            yield (it or Item(0, 0, -1, -1)), "attach"
            continue
        it = parse_item(line, offset)
        if it:
            yield it, "restart" if gap and it.index == 0 else ""
            gap = False
        elif line.strip():
            gap = True


@rule("ITEM-ORDER", "항목 기호의 순서와 단계", f"{RULES_ACT} 제2조제1항")
def check_items(ctx: Context) -> Iterator[Finding | None]:
    stack: list[list[int]] = []  # [written level, effective level, index]
    for it, mark in items(ctx):
        if mark == "attach":
            stack = []
        elif mark == "restart":
            while stack and stack[-1][0] >= it.level:
                stack.pop()
        while stack and stack[-1][0] > it.level:
            stack.pop()
        if stack and stack[-1][0] == it.level:
            top = stack[-1]
            expected = top[2] + 1
            eff = top[1]
            top[2] = expected
        elif stack:
            eff = stack[-1][1] + 1
            expected = 0
            stack.append([it.level, eff, 0])
        else:
            # The first item of a text (or of a 붙임 list) may continue a list begun elsewhere.
            eff = it.level
            expected = it.index
            stack.append([it.level, eff, it.index])
        if it.start < 0:
            continue
        want = item_symbol(eff, expected)
        written = ctx.text[it.start : it.end]
        if written == want:
            continue
        if eff != it.level:
            msg = (
                f"'{LEVEL_NAMES[eff - 1]}' 다음 단계의 항목은 '{LEVEL_NAMES[eff]}' 형태로 씁니다"
                f"(1. → 가. → 1) → 가) → (1) → (가) → ① → ㉮)."
            )
        else:
            msg = f"항목 순서가 맞지 않습니다. 이 자리에는 '{want}'이(가) 옵니다."
        yield ctx.finding("ITEM-ORDER", it.start, it.end, msg, want)


_END_AT_LINE_END = re.compile(r"(?<=\S)([ \t\u3000]*)끝(\.?)[ \t]*$", re.M)
_PAPER_TITLES = re.compile(r"^\s*수\s*신(?:자)?\s*[:：]?\s*\S", re.M)
_SUBJECT = re.compile(r"^\s*제\s*목\s*[:：]?\s*\S", re.M)


def is_official_letter(text: str) -> bool:
    """A 공문 (기안문/시행문) has a 수신 line and a 제목 line."""
    return bool(_PAPER_TITLES.search(text) and _SUBJECT.search(text))


@rule("END-MARK", "'끝' 표시", f"{RULES_ACT} 제4조제5항")
def check_end(ctx: Context) -> Iterator[Finding | None]:
    """`  끝.` after the last character of the body (or of 붙임): one Hangul character's width = two spaces."""
    text = ctx.text
    marks = [
        m
        for m in _END_AT_LINE_END.finditer(text)
        if m.group(2) or text[max(0, m.start() - 1)] in ".부매권건개"
    ]
    for m in marks:
        if m.group(1) != "  " or not m.group(2):
            yield ctx.finding(
                "END-MARK",
                m.start(),
                m.end(),
                "본문(붙임이 있으면 붙임)의 마지막 글자에서 한 글자(두 칸) 띄우고 '끝.'을 씁니다.",
                "  끝.",
            )
        later_attach = re.search(r"^\s*붙\s*임", text[m.end() :], re.M)
        if later_attach:
            yield ctx.finding(
                "END-MARK", m.start(), m.end(), "붙임이 있으면 '끝.' 표시는 붙임의 마지막 줄 뒤에 합니다.", ""
            )
    if not marks and is_official_letter(text):
        body_end = len(text.rstrip())
        yield ctx.finding(
            "END-MARK", body_end, body_end, "공문 본문의 마지막에 '  끝.' 표시가 없습니다.", "  끝."
        )


_QUANTITY = re.compile(r"\d+\s?(?:부|매|권|건|개|점|장|식|종|부씩)\.?")
_ATTACH_LABEL = re.compile(r"^(\s*)(붙\s*임|첨\s*부)(\s*[:：]\s*|\s*)(?=\S)", re.M)
_ITEM_TAIL = re.compile(r"^(\s*)(\d{1,2}\.\s+)?(.+?)(\s*끝\.?)?\s*$")


@rule("ATTACHMENT", "붙임 표시", f"{RULES_ACT} 제4조제4항")
def check_attachments(ctx: Context) -> Iterator[Finding | None]:
    """`붙임  1. 계획서 1부.` — label 붙임, two spaces, name and quantity; several items are numbered."""
    text = ctx.text
    letter = is_official_letter(text)
    for m in _ATTACH_LABEL.finditer(text):
        label, gap = m.group(2), m.group(3)
        line_end_pos = text.find("\n", m.end())
        rest = text[m.end() : len(text) if line_end_pos < 0 else line_end_pos].strip()
        colon = ":" in gap or "：" in gap
        numbered_first = re.match(r"\d{1,2}\.\s", rest) is not None
        sentence = re.search(r"[다요]\.$", rest) is not None
        # "붙임 문서를 참고하여 …" is a sentence, not an attachment label.
        if not (
            colon or numbered_first or (not sentence and (letter or gap == "  " or _QUANTITY.search(rest)))
        ):
            continue
        if label == "첨부" and not colon:
            continue
        if label != "붙임" or gap != "  ":
            yield ctx.finding(
                "ATTACHMENT",
                m.start(2),
                m.end(3),
                "첨부물은 본문이 끝난 줄 다음에 '붙임' 표시를 하고 두 칸 띄어 적습니다.",
                "붙임  ",
            )
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        entries = [(m.end(), line_end)]
        pos = line_end + 1
        while pos < len(text):
            nxt = text.find("\n", pos)
            nxt = len(text) if nxt < 0 else nxt
            line = text[pos:nxt]
            if not re.match(r"^\s+\d{1,2}\.\s", line):
                break
            entries.append((pos, nxt))
            pos = nxt + 1
        numbered = re.match(r"\d{1,2}\.\s", text[m.end() : line_end]) is not None
        if len(entries) > 1 and not numbered:
            yield ctx.finding(
                "ATTACHMENT",
                m.end(),
                m.end(),
                "첨부물이 두 가지 이상이면 '1.', '2.'처럼 항목을 나누어 적습니다.",
                "1. ",
            )
        for start, end in entries:
            seg = text[start:end]
            tail = _ITEM_TAIL.match(seg)
            if not tail:
                continue
            body = tail.group(3)
            body_end = start + tail.start(3) + len(body)
            if not _QUANTITY.search(body):
                yield ctx.finding(
                    "ATTACHMENT",
                    body_end,
                    body_end,
                    "첨부물의 명칭 다음에 수량을 적습니다(예: '계획서 1부.'). 수량을 확인하세요.",
                    " 1부.",
                )
            elif not body.endswith("."):
                yield ctx.finding(
                    "ATTACHMENT", body_end, body_end, "첨부물 수량 뒤에 온점을 찍습니다(예: '1부.').", "."
                )
