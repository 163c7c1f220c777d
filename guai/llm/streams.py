"""Streamed chat: accumulate deltas (text, tool calls, usage) and restore masked text piece by piece."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from guai.llm.client import estimate_tokens, message_text
from guai.llm.egress import Egress
from guai.llm.errors import LLMError
from guai.llm.providers import ProviderConfig
from guai.llm.types import ChatResult, ToolCall, Usage


class StreamAccumulator:
    """Feeds OpenAI chat.completion.chunk objects; returns restored text pieces; builds the ChatResult."""

    def __init__(
        self, provider: ProviderConfig, model: str, egress: Egress, fallback_from: str | None
    ) -> None:
        self.provider, self.model, self.egress, self.fallback_from = provider, model, egress, fallback_from
        self.restorer = egress.restorer()
        self.raw: list[str] = []
        self.tool_parts: dict[int, dict[str, str]] = {}
        self.usage: Usage | None = None
        self.finish_reason: str | None = None

    def feed(self, chunk: Any) -> str:
        if getattr(chunk, "usage", None) is not None and chunk.usage:
            u = chunk.usage
            self.usage = Usage(u.prompt_tokens or 0, u.completion_tokens or 0, u.total_tokens or 0)
        if getattr(chunk, "model", None):
            self.model = chunk.model
        out = ""
        for choice in chunk.choices or []:
            delta = choice.delta
            if choice.finish_reason:
                self.finish_reason = choice.finish_reason
            if delta is None:
                continue
            if delta.content:
                self.raw.append(delta.content)
                out += self.restorer.feed(delta.content)
            for tc in delta.tool_calls or []:
                part = self.tool_parts.setdefault(tc.index or 0, {"id": "", "name": "", "arguments": ""})
                if tc.id:
                    part["id"] = tc.id
                if tc.function is not None:
                    if tc.function.name:
                        part["name"] += tc.function.name
                    if tc.function.arguments:
                        part["arguments"] += tc.function.arguments
        return out

    def flush(self) -> str:
        return self.restorer.flush()

    def result(self) -> ChatResult:
        raw_text = "".join(self.raw)
        usage = self.usage
        if usage is None:
            prompt = estimate_tokens(message_text(self.egress.messages))
            completion = estimate_tokens(raw_text)
            usage = Usage(prompt, completion, prompt + completion, estimated=True)
        calls = [
            ToolCall(id=p["id"] or f"call_{i}", name=p["name"], arguments=self.egress.restore(p["arguments"]))
            for i, p in sorted(self.tool_parts.items())
        ]
        return ChatResult(
            text=self.egress.restore(raw_text),
            tool_calls=calls,
            usage=usage,
            provider=self.provider.name,
            model=self.model,
            masked_counts=dict(self.egress.counts),
            finish_reason=self.finish_reason,
            fallback_from=self.fallback_from,
        )


class ChatStream:
    """Iterate for text pieces; `.result` holds the ChatResult (text, tool calls, usage) once the stream ends."""

    def __init__(
        self,
        start: Callable[[], tuple[Iterator[Any], StreamAccumulator]],
        finish: Callable[[StreamAccumulator, BaseException | None], None],
    ) -> None:
        self._start, self._finish = start, finish
        self.result: ChatResult | None = None
        self.provider: str | None = None
        self.model: str | None = None

    def __iter__(self) -> Iterator[str]:
        chunks, acc = self._start()
        self.provider, self.model = acc.provider.name, acc.model
        try:
            for chunk in chunks:
                piece = acc.feed(chunk)
                if piece:
                    yield piece
            tail = acc.flush()
            if tail:
                yield tail
        except GeneratorExit:  # the reader stopped early: still meter what was produced
            self.result = acc.result()
            self._finish(acc, None)
            raise
        except LLMError as exc:
            self._finish(acc, exc)
            raise
        except Exception as exc:  # a stream broken half-way: say so, in Korean, and audit it
            err = LLMError(f"모델 서버 '{acc.provider.name}'의 응답이 도중에 끊겼습니다. 다시 시도하세요.")
            self._finish(acc, err)
            raise err from exc
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        self.result = acc.result()
        self._finish(acc, None)

    def text(self) -> str:
        """Consume the stream and return the whole text."""
        return "".join(self)


class AsyncChatStream:
    """Async twin of ChatStream for the web app (one event loop serves many streams)."""

    def __init__(
        self, start: Callable[[], Any], finish: Callable[[StreamAccumulator, BaseException | None], Any]
    ) -> None:
        self._start, self._finish = start, finish
        self.result: ChatResult | None = None
        self.provider: str | None = None
        self.model: str | None = None

    async def __aiter__(self) -> AsyncIterator[str]:
        chunks, acc = await self._start()
        self.provider, self.model = acc.provider.name, acc.model
        try:
            async for chunk in chunks:
                piece = acc.feed(chunk)
                if piece:
                    yield piece
            tail = acc.flush()
            if tail:
                yield tail
        except GeneratorExit:
            self.result = acc.result()
            await self._finish(acc, None)
            raise
        except LLMError as exc:
            await self._finish(acc, exc)
            raise
        except Exception as exc:
            err = LLMError(f"모델 서버 '{acc.provider.name}'의 응답이 도중에 끊겼습니다. 다시 시도하세요.")
            await self._finish(acc, err)
            raise err from exc
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                await close()
        self.result = acc.result()
        await self._finish(acc, None)
