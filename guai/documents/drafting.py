"""Drafts of 보고서, 계획서, 보도자료 and 공문 from a short form, in 공문서 format.

API: ``draft(kind, fields, *, facts=(), gateway=None, user=None) -> Draft``. ``fields`` maps the template's field
names (see ``templates()``/``get_template(kind)``) to strings; ``facts`` are sentences the user picked from search or
complaint results. Without a model the template is filled from the form; with a chat-capable ``gateway`` the model
writes the field contents (as JSON) and the same template renders them, so the structure never changes. Every draft
is then proofread: fixable findings are applied (``Draft.corrections``) and ``Draft.findings`` must be empty.

Templates are YAML data files in ``guai/documents/templates``; an administrator adds or replaces them in
``GUAI_HOME/documents/templates`` (same ``kind`` replaces, a new ``kind`` adds a document type).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from guai.documents import DocumentError
from guai.documents.formatting import format_date, format_money, item_symbol, parse_amount, parse_date
from guai.documents.llm import can_chat, chat
from guai.documents.proofread import Finding, fix_all, proofread
from guai.documents.style import to_gaejosik
from guai.documents.text import strip_bullet

TEMPLATE_DIR = Path(__file__).parent / "templates"
FIELD_TYPES = ("text", "paragraph", "lines", "date", "money")
KINDS = ("보고서", "계획서", "보도자료", "공문")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str = "text"
    required: bool = False
    example: str = ""


@dataclass(frozen=True)
class TemplateSpec:
    kind: str
    description: str
    fields: tuple[FieldSpec, ...]
    body: str
    facts_field: str | None
    content_field: str | None
    source: str


@dataclass
class Draft:
    kind: str
    title: str
    text: str
    method: str  # "서식" (template) or "생성" (model)
    corrections: list[Finding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    model: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_markdown(self) -> str:
        from guai.documents.export import text_to_markdown

        return text_to_markdown(self.text, title=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "method": self.method,
            "model": self.model,
            "notes": self.notes,
            "corrections": [f.to_dict() for f in self.corrections],
            "findings": [f.to_dict() for f in self.findings],
        }


def override_dir() -> Path | None:
    try:
        from guai.config import get_settings

        return get_settings().home / "documents" / "templates"
    except Exception:
        return None


def _parse_template(path: Path) -> TemplateSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        fields = tuple(
            FieldSpec(
                **{
                    "label": f["name"],
                    **{k: (str(v) if k in ("example", "label", "name") else v) for k, v in f.items()},
                }
            )
            for f in data["fields"]
        )
        spec = TemplateSpec(
            str(data["kind"]),
            str(data.get("description", "")),
            fields,
            str(data["body"]),
            data.get("facts_field"),
            data.get("content_field"),
            str(path),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise DocumentError(f"서식 파일 {path}을(를) 읽을 수 없습니다: {exc}") from exc
    bad = [f.name for f in spec.fields if f.type not in FIELD_TYPES]
    if bad:
        raise DocumentError(
            f"서식 파일 {path}: 알 수 없는 항목 종류({', '.join(bad)}). 쓸 수 있는 종류: {', '.join(FIELD_TYPES)}"
        )
    try:
        _env().from_string(spec.body)
    except TemplateError as exc:
        raise DocumentError(f"서식 파일 {path}의 body가 올바르지 않습니다: {exc}") from exc
    return spec


def templates(extra_dir: Path | None = None) -> dict[str, TemplateSpec]:
    """All document types: packaged templates, then the administrator's (same kind replaces)."""
    out: dict[str, TemplateSpec] = {}
    folder = extra_dir if extra_dir is not None else override_dir()
    for directory in (TEMPLATE_DIR, folder):
        if directory is None or not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.yaml")):
            spec = _parse_template(path)
            out[spec.kind] = spec
    return out


def get_template(kind: str, extra_dir: Path | None = None) -> TemplateSpec:
    available = templates(extra_dir)
    if kind not in available:
        raise DocumentError(f"'{kind}' 서식이 없습니다. 쓸 수 있는 문서: {', '.join(available)}")
    return available[kind]


# ---- rendering helpers (exposed to templates) ----


def _split_items(lines: Iterable[str]) -> list[tuple[int, str]]:
    out = []
    for raw in lines:
        if not raw.strip():
            continue
        depth = 1 if re.match(r"^(\s{2,}|\t|\s*[-–·ㆍ]\s)", raw) else 0
        out.append((depth, strip_bullet(raw.strip().lstrip("-–·ㆍ").strip()) or raw.strip()))
    return out


