"""Detectors for number-shaped identifiers: 주민/외국인등록번호, 전화, 이메일, 카드, 계좌, 차량번호.

Each detector yields `Candidate`s over a folded (ASCII) copy of the text. Shape alone decides only where the
shape is specific (hyphenated 주민번호, 010 numbers, e-mail); ambiguous shapes (13 bare digits, bare digit
runs, 4-4 numbers without an area code) need a keyword in the same line, so dates, amounts, article numbers
and 민원 receipt numbers (2AA-2405-123456) stay in clear.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Iterator

from guai.privacy._common import NUM_END, NUM_START, Candidate, after, before, unit_follows
from guai.privacy.policy import MaskingPolicy
from guai.privacy.types import PiiType

# Priorities: lower wins when two claims overlap (then the longer one).
P_EMAIL, P_RRN, P_CARD, P_PHONE, P_ACCOUNT, P_VEHICLE = 0, 1, 2, 3, 4, 5

# Words that put a number in a bank context (account numbers, not resident numbers).
_BANK_CONTEXT = re.compile(
    r"은행|뱅크|계좌|통장|예금주|입금|이체|송금|환불|환급|납부|가상계좌|새마을금고|우체국|농협|신협|수협|저축|증권|"
    r"신한|KB|NH|IBK|SC제일|씨티|카카오|토스|[Aa]ccount"
)

# --- 주민등록번호 / 외국인등록번호 -------------------------------------------------------------------------

_RRN = re.compile(
    NUM_START
    + r"(?P<yy>\d{2})(?P<mm>0[1-9]|1[0-2])(?P<dd>0[1-9]|[12]\d|3[01])"
    + r"(?P<sep>\s?-\s?|\s|)"
    + r"(?P<g>[1-8*])(?P<rest>\d{6}|[*xX●○]{6})"
    + NUM_END
)
_RRN_CONTEXT = re.compile(r"주민|등록번호|외국인|생년월일|rrn|RRN|SSN")
_RRN_NOT = re.compile(r"법인(?:등록)?번호|사업자|계좌|통장|카드|송장|운송장|주문|고객번호|회원번호")
_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def _rrn_checksum_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:12], _RRN_WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def _rrn_date_ok(yy: int, mm: int, dd: int, gender: str) -> bool:
    if gender in "3478":
        year = 2000 + yy
        if year > _dt.date.today().year:
            return False
    elif gender in "1256":
        year = 1900 + yy
    else:  # masked gender digit: any century
        year = 2000  # leap year, so 29 February passes
    return dd <= calendar.monthrange(year, mm)[1]


def detect_rrn(text: str, policy: MaskingPolicy) -> Iterator[Candidate]:
    """주민등록번호 (7th digit 1-4) and 외국인등록번호 (5-8); checksum only used for bare 13-digit runs."""
    for m in _RRN.finditer(text):
        g, rest = m.group("g"), m.group("rest")
        if g == "*" and rest[0].isdigit():
            continue
        if not _rrn_date_ok(int(m.group("yy")), int(m.group("mm")), int(m.group("dd")), g):
            continue
        ctx = before(text, m.start(), 20)
        if _RRN_NOT.search(ctx):
            continue
        if not m.group("sep") and rest.isdigit():
            # 13 bare digits: only with a keyword nearby, or a valid (pre-2020) checksum and no other meaning.
            if not _RRN_CONTEXT.search(ctx):
                if _BANK_CONTEXT.search(ctx) or not _rrn_checksum_ok(m.group(0)):
                    continue
        kind = PiiType.FOREIGNER_RRN if g in "5678" else PiiType.RRN
        yield Candidate(kind, m.start(), m.end(), P_RRN)


# --- 전화번호 ----------------------------------------------------------------------------------------------

_AREA = r"02|03[1-3]|04[1-4]|05[1-5]|06[1-4]|070|050[2-8]|080|01[016789]"
_SEP = r"\s?[-.)]\s?|\s|"
_PHONE = re.compile(
    NUM_START
    + rf"(?:\((?P<pa>{_AREA})\)\s?|(?P<a>{_AREA})(?P<s1>{_SEP}))"
    + rf"(?P<mid>\d{{3,4}})(?P<s2>{_SEP})(?P<last>\d{{4}})"
    + NUM_END
)
_PHONE_INTL = re.compile(
    r"(?<![0-9A-Za-z])(?:\+\s?82|\(\+82\)|0082)[-.\s]?(?:\(0\)\s?)?"
    + r"(?P<a>0?(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|1[016789]))"
    + rf"(?P<s1>{_SEP})(?P<mid>\d{{3,4}})(?P<s2>{_SEP})(?P<last>\d{{4}})"
    + NUM_END
)
# Without an area code only with a phone keyword just before: "☎ 760-8952", "전화 3146-1316".
_PHONE_LOCAL = re.compile(NUM_START + r"(?P<mid>\d{3,4})\s?-\s?(?P<last>\d{4})" + NUM_END)
_PHONE_CONTEXT = re.compile(
    r"(?:☎|☏|📞|전화|연락|휴대폰|핸드폰|폰|팩스|전송|[Tt][Ee][Ll]|[Ff][Aa][Xx]|[Pp]hone|[Mm]obile|H\.?P)"
    r"[^0-9\n]{0,5}$"
)
# 전국대표번호 (1588-1234) and 080 toll-free numbers belong to businesses and institutions.
_BUSINESS = re.compile(NUM_START + r"(?:1[568]\d{2})\s?-?\s?\d{4}" + NUM_END)


def detect_phone(text: str, policy: MaskingPolicy) -> Iterator[Candidate]:
    """Mobile, landline, 070/050x and +82 numbers; 대표번호 and configured public numbers are claimed unmasked."""
    for m in _PHONE.finditer(text):
        area = m.group("pa") or m.group("a")
        bare = m.group("pa") is None and not m.group("s1") and not m.group("s2")
        if not area.startswith("01"):
            if bare and not _PHONE_CONTEXT.search(before(text, m.start(), 12)):
                continue
            if len(m.group("mid")) == 3 and area != "02" and m.group("mid")[0] == "0":
                continue  # no exchange starts with 0 ("031-012-…" is a code or a range)
        value = m.group(0)
        public = (area == "080" and not policy.mask_business_numbers) or policy.is_public_phone(value)
        yield Candidate(PiiType.PHONE, m.start(), m.end(), P_PHONE, masked=not public)
    for m in _PHONE_INTL.finditer(text):
        yield Candidate(
            PiiType.PHONE, m.start(), m.end(), P_PHONE, masked=not policy.is_public_phone(m.group(0))
        )
    for m in _BUSINESS.finditer(text):
        yield Candidate(PiiType.PHONE, m.start(), m.end(), P_PHONE, masked=policy.mask_business_numbers)
    for m in _PHONE_LOCAL.finditer(text):
        if m.group("mid")[:2] in ("15", "16", "18") and len(m.group("mid")) == 4:
            continue  # 대표번호, handled above
        if _PHONE_CONTEXT.search(before(text, m.start(), 12)):
            yield Candidate(
                PiiType.PHONE, m.start(), m.end(), P_PHONE, masked=not policy.is_public_phone(m.group(0))
            )


# --- 이메일 ------------------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}(?![A-Za-z0-9])"
)


def detect_email(text: str, policy: MaskingPolicy) -> Iterator[Candidate]:
    """E-mail addresses (ASCII; the domain ends in a 2+ letter TLD, so "a@b" stays)."""
    if "@" not in text:
        return
    for m in _EMAIL.finditer(text):
        yield Candidate(PiiType.EMAIL, m.start(), m.end(), P_EMAIL)


# --- 카드번호 ----------------------------------------------------------------------------------------------

_CARD = re.compile(
    NUM_START
    + r"(?:\d{4}(?P<s>[- ]?)\d{4}(?P=s)\d{4}(?P=s)\d{4}|\d{4}(?P<t>[- ]?)\d{6}(?P=t)\d{5})"
    + NUM_END
)
# Issuer ranges: 2/5 Mastercard, 3 Amex/JCB, 4 Visa, 6 UnionPay/Discover, 9 domestic-only (BC 국내전용).
_CARD_FIRST_DIGITS = "234569"
_CARD_CONTEXT = re.compile(r"카드|card|CARD|Card|신용|체크|결제")


def luhn_ok(digits: str) -> bool:
    """Luhn checksum of a digit string (card numbers)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def detect_card(text: str, policy: MaskingPolicy) -> Iterator[Candidate]:
    """16-digit (4-4-4-4) and 15-digit (4-6-5) card numbers: Luhn-valid, or grouped after a card keyword."""
    for m in _CARD.finditer(text):
        value = m.group(0)
        digits = value.replace("-", "").replace(" ", "")
        grouped = len(digits) != len(value)
        if grouped and _CARD_CONTEXT.search(before(text, m.start(), 15)):
            yield Candidate(PiiType.CARD, m.start(), m.end(), P_CARD)  # a mistyped card number is still one
        elif digits[0] in _CARD_FIRST_DIGITS and luhn_ok(digits) and (grouped or digits[0] in "3456"):
            yield Candidate(PiiType.CARD, m.start(), m.end(), P_CARD)


