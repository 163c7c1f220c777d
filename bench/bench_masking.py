"""Masking throughput vs Kiwi analysis throughput on real complaint texts (target: masking not slower).

    .venv/bin/python bench/bench_masking.py [--limit N] [--repeat R]

Texts: incheon_junggu_minwon.csv (content and answer) and cheongwadae_petitions_2017_2019.csv (content) from
the shared data directory ($GUAI_BENCH_DATA, default ../shared/data next to the repository). Both sides get
the same texts in the same process, after warm-up (Kiwi model loaded, masking word lists read), best of
R runs. Kiwi runs through guai.korean.tokens_batch (two worker threads) when that module exists, else
kiwipiepy's batch tokenize with num_workers=2. Prints a table and writes bench/results/masking.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from guai.privacy import PiiType, mask, summarise_counts  # noqa: E402

RESULTS = REPO / "bench" / "results" / "masking.json"
SOURCES = (
    ("complaints/incheon_junggu_minwon.csv", ("content", "answer")),
    ("complaints/cheongwadae_petitions_2017_2019.csv", ("content",)),
)

console = Console()


def data_dir() -> Path:
    return Path(os.environ.get("GUAI_BENCH_DATA") or REPO.parent / "shared" / "data")


def load_texts(root: Path, limit: int | None) -> list[str]:
    """Non-empty text fields of the complaint files, in file order, at most `limit` texts."""
    csv.field_size_limit(10_000_000)
    texts: list[str] = []
    for rel, columns in SOURCES:
        with (root / rel).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                texts.extend(row[c] for c in columns if row.get(c, "").strip())
    return texts[:limit] if limit else texts


def kiwi_runner() -> tuple[str, Callable[[Sequence[str]], object]]:
    """The Kiwi analysis the platform uses, loaded and warmed up."""
    try:
        from guai.korean import get_kiwi, tokens_batch
    except ImportError:
        from kiwipiepy import Kiwi  # type: ignore[import-untyped]

        kiwi = Kiwi(num_workers=2)
        kiwi.tokenize("워밍업 문장입니다.")
        return "kiwipiepy Kiwi(num_workers=2).tokenize(batch)", lambda texts: list(kiwi.tokenize(list(texts)))
    get_kiwi()
    tokens_batch(["워밍업 문장입니다."])
    return "guai.korean.tokens_batch (Kiwi, 2 workers)", tokens_batch


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def mask_all(texts: Sequence[str]) -> Counter[PiiType]:
    counts: Counter[PiiType] = Counter()
    for text in texts:
        counts.update(mask(text).counts)
    return counts


def per_text_latency_ms(texts: Sequence[str]) -> dict[str, float]:
    samples = []
    for text in texts:
        started = time.perf_counter()
        mask(text)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "mean": statistics.fmean(samples),
        "p50": samples[len(samples) // 2],
        "p95": samples[int(len(samples) * 0.95)],
        "max": samples[-1],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="use only the first N texts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; the best is reported")
    args, _unknown = parser.parse_known_args(argv)  # bench/run_all.py passes its own arguments on

    root = data_dir()
    missing = [rel for rel, _ in SOURCES if not (root / rel).is_file()]
    if missing:
        console.print(
            f"[bold red]데이터가 없습니다:[/] {root} 에서 {', '.join(missing)} 을(를) 찾지 못했습니다. "
            "GUAI_BENCH_DATA 환경 변수로 shared/data 경로를 지정하세요.",
            highlight=False,
        )
        return 2
    texts = load_texts(root, args.limit)
    chars = sum(len(t) for t in texts)
    console.print(f"텍스트 {len(texts):,}건, {chars:,}자 ({root})", highlight=False)

    mask("워밍업: 홍길동 님 010-1234-5678")  # reads the name lists once
    kiwi_label, kiwi_run = kiwi_runner()

    mask_secs = best_of(args.repeat, lambda: mask_all(texts))
    kiwi_secs = best_of(args.repeat, lambda: kiwi_run(texts))
    counts = mask_all(texts)
    latency = per_text_latency_ms(texts)

    mask_cps, kiwi_cps = chars / mask_secs, chars / kiwi_secs
    ratio = mask_cps / kiwi_cps
    table = Table(title="마스킹 vs Kiwi 분석 처리량 (같은 텍스트, 최선 기록)", title_justify="left")
    for column in ("작업", "텍스트", "글자 수", "시간(초)", "글자/초", "Kiwi 대비"):
        table.add_column(column, justify="left" if column == "작업" else "right")
    table.add_row("마스킹 (1 스레드)", f"{len(texts):,}", f"{chars:,}", f"{mask_secs:.3f}",
                  f"{mask_cps:,.0f}", f"{ratio:.1f}배")  # fmt: skip
    table.add_row(
        "Kiwi 분석 (2 스레드)",
        f"{len(texts):,}",
        f"{chars:,}",
        f"{kiwi_secs:.3f}",
        f"{kiwi_cps:,.0f}",
        "1.0배",
    )
    console.print(table)
    console.print(f"마스킹: guai.privacy.mask, 텍스트마다 한 번 호출 / Kiwi: {kiwi_label}", highlight=False)
    console.print(
        f"마스킹 1건당 지연: 평균 {latency['mean']:.2f} ms, p50 {latency['p50']:.2f} ms, "
        f"p95 {latency['p95']:.2f} ms, 최대 {latency['max']:.2f} ms",
        highlight=False,
    )
    console.print(f"찾은 개인정보: {summarise_counts(counts)}", highlight=False)
    met = ratio >= 1.0
    verdict = "[green]목표 달성[/]" if met else "[red]목표 미달[/]"
    console.print(f"{verdict}: 마스킹은 Kiwi 분석의 {ratio:.1f}배 속도입니다 (목표: 1배 이상).")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "benchmark": "masking",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "data": str(root),
        "texts": len(texts),
        "chars": chars,
        "repeat": args.repeat,
        "masking": {"seconds": mask_secs, "chars_per_second": mask_cps, "latency_ms": latency},
        "kiwi": {"method": kiwi_label, "seconds": kiwi_secs, "chars_per_second": kiwi_cps},
        "ratio_masking_to_kiwi": ratio,
        "target_met": met,
        "found": {t.value: counts[t] for t in PiiType if counts[t]},
    }
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    console.print(f"결과: {RESULTS.relative_to(REPO)}", highlight=False)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
