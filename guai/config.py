"""One Settings object, read from GUAI_* environment variables and an optional guai.toml."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)


class ConfigError(Exception):
    """Configuration is invalid; the message names the problem and the fix."""


def _toml_path() -> Path | None:
    explicit = os.environ.get("GUAI_CONFIG")
    if explicit:
        return Path(explicit)
    home = Path(os.environ.get("GUAI_HOME", "./guai-data"))
    for candidate in (Path("guai.toml"), home / "guai.toml"):
        if candidate.is_file():
            return candidate
    return None


class _TomlSource(PydanticBaseSettingsSource):
    """Reads guai.toml (flat keys, same names as the GUAI_* variables without the prefix)."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:  # pragma: no cover
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = _toml_path()
        if path is None:
            return {}
        if not path.is_file():
            raise ConfigError(f"설정 파일을 찾을 수 없습니다: {path} (GUAI_CONFIG 경로를 확인하세요)")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"설정 파일 {path}을(를) 읽을 수 없습니다: {exc}") from exc
        known = set(self.settings_cls.model_fields)
        unknown = sorted(k for k in data if k not in known)
        if unknown:
            raise ConfigError(
                f"설정 파일 {path}에 알 수 없는 키가 있습니다: {', '.join(unknown)}. "
                f"사용할 수 있는 키: {', '.join(sorted(known))}"
            )
        return data


class Settings(BaseSettings):
    """All of guai's settings. Environment variables GUAI_<NAME> override guai.toml."""

    model_config = SettingsConfigDict(env_prefix="GUAI_", extra="forbid", case_sensitive=False)

    home: Path = Path("./guai-data")
    database_url: str | None = None
    secret_key: str | None = None
    district_name: str = "가온구"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    session_hours: int = 12
    cookie_secure: bool = False
    login_max_failures: int = 5
    login_window_minutes: int = 15
    max_upload_mb: int = 50
    log_json: bool = False
    # Operations: public address behind the proxy, metrics access, single sign-on (OIDC, LDAP/AD).
    public_url: str | None = None
    metrics_token: str | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_scopes: str = "openid profile email"
    oidc_label: str = "통합인증(SSO)으로 로그인"
    oidc_username_claim: str = "preferred_username"
    oidc_groups_claim: str = "groups"
    ldap_url: str | None = None
    ldap_bind_dn: str | None = None
    ldap_bind_password: str | None = None
    ldap_user_base: str | None = None
    ldap_user_filter: str = "(|(uid={username})(sAMAccountName={username}))"
    ldap_group_base: str | None = None
    ldap_disabled_filter: str = "(userAccountControl:1.2.840.113556.1.4.803:=2)"
    sso_ca_file: str | None = None
    sso_mapping: list[dict[str, str]] = []
    sso_department_attribute: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls))

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'guai.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def index_dir(self) -> Path:
        return self.home / "indexes"

    @property
    def upload_dir(self) -> Path:
        return self.home / "uploads"

    def ensure_dirs(self) -> None:
        for path in (self.home, self.index_dir, self.upload_dir):
            path.mkdir(parents=True, exist_ok=True)

    def secret(self) -> str:
        """The signing secret: from settings, else one generated once and kept in GUAI_HOME."""
        if self.secret_key:
            return self.secret_key
        self.ensure_dirs()
        path = self.home / "secret.key"
        if not path.exists():
            import secrets

            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()


def _check_env_keys() -> None:
    known = {f"GUAI_{name.upper()}" for name in Settings.model_fields} | {"GUAI_CONFIG"}
    allowed_prefixes = ("GUAI_TEST_", "GUAI_PROVIDER_", "GUAI_BENCH_")
    unknown = sorted(
        k
        for k in os.environ
        if k.upper().startswith("GUAI_")
        and k.upper() not in known
        and not k.upper().startswith(allowed_prefixes)
    )
    if unknown:
        raise ConfigError(
            f"알 수 없는 환경 변수: {', '.join(unknown)}. 철자를 확인하세요. "
            f"사용할 수 있는 변수: {', '.join(sorted(known))}"
        )


def load_settings(**overrides: Any) -> Settings:
    """Build Settings, turning validation problems into one clear ConfigError."""
    _check_env_keys()
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"설정 값이 올바르지 않습니다 — {problems}") from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings (cached); tests build their own with load_settings()."""
    return load_settings()
