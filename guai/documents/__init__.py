"""Document work: summarise, draft, proofread, translate and export official documents.

Stable service API (used by the CLI, the web pages, chat tools and the intent router):

- ``guai.documents.summarize.summarize(text, *, length="3줄", gateway=None, user=None) -> Summary``
  Each ``Summary.lines[i]`` keeps ``source_start``/``source_end`` offsets of its source sentence;
  ``Summary.to_markdown()`` renders 개조식 lines.
- ``guai.documents.drafting.draft(kind, fields, *, facts=(), gateway=None, user=None) -> Draft``
  ``kind`` is one of 보고서, 계획서, 보도자료, 공문; ``Draft.text`` passes the proofreader.
- ``guai.documents.proofread.proofread(text) -> list[Finding]`` (rule, start, end, message, suggestion)
  and ``guai.documents.proofread.apply_fixes(text, findings) -> str``.
- ``guai.documents.translate.translate(text, target, *, gateway, user=None) -> Translation``.
- ``guai.documents.export.export(doc, fmt) -> bytes`` for ``hwpx``, ``docx`` and ``md``.

Importing this package does no I/O; data files are read lazily on first use.
"""

from __future__ import annotations

__all__ = ["DocumentError"]


class DocumentError(Exception):
    """A document request cannot be done; the message is Korean and says what to change."""
