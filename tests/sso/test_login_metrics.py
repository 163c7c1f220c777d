"""guai_logins_total counts every OIDC and LDAP login attempt once: success, failed, refused, locked."""

from __future__ import annotations

from tests.ops.test_login_metrics import _delta, _logins
from tests.sso.conftest import ldap_login, oidc_login


def test_oidc_attempts_are_counted(oidc_app) -> None:  # type: ignore[no-untyped-def]
    client, _db = oidc_app
    before = _logins(client)
    assert oidc_login(client, "hong", "pw-hong-1234").status_code == 303
    assert _delta(before, _logins(client)) == {("oidc", "success"): 1}

    client.cookies.clear()
    before = _logins(client)
    assert oidc_login(client, "nogroup", "pw-no-1234").status_code == 403
    assert _delta(before, _logins(client)) == {("oidc", "refused"): 1}

    before = _logins(client)
    client.get("/sso/oidc/login", follow_redirects=False)
    assert client.get("/sso/oidc/callback", params={"code": "x", "state": "forged"}).status_code == 400
    assert client.get("/sso/oidc/callback", params={"error": "access_denied"}).status_code == 403
    assert _delta(before, _logins(client)) == {("oidc", "failed"): 2}


def test_ldap_failures_then_lockout_are_counted(ldap_app) -> None:  # type: ignore[no-untyped-def]
    client, _db = ldap_app
    limit = client.app.state.settings.login_max_failures
    before = _logins(client)
    for i in range(limit):
        assert ldap_login(client, "lee.traffic", f"wrong-{i}").status_code == 401
    assert ldap_login(client, "lee.traffic", "ldap-pw-1234").status_code == 429
    assert _delta(before, _logins(client)) == {("ldap", "failed"): limit, ("ldap", "locked"): 1}

    before = _logins(client)
    assert ldap_login(client, "park.welfare", "ldap-pw-1234").status_code == 303
    assert _delta(before, _logins(client)) == {("ldap", "success"): 1}
