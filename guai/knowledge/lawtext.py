"""Statute parsing: 편/장/절/관 headings, 조 with title, 항/호/목, and 부칙 — from the legalize-kr Markdown layout
(`##### 제50조 (제목)`, `**①**`) or from plain text extracted from HWP/HWPX/PDF/DOCX ordinances (`제12조(제목) …`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from guai.knowledge.citations import ARTICLE_KEY, CIRCLED_CLASS, article_key, item_range, paragraph_range

#: A chunk longer than this is split at 항 (or 호) boundaries; most 조 are far shorter.
MAX_ARTICLE_CHARS = 1800

_MD_ARTICLE = re.compile(r"^#{5,6}\s*제\s*(\d+)\s*조(?:\s*의\s*(\d+))?\s*(?:\((.*)\))?\s*$")
_MD_HEADING = re.compile(r"^(#{1,4})\s+(.+?)\s*$")
_TEXT_ARTICLE = re.compile(r"^\s*제\s*(\d+)\s*조(?:\s*의\s*(\d+))?\s*(?:[(（]([^)）]{0,80})[)）])?\s*(.*)$")
_DIVISION = re.compile(r"^\s*제\s*\d+\s*(?:편|장|절|관)(?:\s|$)")
_DIVISION_RANK = {"편": 0, "장": 1, "절": 2, "관": 3}
_SUPPLEMENT = re.compile(r"^\s*(?:#+\s*)?부\s*칙(?:\s*[<(（].*)?\s*$")
_PARAGRAPH_START = re.compile(rf"^\s*(?:\*\*)?({CIRCLED_CLASS})")
_ITEM_START = re.compile(r"^\s*(\d+)(?:의\d+)?\.\s")
_AMENDMENT_NOTE = re.compile(
    r"<(?:개정|신설|전문개정|본조신설|종전|제목개정|삭제|시행일)[^>]*>|\[[^\]]*(?:개정|신설|이동|시행일)[^\]]*\]"
)
_DELETED_BODY = re.compile(r"^\s*삭제\s*(<[^>]*>)?\s*$")


@dataclass
class ChunkDraft:
    """A chunk before it is stored: what it says, where it is, and how to cite it."""

    kind: str  # "article" | "supplement" | "section"
    citation: str
    title: str
    doc_title: str
    text: str
    heading: str | None = None
    article_key: str | None = None
    location: str | None = None
    aliases: str = ""  # everyday phrases for this 조 (aliases.py); searched, never shown

    def index_text(self) -> str:
        """Text the search tokens are made from: law title, headings, 조 title, body without amendment notes,
        and the everyday phrases people use for this 조."""
        body = _AMENDMENT_NOTE.sub(" ", self.text)
        # The 조 title names the subject ("비공개 대상 정보", "과태료"); repeating it weighs it like a title field.
        title = self.title if self.kind == "article" and self.title != self.article_key else ""
        return "\n".join(
            p for p in (self.doc_title, self.heading or "", title, title, body, self.aliases) if p
        )


@dataclass
class _Article:
    key: str
    title: str
    heading: str | None
    lines: list[str] = field(default_factory=list)
    page: int | None = None


@dataclass
class _Supplement:
    label: str
    lines: list[str] = field(default_factory=list)
    page: int | None = None


def clean_markdown_line(line: str) -> str:
    """legalize-kr Markdown to plain statute text: `**①**` → `①`, `1\\.` → `1.`, indentation trimmed."""
    line = line.replace("**", "")
    line = re.sub(r"\\([.()\[\]*_#-])", r"\1", line)
    return line.strip()


def split_front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter (제목, 법령구분, 시행일자 …) and the rest of a legalize-kr law file."""
    import yaml

    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError:
        meta = {}
    rest = text[end + 4 :]
    return (meta if isinstance(meta, dict) else {}), rest


