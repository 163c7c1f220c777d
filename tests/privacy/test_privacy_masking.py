"""mask / restore / mask_text, the policy an admin stores, summaries, and the public API."""

from __future__ import annotations

from pathlib import Path

import pytest

import guai.privacy as privacy
from guai.privacy import (
    Masker,
    MaskingPolicy,
    MaskResult,
    PiiType,
    mask,
    mask_text,
    parse_types,
    restore,
    summarise_counts,
)

COMPLAINT = (
    "안녕하세요. 성동구 성수동에 사는 민원인 김철수입니다. 왕십리로 123-4 앞에 12가3456 차량이 일주일째 서 있습니다. "
    "연락은 010-1234-5678 또는 kim.cs@example.com으로 주시고, 급하면 01012345678로 문자 주세요. "
    "과태료 환급은 신한은행 110-123-456789로 부탁드립니다. 김철수 드림"
)


def test_mask_numbers_placeholders_per_type_and_reuses_them() -> None:
    result = mask(COMPLAINT)
    assert result.text == (
        "안녕하세요. 성동구 성수동에 사는 민원인 [이름1]입니다. [주소1] 앞에 [차량번호1] 차량이 일주일째 서 있습니다. "
        "연락은 [전화1] 또는 [이메일1]으로 주시고, 급하면 [전화1]로 문자 주세요. "
        "과태료 환급은 신한은행 [계좌1]로 부탁드립니다. [이름1] 드림"
    )
    assert result.mapping == {
        "[이름1]": "김철수",
        "[주소1]": "왕십리로 123-4",
        "[차량번호1]": "12가3456",
        "[전화1]": "010-1234-5678",
        "[이메일1]": "kim.cs@example.com",
        "[계좌1]": "110-123-456789",
    }
    assert result.counts == {
        PiiType.PHONE: 2,
        PiiType.EMAIL: 1,
        PiiType.ACCOUNT: 1,
        PiiType.VEHICLE: 1,
        PiiType.ADDRESS: 1,
        PiiType.NAME: 2,
    }
    assert result.counts["전화번호"] == 2  # keys are str enums: plain Korean names work
    assert result.summary() == "전화 2건, 이메일 1건, 계좌 1건, 차량번호 1건, 주소 1건, 이름 2건"
    assert result.found


def test_spans_point_into_the_original_text() -> None:
    result = mask(COMPLAINT)
    for span in result.spans:
        assert COMPLAINT[span.start : span.end] == span.value
        assert result.mapping[span.placeholder] in (span.value, "010-1234-5678")
    assert [s.placeholder for s in result.spans if s.type is PiiType.PHONE] == ["[전화1]", "[전화1]"]
    start = COMPLAINT.index("김철수")
    assert result.spans[0].to_dict() == {
        "type": "이름",
        "start": start,
        "end": start + 3,
        "placeholder": "[이름1]",
    }
    assert result.spans[0].to_dict(include_value=True)["value"] == "김철수"


def test_different_values_get_different_numbers() -> None:
    result = mask("1차 연락처 010-1111-2222, 2차 연락처 010-3333-4444, 다시 1차 010-1111-2222")
    assert result.text == "1차 연락처 [전화1], 2차 연락처 [전화2], 다시 1차 [전화1]"
    assert result.counts == {PiiType.PHONE: 3}


def test_irreversible_masking_uses_the_shared_data_tokens() -> None:
    text = "홍길동 님 010-1234-5678, 주민등록번호 900101-1234567, hong@example.com"
    assert mask_text(text) == "[이름] 님 [전화], 주민등록번호 [주민번호], [이메일]"
    result = mask(text, reversible=False)
    assert result.mapping == {}
    assert restore(result.text, result.mapping) == result.text


def test_types_narrow_what_is_masked() -> None:
    text = "홍길동 님 010-1234-5678, hong@example.com"
    assert mask_text(text, ["전화"]) == "홍길동 님 [전화], hong@example.com"
    assert mask(text, types="이메일,name").text == "[이름1] 님 010-1234-5678, [이메일1]"
    assert mask(text, types=[]).text == text
    with pytest.raises(ValueError, match="알 수 없는 개인정보 유형"):
        mask(text, types=["여권번호"])


