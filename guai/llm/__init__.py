"""Model gateway: OpenAI-compatible providers with fallback, egress masking, quotas, usage and audit.

from guai.llm import get_gateway, NoProviderError
gw = get_gateway(db)
if gw.available("chat"):
    result = gw.chat([{"role": "user", "content": "..."}], user=user, purpose="documents.draft")
"""

from guai.llm.errors import (
    BlockedByPolicy,
    LLMError,
    ModelNotFound,
    NoProviderError,
    ProviderConfigError,
    QuotaExceeded,
)
from guai.llm.gateway import Gateway, get_gateway, providers_changed, sniff_image
from guai.llm.streams import AsyncChatStream, ChatStream
from guai.llm.types import ChatResult, ImageResult, ToolCall, Usage
from guai.llm.usage import Caller

__all__ = [
    "AsyncChatStream",
    "BlockedByPolicy",
    "Caller",
    "ChatResult",
    "ChatStream",
    "Gateway",
    "ImageResult",
    "LLMError",
    "ModelNotFound",
    "NoProviderError",
    "ProviderConfigError",
    "QuotaExceeded",
    "ToolCall",
    "Usage",
    "get_gateway",
    "providers_changed",
    "sniff_image",
]
