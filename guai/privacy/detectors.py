"""Find personal data in Korean text: `detect(text)` returns typed, non-overlapping spans.

All detectors run on a same-length ASCII-folded copy of the text (full-width digits, odd dashes), every
detector always runs so that a phone number is never re-read as an account number just because phones are
switched off, and overlapping claims are settled by priority (e-mail > 주민번호 > 카드 > 전화 > 계좌 > 차량 >
주소 > 이름), then by length. Claims marked public (대표번호, configured department numbers) win their text
but are not reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator

from guai.privacy._common import Candidate, fold
from guai.privacy.addresses import detect_address
from guai.privacy.names import detect_name
from guai.privacy.numbers import (
    detect_account,
    detect_card,
    detect_email,
    detect_phone,
    detect_rrn,
    detect_vehicle,
)
from guai.privacy.policy import MaskingPolicy
from guai.privacy.types import PiiType, Span

__all__ = ["DEFAULT_POLICY", "detect"]

DEFAULT_POLICY = MaskingPolicy()

_Detector = Callable[[str, MaskingPolicy], Iterator[Candidate]]

# (detector, types it reports, fast pre-check: skip the detector when the text cannot hold a match)
_DIGIT = re.compile(r"[0-9]")
_DETECTORS: tuple[tuple[_Detector, frozenset[PiiType], re.Pattern[str] | None], ...] = (
    (detect_email, frozenset({PiiType.EMAIL}), None),
    (detect_rrn, frozenset({PiiType.RRN, PiiType.FOREIGNER_RRN}), _DIGIT),
    (detect_card, frozenset({PiiType.CARD}), _DIGIT),
    (detect_phone, frozenset({PiiType.PHONE}), _DIGIT),
    (detect_account, frozenset({PiiType.ACCOUNT}), _DIGIT),
    (detect_vehicle, frozenset({PiiType.VEHICLE}), _DIGIT),
    (detect_address, frozenset({PiiType.ADDRESS}), _DIGIT),
    (detect_name, frozenset({PiiType.NAME}), None),
)

# A 동/호 unit right after a road or lot address is part of it ("왕십리로 123, 101동 1203호").
_ADDRESS_GLUE = re.compile(r"[\s,]{0,2}")


def _resolve(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep the best claim where claims overlap: lower priority number first, then longer."""
    ordered = sorted(candidates, key=lambda c: (c.priority, -(c.end - c.start), c.start))
    starts: list[int] = []  # kept claims, sorted by start; they never overlap each other
    ends: list[int] = []
    kept: list[Candidate] = []
    for c in ordered:
        i = bisect.bisect_left(starts, c.end)  # claims starting before c ends: only the last can reach into c
        if i and ends[i - 1] > c.start:
            continue
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    return kept


def _merge_addresses(text: str, spans: list[Candidate]) -> list[Candidate]:
    merged: list[Candidate] = []
    for c in spans:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.type is PiiType.ADDRESS
            and c.type is PiiType.ADDRESS
            and c.joins
            and prev.masked
            and c.masked
            and _ADDRESS_GLUE.fullmatch(text, prev.end, c.start)
        ):
            merged[-1] = Candidate(PiiType.ADDRESS, prev.start, c.end, prev.priority)
            continue
        merged.append(c)
    return merged


def detect(
    text: str,
    *,
    types: Iterable[str | PiiType] | str | None = None,
    policy: MaskingPolicy | None = None,
) -> list[Span]:
    """Personal data in `text` as spans sorted by start; `types` narrows the policy's types."""
    policy = (policy or DEFAULT_POLICY).with_types(types)
    if not text or not policy.types:
        return []
    folded = fold(text)
    candidates: list[Candidate] = []
    # Detectors after the last wanted one cannot change the outcome (claims are settled by this order).
    last = max(i for i, (_, reports, _) in enumerate(_DETECTORS) if reports & policy.types)
    for detector, _reports, precheck in _DETECTORS[: last + 1]:
        if precheck is not None and precheck.search(folded) is None:
            continue
        candidates.extend(detector(folded, policy))
    resolved = _merge_addresses(folded, _resolve(candidates))
    return [
        Span(c.type, c.start, c.end, text[c.start : c.end])
        for c in resolved
        if c.masked and c.type in policy.types
    ]