def test_round_trip_through_a_model_reply() -> None:
    original = "민원인 박민수 씨(010-2345-6789)가 성수동1가 123-45 주택 누수 문제로 신고했습니다."
    result = mask(original)
    assert result.text == "민원인 [이름1] 씨([전화1])가 성수동1가 [주소1] 주택 누수 문제로 신고했습니다."
    # What a model might send back: placeholders repeated, reordered, respaced, full-width, long names, dropped.
    reply = (
        "[이름1] 님께: [주소1] 누수 건은 현장 확인 후 [ 전화 1 ]로 연락드리겠습니다. "
        "［이름1］ 님의 연락처 [전화번호1]은 담당 부서에만 전달됩니다. [이름1] 님 감사합니다."
    )
    assert restore(reply, result.mapping) == (
        "박민수 님께: 123-45 누수 건은 현장 확인 후 010-2345-6789로 연락드리겠습니다. "
        "박민수 님의 연락처 010-2345-6789은 담당 부서에만 전달됩니다. 박민수 님 감사합니다."
    )
    assert result.restore("주소만 다시: [주소1]") == "주소만 다시: 123-45"
    assert restore("개인정보 없이 쓴 답변입니다.", result.mapping) == "개인정보 없이 쓴 답변입니다."


def test_masker_numbers_a_whole_conversation() -> None:
    masker = Masker()
    system = masker.mask("민원인 박민수 씨, 연락처 010-2345-6789")
    user = masker.mask("박민수 씨 번호 010-2345-6789 말고 02-123-4567로 연락 부탁해요")
    assert system.text == "민원인 [이름1] 씨, 연락처 [전화1]"
    assert user.text == "[이름1] 씨 번호 [전화1] 말고 [전화2]로 연락 부탁해요"
    assert user.mapping == {"[이름1]": "박민수", "[전화1]": "010-2345-6789", "[전화2]": "02-123-4567"}
    assert masker.mapping == user.mapping
    assert (
        masker.restore("[이름1] 님, [전화2]로 연락드리겠습니다.")
        == "박민수 님, 02-123-4567로 연락드리겠습니다."
    )
    again = Masker(types=["전화"]).mask(user.text.replace("[전화2]", "031-111-2222"))
    assert again.text == user.text  # "[전화1]" is already in the text, so the new number becomes [전화2]


def test_restore_is_careful_with_unknown_and_ambiguous_placeholders() -> None:
    one = mask("연락처 010-1234-5678")
    assert restore("[전화]로 연락드립니다", one.mapping) == "010-1234-5678로 연락드립니다"
    two = mask("연락처 010-1234-5678, 02-123-4567")
    assert restore("[전화]로 연락드립니다", two.mapping) == "[전화]로 연락드립니다"  # which one? leave it
    assert restore("[전화9] 또는 [이름1]", two.mapping) == "[전화9] 또는 [이름1]"
    assert restore("[계좌1]", {"[계좌1]": "110-123-456789", "<custom>": "x"}) == "110-123-456789"
    assert restore("<custom>", {"<custom>": "x"}) == "x"
    assert restore("[전화1]", {}) == "[전화1]"


def test_placeholders_never_collide_with_text_already_there() -> None:
    text = "예시: [전화1] 자리에 번호가 들어갑니다. 실제 번호 010-9999-8888"
    result = mask(text)
    assert result.text == "예시: [전화1] 자리에 번호가 들어갑니다. 실제 번호 [전화2]"
    assert (
        restore(result.text, result.mapping)
        == "예시: [전화1] 자리에 번호가 들어갑니다. 실제 번호 010-9999-8888"
    )


def test_full_width_and_odd_dashes_keep_offsets() -> None:
    text = "연락처 ０１０－１２３４－５６７８ 와 02–123–4567"
    result = mask(text)
    assert result.text == "연락처 [전화1] 와 [전화2]"
    assert result.mapping["[전화1]"] == "０１０－１２３４－５６７８"


def test_empty_and_clean_text() -> None:
    assert mask("").text == ""
    clean = mask("오늘 회의는 14:00에 3층에서 열립니다.")
    assert clean.text == "오늘 회의는 14:00에 3층에서 열립니다."
    assert not clean.found and clean.summary() == "없음" and clean.mapping == {}


def test_to_dict_hides_values_unless_asked() -> None:
    result = mask("홍길동 님 010-1234-5678")
    data = result.to_dict()
    assert data["text"] == "[이름1] 님 [전화1]"
    assert "mapping" not in data and all("value" not in s for s in data["spans"])
    assert data["counts"] == {"전화번호": 1, "이름": 1}
    full = result.to_dict(include_values=True)
    assert full["mapping"] == {"[이름1]": "홍길동", "[전화1]": "010-1234-5678"}


# --- policy -------------------------------------------------------------------------------------------------


