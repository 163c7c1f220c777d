"""Replace personal data by placeholders, and put the originals back into a model's reply.

Reversible masking numbers placeholders per type in order of appearance (`[전화1]`, `[전화2]`, `[이름1]`); the
same value gets the same placeholder everywhere in one text, also when it is written differently
("010-1234-5678" and "01012345678"). Irreversible masking writes the bare type (`[전화]`), the form used in
the shared data sets. `restore` tolerates what models do to placeholders: full-width brackets, spaces inside
("[ 전화 1 ]"), the long type name ("[전화번호1]"), repeats, and dropping them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from guai.privacy.detectors import DEFAULT_POLICY, detect
from guai.privacy.policy import MaskingPolicy, summarise_counts
from guai.privacy.types import TYPE_BY_TAG, TYPE_ORDER, MaskedSpan, PiiType, Span

__all__ = ["MaskResult", "Masker", "mask", "mask_text", "placeholder", "restore"]

# Placeholder labels: short tags and full type names, as models sometimes write "[전화번호1]" for "[전화1]".
_LABELS: dict[str, PiiType] = {**TYPE_BY_TAG, **{t.value: t for t in PiiType}}
_LABEL_RE = "|".join(sorted(map(re.escape, _LABELS), key=len, reverse=True))
_PLACEHOLDER = re.compile(rf"[\[［【]\s*(?P<label>{_LABEL_RE})\s*(?P<n>\d+)?\s*[\]］】]")
_CANONICAL = re.compile(rf"\[(?P<label>{_LABEL_RE})(?P<n>\d+)\]")

_NUMERIC = frozenset({PiiType.RRN, PiiType.FOREIGNER_RRN, PiiType.PHONE, PiiType.ACCOUNT, PiiType.CARD})
_NON_DIGITS = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")


def placeholder(pii_type: PiiType, number: int | None = None) -> str:
    """`[전화1]` (reversible) or `[전화]` (irreversible)."""
    return f"[{pii_type.tag}{number if number is not None else ''}]"


def _identity(span: Span) -> str:
    """What makes two spans the same value, whatever the spelling."""
    if span.type in _NUMERIC:
        digits = _NON_DIGITS.sub("", span.value)
        if span.type is PiiType.PHONE and digits.startswith("82"):
            digits = "0" + digits[2:].removeprefix("0")
        return digits or span.value
    if span.type is PiiType.EMAIL:
        return span.value.lower()
    return _SPACES.sub("", span.value)


@dataclass(frozen=True)
class MaskResult:
    """Masked text, the spans it replaced (offsets into the original), placeholder -> original, counts."""

    text: str
    spans: tuple[MaskedSpan, ...]
    mapping: dict[str, str]
    counts: dict[PiiType, int]

    @property
    def found(self) -> bool:
        return bool(self.spans)

    def summary(self, *, empty: str = "없음") -> str:
        """Korean one-line summary, e.g. "전화 2건, 이메일 1건"."""
        return summarise_counts(self.counts, empty=empty)

    def restore(self, reply: str) -> str:
        """Put the originals back into a reply written from the masked text."""
        return restore(reply, self.mapping)

    def to_dict(self, *, include_values: bool = False) -> dict[str, Any]:
        """JSON-ready form; originals (spans' values and the mapping) only when asked for."""
        data: dict[str, Any] = {
            "text": self.text,
            "spans": [s.to_dict(include_value=include_values) for s in self.spans],
            "counts": {t.value: n for t, n in self.counts.items()},
            "summary": self.summary(),
        }
        if include_values:
            data["mapping"] = dict(self.mapping)
        return data


class Masker:
    """Masks several texts with one numbering, e.g. the messages of one conversation sent to a model.

    The same value gets the same placeholder in every text, so a reply that mixes facts from several
    messages can be restored with `restore()` (or `mapping`) at the end.
    """

    def __init__(
        self,
        *,
        types: Iterable[str | PiiType] | str | None = None,
        reversible: bool = True,
        policy: MaskingPolicy | None = None,
    ) -> None:
        self._policy = (policy or DEFAULT_POLICY).with_types(types)
        self._reversible = reversible
        self._tokens: dict[tuple[PiiType, str], str] = {}
        self._last_number: dict[PiiType, int] = {}
        self._mapping: dict[str, str] = {}

    @property
    def mapping(self) -> dict[str, str]:
        """Placeholder -> original for everything masked so far."""
        return dict(self._mapping)

    def _token(self, span: Span, in_text: set[tuple[PiiType, int]]) -> str:
        if not self._reversible:
            return placeholder(span.type)
        key = (span.type, _identity(span))
        token = self._tokens.get(key)
        if token is None:
            n = self._last_number.get(span.type, 0) + 1
            while (span.type, n) in in_text:  # never collide with placeholder-like text already there
                n += 1
            self._last_number[span.type] = n
            token = self._tokens[key] = placeholder(span.type, n)
            self._mapping[token] = span.value
        return token

    def mask(self, text: str) -> MaskResult:
        """Mask one text; its result's mapping holds the placeholders used in this text."""
        counts: dict[PiiType, int] = {}
        masked: list[MaskedSpan] = []
        parts: list[str] = []
        pos = 0
        in_text = {
            (_LABELS[m.group("label")], int(m.group("n")))
            for m in _PLACEHOLDER.finditer(text)
            if m.group("n")
        }
        for span in detect(text, policy=self._policy):
            token = self._token(span, in_text)
            counts[span.type] = counts.get(span.type, 0) + 1
            masked.append(MaskedSpan(span.type, span.start, span.end, span.value, token))
            parts.append(text[pos : span.start])
            parts.append(token)
            pos = span.end
        parts.append(text[pos:])
        mapping = {
            s.placeholder: self._mapping[s.placeholder] for s in masked if s.placeholder in self._mapping
        }
        ordered_counts = {t: counts[t] for t in TYPE_ORDER if t in counts}
        return MaskResult("".join(parts), tuple(masked), mapping, ordered_counts)

    def restore(self, text: str) -> str:
        """Put back everything this masker has masked so far."""
        return restore(text, self._mapping)


def mask(
    text: str,
    *,
    types: Iterable[str | PiiType] | str | None = None,
    reversible: bool = True,
    policy: MaskingPolicy | None = None,
) -> MaskResult:
    """Mask personal data in `text` (all types of `policy`, narrowed by `types`)."""
    return Masker(types=types, reversible=reversible, policy=policy).mask(text)


def mask_text(
    text: str,
    types: Iterable[str | PiiType] | str | None = None,
    *,
    policy: MaskingPolicy | None = None,
) -> str:
    """Irreversibly masked text (`[전화]`, `[이름]`), for exports and logs."""
    return mask(text, types=types, reversible=False, policy=policy).text


def restore(text: str, mapping: Mapping[str, str]) -> str:
    """Replace placeholders in `text` (a model's reply) by the originals in `mapping`.

    Unknown placeholders are left as they are; a placeholder without its number ("[전화]") is restored only
    when exactly one value of that type was masked.
    """
    if not mapping:
        return text
    by_key: dict[tuple[PiiType, int], str] = {}
    by_type: dict[PiiType, list[str]] = {}
    literal: dict[str, str] = {}
    for token, original in mapping.items():
        m = _CANONICAL.fullmatch(token)
        if m is None:
            literal[token] = original
            continue
        pii_type = _LABELS[m.group("label")]
        by_key[(pii_type, int(m.group("n")))] = original
        by_type.setdefault(pii_type, []).append(original)

    def replace(m: re.Match[str]) -> str:
        pii_type = _LABELS[m.group("label")]
        if m.group("n") is not None:
            return by_key.get((pii_type, int(m.group("n"))), m.group(0))
        values = by_type.get(pii_type, [])
        return values[0] if len(values) == 1 else m.group(0)

    restored = _PLACEHOLDER.sub(replace, text)
    for token, original in literal.items():
        restored = restored.replace(token, original)
    return restored
