"""Translation of documents Korean ↔ English, Chinese, Vietnamese, Japanese through the configured model.

API: ``translate(text, target, *, gateway, user=None) -> Translation``. ``target`` is en, zh, vi, ja (from Korean)
or ko (into Korean). Lines, numbering and the `끝.` line are kept; the district glossary (data/glossary.tsv plus
GUAI_HOME/documents/glossary.tsv) is sent with the text and checked in the result. Without a model this raises
``TranslationUnavailable`` — translation is never faked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guai.documents import DocumentError
from guai.documents.llm import can_chat, chat

LANGUAGES = {"en": "영어", "zh": "중국어", "vi": "베트남어", "ja": "일본어", "ko": "한국어"}
_COLUMNS = {"en": 1, "zh": 2, "vi": 3, "ja": 4}
GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary.tsv"
MAX_CHARS = 30_000


class TranslationUnavailable(DocumentError):
    """No chat model is configured."""


@dataclass
class Translation:
    text: str
    source: str
    target: str
    model: str | None
    glossary: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _override() -> Path | None:
    try:
        from guai.config import get_settings

        return get_settings().home / "documents" / "glossary.tsv"
    except Exception:
        return None


def load_glossary(extra: Path | None = None) -> dict[str, list[str]]:
    """Korean term → [en, zh, vi, ja]."""
    out: dict[str, list[str]] = {}
    for path in (GLOSSARY_FILE, extra if extra is not None else _override()):
        if path is None or not path.is_file():
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 5:
                raise DocumentError(
                    f"용어집 {path} {no}번째 줄은 한국어와 4개 언어를 탭으로 나누어 적어야 합니다."
                )
            out[cols[0].strip()] = [c.strip() for c in cols[1:]]
    return out


def glossary_for(text: str, source: str, target: str) -> list[tuple[str, str]]:
    """(source term, target term) pairs of glossary entries that occur in `text`."""
    gloss = load_glossary()
    pairs = []
    for ko, others in gloss.items():
        if source == "ko":
            if ko in text:
                pairs.append((ko, others[_COLUMNS[target] - 1]))
        else:
            term = others[_COLUMNS[source] - 1]
            if term and term.lower() in text.lower():
                pairs.append((term, ko))
    return sorted(pairs, key=lambda p: -len(p[0]))


def detect_source(text: str) -> str:
    hangul = len(re.findall(r"[가-힣]", text))
    return "ko" if hangul >= max(1, len(re.sub(r"\s", "", text)) * 0.2) else "foreign"


def translate(
    text: str, target: str, *, gateway: Any, user: Any = None, source: str | None = None
) -> Translation:
    """Translate `text` into `target` keeping its lines and numbering; needs a chat-capable `gateway`."""
    if target not in LANGUAGES:
        raise DocumentError(
            f"번역할 언어는 {', '.join(f'{k}({v})' for k, v in LANGUAGES.items())} 중 하나입니다: {target!r}"
        )
    if not text.strip():
        raise DocumentError("번역할 내용이 비어 있습니다.")
    if len(text) > MAX_CHARS:
        raise DocumentError(f"한 번에 {MAX_CHARS:,}자까지 번역합니다({len(text):,}자). 나누어 번역하세요.")
    if not can_chat(gateway):
        raise TranslationUnavailable(
            "외국어 번역에는 AI 모델이 필요합니다. 지금은 연결된 모델이 없어 번역할 수 없습니다. "
            "시스템 관리자에게 모델 연결(관리 > 모델 제공자)을 요청하세요."
        )
    if source is None:
        source = "ko" if target != "ko" else (source or "en")
        if target == "ko" and detect_source(text) == "ko":
            raise DocumentError("이미 한국어인 글입니다. 번역할 언어를 고르세요.")
    if source == target:
        raise DocumentError("원문과 번역 언어가 같습니다.")
    src_name = LANGUAGES.get(source, "외국어")
    pairs = (
        glossary_for(text, source, target)
        if (source == "ko" or target == "ko") and source in LANGUAGES
        else []
    )
    glossary_text = "\n".join(f"- {a} → {b}" for a, b in pairs)
    system = (
        "당신은 구청 문서 번역가입니다. 원문의 줄 나눔, 항목 번호(1., 가., 1) …), 날짜·숫자, '끝.' 표시 줄을 그대로 "
        "유지하고 번역문만 답합니다. 용어집이 있으면 반드시 그 번역어를 씁니다."
    )
    prompt = (
        f"{src_name} 문서를 {LANGUAGES[target]}로 번역하세요.\n"
        + (f"용어집:\n{glossary_text}\n" if glossary_text else "")
        + f"\n<원문>\n{text}\n</원문>"
    )
    reply, model = chat(gateway, system, prompt, user=user, purpose="documents.translate")
    reply = re.sub(r"^\s*</?(원문|번역)>\s*$", "", reply, flags=re.M).strip("\n")
    if not reply.strip():
        raise DocumentError("모델이 빈 번역을 돌려주었습니다. 다시 시도하세요.")
    result = Translation(reply, source, target, model, pairs)
    src_lines = [ln for ln in text.splitlines() if ln.strip()]
    out_lines = [ln for ln in reply.splitlines() if ln.strip()]
    if len(src_lines) != len(out_lines):
        result.notes.append(
            f"원문은 {len(src_lines)}줄, 번역문은 {len(out_lines)}줄입니다. 문단 구성을 확인하세요."
        )
    missing = [b for _, b in pairs if b and b.lower() not in reply.lower()]
    if missing:
        result.notes.append("용어집 번역어가 쓰이지 않았습니다: " + ", ".join(missing))
    return result
