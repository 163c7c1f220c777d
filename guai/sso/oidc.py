"""OpenID Connect login (authorization code + PKCE) with authlib; ID tokens verified with joserfc."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from itsdangerous import BadSignature, URLSafeTimedSerializer
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from guai.config import Settings
from guai.sso.provision import SsoIdentityInfo

STATE_COOKIE = "guai_oidc"
STATE_MAX_AGE = 600
_DISCOVERY_TTL = 300
_discovery_cache: dict[str, tuple[float, dict[str, Any], dict[str, Any]]] = {}


class OidcError(Exception):
    """The OIDC exchange failed; the message is Korean and safe to show."""


def oidc_enabled(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


@dataclass
class OidcRequest:
    """What must survive the round trip to the provider (kept in a signed, short-lived cookie)."""

    state: str
    nonce: str
    verifier: str
    next_url: str


class OidcClient:
    def __init__(self, settings: Settings) -> None:
        if not oidc_enabled(settings):
            raise OidcError("통합인증(OIDC)이 설정되지 않았습니다 (GUAI_OIDC_ISSUER, GUAI_OIDC_CLIENT_ID).")
        self.settings = settings
        self.issuer = str(settings.oidc_issuer).rstrip("/")
        self.client_id = str(settings.oidc_client_id)
        self.verify: str | bool = settings.sso_ca_file or True
        self.serializer = URLSafeTimedSerializer(settings.secret(), salt="guai-oidc-state")

    def _http(self) -> httpx.Client:
        return httpx.Client(timeout=10, verify=self.verify)

    def metadata(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Provider metadata and its signing keys (cached briefly; refetched when a key id is unknown)."""
        cached = _discovery_cache.get(self.issuer)
        if cached and time.monotonic() - cached[0] < _DISCOVERY_TTL:
            return cached[1], cached[2]
        return self._refresh()

    def _refresh(self) -> tuple[dict[str, Any], dict[str, Any]]:
        try:
            with self._http() as http:
                meta = http.get(f"{self.issuer}/.well-known/openid-configuration").raise_for_status().json()
                jwks = http.get(meta["jwks_uri"]).raise_for_status().json()
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise OidcError(f"통합인증 서버({self.issuer})에 연결할 수 없습니다: {exc}") from exc
        if meta.get("issuer", "").rstrip("/") != self.issuer:
            raise OidcError("통합인증 서버의 issuer 값이 설정과 다릅니다. GUAI_OIDC_ISSUER를 확인하세요.")
        _discovery_cache[self.issuer] = (time.monotonic(), meta, jwks)
        return meta, jwks

    def _oauth(self, redirect_uri: str) -> OAuth2Client:
        return OAuth2Client(
            client_id=self.client_id,
            client_secret=self.settings.oidc_client_secret,
            scope=self.settings.oidc_scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=10,
            verify=self.verify,
        )

    def begin(self, redirect_uri: str, next_url: str) -> tuple[str, str]:
        """Authorization URL to send the browser to, and the signed cookie value that remembers the request."""
        meta, _ = self.metadata()
        req = OidcRequest(
            state=generate_token(32),
            nonce=generate_token(32),
            verifier=secrets.token_urlsafe(48),
            next_url=next_url,
        )
        with self._oauth(redirect_uri) as client:
            url, _ = client.create_authorization_url(
                meta["authorization_endpoint"],
                state=req.state,
                nonce=req.nonce,
                code_challenge=create_s256_code_challenge(req.verifier),
                code_challenge_method="S256",
            )
        return url, self.serializer.dumps(req.__dict__)

    def load_request(self, cookie: str | None) -> OidcRequest:
        if not cookie:
            raise OidcError("로그인 요청 정보가 없습니다. 로그인 화면에서 다시 시도하세요.")
        try:
            data = self.serializer.loads(cookie, max_age=STATE_MAX_AGE)
        except BadSignature as exc:
            raise OidcError("로그인 요청이 만료되었거나 올바르지 않습니다. 다시 시도하세요.") from exc
        return OidcRequest(**data)

    def finish(self, *, code: str, state: str, request: OidcRequest, redirect_uri: str) -> SsoIdentityInfo:
        """Exchange the code, verify the ID token and return who logged in."""
        if not secrets.compare_digest(state, request.state):
            raise OidcError(
                "로그인 요청 상태 값이 맞지 않습니다 (다른 창에서 시작한 로그인일 수 있습니다). 다시 시도하세요."
            )
        meta, jwks = self.metadata()
        try:
            with self._oauth(redirect_uri) as client:
                token = client.fetch_token(meta["token_endpoint"], code=code, code_verifier=request.verifier)
        except Exception as exc:  # authlib raises OAuthError/httpx errors; both mean the exchange failed
            raise OidcError(f"통합인증 서버에서 토큰을 받지 못했습니다: {exc}") from exc
        id_token = token.get("id_token")
        if not id_token:
            raise OidcError(
                "통합인증 서버가 ID 토큰을 보내지 않았습니다 (scope에 openid가 있는지 확인하세요)."
            )
        claims = self._verify(id_token, jwks, request.nonce, meta)
        if self.settings.oidc_groups_claim not in claims and meta.get("userinfo_endpoint"):
            claims = {**self._userinfo(meta["userinfo_endpoint"], token["access_token"]), **claims}
        return self._identity(claims)

    def _verify(
        self, id_token: str, jwks: dict[str, Any], nonce: str, meta: dict[str, Any]
    ) -> dict[str, Any]:
        algorithms = meta.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = [a for a in algorithms if a != "none"]
        try:
            try:
                decoded = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=algorithms)
            except JoseError:
                # Keys may have rotated since we cached them: refetch once.
                _, jwks = self._refresh()
                decoded = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=algorithms)
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                sub={"essential": True},
                exp={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(decoded.claims)
        except (JoseError, ValueError) as exc:
            raise OidcError(f"ID 토큰을 확인할 수 없습니다 (서명·발급자·유효기간): {exc}") from exc
        return dict(decoded.claims)

    def _userinfo(self, endpoint: str, access_token: str) -> dict[str, Any]:
        try:
            with self._http() as http:
                resp = http.get(endpoint, headers={"Authorization": f"Bearer {access_token}"})
                return resp.raise_for_status().json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError(f"통합인증 서버에서 사용자 정보를 받지 못했습니다: {exc}") from exc

    def _identity(self, claims: dict[str, Any]) -> SsoIdentityInfo:
        groups = claims.get(self.settings.oidc_groups_claim) or []
        if isinstance(groups, str):
            groups = [groups]
        username = str(claims.get(self.settings.oidc_username_claim) or claims.get("email") or claims["sub"])
        # Providers mark disabled accounts in different ways; honour the common ones.
        enabled = claims.get("active", True) is not False and claims.get("account_disabled") is not True
        return SsoIdentityInfo(
            provider="oidc",
            subject=str(claims["sub"]),
            username=username,
            display_name=claims.get("name"),
            groups=[str(g) for g in groups],
            attributes=claims,
            enabled=enabled,
        )
