"""Which terms may name a sub-issue: not places, not proper names, not generic complaint words.

Sub-issue labels say *what* a complaint is about ("방치·통행", "단속·불법주차"). Real complaint text
is full of *where* (동·로·길 names, apartment complexes, parks, schools, the district itself) and of
letter boilerplate (안녕하세요, 건의, 조속히, "○○ 일원"); those are distinctive for a sub-corpus too, so
the class-based TF-IDF would pick them unless they are kept out here.

    GENERIC                         words that never name a problem
    is_place(term)                  a place or other proper name, judged from the word alone
    place_names(values)             tokens of 동/place/department values of the data ("영종출장소" → 영종)
    is_piece(term, others, cooc)    a piece of a longer place name that the term nearly always comes with
    NAME_KINDS                      place kinds that, right after a name, make it a place ("자유" + "공원")
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

# Words every complaint uses; they never name a sub-issue.
GENERIC = frozenset(
    "민원 요청 부탁 구청 신고 문제 관련 확인 조치 처리 주민 불편 생각 정도 때문 경우 사람 지금 계속 해결 빨리 "
    "바라 내용 답변 문의 제기 가온구 구민 우리 저희 여기 거기 이곳 그곳 현재 최근 매일 매번 항상 자꾸 하루 "
    "시간 오늘 어제 요즘 이번 작년 올해 부분 사항 상황 방법 대책 개선 검토 필요 마련 관리 담당 부서 공무원 "
    "주무관 감사 수고 연락 전화 협조 이용 사용 발생 관련 해당 정말 너무 제발 아무 모든 일부 다른 같 많 "
    "적 크 작 좋 나쁘 보 가 오 주 알 모르 싶 원하 드리 받 살 다니 나오 들 듣 말하 생기 되 그러 "
    "년 월 일 시 분 번 개 명 곳 것 수 등 때 중 앞 뒤 안 밖 위 아래 쪽 측 점 "
    # Attachment and channel boilerplate of exported complaints ("※ 첨부파일", "안전신문고 신고파일").
    "첨부 파일 첨부파일 사진 jpg jpeg png pdf hwp 안전신문고 국민신문고 신문고 spp 신고파일 새올 전자민원 "
    # Where, not what: relative positions and area words ("○○ 일원", "[주소] 부근").
    "주변 부근 근처 인근 일대 일원 지역 동네 방향 방면 건너편 맞은편 사이 옆 주소 주소지 위치 장소 거리 "
    "일대 곳곳 전체 구간 "
    # Letter boilerplate and politeness.
    "안녕 안녕하세요 건의 건의사항 말씀 질의 요망 시정 조속 조속히 바람 부탁드리 당부 수고하 감사하 "
    "가능 불가능 인하 상기 당사 통화 공무 담당자 시민 구민 주민들 동안 기존 추가 진행 얼마 정상 "
    "아침 저녁 낮 밤 새벽 주말 평일 오전 오후 요즘 매년 몇 여러 자신 본인 이번 해당 기타 관계 "
    "보이 느끼 올라가 내려가 지나가 기다리 들어오 나가 알리 이야기 부분 말 글 "
    "인천 중구 서울 구청장 시청 시장님 구청장님 "
    # Emphasis and opinion words of letters ("강력히 요청", "자체적으로", "최악").
    "강력 강력히 자체 오른쪽 왼쪽 오랫동안 이내 종일 최악 분개 청원 의견 제안 이해 양해 사유 판단 생각하 "
    "방안 이유 초래 가하".split()
)

#: Named facilities: "<name><kind>" is a place ("율목공원", "신선초등학교", "한울아파트").
_FACILITY = re.compile(
    r".+(공원|아파트|초등학교|중학교|고등학교|학교|도서관|타워|마트|빌라|오피스텔|타운|하늘도시|스테이|호텔|빌딩|"
    r"플라자|상가|시장|해수욕장|출장소|주민센터|행정복지센터|복지관|체육관|경로당|교회|성당|병원|역|섬|"
    r"사거리|삼거리|오거리|교차로|육교|터널|대교|다리|마을|단지)$"
)
#: Kinds of place, not names of one: "어린이공원" stays a word like any other.
_GENERIC_PREFIX = frozenset(
    "어린이 근린 소 도시 체육 공영 전통 재래 임대 노후 공공 학교 주차 버스 지하철 전철 놀이".split()
)
#: Road names: "개항로", "서해대로", "94번길"; administrative units with a number: "가온1동".
_ROAD = re.compile(r"^[가-힣0-9]+(대로|번길)$|^[가-힣]*\d+(동|가|로|길)$")


@cache
def _domain_words() -> frozenset[str]:
    """Synonym-group words (brands such as 킥고잉 are proper nouns but name what a complaint is about)."""
    from guai.complaints.topics import _lexicon
    from guai.korean import all_groups

    words: set[str] = set()
    for group in _lexicon():
        words.update(group)
    for grp in all_groups():
        words.add(grp.canonical)
        words.update(grp.variants)
    return frozenset(words)


@lru_cache(maxsize=8192)
def is_place(term: str) -> bool:
    """Whether `term` names a place or other proper name (Kiwi NNP, named facility, road or 동 name)."""
    from guai.korean import analyze

    if term in _domain_words():
        return False
    if _ROAD.match(term):
        return True
    facility = _FACILITY.match(term)
    if facility and term[: facility.start(1)] not in _GENERIC_PREFIX:
        return True
    morphs = analyze(term)
    if not morphs:
        return False
    # "영종", "신흥동", "맥아더", and "서해(NNP)+대로": a proper noun heads the term.
    return morphs[0].tag == "NNP"


def place_names(values: Iterable[str | None]) -> set[str]:
    """Tokens of the data's own place-like values: 동, places, and 동·출장소 departments.

    "영종출장소" and "운서동 주민센터" name where a complaint was handled, so 영종 and 운서동 are places.
    """
    from guai.korean import tokens_batch

    names: set[str] = set()
    for value in values:
        if not value:
            continue
        for part in value.split():
            stem = re.sub(r"(주민센터|행정복지센터|출장소|지원단)$", "", part)
            if stem != part or part.endswith(("동", "리", "읍", "면")):
                names.add(part)
                if stem and stem != part:
                    names.add(stem)
    ordered = sorted(names)
    out = set(ordered)
    for toks in tokens_batch(ordered) if ordered else []:
        out.update(toks)
    return out


#: Kinds that follow a name as a separate token when Kiwi splits a named place ("자유공원" → 자유 + 공원).
NAME_KINDS = ("공원", "초등학교", "중학교", "고등학교", "도서관", "시장", "해수욕장", "마을", "산", "역")


def is_piece(term: str, with_term: float, places: dict[str, float]) -> bool:
    """`term` is a piece of a longer place name it nearly always occurs with ("신선" of 신선초등학교).

    `places` maps each place term to how many of `term`'s complaints also contain it.
    """
    return any(term != p and term in p and together >= 0.6 * with_term for p, together in places.items())
