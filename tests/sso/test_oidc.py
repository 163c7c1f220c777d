"""OIDC login end to end against a real loopback provider: first login, mapping, refusals, audit."""

from __future__ import annotations

from sqlalchemy import select

from guai.auth.users import add_user, find_user, set_active
from guai.db.models.audit import AuditEntry
from guai.db.models.ops import SsoIdentity
from tests.sso.conftest import oidc_login


def _audit(db, action="sso.login"):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return list(
            s.execute(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).scalars()
        )


def test_login_page_shows_oidc_button(oidc_app) -> None:  # type: ignore[no-untyped-def]
    client, _db = oidc_app
    page = client.get("/login")
    assert 'id="oidc-login"' in page.text and "통합인증(SSO)으로 로그인" in page.text


def test_first_login_creates_user_in_mapped_department(oidc_app) -> None:  # type: ignore[no-untyped-def]
    client, db = oidc_app
    resp = oidc_login(client, "hong", "pw-hong-1234")
    assert resp.status_code == 303 and resp.headers["location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "홍길동" in home.text and "교통행정과" in home.text
    with db.session() as s:
        user = find_user(s, "hong")
        assert user is not None and user.auth_source == "oidc" and user.role == "직원"
        assert user.department.name == "교통행정과" and user.password_hash is None
        ident = s.execute(select(SsoIdentity).where(SsoIdentity.user_id == user.id)).scalar_one()
        assert ident.provider == "oidc" and ident.subject == "sub-hong"
    entries = _audit(db)
    assert entries[-1].outcome == "성공" and entries[-1].actor == "hong"
    assert '"created": true' in entries[-1].detail
    # A second login reuses the same account.
    client.cookies.clear()
    assert oidc_login(client, "hong", "pw-hong-1234").status_code == 303
    with db.session() as s:
        assert len(list(s.execute(select(SsoIdentity)).scalars())) == 1
    assert '"created": false' in _audit(db)[-1].detail


def test_group_roles_and_full_dn_groups(oidc_app) -> None:  # type: ignore[no-untyped-def]
    client, db = oidc_app
    assert oidc_login(client, "kim.welfare", "pw-kim-1234").status_code == 303
    client.cookies.clear()
    assert oidc_login(client, "boss", "pw-boss-1234").status_code == 303
    with db.session() as s:
        kim = find_user(s, "kim.welfare")
        boss = find_user(s, "boss")
        assert kim.department.name == "복지정책과" and kim.role == "부서관리자"
        assert boss.department.name == "교통행정과" and boss.role == "시스템관리자"


def test_groups_from_userinfo_when_not_in_id_token(oidc_app, oidc_provider) -> None:  # type: ignore[no-untyped-def]
    client, db = oidc_app
    oidc_provider.groups_in_id_token = False
    assert oidc_login(client, "hong", "pw-hong-1234").status_code == 303
    with db.session() as s:
        assert find_user(s, "hong").department.name == "교통행정과"


def test_unmapped_user_is_refused_with_korean_message(oidc_app) -> None:  # type: ignore[no-untyped-def]
    client, db = oidc_app
    resp = oidc_login(client, "nogroup", "pw-no-1234")
    assert resp.status_code == 403
    assert "소속 부서를 확인할 수 없어 로그인할 수 없습니다" in resp.text
    assert "guai_session" not in resp.cookies
    with db.session() as s:
        assert find_user(s, "nogroup") is None
    last = _audit(db)[-1]
    assert last.outcome == "거부" and '"reason": "unmapped"' in last.detail


def test_disabled_accounts_are_refused(oidc_app) -> None:  # type: ignore[no-untyped-def]
    client, db = oidc_app
    # Disabled at the identity provider.
    resp = oidc_login(client, "retired", "pw-ret-1234")
    assert resp.status_code == 403 and "사용 중지된 계정" in resp.text
    assert '"reason": "directory_disabled"' in _audit(db)[-1].detail
    # Disabled in guai by an administrator after a first successful login.
    assert oidc_login(client, "hong", "pw-hong-1234").status_code == 303
    with db.session() as s:
        set_active(s, "hong", False)
    client.cookies.clear()
    assert client.get("/", follow_redirects=False).status_code in (401, 303)
    resp = oidc_login(client, "hong", "pw-hong-1234")
    assert resp.status_code == 403 and "guai에서 사용 중지된 계정" in resp.text
    assert '"reason": "guai_disabled"' in _audit(db)[-1].detail


def test_idp_cannot_take_over_local_account(oidc_app) -> None:  # type: ignore[no-untyped-def]
    client, db = oidc_app
    with db.session() as s:
        add_user(s, username="admin", password="local-admin-pw", department="총무과", role="시스템관리자")
    resp = oidc_login(client, "admin", "pw-adm-1234")
    assert resp.status_code == 403 and "자체 계정이 이미 있어" in resp.text


def test_tampered_state_is_rejected(oidc_app) -> None:  # type: ignore[no-untyped-def]
    client, db = oidc_app
    client.get("/sso/oidc/login", follow_redirects=False)
    resp = client.get("/sso/oidc/callback", params={"code": "x", "state": "forged"})
    assert resp.status_code == 400 and "상태 값이 맞지 않습니다" in resp.text
    assert _audit(db)[-1].outcome == "실패"
