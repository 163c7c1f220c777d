"""`guai providers ...` (model servers) and `guai usage ...` (AI usage and quotas) for administrators."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from guai.audit import record
from guai.auth.departments import get_department
from guai.auth.errors import AuthError
from guai.auth.users import get_user
from guai.commands.common import GuaiCliError, cli_actor, console, open_db
from guai.llm import LLMError, get_gateway
from guai.llm.providers import (
    KIND_LABELS,
    POLICY_LABELS,
    add_provider,
    list_providers,
    remove_provider,
    set_role,
)
from guai.llm.usage import export_csv, period_start, set_quota, today, usage_by_department

providers_app = typer.Typer(
    help="AI 모델 서버(OpenAI, vLLM, Ollama, llama.cpp 등) 관리", no_args_is_help=True
)
usage_app = typer.Typer(help="AI 사용량과 할당량", no_args_is_help=True)


@providers_app.command("add")
def providers_add(
    name: str,
    base_url: str = typer.Option(..., "--base-url", help="OpenAI 호환 주소, 예: http://127.0.0.1:8001/v1"),
    model: str = typer.Option(None, "--model", help="대화 모델 이름"),
    kind: str = typer.Option("external", "--kind", help="external(외부) 또는 on-prem(구청 내부)"),
    api_key_env: str = typer.Option(
        None, "--api-key-env", help="API 키가 든 환경 변수 이름 (키 자체가 아님)"
    ),
    default: bool = typer.Option(False, "--default", help="기본 모델 서버로 지정"),
    fallback: bool = typer.Option(False, "--fallback", help="기본 서버가 실패할 때 쓸 예비 서버로 지정"),
    policy: str = typer.Option(None, "--policy", help="mask | block | allow (기본: 외부=mask, 내부=allow)"),
    embedding_model: str = typer.Option(None, "--embedding-model", help="임베딩 모델 이름"),
    image_model: str = typer.Option(None, "--image-model", help="이미지 생성 모델 이름"),
    vision: bool = typer.Option(False, "--vision", help="대화 모델이 이미지 분석을 지원함"),
    timeout: float = typer.Option(60.0, "--timeout", help="응답 제한 시간(초)"),
    retries: int = typer.Option(2, "--retries", help="429/5xx 응답 때 재시도 횟수"),
) -> None:
    """모델 서버를 등록하거나 설정을 바꿉니다."""
    db = open_db()
    try:
        with db.session() as s:
            row = add_provider(
                s,
                name=name,
                base_url=base_url,
                model=model,
                kind=kind,
                policy=policy,
                api_key_env=api_key_env,
                default=default,
                fallback=fallback,
                embedding_model=embedding_model,
                image_model=image_model,
                vision=vision,
                timeout_s=timeout,
                max_retries=retries,
            )
            record(
                s,
                actor=cli_actor(),
                action="provider.add",
                target=name,
                detail={
                    "base_url": row.base_url,
                    "kind": kind,
                    "policy": row.policy,
                    "model": model,
                    "api_key_env": api_key_env,
                    "default": row.is_default,
                    "fallback": row.is_fallback,
                },
            )
            is_default, chosen = row.is_default, row.policy
    except LLMError as exc:
        raise GuaiCliError(str(exc)) from exc
    console.print(
        f"[green]모델 서버 등록:[/] {name} ({KIND_LABELS[kind]}, 정책: {POLICY_LABELS[chosen]})"
        + (" — 기본 서버" if is_default else "")
    )


@providers_app.command("list")
def providers_list(fmt: str = typer.Option("table", "--format", help="table 또는 json")) -> None:
    """등록된 모델 서버를 보여 줍니다."""
    db = open_db()
    with db.session() as s:
        rows = [
            {
                "name": p.name,
                "base_url": p.base_url,
                "kind": p.kind,
                "policy": p.policy,
                "model": p.chat_model,
                "embedding_model": p.embedding_model,
                "image_model": p.image_model,
                "vision": p.vision,
                "api_key_env": p.api_key_env,
                "default": p.is_default,
                "fallback": p.is_fallback,
                "enabled": p.enabled,
            }
            for p in list_providers(s)
        ]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        console.print(
            "등록된 모델 서버가 없습니다. 예: guai providers add local --base-url http://127.0.0.1:8001/v1 "
            "--model qwen2.5 --kind on-prem"
        )
        return
    table = Table("이름", "주소", "종류", "정책", "대화 모델", "임베딩", "이미지", "키 변수", "역할", "상태")
    for r in rows:
        role = "기본" if r["default"] else ("예비" if r["fallback"] else "")
        table.add_row(
            r["name"],
            r["base_url"],
            KIND_LABELS.get(r["kind"], r["kind"]),
            r["policy"],
            r["model"] or "",
            r["embedding_model"] or "",
            r["image_model"] or "",
            r["api_key_env"] or "",
            role,
            "사용" if r["enabled"] else "중지",
        )
    console.print(table)


@providers_app.command("test")
def providers_test(name: str) -> None:
    """모델 서버에 짧은 요청을 보내 연결과 응답 시간을 확인합니다."""
    db = open_db()
    try:
        report = get_gateway(db).test_provider(name)
    except LLMError as exc:
        raise GuaiCliError(str(exc)) from exc
    for label in ("chat", "embeddings"):
        if label in report:
            r = report[label]
            console.print(
                f"  {label}: "
                + (f"[green]정상[/] ({r['ms']} ms)" if r["ok"] else f"[red]실패[/] {r['error']}"),
                highlight=False,
            )
    with db.session() as s:
        record(
            s,
            actor=cli_actor(),
            action="provider.test",
            target=name,
            outcome="성공" if report["ok"] else "실패",
        )
    if not report["ok"]:
        reasons = [report[k]["error"] for k in ("chat", "embeddings") if k in report and not report[k]["ok"]]
        raise GuaiCliError(
            f"모델 서버 '{name}' 확인에 실패했습니다: " + (" / ".join(reasons) or "확인할 모델이 없습니다.")
        )
    console.print(f"[green]모델 서버 '{name}' 정상[/]")


@providers_app.command("default")
def providers_default(
    name: str, fallback: bool = typer.Option(False, "--fallback", help="예비 서버로 지정")
) -> None:
    """기본(또는 예비) 모델 서버를 바꿉니다."""
    db = open_db()
    try:
        with db.session() as s:
            set_role(s, name, default=None if fallback else True, fallback=True if fallback else None)
            record(s, actor=cli_actor(), action="provider.role", target=name, detail={"fallback": fallback})
    except LLMError as exc:
        raise GuaiCliError(str(exc)) from exc
    console.print(f"[green]{'예비' if fallback else '기본'} 모델 서버:[/] {name}")


@providers_app.command("remove")
def providers_remove(name: str) -> None:
    """모델 서버 등록을 지웁니다."""
    db = open_db()
    try:
        with db.session() as s:
            remove_provider(s, name)
            record(s, actor=cli_actor(), action="provider.remove", target=name)
    except LLMError as exc:
        raise GuaiCliError(str(exc)) from exc
    console.print(f"모델 서버 삭제: {name}")


def _parse_day(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise GuaiCliError(f"날짜 '{value}'를 읽을 수 없습니다. 예: 2025-03-10") from exc


@usage_app.command("report")
def usage_report(
    since: str = typer.Option(None, "--since", help="시작일 (기본: 이번 달 1일)"),
    until: str = typer.Option(None, "--until", help="종료일 (기본: 오늘)"),
    csv_out: Path = typer.Option(None, "--csv", help="일별 상세를 이 CSV 파일로 저장"),
) -> None:
    """부서별 AI 사용량을 보여 줍니다."""
    db = open_db()
    start, end = _parse_day(since, period_start("month")), _parse_day(until, today())
    with db.session() as s:
        rows = usage_by_department(s, start, end)
        data = export_csv(s, start, end) if csv_out else None
    table = Table("부서", "요청", "토큰", "사용자", title=f"AI 사용량 {start} ~ {end}")
    for r in rows:
        if r.requests:
            table.add_row(r.department, f"{r.requests:,}", f"{r.tokens:,}", str(r.users))
    console.print(table)
    unused = sum(1 for r in rows if not r.requests)
    console.print(f"사용 기록이 없는 부서: {unused}개")
    if csv_out and data is not None:
        csv_out.write_text(data, encoding="utf-8")
        console.print(f"CSV 저장: {csv_out}")


@usage_app.command("quota")
def usage_quota(
    department: str = typer.Option(None, "--department", help="부서 이름"),
    user: str = typer.Option(None, "--user", help="사용자 아이디"),
    period: str = typer.Option("month", "--period", help="day 또는 month"),
    tokens: int = typer.Option(None, "--tokens", help="최대 토큰 수"),
    requests: int = typer.Option(None, "--requests", help="최대 요청 수"),
) -> None:
    """부서나 사용자의 하루/한 달 한도를 정합니다 (둘 다 비우면 한도 삭제)."""
    if bool(department) == bool(user):
        raise GuaiCliError("--department 또는 --user 중 하나만 지정하세요.")
    db = open_db()
    try:
        with db.session() as s:
            if department:
                scope, target_id, label = "department", get_department(s, department).id, department
            else:
                scope, target_id, label = "user", get_user(s, user).id, user
            set_quota(
                s,
                scope=scope,
                target_id=target_id,
                period=period,
                max_tokens=tokens,
                max_requests=requests,
                actor=cli_actor(),
            )
            record(
                s,
                actor=cli_actor(),
                action="quota.set",
                target=f"{scope}:{label}",
                detail={"period": period, "tokens": tokens, "requests": requests},
            )
    except (AuthError, ValueError) as exc:
        raise GuaiCliError(str(exc)) from exc
    if tokens is None and requests is None:
        console.print(f"한도 삭제: {label} ({period})")
    else:
        console.print(
            f"[green]한도 설정:[/] {label} — {period}: 토큰 {tokens or '-'} / 요청 {requests or '-'}"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(providers_app, name="providers")
    app.add_typer(usage_app, name="usage")
