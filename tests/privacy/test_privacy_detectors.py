"""Per-type tables of realistic sentences: what must be found (with its exact extent) and what must not.

All identifiers here are made up.
"""

from __future__ import annotations

import pytest

from guai.privacy import PiiType, detect

RRN, FRN, PHONE, EMAIL = PiiType.RRN, PiiType.FOREIGNER_RRN, PiiType.PHONE, PiiType.EMAIL
ACCOUNT, CARD, VEHICLE, ADDRESS, NAME = (
    PiiType.ACCOUNT,
    PiiType.CARD,
    PiiType.VEHICLE,
    PiiType.ADDRESS,
    PiiType.NAME,
)

POSITIVE: list[tuple[PiiType, str, str]] = [
    # 주민등록번호 / 외국인등록번호
    (RRN, "신청인 주민등록번호 900101-1234567을 기재해 주세요.", "900101-1234567"),
    (RRN, "주민번호: 850315-2345678", "850315-2345678"),
    (RRN, "2002년생 자녀 주민등록번호 020304-3123456 확인 바랍니다.", "020304-3123456"),
    (RRN, "주민번호 9001011234567로 조회했습니다.", "9001011234567"),
    (RRN, "주민등록번호 900101 1234567 (세대주)", "900101 1234567"),
    (RRN, "주민등록번호는 760229-1234567입니다.", "760229-1234567"),
    (RRN, "생년월일 및 주민번호 640812-2******", "640812-2******"),
    (RRN, "본인 확인용 주민등록번호(121212-4123456)를 보내 주세요", "121212-4123456"),
    (RRN, "주민등록번호 900101－1234567", "900101－1234567"),
    (RRN, "주민 번호 030101 - 3456789 입니다", "030101 - 3456789"),
    (RRN, "보내드린 서류에 781105-1029384 번호가 적혀 있었습니다.", "781105-1029384"),
    (FRN, "외국인등록번호 880512-5123456으로 체류지 변경을 신고했습니다.", "880512-5123456"),
    (FRN, "외국인 등록번호: 950723-6234567", "950723-6234567"),
    (FRN, "신청인(외국인등록번호 050607-7123456)의 서류", "050607-7123456"),
    (FRN, "등록번호 100101-8123456 확인", "100101-8123456"),
    # 전화번호
    (PHONE, "010-1234-5678로 연락 주세요.", "010-1234-5678"),
    (PHONE, "휴대폰 01012345678 입니다", "01012345678"),
    (PHONE, "연락처: 010 1234 5678", "010 1234 5678"),
    (PHONE, "번호는 010.9876.5432 입니다", "010.9876.5432"),
    (PHONE, "해외에서는 +82 10-1234-5678로 걸어 주세요", "+82 10-1234-5678"),
    (PHONE, "02-123-4567로 문의하시면 됩니다.", "02-123-4567"),
    (PHONE, "집 전화 031-1234-5678 (저녁에만 받습니다)", "031-1234-5678"),
    (PHONE, "(02) 2286-5114", "(02) 2286-5114"),
    (PHONE, "예전 번호 011-234-5678 은 해지했습니다", "011-234-5678"),
    (PHONE, "인터넷전화 070-4321-8765", "070-4321-8765"),
    (PHONE, "안심번호 0505-123-4567로 연락 바랍니다", "0505-123-4567"),
    (PHONE, "의회사무과(☏760 -7633)로 문의", "760 -7633"),
    (PHONE, "기반시설과(032-760- 8952)로 문의하여 주시면", "032-760- 8952"),
    (PHONE, "TEL. 051-888-1234 / FAX. 051-888-1235", "051-888-1234"),
    (PHONE, "전화 3146-1316 /전송 3146-1319", "3146-1316"),
    (PHONE, "담당자 TEL ０４４－２０１－４７５２", "０４４－２０１－４７５２"),
    # 이메일
    (EMAIL, "회신은 hong.gildong@example.co.kr로 보내 주세요.", "hong.gildong@example.co.kr"),
    (EMAIL, "이메일: minwon123@naver.com", "minwon123@naver.com"),
    (EMAIL, "자료를 kim_cs@korea.kr 주소로 송부하였습니다.", "kim_cs@korea.kr"),
    (EMAIL, "담당자 메일(jung-haneul@sd.go.kr)로 문의 바랍니다.", "jung-haneul@sd.go.kr"),
    (EMAIL, "제 이메일 주소는 Park.Min+notice@Gmail.com입니다", "Park.Min+notice@Gmail.com"),
    (EMAIL, "[이메일] : lee.yh@hanmail.net [답변내용]", "lee.yh@hanmail.net"),
    (EMAIL, "보낸사람: choi2024@daum.net", "choi2024@daum.net"),
    (EMAIL, "cs@guai.seoul.kr, 또는 전화로 문의", "cs@guai.seoul.kr"),
    (EMAIL, "메일주소 a.b-c@mail.example.org 확인", "a.b-c@mail.example.org"),
    (EMAIL, "<user99@nate.com>", "user99@nate.com"),
    # 계좌번호
    (ACCOUNT, "국민은행 123456-01-123456으로 입금해 주세요", "123456-01-123456"),
    (ACCOUNT, "신한은행 110-123-456789로 환불 바랍니다.", "110-123-456789"),
    (ACCOUNT, "우리은행 1002-123-456789 (예금주 본인)", "1002-123-456789"),
    (ACCOUNT, "하나은행 123-456789-12345", "123-456789-12345"),
    (ACCOUNT, "IBK기업은행 123-123456-01-012", "123-123456-01-012"),
    (ACCOUNT, "농협 301-1234-5678-11로 보조금이 입금됩니다", "301-1234-5678-11"),
    (ACCOUNT, "카카오뱅크 3333-01-1234567", "3333-01-1234567"),
    (ACCOUNT, "환불 계좌: 12345678901234", "12345678901234"),
    (ACCOUNT, "계좌번호 352 1234 5678 13 (농협)", "352 1234 5678 13"),
    (ACCOUNT, "과오납금은 110-987-654321 (신한)으로 돌려받고 싶습니다", "110-987-654321"),
    (ACCOUNT, "123456-01-654321 으로 보내 주세요", "123456-01-654321"),
    # 카드번호
    (CARD, "결제 카드번호 4111-1111-1111-1111로 승인되었습니다.", "4111-1111-1111-1111"),
    (CARD, "카드번호: 5500 0000 0000 0004", "5500 0000 0000 0004"),
    (CARD, "4012888888881881 카드로 납부했습니다", "4012888888881881"),
    (CARD, "아멕스 3782-822463-10005 결제 취소", "3782-822463-10005"),
    (CARD, "신용카드(5105-1051-0510-5100) 결제 취소를 요청합니다.", "5105-1051-0510-5100"),
    (CARD, "체크카드 4532 0151 1283 0366 분실 신고", "4532 0151 1283 0366"),
    (CARD, "카드 6011-1111-1111-1117", "6011-1111-1111-1117"),
    (CARD, "3530-1113-3330-0000 으로 자동이체", "3530-1113-3330-0000"),
    (CARD, "결제한 카드는 5555-5555-5555-4444 입니다", "5555-5555-5555-4444"),
    (CARD, "카드번호 1234-5678-9012-3456 (잘못 적은 번호라도 가립니다)", "1234-5678-9012-3456"),
    # 차량번호
    (VEHICLE, "12가3456 차량이 사흘째 소방차 전용구역에 서 있습니다.", "12가3456"),
    (VEHICLE, "차량번호 123가4567 불법 주정차 신고합니다.", "123가4567"),
    (VEHICLE, "서울12가3456 승용차", "서울12가3456"),
    (VEHICLE, "서울 12 가 3456 차량", "서울 12 가 3456"),
    (VEHICLE, "어제 저녁 34나 5678 승합차가 인도에 올라와 있었습니다.", "34나 5678"),
    (VEHICLE, "경기 56다7890, 흰색 화물차", "경기 56다7890"),
    (VEHICLE, "견인된 차량(78라 1234)의 보관소를 알려 주세요", "78라 1234"),
    (VEHICLE, "345하1234 렌터카가 장기 방치되어 있습니다", "345하1234"),
    (VEHICLE, "차량번호 56 머 7890 조회", "56 머 7890"),
    (VEHICLE, "부산 80 바 1234 택시 기사님이 친절했습니다", "부산 80 바 1234"),
    (VEHICLE, "22허3344, 33호4455 두 대가 주차되어 있음", "22허3344"),
    # 주소 (building or lot part only; area names stay)
    (ADDRESS, "서울특별시 성동구 왕십리로 123 앞 도로에 싱크홀이 생겼습니다.", "왕십리로 123"),
    (ADDRESS, "왕십리로 123-4에서 공사 소음이 심합니다.", "왕십리로 123-4"),
    (ADDRESS, "성수이로7길 34 앞 불법 투기", "성수이로7길 34"),
    (ADDRESS, "성수동1가 123-45 일대 악취", "123-45"),
    (ADDRESS, "중구 내동 123번지 앞", "123번지"),
    (ADDRESS, "래미안아파트 101동 1203호에 삽니다", "101동 1203호"),
    (ADDRESS, "주소: 고산자로 270", "고산자로 270"),
    (ADDRESS, "중앙로123번길 45 상가 앞", "중앙로123번길 45"),
    (ADDRESS, "인천광역시 중구 운남동 507-27 건축공사", "507-27"),
    (ADDRESS, "세종대로 110 (태평로1가)", "세종대로 110"),
    (ADDRESS, "왕십리로 222, 101동 1203호로 보내 주세요", "왕십리로 222, 101동 1203호"),
    (ADDRESS, "영종 운북동(56-53, 산175-2) 컨테이너", "산175-2"),
    (ADDRESS, "율목로 54 지하층에 있습니다", "율목로 54"),
    (ADDRESS, "왕십리로 123에 살고 있어요", "왕십리로 123"),
    # 이름
    (NAME, "홍길동 님, 요청하신 자료를 보내 드립니다.", "홍길동"),
    (NAME, "홍길동님 안녕하세요.", "홍길동"),
    (NAME, "민원인 김철수의 신청서를 접수했습니다.", "김철수"),
    (NAME, "담당자: 이영희", "이영희"),
    (NAME, "김철수 주무관에게 인계하였습니다.", "김철수"),
    (NAME, "박민수 씨가 오전에 방문했습니다.", "박민수"),
    (NAME, "성명: 최지우", "최지우"),
    (NAME, "신청인 정하늘은 서류를 보완하였습니다.", "정하늘"),
    (NAME, "남궁민수 팀장님 결재 바랍니다.", "남궁민수"),
    (NAME, "[작성자] : 윤서연 [전화번호] : [전화]", "윤서연"),
    (NAME, "이순자 할머니께서 도움을 요청하셨습니다.", "이순자"),
    (NAME, "홍보팀 김민준(010-1234-5678)에게 문의", "김민준"),
    (NAME, "재학생 홍길동 외 3명", "홍길동"),
    (NAME, "성명: 김구", "김구"),
    (NAME, "김지은 님께 안내 문자를 보냈습니다", "김지은"),
]

