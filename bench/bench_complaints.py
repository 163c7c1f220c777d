"""Complaint analytics at scale: 100,000 complaints resampled from the real ones, guai vs a naive baseline.

Usage: .venv/bin/python bench/bench_complaints.py [--n 100000] [--kiwi-sample 20000]

Data: GUAI_BENCH_DATA (default <repo>/../shared/data): incheon_junggu_minwon.csv, ongjin_minwon_categories.csv and
cheongwadae_petitions_2017_2019.csv are resampled with small perturbations (another 동, sentences shuffled,
a date in 24 months, a reference number), bodies cut to 200 characters, into one CSV.
Each phase runs in its own process so peak memory (ru_maxrss) is per phase:
  kiwi   raw Kiwi(num_workers=2).tokenize throughput on a sample of the same texts (chars/s)
  import guai complaints import (parse, dedup, Kiwi tokens, SQLite insert) — chars/s and ratio to raw Kiwi
  rank   cold (index build) and warm rank_topic for three topics (median of 5)
  naive  baseline: csv + plain INSERT import; rank = SELECT all texts, substring scan + Counter
Writes bench/results/complaints.json and prints a Rich table.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("GUAI_BENCH_DATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "bench" / "results" / "complaints.json"
TOPICS = ["불법 주정차", "가로등 고장", "쓰레기 무단투기"]
NAIVE_WORDS = {
    "불법 주정차": ["주정차", "불법주차", "불법 주차"],
    "가로등 고장": ["가로등"],
    "쓰레기 무단투기": ["무단투기", "무단 투기"],
}
DONGS = ["가온1동", "가온2동", "새빛동", "한울동", "누리동", "별내동", "푸른동", "솔빛동", "미래동", "하늘동"]
BODY_CHARS = 200
SEED = 7


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(n: int, out: Path) -> dict[str, object]:
    """Resample the real complaints with small perturbations into one CSV."""
    rng = random.Random(SEED)
    sources: list[tuple[str, str, str, str]] = []
    comp = DATA / "complaints"
    with (comp / "incheon_junggu_minwon.csv").open(encoding="utf-8") as fh:
        sources += [(r["title"], r["content"], r["department"], r["answer"]) for r in csv.DictReader(fh)]
    with (comp / "ongjin_minwon_categories.csv").open(encoding="utf-8") as fh:
        sources += [(r["title"], r["summary"], r["category"], "") for r in csv.DictReader(fh)]
    with (comp / "cheongwadae_petitions_2017_2019.csv").open(encoding="utf-8") as fh:
        sources += [(r["title"], r["content"], r["category"], "") for r in csv.DictReader(fh)]
    start = date(2024, 11, 1)
    chars = 0
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["민원번호", "접수일", "제목", "민원내용", "처리부서", "동", "답변내용"])
        for i in range(n):
            title, body, dept, answer = rng.choice(sources)
            sentences = re.split(r"(?<=[.!?다])\s+", body)
            if len(sentences) > 2 and rng.random() < 0.5:
                rng.shuffle(sentences)
            body = " ".join(sentences)[:BODY_CHARS]
            dong = rng.choice(DONGS)
            body = f"{dong} {body} (참고 {rng.randrange(1, 999)})"
            day = start + timedelta(days=rng.randrange(730))
            chars += len(title) + len(body)
            writer.writerow([f"B-{i:07d}", day.isoformat(), title, body, dept, dong, answer[:300]])
    return {"rows": n, "sources": len(sources), "chars": chars}


def phase_kiwi(csv_path: Path, sample: int) -> dict[str, object]:
    from kiwipiepy import Kiwi

    with csv_path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:sample]
    texts = [r["제목"] for r in rows] + [r["민원내용"] for r in rows]
    kiwi = Kiwi(num_workers=2)
    kiwi.tokenize("워밍업")
    started = time.perf_counter()
    for _ in kiwi.tokenize(texts):
        pass
    secs = time.perf_counter() - started
    chars = sum(map(len, texts))
    return {
        "texts": len(texts),
        "chars": chars,
        "seconds": secs,
        "chars_per_s": chars / secs,
        "peak_mb": peak_mb(),
    }


def _settings(home: Path):  # type: ignore[no-untyped-def]
    from guai.config import load_settings

    return load_settings(home=home)


def phase_import(csv_path: Path, home: Path) -> dict[str, object]:
    from guai.complaints.operations import import_file
    from guai.db.engine import Database

    settings = _settings(home)
    db = Database(settings)
    db.upgrade()
    data = csv_path.read_bytes()
    started = time.perf_counter()
    with db.session() as s:
        report = import_file(s, data, csv_path.name, actor="bench", settings=settings)
    secs = time.perf_counter() - started
    return {
        "rows": report.imported,
        "seconds": secs,
        "rows_per_s": report.imported / secs,
        "chars_tokenised": report.chars_tokenised,
        "chars_per_s": report.chars_tokenised / secs,
        "peak_mb": peak_mb(),
    }


def phase_rank(home: Path) -> dict[str, object]:
    from guai.complaints.service import rank_topic
    from guai.db.engine import Database

    settings = _settings(home)
    db = Database(settings)
    out: dict[str, object] = {}
    started = time.perf_counter()
    with db.session() as s:
        first = rank_topic(s, TOPICS[0], settings=settings)
    out["cold_seconds"] = time.perf_counter() - started
    for topic in TOPICS:
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            with db.session() as s:
                ranking = rank_topic(s, topic, settings=settings)
            times.append(time.perf_counter() - t0)
        out[topic] = {
            "warm_median_s": statistics.median(times),
            "total": ranking.total,
            "groups": [(g.label, g.count) for g in ranking.groups[:5]],
        }
    out["first_total"] = first.total
    out["peak_mb"] = peak_mb()
    return out


def phase_naive(csv_path: Path, workdir: Path) -> dict[str, object]:
    """Naive baseline: csv → plain SQLite table; rank = load every text, substring test, Counter."""
    db_path = workdir / "naive.db"
    db_path.unlink(missing_ok=True)
    started = time.perf_counter()
    con = sqlite3.connect(db_path)
    con.execute(
        "create table c (no text, day text, title text, body text, dept text, dong text, answer text)"
    )
    with csv_path.open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        con.executemany("insert into c values (?,?,?,?,?,?,?)", reader)
    con.commit()
    import_secs = time.perf_counter() - started
    out: dict[str, object] = {"import_seconds": import_secs}
    last = con.execute("select max(day) from c").fetchone()[0]
    end = date.fromisoformat(last)
    since = date(end.year - 1, end.month, 1).isoformat()
    for topic in TOPICS:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            rows = con.execute(
                "select no, day, title, body, dept, dong from c where day >= ?", (since,)
            ).fetchall()
            words = NAIVE_WORDS[topic]
            hits = [r for r in rows if any(w in r[2] or w in r[3] for w in words)]
            by_dept = Counter(r[4] for r in hits)
            by_month = Counter(r[1][:7] for r in hits)
            _ = (by_dept.most_common(5), sorted(by_month.items()))
            times.append(time.perf_counter() - t0)
        out[topic] = {"warm_median_s": statistics.median(times), "total": len(hits)}
    con.close()
    out["peak_mb"] = peak_mb()
    return out


def run_phase(name: str, *args: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, __file__, "--phase", name, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--kiwi-sample", type=int, default=20_000)
    parser.add_argument("--phase")
    parser.add_argument("--csv")
    parser.add_argument("--home")
    args = parser.parse_args()
    if args.phase:
        csv_path, home = Path(args.csv), Path(args.home)
        result = {
            "kiwi": lambda: phase_kiwi(csv_path, args.kiwi_sample),
            "import": lambda: phase_import(csv_path, home),
            "rank": lambda: phase_rank(home),
            "naive": lambda: phase_naive(csv_path, home),
        }[args.phase]()
        print(json.dumps(result, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not (DATA / "complaints" / "incheon_junggu_minwon.csv").is_file():
        console.print(
            f"[red]벤치마크 자료가 없습니다: {DATA}/complaints (GUAI_BENCH_DATA 로 지정). 건너뜁니다.[/]"
        )
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps({"skipped": f"no data at {DATA}"}), encoding="utf-8")
        return
    with tempfile.TemporaryDirectory(prefix="guai-bench-") as tmp:
        work = Path(tmp)
        csv_path = work / "complaints_100k.csv"
        with console.status(f"{args.n:,}건 만드는 중…"):
            built = build(args.n, csv_path)
        common = [
            "--csv",
            str(csv_path),
            "--home",
            str(work / "home"),
            "--kiwi-sample",
            str(args.kiwi_sample),
        ]
        with console.status("Kiwi 원시 처리량…"):
            kiwi = run_phase("kiwi", *common)
        with console.status("guai 가져오기…"):
            imported = run_phase("import", *common)
        with console.status("순위 질의…"):
            ranked = run_phase("rank", *common)
        with console.status("단순 기준선…"):
            naive = run_phase("naive", *common)
    ratio = imported["chars_per_s"] / kiwi["chars_per_s"]
    table = Table(title=f"민원 분석 벤치마크: {args.n:,}건 (실제 민원 재표본 + 변형)")
    table.add_column("항목")
    table.add_column("guai", justify="right")
    table.add_column("단순 기준선 (부분 문자열 + Counter)", justify="right")
    table.add_row(
        "가져오기 시간",
        f"{imported['seconds']:.1f}s ({imported['rows_per_s']:,.0f}건/s)",
        f"{naive['import_seconds']:.1f}s (형태소 분석 없음)",
    )
    table.add_row(
        "가져오기 처리량 / Kiwi 원시 처리량",
        f"{imported['chars_per_s']:,.0f} / {kiwi['chars_per_s']:,.0f} 자/s = {ratio:.2f}",
        "-",
    )
    table.add_row("첫 질의 (색인 생성 포함)", f"{ranked['cold_seconds']:.2f}s", "-")
    for topic in TOPICS:
        g, b = ranked[topic], naive[topic]
        table.add_row(
            f"'{topic}' 순위 (warm, 중앙값)",
            f"{g['warm_median_s'] * 1000:.0f} ms · {g['total']:,}건",
            f"{b['warm_median_s'] * 1000:.0f} ms · {b['total']:,}건 (유형 없음)",
        )
    table.add_row(
        "최대 메모리",
        f"가져오기 {imported['peak_mb']:.0f} MB · 순위 {ranked['peak_mb']:.0f} MB",
        f"{naive['peak_mb']:.0f} MB",
    )
    table.add_row("Kiwi 원시 측정", f"{kiwi['texts']:,}개 텍스트 표본, 최대 {kiwi['peak_mb']:.0f} MB", "")
    console.print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "n": args.n,
                "built": built,
                "kiwi_raw": kiwi,
                "import": imported,
                "import_to_kiwi_ratio": ratio,
                "rank": ranked,
                "naive": naive,
                "targets": {
                    "warm_rank_under_1s": all(ranked[t]["warm_median_s"] < 1 for t in TOPICS),
                    "peak_under_1500mb": max(imported["peak_mb"], ranked["peak_mb"]) < 1500,
                },
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    console.print(f"결과: {RESULTS}")


if __name__ == "__main__":
    main()
