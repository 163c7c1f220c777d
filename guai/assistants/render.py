"""Safe server-side Markdown: raw HTML is escaped, unsafe link schemes are refused by markdown-it."""

from __future__ import annotations

from markdown_it import MarkdownIt

_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    .enable("table")
    .enable("strikethrough")
)


def render_markdown(text: str) -> str:
    return _md.render(text or "")