def test_policy_round_trips_through_a_dict() -> None:
    policy = MaskingPolicy(
        types=parse_types(["전화", "이메일", "주민번호"]),
        public_phone_prefixes=("02-2286-",),
        mask_business_numbers=True,
    )
    data = policy.to_dict()
    assert data == {
        "types": ["주민등록번호", "전화번호", "이메일"],
        "public_phone_prefixes": ["02-2286-"],
        "mask_business_numbers": True,
    }
    assert MaskingPolicy.from_dict(data) == policy
    assert MaskingPolicy.from_dict({}) == MaskingPolicy()
    assert MaskingPolicy().to_dict()["types"] == [t.value for t in PiiType]


@pytest.mark.parametrize(
    "bad",
    [
        {"types": ["전화", "여권"]},
        {"types": "전화"},
        {"typo": True},
        {"public_phone_prefixes": "02-2286"},
        {"public_phone_prefixes": ["없음"]},
        {"mask_business_numbers": "yes"},
    ],
)
def test_policy_from_dict_rejects_bad_settings(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        MaskingPolicy.from_dict(bad)


def test_policy_drives_masking() -> None:
    text = "교통행정과 02-2286-5114, 민원인 010-2222-3333, 콜센터 1588-1234, hong@example.com"
    policy = MaskingPolicy(types=parse_types("전화"), public_phone_prefixes=("02-2286",))
    assert (
        mask_text(text, policy=policy)
        == "교통행정과 02-2286-5114, 민원인 [전화], 콜센터 1588-1234, hong@example.com"
    )
    assert mask_text(text, types=["이메일"], policy=policy) == text  # types narrow the policy, never widen it
    assert policy.is_public_phone("+82 2-2286-5114")


def test_summarise_counts_accepts_names_and_orders_by_type() -> None:
    assert summarise_counts({"이메일": 1, "전화번호": 2}) == "전화 2건, 이메일 1건"
    assert summarise_counts({PiiType.NAME: 1, "주민번호": 1, "card": 0}) == "주민번호 1건, 이름 1건"
    assert summarise_counts({}) == "없음"
    assert summarise_counts({}, empty="") == ""
    assert summarise_counts({"전화": 1200}) == "전화 1,200건"


def test_type_parsing_accepts_names_tags_and_aliases() -> None:
    assert PiiType.parse("전화번호") is PiiType.PHONE
    assert PiiType.parse("[전화]") is PiiType.PHONE
    assert PiiType.parse("Phone") is PiiType.PHONE
    assert PiiType.parse("외국인번호") is PiiType.FOREIGNER_RRN
    assert parse_types(None) == frozenset(PiiType)
    assert parse_types(" 카드 , 계좌 ") == {PiiType.CARD, PiiType.ACCOUNT}
    assert [t.tag for t in PiiType] == [
        "주민번호",
        "외국인번호",
        "전화",
        "이메일",
        "계좌",
        "카드",
        "차량번호",
        "주소",
        "이름",
    ]


# --- API and house rules -----------------------------------------------------------------------------------


def test_public_api_is_explicit_and_documented() -> None:
    assert sorted(privacy.__all__) == privacy.__all__
    for name in privacy.__all__:
        obj = getattr(privacy, name)
        if callable(obj) and not isinstance(obj, frozenset):
            assert obj.__doc__, name
    assert isinstance(mask("x"), MaskResult)


def test_modules_stay_small() -> None:
    package = Path(privacy.__file__).parent
    for path in package.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 800, path.name


def test_long_mixed_text_masks_every_repeat_and_no_ordinary_numbers() -> None:
    # Speed is measured by bench/bench_masking.py; here: a long text gives the same result as its parts.
    unit = COMPLAINT + "\n" + "2025. 3. 10. 제50조제4항에 따라 금113,560원을 부과합니다. " * 5
    single = mask(unit)
    many = mask(unit * 300)
    assert {t: n * 300 for t, n in single.counts.items()} == {t: n for t, n in many.counts.items()}
    assert "제50조제4항" in many.text and "금113,560원" in many.text and "2025. 3. 10." in many.text


def test_package_docstring_example_runs() -> None:
    import doctest

    assert doctest.testmod(privacy).failed == 0


def test_dense_contact_list_numbers_every_entry() -> None:
    # Thousands of spans in one text (a contact list): every entry is found and numbered in order.
    # (time is measured by bench/bench_masking.py, not here)
    text = "".join(f"김철수 님 010-{i:04d}-{i:04d}\n" for i in range(4000))
    result = mask(text)
    assert result.counts == {PiiType.PHONE: 4000, PiiType.NAME: 4000}
    assert result.spans[-1].placeholder == "[전화4000]"
