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

# Titles, honorifics and letter sign-offs after a name. Those in _GLUED may stick to the name ("홍길동님",
# "김철수주무관"); the others need a space, because glued they end ordinary compounds ("지하주차장", "수의사").
_GLUED = "님 씨 주무관 팀장 과장 계장 국장 실장 부장 주임 선생님 할머니 할아버지 어르신 기자 변호사".split()
_SPACED = """차장 소장 원장 동장 반장 통장 대리 사원 선생 교수 박사 세무사 법무사 노무사 행정사 의원 위원장 위원 회장
    대표 사장 이사장 이사 학생 환자 조사관 감독관 담당자 간호사 의사 목사 신부 수녀 전도사 구청장 시장 군수 도지사
    의장 경위 경사 경장 순경 형사 소방관 드림 올림 배상""".split()
# A candidate ending like a particle or modifier before a spaced title is a phrase ("이하의 위원", "우수한
# 선생님", "표기해 담당자"); before a common-noun title also a place or school ("서초동 변호사", "고려대
# 교수"). Names ending in 은/인 (김지은, 박세인) are too common to drop before honorifics.
_HONORIFICS = frozenset(
    {"님", "씨", "주무관", "선생님", "할머니", "할아버지", "어르신", "팀장", "과장", "계장", "주임"}
)
# "정의원" is 정 + the title 의원, not a given name.
_TITLE_WORDS = frozenset(t for t in _GLUED + _SPACED if len(t) == 2) | {"장관", "총리", "의원"}
_PHRASE_ENDINGS = tuple("는을를의한할된에로와과도던해고며게")
_WEAK_TITLE_ENDINGS = (*_PHRASE_ENDINGS, "은", "인", *"동구시군읍면리대")
# Titles that follow a place ("신흥동 동장"): a candidate ending like a place name is not a person there.
_PLACE_TITLES = frozenset({"동장", "구청장", "시장", "군수", "도지사", "통장", "의원", "의장"})
_PLACE_ENDINGS = tuple("동구시군읍면리도")
_CUES = sorted(
    """성명 이름 성함 작성자 담당자 담당 민원인 신청인 신고인 청구인 진정인 제보자 대표자 예금주 수취인 보호자 세대주
    소유자 임차인 임대인 수신자 발신자 상담자 상담원 고객명 환자명 피해자 가해자 문의처 주무관 팀장 과장 계장
    국장 실장 동장 구청장 원장 기자 접수자 처리자 신청자 대리인 보낸사람 받는사람 보내는사람 받는분 본인""".split(),
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

# Two-syllable verb endings that look like given names ("원해서", "이하지").
_VERB_ENDINGS = frozenset(
    "해서 하여 하고 해도 하게 하며 해야 하지 하니 하면 했던 하는 해요 하세 하신".split()
)
_JA_NAMES = frozenset("영순정명숙옥경미춘말금은현혜희화연복분덕양길상선필점봉인애")


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_AFTER_TITLE = re.compile(
    rf"(?<![가-힣])(?P<name>[가-힣]{{2,4}})"
    rf"(?:\s?(?P<title>{_alternation(_GLUED)})(?!니다)"  # "님니다" is a typo of "닙니다"
    rf"|\s(?P<spaced>{_alternation(_SPACED + _GLUED)})"
    r"|\s(?P<young>군|양)(?=[^가-힣]|$|은|는|이|가|을|를|의|에게|과|와))"
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
        if given in _VERB_ENDINGS or given in _TITLE_WORDS:
            continue  # "원해서", "정의원" (= 정 의원: the title, not a given name)
        if len(given) == 2 and given[0] in lex.first and given[1] in lex.second:
            # 자 ends old names (영자, 순자) but far more often nouns for people (이용자, 소수자, 배우자).
            return given[1] != "자" or given[0] in _JA_NAMES
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
        group = "title" if m.group("title") else "spaced" if m.group("spaced") else "young"
        title = m.group(group)
        if title in _PLACE_TITLES and name.endswith(_PLACE_ENDINGS):
            continue
        if m.start(group) > m.end("name"):  # "X 님": X may be a phrase; glued "X님" may not
            if name.endswith(_PHRASE_ENDINGS if title in _HONORIFICS else _WEAK_TITLE_ENDINGS):
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
