"""The proofreading engine: rule registry, findings, protected regions and fix application."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field

# Laws cited by the rules (checked against ../shared/data/laws/행정업무의운영및혁신에관한규정).
DECREE = "행정업무의 운영 및 혁신에 관한 규정"
RULES_ACT = "행정업무의 운영 및 혁신에 관한 규정 시행규칙"


@dataclass(frozen=True)
class Finding:
    """One problem: rule id, character span [start, end) of the checked text, message and suggested replacement."""

    rule: str
    start: int
    end: int
    message: str
    suggestion: str | None
    severity: str = "오류"  # 오류 = against a rule; 권고 = plain-language advice

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    """A proofreading rule with the article it comes from."""

    id: str
    title: str
    source: str
    severity: str
    check: Callable[[Context], Iterable[Finding]] = field(repr=False, compare=False)


@dataclass
class Context:
    """The text being checked plus regions rules must leave alone (URLs, e-mail, 법령 개정 표시, masks)."""

    text: str
    protected: list[tuple[int, int]]

    def is_protected(self, start: int, end: int) -> bool:
        return any(start < p_end and p_start < end for p_start, p_end in self.protected)

    def finding(
        self, rule: str, start: int, end: int, message: str, suggestion: str | None, severity: str = "오류"
    ) -> Finding | None:
        """A Finding unless the span touches a protected region (then None)."""
        if self.is_protected(start, end):
            return None
        return Finding(rule, start, end, message, suggestion, severity)

    def lines(self) -> Iterator[tuple[int, str]]:
        """(offset, line without newline) for every line."""
        pos = 0
        for raw in self.text.splitlines(keepends=True):
            yield pos, raw.rstrip("\r\n")
            pos += len(raw)


_PROTECT_RE = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+"  # addresses
    r"|<(?:개정|신설|전문개정|본조신설|삭제|제목개정|타법개정)[^>]*>"  # amendment notes in law text
    r"|<[^<>\n]*제\s?\d+호[^<>\n]*>"  # promulgation notes: 부칙 <제23383호,2011.12.21>
    r"|\[(?:전화|이메일|주민번호|차량번호|주소|이름)\]"  # privacy masks
    r"|「[^」\n]{1,80}」"  # titles of laws and documents are quoted as they are
    r"|\(금[영일이삼사오육칠팔구십백천만억조경]+원\)"  # money in words is checked by MONEY-FORMAT only
)

RULES: list[Rule] = []


def rule(
    id: str, title: str, source: str, severity: str = "오류"
) -> Callable[[Callable[[Context], Iterable[Finding | None]]], Callable[[Context], Iterable[Finding | None]]]:
    """Register a check function as a rule."""

    def wrap(
        fn: Callable[[Context], Iterable[Finding | None]],
    ) -> Callable[[Context], Iterable[Finding | None]]:
        def check(ctx: Context) -> Iterator[Finding]:
            for f in fn(ctx):
                if f is not None:
                    yield f

        RULES.append(Rule(id, title, source, severity, check))
        return fn

    return wrap


def make_context(text: str) -> Context:
    return Context(text, [m.span() for m in _PROTECT_RE.finditer(text)])


def run(text: str, rules: Iterable[Rule]) -> list[Finding]:
    """All findings of `rules` on `text`, sorted by position, exact duplicates removed."""
    ctx = make_context(text)
    seen: set[tuple[str, int, int]] = set()
    out: list[Finding] = []
    for r in rules:
        for f in r.check(ctx):
            key = (f.rule, f.start, f.end)
            if key not in seen and f.suggestion != text[f.start : f.end]:
                seen.add(key)
                out.append(f)
    out.sort(key=lambda f: (f.start, -(f.end - f.start), f.rule))
    return out


def apply_fixes(text: str, findings: Iterable[Finding]) -> str:
    """`text` with every finding's suggestion applied; overlapping findings after the first are skipped."""
    chosen: list[Finding] = []
    last_end = -1
    for f in sorted(
        (f for f in findings if f.suggestion is not None), key=lambda f: (f.start, -(f.end - f.start))
    ):
        if f.start < last_end or (f.start == f.end and f.start == last_end):
            continue
        if f.end > len(text):
            raise ValueError("교정 결과가 다른 글에 대한 것입니다(위치가 글 길이를 넘습니다).")
        chosen.append(f)
        last_end = f.end
    parts: list[str] = []
    pos = 0
    for f in chosen:
        parts.append(text[pos : f.start])
        parts.append(f.suggestion or "")
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)
