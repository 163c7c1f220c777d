"""The Korean analysis this package uses (guai.korean), gathered in one place so every module tokenises alike."""

from __future__ import annotations

from collections.abc import Sequence

try:  # the public API of guai.korean
    from guai.korean import normalize, split_sentences, tokens, tokens_batch
except ImportError:  # pragma: no cover - while guai.korean's package exports are being assembled
    from guai.korean.analyzer import split_sentences, tokens, tokens_batch
    from guai.korean.normalize import normalize

__all__ = ["normalize", "query_synonyms", "split_sentences", "tokens", "tokens_batch", "tokens_many"]


def tokens_many(texts: Sequence[str]) -> list[list[str]]:
    """Search tokens for many texts (Kiwi's multi-threaded batch API)."""
    if not texts:
        return []
    return tokens_batch(list(texts))


def query_synonyms(query_tokens: list[str]) -> list[str]:
    """Extra tokens from guai.korean's shared synonym groups (spacing/abbreviation variants), when available."""
    try:
        from guai.korean import expand_query_tokens
    except ImportError:
        return []
    try:
        expanded = list(expand_query_tokens(query_tokens))
    except (TypeError, ValueError):
        return []
    seen = set(query_tokens)
    return [t for t in expanded if isinstance(t, str) and t not in seen]
