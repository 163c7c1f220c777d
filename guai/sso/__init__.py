"""Single sign-on next to local accounts: OIDC (authlib) and LDAP/Active Directory (ldap3).

Both front ends end in `provision.sso_login`, which maps directory groups/attributes to a guai
department and role, creates the user on first login, refuses disabled or unmapped users with a
clear Korean message, and audits every outcome.
"""

from guai.sso.mapping import GroupRule, MappingResult, SsoMapping, resolve_mapping
from guai.sso.provision import SsoIdentityInfo, SsoRefused, sso_login

__all__ = [
    "GroupRule",
    "MappingResult",
    "SsoIdentityInfo",
    "SsoMapping",
    "SsoRefused",
    "resolve_mapping",
    "sso_login",
]
