"""`guai complaints import|rank|route|train|evaluate|stats` and `guai ask "..."` (complaint analytics)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from guai.commands.common import GuaiCliError, cli_actor, console, open_db, settings

complaints_app = typer.Typer(help="민원 분석: 가져오기, 주제별 순위, 부서 추천", no_args_is_help=True)
FORMATS = ("table", "json", "md", "xlsx", "png")


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    from guai.complaints.columns import parse_date
    from guai.complaints.periods import parse_period

    try:
        return parse_date(value)
    except ValueError:
        pass
    try:
        period = parse_period(value)
    except ValueError as exc:
        raise GuaiCliError(f"{name} 값 '{value}'을(를) 날짜로 읽을 수 없습니다. 예: 2025-03-01") from exc
    return period.start if name == "--from" else period.end


@complaints_app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="CSV(.csv, .csv.gz) 또는 엑셀(.xlsx) 파일"),
    map_: list[str] = typer.Option(None, "--map", help="열 지정: '열이름=필드' (예: 민원요지=content)"),
    strict: bool = typer.Option(False, "--strict", help="읽을 수 없는 행이 하나라도 있으면 가져오지 않음"),
) -> None:
    """민원 파일을 가져옵니다. 같은 파일을 다시 가져와도 중복되지 않습니다."""
    from guai.complaints.columns import ColumnError, parse_overrides
    from guai.complaints.operations import import_file
    from guai.complaints.reader import ImportFileError

    if not file.is_file():
        raise GuaiCliError(f"파일을 찾을 수 없습니다: {file}")
    db = open_db()
    try:
        overrides = parse_overrides(map_)
        with Progress(
            TextColumn("[bold]민원 가져오기"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("import", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            with db.session() as s:
                report = import_file(
                    s,
                    file.read_bytes(),
                    file.name,
                    actor=cli_actor(),
                    settings=settings(),
                    overrides=overrides,
                    strict=strict,
                    progress=advance,
                )
    except (ImportFileError, ColumnError) as exc:
        raise GuaiCliError(f"{exc} — 아무것도 저장하지 않았습니다.") from exc
    finally:
        db.dispose()
    console.print(f"[green]완료[/] {report.summary_ko()}")
    console.print(
        "  열 인식: " + ", ".join(f"{field}←'{header}'" for field, header in report.columns.items())
    )


def _rank(
    topic: str,
    date_from: date | None,
    date_to: date | None,
    dong: str | None,
    department: str | None,
    unmasked: bool,
    use_model: bool,
    top: int | None,
    period_label: str | None = None,
):  # type: ignore[no-untyped-def]
    from guai.complaints.service import NoComplaintsError, TopicError, rank_topic

    db = open_db()
    try:
        with db.session() as s:
            gateway = None
            if use_model:
                from guai.llm import get_gateway

                gateway = get_gateway(db)
            ranking = rank_topic(
                s,
                topic,
                date_from=date_from,
                date_to=date_to,
                dong=dong,
                department=department,
                settings=settings(),
                reveal=unmasked,
                gateway=gateway,
                top=top,
                period_label=period_label,
            )
            from guai.audit import record

            record(
                s,
                actor=cli_actor(),
                action="complaints.rank",
                target=ranking.label,
                detail={"total": ranking.total, "unmasked": unmasked},
            )
    except (TopicError, NoComplaintsError) as exc:
        raise GuaiCliError(str(exc)) from exc
    finally:
        db.dispose()
    return ranking


def _output(ranking, fmt: str, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    from guai.complaints.reports import chart_png, workbook_bytes

    if fmt not in FORMATS:
        raise GuaiCliError(f"--format 은 {', '.join(FORMATS)} 중 하나입니다.")
    if fmt in ("xlsx", "png") and out is None:
        out = Path(f"민원순위_{ranking.label.replace(' ', '_')}.{fmt}")
    if fmt == "table":
        _print_table(ranking)
        return
    if fmt == "json":
        text = json.dumps(ranking.to_dict(), ensure_ascii=False, indent=2)
    elif fmt == "md":
        text = ranking.to_markdown()
    if fmt in ("json", "md"):
        if out:
            out.write_text(text, encoding="utf-8")
            console.print(f"[green]저장[/] {out}")
        else:
            print(text)
        return
    data = workbook_bytes(ranking, ranking.listing()) if fmt == "xlsx" else chart_png(ranking)
    assert out is not None
    out.write_bytes(data)
    console.print(f"[green]저장[/] {out} ({len(data):,}바이트)")


def _print_table(ranking) -> None:  # type: ignore[no-untyped-def]
    console.print(
        f"[bold]「{ranking.label}」 관련 민원 유형별 순위[/]  {ranking.period_text()} ({ranking.period.label})"
    )
    prev = (
        f", 직전 기간 {ranking.previous_total:,}건 대비 {ranking.change_text}"
        if ranking.previous_total is not None
        else ""
    )
    console.print(f"전체 {ranking.total:,}건{prev}.  찾은 방법: {ranking.method}", highlight=False)
    if ranking.passing_excluded:
        console.print(f"[dim]지나가며 언급만 한 민원 {ranking.passing_excluded:,}건은 제외[/]")
    table = Table()
    for name, justify in (
        ("순위", "right"),
        ("유형", "left"),
        ("건수", "right"),
        ("비율", "right"),
        ("직전 대비", "right"),
        ("주요 동", "left"),
        ("처리 부서", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for g in ranking.groups:
        table.add_row(
            str(g.rank),
            g.display_label,
            f"{g.count:,}",
            f"{g.share * 100:.1f}%",
            g.change_text(),
            ", ".join(f"{p.name}({p.count})" for p in g.places[:2]),
            ", ".join(f"{d.name}({d.count})" for d in g.departments[:2]),
        )
    table.add_row("", "[bold]합계[/]", f"[bold]{ranking.total:,}[/]", "100%", ranking.change_text, "", "")
    console.print(table)
    for g in ranking.groups:
        console.print(
            f"[bold]{g.rank}. {g.display_label}[/] 추이(월별): " + " ".join(str(c) for _, c in g.trend),
            highlight=False,
        )
        for e in g.examples:
            console.print(
                f"   대표 민원 [{e.id}] {e.title} — {e.excerpt[:80]}", highlight=False, markup=False
            )
        if g.reply_gist:
            console.print(f"   답변 요지: {g.reply_gist}", highlight=False, markup=False)
    for line in ranking.summary:
        console.print(f"  · {line}")
    console.print(
        f"[dim]유형별 합계 {sum(g.count for g in ranking.groups):,}건 = 전체 {ranking.total:,}건"
        + (" · 개인정보는 가렸습니다" if ranking.masked else "")
        + "[/]"
    )


@complaints_app.command("rank")
def rank_cmd(
    topic: str = typer.Argument(..., help="주제 (예: 전동킥보드, 불법 주정차)"),
    date_from: str = typer.Option(None, "--from", help="시작일 (2025-01-01 또는 '올해' 같은 말)"),
    date_to: str = typer.Option(None, "--to", help="종료일"),
    dong: str = typer.Option(None, "--dong", help="동 이름"),
    department: str = typer.Option(None, "--department", help="처리 부서 (이름 일부)"),
    fmt: str = typer.Option("table", "--format", help="table|json|md|xlsx|png"),
    out: Path = typer.Option(None, "--out", help="저장할 파일"),
    top: int = typer.Option(None, "--top", help="상위 N개 유형만"),
    unmasked: bool = typer.Option(False, "--unmasked", help="대표 민원의 개인정보를 가리지 않음 (감사 기록)"),
    model: bool = typer.Option(False, "--model", help="설정된 모델로 유형 이름 다듬기·3줄 요약·의미 검색"),
) -> None:
    """주제에 관한 민원을 유형별로 묶어 건수 순위로 보여 줍니다."""
    ranking = _rank(
        topic, _date(date_from, "--from"), _date(date_to, "--to"), dong, department, unmasked, model, top
    )
    _output(ranking, fmt, out)


@complaints_app.command("route")
def route_cmd(
    text: str = typer.Argument(None, help="새 민원 내용"),
    top: int = typer.Option(3, "--top", min=1, max=10),
    fmt: str = typer.Option("table", "--format", help="table|json"),
    file: Path = typer.Option(None, "--file", help="CSV/XLSX 파일의 모든 행을 한 번에 추천"),
    out: Path = typer.Option(None, "--out", help="--file 결과: .jsonl 또는 .xlsx"),
) -> None:
    """새 민원을 처리할 부서를 추천합니다 (가져온 민원으로 학습한 모델)."""
    from guai.complaints.operations import RouterNotTrainedError, suggest

    if not text and not file:
        raise GuaiCliError("민원 내용이나 --file 을 주세요.")
    db = open_db()
    try:
        with db.session() as s:
            if file:
                from guai.complaints.bulk_route import route_file

                path, count = route_file(file, out, k=top, session=s, settings=settings())
                console.print(f"[green]완료[/] {count:,}건 추천 → {path}")
                return
            field, results = suggest([text], settings=settings(), k=top, session=s)
    except RouterNotTrainedError as exc:
        raise GuaiCliError(str(exc)) from exc
    finally:
        db.dispose()
    what = "부서" if field == "department" else "분류"
    if fmt == "json":
        print(
            json.dumps(
                {
                    "text": text,
                    "field": field,
                    "suggestions": [
                        {"rank": i, "label": sg.label, "score": round(sg.score, 4), "phone": sg.phone}
                        for i, sg in enumerate(results[0], start=1)
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    table = Table(title=f"추천 {what}")
    for col in ("순위", what, "점수", "전화"):
        table.add_column(col)
    for i, sg in enumerate(results[0], start=1):
        table.add_row(str(i), sg.label, f"{sg.score:.3f}", sg.phone or "-")
    console.print(table)


@complaints_app.command("train")
def train_cmd(label: str = typer.Option(None, "--label", help="department(기본) 또는 category")) -> None:
    """가져온 민원의 처리부서(없으면 분류)로 부서 추천 모델을 학습합니다."""
    from guai.complaints.operations import train_router

    db = open_db()
    try:
        with console.status("학습 중…"), db.session() as s:
            router = train_router(s, settings=settings(), label_field=label, actor=cli_actor())
    except ValueError as exc:
        raise GuaiCliError(str(exc)) from exc
    finally:
        db.dispose()
    console.print(
        f"[green]학습 완료[/] {router.trained_on:,}건, {len(router.classes)}개 "
        f"{'부서' if router.label_field == 'department' else '분류'}"
    )


@complaints_app.command("evaluate")
def evaluate_cmd(
    files: list[Path] = typer.Argument(None, help="평가할 CSV/XLSX (없으면 가져온 민원)"),
    label: str = typer.Option(None, "--label", help="정답 열: department 또는 category (파일은 자동)"),
    out: Path = typer.Option(None, "--out", help="결과 JSON 저장"),
) -> None:
    """부서 추천의 top-1/top-3 정확도를 보류 검증(20%)으로 재고 단순 TF-IDF 기준선과 나란히 보여 줍니다."""
    from guai.complaints.evaluation import evaluate_files
    from guai.complaints.operations import evaluate_imported

    results = []
    if files:
        results = evaluate_files(files, label_field=label, console=console)
    else:
        db = open_db()
        try:
            with console.status("평가 중…"), db.session() as s:
                results = [evaluate_imported(s, label_field=label)]
        except ValueError as exc:
            raise GuaiCliError(str(exc)) from exc
        finally:
            db.dispose()
    table = routing_table(results, "부서·분류 추천 정확도 (보류 20%, seed 42)")
    console.print(table)
    if out:
        out.write_text(
            json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=1), encoding="utf-8"
        )


@complaints_app.command("stats")
def stats_cmd() -> None:
    """가져온 민원 현황(건수, 기간, 파일)을 보여 줍니다."""
    from sqlalchemy import func, select

    from guai.db.models.complaints import Complaint, ComplaintImport

    db = open_db()
    try:
        with db.session() as s:
            count, first, last = s.execute(
                select(
                    func.count(Complaint.id), func.min(Complaint.received_on), func.max(Complaint.received_on)
                )
            ).one()
            imports = s.scalars(select(ComplaintImport).order_by(ComplaintImport.id)).all()
            console.print(f"민원 {count:,}건, 접수일 {first or '-'} ~ {last or '-'}")
            for imp in imports:
                console.print(
                    f"  #{imp.id} {imp.file_name}: {imp.rows_imported:,}건 가져옴 "
                    f"(중복 {imp.rows_duplicate:,}, 거부 {imp.rows_rejected:,}) · {imp.imported_by}"
                )
    finally:
        db.dispose()


def ask_cmd(
    text: str = typer.Argument(
        ..., help='요청 문장 (예: "전동킥보드 관련 들어온 민원들을 순위별로 정리해줘")'
    ),
    fmt: str = typer.Option(None, "--format", help="table|json|md|xlsx|png (문장에 '엑셀로'가 있으면 xlsx)"),
    out: Path = typer.Option(None, "--out"),
    model: bool = typer.Option(
        False, "--model", help="규칙으로 못 알아들으면 설정된 모델의 도구 호출로 처리"
    ),
) -> None:
    """한국어 요청 한 문장을 알아듣고 민원 순위를 정리합니다 (모델 없이 동작)."""
    from guai.complaints.intent import parse_request

    request = parse_request(text)
    if request is None and model:
        request = _ask_model(text)
    if request is None:
        raise GuaiCliError(
            '민원 순위 요청으로 알아듣지 못했습니다. 예: "전동킥보드 관련 들어온 민원들을 순위별로 정리해줘", '
            '"지난달 불법 주정차 민원 유형별로 알려줘"'
        )
    period = request.period
    if period:
        console.print(f"[dim]주제 '{request.topic}', 기간 {period.label} ({period.start} ~ {period.end})[/]")
    else:
        console.print(f"[dim]주제 '{request.topic}', 기간 지정 없음 → 자료의 최근 12개월[/]")
    ranking = _rank(
        request.topic,
        period.start if period else None,
        period.end if period else None,
        None,
        None,
        False,
        model,
        request.top,
        period.label if period else None,
    )
    _output(ranking, fmt or request.format or "table", out)


def _ask_model(text: str):  # type: ignore[no-untyped-def]
    """Let the configured chat model call the ranking tool; None if it does not."""
    from guai.complaints.intent import ComplaintRequest
    from guai.complaints.periods import Period
    from guai.complaints.service import TOOL_SPEC
    from guai.llm import LLMError, get_gateway

    db = open_db()
    try:
        gw = get_gateway(db)
        if not gw.available("chat"):
            return None
        result = gw.chat(
            [{"role": "user", "content": text}], tools=[TOOL_SPEC], purpose="민원 분석 요청 해석"
        )
    except LLMError as exc:
        raise GuaiCliError(f"모델 호출 실패: {exc}") from exc
    finally:
        db.dispose()
    for call in result.tool_calls:
        if call.name == TOOL_SPEC["function"]["name"]:
            args = call.parsed_arguments()
            if not args.get("topic"):
                continue
            start, end = _date(args.get("date_from"), "--from"), _date(args.get("date_to"), "--to")
            period = Period(start, end, "모델이 정한 기간") if start and end else None
            return ComplaintRequest(topic=str(args["topic"]), period=period)
    return None


def routing_table(results: list, title: str) -> Table:  # type: ignore[type-arg]
    """guai's routing accuracy beside the TF-IDF baseline, one row per data set (CLI and benchmark)."""
    table = Table(title=title)
    for col in (
        "자료",
        "정답",
        "학습",
        "평가",
        "종류",
        "guai top-1",
        "guai top-3",
        "TF-IDF top-1",
        "TF-IDF top-3",
    ):
        table.add_column(col)
    for r in results:
        table.add_row(
            r.name,
            r.label_field,
            f"{r.n_train:,}",
            f"{r.n_test:,}",
            str(r.n_classes),
            f"{r.ours_top1:.1%}",
            f"{r.ours_top3:.1%}",
            f"{r.base_top1:.1%}",
            f"{r.base_top3:.1%}",
        )
    return table


def register(app: typer.Typer) -> None:
    app.add_typer(complaints_app, name="complaints")
    app.command("ask")(ask_cmd)
