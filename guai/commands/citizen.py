"""`guai citizen import|report|tickets|ask|seal` — the citizen chatbot from the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from guai.audit import record
from guai.commands.common import GuaiCliError, cli_actor, console, open_db, settings

citizen_app = typer.Typer(
    help="시민 안내 챗봇: 안내 자료 가져오기, 일일 보고, 문의 티켓", no_args_is_help=True
)


@citizen_app.command("import")
def import_cmd(file: Path = typer.Argument(..., help="안내 Q&A 파일 (.csv 또는 .xlsx)")) -> None:
    """안내 Q&A를 CSV/XLSX에서 가져옵니다 (같은 번호는 고쳐 씀, 오류가 있으면 아무것도 저장하지 않음)."""
    from guai.citizen import CitizenError, import_guidance

    if not file.is_file():
        raise GuaiCliError(f"파일을 찾을 수 없습니다: {file}")
    db = open_db()
    try:
        with console.status("안내 자료를 검사하고 저장하는 중…"), db.session() as s:
            report = import_guidance(s, file.read_bytes(), file.name, actor=cli_actor())
            record(
                s,
                actor=cli_actor(),
                action="citizen.import",
                target=file.name,
                detail={"created": report.created, "updated": report.updated},
            )
    except CitizenError as exc:
        raise GuaiCliError(str(exc)) from exc
    finally:
        db.dispose()
    console.print(
        f"[green]안내 가져오기 완료[/]: 새로 {report.created}건, 고침 {report.updated}건 ({file.name})"
    )


@citizen_app.command("report")
def report_cmd(
    day: str = typer.Option(None, "--date", help="보고할 날짜 YYYY-MM-DD (기본: 오늘)"),
    top: int = typer.Option(10, "--top", min=1, max=100, help="많이 물은 질문 몇 개까지"),
    as_json: bool = typer.Option(False, "--json", help="JSON으로 출력"),
) -> None:
    """하루 동안의 질문 수, 답변률, 많이 물은 질문, 답하지 못한 질문을 보여 줍니다."""
    from guai.citizen import daily_report, load_settings, seal_answers

    try:
        when = date.fromisoformat(day) if day else date.today()
    except ValueError as exc:
        raise GuaiCliError(f"날짜 '{day}'을(를) 읽을 수 없습니다. 2025-03-10 형식으로 적으세요.") from exc
    db = open_db()
    try:
        seal_answers(db, actor=cli_actor())
        with db.session() as s:
            rep = daily_report(s, when, min_confidence=load_settings(s).min_confidence, top_n=top)
    finally:
        db.dispose()
    if as_json:
        data = {
            "date": rep.day.isoformat(),
            "total": rep.total,
            "answered": rep.answered,
            "escalated": rep.escalated,
            "refused": rep.refused,
            "via_model": rep.via_model,
            "answer_rate": round(rep.answer_rate, 4),
            "tickets_created": rep.tickets_created,
            "tickets_answered": rep.tickets_answered,
            "top": [t.__dict__ for t in rep.top],
            "weak": [w.__dict__ for w in rep.weak],
            "by_department": rep.by_department,
            "outcomes": rep.outcomes,
        }
        console.print_json(json.dumps(data, ensure_ascii=False))
        return
    console.rule(f"시민 챗봇 일일 보고 {rep.day.isoformat()}")
    console.print(
        f"질문 {rep.total}건 · 답변 {rep.answered}건 · 담당자 연결 안내 {rep.escalated}건 · 거절(악용·지시 변경 등) {rep.refused}건"
        f" · 답변률 {rep.answer_rate:.0%} · 모델 사용 {rep.via_model}건"
    )
    console.print(f"문의 티켓: 새로 {rep.tickets_created}건, 답변 {rep.tickets_answered}건")
    table = Table(title="많이 물은 질문")
    for col in ("순위", "안내", "질문", "담당", "건수"):
        table.add_column(col, justify="right" if col in ("순위", "건수") else "left")
    for i, t in enumerate(rep.top, 1):
        table.add_row(str(i), t.guidance_code, t.question, t.department, str(t.count))
    console.print(table)
    weak = Table(title="답하지 못했거나 확신이 낮은 질문 (개인정보 가림)")
    for col in ("질문", "횟수", "최고 점수", "추정 부서"):
        weak.add_column(col)
    for w in rep.weak:
        weak.add_row(w.question, str(w.count), f"{w.best_confidence:.2f}", w.department or "")
    console.print(weak)


@citizen_app.command("tickets")
def tickets_cmd(
    status: str = typer.Option(None, "--status", help="접수, 처리중, 답변완료, 종결 중 하나만"),
    department: str = typer.Option(None, "--department", help="부서 이름으로 거르기"),
    limit: int = typer.Option(50, "--limit", min=1, max=1000),
) -> None:
    """시민 문의 티켓 목록 (연락처는 가려서 표시; 원문은 웹의 권한 있는 화면에서)."""
    from sqlalchemy import select

    from guai.citizen import STATUSES, mask_for_log
    from guai.db.models.citizen import CitizenTicket

    if status and status not in STATUSES:
        raise GuaiCliError(f"상태 '{status}'을(를) 알 수 없습니다. {', '.join(STATUSES)} 중 하나를 쓰세요.")
    db = open_db()
    try:
        with db.session() as s:
            stmt = select(CitizenTicket).order_by(CitizenTicket.created_at.desc()).limit(limit)
            if status:
                stmt = stmt.where(CitizenTicket.status == status)
            if department:
                stmt = stmt.where(CitizenTicket.department_name == department)
            rows = list(s.execute(stmt).scalars())
    finally:
        db.dispose()
    table = Table(title=f"시민 문의 {len(rows)}건")
    for col in ("코드", "접수일", "부서", "상태", "문의 (개인정보 가림)", "연락처", "답변"):
        table.add_column(col)
    for t in rows:
        table.add_row(
            t.code,
            t.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            t.department_name,
            t.status,
            mask_for_log(t.question)[:60],
            "있음(동의)" if t.consent else "없음",
            "있음" if t.reply else "",
        )
    console.print(table)


@citizen_app.command("ask")
def ask_cmd(message: str = typer.Argument(..., help="주민이 묻는 질문")) -> None:
    """공개 챗봇과 똑같이 답해 봅니다 (안내 자료 점검용)."""
    from guai.citizen import RateLimited, ask

    cfg = settings()
    db = open_db()
    try:
        answer = ask(
            db, message, session_id=None, client="cli", secret=cfg.secret(), district=cfg.district_name
        )
    except RateLimited as exc:
        answer = exc.answer
    finally:
        db.dispose()
    console.print(answer.answer, highlight=False)
    console.print(
        f"[dim]출처: {', '.join(answer.sources) or '-'} · 확신도 {answer.confidence:.2f}"
        f" · 담당자 연결 {'예' if answer.escalate else '아니오'}[/]"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(citizen_app, name="citizen")
