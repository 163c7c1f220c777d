"""Structure-aware chunking: statutes by 조 (see lawtext), other documents by headings and paragraphs."""

from __future__ import annotations

import re

from guai.knowledge.aliases import attach_aliases
from guai.knowledge.extract import Block, Extracted
from guai.knowledge.lawtext import ChunkDraft, chunk_law_markdown, chunk_statute_text, looks_like_statute

#: Ordinary documents: aim for chunks of about this many characters, never much more than MAX.
TARGET_CHARS = 900
MAX_CHARS = 1500

_SENTENCE_END = re.compile(r"(?<=[.!?다요음함됨임])\s+")


def chunk_document(ex: Extracted) -> tuple[str, list[ChunkDraft]]:
    """The document title and its chunks (article chunks carry their everyday phrases, see aliases.py)."""
    if ex.law_markdown is not None:
        title, _meta, drafts = chunk_law_markdown(ex.law_markdown, ex.title)
        return title, attach_aliases(drafts)
    lines = ex.lines()
    if looks_like_statute([line for _, line in lines]):
        drafts = chunk_statute_text(lines, ex.title)
        if drafts:
            return ex.title, attach_aliases(drafts)
    return ex.title, chunk_sections(ex.blocks, ex.title)


def _split_long(text: str) -> list[str]:
    if len(text) <= MAX_CHARS:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + len(sentence) + 1 > TARGET_CHARS:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
        while len(current) > MAX_CHARS:  # a "sentence" without any break: cut hard
            pieces.append(current[:TARGET_CHARS])
            current = current[TARGET_CHARS:]
    if current:
        pieces.append(current)
    return pieces


def chunk_sections(blocks: list[Block], title: str) -> list[ChunkDraft]:
    """Chunks of an ordinary document: a new chunk at every heading, paragraphs packed up to TARGET_CHARS."""
    drafts: list[ChunkDraft] = []
    path: list[tuple[int, str]] = []
    buf: list[str] = []
    pages: list[int] = []
    counter = 0

    def flush() -> None:
        nonlocal counter
        if not buf:
            return
        heading = " > ".join(t for _, t in path) or None
        section = path[-1][1] if path else None
        location = None
        if pages:
            first, last = min(pages), max(pages)
            location = f"{first}쪽" if first == last else f"{first}~{last}쪽"
        counter += 1
        if section:
            cite = f"{title} {section}"
        elif location:
            cite = f"{title} {location}"
        else:
            cite = f"{title} (단락 {counter})"
        drafts.append(
            ChunkDraft(
                kind="section",
                citation=cite,
                title=section or title,
                doc_title=title,
                text="\n".join(buf),
                heading=heading,
                article_key=f"s{counter}",
                location=location or section,
            )
        )
        buf.clear()
        pages.clear()

    size = 0
    for block in blocks:
        if block.level is not None:
            flush()
            size = 0
            if block.level == 1 and block.text == title:
                continue
            path[:] = [(lv, t) for lv, t in path if lv < block.level] + [(block.level, block.text)]
            continue
        for piece in _split_long(block.text):
            if buf and size + len(piece) > TARGET_CHARS:
                flush()
                size = 0
            buf.append(piece)
            size += len(piece) + 1
            if block.page is not None:
                pages.append(block.page)
    flush()
    return drafts
