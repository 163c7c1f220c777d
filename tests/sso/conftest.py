"""Fixtures for SSO tests: a loopback OIDC provider, a slapd directory, and guai apps configured for them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from guai.auth.departments import add_department
from guai.config import load_settings
from guai.db.engine import Database
from tests.sso.oidc_provider import OidcProvider, OidcUser
from tests.sso.slapd import ROOT_DN, ROOT_PW, SLAPD, SUFFIX, Slapd

MAPPING = [
    {"group": "traffic", "department": "교통행정과"},
    {"group": "cn=welfare,ou=groups," + SUFFIX, "department": "복지정책과", "role": "부서관리자"},
    {"group": "guai-admins", "role": "시스템관리자"},
]


def _build_app(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> Iterator[tuple[TestClient, Database]]:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("GUAI_SSO_MAPPING", json.dumps(MAPPING, ensure_ascii=False))
    settings = load_settings()
    db = Database(settings)
    db.upgrade()
    with db.session() as s:
        for name in ("교통행정과", "복지정책과", "총무과"):
            add_department(s, name=name, phone="02-2600-1000")
    from guai.web.app import create_app

    with TestClient(create_app(settings)) as client:
        yield client, db
    db.dispose()


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OidcProvider]:
    provider = OidcProvider()
    provider.users = {
        "hong": OidcUser("pw-hong-1234", "sub-hong", "홍길동", ["traffic"]),
        "kim.welfare": OidcUser("pw-kim-1234", "sub-kim", "김복지", ["cn=welfare,ou=groups," + SUFFIX]),
        "boss": OidcUser("pw-boss-1234", "sub-boss", "최관리", ["traffic", "guai-admins"]),
        "nogroup": OidcUser("pw-no-1234", "sub-nogroup", "무소속", ["sports-club"]),
        "retired": OidcUser("pw-ret-1234", "sub-retired", "퇴직자", ["traffic"], {"active": False}),
        "admin": OidcUser("pw-adm-1234", "sub-admin-idp", "동명이인", ["traffic"]),
    }
    yield provider
    provider.stop()


@pytest.fixture
def oidc_app(
    monkeypatch: pytest.MonkeyPatch, oidc_provider: OidcProvider
) -> Iterator[tuple[TestClient, Database]]:
    oidc_provider.groups_in_id_token = True
    yield from _build_app(
        monkeypatch,
        {
            "GUAI_OIDC_ISSUER": oidc_provider.issuer,
            "GUAI_OIDC_CLIENT_ID": oidc_provider.client_id,
            "GUAI_OIDC_CLIENT_SECRET": oidc_provider.client_secret,
        },
    )


def oidc_login(client: TestClient, username: str, password: str) -> httpx.Response:
    """Drive the whole browser flow: guai → provider login form → provider redirect → guai callback."""
    start = client.get("/sso/oidc/login", params={"next": "/"}, follow_redirects=False)
    assert start.status_code == 303, start.text
    form_page = httpx.get(start.headers["location"])
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form_page.text))
    fields = {k: v.replace("&amp;", "&") for k, v in fields.items()}
    action = start.headers["location"].split("?")[0]
    back = httpx.post(action, data={**fields, "username": username, "password": password})
    assert back.status_code == 302, back.text
    callback = back.headers["location"]
    assert callback.startswith("http://testserver/sso/oidc/callback")
    return client.get(callback.removeprefix("http://testserver"), follow_redirects=False)


PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    if not Path(SLAPD).exists():
        pytest.skip("slapd not installed (apt-get install slapd ldap-utils; .ci/run does)")
    server = Slapd(tmp_path_factory.mktemp("slapd"))

    def person(uid: str, cn: str, pw: str, **extra: object) -> tuple[str, list[str], dict[str, object]]:
        return (
            f"uid={uid},{PEOPLE}",
            ["inetOrgPerson"],
            {"uid": uid, "cn": cn, "sn": cn[:1], "userPassword": pw, "displayName": cn, **extra},
        )

    server.add_entries(
        [
            (SUFFIX, ["dcObject", "organization"], {"dc": "gaon", "o": "가온구청"}),
            (PEOPLE, ["organizationalUnit"], {"ou": "people"}),
            (GROUPS, ["organizationalUnit"], {"ou": "groups"}),
            person("lee.traffic", "이교통", "ldap-pw-1234"),
            person("park.welfare", "박복지", "ldap-pw-1234"),
            person("jung.nogroup", "정무소속", "ldap-pw-1234"),
            person("han.retired", "한퇴직", "ldap-pw-1234", employeeType="disabled"),
            person("ou.dept", "오부서", "ldap-pw-1234", departmentNumber="총무과"),
            (
                f"cn=traffic,{GROUPS}",
                ["groupOfNames"],
                {"cn": "traffic", "member": [f"uid=lee.traffic,{PEOPLE}", f"uid=han.retired,{PEOPLE}"]},
            ),
            (
                f"cn=welfare,{GROUPS}",
                ["groupOfNames"],
                {"cn": "welfare", "member": [f"uid=park.welfare,{PEOPLE}"]},
            ),
            (
                f"cn=sports-club,{GROUPS}",
                ["groupOfNames"],
                {"cn": "sports-club", "member": [f"uid=jung.nogroup,{PEOPLE}"]},
            ),
        ]
    )
    yield server
    server.stop()


@pytest.fixture
def ldap_app(monkeypatch: pytest.MonkeyPatch, slapd: Slapd) -> Iterator[tuple[TestClient, Database]]:
    yield from _build_app(
        monkeypatch,
        {
            "GUAI_LDAP_URL": slapd.url,
            "GUAI_LDAP_BIND_DN": ROOT_DN,
            "GUAI_LDAP_BIND_PASSWORD": ROOT_PW,
            "GUAI_LDAP_USER_BASE": PEOPLE,
            "GUAI_LDAP_GROUP_BASE": GROUPS,
            "GUAI_LDAP_USER_FILTER": "(uid={username})",
            "GUAI_LDAP_DISABLED_FILTER": "(employeeType=disabled)",
            "GUAI_SSO_DEPARTMENT_ATTRIBUTE": "departmentNumber",
        },
    )


def ldap_login(client: TestClient, username: str, password: str) -> httpx.Response:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post(
        "/sso/ldap/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
