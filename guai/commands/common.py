"""Shared CLI helpers: console, settings/database opening with clear errors, acting user."""

from __future__ import annotations

import os
from typing import IO, Any

try:  # Typer >= 0.25 vendors its own click; its error handling only knows that ClickException.
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older Typer uses the click package
    from click import ClickException
from rich.console import Console

from guai.config import ConfigError, Settings, get_settings
from guai.db.engine import Database, DatabaseError

console = Console()
err_console = Console(stderr=True)


class GuaiCliError(ClickException):
    """Raised by commands to stop with a clear Korean message and a non-zero exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: IO[Any] | None = None) -> None:  # noqa: ARG002 - click's signature
        err_console.print(f"[bold red]오류:[/] {self.message}", highlight=False, soft_wrap=True)


def settings() -> Settings:
    try:
        return get_settings()
    except ConfigError as exc:
        raise GuaiCliError(str(exc), exit_code=2) from exc


def open_db(*, upgrade: bool = True) -> Database:
    """Open the configured database, creating/upgrading the schema when asked."""
    db = Database(settings())
    try:
        if upgrade:
            db.upgrade()
        else:
            db.check()
    except DatabaseError as exc:
        raise GuaiCliError(str(exc), exit_code=3) from exc
    return db


def cli_actor() -> str:
    """Who runs a CLI command, for the audit log (the OS user, marked as CLI)."""
    return f"cli:{os.environ.get('USER') or os.environ.get('USERNAME') or 'unknown'}"
