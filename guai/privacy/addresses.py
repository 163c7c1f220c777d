"""Address detection: 도로명 (왕십리로 123, ○○로12길 34), 지번 (성수동1가 123-45, 123번지) and 동/호.

Only the part that points at one building or unit is masked: the road name with its building number, the lot
number, "101동 1203호". Administrative names (서울특별시, 성동구, 성수동1가) stay in clear because analytics group
complaints by them; a bare 동 name is never masked, nor is a road name without a building number ("오작로
20번길"). "○○로 3" is ambiguous with the particle 로 ("상태로 119", "전화로 2회"), so a road needs evidence:
a numbered 길, a hyphenated building number, a 시/군/구 word or address keyword before it, an address-like
continuation after it ("(성수동)", ", 3층", "에 살고"), or a name that cannot be noun + particle (a 대로/길
name, or 로 after a consonant other than ㄹ: 율목로, 참외전로). Bare "왕십리로 123" stays in clear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from guai.privacy._common import Candidate, before, unit_follows
from guai.privacy.policy import MaskingPolicy
from guai.privacy.types import PiiType

P_ADDRESS = 6

_BLDG_END = r"(?![0-9])(?![.,~∼:][0-9])(?!-[0-9])"

_ROAD = re.compile(
    r"(?<![가-힣0-9A-Za-z])"
    r"(?P<road>[가-힣]{1,10}?(?:대로|로|길)(?P<numbered>\s?\d{1,4}(?:번|가)?[가-힣]?길)?)"
    r"\s?(?P<bldg>(?:지하\s?)?\d{1,4}(?:\s?-\s?\d{1,4})?)(?:\s?번지)?"
    + _BLDG_END
    # "오작로 20번길" is a road name without a building number: nothing to mask.
    + r"(?!\s?번(?!지))(?!\s?[가-힣]?길)"
)

_LOT = re.compile(
    r"(?<![가-힣0-9A-Za-z])"
    r"(?P<area>[가-힣]{1,6}?\d{0,2}(?:동|리)(?:\d{1,2}가)?|[가-힣]{1,5}\d{1,2}가)"
    r"\s?(?P<lot>(?P<san>산\s?)?\d{1,5}(?P<hyphen>\s?-\s?\d{1,5})?(?P<bunji>\s?번지)?"
    r"(?:\s?,\s?(?:산\s?)?\d{1,5}-\d{1,5}(?:\s?번지)?)*(?:\s?호(?![가-힣]))?)"
    + _BLDG_END
    # "항동7가에": the number belongs to the area name.
    + r"(?!가)"
)
# A lot number that says what it is on its own: "24-42번지", "산175-2".
_LOT_ALONE = re.compile(
    r"(?<![0-9A-Za-z가-힣])(?<![0-9]-)(?:(?:산\s?)?\d{1,5}(?:-\d{1,5})?\s?번지|산\s?\d{1,5}-\d{1,5})"
    + _BLDG_END
)
_APARTMENT = re.compile(
    r"(?<![0-9A-Za-z가-힣])(?:제\s?)?(?:\d{1,4}|[A-Za-z])\s?동\s?(?:제\s?)?\d{1,5}\s?호(?!선|실)(?![0-9])"
)
_BUILDING_UNIT = re.compile(
    r"(?:아파트|빌라|맨션|오피스텔|빌딩|하이츠|타운|연립|캐슬|자이|푸르지오|힐스테이트|아이파크|래미안|팰리스|"
    r"프라자|플라자|상가|주택|원룸|고시원|레지던스)\s?(?P<unit>(?:\d{1,2}\s?층\s?)?\d{3,4}\s?호)(?!선|실)(?![0-9])"
)

_SIDO = (
    "서울특별시|서울시|서울|부산광역시|부산시|부산|대구광역시|대구시|대구|인천광역시|인천시|인천|광주광역시|광주시|"
    "대전광역시|대전시|대전|울산광역시|울산시|울산|세종특별자치시|세종시|세종|경기도|경기|강원특별자치도|강원도|강원|"
    "충청북도|충북|충청남도|충남|전북특별자치도|전라북도|전북|전라남도|전남|경상북도|경북|경상남도|경남|"
    "제주특별자치도|제주도|제주"
)
_ADMIN_BEFORE = re.compile(
    rf"(?:^|[^가-힣])(?:{_SIDO}|(?P<w>[가-힣]{{1,4}}(?:시|군|구|읍|면|동))|[가-힣]{{1,4}}\d{{1,2}}가)\s$"
)
# Words ending in 시/군/구/읍/면/동 that are not places ("즉시", "입구", "화면", "활동").
_NOT_ADMIN = frozenset(
    """당시 동시 수시 상시 즉시 정시 임시 평시 잠시 일시 표시 지시 제시 개시 게시 감시 무시 중시 경시 명시 고시 공시
    교시 필시 혹시 역시 다시 아군 적군 장군 국군 학군 입구 출구 요구 연구 가구 도구 친구 항구 전구 창구 기구 욕구
    추구 강구 선거구 자치구 불구 측면 이면 반면 전면 후면 표면 화면 국면 방면 지면 서면 대면 정면 단면 평면 양면
    내면 외면 직면 일면 활동 행동 이동 운동 공동 자동 변동 출동 가동 작동 노동 합동 협동 연동 감동 충동 진동
    소동 난동 아동 발동 유동 파동 수동 능동 추가 평가 증가 참가 인가 허가 국가 전문가 대가 원가 단가 시가 물가
    휴가 부가""".split()
)
_ADDRESS_CONTEXT = re.compile(
    r"주소|거주|사는|살고|소재|위치|도로명|지번|자택|번지|사업장|주거지|[집댁]\s?(?:은|이|주소)?\s?$"
)

# What follows a building number in an address: "(성수동1가)", "(상가 뒤편)", ", 3층", "OO빌딩", "에 살고 있습니다".
_ADDRESS_AFTER = re.compile(
    r"\s?(?:[(（]"
    r"|,?\s?(?:지하\s?)?\d{1,2}\s?층"
    r"|,?\s?(?:\d{1,4}|[A-Za-z])\s?동\s?\d{1,5}\s?호"
    r"|\s[가-힣A-Za-z0-9]{0,12}(?:빌딩|아파트|빌라|상가|타워|오피스텔|프라자|플라자|맨션|주택)"
    r"|(?:에|에서)\s?(?:살|거주|위치|소재|있는\s?(?:집|건물|주택|아파트|가게|상가|사무실|회사))"
    r"|(?:으로|로)\s?이사)"
)
# A building or lot number glued to a word is followed by a particle or a place word; anything else makes it
# a quantity or a name ("119구급대", "2박3일", "1심", "30-50클럽", "2000p"), and "로2가" is an area (소양로2가).
_GLUED_OK = re.compile(
    r"(?![가-힣A-Za-z])|(?:에서|에|의|은|는|이|을|를|으로|로|와|과|까지|부터|번지|호|층|앞|옆|뒤|쪽|인근|부근|일대|일원|근처|"
    r"건너|맞은|사이|지하|상가|빌딩|주변|도로|입구)"
)
# Road-like words that are really adverbs, particles or common nouns ("새로", "전화로", "골목길").
_NOT_ROAD = frozenset(
    """가로 세로 새로 따로 서로 도로 차로 주로 별로 바로 길 실제로 최초로 최고로 최대로 최소로 정말로 스스로 진로 경로 통로 항로 선로 수로 회로 미로 고로 활주로 하수로 우회로 교차로 진입로 산책로
    등산로 자전거로 무료로 유료로 전화로 문자로 메일로 팩스로 카드로 계좌로 버스로 택시로 도보로 구두로 위주로 추가로 별도로 임시로 수시로 상시로 대체로 개별로 뒤로 위로 아래로 골목길 지름길 갈림길
    오솔길 산길 뒷길 빗길 눈길 출근길 퇴근길 등굣길 하굣길 귀갓길 밤길 물길 철길 이길 그길 저길 한길 외길 첫길 먼길 앞길 옆길 샛길 비탈길 언덕길 지로 보로 고속도로 일반도로 간선도로 이면도로
    국도로 대로 문서로 소로 중로 대로변 도보 경유로 결과로 사유로 이유로 이후로 정도로 규모로 형태로 비율로 거리로 속도로 순서로 한도로 최저로 단위로 의결로 수수료로 세대로 가구로 편도로 말로 글로
    오후로""".split()
)
# 대로 after these stems is the particle "according to" ("계획대로"), not a 대로 road ("세종대로").
_PARTICLE_DAERO = frozenset(
    """그 이 저 마음 제 절 멋 뜻 말 계획 예정 규정 약속 요청 원칙 지시 순서 법 사실 생각 명령 기대 바람 결정 의견
    소원 방침 법령 지침 기준 관례 관행 원래 예전 마음껏 명령 말씀 요구 희망 절차 설계 도면 허가 신고""".split()
)
_NOT_ROAD_ENDINGS = ("으로", "도로", "별로", "기로", "므로", "차로", "통로", "선로", "회로", "경로")


def _particle_possible(stem_end: str) -> bool:
    """True when 로 after this syllable could be the particle 로: it ends in a vowel or ㄹ ("상태로", "실로")."""
    code = ord(stem_end) - 0xAC00
    return not 0 <= code < 11172 or code % 28 in (0, 8)


def _road_word_ok(word: str) -> bool:
    """False for words that end like a road but are adverbs, particles or common nouns."""
    if word in _NOT_ROAD or word.endswith(_NOT_ROAD_ENDINGS) or word.endswith("로로"):
        return False
    return not (word.endswith("대로") and (len(word) == 2 or word[:-2] in _PARTICLE_DAERO))


def _road_shape_evident(word: str) -> bool:
    """A road name recognisable without context: 대로/길 names, or 로 after a consonant other than ㄹ."""
    if len(word) < 3:
        return False
    if word.endswith(("대로", "길")):
        return True
    return not _particle_possible(word[-2])


def _admin_before(text: str, start: int) -> bool:
    m = _ADMIN_BEFORE.search(before(text, start, 14))
    return m is not None and (m.group("w") is None or m.group("w") not in _NOT_ADMIN)


def _address_context(text: str, start: int) -> bool:
    return _ADDRESS_CONTEXT.search(before(text, start, 15)) is not None


def _roads(text: str) -> Iterator[Candidate]:
    for m in _ROAD.finditer(text):
        road = m.group("road")
        base = road if m.group("numbered") is None else road[: m.start("numbered") - m.start("road")]
        if unit_follows(text, m.end()) or not _road_word_ok(base) or not _GLUED_OK.match(text, m.end()):
            continue
        evident = (
            m.group("numbered") is not None
            or "-" in m.group("bldg")
            or _admin_before(text, m.start())
            or _address_context(text, m.start())
            or _ADDRESS_AFTER.match(text, m.end()) is not None
            or len(base) >= 3
            and m.start("bldg") == m.end("road")  # "흰바위로15": no particle reads like this
            or _road_shape_evident(base)
        )
        if evident:
            yield Candidate(PiiType.ADDRESS, m.start(), m.end(), P_ADDRESS)


def _lots(text: str) -> Iterator[Candidate]:
    for m in _LOT.finditer(text):
        area = m.group("area")
        if area in _NOT_ADMIN or area[-1] == "리" and len(area) < 3 or unit_follows(text, m.end()):
            continue
        if not _GLUED_OK.match(text, m.end()):
            continue
        evident = (
            m.group("hyphen") or m.group("bunji") or m.group("san") or area.endswith("가")
            or _admin_before(text, m.start()) or _address_context(text, m.start())
        )  # fmt: skip
        if not evident:
            continue
        lot_start = m.start("lot")
        yield Candidate(PiiType.ADDRESS, lot_start, m.end(), P_ADDRESS)
    for m in _LOT_ALONE.finditer(text):
        yield Candidate(PiiType.ADDRESS, m.start(), m.end(), P_ADDRESS)


def _units(text: str) -> Iterator[Candidate]:
    if "호" not in text:
        return
    for m in _APARTMENT.finditer(text):
        yield Candidate(PiiType.ADDRESS, m.start(), m.end(), P_ADDRESS, joins=True)
    for m in _BUILDING_UNIT.finditer(text):
        yield Candidate(PiiType.ADDRESS, m.start("unit"), m.end("unit"), P_ADDRESS, joins=True)


def detect_address(text: str, policy: MaskingPolicy) -> Iterator[Candidate]:
    """Road and lot addresses with their number, and 동/호 units (administrative names kept)."""
    yield from _roads(text)
    yield from _lots(text)
    yield from _units(text)
