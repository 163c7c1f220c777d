"""Development set for tuning the answer-confidence model (the blind set is tests/citizen/blind_questions.py).

Plausible district questions with no guidance entry, chosen as hard negatives: each shares words
with some entry (연금, 재발급, 장애인, 음식점, 도로, 광고물, 강좌, 세금 ...) but asks about
something the guidance does not answer. The answerable side of tuning is tests/citizen/questions.py plus DEV_ANSWERABLE below
(paraphrases that measure how often the stricter model escalates a question it could answer).
"""

DEV_ANSWERABLE: list[tuple[str, str]] = [
    ("쓰레기 내놓는 시간이 몇 시부터예요", "G001"),
    ("100리터 봉투도 파나요", "G002"),
    ("음식물 수거통 칩은 어디서 사요", "G003"),
    ("페트병 뚜껑 닫아서 버리나요", "G006"),
    ("뽁뽁이는 비닐로 버려요?", "G007"),
    ("매트리스 버리는 비용이 얼마예요", "G009"),
    ("전자레인지 버리는 방법", "G010"),
    ("청소차가 우리 집 쓰레기만 빼먹었어요", "G012"),
    ("뚝배기 깨진 거 어디에 버려요", "G014"),
    ("이불은 의류수거함에 넣어도 되나요", "G016"),
    ("생계급여 주거급여 차이가 뭐예요", "G021"),
    ("화재로 집을 잃었는데 지원받을 수 있나요", "G024"),
    ("독거노인 이웃이 걱정돼요", "G029"),
    ("첫만남이용권 신청은 어디서", "G030"),
    ("과태료 사전통지 의견 제출 기한", "G041"),
    ("우선주차 구역 배정 신청 방법", "G043"),
    ("견인료 얼마예요", "G045"),
    ("위택스로 과태료 납부하는 법", "G048"),
    ("인감증명 대리 발급 위임장", "G052"),
    ("기본증명서 발급받고 싶어요", "G054"),
    ("모바일 신분증 발급", "G057"),
    ("주말에 서류 뗄 수 있는 곳", "G058"),
    ("상속 재산 조회 신청", "G060"),
    ("여권 사진 규격이 어떻게 돼요", "G061"),
    ("건축물대장 열람", "G063"),
    ("구민회관 세미나실 대여", "G074"),
    ("기억력이 자꾸 떨어지는데 검사 받을 수 있나요", "G082"),
    ("층간소음 신고는 어디로", "G091"),
    ("보안등이 깜빡거려요", "G093"),
    ("폭염 쉼터 위치 알려주세요", "G099"),
]


DEV_UNANSWERABLE: list[str] = [
    "경로당 프로그램 신청",
    "외국인 등록증 갱신",
    "국민연금 수령액 조회",
    "운전면허 갱신은 어디서 해요",
    "주택 청약 신청 방법",
    "장애인 주차 표지 발급",
    "음식점 영업 신고 하려면",
    "빈집 정비 신고",
    "길고양이 급식소 설치 요청",
    "도로 점용 허가 신청",
    "옥외 광고물 허가 신청",
    "체육센터 강사 채용 공고",
    "건강검진 무료로 받는 곳",
    "지방세 체납 분할 납부",
    "헌혈 어디서 해요",
    "공원에서 바베큐 해도 되나요",
    "다자녀 가정 혜택",
    "국가유공자 보훈 수당 신청",
    "사업자 등록증 발급",
    "학교 급식 민원",
]
