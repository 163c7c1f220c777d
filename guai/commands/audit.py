"""`guai audit verify|list|export`."""

from __future__ import annotations

import typer
from rich.table import Table

from guai.audit import verify
from guai.audit.query import AuditFilter, export_csv, query_entries
from guai.commands.common import GuaiCliError, console, open_db

audit_app = typer.Typer(help="감사 로그", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify() -> None:
    """감사 로그의 해시 사슬을 검사해 수정·삭제된 항목을 찾습니다."""
    db = open_db()
    with db.session() as s:
        checked, problems = verify(s)
    if problems:
        for p in problems:
            console.print(f"[red]항목 {p.entry_id}:[/] {p.problem}")
        raise GuaiCliError(
            f"감사 로그 변조 감지: 문제 {len(problems)}건 (검사한 항목 {checked}개)", exit_code=4
        )
    console.print(f"[green]감사 로그 정상[/]: 항목 {checked}개의 해시 사슬이 온전합니다.")


@audit_app.command("list")
def audit_list(
    actor: str = typer.Option(None, "--actor"),
    action: str = typer.Option(None, "--action"),
    limit: int = typer.Option(50, "--limit"),
) -> None:
    """최근 감사 로그를 보여 줍니다."""
    db = open_db()
    with db.session() as s:
        rows = query_entries(s, AuditFilter(actor=actor, action=action), limit=limit)
        table = Table("번호", "시각(UTC)", "사용자", "동작", "대상", "결과", "접속 주소")
        for r in rows:
            table.add_row(
                str(r.id),
                r.at.strftime("%Y-%m-%d %H:%M:%S"),
                r.actor,
                r.action,
                r.target or "",
                r.outcome,
                r.client or "",
            )
    console.print(table)


@audit_app.command("export")
def audit_export(out: str = typer.Option("-", "--out", help="CSV 파일 경로 (기본: 표준 출력)")) -> None:
    """감사 로그를 CSV로 내보냅니다."""
    db = open_db()
    with db.session() as s:
        data = export_csv(s, AuditFilter())
    if out == "-":
        typer.echo(data, nl=False)
    else:
        with open(out, "w", encoding="utf-8-sig", newline="") as fh:
            fh.write(data)
        console.print(f"내보냄: {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
