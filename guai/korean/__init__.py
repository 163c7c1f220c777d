"""Shared Korean analysis for every guai feature: normalisation, Kiwi tokens, sentences, synonyms.

Importing this package does no I/O: Kiwi and the vocabulary files load on first use, once per process.
"""

from __future__ import annotations

from guai.korean.analyzer import (
    Morpheme,
    Sentence,
    analyze,
    get_kiwi,
    space_text,
    split_sentences,
    tokens,
    tokens_batch,
)
from guai.korean.normalize import normalize
from guai.korean.synonyms import (
    SynonymGroup,
    all_groups,
    canonical,
    canonicalize_tokens,
    expand_query_tokens,
)
from guai.korean.synonyms import group as synonym_group

__all__ = [
    "Morpheme",
    "Sentence",
    "SynonymGroup",
    "all_groups",
    "analyze",
    "canonical",
    "canonicalize_tokens",
    "expand_query_tokens",
    "get_kiwi",
    "normalize",
    "space_text",
    "split_sentences",
    "synonym_group",
    "tokens",
    "tokens_batch",
]
