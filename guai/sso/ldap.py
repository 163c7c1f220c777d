"""LDAP / Active Directory login with ldap3: find the user, bind as them, read groups and the disabled flag."""

from __future__ import annotations

import ssl
import warnings
from typing import Any

with warnings.catch_warnings():
    # ldap3 2.9 imports names that pyasn1 0.6 marks deprecated; harmless, and tests treat warnings as errors.
    warnings.simplefilter("ignore", DeprecationWarning)
    from ldap3 import BASE, NONE, SUBTREE, Connection, Server, Tls
    from ldap3.core.exceptions import LDAPException
    from ldap3.utils.conv import escape_filter_chars

from guai.config import Settings
from guai.sso.provision import SsoIdentityInfo

# All user attributes (any can carry the department) plus the operational stable id of OpenLDAP.
USER_ATTRIBUTES = ["*", "entryUUID"]
SECRET_ATTRIBUTES = {"userpassword", "unicodepwd", "jpegphoto", "thumbnailphoto"}


class LdapError(Exception):
    """The directory cannot be used (unreachable, misconfigured); message is Korean."""


class LdapBadCredentials(Exception):
    """Unknown user or wrong password (deliberately not distinguished)."""


def ldap_enabled(settings: Settings) -> bool:
    return bool(settings.ldap_url and settings.ldap_user_base)


def _server(settings: Settings) -> Server:
    url = str(settings.ldap_url)
    tls = None
    if url.startswith("ldaps://"):
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=settings.sso_ca_file or None)
    return Server(url, get_info=NONE, connect_timeout=5, tls=tls)


def _first(entry: dict[str, Any], name: str) -> str | None:
    for key, value in entry.items():
        if key.casefold() == name.casefold():
            if isinstance(value, list):
                return str(value[0]) if value else None
            return str(value) if value not in (None, "") else None
    return None


def _service_connection(settings: Settings) -> Connection:
    try:
        conn = Connection(
            _server(settings),
            user=settings.ldap_bind_dn or None,
            password=settings.ldap_bind_password or None,
            receive_timeout=10,
            raise_exceptions=False,
        )
        if not conn.bind():
            raise LdapError(
                f"디렉터리 서비스 계정으로 접속하지 못했습니다 ({conn.result.get('description')}). "
                "GUAI_LDAP_BIND_DN과 GUAI_LDAP_BIND_PASSWORD를 확인하세요."
            )
    except LDAPException as exc:
        raise LdapError(f"디렉터리 서버({settings.ldap_url})에 연결할 수 없습니다: {exc}") from exc
    return conn


def ldap_authenticate(settings: Settings, username: str, password: str) -> SsoIdentityInfo:
    """Verify username/password against the directory and describe the account."""
    if not password:
        raise LdapBadCredentials()
    conn = _service_connection(settings)
    try:
        flt = settings.ldap_user_filter.replace("{username}", escape_filter_chars(username.strip()))
        conn.search(settings.ldap_user_base, flt, SUBTREE, attributes=USER_ATTRIBUTES, size_limit=2)
        entries = [e for e in conn.response or [] if e.get("type") == "searchResEntry"]
        if len(entries) != 1:
            raise LdapBadCredentials()
        dn = entries[0]["dn"]
        attrs = {
            k: v for k, v in dict(entries[0]["attributes"]).items() if k.casefold() not in SECRET_ATTRIBUTES
        }
        disabled = (
            bool(settings.ldap_disabled_filter)
            and conn.search(dn, settings.ldap_disabled_filter, BASE, attributes=["1.1"])
            and bool([e for e in conn.response or [] if e.get("type") == "searchResEntry"])
        )
        groups = [str(g) for g in attrs.get("memberOf") or []]
        if settings.ldap_group_base:
            gflt = (
                f"(|(member={escape_filter_chars(dn)})(uniqueMember={escape_filter_chars(dn)})"
                f"(memberUid={escape_filter_chars(username.strip())}))"
            )
            conn.search(settings.ldap_group_base, gflt, SUBTREE, attributes=["cn"])
            groups += [e["dn"] for e in conn.response or [] if e.get("type") == "searchResEntry"]
    except LDAPException as exc:
        raise LdapError(f"디렉터리 검색에 실패했습니다: {exc}") from exc
    finally:
        conn.unbind()
    try:
        user_conn = Connection(
            _server(settings), user=dn, password=password, receive_timeout=10, raise_exceptions=False
        )
        ok = user_conn.bind()
        user_conn.unbind()
    except LDAPException as exc:
        raise LdapError(f"디렉터리 서버에 연결할 수 없습니다: {exc}") from exc
    if not ok:
        raise LdapBadCredentials()
    subject = _first(attrs, "entryUUID") or _first(attrs, "objectGUID") or dn
    login = _first(attrs, "sAMAccountName") or _first(attrs, "uid") or username.strip()
    return SsoIdentityInfo(
        provider="ldap",
        subject=subject,
        username=login,
        display_name=_first(attrs, "displayName") or _first(attrs, "cn"),
        groups=list(dict.fromkeys(groups)),
        attributes={k: v for k, v in attrs.items() if v not in (None, [], "")},
        enabled=not disabled,
    )
