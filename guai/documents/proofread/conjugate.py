"""A small Korean verb conjugator, enough to rewrite `감안하여` → `고려하여`, `송부합니다` → `보냅니다`."""

from __future__ import annotations

_BASE = 0xAC00
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = [
    "",
    "ㄱ",
    "ㄲ",
    "ㄳ",
    "ㄴ",
    "ㄵ",
    "ㄶ",
    "ㄷ",
    "ㄹ",
    "ㄺ",
    "ㄻ",
    "ㄼ",
    "ㄽ",
    "ㄾ",
    "ㄿ",
    "ㅀ",
    "ㅁ",
    "ㅂ",
    "ㅄ",
    "ㅅ",
    "ㅆ",
    "ㅇ",
    "ㅈ",
    "ㅊ",
    "ㅋ",
    "ㅌ",
    "ㅍ",
    "ㅎ",
]

# Endings of the old 하다/되다 verb (after its stem) mapped to an abstract ending, longest first.
HADA_SUFFIXES = [
    ("하십시오", "십시오"),
    ("하더라도", "더라도"),
    ("하여야", "어야"),
    ("하여서", "어서"),
    ("하여도", "어도"),
    ("하므로", "므로"),
    ("하도록", "도록"),
    ("합니다", "ㅂ니다"),
    ("합시다", "ㅂ시다"),
    ("하오니", "오니"),
    ("하였", "었"),
    ("해야", "어야"),
    ("해서", "어서"),
    ("해도", "어도"),
    ("하다", "다"),
    ("한다", "ㄴ다"),
    ("하는", "는"),
    ("하여", "어"),
    ("하고", "고"),
    ("하며", "며"),
    ("하면", "면"),
    ("하기", "기"),
    ("하게", "게"),
    ("하지", "지"),
    ("하시", "시"),
    ("하니", "니"),
    ("하던", "던"),
    ("하겠", "겠"),
    ("했", "었"),
    ("해", "어"),
    ("한", "ㄴ"),
    ("할", "ㄹ"),
    ("함", "ㅁ"),
]
DOEDA_SUFFIXES = [
    ("되어야", "어야"),
    ("되어서", "어서"),
    ("되므로", "므로"),
    ("되도록", "도록"),
    ("됩니다", "ㅂ니다"),
    ("되었", "었"),
    ("돼야", "어야"),
    ("돼서", "어서"),
    ("되다", "다"),
    ("된다", "ㄴ다"),
    ("되는", "는"),
    ("되어", "어"),
    ("되고", "고"),
    ("되며", "며"),
    ("되면", "면"),
    ("되기", "기"),
    ("되지", "지"),
    ("되니", "니"),
    ("되던", "던"),
    ("되겠", "겠"),
    ("됐", "었"),
    ("돼", "어"),
    ("된", "ㄴ"),
    ("될", "ㄹ"),
    ("됨", "ㅁ"),
]


def _split(ch: str) -> tuple[int, int, int]:
    code = ord(ch) - _BASE
    return code // 588, (code % 588) // 28, code % 28


def _join(initial: int, vowel: int, final: int) -> str:
    return chr(_BASE + initial * 588 + vowel * 28 + final)


def _is_hangul(ch: str) -> bool:
    return 0xAC00 <= ord(ch) <= 0xD7A3


def _with_final(stem: str, final: str) -> str:
    i, v, _ = _split(stem[-1])
    return stem[:-1] + _join(i, v, _FINALS.index(final))


def _final(stem: str) -> str:
    return _FINALS[_split(stem[-1])[2]] if stem and _is_hangul(stem[-1]) else ""


def _drop_l(stem: str) -> str:
    return _with_final(stem, "")


def _infinitive(stem: str) -> str:
    """Stem + 아/어 with the usual contractions (기울이 → 기울여, 갖추 → 갖춰, 보내 → 보내, 받 → 받아)."""
    last = stem[-1]
    i, v, f = _split(last)
    vowel = _VOWELS[v]
    if f:
        bright = vowel in "ㅏㅗ"
        return stem + ("아" if bright else "어")
    if last == "하":
        return stem[:-1] + "해"
    contract = {
        "ㅣ": "ㅕ",
        "ㅗ": "ㅘ",
        "ㅜ": "ㅝ",
        "ㅏ": "ㅏ",
        "ㅓ": "ㅓ",
        "ㅐ": "ㅐ",
        "ㅔ": "ㅔ",
        "ㅕ": "ㅕ",
        "ㅚ": "ㅙ",
    }
    if vowel == "ㅡ":
        prev_bright = len(stem) > 1 and _is_hangul(stem[-2]) and _VOWELS[_split(stem[-2])[1]] in "ㅏㅗ"
        return stem[:-1] + _join(i, _VOWELS.index("ㅏ" if prev_bright else "ㅓ"), 0)
    if vowel in contract:
        return stem[:-1] + _join(i, _VOWELS.index(contract[vowel]), 0)
    return stem + "어"


def conjugate(verb: str, ending: str) -> str:
    """`verb` (dictionary form ending in 다, may contain spaces) with an abstract `ending` from the tables above."""
    stem = verb[:-1]
    fin = _final(stem)
    if stem[-1] in "있없" and ending in ("ㄴ", "ㄴ다"):
        return stem + ("는" if ending == "ㄴ" else "다")
    if ending == "다":
        return verb
    if ending in ("어", "어야", "어서", "어도"):
        return _infinitive(stem) + ending[1:]
    if ending == "었":
        inf = _infinitive(stem)
        return _with_final(inf, "ㅆ") if not _final(inf) else inf + "ㅆ"
    if ending in ("ㄴ", "ㄹ", "ㅁ", "ㅂ니다", "ㅂ시다", "ㄴ다"):
        jamo, rest = ending[0], ending[1:]
        if fin == "":
            return _with_final(stem, jamo) + rest
        if fin == "ㄹ":
            if jamo == "ㄹ":
                return stem + rest
            if jamo == "ㅁ":
                return _with_final(stem, "ㄻ") + rest
            return _with_final(_drop_l(stem), jamo) + rest
        joiner = {"ㄴ": "은", "ㄹ": "을", "ㅁ": "음", "ㅂ니다": "습니다", "ㅂ시다": "읍시다", "ㄴ다": "는다"}[
            ending
        ]
        return stem + joiner
    if ending == "는":
        return (_drop_l(stem) if fin == "ㄹ" else stem) + "는"
    if ending in ("며", "면", "므로", "니", "시", "십시오", "오니"):
        if fin == "":
            return stem + ending
        if fin == "ㄹ":
            return (_drop_l(stem) if ending[0] in "니시오십" else stem) + ending
        return stem + "으" + ending
    return stem + ending  # 고, 기, 게, 지, 도록, 던, 겠, 더라도
