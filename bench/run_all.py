"""Run every benchmark script (bench/bench_*.py) in name order, each in its own process; summarise."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if not scripts:
        print("벤치마크 스크립트가 없습니다 (bench/bench_*.py).")
        return 1
    summary: list[tuple[str, int, float]] = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script), *sys.argv[1:]], cwd=BENCH_DIR.parent)
        summary.append((script.name, rc, time.perf_counter() - started))
    print("\n=== 요약 ===")
    for name, rc, secs in summary:
        print(f"{name:32s} {'성공' if rc == 0 else f'실패 (종료 코드 {rc})':14s} {secs:7.1f}s")
    print(f"결과 파일: {BENCH_DIR / 'results'}")
    return 0 if all(rc == 0 for _, rc, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