# --- 계좌번호 ----------------------------------------------------------------------------------------------

# Hyphen-grouped first, so "110-123-456789 2024" stops before the year; space-grouped only near a bank word.
_ACCOUNT = re.compile(
    NUM_START + r"(?:\d{2,6}(?:\s?-\s?\d{1,7}){1,4}|\d{2,6}(?: \d{1,7}){1,4}|\d{10,14})" + NUM_END
)
# Group shapes banks print (국민 6-2-6, 신한 3-3-6, 우리 4-3-6, 하나 3-6-5, 기업 3-6-2-3, 농협 3-4-4-2, ...).
_BANK_SHAPES = frozenset(
    {
        (3, 2, 6), (6, 2, 6), (3, 3, 6), (4, 3, 6), (3, 6, 5), (3, 6, 2, 3), (3, 4, 4, 2), (4, 2, 7),
        (3, 2, 6, 1), (3, 6, 3), (3, 4, 6), (3, 2, 5, 1), (4, 4, 4), (4, 4, 5), (5, 2, 6), (6, 2, 7),
    }
)  # fmt: skip
_GROUP = re.compile(r"\d+")
_NON_DIGIT = re.compile(r"\D+")
_YEAR = re.compile(r"(?:19|20)\d\d")


def detect_account(text: str, policy: MaskingPolicy) -> Iterator[Candidate]:
    """Bank account numbers: any 10-16 digit group near a bank keyword, else only a typical bank shape."""
    for m in _ACCOUNT.finditer(text):
        value = m.group(0)
        groups = tuple(len(g) for g in _GROUP.findall(value))
        if not 10 <= sum(groups) <= 16:
            continue
        seps = _NON_DIGIT.findall(value)
        hyphenated = all("-" in sep for sep in seps)
        context = before(text, m.start(), 25) + " " + after(text, m.end(), 12)
        if _BANK_CONTEXT.search(context):
            if not hyphenated and min(groups) < 2:
                continue  # spaced small numbers ("3 10 2024 ...") are not one account
            yield Candidate(PiiType.ACCOUNT, m.start(), m.end(), P_ACCOUNT)
        elif seps and hyphenated and groups in _BANK_SHAPES:
            if groups[0] == 4 and _YEAR.fullmatch(value[:4]):
                continue  # 2024-123456-01 style document numbers
            if unit_follows(text, m.end()):
                continue
            yield Candidate(PiiType.ACCOUNT, m.start(), m.end(), P_ACCOUNT)


