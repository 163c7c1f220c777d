"""A small OpenID Connect provider for tests: real HTTP on loopback, RS256-signed ID tokens, PKCE, userinfo.

Users log in on its /authorize form (like a real IdP); tests post that form with httpx or a browser.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey


@dataclass
class OidcUser:
    password: str
    sub: str
    name: str
    groups: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


class OidcProvider:
    def __init__(self, client_id: str = "guai", client_secret: str = "guai-test-secret") -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig", "alg": "RS256"})
        self.users: dict[str, OidcUser] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.groups_in_id_token = True
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                provider._get(self)

            def do_POST(self) -> None:  # noqa: N802
                provider._post(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- helpers -------------------------------------------------------------------------------------
    def _send(
        self,
        h: BaseHTTPRequestHandler,
        status: int,
        body: Any,
        ctype: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = (
            body
            if isinstance(body, bytes)
            else (json.dumps(body) if ctype == "application/json" else body).encode()
        )
        h.send_response(status)
        h.send_header("Content-Type", f"{ctype}; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def _claims(self, username: str) -> dict[str, Any]:
        u = self.users[username]
        claims: dict[str, Any] = {"sub": u.sub, "preferred_username": username, "name": u.name, **u.extra}
        claims["groups"] = u.groups
        return claims

    # --- endpoints -----------------------------------------------------------------------------------
    def _get(self, h: BaseHTTPRequestHandler) -> None:
        url = urlparse(h.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            self._send(
                h,
                200,
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token",
                    "userinfo_endpoint": f"{self.issuer}/userinfo",
                    "jwks_uri": f"{self.issuer}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                },
            )
        elif url.path == "/jwks":
            self._send(h, 200, {"keys": [self.key.as_dict(private=False)]})
        elif url.path == "/authorize":
            if q.get("client_id") != self.client_id or q.get("response_type") != "code":
                self._send(h, 400, {"error": "invalid_request"})
                return
            hidden = "".join(
                f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                for k, v in q.items()
            )
            self._send(
                h,
                200,
                f"""<!doctype html><html lang="ko"><body><h1>테스트 통합인증</h1>
<form method="post" action="/authorize">{hidden}
<label for="u">아이디</label><input id="u" name="username"><label for="p">비밀번호</label>
<input id="p" name="password" type="password"><button type="submit">로그인</button></form></body></html>""",
                ctype="text/html",
            )
        elif url.path == "/userinfo":
            token = h.headers.get("Authorization", "")[7:]
            grant = self.tokens.get(token)
            if grant is None:
                self._send(h, 401, {"error": "invalid_token"})
                return
            self._send(h, 200, self._claims(grant["username"]))
        else:
            self._send(h, 404, {"error": "not_found"})

    def _post(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(h.rfile.read(length).decode()).items()}
        path = urlparse(h.path).path
        if path == "/authorize":
            user = self.users.get(form.get("username", ""))
            if user is None or not secrets.compare_digest(user.password, form.get("password", "")):
                self._send(h, 401, "<p>아이디 또는 비밀번호가 틀렸습니다.</p>", ctype="text/html")
                return
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "username": form["username"],
                "nonce": form.get("nonce"),
                "redirect_uri": form["redirect_uri"],
                "challenge": form.get("code_challenge"),
                "at": time.time(),
            }
            location = f"{form['redirect_uri']}?{urlencode({'code': code, 'state': form.get('state', '')})}"
            self._send(h, 302, b"", headers={"Location": location})
        elif path == "/token":
            self._token(h, form)
        else:
            self._send(h, 404, {"error": "not_found"})

    def _token(self, h: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        auth = h.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            cid, secret = form.get("client_id", ""), form.get("client_secret", "")
        if cid != self.client_id or secret != self.client_secret:
            self._send(h, 401, {"error": "invalid_client"})
            return
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            self._send(h, 400, {"error": "invalid_grant"})
            return
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            self._send(h, 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
            return
        now = int(time.time())
        claims = self._claims(grant["username"])
        if not self.groups_in_id_token:
            claims.pop("groups")
        claims.update(
            {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, "nonce": grant["nonce"]}
        )
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        access = secrets.token_urlsafe(16)
        self.tokens[access] = {"username": grant["username"]}
        self._send(
            h, 200, {"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        )
