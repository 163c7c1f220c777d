"""The model gateway: provider choice and fallback, egress masking, quotas, metering and audit per call."""

from __future__ import annotations

import base64
import functools
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

import anyio
import openai

from guai.audit import record
from guai.db.engine import Database
from guai.db.models.auth import User
from guai.llm import client as cl
from guai.llm.egress import Egress, mask_texts, prepare
from guai.llm.errors import BlockedByPolicy, LLMError, ModelNotFound, NoProviderError
from guai.llm.providers import ProviderConfig, generation, load_configs, providers_changed
from guai.llm.quota import NO_RESERVATION, Reservation, reserve, settle
from guai.llm.streams import AsyncChatStream, ChatStream, StreamAccumulator
from guai.llm.types import ChatResult, ImageResult, ToolCall, Usage
from guai.llm.usage import Caller, any_quotas, quota_generation, record_usage

_CAPABILITY_LABELS = {
    "chat": "대화",
    "embeddings": "임베딩(의미 검색)",
    "images": "이미지 생성",
    "vision": "이미지 분석",
}
IMAGE_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
MAX_IMAGE_BYTES = 10 * 1024 * 1024


def sniff_image(data: bytes, *, max_bytes: int = MAX_IMAGE_BYTES) -> str:
    """The image's MIME type from its first bytes; LLMError for other files or files that are too big."""
    if not data:
        raise LLMError("이미지 파일이 비어 있습니다.")
    if len(data) > max_bytes:
        raise LLMError(
            f"이미지가 너무 큽니다 ({len(data) / 1048576:.1f}MB). {max_bytes // 1048576}MB 이하만 분석할 수 있습니다."
        )
    for magic, mime in IMAGE_TYPES.items():
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise LLMError("PNG, JPEG, GIF, WebP 이미지 파일만 분석할 수 있습니다.")


def _load_masking_policy(session: Any) -> Any:
    """The administrator's masking policy from 운영 설정 (/admin/settings), or None for the defaults."""
    try:
        from guai.ops.settings_store import load_masking_policy
    except ImportError:
        return None
    return load_masking_policy(session)


