"""Typer entry point `guai`: every module in guai.commands adds its own commands."""

from __future__ import annotations

import importlib
import pkgutil

import typer

import guai.commands as commands_pkg

app = typer.Typer(
    name="guai",
    help="구 AI — 구청을 위한 온프레미스 AI 업무 플랫폼",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(commands_pkg.__path__), key=lambda m: m.name):
        if info.name == "common":
            continue
        module = importlib.import_module(f"{commands_pkg.__name__}.{info.name}")
        module.register(app)


_register_all()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
