"""Synthetic personal data in realistic Korean sentences, for recall measurements (fixed seed, no real people).

Every generated identifier is made up: resident numbers have valid dates but random serials, card numbers are
Luhn-valid random digits, names are random surname + given-name syllables.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from guai.privacy import PiiType, luhn_ok


@dataclass(frozen=True)
class Sample:
    """A sentence holding exactly one identifier: `sentence[start:start+len(value)] == value`."""

    type: PiiType
    sentence: str
    value: str
    start: int


def _fill(template: str, value: str, pii_type: PiiType, **extra: str) -> Sample:
    before, after = template.split("{v}")
    before = before.format(**extra)
    after = after.format(**extra)
    return Sample(pii_type, before + value + after, value, len(before))


# --- 주민/외국인등록번호 ---------------------------------------------------------------------------------------

_RRN_TEMPLATES = (
    "신청인 주민등록번호 {v}를 확인했습니다.",
    "주민번호: {v}",
    "본인 확인을 위해 주민등록번호({v})를 기재해 주십시오.",
    "민원인 김○○, 주민등록번호 {v}, 주소지 성동구",
    "주민등록번호는 {v}입니다.",
    "세대원 주민번호 {v} 확인 바랍니다",
)
_FOREIGNER_TEMPLATES = (
    "외국인등록번호 {v}로 체류지 변경 신고가 접수되었습니다.",
    "외국인 등록번호: {v}",
    "신청인(외국인등록번호 {v})의 서류를 보완해 주세요.",
)


def _birth(rng: random.Random, foreigner: bool) -> tuple[str, str]:
    year = rng.randint(1940, 2024)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    male = rng.random() < 0.5
    if year < 2000:
        gender = ("5" if male else "6") if foreigner else ("1" if male else "2")
    else:
        gender = ("7" if male else "8") if foreigner else ("3" if male else "4")
    return f"{year % 100:02d}{month:02d}{day:02d}", gender


def rrn(rng: random.Random, *, foreigner: bool = False) -> Sample:
    birth, gender = _birth(rng, foreigner)
    serial = "".join(rng.choice("0123456789") for _ in range(6))
    style = rng.random()
    if style < 0.7:
        value = f"{birth}-{gender}{serial}"
    elif style < 0.8:
        value = f"{birth} {gender}{serial}"
    elif style < 0.9:
        value = f"{birth} - {gender}{serial}"
    else:
        value = f"{birth}{gender}{serial}"  # bare: every template carries a keyword
    kind = PiiType.FOREIGNER_RRN if foreigner else PiiType.RRN
    return _fill(rng.choice(_FOREIGNER_TEMPLATES if foreigner else _RRN_TEMPLATES), value, kind)


# --- 전화번호 ----------------------------------------------------------------------------------------------

_PHONE_TEMPLATES = (
    "제 연락처는 {v}입니다.",
    "{v}로 연락 주시면 현장을 안내해 드리겠습니다.",
    "민원인 휴대전화 {v} (평일 오후 통화 가능)",
    "문의: 교통행정과 {v}",
    "연락 가능한 번호 {v} 남깁니다. 확인 부탁드립니다.",
    "집 전화({v})로 연락이 되지 않으면 문자 주세요.",
    "담당 주무관 연락처 {v}, 팩스 없음",
    "위 사항에 대해 궁금하신 점은 {v}로 전화 주시기 바랍니다.",
)
_AREAS = (
    "02",
    "031",
    "032",
    "033",
    "041",
    "042",
    "043",
    "044",
    "051",
    "052",
    "053",
    "054",
    "055",
    "061",
    "062",
    "063",
    "064",
)


def _digits(rng: random.Random, n: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def phone(rng: random.Random) -> Sample:
    kind = rng.random()
    if kind < 0.55:
        prefix = rng.choice(("010", "010", "010", "011", "016", "017", "019"))
        mid = _digits(rng, 4 if prefix == "010" else rng.choice((3, 4)))
        last = _digits(rng, 4, "0123456789")
        sep = rng.choice(("-", "-", "-", " ", ".", ""))
        value = f"{prefix}{sep}{mid}{sep}{last}"
        if rng.random() < 0.08:
            value = f"+82 {prefix[1:]}-{mid}-{last}"
    elif kind < 0.9:
        area = rng.choice(_AREAS)
        mid = _digits(rng, rng.choice((3, 4)) if area != "02" else rng.choice((3, 4)))
        last = _digits(rng, 4, "0123456789")
        value = rng.choice(
            (f"{area}-{mid}-{last}", f"{area}-{mid}-{last}", f"({area}) {mid}-{last}", f"{area}.{mid}.{last}")
        )
    else:
        prefix = rng.choice(("070", "0505", "0507"))
        value = f"{prefix}-{_digits(rng, rng.choice((3, 4)))}-{_digits(rng, 4, '0123456789')}"
    return _fill(rng.choice(_PHONE_TEMPLATES), value, PiiType.PHONE)


# --- 이메일 ------------------------------------------------------------------------------------------------

_EMAIL_TEMPLATES = (
    "회신은 {v}로 보내 주세요.",
    "이메일: {v}",
    "자료를 {v} 주소로 송부하였습니다.",
    "담당자 메일({v})로 문의 바랍니다.",
    "제 이메일 주소는 {v}입니다",
)
_LOCAL_PARTS = (
    "hong",
    "minwon",
    "kim.cs",
    "lee_yh",
    "jung-haneul",
    "park2024",
    "choi.jiwoo",
    "seoul.citizen",
    "gu_office",
    "test.user+notice",
)
_DOMAINS = (
    "naver.com",
    "gmail.com",
    "daum.net",
    "hanmail.net",
    "korea.kr",
    "sd.go.kr",
    "example.co.kr",
    "kakao.com",
    "nate.com",
)


def email(rng: random.Random) -> Sample:
    local = rng.choice(_LOCAL_PARTS) + (str(rng.randint(1, 999)) if rng.random() < 0.5 else "")
    return _fill(rng.choice(_EMAIL_TEMPLATES), f"{local}@{rng.choice(_DOMAINS)}", PiiType.EMAIL)


# --- 계좌번호 ----------------------------------------------------------------------------------------------

_BANKS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("국민은행", (6, 2, 6)), ("신한은행", (3, 3, 6)), ("우리은행", (4, 3, 6)), ("하나은행", (3, 6, 5)),
    ("IBK기업은행", (3, 6, 2, 3)), ("농협", (3, 4, 4, 2)), ("카카오뱅크", (4, 2, 7)), ("SC제일은행", (3, 2, 6)),
    ("우체국", (6, 2, 6)), ("새마을금고", (4, 4, 4, 1)), ("토스뱅크", (4, 4, 4)),
)  # fmt: skip
_ACCOUNT_TEMPLATES = (
    "환불 받을 계좌는 {bank} {v}입니다.",
    "{bank} {v} (예금주 본인)으로 입금해 주세요.",
    "계좌번호: {v} ({bank})",
    "보조금은 {bank} {v}로 이체될 예정입니다.",
    "과오납금 환급 계좌 {bank} {v}",
)


def account(rng: random.Random) -> Sample:
    bank, shape = rng.choice(_BANKS)
    groups = [_digits(rng, n, "0123456789") for n in shape]
    value = "-".join(groups) if rng.random() < 0.8 else "".join(groups)
    return _fill(rng.choice(_ACCOUNT_TEMPLATES), value, PiiType.ACCOUNT, bank=bank)


# --- 카드번호 ----------------------------------------------------------------------------------------------

_CARD_TEMPLATES = (
    "결제 카드번호 {v}로 수수료가 승인되었습니다.",
    "카드번호: {v}",
    "신용카드({v}) 결제 취소를 요청합니다.",
    "{v} 카드로 납부했는데 영수증이 오지 않았습니다.",
)


def card(rng: random.Random) -> Sample:
    while True:
        digits = rng.choice("3456") + "".join(rng.choice("0123456789") for _ in range(15))
        if luhn_ok(digits):
            break
    sep = rng.choice(("-", "-", " ", ""))
    value = sep.join(digits[i : i + 4] for i in range(0, 16, 4))
    return _fill(rng.choice(_CARD_TEMPLATES), value, PiiType.CARD)


# --- 차량번호 ----------------------------------------------------------------------------------------------

_PLATE_LETTERS = "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주아바사자배하허호"
_REGIONS = ("서울", "부산", "경기", "인천", "대구", "충남", "전북", "경남")
_VEHICLE_TEMPLATES = (
    "{v} 차량이 사흘째 소방차 전용구역에 주차되어 있습니다.",
    "차량번호 {v} 불법 주정차 신고합니다.",
    "어제 저녁 {v} 승용차가 인도에 올라와 있었습니다.",
    "견인된 차량({v})의 보관소 위치를 알려 주세요.",
    "{v}, 흰색 화물차, 장기 방치 차량으로 보입니다.",
)


def vehicle(rng: random.Random) -> Sample:
    num = _digits(rng, rng.choice((2, 3)), "123456789")
    letter = rng.choice(_PLATE_LETTERS)
    serial = _digits(rng, 4, "123456789")
    style = rng.random()
    if style < 0.5:
        value = f"{num}{letter}{serial}"
    elif style < 0.75:
        value = f"{num}{letter} {serial}"
    else:
        value = f"{rng.choice(_REGIONS)}{rng.choice(('', ' '))}{num[:2]}{letter}{serial}"
    return _fill(rng.choice(_VEHICLE_TEMPLATES), value, PiiType.VEHICLE)


# --- 주소 (road and lot parts that are masked) ----------------------------------------------------------------

_ROADS = (
    "왕십리로",
    "고산자로",
    "성수일로",
    "뚝섬로",
    "아차산로",
    "마장로",
    "천호대로",
    "동일로",
    "무학로",
    "독서당로",
    "청계천로",
    "서해대로",
    "참외전로",
    "율목로",
)
_DONGS = (
    "성수동1가",
    "성수동2가",
    "행당동",
    "응봉동",
    "마장동",
    "사근동",
    "송정동",
    "용답동",
    "금호동4가",
    "운남동",
)
_ADDRESS_TEMPLATES = (
    "서울특별시 성동구 {v} 앞 도로에 싱크홀이 생겼습니다.",
    "주소: 성동구 {v}",
    "{v}에 거주하는 주민입니다.",
    "민원 발생 장소는 {v} (상가 건물 뒤편)입니다.",
)


def address(rng: random.Random) -> Sample:
    style = rng.random()
    if style < 0.35:
        value = f"{rng.choice(_ROADS)} {rng.randint(1, 400)}"
    elif style < 0.55:
        value = f"{rng.choice(_ROADS)}{rng.randint(1, 30)}길 {rng.randint(1, 99)}"
    elif style < 0.7:
        value = f"{rng.choice(_ROADS)} {rng.randint(1, 400)}-{rng.randint(1, 30)}"
    else:
        lot = (
            f"{rng.randint(1, 999)}-{rng.randint(1, 99)}"
            if rng.random() < 0.6
            else f"{rng.randint(1, 999)}번지"
        )
        dong = rng.choice(_DONGS)
        sample = _fill(rng.choice(_ADDRESS_TEMPLATES), f"{dong} {lot}", PiiType.ADDRESS)
        return Sample(PiiType.ADDRESS, sample.sentence, lot, sample.start + len(dong) + 1)
    return _fill(rng.choice(_ADDRESS_TEMPLATES), value, PiiType.ADDRESS)


# --- 이름 -------------------------------------------------------------------------------------------------

_SURNAMES = "김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구"
_GIVEN = (
    "민준", "서연", "지우", "하은", "도윤", "서준", "예린", "지호", "수빈", "현우", "지민", "은서", "준혁", "영희", "철수",
    "순자", "정숙", "상훈", "미경", "성민", "혜진", "동현", "유진", "태희", "하늘", "재원", "승현", "소영", "민호", "지훈",
)  # fmt: skip
_NAME_TEMPLATES = (
    "{v} 님께서 요청하신 자료를 보내 드립니다.",
    "민원인 {v}의 신청서를 접수했습니다.",
    "담당자: {v}",
    "{v} 주무관에게 인계하였습니다.",
    "{v} 씨가 오전에 방문했습니다.",
    "성명: {v}",
    "신청인 {v}는 서류를 보완하였습니다.",
    "{v}님, 안녕하세요.",
    "{v} 팀장님 결재 바랍니다.",
    "[작성자] : {v}",
)


def name(rng: random.Random) -> Sample:
    value = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
    return _fill(rng.choice(_NAME_TEMPLATES), value, PiiType.NAME)


STRUCTURED = {
    PiiType.RRN: rrn,
    PiiType.FOREIGNER_RRN: lambda rng: rrn(rng, foreigner=True),
    PiiType.PHONE: phone,
    PiiType.EMAIL: email,
    PiiType.ACCOUNT: account,
    PiiType.CARD: card,
    PiiType.VEHICLE: vehicle,
}
PATTERNED = {PiiType.ADDRESS: address, PiiType.NAME: name}


def generate(kinds: dict, per_type: int, seed: int = 20251125) -> list[Sample]:  # type: ignore[type-arg]
    """`per_type` samples of each generator in `kinds`, reproducible for a seed."""
    rng = random.Random(seed)
    return [make(rng) for make in kinds.values() for _ in range(per_type)]