class Gateway:
    """One per Database (see get_gateway). Thread-safe; sync methods for CLI/domain code, a* twins for the web."""

    def __init__(
        self,
        db: Database,
        *,
        retry_base_delay: float = 0.25,
        retry_max_delay: float = 4.0,
        config_ttl: float = 2.0,
    ) -> None:
        self.db = db
        self.retry_base_delay = retry_base_delay
        self.retry_max_delay = retry_max_delay
        self.config_ttl = config_ttl
        self._configs: list[ProviderConfig] = []
        self._loaded_at = 0.0
        self._loaded_gen = -1
        self._lock = threading.Lock()
        self._masking_policy: Any = None
        self._has_quotas = True
        self._quota_checked_at = 0.0
        self._quota_gen = -1
        # Providers that answered 400 to stream_options (older vLLM/llama.cpp builds): streamed without it since.
        self._no_stream_options: set[tuple[str, str]] = set()

    # ---- provider choice ------------------------------------------------------------------------
    def providers(self) -> list[ProviderConfig]:
        with self._lock:
            if self._loaded_gen != generation() or time.monotonic() - self._loaded_at > self.config_ttl:
                with self.db.session() as s:
                    self._configs = load_configs(s)
                    self._masking_policy = _load_masking_policy(s)
                self._loaded_at, self._loaded_gen = time.monotonic(), generation()
            return self._configs

    def available(self, capability: str = "chat") -> bool:
        return any(p.supports(capability) for p in self.providers())

    def models(self) -> list[tuple[str, str]]:
        """(provider, chat model) pairs, default provider first."""
        return [(p.name, m) for p in self.providers() for m in p.chat_models]

    def _candidates(self, capability: str, model: str | None) -> list[tuple[ProviderConfig, str]]:
        providers = [p for p in self.providers() if p.supports(capability)]
        if not providers:
            label = _CAPABILITY_LABELS.get(capability, capability)
            raise NoProviderError(
                None
                if capability == "chat"
                else f"{label}을(를) 지원하는 AI 모델이 연결되어 있지 않습니다. 관리자가 모델 서버에 "
                f"{label} 모델을 등록하면 쓸 수 있습니다 (내장 기능은 모델 없이도 그대로 쓸 수 있습니다)."
            )

        def model_of(p: ProviderConfig) -> str:
            return (
                {"embeddings": p.embedding_model, "images": p.image_model}.get(capability)
                or p.chat_model
                or ""
            )

        if model and model not in ("default", "guai"):
            name, _, wanted = model.partition("/") if "/" in model else ("", "", model)
            exact = [
                (p, wanted)
                for p in providers
                if (not name or p.name == name) and (wanted in p.chat_models or wanted == model_of(p))
            ]
            if exact:
                return exact
            raise ModelNotFound(
                f"모델 '{model}'을(를) 제공하는 모델 서버가 없습니다. 사용할 수 있는 모델: "
                + ", ".join(f"{p.name}/{m}" for p, m in ((p, model_of(p)) for p in providers))
            )
        ordered = [p for p in providers if p.is_default] + [
            p for p in providers if p.is_fallback and not p.is_default
        ]
        return [(p, model_of(p)) for p in (ordered or providers[:1])]

    # ---- bookkeeping (quota before, usage + audit after) ----------------------------------------
    @staticmethod
    def _estimate(messages: list[dict[str, Any]], max_tokens: int | None = None) -> int:
        """Tokens a call is expected to use, reserved against token quotas until the real count is known."""
        return cl.estimate_tokens(cl.message_text(messages)) + (max_tokens or 0)

    def _admit(self, caller: Caller, estimate: int = 0) -> Reservation:
        """Atomic quota reservation (guai.llm.quota); skipped (no transaction at all) while no quota exists,
        re-checked every config_ttl."""
        if caller.id is None:
            return NO_RESERVATION
        now = time.monotonic()
        if (
            self._quota_gen == quota_generation()
            and now - self._quota_checked_at <= self.config_ttl
            and not self._has_quotas
        ):
            return NO_RESERVATION
        with self.db.session() as s:
            self._has_quotas = any_quotas(s)
            self._quota_checked_at, self._quota_gen = now, quota_generation()
            return reserve(s, caller, estimate) if self._has_quotas else NO_RESERVATION

    def _finish(
        self,
        caller: Caller,
        *,
        kind: str,
        purpose: str,
        provider: str,
        model: str,
        usage: Usage,
        started: float,
        masked: dict[str, int],
        policy: str,
        outcome: str = "성공",
        error: str | None = None,
        tried: list[str] | None = None,
        reservation: Reservation = NO_RESERVATION,
    ) -> None:
        latency = int((time.perf_counter() - started) * 1000)
        detail: dict[str, Any] = {
            "purpose": purpose,
            "provider": provider,
            "model": model,
            "policy": policy,
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "masked": masked,
            "latency_ms": latency,
        }
        if tried:
            detail["tried"] = tried
        if error:
            detail["error"] = error
        with self.db.session() as s:
            settle(s, reservation, usage.total_tokens if outcome == "성공" else None)
            if outcome == "성공":
                record_usage(
                    s,
                    user=caller,
                    provider=provider,
                    model=model,
                    kind=kind,
                    purpose=purpose,
                    usage=usage,
                    latency_ms=latency,
                )
            record(
                s,
                actor=caller.username,
                action=f"llm.{kind}",
                outcome=outcome,
                target=f"{provider}/{model}",
                department=caller.with_department(s).department,
                detail=detail,
            )

    def _fail(
        self,
        caller: Caller,
        kind: str,
        purpose: str,
        started: float,
        errors: list[tuple[str, LLMError]],
        blocked: BlockedByPolicy | None,
        reservation: Reservation = NO_RESERVATION,
    ) -> LLMError:
        tried = [name for name, _ in errors]
        if blocked is not None and not errors:
            self._finish(
                caller,
                kind=kind,
                purpose=purpose,
                provider="-",
                model="-",
                usage=Usage(),
                started=started,
                masked=blocked.counts,
                policy="block",
                outcome="거부",
                error="blocked_by_policy",
                reservation=reservation,
            )
            return blocked
        message = (
            errors[-1][1].args[0]
            if len(errors) == 1
            else ("연결된 모델 서버가 모두 응답하지 않았습니다: " + " / ".join(str(e) for _, e in errors))
        )
        self._finish(
            caller,
            kind=kind,
            purpose=purpose,
            provider=errors[-1][0] if errors else "-",
            model="-",
            usage=Usage(),
            started=started,
            masked=blocked.counts if blocked else {},
            policy="-",
            outcome="실패",
            error=message,
            tried=tried,
            reservation=reservation,
        )
        err = LLMError(message)
        err.__cause__ = errors[-1][1] if errors else None
        return err

    # ---- chat -----------------------------------------------------------------------------------
    @staticmethod
    def _params(
        messages: list[dict[str, Any]],
        model: str,
        tools: list[dict[str, Any]] | None,
        temperature: float | None,
        max_tokens: int | None,
        tool_choice: Any,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"model": model, "messages": messages}
        if tools:
            params["tools"] = tools
            if tool_choice is not None:
                params["tool_choice"] = tool_choice
        if temperature is not None:
            params["temperature"] = temperature
        if max_tokens is not None:
            params["max_tokens"] = max_tokens
        return params

    def _stream_params(self, p: ProviderConfig, params: dict[str, Any]) -> dict[str, Any]:
        params["stream"] = True
        if (p.name, p.base_url) not in self._no_stream_options:
            params["stream_options"] = {"include_usage": True}  # usage in the last chunk, where supported
        return params

    def _drop_stream_options(self, p: ProviderConfig, params: dict[str, Any], exc: LLMError) -> bool:
        """True (and params changed) when a 400 names stream_options: the caller retries once without it,
        and usage is then counted by guai (marked estimated)."""
        cause = exc.__cause__
        if "stream_options" not in params or not isinstance(cause, openai.BadRequestError):
            return False
        if "stream_options" not in str(cause) and "include_usage" not in str(cause):
            return False
        params.pop("stream_options")
        self._no_stream_options.add((p.name, p.base_url))
        return True

    def _result(
        self, resp: Any, p: ProviderConfig, model: str, egress: Egress, fallback_from: str | None
    ) -> ChatResult:
        if not resp.choices:
            raise LLMError(f"모델 서버 '{p.name}'가 빈 응답을 보냈습니다.")
        msg = resp.choices[0].message
        raw = msg.content or ""
        if resp.usage is not None:
            usage = Usage(
                resp.usage.prompt_tokens or 0, resp.usage.completion_tokens or 0, resp.usage.total_tokens or 0
            )
        else:
            pt, ct = cl.estimate_tokens(cl.message_text(egress.messages)), cl.estimate_tokens(raw)
            usage = Usage(pt, ct, pt + ct, estimated=True)
        calls = [
            ToolCall(id=tc.id, name=tc.function.name, arguments=egress.restore(tc.function.arguments or "{}"))
            for tc in (msg.tool_calls or [])
            if getattr(tc, "function", None) is not None
        ]
        return ChatResult(
            text=egress.restore(raw),
            tool_calls=calls,
            usage=usage,
            provider=p.name,
            model=getattr(resp, "model", None) or model,
            masked_counts=dict(egress.counts),
            finish_reason=resp.choices[0].finish_reason,
            fallback_from=fallback_from,
        )

    def chat(
        self,
        messages: list[dict[str, Any]],
        *,
        user: User | Caller | None = None,
        purpose: str = "chat",
        tools: list[dict[str, Any]] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        model: str | None = None,
        tool_choice: Any = None,
        capability: str = "chat",
    ) -> ChatResult:
        """One completion. Tries the default provider, then the fallback; raises LLMError subclasses."""
        caller, started = Caller.of(user), time.perf_counter()
        candidates = self._candidates(capability, model)
        held = self._admit(caller, self._estimate(messages, max_tokens))
        errors: list[tuple[str, LLMError]] = []
        blocked: BlockedByPolicy | None = None
        for p, model_name in candidates:
            try:
                egress = prepare(messages, p, self._masking_policy)
            except BlockedByPolicy as exc:
                blocked = exc
                continue
            params = self._params(egress.messages, model_name, tools, temperature, max_tokens, tool_choice)
            try:
                resp = cl.call_with_retries(
                    p,
                    lambda c, kw=params: c.chat.completions.create(**kw),
                    base=self.retry_base_delay,
                    cap=self.retry_max_delay,
                )
                result = self._result(resp, p, model_name, egress, errors[-1][0] if errors else None)
            except LLMError as exc:
                errors.append((p.name, exc))
                continue
            self._finish(
                caller,
                kind=capability,
                purpose=purpose,
                provider=p.name,
                model=result.model,
                usage=result.usage,
                started=started,
                masked=egress.counts,
                policy=egress.policy,
                tried=[n for n, _ in errors] or None,
                reservation=held,
            )
            return result
        raise self._fail(caller, capability, purpose, started, errors, blocked, held)

    async def achat(
        self,
        messages: list[dict[str, Any]],
        *,
        user: User | Caller | None = None,
        purpose: str = "chat",
        tools: list[dict[str, Any]] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        model: str | None = None,
        tool_choice: Any = None,
    ) -> ChatResult:
        caller, started = Caller.of(user), time.perf_counter()
        candidates = self._candidates("chat", model)
        held = await anyio.to_thread.run_sync(self._admit, caller, self._estimate(messages, max_tokens))
        errors: list[tuple[str, LLMError]] = []
        blocked: BlockedByPolicy | None = None
        for p, model_name in candidates:
            try:
                egress = prepare(messages, p, self._masking_policy)
            except BlockedByPolicy as exc:
                blocked = exc
                continue
            params = self._params(egress.messages, model_name, tools, temperature, max_tokens, tool_choice)
            try:
                resp = await cl.acall_with_retries(
                    p,
                    lambda c, kw=params: c.chat.completions.create(**kw),
                    base=self.retry_base_delay,
                    cap=self.retry_max_delay,
                )
                result = self._result(resp, p, model_name, egress, errors[-1][0] if errors else None)
            except LLMError as exc:
                errors.append((p.name, exc))
                continue
            done = functools.partial(
                self._finish,
                caller,
                kind="chat",
                purpose=purpose,
                provider=p.name,
                model=result.model,
                usage=result.usage,
                started=started,
                masked=egress.counts,
                policy=egress.policy,
                tried=[n for n, _ in errors] or None,
                reservation=held,
            )
            await anyio.to_thread.run_sync(done)
            return result
        err = await anyio.to_thread.run_sync(
            self._fail, caller, "chat", purpose, started, errors, blocked, held
        )
        raise err

    def _stream_finisher(
        self, caller: Caller, purpose: str, started: float, tried: list[str], held: list[Reservation]
    ) -> Callable[[StreamAccumulator, BaseException | None], None]:
        """`held` receives the stream's quota reservation when it starts (streams admit lazily)."""

        def finish(acc: StreamAccumulator, exc: BaseException | None) -> None:
            reservation = held[0] if held else NO_RESERVATION
            if exc is None:
                res = acc.result()
                self._finish(
                    caller,
                    kind="chat",
                    purpose=purpose,
                    provider=acc.provider.name,
                    model=res.model,
                    usage=res.usage,
                    started=started,
                    masked=acc.egress.counts,
                    policy=acc.egress.policy,
                    tried=tried or None,
                    reservation=reservation,
                )
            else:
                self._finish(
                    caller,
                    kind="chat",
                    purpose=purpose,
                    provider=acc.provider.name,
                    model=acc.model,
                    usage=Usage(),
                    started=started,
                    masked=acc.egress.counts,
                    policy=acc.egress.policy,
                    outcome="실패",
                    error=str(exc),
                    tried=tried or None,
                    reservation=reservation,
                )

        return finish

    def _open_stream(self, p: Any, params: dict[str, Any]) -> Any:
        """Start a streamed completion; once more without stream_options if the provider rejects them."""

        def create() -> Any:
            return cl.call_with_retries(
                p,
                lambda c, kw=params: c.chat.completions.create(**kw),
                base=self.retry_base_delay,
                cap=self.retry_max_delay,
            )

        try:
            return create()
        except LLMError as exc:
            if not self._drop_stream_options(p, params, exc):
                raise
            return create()

    async def _aopen_stream(self, p: Any, params: dict[str, Any]) -> Any:
        """Async twin of _open_stream."""

        async def create() -> Any:
            return await cl.acall_with_retries(
                p,
                lambda c, kw=params: c.chat.completions.create(**kw),
                base=self.retry_base_delay,
                cap=self.retry_max_delay,
            )

        try:
            return await create()
        except LLMError as exc:
            if not self._drop_stream_options(p, params, exc):
                raise
            return await create()

    def chat_stream(
        self,
        messages: list[dict[str, Any]],
        *,
        user: User | Caller | None = None,
        purpose: str = "chat",
        tools: list[dict[str, Any]] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        model: str | None = None,
        tool_choice: Any = None,
    ) -> ChatStream:
        """Iterate the returned ChatStream for restored text pieces; `.result` afterwards has tool calls and usage.

        Provider choice, quota and masking happen when iteration starts; errors are raised from the loop.
        """
        caller, started = Caller.of(user), time.perf_counter()
        tried: list[str] = []
        held: list[Reservation] = []

        def start() -> tuple[Any, StreamAccumulator]:
            candidates = self._candidates("chat", model)
            held.append(self._admit(caller, self._estimate(messages, max_tokens)))
            errors: list[tuple[str, LLMError]] = []
            blocked: BlockedByPolicy | None = None
            for p, model_name in candidates:
                try:
                    egress = prepare(messages, p, self._masking_policy)
                except BlockedByPolicy as exc:
                    blocked = exc
                    continue
                params = self._params(
                    egress.messages, model_name, tools, temperature, max_tokens, tool_choice
                )
                self._stream_params(p, params)
                try:
                    chunks = self._open_stream(p, params)
                except LLMError as exc:
                    errors.append((p.name, exc))
                    tried.append(p.name)
                    continue
                return chunks, StreamAccumulator(p, model_name, egress, errors[-1][0] if errors else None)
            raise self._fail(caller, "chat", purpose, started, errors, blocked, held[0])

        return ChatStream(start, self._stream_finisher(caller, purpose, started, tried, held))

    def achat_stream(
        self,
        messages: list[dict[str, Any]],
        *,
        user: User | Caller | None = None,
        purpose: str = "chat",
        tools: list[dict[str, Any]] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        model: str | None = None,
        tool_choice: Any = None,
    ) -> AsyncChatStream:
        """Async twin of chat_stream: `async for piece in gw.achat_stream(...)`."""
        caller, started = Caller.of(user), time.perf_counter()
        tried: list[str] = []
        held: list[Reservation] = []
        finish_sync = self._stream_finisher(caller, purpose, started, tried, held)

        async def start() -> tuple[Any, StreamAccumulator]:
            candidates = self._candidates("chat", model)
            held.append(
                await anyio.to_thread.run_sync(self._admit, caller, self._estimate(messages, max_tokens))
            )
            errors: list[tuple[str, LLMError]] = []
            blocked: BlockedByPolicy | None = None
            for p, model_name in candidates:
                try:
                    egress = prepare(messages, p, self._masking_policy)
                except BlockedByPolicy as exc:
                    blocked = exc
                    continue
                params = self._params(
                    egress.messages, model_name, tools, temperature, max_tokens, tool_choice
                )
                self._stream_params(p, params)
                try:
                    chunks = await self._aopen_stream(p, params)
                except LLMError as exc:
                    errors.append((p.name, exc))
                    tried.append(p.name)
                    continue
                return chunks, StreamAccumulator(p, model_name, egress, errors[-1][0] if errors else None)
            raise await anyio.to_thread.run_sync(
                self._fail, caller, "chat", purpose, started, errors, blocked, held[0]
            )

        async def finish(acc: StreamAccumulator, exc: BaseException | None) -> None:
            await anyio.to_thread.run_sync(finish_sync, acc, exc)

        return AsyncChatStream(start, finish)

    # ---- embeddings -----------------------------------------------------------------------------
    def _embed_one(
        self, p: ProviderConfig, model_name: str, texts: list[str]
    ) -> tuple[list[list[float]], Usage, Egress]:
        egress = mask_texts(texts, p, self._masking_policy)
        inputs = [m["content"] for m in egress.messages]
        vectors: list[list[float]] = []
        pt = 0
        for i in range(0, len(inputs), 128):  # servers cap the batch size; 128 is accepted everywhere we know
            batch = inputs[i : i + 128]
            resp = cl.call_with_retries(
                p,
                lambda c, b=batch: c.embeddings.create(model=model_name, input=b),
                base=self.retry_base_delay,
                cap=self.retry_max_delay,
            )
            vectors.extend(list(d.embedding) for d in sorted(resp.data, key=lambda d: d.index))
            pt += (resp.usage.prompt_tokens if resp.usage else 0) or cl.estimate_tokens("".join(batch))
        if len(vectors) != len(texts):
            raise LLMError(
                f"모델 서버 '{p.name}'가 입력 {len(texts)}개에 벡터 {len(vectors)}개로 답했습니다."
            )
        return vectors, Usage(pt, 0, pt), egress

    def embed(
        self,
        texts: list[str],
        *,
        user: User | Caller | None = None,
        purpose: str = "embeddings",
        model: str | None = None,
    ) -> list[list[float]]:
        """One vector per text, in order. Same masking, quotas and audit as chat."""
        if not texts:
            return []
        caller, started = Caller.of(user), time.perf_counter()
        candidates = self._candidates("embeddings", model)
        held = self._admit(caller, sum(cl.estimate_tokens(t) for t in texts))
        errors: list[tuple[str, LLMError]] = []
        blocked: BlockedByPolicy | None = None
        for p, model_name in candidates:
            try:
                vectors, usage, egress = self._embed_one(p, model_name, list(texts))
            except BlockedByPolicy as exc:
                blocked = exc
                continue
            except LLMError as exc:
                errors.append((p.name, exc))
                continue
            self._finish(
                caller,
                kind="embeddings",
                purpose=purpose,
                provider=p.name,
                model=model_name,
                usage=usage,
                started=started,
                masked=egress.counts,
                policy=egress.policy,
                reservation=held,
            )
            return vectors
        raise self._fail(caller, "embeddings", purpose, started, errors, blocked, held)

    async def aembed(
        self,
        texts: list[str],
        *,
        user: User | Caller | None = None,
        purpose: str = "embeddings",
        model: str | None = None,
    ) -> list[list[float]]:
        caller = Caller.of(user)
        return await anyio.to_thread.run_sync(
            lambda: self.embed(texts, user=caller, purpose=purpose, model=model)
        )

    # ---- images ---------------------------------------------------------------------------------
    def generate_image(
        self,
        prompt: str,
        *,
        user: User | Caller | None = None,
        purpose: str = "image",
        size: str = "1024x1024",
        n: int = 1,
    ) -> ImageResult:
        """Generate images (성동GPT 이미지 생성); the prompt passes the same egress policy."""
        caller, started = Caller.of(user), time.perf_counter()
        candidates = self._candidates("images", None)
        held = self._admit(caller, cl.estimate_tokens(prompt))
        errors: list[tuple[str, LLMError]] = []
        blocked: BlockedByPolicy | None = None
        for p, model_name in candidates:
            try:
                egress = mask_texts([prompt], p, self._masking_policy)
                resp = cl.call_with_retries(
                    p,
                    lambda c, e=egress, m=model_name: c.images.generate(
                        model=m, prompt=e.messages[0]["content"], n=n, size=size, response_format="b64_json"
                    ),  # type: ignore[arg-type]
                    base=self.retry_base_delay,
                    cap=self.retry_max_delay,
                )
                images = [base64.b64decode(d.b64_json) for d in (resp.data or []) if d.b64_json]
                if not images:
                    raise LLMError(f"모델 서버 '{p.name}'가 이미지를 보내지 않았습니다.")
            except BlockedByPolicy as exc:
                blocked = exc
                continue
            except LLMError as exc:
                errors.append((p.name, exc))
                continue
            pt = cl.estimate_tokens(prompt)
            self._finish(
                caller,
                kind="images",
                purpose=purpose,
                provider=p.name,
                model=model_name,
                usage=Usage(pt, 0, pt, estimated=True),
                started=started,
                masked=egress.counts,
                policy=egress.policy,
                reservation=held,
            )
            return ImageResult(images=images, provider=p.name, model=model_name, masked_counts=egress.counts)
        raise self._fail(caller, "images", purpose, started, errors, blocked, held)

    def analyze_image(
        self,
        image: bytes,
        question: str,
        *,
        user: User | Caller | None = None,
        purpose: str = "image-analysis",
        max_tokens: int | None = None,
    ) -> ChatResult:
        """Ask a vision model about an image (PNG/JPEG/GIF/WebP, ≤10MB); the question is masked as usual."""
        mime = sniff_image(image)
        url = f"data:{mime};base64,{base64.b64encode(image).decode('ascii')}"
        messages = [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": question or "이 이미지를 설명해 주세요."},
                    {"type": "image_url", "image_url": {"url": url}},
                ],
            }
        ]
        return self.chat(messages, user=user, purpose=purpose, max_tokens=max_tokens, capability="vision")

    # ---- administration -------------------------------------------------------------------------
    def test_provider(self, name: str) -> dict[str, Any]:
        """Ask one provider for a tiny completion (and embedding); returns what worked and how fast."""
        p = next((c for c in self.providers() if c.name == name), None)
        if p is None:
            with self.db.session() as s:
                from guai.llm.providers import ProviderConfig as PC
                from guai.llm.providers import get_provider

                p = PC.from_row(get_provider(s, name))
        report: dict[str, Any] = {"provider": p.name, "base_url": p.base_url}
        checks: list[tuple[str, Callable[[Any], Any]]] = []
        if p.chat_model:
            checks.append(
                (
                    "chat",
                    lambda c: c.chat.completions.create(
                        model=p.chat_model,
                        messages=[{"role": "user", "content": "안녕하세요. '확인'이라고만 답해 주세요."}],
                        max_tokens=8,
                    ),
                )
            )
        if p.embedding_model:
            checks.append(
                ("embeddings", lambda c: c.embeddings.create(model=p.embedding_model, input=["확인"]))
            )
        for label, fn in checks:
            t0 = time.perf_counter()
            try:
                cl.call_with_retries(p, fn, base=self.retry_base_delay, cap=self.retry_max_delay)
                report[label] = {"ok": True, "ms": round((time.perf_counter() - t0) * 1000, 1)}
            except LLMError as exc:
                report[label] = {"ok": False, "error": str(exc)}
        report["ok"] = bool(checks) and all(report[k]["ok"] for k, _ in checks)
        return report


__all__ = ["Gateway", "get_gateway", "providers_changed", "sniff_image"]

_gateways: weakref.WeakKeyDictionary[Database, Gateway] = weakref.WeakKeyDictionary()
_gw_lock = threading.Lock()


def get_gateway(db: Database) -> Gateway:
    """The process's gateway for this database (created on first use; no I/O until a call)."""
    with _gw_lock:
        gw = _gateways.get(db)
        if gw is None:
            gw = Gateway(db)
            _gateways[db] = gw
        return gw
