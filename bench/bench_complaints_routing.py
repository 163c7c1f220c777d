"""Department/category routing accuracy on every labelled complaint set in shared/data/MANIFEST.md.

Usage: .venv/bin/python bench/bench_complaints_routing.py [--titles-sample 20000]

guai (Kiwi tokens + bigrams + character n-grams, linear SVM) vs plain TF-IDF over whitespace words with the same
classifier, on the same stratified 80/20 split (seed 42): top-1 and top-3. The 85,853-title petition set is
sampled (stratified, seed 42) to keep the run to a few minutes; pass --titles-sample 0 for all of it.
Writes bench/results/complaints_routing.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("GUAI_BENCH_DATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "bench" / "results" / "complaints_routing.json"
SETS = [
    "incheon_junggu_minwon.csv",
    "ongjin_minwon_categories.csv",
    "cheongwadae_petitions_2017_2019.csv",
    "cheongwadae_petition_titles_2019_2021.csv",
]


def _sample(path: Path, n: int, out: Path) -> Path:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if n <= 0 or n >= len(rows):
        return path
    rng = random.Random(42)
    rng.shuffle(rows)
    rows = sorted(rows[:n], key=lambda r: r["date"])
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def main() -> None:
    from rich.console import Console

    from guai.commands.complaints import routing_table
    from guai.complaints.evaluation import evaluate_files

    parser = argparse.ArgumentParser()
    parser.add_argument("--titles-sample", type=int, default=20_000)
    args = parser.parse_args()
    console = Console()
    folder = DATA / "complaints"
    if not folder.is_dir():
        console.print(f"[red]벤치마크 자료가 없습니다: {folder} (GUAI_BENCH_DATA 로 지정). 건너뜁니다.[/]")
        RESULTS.write_text(json.dumps({"skipped": f"no data at {DATA}"}), encoding="utf-8")
        return
    with tempfile.TemporaryDirectory() as tmp:
        paths = [folder / name for name in SETS[:3]]
        paths.append(_sample(folder / SETS[3], args.titles_sample, Path(tmp) / "petition_titles_sample.csv"))
        results = evaluate_files(paths, console=console)
    table = routing_table(results, "부서·분류 추천: guai vs 단순 TF-IDF (보류 20%, seed 42)")
    console.print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    console.print(f"결과: {RESULTS}")


if __name__ == "__main__":
    main()
