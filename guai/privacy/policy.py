"""Masking policy an administrator can store (which types are on, which phone numbers are public)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guai.privacy.types import TYPE_ORDER, PiiType

__all__ = ["ALL_TYPES", "MaskingPolicy", "parse_types", "summarise_counts"]

ALL_TYPES: frozenset[PiiType] = frozenset(PiiType)

_NON_DIGITS = re.compile(r"\D+")


def parse_types(types: Iterable[str | PiiType] | str | None) -> frozenset[PiiType]:
    """Types from names, tags or aliases; a comma-separated string is accepted; None means all types."""
    if types is None:
        return ALL_TYPES
    if isinstance(types, str):
        types = [part for part in types.split(",") if part.strip()]
    return frozenset(PiiType.parse(t) for t in types)


@dataclass(frozen=True, slots=True)
class MaskingPolicy:
    """What to mask.

    Phone numbers: mobile, landline, 070 and 050x (안심번호) numbers are masked because a landline cannot be
    told apart from a private home number by its shape. Nationwide business numbers (15xx/16xx/18xx-xxxx
    대표번호, 080 수신자부담) belong to companies and institutions, not people, and stay in clear unless
    `mask_business_numbers` is set. Department office numbers are public data (조직도): list the office's
    exchange prefixes (e.g. "02-2286-") in `public_phone_prefixes` so the citizen chatbot can quote them while
    a citizen's own landline is still masked.
    """

    types: frozenset[PiiType] = ALL_TYPES
    public_phone_prefixes: tuple[str, ...] = ()
    mask_business_numbers: bool = False
    _prefix_digits: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", parse_types(self.types))
        prefixes = tuple(self.public_phone_prefixes)
        digits = tuple(d for d in (_NON_DIGITS.sub("", p) for p in prefixes) if d)
        if len(digits) != len(prefixes):
            raise ValueError(
                "public_phone_prefixes에는 숫자가 있는 전화번호 앞자리만 넣을 수 있습니다 (예: 02-2286-)"
            )
        object.__setattr__(self, "public_phone_prefixes", prefixes)
        object.__setattr__(self, "_prefix_digits", digits)

    def enabled(self, pii_type: PiiType) -> bool:
        return pii_type in self.types

    def is_public_phone(self, value: str) -> bool:
        """True when the number starts with a configured public (department) prefix."""
        if not self._prefix_digits:
            return False
        digits = _NON_DIGITS.sub("", value)
        if digits.startswith("82"):
            digits = "0" + digits[2:]
        return digits.startswith(self._prefix_digits)

    def with_types(self, types: Iterable[str | PiiType] | str | None) -> MaskingPolicy:
        """The same policy restricted to the given types (None keeps the policy's own)."""
        if types is None:
            return self
        return MaskingPolicy(
            types=self.types & parse_types(types),
            public_phone_prefixes=self.public_phone_prefixes,
            mask_business_numbers=self.mask_business_numbers,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form for the settings table."""
        return {
            "types": [t.value for t in TYPE_ORDER if t in self.types],
            "public_phone_prefixes": list(self.public_phone_prefixes),
            "mask_business_numbers": self.mask_business_numbers,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MaskingPolicy:
        """Inverse of to_dict; missing keys take defaults, unknown keys or type names raise ValueError."""
        unknown = sorted(set(data) - {"types", "public_phone_prefixes", "mask_business_numbers"})
        if unknown:
            raise ValueError(f"마스킹 정책에 알 수 없는 항목이 있습니다: {', '.join(unknown)}")
        raw_types = data.get("types")
        if isinstance(raw_types, str) or not (raw_types is None or isinstance(raw_types, list | tuple)):
            raise ValueError("마스킹 정책의 types는 유형 이름의 목록이어야 합니다")
        prefixes = data.get("public_phone_prefixes") or []
        if not isinstance(prefixes, list | tuple) or not all(isinstance(p, str) for p in prefixes):
            raise ValueError("마스킹 정책의 public_phone_prefixes는 문자열 목록이어야 합니다")
        business = data.get("mask_business_numbers", False)
        if not isinstance(business, bool):
            raise ValueError("마스킹 정책의 mask_business_numbers는 true/false여야 합니다")
        return cls(
            types=parse_types(raw_types),
            public_phone_prefixes=tuple(prefixes),
            mask_business_numbers=business,
        )


def summarise_counts(counts: Mapping[PiiType, int] | Mapping[str, int], *, empty: str = "없음") -> str:
    """Korean summary for audit and block messages: "전화 2건, 이메일 1건" (canonical type order)."""
    by_type: dict[PiiType, int] = {}
    for key, n in counts.items():
        if n:
            t = PiiType.parse(key)
            by_type[t] = by_type.get(t, 0) + n
    parts = [f"{t.tag} {by_type[t]:,}건" for t in TYPE_ORDER if t in by_type]
    return ", ".join(parts) if parts else empty