def is_law_markdown(text: str) -> bool:
    """A legalize-kr style law file: front matter with 제목 and `##### 제N조` headings."""
    meta, body = split_front_matter(text[:200000])
    return bool(meta.get("제목")) and bool(re.search(r"^#{5}\s*제\s*\d+\s*조", body, re.M))


def looks_like_statute(lines: list[str]) -> bool:
    """Plain text that is a statute or ordinance: at least two lines starting `제N조(제목)`."""
    hits = 0
    for line in lines:
        m = _TEXT_ARTICLE.match(line)
        if m and m.group(3) is not None:
            hits += 1
            if hits >= 2:
                return True
    return False


class _Builder:
    """Collects articles and 부칙 blocks while tracking the 편/장/절/관 heading path."""

    def __init__(self, doc_title: str) -> None:
        self.doc_title = doc_title
        self.divisions: list[tuple[int, str]] = []
        self.items: list[_Article | _Supplement] = []
        self.current: _Article | _Supplement | None = None

    @property
    def heading(self) -> str | None:
        return " > ".join(text for _, text in self.divisions) or None

    def division(self, text: str) -> None:
        m = re.match(r"^\s*제\s*\d+\s*(편|장|절|관)", text)
        rank = _DIVISION_RANK[m.group(1)] if m else 4
        self.divisions = [(r, t) for r, t in self.divisions if r < rank] + [(rank, _strip_note(text))]
        self.current = None

    def article(self, number: str, branch: str | None, title: str | None, page: int | None) -> _Article:
        key = article_key(int(number), int(branch) if branch else None)
        self.current = _Article(key=key, title=(title or "").strip(), heading=self.heading, page=page)
        self.items.append(self.current)
        return self.current

    def supplement(self, label: str, page: int | None) -> None:
        self.current = _Supplement(label=label.strip(), page=page)
        self.items.append(self.current)

    def body(self, line: str) -> None:
        if self.current is not None and line:
            self.current.lines.append(line)

    def drafts(self) -> list[ChunkDraft]:
        out: list[ChunkDraft] = []
        for item in self.items:
            if isinstance(item, _Article):
                out.extend(_article_drafts(self.doc_title, item))
            else:
                out.extend(_supplement_drafts(self.doc_title, item))
        return out


def _strip_note(text: str) -> str:
    return _AMENDMENT_NOTE.sub("", text).strip()


def chunk_law_markdown(text: str, fallback_title: str) -> tuple[str, dict, list[ChunkDraft]]:
    """Title, front matter and chunks of a legalize-kr Markdown law file."""
    meta, body = split_front_matter(text)
    title = str(meta.get("제목") or "").strip()
    lines = body.splitlines()
    if not title:
        title = next(
            (m.group(2) for m in map(_MD_HEADING.match, lines) if m and len(m.group(1)) == 1), fallback_title
        )
    b = _Builder(title)
    in_supplement = False
    for raw in lines:
        art = _MD_ARTICLE.match(raw)
        if art and not in_supplement:
            b.article(art.group(1), art.group(2), art.group(3), None)
            continue
        head = _MD_HEADING.match(raw)
        if head:
            level, content = len(head.group(1)), head.group(2)
            if level == 1 and content.strip() == title:
                continue
            if content.startswith("부칙"):
                in_supplement = True
                b.current = None
                b.divisions = []
                continue
            if not in_supplement:
                b.division(content)
                continue
        line = clean_markdown_line(raw)
        if in_supplement and re.match(r"^부\s*칙\s*[<(（]", line):
            b.supplement(line, None)
            continue
        b.body(line)
    return title, meta, b.drafts()


