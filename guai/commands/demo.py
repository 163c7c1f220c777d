"""`guai demo seed`: load the demo district (departments, accounts and sample data)."""

from __future__ import annotations

import typer

from guai.commands.common import console, open_db, settings
from guai.demo import run_seed

demo_app = typer.Typer(help="데모 구청 데이터", no_args_is_help=True)


@demo_app.command("seed")
def demo_seed(only: str = typer.Option(None, "--only", help="이 이름이 들어간 단계만 실행")) -> None:
    """데모 구청(가온구)의 부서, 계정, 예시 데이터를 넣습니다. 여러 번 실행해도 중복되지 않습니다."""
    db = open_db()
    run_seed(db, settings(), console, only=only)
    db.dispose()


def register(app: typer.Typer) -> None:
    app.add_typer(demo_app, name="demo")
