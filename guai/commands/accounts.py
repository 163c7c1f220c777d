"""`guai departments ...`, `guai users ...` and `guai keys ...` for administrators."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from guai.audit import record
from guai.auth.departments import add_department, get_department, import_departments, list_departments
from guai.auth.errors import AuthError
from guai.auth.tokens import create_api_key, revoke_api_keys
from guai.auth.users import add_user, get_user, list_users, set_active, set_password
from guai.commands.common import GuaiCliError, cli_actor, console, open_db

departments_app = typer.Typer(help="부서(국·과·팀, 동 주민센터) 관리", no_args_is_help=True)
users_app = typer.Typer(help="사용자 계정 관리", no_args_is_help=True)
keys_app = typer.Typer(help="개인 API 키 관리", no_args_is_help=True)


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            raise GuaiCliError("표준 입력에서 비밀번호를 읽지 못했습니다.")
        return value
    return typer.prompt("비밀번호", hide_input=True, confirmation_prompt="비밀번호 확인")


@departments_app.command("add")
def departments_add(
    name: str,
    phone: str = typer.Option(None, "--phone", help="대표 전화번호"),
    parent: str = typer.Option(None, "--parent", help="상위 부서 이름"),
    kind: str = typer.Option(None, "--kind", help="국, 과, 팀, 동, 기타 (기본: 이름으로 추정)"),
) -> None:
    """부서를 추가합니다."""
    db = open_db()
    try:
        with db.session() as s:
            dept = add_department(s, name=name, phone=phone, parent=parent, kind=kind)
            record(s, actor=cli_actor(), action="department.add", target=dept.name, detail={"phone": phone})
    except AuthError as exc:
        raise GuaiCliError(str(exc)) from exc
    console.print(f"[green]부서 추가:[/] {name}")


@departments_app.command("list")
def departments_list(fmt: str = typer.Option("table", "--format", help="table 또는 json")) -> None:
    """부서 목록을 보여 줍니다."""
    db = open_db()
    with db.session() as s:
        rows = [
            {"name": d.name, "kind": d.kind, "phone": d.phone, "parent": d.parent.name if d.parent else None}
            for d in list_departments(s)
        ]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("부서", "구분", "전화", "상위 부서")
    for r in rows:
        table.add_row(r["name"], r["kind"], r["phone"] or "", r["parent"] or "")
    console.print(table)


@departments_app.command("import")
def departments_import(file: Path) -> None:
    """CSV 파일(부서명, 전화번호, 상위부서, 구분)에서 부서를 한꺼번에 가져옵니다. 오류가 있으면 아무것도 쓰지 않습니다."""
    db = open_db()
    try:
        with db.session() as s:
            added, existing = import_departments(s, file)
            record(
                s,
                actor=cli_actor(),
                action="department.import",
                target=file.name,
                detail={"added": added, "existing": existing},
            )
    except AuthError as exc:
        raise GuaiCliError(f"{exc} (아무것도 저장하지 않았습니다)") from exc
    console.print(f"[green]부서 {added}개 추가[/], 이미 있던 부서 {existing}개")


@users_app.command("add")
def users_add(
    username: str,
    department: str = typer.Option(..., "--department", help="소속 부서 이름"),
    role: str = typer.Option("직원", "--role", help="직원 | 부서관리자 | 시스템관리자"),
    name: str = typer.Option(None, "--name", help="표시 이름"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="비밀번호를 표준 입력에서 읽기"),
) -> None:
    """사용자를 추가합니다."""
    db = open_db()
    try:
        with db.session() as s:
            get_department(s, department)
        password = _read_password(password_stdin)
        with db.session() as s:
            user = add_user(
                s, username=username, password=password, department=department, role=role, display_name=name
            )
            record(
                s,
                actor=cli_actor(),
                action="user.add",
                target=user.username,
                department=department,
                detail={"role": user.role},
            )
    except AuthError as exc:
        raise GuaiCliError(str(exc)) from exc
    console.print(f"[green]사용자 추가:[/] {username} ({department}, {role})")


@users_app.command("list")
def users_list(
    department: str = typer.Option(None, "--department"),
    fmt: str = typer.Option("table", "--format", help="table 또는 json"),
) -> None:
    """사용자 목록을 보여 줍니다."""
    db = open_db()
    with db.session() as s:
        dept_id = get_department(s, department).id if department else None
        rows = [
            {
                "username": u.username,
                "name": u.display_name,
                "department": u.department.name,
                "role": u.role,
                "active": u.active,
            }
            for u in list_users(s, department_id=dept_id)
        ]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("아이디", "이름", "부서", "역할", "상태")
    for r in rows:
        table.add_row(
            r["username"], r["name"] or "", r["department"], r["role"], "사용" if r["active"] else "중지"
        )
    console.print(table)


def _set_active(username: str, active: bool) -> None:
    db = open_db()
    try:
        with db.session() as s:
            set_active(s, username, active)
            record(s, actor=cli_actor(), action="user.enable" if active else "user.disable", target=username)
    except AuthError as exc:
        raise GuaiCliError(str(exc)) from exc
    console.print(f"[green]계정 사용:[/] {username}" if active else f"[yellow]계정 중지:[/] {username}")


@users_app.command("disable")
def users_disable(username: str) -> None:
    """사용자 계정을 중지합니다 (로그인·API 키 사용 불가)."""
    _set_active(username, False)


@users_app.command("enable")
def users_enable(username: str) -> None:
    """중지된 계정을 다시 사용하게 합니다."""
    _set_active(username, True)


@users_app.command("password")
def users_password(username: str, password_stdin: bool = typer.Option(False, "--password-stdin")) -> None:
    """사용자의 비밀번호를 바꿉니다."""
    db = open_db()
    password = _read_password(password_stdin)
    try:
        with db.session() as s:
            set_password(s, username, password)
            record(s, actor=cli_actor(), action="user.password", target=username)
    except AuthError as exc:
        raise GuaiCliError(str(exc)) from exc
    console.print(f"[green]비밀번호 변경:[/] {username}")


@keys_app.command("create")
def keys_create(username: str, label: str = typer.Option(None, "--label")) -> None:
    """사용자의 개인 API 키를 만듭니다 (키는 한 번만 표시됩니다)."""
    db = open_db()
    try:
        with db.session() as s:
            user = get_user(s, username)
            key = create_api_key(s, user, label)
            record(s, actor=cli_actor(), action="apikey.create", target=username, detail={"prefix": key[:12]})
    except AuthError as exc:
        raise GuaiCliError(str(exc)) from exc
    console.print("새 API 키 (다시 볼 수 없으니 안전한 곳에 보관하세요):", highlight=False)
    typer.echo(key)


@keys_app.command("revoke")
def keys_revoke(
    username: str, prefix: str = typer.Option(None, "--prefix", help="이 접두어의 키만 폐기")
) -> None:
    """사용자의 API 키를 폐기합니다."""
    db = open_db()
    try:
        with db.session() as s:
            n = revoke_api_keys(s, get_user(s, username), prefix)
            record(s, actor=cli_actor(), action="apikey.revoke", target=username, detail={"count": n})
    except AuthError as exc:
        raise GuaiCliError(str(exc)) from exc
    console.print(f"API 키 {n}개 폐기")


def register(app: typer.Typer) -> None:
    app.add_typer(departments_app, name="departments")
    app.add_typer(users_app, name="users")
    app.add_typer(keys_app, name="keys")