NEGATIVE: list[tuple[PiiType, str]] = [
    # 주민등록번호: other registration numbers, impossible dates, ids with 13 digits
    (RRN, "법인등록번호 110111-1234567"),
    (RRN, "접수번호 2024031512345"),
    (RRN, "주문번호 9013451234567"),
    (RRN, "사업자등록번호 123-45-67890"),
    (RRN, "송장번호 1234567890123"),
    (RRN, "900230-1234567은 날짜가 맞지 않습니다"),
    (RRN, "991301-1234567"),
    (RRN, "900101-9234567"),
    (RRN, "바코드 8801234567890"),
    (RRN, "계좌번호 9001011234567"),
    # 전화번호: business numbers, dates, times, ids
    (PHONE, "대표번호 1588-1234로 문의하세요"),
    (PHONE, "2024-05-01부터 접수합니다"),
    (PHONE, "운영 시간 14:00-16:00"),
    (PHONE, "민원번호 2AA-2405-123456"),
    (PHONE, "금113,560원(금일십일만삼천오백육십원)"),
    (PHONE, "2025. 3. 10. 시행"),
    (PHONE, "우편번호 04750"),
    (PHONE, "123-4567번 버스 노선"),
    (PHONE, "고시 제2019-92호"),
    (PHONE, "080-123-4567 수신자부담 전화"),
    (PHONE, "처리기관 접수번호 1AA-1910-380341"),
    # 이메일
    (EMAIL, "트위터 @guai_seoul 계정"),
    (EMAIL, "hong@localhost 는 내부 주소"),
    (EMAIL, "이메일 주소를 알려 주세요"),
    (EMAIL, "user at example dot com"),
    (EMAIL, "hong@example 까지만 적었습니다"),
    (EMAIL, "@홍길동 님 확인 바랍니다"),
    (EMAIL, "가격 3개@1,000원"),
    (EMAIL, "2024@ 행사"),
    # 계좌번호: document numbers, business numbers, tracking numbers, phones
    (ACCOUNT, "문서번호 2024-123456-01"),
    (ACCOUNT, "국민신문고 1AA-1910-380341"),
    (ACCOUNT, "사업자등록번호 123-45-67890"),
    (ACCOUNT, "등기우편(11204-0470-7556)으로 보냈습니다"),
    (ACCOUNT, "2024-05-01 접수"),
    (ACCOUNT, "제2024-1234호"),
    (ACCOUNT, "총사업비 3,000만원 중 금113,560원"),
    (ACCOUNT, "입금 문의는 010-1234-5678"),
    (ACCOUNT, "수험번호 : 008-2-0-101"),
    (ACCOUNT, "환경부고시 제2019-342호"),
    # 카드번호
    (CARD, "주문번호 1234-5678-9012-3456"),
    (CARD, "접수번호 2024031500012345"),
    (CARD, "2024-0315-0001-2345 건"),
    (CARD, "0000 0000 0000 0000"),
    (CARD, "1588-1234 상담"),
    (CARD, "총 1,111,111,111,111원"),
    (CARD, "9410123456781234"),
    (CARD, "2025. 3. 10. 14:00"),
    # 차량번호: court cases, quantities, article numbers
    (VEHICLE, "1991. 3. 12. 선고 91다2120 판결"),
    (VEHICLE, "대법원 2019다12345"),
    (VEHICLE, "12시 3000원"),
    (VEHICLE, "제12조 1234"),
    (VEHICLE, "52주 2000원"),
    (VEHICLE, "3개 1000원"),
    (VEHICLE, "10가구 1234명"),
    (VEHICLE, "24시 1234"),
    (VEHICLE, "2024년 12월"),
    # 주소
    (ADDRESS, "성수동 주민 여러분께 알려 드립니다"),
    (ADDRESS, "기준으로 3년마다 점검합니다"),
    (ADDRESS, "3층 회의실에서 열립니다"),
    (ADDRESS, "전화로 2회 안내했습니다"),
    (ADDRESS, "가로 3.5센티미터, 세로 4.5센티미터"),
    (ADDRESS, "오작로 20번길 일대 놀이터"),
    (ADDRESS, "종로5가역 2번 출구"),
    (ADDRESS, "서울시 성동구에서 주최합니다"),
    (ADDRESS, "성수동1가 주민센터"),
    (ADDRESS, "하나병원 응급실로 119구급대를 통해 옮겨졌습니다"),
    (ADDRESS, "인천 중구 항동7가에 위치한 마트"),
    (ADDRESS, "일곱 번째로 30-50클럽에 가입"),
    (ADDRESS, "제물량로 108번길 일원의 도로 파손"),
    # 이름: honorifics and titles without a person
    (NAME, "고객님, 문의해 주셔서 감사합니다."),
    (NAME, "구청장님께서 현장을 방문하셨습니다."),
    (NAME, "주민 여러분께 알려 드립니다."),
    (NAME, "담당자님께 전달하겠습니다."),
    (NAME, "선생님, 이용자님, 회원님"),
    (NAME, "민원인 방문 시 신분증을 지참하세요."),
    (NAME, "담당자 지정 후 통보합니다."),
    (NAME, "대표자 선정서를 제출하십시오."),
    (NAME, "위원장 1명을 포함하여 5명 이상 7명 이하의 위원으로 구성한다."),
    (NAME, "지하주차장의 침수 예방"),
    (NAME, "하나님께 기도합니다"),
    (NAME, "신청인 소유의 토지"),
    (NAME, "하지만 선생님들의 권위가"),
    (NAME, "고려대 교수, 서초동 변호사 사무실"),
    (NAME, "우수한 선생님을 모십니다"),
]


