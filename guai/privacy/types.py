"""Personal-data types, their Korean names and placeholder tags, and the detected span."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class PiiType(StrEnum):
    """A kind of personal data; the value is the Korean name shown to users and stored in settings."""

    RRN = "주민등록번호"
    FOREIGNER_RRN = "외국인등록번호"
    PHONE = "전화번호"
    EMAIL = "이메일"
    ACCOUNT = "계좌번호"
    CARD = "카드번호"
    VEHICLE = "차량번호"
    ADDRESS = "주소"
    NAME = "이름"

    @property
    def tag(self) -> str:
        """Short label used inside placeholders and summaries (`[전화]`, "전화 2건")."""
        return _TAGS[self]

    @classmethod
    def parse(cls, value: str | PiiType) -> PiiType:
        """Accept the Korean name, the short tag or an English alias ("phone"); raise ValueError otherwise."""
        if isinstance(value, PiiType):
            return value
        key = value.strip().strip("[]").strip()
        found = _ALIASES.get(key) or _ALIASES.get(key.lower())
        if found is None:
            known = ", ".join(t.value for t in cls)
            raise ValueError(f"알 수 없는 개인정보 유형입니다: {value!r} (사용 가능: {known})")
        return found


_TAGS: dict[PiiType, str] = {
    PiiType.RRN: "주민번호",
    PiiType.FOREIGNER_RRN: "외국인번호",
    PiiType.PHONE: "전화",
    PiiType.EMAIL: "이메일",
    PiiType.ACCOUNT: "계좌",
    PiiType.CARD: "카드",
    PiiType.VEHICLE: "차량번호",
    PiiType.ADDRESS: "주소",
    PiiType.NAME: "이름",
}

_ENGLISH: dict[PiiType, tuple[str, ...]] = {
    PiiType.RRN: ("rrn", "resident", "resident_id"),
    PiiType.FOREIGNER_RRN: ("foreigner", "foreigner_id", "arc"),
    PiiType.PHONE: ("phone", "tel", "전화"),
    PiiType.EMAIL: ("email", "e-mail", "mail"),
    PiiType.ACCOUNT: ("account", "bank_account", "계좌"),
    PiiType.CARD: ("card", "credit_card", "카드"),
    PiiType.VEHICLE: ("vehicle", "plate", "car"),
    PiiType.ADDRESS: ("address", "addr"),
    PiiType.NAME: ("name", "person", "성명"),
}

_ALIASES: dict[str, PiiType] = {}
for _t in PiiType:
    _ALIASES[_t.value] = _t
    _ALIASES[_TAGS[_t]] = _t
    for _alias in _ENGLISH[_t]:
        _ALIASES[_alias] = _t
del _t, _alias

#: Canonical order for summaries and listings (most sensitive first).
TYPE_ORDER: tuple[PiiType, ...] = tuple(PiiType)

#: Tag -> type, for parsing placeholders back.
TYPE_BY_TAG: dict[str, PiiType] = {_TAGS[t]: t for t in PiiType}


@dataclass(frozen=True, slots=True)
class Span:
    """One piece of personal data: `text[start:end] == value` in the text it was found in."""

    type: PiiType
    start: int
    end: int
    value: str

    def to_dict(self, *, include_value: bool = False) -> dict[str, Any]:
        """JSON-ready form; the original value only when explicitly asked for."""
        data: dict[str, Any] = {"type": self.type.value, "start": self.start, "end": self.end}
        if include_value:
            data["value"] = self.value
        return data


@dataclass(frozen=True, slots=True)
class MaskedSpan(Span):
    """A span together with the placeholder that replaced it in the masked text."""

    placeholder: str

    def to_dict(self, *, include_value: bool = False) -> dict[str, Any]:
        data = Span.to_dict(self, include_value=include_value)
        data["placeholder"] = self.placeholder
        return data
