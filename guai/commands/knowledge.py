"""`guai ingest`, `guai collections list|remove|reindex|embed|phrases`, `guai search`, `guai answer`, `guai eval search`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from guai.commands.common import GuaiCliError, cli_actor, console, open_db

collections_app = typer.Typer(help="검색 컬렉션(법령·지침 묶음) 관리", no_args_is_help=True)

AS_HELP = (
    "이 사용자의 권한으로 검색합니다 (부서 전용 컬렉션은 그 부서 직원만 봅니다). 없으면 공개+직원 컬렉션만."
)


def _progress(*, named: bool = False) -> Progress:
    """The progress bar every long collection command shows (description, bar, n/m, elapsed[, current name])."""
    columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    if named:
        columns.append(TextColumn("{task.fields[name]}"))
    return Progress(*columns, console=console, transient=False)


def _user(db, username: str | None):  # type: ignore[no-untyped-def]
    if not username:
        return None
    from guai.auth.users import find_user

    with db.session() as s:
        user = find_user(s, username)
        if user is None or not user.active:
            raise GuaiCliError(f"사용자 '{username}'이(가) 없거나 비활성 상태입니다.", exit_code=2)
        s.expunge(user)
    return user


def ingest(
    paths: list[Path] = typer.Argument(..., help="파일 또는 폴더 (여러 개 가능)"),
    collection: str = typer.Option(..., "--collection", "-c", help="넣을 컬렉션 이름 (없으면 만듭니다)"),
    visibility: str = typer.Option(
        None, "--visibility", help="public | staff | department:부서명 (새 컬렉션 기본: staff)"
    ),
) -> None:
    """법령(Markdown)·HWP·HWPX·PDF·DOCX·TXT·MD 파일을 검색 컬렉션에 넣습니다."""
    from guai.knowledge.collections import CollectionError, parse_visibility
    from guai.knowledge.ingest import discover, ingest_paths

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise GuaiCliError(f"파일이나 폴더가 없습니다: {', '.join(missing)}", exit_code=2)
    try:
        vis = parse_visibility(visibility) if visibility else None
    except CollectionError as exc:
        raise GuaiCliError(str(exc), exit_code=2) from exc
    db = open_db()
    total = len(discover(paths))
    with _progress(named=True) as progress:
        task = progress.add_task("색인", total=total, name="")

        def step(name: str, done: int, _total: int) -> None:
            progress.update(task, completed=done, name=name[-50:])

        try:
            report = ingest_paths(
                db, list(paths), collection=collection, visibility=vis, actor=cli_actor(), progress=step
            )
        except CollectionError as exc:
            raise GuaiCliError(str(exc), exit_code=2) from exc
    for r in report.results:
        if r.status in ("failed", "duplicate", "skipped"):
            color = "red" if r.status == "failed" else "yellow"
            console.print(f"[{color}]{r.label}[/] {r.name}: {r.reason}", highlight=False)
    console.print(f"[green]{report.summary()}[/]", highlight=False)
    if report.failed and len(report.failed) == len(report.results):
        raise GuaiCliError("읽을 수 있는 파일이 하나도 없었습니다.", exit_code=1)


@collections_app.command("list")
def collections_list(fmt: str = typer.Option("table", "--format", help="table | json")) -> None:
    """컬렉션과 문서·조각 수, 공개 범위를 보여 줍니다."""
    from guai.knowledge.collections import list_collections

    db = open_db()
    with db.session() as s:
        rows = list_collections(s)
    if fmt == "json":
        typer.echo(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=1))
        return
    table = Table("이름", "공개 범위", "문서", "조각", "갱신", title="검색 컬렉션")
    for r in rows:
        table.add_row(r.name, r.visibility, str(r.documents), str(r.chunks), r.updated_at)
    console.print(table)
    if not rows:
        console.print("컬렉션이 없습니다. `guai ingest 경로 --collection 이름`으로 만드세요.")


@collections_app.command("remove")
def collections_remove(
    name: str, yes: bool = typer.Option(False, "--yes", "-y", help="확인 없이 삭제")
) -> None:
    """컬렉션과 그 안의 문서·조각·색인을 지웁니다."""
    from guai.audit import record
    from guai.knowledge.collections import CollectionError, remove_collection

    db = open_db()
    if not yes and not typer.confirm(f"컬렉션 '{name}'을(를) 지울까요? 되돌릴 수 없습니다."):
        raise GuaiCliError("취소했습니다.", exit_code=1)
    try:
        with db.session() as s:
            docs, chunks = remove_collection(s, name, db.settings.index_dir)
            record(
                s,
                actor=cli_actor(),
                action="knowledge.collection.remove",
                target=name,
                detail={"documents": docs, "chunks": chunks},
            )
    except CollectionError as exc:
        raise GuaiCliError(str(exc), exit_code=2) from exc
    console.print(f"[green]삭제[/]: 컬렉션 '{name}' (문서 {docs}개, 조각 {chunks}개)")


@collections_app.command("reindex")
def collections_reindex(
    name: str,
    reanalyse: bool = typer.Option(
        False,
        "--reanalyse",
        help="저장된 조각을 형태소 분석·생활 표현(article_aliases.tsv)으로 다시 분석합니다 (사전을 바꾼 뒤)",
    ),
) -> None:
    """데이터베이스에서 컬렉션의 검색 색인을 다시 만듭니다 (색인 파일이 지워졌거나 의심스러울 때)."""
    import time

    from guai.knowledge.collections import find_collection
    from guai.knowledge.index import rebuild

    db = open_db()
    with db.session() as s:
        coll = find_collection(s, name)
        if coll is None:
            raise GuaiCliError(f"컬렉션 '{name}'이(가) 없습니다.", exit_code=2)
        cid = coll.id
    started = time.perf_counter()
    if reanalyse:
        from guai.knowledge.reanalyse import reanalyse_collection

        with _progress() as progress:
            task = progress.add_task("다시 분석", total=None)
            seen, changed = reanalyse_collection(
                db, cid, lambda done, total: progress.update(task, completed=done, total=total)
            )
        console.print(f"다시 분석: 조각 {seen}개 중 {changed}개의 검색어가 바뀌었습니다.")
    engine = rebuild(db, cid)
    console.print(
        f"[green]색인 완료[/]: '{name}' 조각 {len(engine)}개, {time.perf_counter() - started:.1f}초"
    )


@collections_app.command("embed")
def collections_embed(
    names: list[str] = typer.Argument(None, help="컬렉션 이름 (여러 개 가능; 없으면 모든 컬렉션)"),
    batch_size: int = typer.Option(64, "--batch-size", min=1, max=512, help="한 번에 모델에 보낼 조각 수"),
) -> None:
    """임베딩 모델의 벡터가 없는 조각에 벡터를 채웁니다 (모델 연결 전에 넣은 문서, 모델을 바꾼 뒤).

    배치마다 저장하므로 중간에 멈춰도 다시 실행하면 남은 조각부터 이어서 합니다.
    """
    from guai.knowledge.backfill import BackfillError, backfill_embeddings

    db = open_db()
    progress = _progress(named=True)
    task = progress.add_task("벡터 채우기", total=None, name="")

    def start(total: int) -> None:
        # Shown only once there is work: a refused run or one with nothing to embed prints no empty bar.
        if total:
            progress.update(task, total=total)
            progress.start()

    def step(name: str, n: int) -> None:
        progress.update(task, advance=n, name=name[-40:])

    try:
        report = backfill_embeddings(
            db, names=names or None, batch_size=batch_size, actor=cli_actor(), on_start=start, progress=step
        )
    except BackfillError as exc:
        raise GuaiCliError(str(exc), exit_code=2) from exc
    except KeyboardInterrupt as exc:
        raise GuaiCliError(
            "중단했습니다. 이미 채운 조각은 저장되었으니 다시 실행하면 남은 조각부터 이어서 채웁니다.",
            exit_code=130,
        ) from exc
    finally:
        progress.stop()
    table = Table("컬렉션", "조각", "새로 채움", "이미 있음", "남음", title=f"벡터 채우기: {report.model}")
    for c in report.collections:
        table.add_row(c.name, str(c.total), str(c.embedded), str(c.current), str(c.missing))
    console.print(table)
    console.print(f"[green]{report.summary()}[/]", highlight=False)
    if report.error:
        raise GuaiCliError(
            f"모델 서버 오류로 멈췄습니다. 채운 조각 {report.embedded}개는 저장되었습니다. 모델 서버를 확인한 뒤 "
            f"같은 명령을 다시 실행하면 남은 조각부터 이어서 채웁니다. 오류 내용: {report.error}",
            exit_code=1,
        )


@collections_app.command("phrases")
def collections_phrases(
    name: str,
    limit: int = typer.Option(None, "--limit", min=1, help="이번에 모델에 물을 조의 최대 수 (기본: 전부)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="제안만 보여 주고 파일에 쓰지 않습니다"),
    batch_size: int = typer.Option(8, "--batch-size", min=1, max=20, help="모델 호출 한 번에 묻는 조 수"),
) -> None:
    """생활 표현이 없는 조(자체 조례·지침)에 AI 모델이 검색용 일상 표현을 제안합니다.

    제안은 GUAI_HOME/knowledge/article_aliases.tsv 끝에 날짜·모델 이름 주석과 함께 붙고(기존 줄은 그대로),
    컬렉션을 다시 분석해 바로 검색에 쓰입니다. 파일을 열어 고치거나 지운 뒤
    `guai collections reindex 이름 --reanalyse`로 다시 반영하세요.
    """
    from guai.knowledge.phrase_suggest import PhraseError, suggest_phrases

    db = open_db()
    progress = _progress()
    task = progress.add_task("생활 표현 제안", total=None)

    def start(total: int) -> None:
        if total:  # a refused run or one with nothing to ask prints no empty bar
            progress.update(task, total=total)
            progress.start()

    try:
        report = suggest_phrases(
            db,
            name,
            limit=limit,
            dry_run=dry_run,
            batch_size=batch_size,
            actor=cli_actor(),
            on_start=start,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    except PhraseError as exc:
        raise GuaiCliError(str(exc), exit_code=2) from exc
    except KeyboardInterrupt as exc:
        raise GuaiCliError(
            "중단했습니다. 이미 받은 표현은 파일에 남아 있습니다. "
            f"`guai collections reindex {name} --reanalyse`로 검색에 반영하거나 같은 명령을 다시 실행하면 "
            "남은 조만 묻습니다.",
            exit_code=130,
        ) from exc
    finally:
        progress.stop()
    if dry_run and report.suggestions:
        table = Table("조", "제안 표현", title="모델 제안 (파일에 쓰지 않음)", show_lines=True)
        for sug in report.suggestions:
            table.add_row(sug.article.citation, "; ".join(sug.phrases))
        console.print(table)
    console.print(f"[green]{report.summary()}[/]", highlight=False)
    if report.malformed_replies:
        console.print(
            f"[yellow]형식에 맞지 않는 모델 답 {report.malformed_replies}개는 버렸습니다.[/]", highlight=False
        )
    if report.reanalysed:
        console.print(
            f"다시 분석: 조각 {report.reanalysed[0]}개 중 {report.reanalysed[1]}개의 검색어가 바뀌었습니다."
        )
    console.print(f"표현 파일: {report.path}", highlight=False, soft_wrap=True)
    if report.lines_written:
        console.print(
            f"검토: 파일을 열어 고치거나 지운 뒤 `guai collections reindex {name} --reanalyse`로 다시 반영하세요.",
            highlight=False,
        )
    if report.error:
        kept = (
            ""
            if dry_run
            else f" 그 전에 받은 {report.lines_written}줄은 파일에 남아 있고 검색에 반영되었습니다."
        )
        raise GuaiCliError(
            f"중간에 멈췄습니다 — {report.error}.{kept} 원인을 고친 뒤 같은 명령을 다시 실행하면 남은 조만 묻습니다.",
            exit_code=1,
        )


def _hits_table(query: str, hits) -> Table:  # type: ignore[no-untyped-def]
    table = Table("#", "인용", "컬렉션", "점수", "발췌", title=f"검색: {query}", show_lines=True)
    for i, h in enumerate(hits, start=1):
        snippet = h.snippet
        for start, end in reversed(h.highlights):
            snippet = snippet[:start] + "[bold yellow]" + snippet[start:end] + "[/]" + snippet[end:]
        if h.phrases:
            snippet += "\n[dim]생활 표현으로 찾음: " + ", ".join(f"「{p}」" for p in h.phrases) + "[/]"
        table.add_row(str(i), h.passage or h.citation, h.collection, f"{h.score:.2f}", snippet)
    return table


def search_cmd(
    query: str = typer.Argument(None, help='검색어 (예: "킥보드 헬멧 안 쓰면 벌금")'),
    top: int = typer.Option(5, "--top", "-k", min=1, max=100),
    collection: list[str] = typer.Option(None, "--collection", "-c", help="이 컬렉션에서만 (여러 번 가능)"),
    fmt: str = typer.Option("table", "--format", help="table | json"),
    file: Path = typer.Option(None, "--file", help="한 줄에 검색어 하나; 검색어마다 JSON 한 줄을 출력"),
    as_user: str = typer.Option(None, "--as", help=AS_HELP),
    public_only: bool = typer.Option(False, "--public", help="공개(public) 컬렉션만"),
) -> None:
    """법령·지침을 검색해 정확한 인용과 발췌를 보여 줍니다."""
    from guai.knowledge.search import search

    if fmt not in ("table", "json"):
        raise GuaiCliError("--format 은 table 또는 json 입니다.", exit_code=2)
    if not query and not file:
        raise GuaiCliError("검색어나 --file 을 주세요.", exit_code=2)
    db = open_db()
    user = _user(db, as_user)
    if file:
        if not file.is_file():
            raise GuaiCliError(f"파일이 없습니다: {file}", exit_code=2)
        from guai.textio import TextDecodeError, decode_bytes

        try:
            lines = decode_bytes(file.read_bytes(), str(file)).splitlines()
        except TextDecodeError as exc:
            raise GuaiCliError(str(exc), exit_code=2) from exc
        for line in (ln.strip() for ln in lines):
            if not line:
                continue
            hits = search(
                db, line, user=user, public_only=public_only, top=top, collections=collection or None
            )
            typer.echo(
                json.dumps({"query": line, "results": [h.as_dict() for h in hits]}, ensure_ascii=False)
            )
        return
    hits = search(db, query, user=user, public_only=public_only, top=top, collections=collection or None)
    if fmt == "json":
        typer.echo(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=1))
        return
    if not hits:
        console.print(
            "검색 결과가 없습니다. 다른 낱말로 검색하거나 `guai collections list`로 컬렉션을 확인하세요."
        )
        return
    console.print(_hits_table(query, hits))


def answer_cmd(
    question: str = typer.Argument(..., help="질문"),
    collection: list[str] = typer.Option(None, "--collection", "-c"),
    fmt: str = typer.Option("text", "--format", help="text | json"),
    as_user: str = typer.Option(None, "--as", help=AS_HELP),
    public_only: bool = typer.Option(False, "--public", help="공개(public) 컬렉션만"),
    no_model: bool = typer.Option(False, "--no-model", help="AI 모델이 있어도 조문 발췌로만 답합니다"),
) -> None:
    """질문에 근거 조문을 인용해 답합니다. 근거가 없으면 그렇다고 말합니다."""
    from guai.knowledge.answer import answer

    db = open_db()
    user = _user(db, as_user)
    result = answer(
        db,
        question,
        user=user,
        public_only=public_only,
        collections=collection or None,
        use_model=False if no_model else None,
    )
    if fmt == "json":
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        return
    console.print(result.text, highlight=False)
    if result.note:
        console.print(f"[yellow]{result.note}[/]", highlight=False)
    if result.found and result.hits:
        console.print("\n[bold]근거[/]: " + ", ".join(h.citation for h in result.hits[:5]), highlight=False)


def _default_laws() -> Path:
    base = Path(
        os.environ.get("GUAI_BENCH_DATA") or Path(__file__).resolve().parents[2].parent / "shared" / "data"
    )
    return base / "laws"


eval_app = typer.Typer(help="품질 평가", no_args_is_help=True)


@eval_app.command("search")
def eval_search(
    laws: Path = typer.Option(None, "--laws", help="legalize-kr 형식 법령 폴더 (기본: ../shared/data/laws)"),
    questions: list[Path] = typer.Option(
        None, "--questions", help="평가 질문 JSONL (여러 번 가능; 기본: 내장 조정용+검증용 세트)"
    ),
    fmt: str = typer.Option("table", "--format", help="table | json"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="5위 안에 정답이 없던 질문을 보여 줍니다"),
) -> None:
    """평가 질문 세트(조정용·검증용)마다 hit@1·hit@5·MRR을 재고 공백 토큰 BM25(rank-bm25)와 나란히 보여 줍니다."""
    import time

    from guai.knowledge import eval as ev

    laws = laws or _default_laws()
    if not laws.is_dir():
        raise GuaiCliError(
            f"법령 폴더가 없습니다: {laws}. --laws 로 legalize-kr 형식 폴더를 주세요 (예: examples/laws).",
            exit_code=2,
        )
    named = [(p.stem, p) for p in questions] if questions else ev.QUESTION_SETS
    try:
        sets = [(label, ev.load_questions(path)) for label, path in named]
    except (OSError, ValueError) as exc:
        raise GuaiCliError(str(exc), exit_code=2) from exc
    started = time.perf_counter()
    with console.status("법령을 나누고 색인하는 중…"):
        corpus = ev.law_corpus(laws)
        present = {d.doc_title for d in corpus.drafts}
        sets = [(label, [q for q in qs if any(t in present for t, _ in q.expected)]) for label, qs in sets]
        sets = [(label, qs) for label, qs in sets if qs]
        if not sets:
            raise GuaiCliError("이 법령 폴더에는 평가 질문의 정답 법령이 하나도 없습니다.", exit_code=2)
        engine = ev.build_guai_engine(corpus)
        # Same chunks in the same order, without the everyday phrases: what aliases.py adds, measured.
        bare = ev.build_guai_engine(ev.law_corpus(laws, with_aliases=False))
        systems = {
            "guai (Kiwi+bm25s+확장)": ev.guai_ranker(engine),
            "guai, 생활 표현 없이": ev.guai_ranker(bare),
            "Kiwi+bm25s (확장·가중 없음)": ev.plain_kiwi_ranker(engine),
            "rank-bm25 공백 토큰 (기준선)": ev.whitespace_bm25_ranker(corpus),
        }
        build_s = time.perf_counter() - started
    reports = [
        (label, qs, ev.evaluate(corpus, qs, systems), ev.missing_answers(corpus, qs)) for label, qs in sets
    ]
    if fmt == "json":

        def summary(results: list) -> list[dict]:  # type: ignore[type-arg]
            return [
                {
                    "name": r.name,
                    "hit@1": round(r.hit_at(1), 4),
                    "hit@5": round(r.hit_at(5), 4),
                    "mrr": round(r.mrr, 4),
                    "ms_per_query": round(r.ms_per_query, 2),
                }
                for r in results
            ]

        first = reports[0]
        typer.echo(
            json.dumps(
                {
                    # Top level: the first set (the tuning set by default), as before; `sets`: every set.
                    "questions": len(first[1]),
                    "chunks": len(corpus.drafts),
                    "systems": summary(first[2]),
                    "missing_answers": first[3],
                    "sets": [
                        {
                            "name": label,
                            "questions": len(qs),
                            "systems": summary(results),
                            "missing_answers": missing,
                        }
                        for label, qs, results, missing in reports
                    ],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    table = Table(
        "세트",
        "방식",
        "hit@1",
        "hit@5",
        "MRR",
        "질의당 ms",
        title=f"검색 평가: 조각 {len(corpus.drafts):,}개 (준비 {build_s:.0f}초)",
    )
    for label, qs, results, _missing in reports:
        for i, r in enumerate(results):
            table.add_row(
                f"{label} {len(qs)}문항" if i == 0 else "",
                r.name,
                f"{r.hit_at(1):.3f}",
                f"{r.hit_at(5):.3f}",
                f"{r.mrr:.3f}",
                f"{r.ms_per_query:.1f}",
                end_section=i == len(results) - 1,
            )
    console.print(table)
    for label, qs, results, missing in reports:
        if missing:
            console.print(
                f"[yellow]{label}: 정답 조문이 자료에 없는 질문 {len(missing)}개[/]: "
                + "; ".join(missing[:5])
            )
        if verbose:
            console.print(f"[bold]{label}[/]: 1위가 아닌 질문")
            for q, rank in zip(qs, results[0].ranks, strict=True):
                if rank is None or rank > 1:
                    console.print(
                        f"  [red]{rank or '10위 밖'}[/] {q.question} → {q.expected[0][0]} {q.expected[0][1]}"
                    )


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("search")(search_cmd)
    app.command("answer")(answer_cmd)
    app.add_typer(collections_app, name="collections")
    existing = next((g for g in app.registered_groups if g.name == "eval"), None)
    if existing is not None and existing.typer_instance is not None:
        existing.typer_instance.command("search")(eval_search)  # another feature already owns `guai eval`
    else:
        app.add_typer(eval_app, name="eval")
