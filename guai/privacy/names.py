"""Person names found by pattern: a common surname, given-name syllables and a cue around the name.

Cues: a title or honorific after the name ("홍길동 님", "김철수 주무관", "박민수 씨", "홍길동 외 2명"), a label
or role before it ("성명: 최지우", "민원인 김철수", "[작성자] : 이영희", "팀장 정하늘"), or a phone number right
after it ("김철수(010-…)"). The candidate must split into a surname from `data/surnames.txt` and one or two
given-name syllables from `data/given_*.txt`, and must not be a listed ordinary word ("고객님", "구청장님",
"이용자님"). Two-syllable names ("김구") count only after a "label:" cue, because most two-syllable words after
a role are nouns ("민원인 방문", "담당자 지정"). No morphological analysis is needed, which keeps masking
cheaper than one Kiwi pass over the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from guai.privacy._common import Candidate
from guai.privacy.policy import MaskingPolicy
from guai.privacy.types import PiiType

P_NAME = 7

_TITLES = sorted(
    """주무관 팀장 과장 계장 국장 실장 부장 차장 소장 원장 동장 반장 통장 대리 주임 사원 선생님 선생 교수 박사 기자
    변호사 세무사 법무사 노무사 행정사 의원 위원장 위원 회장 대표 사장 이사장 이사 할머니 할아버지 어르신 학생 환자
    조사관 감독관 담당자 간호사 의사 목사 신부 수녀 전도사 구청장 시장 군수 도지사 의장 경위 경사 경장 순경 형사
    소방관 님 씨""".split(),
    key=len,
    reverse=True,
)
# Titles that follow a place ("신흥동 동장"): a candidate ending like a place name is not a person there.
_PLACE_TITLES = frozenset({"동장", "구청장", "시장", "군수", "도지사", "통장", "의원", "의장"})
_PLACE_ENDINGS = tuple("동구시군읍면리도")

_CUES = sorted(
    """성명 이름 성함 작성자 담당자 담당 민원인 신청인 신고인 청구인 진정인 제보자 대표자 예금주 수취인 보호자 세대주
    소유자 임차인 임대인 수신자 발신자 상담자 상담원 고객명 환자명 피해자 가해자 문의처 문의 주무관 팀장 과장 계장
    국장 실장 동장 구청장 원장 기자 접수자 처리자 신청자 대리인 배우자 자녀 아들 딸 남편 아내 부인 어머니 아버지
    보낸사람 받는사람 보내는사람 받는분 본인""".split(),
    key=len,
    reverse=True,
)
_PARTICLES = tuple(
    sorted(
        """입니다 이라고 께서는 께서 에게서 에게 한테 으로 이며 이고 이다 이나 이랑 이가 이는 이를 이의 이와 님께 님이
        님은 님의 님 씨 은 는 이 가 을 를 의 와 과 도 만 께 로 에 랑""".split(),
        key=len,
        reverse=True,
    )
)

_TITLE_RE = "|".join(_TITLES)
_AFTER_TITLE = re.compile(
    rf"(?<![가-힣])(?P<name>[가-힣]{{2,4}})(?:(?P<gap>\s?)(?P<title>{_TITLE_RE})|\s(?P<young>군|양)"
    r"(?=[^가-힣]|$|은|는|이|가|을|를|의|에게|과|와))"
)
_AFTER_OTHERS = re.compile(r"(?<![가-힣])(?P<name>[가-힣]{2,4})\s?외\s?\d{1,3}\s?(?:명|인)")
_BEFORE_CUE = re.compile(
    rf"(?P<cue>{'|'.join(_CUES)})(?P<sep>\s*\]?\s*[:：]\s*|\s*\]\s*|\s+)(?P<name>[가-힣]{{2,7}})(?![가-힣])"
)
_BEFORE_PHONE = re.compile(
    r"(?<![가-힣])(?P<name>[가-힣]{3,4})\s?[(（]?\s?(?:☎|☏|[Tt][Ee][Ll]\.?|전화|연락처|H\.?P\.?)?\s?[:.]?\s?"
    r"(?=(?:\+82|0\d{1,2})[-.)\s]?\d{3,4}[-.\s]?\d{4}(?![0-9]))"
)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    surnames1: frozenset[str]
    surnames2: frozenset[str]
    first: frozenset[str]
    second: frozenset[str]
    stop: frozenset[str]
    given: frozenset[str]  # first | second, for one-syllable given names


def _words(filename: str) -> list[str]:
    text = (resources.files("guai.privacy") / "data" / filename).read_text(encoding="utf-8")
    words: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        words.extend(line.split())
    return words


@cache
def lexicon() -> _Lexicon:
    """The surname, given-syllable and stop-word lists (read once, on first use)."""
    surnames = _words("surnames.txt")
    first = frozenset(_words("given_first.txt"))
    second = frozenset(_words("given_second.txt"))
    return _Lexicon(
        surnames1=frozenset(s for s in surnames if len(s) == 1),
        surnames2=frozenset(s for s in surnames if len(s) == 2),
        first=first,
        second=second,
        stop=frozenset(_words("name_stopwords.txt")),
        given=first | second,
    )


def looks_like_name(word: str, *, allow_two_syllables: bool = False) -> bool:
    """Surname + one or two given-name syllables, and not a listed ordinary word."""
    lex = lexicon()
    if word in lex.stop:
        return False
    for surname in (word[:2], word[:1]):
        if surname not in (lex.surnames2 if len(surname) == 2 else lex.surnames1):
            continue
        given = word[len(surname) :]
        if len(given) == 2 and given[0] in lex.first and given[1] in lex.second:
            return True
        if len(given) == 1 and (len(surname) == 2 or allow_two_syllables) and given in lex.given:
            return True
    return False


def _strip_particle(word: str) -> tuple[str, bool]:
    """(name part, had_particle): the longest plausible name inside "김철수에게"."""
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)], True
    return word, False


def _name_in(word: str, *, allow_two_syllables: bool) -> str | None:
    """The name at the start of `word` (which may carry a particle), or None."""
    stem, had_particle = _strip_particle(word)
    stop = lexicon().stop
    if had_particle and stem in stop:
        return None
    if len(word) <= 4 and looks_like_name(word, allow_two_syllables=allow_two_syllables):
        return word
    if had_particle and looks_like_name(stem, allow_two_syllables=allow_two_syllables):
        return stem
    return None


def detect_name(text: str, policy: MaskingPolicy) -> Iterator[Candidate]:
    """Person names with a cue (title after, label/role before, phone after, "외 N명")."""
    for m in _AFTER_TITLE.finditer(text):
        name = m.group("name")
        title = m.group("title") or m.group("young")
        if title in _PLACE_TITLES and name.endswith(_PLACE_ENDINGS):
            continue
        if looks_like_name(name):
            yield Candidate(PiiType.NAME, m.start("name"), m.end("name"), P_NAME)
    for m in _AFTER_OTHERS.finditer(text):
        if looks_like_name(m.group("name")):
            yield Candidate(PiiType.NAME, m.start("name"), m.end("name"), P_NAME)
    for m in _BEFORE_CUE.finditer(text):
        labelled = ":" in m.group("sep") or "：" in m.group("sep")
        found = _name_in(m.group("name"), allow_two_syllables=labelled)
        if found:
            yield Candidate(PiiType.NAME, m.start("name"), m.start("name") + len(found), P_NAME)
    for m in _BEFORE_PHONE.finditer(text):
        if looks_like_name(m.group("name")):
            yield Candidate(PiiType.NAME, m.start("name"), m.end("name"), P_NAME)
