"""Input screening for the public chat: prompt injection, requests for internal data, abuse, crisis words,
plus masking of personal data typed by residents (for logs and before any model call).

Screening is deliberately conservative: the public chat only ever answers from public guidance, so a
false positive costs one polite refusal, while a miss could at most reach a model that is itself
restricted to public sources.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["Screening", "mask_for_log", "screen", "MAX_MESSAGE"]

MAX_MESSAGE = 500

_INJECTION = [
    r"(이전|앞|위|기존|지금까지|모든|원래)(의|에|의모든)?(지시|명령|지침|규칙|설정|대화|프롬프트|내용|안내)[을를은는]?(모두|전부|다)?(무시|잊|버리|취소|삭제|초기화|따르지)",
    r"(지시|명령|지침|규칙|제한|필터)[을를]?(모두|전부|다)?(무시|해제|우회|풀어|벗어나|어기|깨)",
    r"ignore(all|the|any|your)*(previous|prior|above|earlier|system)",
    r"disregard(all|the|any|your)*(previous|prior|above|instructions)",
    r"forget(all|your|the)*(instructions|rules|previous)",
    r"newinstructions?",
    r"overrideyour",
    r"시스템(프롬프트|메시지|지시|설정|명령)",
    r"systemprompt",
    r"systemmessage",
    r"(초기|숨겨진|내부|비밀)(지시|프롬프트|설정|규칙)",
    r"프롬프트[을를]?(보여|알려|출력|공개|말해|복사|그대로)",
    r"(너|당신|네)의?(지시사항|지시문|규칙|설정|프롬프트|원래목적)",
    r"(위|앞)의?(내용|문장|텍스트)[을를]?(그대로|모두)?(출력|반복|복사)",
    r"repeat(the|your)?(text|words|instructions)above",
    r"(너는|넌|당신은|너가|니가)(이제|지금부터|앞으로)",
    r"지금부터(너는|넌|당신은)",
    r"역할(극|놀이)",
    r"롤플레이",
    r"roleplay",
    r"pretend(to|you)",
    r"actas(a|an|if)",
    r"youarenow",
    r"(^|[^a-z])dan([^a-z]|$)",
    r"개발자모드",
    r"developermode",
    r"관리자모드",
    r"adminmode",
    r"jailbreak",
    r"탈옥",
    r"(제한|검열|필터)(이|가)?없는",
    r"무엇이든할수있",
    r"doanythingnow",
    r"(base64|rot13|hex|16진수|이진수|디코딩|디코드|decode|암호문|인코딩된)",
    r"<script",
    r"javascript:",
    r"select.+from",
    r"droptable",
    r"unionselect",
    r"\{\{.*\}\}",
    r"\$\{",
    r"\.\./",
    r"rm-rf",
    r";--",
    r"'or'1'='1",
    r"sudo",
]
_STAFF_DATA = [
    r"(직원|공무원|주무관|담당자|팀장|과장|구청장)(들)?의?(명단|목록|리스트|개인|휴대|핸드폰|휴대폰|집주소|주소|주민번호|개인번호|사번)",
    r"(직원|공무원|주무관|담당자|팀장|과장)(들)?의?.{0,8}(명단|목록|리스트|전부|모두|전체|개인|휴대|핸드폰|집주소|주민번호|생년월일)",
    r"(관리자|admin|root|직원|시스템|서버|구청|내부)(용)?(의)?(비밀번호|암호|패스워드|계정|아이디|로그인|password)",
    r"passwd",
    r"/etc/",
    r"api[_-]?key",
    r"(접근|인증|세션)토큰",
    r"secret",
    r"데이터베이스",
    r"database",
    r"db(덤프|내용|접속)",
    r"서버(주소|접속|로그)",
    r"내부(문서|자료|정보|결재|보고서|메신저|망|규정)",
    r"(대외비|비공개|기밀)",
    r"감사로그",
    r"auditlog",
    r"다른(사람|주민|민원인|시민|분|이용자|사용자)(들)?(의|이|이한|들이|이남긴|이물어본|이올린)?(질문|민원|문의|연락처|개인정보|티켓|대화|상담|기록|내용)",
    r"(남의|타인의?)(질문|민원|문의|연락처|개인정보|티켓|대화)",
    r"(민원인|주민|신청자)(들)?의?(명단|목록|연락처|개인정보|전화번호)",
    r"(티켓|접수)(번호|코드)?(목록|전부|모두|리스트)",
    r"(모든|전체)(티켓|문의|질문|민원)",
]
_ABUSE = [
    r"시발",
    r"씨발",
    r"ㅅㅂ",
    r"ㅆㅂ",
    r"병신",
    r"ㅂㅅ",
    r"개새",
    r"좆",
    r"지랄",
    r"꺼져",
    r"닥쳐",
    r"미친(놈|년|새)",
    r"fuck",
    r"shit",
    r"bitch",
    r"염병",
    r"죽여버",
    r"엿먹",
]
_CRISIS = [r"죽고싶", r"자살", r"극단적(인)?선택", r"살기싫", r"목숨을?끊", r"뛰어내리"]

_INJECTION_RE = re.compile("|".join(_INJECTION))
_STAFF_RE = re.compile("|".join(_STAFF_DATA))
_ABUSE_RE = re.compile("|".join(_ABUSE))
_CRISIS_RE = re.compile("|".join(_CRISIS))
_B64_RUN = re.compile(r"[A-Za-z0-9+/=_-]{16,}")
_HEX_RUN = re.compile(r"(?:[0-9a-fA-F]{2}[\s:]?){8,}")


@dataclass(frozen=True, slots=True)
class Screening:
    """Result of screening one message: `kind` is None for an ordinary question."""

    kind: str | None
    reason: str = ""


def _flat(text: str) -> str:
    """Lower-case, NFKC, no spaces, punctuation or invisible characters — defeats spacing tricks (무 시 해)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s\u200b-\u200f\u2060\ufeff·.,!?~\-_\"'`*()\[\]]+", "", text)


