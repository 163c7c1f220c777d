"""Citizen vocabulary per article ("doc2query"): the everyday words people type when a given 조 is the answer.

A statute says "과태료의 징수유예 등 … 분할납부"; the citizen types "과태료 나눠서 내도 되나요". The shipped table
data/article_aliases.tsv lists, for articles of the bundled laws, the phrases citizens and staff actually use
(written article by article from the statute text, independently of the evaluation questions). A district adds
its own lines — for its ordinances, or words its residents use — in GUAI_HOME/knowledge/article_aliases.tsv.

One line: law title <TAB> 제N조[의M] <TAB> phrase; phrase; … The phrases join the article's search text only;
they are never shown as if they were the law's words.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

from guai.knowledge.citations import normalize_article_key
from guai.knowledge.lawtext import ChunkDraft

log = logging.getLogger("guai.knowledge")

BUNDLED_FILE = Path(__file__).parent / "data" / "article_aliases.tsv"
#: The district's own lines, relative to GUAI_HOME.
SITE_FILE = Path("knowledge") / "article_aliases.tsv"

AliasTable = dict[tuple[str, str], list[str]]


def title_key(title: str) -> str:
    """Law titles compared without spaces, 「」 or middle-dot variants ("소음ㆍ진동관리법" = "소음·진동 관리법")."""
    return re.sub(r"[\s「」『』ㆍ·・]", "", title)


def parse_aliases(text: str, origin: str = "") -> AliasTable:
    """The table in `text`; malformed lines are logged and skipped (a typo must not stop ingest)."""
    table: AliasTable = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        key = normalize_article_key(parts[1]) if len(parts) == 3 else None
        phrases = [p.strip() for p in parts[2].split(";") if p.strip()] if len(parts) == 3 else []
        if not parts[0].strip() or key is None or not phrases:
            log.warning(
                "article aliases %s:%d: skipped (law TAB 제N조 TAB phrases expected)", origin, line_no
            )
            continue
        table.setdefault((title_key(parts[0]), key), []).extend(phrases)
    return table


@cache
def bundled_aliases() -> AliasTable:
    return parse_aliases(BUNDLED_FILE.read_text(encoding="utf-8"), BUNDLED_FILE.name)


_site_cache: dict[Path, tuple[float, AliasTable]] = {}


def site_aliases(home: Path | None) -> AliasTable:
    """The district's own table (re-read when the file changes); empty when there is none."""
    if home is None:
        return {}
    path = home / SITE_FILE
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    cached = _site_cache.get(path)
    if cached is None or cached[0] != mtime:
        from guai.textio import TextDecodeError, decode_bytes

        try:
            table = parse_aliases(decode_bytes(path.read_bytes(), str(path)), str(path))
        except (OSError, TextDecodeError) as exc:
            log.warning("article aliases %s not read: %s", path, exc)
            table = {}
        cached = (mtime, table)
        _site_cache[path] = cached
    return cached[1]


def forget_site_aliases(home: Path) -> None:
    """Drop the cached district table so the next read sees a file written within the same clock tick."""
    _site_cache.pop(home / SITE_FILE, None)


def _home() -> Path | None:
    try:
        from guai.config import get_settings

        return get_settings().home
    except Exception:  # no configuration (library use, tests of pure parsing): the shipped table alone
        return None


def phrases_for(doc_title: str, article_key: str | None, home: Path | None = None) -> list[str]:
    """The everyday phrases of one 조 (shipped, then the district's own)."""
    if not article_key:
        return []
    key = (title_key(doc_title), article_key)
    site = site_aliases(home if home is not None else _home())
    return list(dict.fromkeys(bundled_aliases().get(key, []) + site.get(key, [])))


def attach_aliases(drafts: list[ChunkDraft], home: Path | None = None) -> list[ChunkDraft]:
    """Set `aliases` on article chunks whose (law, 조) has phrases; returns the same list."""
    site = site_aliases(home if home is not None else _home())
    shipped = bundled_aliases()
    for d in drafts:
        if d.kind != "article" or not d.article_key:
            continue
        key = (title_key(d.doc_title), d.article_key)
        phrases = shipped.get(key, []) + site.get(key, [])
        d.aliases = "; ".join(dict.fromkeys(phrases))
    return drafts
