"""Document work benchmarks: proofreading pages/s, time to first draft without a model, 30-page summary.

    .venv/bin/python bench/bench_documents.py [--limit N]

Data: press/kdi_epic_policy_press_summaries.csv from $GUAI_BENCH_DATA (default ../shared/data next to the
repository). A page is 1,800 characters (an A4 page of Korean body text). Proofreading is timed with and
without the Kiwi spacing rule after a warm-up; "first draft" is the first draft() call in a fresh process
(template files read, proofreader and Kiwi loaded), then warm drafts of each type; the 30-page summary joins
press summaries to 54,000 characters. Prints a table and writes bench/results/documents.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

RESULTS = REPO / "bench" / "results" / "documents.json"
PAGE_CHARS = 1800


_COLD = """
import time, sys
t0 = time.perf_counter()
from guai.documents.drafting import draft, get_template
kind = sys.argv[1]
draft(kind, {f.name: f.example for f in get_template(kind).fields if f.example}, complete=True)
print(time.perf_counter() - t0)
"""


def _cold_draft(kind: str) -> float:
    """Seconds from import to finished draft in a fresh interpreter (what a CLI user waits for)."""
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", _COLD, kind], cwd=REPO, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="press summaries to proofread (default 1000)")
    args = parser.parse_args()
    console = Console()
    data_dir = Path(os.environ.get("GUAI_BENCH_DATA", REPO.parent / "shared" / "data"))
    press = data_dir / "press" / "kdi_epic_policy_press_summaries.csv"
    if not press.is_file():
        console.print(f"[red]데이터가 없습니다: {press} (GUAI_BENCH_DATA를 지정하세요)[/]")
        return 2
    rows = [r["summary"] for r in csv.DictReader(press.open(encoding="utf-8")) if r["summary"].strip()]

    # Time to first draft in this fresh process (no model): template load + proofreader + Kiwi load.
    from guai.documents.drafting import draft, get_template

    def example(kind: str) -> dict[str, str]:
        return {f.name: f.example for f in get_template(kind).fields if f.example}

    cold = {kind: _cold_draft(kind) for kind in ("보고서", "계획서", "보도자료", "공문")}
    first_draft_s = max(cold.values())
    first = draft("보고서", example("보고서"), complete=True)
    warm: dict[str, float] = {}
    findings_in_drafts = 0
    for kind in ("보고서", "계획서", "보도자료", "공문"):
        draft(kind, example(kind), complete=True)  # warm-up: Kiwi and templates loaded
    for kind in ("보고서", "계획서", "보도자료", "공문"):
        t0 = time.perf_counter()
        doc = draft(kind, example(kind), complete=True)
        warm[kind] = time.perf_counter() - t0
        findings_in_drafts += len(doc.findings)

    from guai.documents.proofread import proofread

    texts = rows[: args.limit]
    chars = sum(len(t) for t in texts)
    proofread(texts[0])  # warm-up
    results = {}
    for label, spacing in (("Kiwi 띄어쓰기 포함", True), ("Kiwi 제외", False)):
        counts: Counter[str] = Counter()
        t0 = time.perf_counter()
        for t in texts:
            for f in proofread(t, spacing_model=spacing):
                counts[f.rule] += 1
        secs = time.perf_counter() - t0
        results[label] = {
            "seconds": round(secs, 3),
            "pages_per_s": round(chars / PAGE_CHARS / secs, 1),
            "chars_per_s": round(chars / secs),
            "findings": dict(counts.most_common()),
        }

    from guai.documents.summarize import summarize

    long_text = ""
    for t in rows:
        long_text += t + "\n\n"
        if len(long_text) >= 30 * PAGE_CHARS:
            break
    long_text = long_text[: 30 * PAGE_CHARS]
    summary_times = {}
    for length in ("3줄", "1쪽", "상세"):
        t0 = time.perf_counter()
        s = summarize(long_text, length=length)
        summary_times[length] = {"seconds": round(time.perf_counter() - t0, 3), "lines": len(s.lines)}

    table = Table(title="문서 작업 벤치마크 (모델 없음)")
    table.add_column("항목")
    table.add_column("결과", justify="right")
    table.add_column("비고")
    for label, r in results.items():
        table.add_row(
            f"교정 처리량 ({label})",
            f"{r['pages_per_s']} 쪽/초",
            f"보도자료 요약 {len(texts):,}건 · {chars:,}자 · {r['seconds']}초 · 의견 {sum(r['findings'].values()):,}건",
        )
    for kind, secs in cold.items():
        table.add_row(
            f"첫 초안까지 ({kind}, 새 프로세스)",
            f"{secs:.2f}초",
            "서식 읽기·교정기 포함(Kiwi가 필요하면 적재 포함)",
        )
    for kind, secs in warm.items():
        table.add_row(f"초안 ({kind}, 적재 후)", f"{secs * 1000:.0f} ms", "교정 포함")
    for length, r in summary_times.items():
        table.add_row(
            f"30쪽 요약 ({length})",
            f"{r['seconds']:.2f}초",
            f"{len(long_text):,}자 → {r['lines']}줄 (목표 < 2초)",
        )
    table.add_row("초안의 남은 교정 의견", str(findings_in_drafts), "목표 0")
    console.print(table)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "documents",
                "when": dt.datetime.now().isoformat(timespec="seconds"),
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                },
                "page_chars": PAGE_CHARS,
                "proofread": results,
                "first_draft_seconds": round(first_draft_s, 3),
                "cold_draft_seconds": {k: round(v, 3) for k, v in cold.items()},
                "warm_draft_seconds": {k: round(v, 4) for k, v in warm.items()},
                "draft_findings": findings_in_drafts,
                "summary_30_pages": summary_times,
                "first_draft_title": first.title,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    console.print(f"결과: {RESULTS.relative_to(REPO)}")
    ok = all(r["seconds"] < 2.0 for r in summary_times.values()) and findings_in_drafts == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