def _ids(cases: list[tuple]) -> list[str]:  # type: ignore[type-arg]
    return [f"{c[0].tag}-{i}" for i, c in enumerate(cases)]


@pytest.mark.parametrize(("pii_type", "sentence", "value"), POSITIVE, ids=_ids(POSITIVE))
def test_finds(pii_type: PiiType, sentence: str, value: str) -> None:
    spans = detect(sentence)
    found = [(s.type, s.value) for s in spans]
    assert (pii_type, value) in found, found
    for span in spans:
        assert sentence[span.start : span.end] == span.value


@pytest.mark.parametrize(("pii_type", "sentence"), NEGATIVE, ids=_ids(NEGATIVE))
def test_leaves_alone(pii_type: PiiType, sentence: str) -> None:
    assert [s.value for s in detect(sentence) if s.type is pii_type] == []


def test_tables_cover_every_type_with_enough_cases() -> None:
    for pii_type in PiiType:
        positives = sum(1 for t, *_ in POSITIVE if t is pii_type)
        negatives = sum(1 for t, _ in NEGATIVE if t is pii_type)
        if pii_type is FRN:  # shares the 주민등록번호 negatives
            assert positives >= 4
            continue
        assert positives >= 10, pii_type
        assert negatives >= 8, pii_type


def test_ordinary_official_numbers_are_never_masked() -> None:
    text = (
        "2025. 3. 10.(월) 14:00 구청 3층 대회의실에서 「도로교통법」 제50조제4항에 따른 설명회를 엽니다. "
        "총사업비 금113,560원(금일십일만삼천오백육십원), 예산 3,000만원, 민원 150건 중 30%를 처리했고 "
        "2024년 대비 12.5% 늘었습니다. 민원번호 2AA-2405-123456, 우편번호 04750, 2024-05-01 접수, "
        "고시 제2019-92호, 붙임  1. 계획서 1부.  끝."
    )
    assert detect(text) == []


def test_business_and_configured_public_numbers_stay() -> None:
    from guai.privacy import MaskingPolicy

    text = "콜센터 1588-1234, 교통행정과 02-2286-5114, 민원인 010-2222-3333"
    assert [s.value for s in detect(text)] == ["02-2286-5114", "010-2222-3333"]
    policy = MaskingPolicy(public_phone_prefixes=("02-2286-",))
    assert [s.value for s in detect(text, policy=policy)] == ["010-2222-3333"]
    strict = MaskingPolicy(mask_business_numbers=True)
    assert [s.value for s in detect(text, policy=strict)] == ["1588-1234", "02-2286-5114", "010-2222-3333"]


def test_switched_off_type_still_claims_its_text() -> None:
    # A phone number next to a bank keyword is not re-read as an account when phones are not masked.
    assert detect("입금 확인은 010-1234-5678로 연락 주세요", types=["계좌번호"]) == []