def render_items(lines: Iterable[str], level: int = 0, *, gaejosik: bool = False, end: bool = False) -> str:
    """Numbered lines: top items at `level`, lines starting with '-' (or indented) one level below."""
    out: list[str] = []
    counters = [0, 0]
    for depth, text in _split_items(lines):
        lvl = level + depth
        if depth == 0:
            counters = [counters[0] + 1, 0]
            idx = counters[0] - 1
        else:
            counters[1] += 1
            idx = counters[1] - 1
        body = to_gaejosik(text) if gaejosik else text
        out.append(f"{'  ' * lvl}{item_symbol(lvl, idx)} {body}")
    if end and out:
        out[-1] = out[-1].rstrip() + "  끝."
    return "\n".join(out)


def render_attachments(lines: Iterable[str]) -> str:
    """`붙임  1. 계획서 1부.` … `  끝.` (one attachment is not numbered)."""
    entries = []
    for raw in lines:
        name = strip_bullet(raw.strip()).rstrip(".")
        if not name:
            continue
        if not re.search(r"\d+\s?(부|매|권|건|개|점|장|식|종)$", name):
            name += " 1부"
        entries.append(name + ".")
    if not entries:
        return ""
    if len(entries) == 1:
        return f"붙임  {entries[0]}  끝."
    rows = [f"붙임  1. {entries[0]}"] + [f"      {i}. {e}" for i, e in enumerate(entries[1:], 2)]
    rows[-1] += "  끝."
    return "\n".join(rows)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in '.?!"”' else text + "."


def _quote(text: str) -> str:
    return text.strip().strip("\"“”'").rstrip(".")


def _env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.globals.update(
        symbol=item_symbol, items=render_items, attachments=render_attachments, plain=_sentence, quote=_quote
    )
    return env


BLANK = "○○"  # the customary mark for a part the writer still has to fill in


def normalize_fields(
    spec: TemplateSpec, fields: Mapping[str, Any], *, complete: bool = True
) -> dict[str, Any]:
    """Field values checked and converted: dates → `2025. 3. 10.`, money → `금…원(금…원)`, lines → list.

    With ``complete=False`` missing required fields become ``○○`` (dates: today) instead of an error.
    """
    fields = dict(fields)
    if not complete:
        for f in spec.fields:
            if f.required and not str(fields.get(f.name) or "").strip():
                fields[f.name] = dt.date.today().isoformat() if f.type == "date" else BLANK
    unknown = sorted(set(fields) - {f.name for f in spec.fields})
    if unknown:
        raise DocumentError(
            f"{spec.kind} 서식에 없는 항목: {', '.join(unknown)}. "
            f"쓸 수 있는 항목: {', '.join(f.name for f in spec.fields)}"
        )
    out: dict[str, Any] = {}
    missing, problems = [], []
    for f in spec.fields:
        value = fields.get(f.name)
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value)
        value = "" if value is None else str(value).strip()
        if f.required and not value:
            missing.append(f.label)
        if f.type == "lines":
            out[f.name] = [ln for ln in value.splitlines() if ln.strip()]
        elif f.type == "date":
            if value:
                parsed = parse_date(value)
                if parsed is None:
                    problems.append(f"{f.label}: 날짜 '{value}'을(를) 알아볼 수 없습니다(예: 2025-03-10)")
                out[f.name] = format_date(parsed) if parsed else ""
            else:
                out[f.name] = ""
        elif f.type == "money":
            amount = parse_amount(value) if value else None
            if value and amount is None:
                problems.append(f"{f.label}: 금액 '{value}'은(는) 숫자여야 합니다(예: 15000000)")
            out[f.name] = format_money(amount) if amount is not None else ""
        else:
            out[f.name] = " ".join(value.split()) if f.type == "text" else value
    if missing or problems:
        parts = ([f"필수 항목을 채우세요: {', '.join(missing)}"] if missing else []) + problems
        raise DocumentError(" / ".join(parts))
    return out


def render(spec: TemplateSpec, values: Mapping[str, Any], *, district: str = "가온구") -> str:
    ctx = dict(values)
    ctx.update(fields=values, district=district, today=format_date(dt.date.today()))
    try:
        text = _env().from_string(spec.body).render(**ctx)
    except TemplateError as exc:
        raise DocumentError(f"{spec.kind} 서식({spec.source})을 채우는 중 오류가 났습니다: {exc}") from exc
    lines = [ln.rstrip() if not ln.endswith("  끝.") else ln for ln in text.splitlines()]
    text = "\n".join(lines).strip("\n") + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)


def _district() -> str:
    try:
        from guai.config import get_settings

        return get_settings().district_name
    except Exception:
        return "가온구"


