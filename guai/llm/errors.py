"""Gateway errors; every message is Korean and says what the user can do."""

from __future__ import annotations


class LLMError(Exception):
    """A model call failed (provider down, bad reply). The message is safe to show to staff."""

    status_code = 502
    code = "provider_error"


class NoProviderError(LLMError):
    """No model provider is configured (or none for the requested capability)."""

    status_code = 503
    code = "no_provider"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "연결된 AI 모델이 없습니다. 관리자가 모델 서버를 등록하면 쓸 수 있습니다 "
            "(민원 분석, 법령 검색, 요약 같은 내장 기능은 모델 없이도 그대로 쓸 수 있습니다)."
        )


class QuotaExceeded(LLMError):
    """A user or department quota for the day or month is used up."""

    status_code = 429
    code = "quota_exceeded"


class BlockedByPolicy(LLMError):
    """The provider's egress policy is `block` and the text contains personal data."""

    status_code = 400
    code = "blocked_by_policy"

    def __init__(self, message: str, counts: dict[str, int] | None = None) -> None:
        super().__init__(message)
        self.counts = dict(counts or {})


class ProviderConfigError(LLMError):
    """Provider settings are invalid (bad URL, missing key variable, unknown policy)."""

    status_code = 400
    code = "invalid_provider"


class ModelNotFound(LLMError):
    """The requested model name is not offered by any provider."""

    status_code = 404
    code = "model_not_found"
