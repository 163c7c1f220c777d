"""Seed the demo district's departments, a demo administrator and a few staff accounts."""

from __future__ import annotations

import secrets
from pathlib import Path

from rich.console import Console

from guai.audit import record
from guai.auth.departments import find_department, import_departments
from guai.auth.users import add_user, find_user, set_password
from guai.config import Settings
from guai.db.engine import Database
from guai.demo.runner import EXAMPLES_DIR

DEMO_STAFF = [
    ("kim.staff", "김민원", "교통행정과", "직원"),
    ("lee.manager", "이과장", "교통행정과", "부서관리자"),
    ("park.welfare", "박복지", "복지정책과", "직원"),
    ("choi.dong", "최동장", "가온1동 주민센터", "부서관리자"),
]


def credentials_file(settings: Settings) -> Path:
    return settings.home / "demo-credentials.txt"


def seed(db: Database, settings: Settings, console: Console) -> None:
    cred_file = credentials_file(settings)
    with db.session() as s:
        added, _ = import_departments(s, EXAMPLES_DIR / "org" / "departments.csv")
        if find_user(s, "admin") is None:
            password = secrets.token_urlsafe(9)
            add_user(
                s,
                username="admin",
                password=password,
                department="총무과",
                role="시스템관리자",
                display_name="데모 관리자",
            )
            for username, name, dept, role in DEMO_STAFF:
                if find_department(s, dept) and find_user(s, username) is None:
                    add_user(
                        s, username=username, password=password, department=dept, role=role, display_name=name
                    )
            record(s, actor="demo", action="demo.seed", target="accounts", detail={"departments": added})
            cred_file.write_text(password, encoding="utf-8")
            cred_file.chmod(0o600)
        elif not cred_file.exists():
            password = secrets.token_urlsafe(9)
            set_password(s, "admin", password)
            cred_file.write_text(password, encoding="utf-8")
    console.print(f"[green]데모 부서·계정 준비[/] (새 부서 {added}개)")
