"""The documents package's only contact with the model gateway (guai.llm), imported lazily."""

from __future__ import annotations

from typing import Any

from guai.documents import DocumentError


def gateway_for(db: Any) -> Any | None:
    """The configured gateway for `db`, or None when guai.llm is not installed or has no chat provider."""
    try:
        from guai.llm import get_gateway  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        gw = get_gateway(db)
    except Exception:  # a broken provider config must not break template drafting or extractive summaries
        return None
    return gw if can_chat(gw) else None


def can_chat(gateway: Any | None) -> bool:
    if gateway is None:
        return False
    try:
        return bool(gateway.available("chat"))
    except Exception:
        return False


def chat(
    gateway: Any, system: str, prompt: str, *, user: Any = None, purpose: str, max_tokens: int | None = None
) -> tuple[str, str | None]:
    """(reply text, model name); gateway errors become DocumentError with the gateway's Korean message."""
    messages = [{"role": "system", "content": system}, {"role": "user", "content": prompt}]
    try:
        result = gateway.chat(messages, user=user, purpose=purpose, temperature=0.2, max_tokens=max_tokens)
    except Exception as exc:  # NoProviderError / LLMError carry Korean messages
        raise DocumentError(f"모델 호출에 실패했습니다: {exc}") from exc
    return (result.text or "").strip(), getattr(result, "model", None)
