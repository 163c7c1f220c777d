"""OpenAI clients per provider (cached), with retries and backoff on 429/5xx and Korean error messages."""

from __future__ import annotations

import asyncio
import random
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import openai

from guai.llm.errors import LLMError
from guai.llm.providers import ProviderConfig

T = TypeVar("T")

_lock = threading.Lock()
_sync_clients: dict[tuple[str, str, str, float], openai.OpenAI] = {}
# httpx async pools belong to one event loop, so async clients are kept per loop.
_async_clients: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[str, str, str, float], openai.AsyncOpenAI]
] = weakref.WeakKeyDictionary()


def _key(p: ProviderConfig) -> tuple[str, str, str, float]:
    return (p.name, p.base_url, p.api_key(), p.timeout_s)


def sync_client(p: ProviderConfig) -> openai.OpenAI:
    key = _key(p)
    with _lock:
        client = _sync_clients.get(key)
        if client is None:
            # Our own retry loop (below) decides on retries, so the client never retries by itself.
            client = openai.OpenAI(base_url=p.base_url, api_key=key[2], timeout=p.timeout_s, max_retries=0)
            _sync_clients[key] = client
        return client


def async_client(p: ProviderConfig) -> openai.AsyncOpenAI:
    key = _key(p)
    loop = asyncio.get_running_loop()
    with _lock:
        per_loop = _async_clients.setdefault(loop, {})
        client = per_loop.get(key)
        if client is None:
            client = openai.AsyncOpenAI(
                base_url=p.base_url, api_key=key[2], timeout=p.timeout_s, max_retries=0
            )
            per_loop[key] = client
        return client


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError)  # includes APITimeoutError


def translate(exc: BaseException, p: ProviderConfig) -> LLMError:
    """One Korean sentence saying what went wrong with which provider."""
    if isinstance(exc, LLMError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        msg = f"모델 서버 '{p.name}'가 제한 시간({p.timeout_s:g}초) 안에 답하지 않았습니다."
    elif isinstance(exc, openai.APIConnectionError):
        msg = f"모델 서버 '{p.name}'({p.base_url})에 연결할 수 없습니다. 서버가 켜져 있는지 확인하세요."
    elif isinstance(exc, openai.RateLimitError):
        msg = f"모델 서버 '{p.name}'가 요청이 너무 많다고 답했습니다(429). 잠시 후 다시 시도하세요."
    elif isinstance(exc, openai.AuthenticationError):
        msg = f"모델 서버 '{p.name}'가 API 키를 거부했습니다(401). 관리자가 키 설정을 확인해야 합니다."
    elif isinstance(exc, openai.NotFoundError):
        msg = f"모델 서버 '{p.name}'에서 요청한 모델이나 기능을 찾을 수 없습니다(404)."
    elif isinstance(exc, openai.APIStatusError):
        msg = f"모델 서버 '{p.name}'가 오류로 답했습니다(HTTP {exc.status_code})."
    else:
        msg = f"모델 서버 '{p.name}'의 응답을 처리하지 못했습니다: {type(exc).__name__}"
    err = LLMError(msg)
    err.__cause__ = exc
    return err


def _delay(exc: BaseException, attempt: int, base: float, cap: float) -> float:
    """Exponential backoff with jitter; a Retry-After header from the server wins (within the cap)."""
    if isinstance(exc, openai.APIStatusError):
        headers = exc.response.headers
        for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
            value = headers.get(name)
            if value:
                try:
                    return min(cap, max(0.0, float(value) * scale))
                except ValueError:
                    pass
    return min(cap, base * (2**attempt)) * (0.75 + random.random() * 0.5)


def call_with_retries(p: ProviderConfig, fn: Callable[[openai.OpenAI], T], *, base: float, cap: float) -> T:
    client = sync_client(p)
    attempt = 0
    while True:
        try:
            return fn(client)
        except Exception as exc:
            if not is_retryable(exc) or attempt >= p.max_retries:
                raise translate(exc, p) from exc
            time.sleep(_delay(exc, attempt, base, cap))
            attempt += 1


async def acall_with_retries(
    p: ProviderConfig, fn: Callable[[openai.AsyncOpenAI], Awaitable[T]], *, base: float, cap: float
) -> T:
    client = async_client(p)
    attempt = 0
    while True:
        try:
            return await fn(client)
        except Exception as exc:
            if not is_retryable(exc) or attempt >= p.max_retries:
                raise translate(exc, p) from exc
            await asyncio.sleep(_delay(exc, attempt, base, cap))
            attempt += 1


def estimate_tokens(text: str) -> int:
    """Rough count when a server reports no usage: Korean runs about two characters per token."""
    return max(1, len(text) // 2) if text else 0


def message_text(messages: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for m in messages:
        c = m.get("content")
        if isinstance(c, str):
            parts.append(c)
        elif isinstance(c, list):
            parts.extend(p.get("text", "") for p in c if isinstance(p, dict))
    return "\n".join(parts)