# --- 차량번호 ----------------------------------------------------------------------------------------------

_PLATE_LETTERS = "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주아바사자배하허호육해공국합"
_REGIONS = "서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주"
_VEHICLE = re.compile(
    r"(?<![0-9A-Za-z])(?<!제)"
    + rf"(?P<region>(?:{_REGIONS})\s?)?(?P<num>\d{{2,3}})(?P<s1>\s?)(?P<h>[{_PLATE_LETTERS}])(?P<s2>\s?)(?P<serial>\d{{4}})"
    + r"(?![0-9])"
)
_VEHICLE_CONTEXT = re.compile(
    r"차량|차번|번호판|자동차|승용|화물|트럭|버스|택시|오토바이|이륜|주차|주정차|견인|단속|차주|렌트"
)
_COURT_CONTEXT = re.compile(r"선고|판결|법원|사건|결정|판례|헌재")


def detect_vehicle(text: str, policy: MaskingPolicy) -> Iterator[Candidate]:
    """Plates: 12가3456, 123가4567, 서울12가3456 (spaces allowed); not court case numbers (91다2120 판결)."""
    for m in _VEHICLE.finditer(text):
        if unit_follows(text, m.end()):
            continue
        ctx_before = before(text, m.start(), 15)
        if _COURT_CONTEXT.search(ctx_before) or _COURT_CONTEXT.match(after(text, m.end(), 4).lstrip()):
            continue
        if m.group("s1") and not m.group("region") and not _VEHICLE_CONTEXT.search(ctx_before):
            continue
        yield Candidate(PiiType.VEHICLE, m.start(), m.end(), P_VEHICLE)
