"""LDAP login end to end against Debian's slapd on loopback: groups, attributes, refusals, audit."""

from __future__ import annotations

from sqlalchemy import select

from guai.auth.users import find_user
from guai.db.models.audit import AuditEntry
from tests.sso.conftest import ldap_login


def _last_audit(db):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return s.execute(
            select(AuditEntry).where(AuditEntry.action == "sso.login").order_by(AuditEntry.id.desc()).limit(1)
        ).scalar_one()


def test_login_page_shows_ldap_form(ldap_app) -> None:  # type: ignore[no-untyped-def]
    client, _db = ldap_app
    assert 'action="/sso/ldap/login"' in client.get("/login").text


def test_first_ldap_login_creates_user_from_group(ldap_app) -> None:  # type: ignore[no-untyped-def]
    client, db = ldap_app
    resp = ldap_login(client, "lee.traffic", "ldap-pw-1234")
    assert resp.status_code == 303, resp.text
    home = client.get("/")
    assert "이교통" in home.text and "교통행정과" in home.text
    with db.session() as s:
        user = find_user(s, "lee.traffic")
        assert user.auth_source == "ldap" and user.department.name == "교통행정과" and user.role == "직원"
    entry = _last_audit(db)
    assert entry.outcome == "성공" and entry.target == "ldap"


def test_role_from_group_and_department_from_attribute(ldap_app) -> None:  # type: ignore[no-untyped-def]
    client, db = ldap_app
    assert ldap_login(client, "park.welfare", "ldap-pw-1234").status_code == 303
    client.cookies.clear()
    assert ldap_login(client, "ou.dept", "ldap-pw-1234").status_code == 303
    with db.session() as s:
        park = find_user(s, "park.welfare")
        assert park.department.name == "복지정책과" and park.role == "부서관리자"
        assert find_user(s, "ou.dept").department.name == "총무과"


def test_wrong_password_fails_and_is_audited(ldap_app) -> None:  # type: ignore[no-untyped-def]
    client, db = ldap_app
    resp = ldap_login(client, "lee.traffic", "wrong-password")
    assert resp.status_code == 401 and "올바르지 않습니다" in resp.text
    with db.session() as s:
        assert find_user(s, "lee.traffic") is None
    assert _last_audit(db).outcome == "실패"
    assert ldap_login(client, "nobody", "whatever-123").status_code == 401


def test_disabled_directory_account_is_refused(ldap_app) -> None:  # type: ignore[no-untyped-def]
    client, db = ldap_app
    resp = ldap_login(client, "han.retired", "ldap-pw-1234")
    assert resp.status_code == 403 and "사용 중지된 계정입니다" in resp.text
    with db.session() as s:
        assert find_user(s, "han.retired") is None
    entry = _last_audit(db)
    assert entry.outcome == "거부" and "directory_disabled" in entry.detail


def test_user_in_no_mapped_group_is_refused(ldap_app) -> None:  # type: ignore[no-untyped-def]
    client, db = ldap_app
    resp = ldap_login(client, "jung.nogroup", "ldap-pw-1234")
    assert resp.status_code == 403 and "부서 매핑 등록을 요청하세요" in resp.text
    with db.session() as s:
        assert find_user(s, "jung.nogroup") is None
    assert "unmapped" in _last_audit(db).detail


def test_ldap_filter_injection_is_escaped(ldap_app) -> None:  # type: ignore[no-untyped-def]
    client, _db = ldap_app
    assert ldap_login(client, "*", "ldap-pw-1234").status_code == 401
    assert ldap_login(client, "lee.traffic)(uid=*", "ldap-pw-1234").status_code == 401
