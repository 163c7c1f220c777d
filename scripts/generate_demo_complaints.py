"""Generate the SYNTHETIC demo complaints of the fictional district 가온구 (fixed seed, reproducible).

Usage: .venv/bin/python scripts/generate_demo_complaints.py [--out examples/complaints/gaon_synthetic_complaints.csv.gz]
       [--seed 20240404] [--count 3200]

Every row is invented: templates in demo_complaints_topics.py are combined with fictional places, 동,
names and phone numbers; the columns look like a 새올 export (민원번호, 접수일, 접수경로, 제목, 민원내용,
동, 발생장소, 처리부서, 분류, 답변내용, 자료구분). 24 months: 2024-11 … 2026-10. The same seed always gives
byte-identical output (gzip mtime fixed).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_complaints_topics import NEAR_MISSES, PASSING, TOPICS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = 20240404
FIRST_MONTH = date(2024, 11, 1)
MONTHS = 24
DEFAULT_COUNT = 3200
DONG_PLACES = {
    "가온1동": ["가온역 2번 출구", "가온초등학교", "가온시장 입구"],
    "가온2동": ["가온중학교 후문", "가온2동 행정복지센터", "가온로 먹자골목"],
    "새빛동": ["새빛초등학교", "새빛공원", "새빛아파트 정문"],
    "한울동": ["한울역 1번 출구", "한울도서관", "한울사거리"],
    "누리동": ["누리시장", "누리어린이공원", "누리고등학교"],
    "별내동": ["별내천 산책로", "별내중학교", "별내버스정류장"],
    "푸른동": ["푸른공원", "푸른로 상가", "푸른아파트 놀이터"],
    "솔빛동": ["솔빛역 3번 출구", "솔빛체육센터", "솔빛로 교차로"],
    "미래동": ["미래초등학교", "미래도서관", "미래빌라 골목"],
    "하늘동": ["하늘공원", "하늘시장", "하늘교회 앞"],
    "마루동": ["마루사거리", "마루역 광장", "마루초등학교"],
    "다솜동": ["다솜천", "다솜어린이집", "다솜로 상가"],
}
CHANNELS = [
    ("새올 전자민원", "SE", 35),
    ("국민신문고", "1AA", 35),
    ("안전신문고", "SPP", 15),
    ("전화", "TEL", 10),
    ("방문", "VIS", 5),
]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민준", "서연", "지훈", "하은", "도윤", "수아", "예준", "지아", "현우", "채원", "준서", "유진"]
OPENERS = [
    "",
    "",
    "",
    "안녕하세요. ",
    "{dong}에 사는 주민입니다. ",
    "수고 많으십니다. ",
    "여러 번 말씀드렸는데 다시 민원 올립니다. ",
]
CLOSERS = [
    "",
    "빠른 조치 부탁드립니다.",
    "조속히 해결해 주세요.",
    "확인 부탁드립니다.",
    "몇 번이나 신고했는데 달라지지 않습니다.",
    "현장 한번 나와 봐 주세요.",
]


def _departments() -> dict[str, str]:
    with (ROOT / "examples" / "org" / "departments.csv").open(encoding="utf-8") as fh:
        return {row["부서명"]: row["전화번호"] for row in csv.DictReader(fh)}


def _month_weights(topic: dict) -> list[float]:
    season = topic.get("season", [1.0] * 12)
    out = []
    for k in range(MONTHS):
        month = (FIRST_MONTH.month - 1 + k) % 12
        out.append(season[month] * (1 + topic["growth"]) ** (k / 12))
    return out


def _date_in_month(rng: random.Random, k: int) -> date:
    year, month = divmod(FIRST_MONTH.month - 1 + k, 12)
    first = date(FIRST_MONTH.year + year, month + 1, 1)
    nxt = date(first.year + (first.month // 12), first.month % 12 + 1, 1)
    return first + timedelta(days=rng.randrange((nxt - first).days))


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return f"010-{rng.randrange(2000, 9999)}-{rng.randrange(1000, 9999)}"


def _reply(rng: random.Random, received: date, title: str, action: str, dept: str, phone: str) -> str:
    answered = received + timedelta(days=rng.randrange(2, 10))
    greeting = rng.choice(
        [
            "평소 구정에 관심을 가져 주신 데 대하여 감사드립니다.",
            "가온구 행정에 관심과 애정을 가져 주셔서 감사합니다.",
        ]
    )
    return (
        f"1. {greeting}\n2. 귀하께서 {received.year}. {received.month}. {received.day}. 신청하신 민원은 "
        f"'{title}'에 관한 것으로 이해됩니다.\n3. {action}\n"
        f"4. 기타 궁금하신 사항은 가온구 {dept}(☎ {phone}, 담당 주무관 {_person(rng)})로 연락 주시면 친절히 "
        f"안내해 드리겠습니다.  끝.\n(답변일: {answered.year}. {answered.month}. {answered.day}.)"
    )


def generate(seed: int = SEED, count: int = DEFAULT_COUNT) -> list[dict[str, str]]:
    rng = random.Random(seed)
    phones = _departments()
    dongs = list(DONG_PLACES)
    weights = [t["weight"] for t in TOPICS]
    rows: list[dict[str, str]] = []
    specials = [(t, "near") for t in NEAR_MISSES for _ in range(6)] + [
        (t, "passing") for t in PASSING for _ in range(5)
    ]
    n_regular = count - len(specials)
    plan = [("topic", rng.choices(range(len(TOPICS)), weights)[0]) for _ in range(n_regular)]
    plan += [("special", i) for i in range(len(specials))]
    for kind, which in plan:
        dong = rng.choice(dongs)
        place = rng.choice(DONG_PLACES[dong])
        if kind == "topic":
            topic = TOPICS[which]
            sub = rng.choices(topic["subs"], [s[0] for s in topic["subs"]])[0]
            _, titles, bodies, actions, extra = sub
            k = rng.choices(range(MONTHS), _month_weights(topic))[0]
            title = rng.choice(titles)
            body_parts = rng.sample(bodies, k=min(len(bodies), rng.choice([1, 1, 2])))
            depts = topic["departments"] + [d for d in extra if rng.random() < 0.25]
            dept = rng.choice(depts)
            if dept == "@동":
                dept = f"{dong} 주민센터"
            action = rng.choice(actions)
            category = topic["category"]
        else:
            spec, special_kind = specials[which]
            title, body, dept, action = spec
            body_parts = [body]
            k = rng.randrange(MONTHS)
            category = "기타" if special_kind == "near" else "생활"
        received = _date_in_month(rng, k)
        text = rng.choice(OPENERS) + " ".join(body_parts) + " " + rng.choice(CLOSERS)
        if rng.random() < 0.12:
            text += f" 연락처는 {_phone(rng)}입니다."
        if rng.random() < 0.05:
            text += f" 신청인 {_person(rng)}."
        fill = {"place": place, "dong": dong}
        channel, code, _ = rng.choices(CHANNELS, [c[2] for c in CHANNELS])[0]
        rows.append(
            {
                "received": received.isoformat(),
                "channel": channel,
                "code": code,
                "title": title.format(**fill),
                "content": " ".join(text.format(**fill).split()),
                "dong": dong,
                "place": place,
                "department": dept,
                "category": category,
                "answer": _reply(
                    rng,
                    received,
                    title.format(**fill),
                    action.format(**fill),
                    dept,
                    phones.get(dept, phones.get(f"{dong} 주민센터", "02-2600-1000")),
                ),
            }
        )
    rows.sort(key=lambda r: (r["received"], r["title"]))
    serial: dict[str, int] = {}
    out = []
    for r in rows:
        ym = r["received"][2:4] + r["received"][5:7]
        serial[ym] = serial.get(ym, 0) + 1
        out.append(
            {
                "민원번호": f"{r['code']}-{ym}-{serial[ym]:06d}",
                "접수일": r["received"],
                "접수경로": r["channel"],
                "제목": r["title"],
                "민원내용": r["content"],
                "동": r["dong"],
                "발생장소": r["place"],
                "처리부서": r["department"],
                "분류": r["category"],
                "답변내용": r["answer"],
                "자료구분": "합성(가상) 데이터",
            }
        )
    return out


def write(rows: list[dict[str, str]], out: Path) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".gz":
        with (
            out.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
        ):
            gz.write(data)
    else:
        out.write_bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "examples" / "complaints" / "gaon_synthetic_complaints.csv.gz"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    args = parser.parse_args()
    rows = generate(args.seed, args.count)
    write(rows, args.out)
    depts = {r["처리부서"] for r in rows}
    print(
        f"{args.out}: {len(rows)}건, 부서 {len(depts)}곳, 기간 {rows[0]['접수일']} ~ {rows[-1]['접수일']} (합성 데이터)"
    )


if __name__ == "__main__":
    main()
