"""Provider settings in the database: add, list, update, remove; immutable snapshots for the gateway."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from guai.db.models.llm import LLMProvider
from guai.llm.errors import ProviderConfigError

KINDS = ("external", "on-prem")
POLICIES = ("mask", "block", "allow")
KIND_LABELS = {"external": "외부", "on-prem": "내부(온프레미스)"}
POLICY_LABELS = {"mask": "가림 후 전송", "block": "개인정보 있으면 차단", "allow": "그대로 전송"}
_generation = [0]  # bumped on every change so gateways in this process re-read settings at once


def generation() -> int:
    return _generation[0]


def providers_changed() -> None:
    _generation[0] += 1


_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_ENV_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")


def default_policy(kind: str) -> str:
    """External providers get masked text; on-prem servers inside the office network may see it as is."""
    return "mask" if kind == "external" else "allow"


@dataclass(frozen=True)
class ProviderConfig:
    """A read-only copy of a provider row, safe to share between threads."""

    name: str
    base_url: str
    api_key_env: str | None
    kind: str
    policy: str
    chat_model: str | None
    extra_models: tuple[str, ...]
    embedding_model: str | None
    image_model: str | None
    vision: bool
    is_default: bool
    is_fallback: bool
    enabled: bool
    timeout_s: float
    max_retries: int

    @classmethod
    def from_row(cls, row: LLMProvider) -> ProviderConfig:
        extra = tuple(m.strip() for m in (row.extra_models or "").split(",") if m.strip())
        return cls(
            name=row.name,
            base_url=row.base_url,
            api_key_env=row.api_key_env,
            kind=row.kind,
            policy=row.policy,
            chat_model=row.chat_model,
            extra_models=extra,
            embedding_model=row.embedding_model,
            image_model=row.image_model,
            vision=bool(row.vision),
            is_default=bool(row.is_default),
            is_fallback=bool(row.is_fallback),
            enabled=bool(row.enabled),
            timeout_s=float(row.timeout_s or 60.0),
            max_retries=int(row.max_retries if row.max_retries is not None else 2),
        )

    @property
    def chat_models(self) -> tuple[str, ...]:
        return ((self.chat_model,) if self.chat_model else ()) + self.extra_models

    def supports(self, capability: str) -> bool:
        if capability == "chat":
            return bool(self.chat_model)
        if capability == "embeddings":
            return bool(self.embedding_model)
        if capability == "images":
            return bool(self.image_model)
        if capability == "vision":
            return bool(self.chat_model) and self.vision
        return False

    def api_key(self) -> str:
        """The key from the named environment variable; local servers without auth get a dummy key."""
        if not self.api_key_env:
            return "not-needed"
        value = os.environ.get(self.api_key_env)
        if not value:
            raise ProviderConfigError(
                f"모델 서버 '{self.name}'의 API 키 환경 변수 {self.api_key_env}가 설정되어 있지 않습니다. "
                "서버를 실행하는 환경에 이 변수를 넣어 주세요."
            )
        return value


def _validate(*, name: str, base_url: str, kind: str, policy: str | None, api_key_env: str | None) -> str:
    if not _NAME_RE.match(name or ""):
        raise ProviderConfigError(
            "모델 서버 이름은 영문·숫자·.-_ 로 64자 이내여야 합니다 (예: openai, vllm-local)."
        )
    parsed = urlparse(base_url or "")
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ProviderConfigError(f"주소 '{base_url}'가 올바르지 않습니다. 예: http://127.0.0.1:8001/v1")
    if kind not in KINDS:
        raise ProviderConfigError(f"종류는 {', '.join(KINDS)} 중 하나여야 합니다 (입력: {kind}).")
    chosen = policy or default_policy(kind)
    if chosen not in POLICIES:
        raise ProviderConfigError(f"정책은 {', '.join(POLICIES)} 중 하나여야 합니다 (입력: {policy}).")
    if api_key_env and not _ENV_RE.match(api_key_env):
        raise ProviderConfigError(
            f"'{api_key_env}'는 환경 변수 이름이 아닙니다. 키 자체가 아니라 키를 담은 변수 이름을 적어 주세요 "
            "(예: GUAI_PROVIDER_OPENAI_KEY)."
        )
    return chosen


def add_provider(
    session: Session,
    *,
    name: str,
    base_url: str,
    model: str | None,
    kind: str = "external",
    policy: str | None = None,
    api_key_env: str | None = None,
    default: bool = False,
    fallback: bool = False,
    embedding_model: str | None = None,
    image_model: str | None = None,
    vision: bool = False,
    extra_models: list[str] | None = None,
    timeout_s: float = 60.0,
    max_retries: int = 2,
) -> LLMProvider:
    """Add (or replace the settings of) a provider; the first one becomes the default."""
    chosen = _validate(name=name, base_url=base_url, kind=kind, policy=policy, api_key_env=api_key_env)
    if not (model or embedding_model or image_model):
        raise ProviderConfigError("대화 모델(--model), 임베딩 모델, 이미지 모델 중 하나는 지정해야 합니다.")
    if timeout_s <= 0 or max_retries < 0:
        raise ProviderConfigError("제한 시간은 0보다 커야 하고 재시도 횟수는 0 이상이어야 합니다.")
    row = session.execute(select(LLMProvider).where(LLMProvider.name == name)).scalar_one_or_none()
    if row is None:
        row = LLMProvider(name=name)
        session.add(row)
    row.base_url = base_url.rstrip("/")
    row.chat_model = model or None
    row.kind, row.policy, row.api_key_env = kind, chosen, api_key_env or None
    row.embedding_model, row.image_model, row.vision = embedding_model or None, image_model or None, vision
    row.extra_models = ",".join(extra_models or []) or None
    row.timeout_s, row.max_retries, row.enabled = timeout_s, max_retries, True
    others = [p for p in list_providers(session) if p.name != name]
    if default or not any(p.is_default for p in others):
        for p in others:
            p.is_default = False
        row.is_default = True
    else:
        row.is_default = False
    if fallback:
        for p in others:
            p.is_fallback = False
    row.is_fallback = fallback
    session.flush()
    providers_changed()
    return row


def list_providers(session: Session) -> list[LLMProvider]:
    return list(session.execute(select(LLMProvider).order_by(LLMProvider.id)).scalars())


def get_provider(session: Session, name: str) -> LLMProvider:
    row = session.execute(select(LLMProvider).where(LLMProvider.name == name)).scalar_one_or_none()
    if row is None:
        names = ", ".join(p.name for p in list_providers(session)) or "없음"
        raise ProviderConfigError(f"모델 서버 '{name}'이(가) 없습니다. 등록된 서버: {names}")
    return row


def set_role(
    session: Session,
    name: str,
    *,
    default: bool | None = None,
    fallback: bool | None = None,
    enabled: bool | None = None,
) -> LLMProvider:
    """Make a provider the default or fallback (only one of each), or switch it on/off."""
    row = get_provider(session, name)
    for p in list_providers(session):
        if p.id == row.id:
            continue
        if default:
            p.is_default = False
        if fallback:
            p.is_fallback = False
    if default is not None:
        row.is_default = default
    if fallback is not None:
        row.is_fallback = fallback
    if enabled is not None:
        row.enabled = enabled
    session.flush()
    providers_changed()
    return row


def remove_provider(session: Session, name: str) -> None:
    session.delete(get_provider(session, name))
    session.flush()
    providers_changed()


def load_configs(session: Session) -> list[ProviderConfig]:
    """Enabled providers in the order the gateway tries them: default, fallback, then the rest."""
    rows = [ProviderConfig.from_row(r) for r in list_providers(session) if r.enabled]
    return sorted(rows, key=lambda p: (not p.is_default, not p.is_fallback))
