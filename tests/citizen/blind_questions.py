"""Blind evaluation set for the answer-confidence model (never used to tune it).

Written before any change to the confidence model and committed on its own, so the numbers
reported on it are honest: ANSWERABLE are phrased differently from both the guidance and
tests/citizen/questions.py; UNANSWERABLE are plausible district questions that examples/citizen/guidance.csv
has no entry for (checked by hand against every question, tag and answer) and must escalate.
Tuning uses tests/citizen/questions.py and the dev set in tests/citizen/dev_questions.py instead.
"""

ANSWERABLE: list[tuple[str, str]] = [
    ("월요일 밤에 종량제 봉투 내놔도 되나요?", "G001"),
    ("편의점에서 쓰레기 봉투 살 수 있어요?", "G002"),
    ("음식물 찌꺼기 내놓는 방법 좀 알려주세요", "G003"),
    ("조개 껍데기도 음식물 쓰레기통에 넣나요?", "G004"),
    ("박스랑 캔은 언제 내놓아야 하나요", "G005"),
    ("헌 책상 하나 버리려는데 신고해야 하나요", "G008"),
    ("안 쓰는 에어컨도 수거해 가나요?", "G010"),
    ("다 쓴 형광등 어디에 넣어요", "G015"),
    ("유통기한 지난 약 처리 방법", "G017"),
    ("기초생활보장 수급 신청할 때 서류 뭐 필요해요", "G020"),
    ("당장 생활비가 없어서 긴급 지원 받고 싶어요", "G024"),
    ("우리 아버지 올해 65세인데 노인 연금 받을 수 있나요", "G026"),
    ("혼자 아이 키우는데 양육비 지원 있나요", "G028"),
    ("주차 위반 딱지 받았는데 억울합니다", "G040"),
    ("집 앞 거주자 주차 구역 배정받고 싶어요", "G043"),
    ("견인된 차 찾으러 어디로 가야 하나요", "G045"),
    ("횡단보도에 차 세워둔 거 신고하려고요", "G046"),
    ("주민등록 초본 인터넷으로 뽑을 수 있나요", "G051"),
    ("혼인관계증명서 떼려면 어디 가요", "G054"),
    ("신분증 잃어버렸는데 재발급 어떻게 하나요", "G057"),
    ("아기 출생 신고 기한이 언제까지죠", "G059"),
    ("수영 강습 등록하고 싶어요", "G072"),
    ("도서관 책 빌리려면 회원증 필요해요?", "G073"),
    ("독감 백신 무료 대상이 누구예요", "G080"),
    ("식당 음식에서 벌레 나왔어요", "G083"),
    ("인도 보도블록이 깨졌어요", "G092"),
    ("하수구가 막혀서 물이 안 빠져요", "G094"),
    ("자동차세 연납 신청 기간", "G097"),
    ("전봇대에 붙은 불법 광고 신고", "G098"),
    ("취업 상담 받을 수 있는 곳 있나요", "G100"),
]

#: Plausible district questions with no guidance entry: a confident guidance answer here is wrong.
UNANSWERABLE: list[str] = [
    "외국인등록증 재발급 받으려면 어디로 가요",
    "경로당 노래교실 등록은 어떻게 해요",
    "여권을 잃어버렸는데 분실 신고는 어디서 하나요",
    "어린이집 입소 대기 신청 방법",
    "청년 월세 지원 신청 자격이 궁금해요",
    "전기차 충전소 어디에 있어요",
    "공공자전거 대여는 어떻게 하나요",
    "공공임대주택 입주 신청",
    "흡연구역 설치 요청하고 싶어요",
    "개명 신고는 어떻게 하나요",
    "결혼이민자 한국어 교실 있나요",
    "주민세 납부 기한이 언제예요",
    "수도 요금이 너무 많이 나왔어요",
    "자원봉사 신청하고 싶어요",
    "평생학습 강좌 신청",
    "주말농장 텃밭 분양 신청",
    "석면 슬레이트 지붕 철거 지원",
    "예비군 훈련 연기 신청",
    "고양이 중성화 수술 지원",
]
