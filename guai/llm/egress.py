"""Egress policy: mask, block or allow personal data before text leaves for a provider; restore replies."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from guai.llm.errors import BlockedByPolicy, LLMError
from guai.llm.providers import ProviderConfig

# Joins all message texts so one masking pass gives one consistent mapping for the whole request
# (the same phone number gets the same placeholder in every message). No personal-data pattern
# spans this line, so splitting afterwards is exact.
_SEP = "\n\u241e\u241e\n"


def _privacy() -> Any:
    try:
        import guai.privacy as privacy
    except ImportError as exc:  # fail closed: without the masker nothing is sent out unmasked
        raise LLMError(
            "개인정보 가림 기능(guai.privacy)을 불러올 수 없어 외부 모델로 보내지 않았습니다. 관리자에게 문의하세요."
        ) from exc
    return privacy


@dataclass
class Egress:
    """What actually leaves: the (possibly masked) messages and how to restore the reply."""

    messages: list[dict[str, Any]]
    mapping: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    policy: str = "allow"

    def restore(self, text: str) -> str:
        if not self.mapping or not text:
            return text
        return _privacy().restore(text, self.mapping)

    def restorer(self) -> StreamRestorer:
        return StreamRestorer(self)


def _text_slots(messages: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str | int | None, str]]:
    """(container, key, text) for every string the provider will read: contents, text parts, tool arguments."""
    slots: list[tuple[dict[str, Any], str | int | None, str]] = []
    for msg in messages:
        content = msg.get("content")
        if isinstance(content, str):
            slots.append((msg, "content", content))
        elif isinstance(content, list):
            for part in content:
                if (
                    isinstance(part, dict)
                    and part.get("type") == "text"
                    and isinstance(part.get("text"), str)
                ):
                    slots.append((part, "text", part["text"]))
        for call in msg.get("tool_calls") or []:
            fn = call.get("function") if isinstance(call, dict) else None
            if isinstance(fn, dict) and isinstance(fn.get("arguments"), str):
                slots.append((fn, "arguments", fn["arguments"]))
    return slots


def describe_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}건" for kind, n in counts.items() if n) or "없음"


def _has_images(messages: list[dict[str, Any]]) -> bool:
    return any(
        isinstance(part, dict) and part.get("type") == "image_url"
        for msg in messages
        if isinstance(msg.get("content"), list)
        for part in msg["content"]
    )


def prepare(messages: list[dict[str, Any]], provider: ProviderConfig, masking_policy: Any = None) -> Egress:
    """Apply the provider's policy to a copy of the messages; raise BlockedByPolicy when it says block.

    `masking_policy` is the administrator's guai.privacy.MaskingPolicy (which kinds of data count); None = defaults.
    """
    if provider.policy == "allow":
        return Egress(messages=messages, policy="allow")
    out = copy.deepcopy(messages)
    slots = _text_slots(out)
    if not slots:
        return Egress(messages=out, policy=provider.policy)
    privacy = _privacy()
    joined = _SEP.join(text for _, _, text in slots)
    result = (
        privacy.mask(joined, policy=masking_policy) if masking_policy is not None else privacy.mask(joined)
    )
    counts = {str(k): int(v) for k, v in dict(result.counts).items() if v}
    if provider.policy == "block":
        if counts:
            raise BlockedByPolicy(
                f"개인정보({describe_counts(counts)})가 들어 있어 외부 모델 '{provider.name}'로 보내지 않았습니다. "
                "개인정보를 지우고 다시 보내 주세요.",
                counts,
            )
        if _has_images(out):
            raise BlockedByPolicy(
                f"이미지는 개인정보를 확인할 수 없어 외부 모델 '{provider.name}'로 보내지 않았습니다 (차단 정책)."
            )
        return Egress(messages=out, policy="block")
    pieces = result.text.split(_SEP)
    if len(pieces) != len(slots):  # should not happen; refuse rather than send a misaligned request
        raise LLMError("개인정보 가림 결과를 메시지와 맞출 수 없어 보내지 않았습니다.")
    for (container, key, _), piece in zip(slots, pieces, strict=True):
        container[key] = piece  # type: ignore[index]
    return Egress(messages=out, mapping=dict(result.mapping), counts=counts, policy="mask")


def mask_texts(texts: list[str], provider: ProviderConfig, masking_policy: Any = None) -> Egress:
    """Policy for embedding inputs: same rules, one mapping (never restored: vectors carry no text)."""
    return prepare([{"role": "user", "content": t} for t in texts], provider, masking_policy)


class StreamRestorer:
    """Restores placeholders in a stream where a placeholder may be split across pieces."""

    def __init__(self, egress: Egress) -> None:
        self.egress = egress
        self.keys = [k for k in egress.mapping if k]
        self.buffer = ""

    def feed(self, piece: str) -> str:
        if not self.keys:
            return piece
        self.buffer += piece
        hold = self._partial_suffix(self.buffer)
        ready, self.buffer = (
            (self.buffer[: len(self.buffer) - hold], self.buffer[len(self.buffer) - hold :])
            if hold
            else (self.buffer, "")
        )
        return self.egress.restore(ready) if ready else ""

    def flush(self) -> str:
        rest, self.buffer = self.buffer, ""
        return self.egress.restore(rest) if rest else ""

    def _partial_suffix(self, text: str) -> int:
        """Length of the longest tail of text that is the start of a placeholder (held back until complete)."""
        longest = 0
        for key in self.keys:
            for n in range(min(len(key) - 1, len(text)), longest, -1):
                if text.endswith(key[:n]):
                    longest = n
                    break
        return longest