def chunk_statute_text(lines: list[tuple[int | None, str]], title: str) -> list[ChunkDraft]:
    """Chunks of an ordinance or statute given as plain text lines (page number, line)."""
    b = _Builder(title)
    in_supplement = False
    for page, raw in lines:
        line = raw.strip()
        if not line:
            continue
        if _SUPPLEMENT.match(line):
            in_supplement = True
            b.divisions = []
            b.supplement(line, page)
            continue
        if not in_supplement and _DIVISION.match(line) and len(line) < 80 and not ARTICLE_KEY.match(line):
            b.division(line)
            continue
        m = _TEXT_ARTICLE.match(line)
        if m and not in_supplement and m.group(3) is not None:
            b.article(m.group(1), m.group(2), m.group(3), page)
            b.body(m.group(4).strip())
            continue
        if isinstance(b.current, _Article) and b.current.lines == [] and line == title:
            continue
        b.body(line)
    return b.drafts()


def _article_drafts(doc_title: str, art: _Article) -> list[ChunkDraft]:
    body = [ln for ln in art.lines if ln]
    if not body or all(_DELETED_BODY.match(ln) for ln in body):
        return []  # a repealed 조 ("삭제 <2010.7.23>") answers nothing
    header = f"{art.key}({art.title})" if art.title else art.key
    base = f"{doc_title} {art.key}"
    location = f"{art.page}쪽" if art.page else None
    full = "\n".join([header, *body])
    common = dict(
        kind="article",
        title=art.title or art.key,
        doc_title=doc_title,
        heading=art.heading,
        article_key=art.key,
        location=location,
    )
    if len(full) <= MAX_ARTICLE_CHARS:
        return [ChunkDraft(citation=base, text=full, **common)]
    groups = _group_lines(body, _PARAGRAPH_START)
    numbered = any(label for label, _ in groups)
    if not numbered or len(groups) == 1:
        groups = _group_lines(body, _ITEM_START)
        ranger = item_range
    else:
        ranger = None
    out: list[ChunkDraft] = []
    for labels, part in _pack(groups, MAX_ARTICLE_CHARS - len(header)):
        named = [lab for lab in labels if lab]
        if named and ranger is None:
            from guai.knowledge.citations import CIRCLED_INDEX

            nums = [CIRCLED_INDEX[lab] for lab in named]
            cite = base + paragraph_range(nums[0], nums[-1])
        elif named and ranger is not None:
            cite = base + ranger(named[0], named[-1])
        else:
            cite = base
        out.append(ChunkDraft(citation=cite, text="\n".join([header, *part]), **common))
    return out


def _group_lines(lines: list[str], start: re.Pattern[str]) -> list[tuple[str | None, list[str]]]:
    groups: list[tuple[str | None, list[str]]] = []
    for line in lines:
        m = start.match(line)
        if m or not groups:
            groups.append((m.group(1) if m else None, [line]))
        else:
            groups[-1][1].append(line)
    return groups


def _pack(groups: list[tuple[str | None, list[str]]], limit: int) -> list[tuple[list[str | None], list[str]]]:
    """Greedy packing of whole groups into parts of at most `limit` characters (a huge group stays whole)."""
    parts: list[tuple[list[str | None], list[str]]] = []
    size = 0
    for label, lines in groups:
        length = sum(len(x) + 1 for x in lines)
        if parts and size + length <= limit:
            parts[-1][0].append(label)
            parts[-1][1].extend(lines)
            size += length
        else:
            parts.append(([label], list(lines)))
            size = length
    return parts


def _supplement_drafts(doc_title: str, sup: _Supplement) -> list[ChunkDraft]:
    body = [ln for ln in sup.lines if ln]
    label = re.sub(r"\s+", " ", sup.label)
    cite = f"{doc_title} {label}"
    location = f"{sup.page}쪽" if sup.page else None
    out: list[ChunkDraft] = []
    groups = [(None, [ln]) for ln in body] or [(None, [])]
    for _, part in _pack(groups, MAX_ARTICLE_CHARS):
        if not part:
            continue
        out.append(
            ChunkDraft(
                kind="supplement",
                citation=cite,
                title="부칙",
                doc_title=doc_title,
                text="\n".join([label, *part]),
                heading="부칙",
                article_key=label,
                location=location,
            )
        )
    return out