def _decoded_variants(text: str) -> list[str]:
    """Plausible decodings of encoded instructions hidden in a message (base64, hex, %-escapes, rot13)."""
    out = []
    for run in _B64_RUN.findall(text):
        padded = run + "=" * (-len(run) % 4)
        for decoder in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                decoded = decoder(padded).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                continue
            if decoded.isprintable() or "\n" in decoded:
                out.append(decoded)
                break
    for run in _HEX_RUN.findall(text):
        try:
            out.append(bytes.fromhex(re.sub(r"[\s:]", "", run)).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            pass
    if "%" in text:
        out.append(unquote(text))
    if re.search(r"[A-Za-z]{6,}", text):
        out.append(codecs.decode(text, "rot13"))
    return out


def screen(message: str) -> Screening:
    """Classify a message before it is answered: injection, staff_data, abuse, crisis, or None."""
    candidates = [message, *_decoded_variants(message)]
    for i, candidate in enumerate(candidates):
        flat = _flat(candidate)
        decoded = i > 0
        if _CRISIS_RE.search(flat) and not decoded:
            return Screening("crisis", "위기 표현")
        if _INJECTION_RE.search(flat):
            return Screening("injection", "지시 변경 시도" + (" (인코딩)" if decoded else ""))
        if _STAFF_RE.search(flat):
            return Screening("staff_data" if not decoded else "injection", "내부·타인 정보 요청")
        if _ABUSE_RE.search(flat) and not decoded:
            return Screening("abuse", "욕설·비방")
    return Screening(None)


# Fallback patterns used only when guai.privacy is not installed; guai.privacy is the real detector.
_FALLBACK = [
    (re.compile(r"\d{6}\s*-\s*[1-8]\d{6}"), "[주민번호]"),
    (re.compile(r"01[016789][-\s.]?\d{3,4}[-\s.]?\d{4}"), "[전화]"),
    (re.compile(r"0\d{1,2}[-\s.]\d{3,4}[-\s.]\d{4}"), "[전화]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[이메일]"),
    (re.compile(r"\d{2,3}[가-힣]\s?\d{4}"), "[차량번호]"),
    (re.compile(r"\d{4}[-\s]\d{4}[-\s]\d{4}[-\s]\d{4}"), "[카드번호]"),
    (re.compile(r"\d{2,6}-\d{2,6}-\d{2,8}"), "[계좌번호]"),
]


def mask_for_log(text: str) -> str:
    """Resident text with personal data replaced by placeholders (irreversible): for logs, lists, models."""
    try:
        from guai.privacy import mask_text
    except ImportError:
        masked = text
        for pattern, token in _FALLBACK:
            masked = pattern.sub(token, masked)
        return masked
    return mask_text(text)


def has_personal_data(text: str) -> bool:
    return mask_for_log(text) != text