_DRAFT_SYSTEM = (
    "당신은 구청 공무원의 공문서 초안 작성을 돕습니다. 주어진 항목만 JSON 객체로 채웁니다. 원문 사실과 입력값을 "
    "바꾸지 말고, 날짜는 '2025. 3. 10.', 시각은 '14:00'처럼, 쉬운 우리말로 씁니다. 목록 항목은 문자열 배열로 답합니다."
)


def _model_fields(
    spec: TemplateSpec, fields: Mapping[str, Any], facts: list[str], gateway: Any, user: Any
) -> tuple[dict[str, Any], str | None]:
    schema = {
        f.name: ("문자열 배열" if f.type == "lines" else "문자열") + f" — {f.label}"
        for f in spec.fields
        if f.type not in ("date", "money")
    }
    prompt = (
        f"문서 종류: {spec.kind} ({spec.description})\n항목 설명: {json.dumps(schema, ensure_ascii=False)}\n"
        f"사용자 입력: {json.dumps(dict(fields), ensure_ascii=False)}\n"
        f"참고 사실: {json.dumps(facts, ensure_ascii=False)}\n"
        "사용자 입력을 살려 빈 항목을 채우고 내용을 다듬어, 같은 키의 JSON 객체 하나만 답하세요."
    )
    reply, model = chat(gateway, _DRAFT_SYSTEM, prompt, user=user, purpose=f"documents.draft.{spec.kind}")
    m = re.search(r"\{.*\}", reply, re.S)
    try:
        data = json.loads(m.group(0)) if m else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        raise DocumentError("모델 답변에서 초안 항목(JSON)을 찾지 못했습니다.")
    merged = dict(fields)
    for f in spec.fields:
        if f.type in ("date", "money"):
            continue  # the user's own dates and amounts are never rewritten by the model
        value = data.get(f.name)
        if isinstance(value, list):
            value = "\n".join(str(v) for v in value if str(v).strip())
        if isinstance(value, str) and value.strip():
            merged[f.name] = value
    return merged, model


def _content_lines(text: str) -> str:
    from guai.documents.text import split_sentences

    return "\n".join(s.text for s in split_sentences(text))


def draft(
    kind: str,
    fields: Mapping[str, Any],
    *,
    facts: Iterable[str] = (),
    gateway: Any = None,
    user: Any = None,
    complete: bool = False,
) -> Draft:
    """A 공문서-format draft of `kind` from `fields` (and picked `facts`); see the module docstring.

    A free-text ``내용`` field goes into the template's main content field. Missing required fields are marked
    ``○○`` unless ``complete=True`` (then they are an error, as on the web form).
    """
    spec = get_template(kind)
    facts = [f.strip() for f in facts if f and f.strip()]
    fields = dict(fields)
    content = fields.pop("내용", None)
    if content and spec.content_field:
        current = str(fields.get(spec.content_field) or "").strip()
        fields[spec.content_field] = "\n".join(x for x in (current, _content_lines(str(content))) if x)
    missing_before = [
        f.label for f in spec.fields if f.required and not str(fields.get(f.name) or "").strip()
    ]
    normalize_fields(spec, fields, complete=complete)  # reject bad input before any model call
    merged: dict[str, Any] = dict(fields)
    method, model, notes = "서식", None, []
    if can_chat(gateway):
        merged, model = _model_fields(spec, fields, facts, gateway, user)
        method = "생성"
    if facts and spec.facts_field and method == "서식":
        current = merged.get(spec.facts_field) or ""
        if isinstance(current, list | tuple):
            current = "\n".join(current)
        merged[spec.facts_field] = "\n".join([str(current).strip(), *facts]).strip()
        notes.append(f"고른 사실 {len(facts)}건을 '{spec.facts_field}' 항목에 넣었습니다.")
    values = normalize_fields(spec, merged, complete=complete)
    still_missing = [f.label for f in spec.fields if f.required and values.get(f.name) in (BLANK, [BLANK])]
    if still_missing:
        notes.append(f"채우지 않은 항목은 '{BLANK}'로 표시했습니다: {', '.join(still_missing)}")
    elif missing_before and method == "서식":
        notes.append(f"오늘 날짜로 채운 항목: {', '.join(missing_before)}")
    text = render(spec, values, district=_district())
    before = proofread(text)
    fixed = fix_all(text)
    remaining = proofread(fixed)
    if remaining:
        notes.append("자동으로 고칠 수 없는 교정 의견이 남아 있습니다. 확인하세요.")
    title = values.get("제목") or spec.kind
    return Draft(
        kind,
        str(title),
        fixed,
        method,
        [f for f in before if f.suggestion is not None],
        remaining,
        model,
        notes,
    )
