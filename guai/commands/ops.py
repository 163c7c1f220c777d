"""`guai backup FILE`, `guai restore FILE`, `guai purge [--dry-run]`, `guai retention show|set`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from guai.commands.common import GuaiCliError, cli_actor, console, open_db, settings

retention_app = typer.Typer(help="보관기간(개인정보 보유기간) 설정", no_args_is_help=True)


def _human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024:
            return f"{n:.0f}{unit}" if unit == "B" else f"{n:.1f}{unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n:.1f}TB"


@retention_app.command("show")
def retention_show() -> None:
    """항목별 보관기간과 법정 최소 기간을 보여 줍니다."""
    from guai.ops.retention import KINDS, current_policy

    db = open_db()
    with db.session() as s:
        policy = current_policy(s)
    table = Table("항목", "키", "보관기간", "최소", "설명")
    for key, kind in KINDS.items():
        days = policy.get(key)
        table.add_row(
            kind.label,
            key,
            "계속 보관" if days is None else f"{days}일",
            f"{kind.min_days}일",
            kind.description,
        )
    console.print(table)
    db.dispose()


@retention_app.command("set")
def retention_set(
    kind: str = typer.Argument(..., help="conversations, uploads, citizen, logs, audit"),
    days: str = typer.Argument(..., help="보관 일수, 또는 keep(계속 보관)"),
) -> None:
    """한 항목의 보관기간을 바꿉니다 (감사 기록에 남습니다)."""
    from guai.ops.retention import current_policy
    from guai.ops.settings_store import SettingsError, update_retention

    db = open_db()
    try:
        with db.session() as s:
            policy: dict[str, object] = dict(current_policy(s))
            policy[kind] = None if days in ("keep", "보관") else days
            update_retention(s, policy, actor=cli_actor(), client="cli", department=None)
    except SettingsError as exc:
        raise GuaiCliError(str(exc)) from exc
    finally:
        db.dispose()
    console.print(f"[green]보관기간 변경[/]: {kind} → {days}")


def register(app: typer.Typer) -> None:
    app.add_typer(retention_app, name="retention")

    @app.command("backup")
    def backup_cmd(
        file: Path = typer.Argument(..., help="만들 백업 파일 (예: /backup/guai-2025-03-10.tar.gz)"),
    ) -> None:
        """데이터베이스·업로드 파일·검색 색인을 한 파일로 백업합니다 (서버 실행 중에도 일관됨)."""
        from guai.audit import record
        from guai.ops.backup import BackupError, create_backup

        cfg = settings()
        db = open_db()
        try:
            with console.status("백업 중…") as status:
                report = create_backup(cfg, db, file, progress=lambda m: status.update(f"백업 중: {m}"))
            with db.session() as s:
                record(
                    s,
                    actor=cli_actor(),
                    action="backup.create",
                    target=report.path.name,
                    client="cli",
                    detail={
                        "size": report.size,
                        "sha256": report.sha256,
                        "rows": sum(report.tables.values()),
                        "files": report.files,
                    },
                )
        except BackupError as exc:
            raise GuaiCliError(str(exc)) from exc
        finally:
            db.dispose()
        console.print(
            f"[green]백업 완료[/]: {report.path} ({_human(report.size)}, 행 {sum(report.tables.values()):,}개, "
            f"파일 {report.files}개, {report.dialect})"
        )
        console.print(f"SHA-256: {report.sha256}")

    @app.command("restore")
    def restore_cmd(
        file: Path = typer.Argument(..., help="guai backup으로 만든 파일"),
        force: bool = typer.Option(False, "--force", help="데이터가 있는 설치를 덮어씁니다"),
    ) -> None:
        """백업 파일을 이 설치에 복원합니다 (서버를 멈춘 뒤 실행하세요)."""
        from guai.ops.backup import BackupError
        from guai.ops.restore import restore_backup

        cfg = settings()
        db = open_db()
        try:
            with console.status("복원 중…") as status:
                report = restore_backup(
                    cfg,
                    db,
                    file,
                    force=force,
                    actor=cli_actor(),
                    progress=lambda m: status.update(f"복원 중: {m}"),
                )
        except BackupError as exc:
            raise GuaiCliError(str(exc)) from exc
        finally:
            db.dispose()
        console.print(
            f"[green]복원 완료[/]: 행 {sum(report.tables.values()):,}개, 파일 {report.files}개 "
            f"(백업 시각 {report.created_at}, 원본 {report.source_dialect})"
        )
        console.print("감사 로그 확인: guai audit verify")

    @app.command("purge")
    def purge_cmd(
        dry_run: bool = typer.Option(False, "--dry-run", help="지우지 않고 지울 대상만 셉니다"),
    ) -> None:
        """보관기간이 지난 기록과 파일을 지웁니다 (매일 실행: deploy/guai-purge.timer)."""
        from guai.ops.retention import RetentionError, purge

        cfg = settings()
        db = open_db()
        try:
            with db.session() as s:
                report = purge(s, cfg, dry_run=dry_run, actor=cli_actor())
        except RetentionError as exc:
            raise GuaiCliError(str(exc)) from exc
        finally:
            db.dispose()
        table = Table(
            "항목",
            "대상",
            "기준 시각(UTC)",
            "지울 건수" if dry_run else "지운 건수",
            title="보관기간 정리 (미리 보기)" if dry_run else "보관기간 정리",
        )
        for item in report.items:
            table.add_row(
                item.kind,
                item.label,
                item.cutoff.strftime("%Y-%m-%d %H:%M"),
                item.skipped or f"{item.count:,}",
            )
        console.print(table)
        console.print(
            f"합계 {report.total:,}건" + (" (미리 보기: 아무것도 지우지 않았습니다)" if dry_run else "")
        )
