"""Personal-data detection and masking for text that leaves guai (model calls, exports, logs).

    >>> from guai.privacy import mask
    >>> result = mask("김철수 주무관(010-1234-5678)에게 연락 주세요")
    >>> result.text
    '[이름1] 주무관([전화1])에게 연락 주세요'
    >>> result.restore("[이름1] 주무관께 [전화1]로 안내하겠습니다")
    '김철수 주무관께 010-1234-5678로 안내하겠습니다'

Detection is rule-based (precompiled patterns, a surname list and context cues) and needs no model.
"""

from guai.privacy.detectors import DEFAULT_POLICY, detect
from guai.privacy.masking import Masker, MaskResult, mask, mask_text, placeholder, restore
from guai.privacy.numbers import luhn_ok
from guai.privacy.policy import ALL_TYPES, MaskingPolicy, parse_types, summarise_counts
from guai.privacy.types import MaskedSpan, PiiType, Span

__all__ = [
    "ALL_TYPES",
    "DEFAULT_POLICY",
    "MaskResult",
    "MaskedSpan",
    "Masker",
    "MaskingPolicy",
    "PiiType",
    "Span",
    "detect",
    "luhn_ok",
    "mask",
    "mask_text",
    "parse_types",
    "placeholder",
    "restore",
    "summarise_counts",
]
