"""`guai init` and `guai serve`."""

from __future__ import annotations

import typer

from guai.commands.common import GuaiCliError, console, open_db, settings


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init_cmd() -> None:
        """데이터베이스 스키마를 만들거나 최신으로 올립니다 (여러 번 실행해도 안전)."""
        db = open_db(upgrade=True)
        revs = ", ".join(sorted(db.current_revisions()))
        console.print(f"[green]데이터베이스 준비 완료[/] ({db.dialect}, 스키마 {revs})")
        console.print(f"데이터 폴더: {settings().home.resolve()}")
        db.dispose()

    @app.command("serve")
    def serve_cmd(
        host: str = typer.Option(None, help="접속을 받을 주소 (기본: 설정의 host)"),
        port: int = typer.Option(None, help="포트 (기본: 8000)"),
        workers: int = typer.Option(None, help="작업 프로세스 수 (PostgreSQL 권장)"),
        reload: bool = typer.Option(False, hidden=True),
        json_logs: bool = typer.Option(
            None, "--json-logs/--text-logs", help="로그를 JSON 한 줄씩 출력 (기본: 설정의 log_json)"
        ),
    ) -> None:
        """웹 포털과 API를 실행합니다."""
        import uvicorn

        from guai.ops.serve import prepare_serving

        cfg = settings()
        log_config = prepare_serving(
            cfg, workers=workers or cfg.workers, json_logs=cfg.log_json if json_logs is None else json_logs
        )
        db = open_db(upgrade=True)
        db.dispose()
        n = workers or cfg.workers
        if n > 1 and cfg.is_sqlite:
            console.print(
                "[yellow]주의:[/] SQLite에서 여러 작업 프로세스를 쓰면 쓰기가 직렬화됩니다. 규모가 크면 PostgreSQL을 쓰세요."
            )
        h, p = host or cfg.host, port or cfg.port
        console.print(f"guai 포털: http://{h}:{p}  (중지: Ctrl+C)")
        try:
            uvicorn.run(
                "guai.web.app:create_app",
                factory=True,
                host=h,
                port=p,
                workers=n if n > 1 else None,
                reload=reload,
                log_level="info",
                proxy_headers=True,
                timeout_graceful_shutdown=10,
                log_config=log_config,
            )
        except OSError as exc:
            raise GuaiCliError(f"서버를 시작할 수 없습니다: {exc}") from exc
