"""Result types returned by the gateway."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    estimated: bool = False  # True when the provider did not report usage and we counted ourselves


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text, as the OpenAI protocol sends it

    def parsed_arguments(self) -> dict[str, Any]:
        """The arguments as a dict; {} when the model sent something that is not a JSON object."""
        try:
            value = json.loads(self.arguments or "{}")
        except json.JSONDecodeError:
            return {}
        return value if isinstance(value, dict) else {}

    def to_openai(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


@dataclass(frozen=True)
class ChatResult:
    text: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    provider: str = ""
    model: str = ""
    masked_counts: dict[str, int] = field(default_factory=dict)
    finish_reason: str | None = None
    fallback_from: str | None = None  # name of the provider that failed before this one answered


@dataclass(frozen=True)
class ImageResult:
    images: list[bytes]
    provider: str
    model: str
    masked_counts: dict[str, int] = field(default_factory=dict)
