"""CLI for document work: guai proofread | summarize | draft | translate (same service functions as the web)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from guai.commands.common import GuaiCliError, console, open_db
from guai.documents import DocumentError

ExportOpt = Annotated[str | None, typer.Option("--export", help="파일로 내보내기: hwpx, docx, md")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="내보낼 파일 경로(--export와 함께)")]
NoModelOpt = Annotated[bool, typer.Option("--no-model", help="모델이 있어도 쓰지 않음(서식·추출 요약)")]


def _read_input(source: str) -> tuple[str, str]:
    """(title, text) from a file path or '-' (standard input)."""
    if source == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
        from guai.textio import decode_bytes

        try:
            text = decode_bytes(data)
        except Exception as exc:
            raise GuaiCliError(f"표준 입력을 읽을 수 없습니다: {exc}") from exc
        return "문서", text
    path = Path(source)
    if not path.is_file():
        raise GuaiCliError(f"파일을 찾을 수 없습니다: {source}")
    from guai.documents.extract import text_from_upload

    try:
        return text_from_upload(path.read_bytes(), path.name)
    except DocumentError as exc:
        raise GuaiCliError(str(exc)) from exc


def _gateway(no_model: bool) -> Any:
    if no_model:
        return None
    from guai.documents.llm import gateway_for

    return gateway_for(open_db())


def _export(text: str, title: str, fmt: str | None, out: Path | None) -> None:
    if fmt is None:
        if out is not None:
            raise GuaiCliError("--out은 --export hwpx|docx|md 와 함께 씁니다.")
        return
    from guai.documents.export import export

    try:
        exported = export(text, fmt, title=title)
    except DocumentError as exc:
        raise GuaiCliError(str(exc)) from exc
    target = out or Path(exported.filename)
    if target.exists() and target.is_dir():
        target = target / exported.filename
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.write_bytes(exported.data)
        tmp.replace(target)  # never leave a half-written file under the real name
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise GuaiCliError(f"파일을 쓸 수 없습니다: {target} ({exc})") from exc
    console.print(f"[green]내보냈습니다:[/] {target}")


def proofread_cmd(
    source: Annotated[
        str, typer.Argument(help="검사할 파일(txt, md, hwp, hwpx, docx, pdf) 또는 - (표준 입력)")
    ],
    fmt: Annotated[str, typer.Option("--format", help="table 또는 json")] = "table",
    fix: Annotated[bool, typer.Option("--fix", help="고칠 수 있는 것을 모두 고친 글을 출력")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="--fix 결과를 쓸 파일")] = None,
) -> None:
    """공문서 작성 규칙과 쉬운 우리말 기준으로 글을 교정합니다."""
    from guai.documents.proofread import RULES, fix_all, proofread

    if fmt not in ("table", "json"):
        raise GuaiCliError("--format은 table 또는 json 입니다.")
    _, text = _read_input(source)
    if fix:
        fixed = fix_all(text)
        if out:
            out.write_text(fixed, encoding="utf-8")
            console.print(f"[green]고친 글을 썼습니다:[/] {out}")
        else:
            sys.stdout.write(fixed)
        return
    findings = proofread(text)
    if fmt == "json":
        sys.stdout.write(
            json.dumps(
                [
                    {k: f.to_dict()[k] for k in ("rule", "start", "end", "message", "suggestion")}
                    for f in findings
                ],
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
        return
    if not findings:
        console.print("[green]고칠 곳을 찾지 못했습니다.[/]")
        return
    titles = {r.id: r.title for r in RULES}
    table = Table(title=f"교정 의견 {len(findings)}건")
    for col in ("줄", "규칙", "원문", "제안", "설명"):
        table.add_column(col)
    for f in findings:
        line = text.count("\n", 0, f.start) + 1
        original = text[f.start : f.end] or "(삽입)"
        table.add_row(
            str(line),
            f"{f.rule}\n{titles.get(f.rule, '')}",
            original,
            repr(f.suggestion)[1:-1] if f.suggestion is not None else "-",
            f.message,
        )
    console.print(table)


def summarize_cmd(
    source: Annotated[str, typer.Argument(help="요약할 파일 또는 - (표준 입력)")],
    length: Annotated[str, typer.Option("--length", help="3줄, 1쪽, 상세 (또는 N줄)")] = "3줄",
    fmt: Annotated[str, typer.Option("--format", help="text, md, json")] = "text",
    export: ExportOpt = None,
    out: OutOpt = None,
    no_model: NoModelOpt = False,
) -> None:
    """긴 글이나 문서를 개조식으로 요약합니다(줄마다 원문 문장 위치 포함)."""
    from guai.documents.summarize import summarize

    title, text = _read_input(source)
    try:
        summary = summarize(text, length=length, gateway=_gateway(no_model))
    except DocumentError as exc:
        raise GuaiCliError(str(exc)) from exc
    if fmt == "json":
        sys.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False, indent=1) + "\n")
    elif fmt == "md":
        sys.stdout.write(summary.to_markdown())
    else:
        console.print(f"[bold]{summary.title}[/] · {summary.method} 요약 · 원문 {summary.source_chars:,}자")
        for line in summary.lines:
            console.print(f"○ {line.text}", highlight=False)
            for issue in line.issues:
                console.print(f"  [yellow]⚠ {issue.message}[/]")
        for note in summary.notes:
            console.print(f"[yellow]{note}[/]")
    _export(summary.to_text(), f"{title} {summary.title}", export, out)


def draft_cmd(
    kind: Annotated[str, typer.Argument(help="보고서, 계획서, 보도자료, 공문 (관리자가 더한 서식도)")],
    field: Annotated[
        list[str] | None, typer.Option("--field", "-f", help="항목=값 (여러 번; 줄바꿈은 \\n)")
    ] = None,
    fields_file: Annotated[
        Path | None, typer.Option("--fields-file", help="항목을 담은 YAML/JSON 파일")
    ] = None,
    fact: Annotated[
        list[str] | None, typer.Option("--fact", help="넣을 사실(검색·민원 결과에서 고른 문장)")
    ] = None,
    list_fields: Annotated[bool, typer.Option("--list-fields", help="이 서식의 항목을 보여 줌")] = False,
    export: ExportOpt = None,
    out: OutOpt = None,
    no_model: NoModelOpt = False,
) -> None:
    """서식에 맞춘 공문서 초안을 만듭니다(교정기로 검사한 결과 포함)."""
    from guai.documents.drafting import draft, get_template

    try:
        spec = get_template(kind)
    except DocumentError as exc:
        raise GuaiCliError(str(exc)) from exc
    if list_fields:
        table = Table(title=f"{kind} 항목")
        for col in ("항목", "설명", "종류", "필수", "예"):
            table.add_column(col)
        for f in spec.fields:
            table.add_row(f.name, f.label, f.type, "예" if f.required else "", f.example.replace("\n", " / "))
        console.print(table)
        return
    values: dict[str, Any] = {}
    if fields_file:
        import yaml

        try:
            loaded = yaml.safe_load(fields_file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise GuaiCliError(f"항목 파일을 읽을 수 없습니다: {exc}") from exc
        if not isinstance(loaded, dict):
            raise GuaiCliError("항목 파일은 '항목: 값' 형식이어야 합니다.")
        values.update({str(k): v for k, v in loaded.items()})
    for item in field or []:
        if "=" not in item:
            raise GuaiCliError(f"--field는 항목=값 형식입니다: {item}")
        key, value = item.split("=", 1)
        values[key.strip()] = value.replace("\\n", "\n")
    try:
        doc = draft(kind, values, facts=fact or [], gateway=_gateway(no_model), complete=False)
    except DocumentError as exc:
        raise GuaiCliError(str(exc)) from exc
    sys.stdout.write(doc.text)
    for note in doc.notes:
        console.print(f"[yellow]※ {note}[/]")
    if doc.findings:
        console.print(f"[yellow]남은 교정 의견 {len(doc.findings)}건[/]")
    _export(doc.text, doc.title, export, out)


def translate_cmd(
    source: Annotated[str, typer.Argument(help="번역할 파일 또는 - (표준 입력)")],
    to: Annotated[str, typer.Option("--to", help="en, zh, vi, ja (한국어에서) 또는 ko (한국어로)")] = "en",
    src: Annotated[str | None, typer.Option("--from", help="원문 언어(ko에서 번역하면 생략)")] = None,
    export: ExportOpt = None,
    out: OutOpt = None,
) -> None:
    """문서를 영어·중국어·베트남어·일본어로(또는 한국어로) 번역합니다. AI 모델이 필요합니다."""
    from guai.documents.translate import translate

    title, text = _read_input(source)
    try:
        result = translate(text, to, gateway=_gateway(False), source=src)
    except DocumentError as exc:
        raise GuaiCliError(str(exc)) from exc
    sys.stdout.write(result.text.rstrip("\n") + "\n")
    for note in result.notes:
        console.print(f"[yellow]※ {note}[/]")
    _export(result.text, f"{title} ({to})", export, out)


def register(app: typer.Typer) -> None:
    app.command("proofread")(proofread_cmd)
    app.command("summarize")(summarize_cmd)
    app.command("draft")(draft_cmd)
    app.command("translate")(translate_cmd)
