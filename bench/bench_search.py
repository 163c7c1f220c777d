"""Search benchmark: index build time/memory and warm query latency, guai (Kiwi + bm25s) beside rank-bm25.

1. All of ../shared/data that is text to search (laws + press summaries; the shared set has no guidance files),
   through the real ingest into a SQLite database, then warm `search()` latency through the database.
2. A 100,000-chunk corpus of real text (law chunks, press summaries, petitions, petition titles, complaints):
   bm25s index build from Kiwi tokens and warm query latency of the ranking engine, beside rank-bm25 over
   space-split text (what common RAG tools effectively do for Korean).

Targets (issue 5): p50 < 20 ms and p95 < 50 ms at 100,000 chunks on a 2-core machine.
Run: .venv/bin/python bench/bench_search.py   (data: GUAI_BENCH_DATA, default <repo>/../shared/data)
     .venv/bin/python bench/bench_search.py --latency-only   (quick: warm engine latency at 100k chunks only)
"""

from __future__ import annotations

import csv
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = Path(os.environ.get("GUAI_BENCH_DATA") or REPO.parent / "shared" / "data")
RESULTS = REPO / "bench" / "results" / "search.json"
TARGET_CHUNKS = 100_000
console = Console()
csv.field_size_limit(10_000_000)


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS since the last reset) in MB, from /proc."""
    cur = peak = 0.0
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                cur = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    return cur, peak


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")  # resets VmHWM (Linux)
    except OSError:
        pass


class Phase:
    """Wall time and memory (RSS growth, peak) of a block."""

    def __enter__(self) -> Phase:
        gc.collect()
        reset_peak()
        self.rss0, _ = rss_mb()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.t0
        cur, peak = rss_mb()
        self.grew_mb = cur - self.rss0
        self.peak_mb = peak


def traced_mb(build) -> float:  # type: ignore[no-untyped-def]
    """Memory held by what `build()` returns (tracemalloc: exact for Python and numpy allocations)."""
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    kept = build()
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return current / 1e6


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def queries() -> list[str]:
    from guai.knowledge.eval import load_questions

    qs = [q.question for q in load_questions()]
    extra = [
        "불법 주정차 과태료",
        "대형폐기물 신고",
        "전입신고 기한",
        "기초생활수급자 선정 기준",
        "금연구역 지정",
        "어린이 보호구역 과속",
        "반려견 목줄",
        "정보공개 청구 기간",
        "민원 처리 기간",
        "층간소음 기준",
    ]
    return qs + extra


def press_rows(limit: int | None = None) -> list[tuple[str, str]]:
    path = DATA / "press" / "kdi_epic_policy_press_summaries.csv"
    out = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.append((row["title"].strip(), (row.get("summary") or "").strip()))
            if limit and len(out) >= limit:
                break
    return out


def complaint_texts() -> list[str]:
    out: list[str] = []
    specs = [
        ("complaints/cheongwadae_petitions_2017_2019.csv", ("title", "content")),
        ("complaints/incheon_junggu_minwon.csv", ("title", "content")),
        ("complaints/ongjin_minwon_categories.csv", ("title", "summary")),
        ("complaints/cheongwadae_petition_titles_2019_2021.csv", ("title",)),
    ]
    for rel, cols in specs:
        path = DATA / rel
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                text = "\n".join((row.get(c) or "").strip() for c in cols).strip()
                if text:
                    out.append(text[:2000])
    return out


def part_shared(tmp: Path) -> dict:
    """Real ingest of laws + press into SQLite, then warm search() latency through the database."""
    from guai.config import load_settings
    from guai.db.engine import Database
    from guai.knowledge.collections import parse_visibility
    from guai.knowledge.ingest import ingest_paths
    from guai.knowledge.search import search

    db = Database(load_settings(home=tmp / "home"))
    db.upgrade()
    press_md = tmp / "press" / "정책 보도자료 요약.md"
    press_md.parent.mkdir(parents=True)
    with press_md.open("w", encoding="utf-8") as fh:
        fh.write("# 정책 보도자료 요약\n\n")
        for title, summary in press_rows():
            fh.write(f"## {title}\n\n{summary}\n\n")
    with Phase() as ingest_phase:
        laws = ingest_paths(db, [DATA / "laws"], collection="법령", visibility=parse_visibility("public"))
        press = ingest_paths(
            db, [press_md.parent], collection="보도자료", visibility=parse_visibility("staff")
        )
    chunks = laws.chunks + press.chunks
    qs = queries()
    with Phase() as first:
        search(db, qs[0])  # cold: loads Kiwi's dictionaries and the saved indexes
    times = []
    for q in qs * 2:
        t0 = time.perf_counter()
        search(db, q, top=5)
        times.append((time.perf_counter() - t0) * 1000)
    db.dispose()
    return {
        "files": len(laws.results) + len(press.results),
        "chunks": chunks,
        "ingest_s": ingest_phase.seconds,
        "ingest_peak_mb": ingest_phase.peak_mb,
        "first_query_s": first.seconds,
        "search_p50_ms": statistics.median(times),
        "search_p95_ms": percentile(times, 95),
        "queries": len(times),
    }


def corpus_100k() -> tuple[list[str], list[str]]:
    """Texts and 조 titles ("" where none) of 100,000 real chunks."""
    from guai.knowledge.eval import law_corpus

    laws = law_corpus(DATA / "laws")
    texts = laws.texts
    titles = [d.title if d.kind == "article" and d.title != d.article_key else "" for d in laws.drafts]
    rest = [f"{t}\n{s}" for t, s in press_rows()] + complaint_texts()
    texts += rest
    titles += [""] * len(rest)
    return texts[:TARGET_CHUNKS], titles[:TARGET_CHUNKS]


def db_100k(tmp: Path, texts: list[str], titles: list[str], token_lists: list[list[str]]) -> dict:
    """The same 100,000 chunks stored in SQLite; search() through the database (index built from the DB)."""
    from sqlalchemy import insert

    from guai.config import load_settings
    from guai.db.engine import Database
    from guai.db.models.knowledge import KnowledgeChunk, KnowledgeCollection, KnowledgeDocument
    from guai.knowledge.search import search

    db = Database(load_settings(home=tmp / "home100k"))
    db.upgrade()
    per_doc = 50
    with db.session() as s:
        coll = KnowledgeCollection(name="10만", visibility="staff", generation=1)
        s.add(coll)
        s.flush()
        s.execute(
            insert(KnowledgeDocument),
            [
                {
                    "id": d + 1,
                    "collection_id": coll.id,
                    "source": f"doc{d}",
                    "filename": f"doc{d}",
                    "kind": "txt",
                    "title": f"문서 {d}",
                    "content_hash": f"{d:064d}",
                    "size": 0,
                    "n_chunks": per_doc,
                }
                for d in range((len(texts) + per_doc - 1) // per_doc)
            ],
        )
        for start in range(0, len(texts), 5000):
            s.execute(
                insert(KnowledgeChunk),
                [
                    {
                        "document_id": i // per_doc + 1,
                        "collection_id": coll.id,
                        "ordinal": i % per_doc,
                        "kind": "article" if titles[i] else "section",
                        "citation": f"문서 {i // per_doc} 조각 {i}",
                        "title": titles[i] or f"조각 {i}",
                        "doc_title": f"문서 {i // per_doc}",
                        "text": texts[i],
                        "tokens": " ".join(token_lists[i]),
                        "article_key": f"k{i}",
                    }
                    for i in range(start, min(start + 5000, len(texts)))
                ],
            )
    qs = queries()
    with Phase() as first:
        search(db, qs[0])  # builds the bm25s index from the database and saves it under index_dir
    times = []
    for q in qs * 2:
        t0 = time.perf_counter()
        search(db, q, top=5)
        times.append((time.perf_counter() - t0) * 1000)
    db.dispose()
    return {
        "db_first_query_s": first.seconds,
        "db_index_peak_mb": first.peak_mb,
        "db_p50_ms": statistics.median(times),
        "db_p95_ms": percentile(times, 95),
    }


def part_100k(tmp: Path) -> dict:
    import numpy as np
    from rank_bm25 import BM25Okapi

    from guai.knowledge.engine import Engine
    from guai.knowledge.expand import plan_query
    from guai.knowledge.textproc import tokens_many

    texts, titles = corpus_100k()
    n = len(texts)
    chars = sum(len(t) for t in texts)
    with Phase() as tok_phase:
        token_lists = tokens_many(texts)
    with Phase() as build:
        engine = Engine.build(
            token_lists,
            list(range(n)),
            [i // 50 for i in range(n)],
            ["article"] * n,
            [None] * n,
            {i // 50: f"문서 {i // 50}" for i in range(0, n, 50)},
            row_titles=titles,
        )
    qs = queries()
    engine.top(plan_query(qs[0]), 5)
    ours = []
    for q in qs * 2:
        t0 = time.perf_counter()
        engine.top(plan_query(q), 5)
        ours.append((time.perf_counter() - t0) * 1000)
    index_mb = traced_mb(
        lambda tl=token_lists: Engine.build(
            tl,
            list(range(n)),
            [i // 50 for i in range(n)],
            ["article"] * n,
            [None] * n,
            {},
            row_titles=titles,
        )
    )
    through_db = db_100k(tmp, texts, titles, token_lists)
    del token_lists, engine
    with Phase() as base_build:
        baseline = BM25Okapi([t.split() for t in texts])
    baseline_mb = traced_mb(lambda: BM25Okapi([t.split() for t in texts]))
    theirs = []
    for q in qs[:60]:
        t0 = time.perf_counter()
        scores = baseline.get_scores(q.split())
        np.argsort(-scores)[:5]
        theirs.append((time.perf_counter() - t0) * 1000)
    return {
        "chunks": n,
        "chars": chars,
        "tokenize_s": tok_phase.seconds,
        "tokenize_peak_mb": tok_phase.peak_mb,
        "build_s": build.seconds,
        "index_mb": index_mb,
        "build_peak_mb": build.peak_mb,
        "p50_ms": statistics.median(ours),
        "p95_ms": percentile(ours, 95),
        "queries": len(ours),
        "baseline_build_s": base_build.seconds,
        "baseline_mb": baseline_mb,
        "baseline_p50_ms": statistics.median(theirs),
        "baseline_p95_ms": percentile(theirs, 95),
        "baseline_queries": len(theirs),
    } | through_db


def latency_only() -> dict:
    """The quick part: warm ranking-engine latency at 100,000 chunks (no ingest, no database, no baseline)."""
    from guai.knowledge.engine import Engine
    from guai.knowledge.expand import plan_query
    from guai.knowledge.textproc import tokens_many

    texts, titles = corpus_100k()
    n = len(texts)
    engine = Engine.build(
        tokens_many(texts),
        list(range(n)),
        [i // 50 for i in range(n)],
        ["article"] * n,
        [None] * n,
        {i // 50: f"문서 {i // 50}" for i in range(0, n, 50)},
        row_titles=titles,
    )
    qs = queries()
    engine.top(plan_query(qs[0]), 5)
    times = []
    for q in qs * 2:
        t0 = time.perf_counter()
        engine.top(plan_query(q), 5)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "chunks": n,
        "queries": len(times),
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 95),
    }


def main() -> int:
    if not (DATA / "laws").is_dir():
        console.print(
            f"[red]벤치마크 자료가 없습니다[/]: {DATA} (GUAI_BENCH_DATA 로 shared/data 경로를 주세요)"
        )
        return 2
    if (
        "--latency-only" in sys.argv[1:]
    ):  # after a ranking change: only the query latency, results file untouched
        r = latency_only()
        console.print(
            f"{r['chunks']:,} 조각, 질의 {r['queries']}회: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms "
            "(순위 엔진, warm; 목표 p50 < 20 ms, p95 < 50 ms)"
        )
        return 0
    results: dict = {"data": str(DATA), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        console.print("1) ../shared/data 전체(법령+보도자료) 색인 중…")
        results["shared"] = part_shared(Path(tmp))
    console.print("2) 100,000 조각 말뭉치 색인 중…")
    with tempfile.TemporaryDirectory() as tmp:
        results["corpus_100k"] = part_100k(Path(tmp))
    s, c = results["shared"], results["corpus_100k"]

    t1 = Table(
        "항목", "값", title="① shared/data 전체 (법령 170개 파일 + 보도자료 5,000건, 실제 ingest → SQLite)"
    )
    t1.add_row("파일 / 조각", f"{s['files']:,} / {s['chunks']:,}")
    t1.add_row("색인 시간 (추출+청킹+Kiwi+DB)", f"{s['ingest_s']:.1f} s")
    t1.add_row("최대 메모리 (RSS)", f"{s['ingest_peak_mb']:.0f} MB")
    t1.add_row("첫 검색 (색인 불러오기 포함)", f"{s['first_query_s']:.2f} s")
    t1.add_row(
        f"search() 지연 p50 / p95 (DB 포함, {s['queries']}회)",
        f"{s['search_p50_ms']:.1f} / {s['search_p95_ms']:.1f} ms",
    )
    console.print(t1)
    t2 = Table(
        "",
        "guai (Kiwi + bm25s)",
        "rank-bm25 (공백 토큰)",
        title=f"② {c['chunks']:,} 조각 ({c['chars'] / 1e6:.1f}M자), 2코어",
    )
    t2.add_row(
        "Kiwi 토큰화", f"{c['tokenize_s']:.1f} s (최대 {c['tokenize_peak_mb']:.0f} MB)", "— (공백 분리)"
    )
    t2.add_row("색인 생성", f"{c['build_s']:.1f} s", f"{c['baseline_build_s']:.1f} s")
    t2.add_row("색인 메모리 (tracemalloc)", f"{c['index_mb']:.0f} MB", f"{c['baseline_mb']:.0f} MB")
    t2.add_row("질의 p50 (warm, 순위 엔진)", f"{c['p50_ms']:.1f} ms", f"{c['baseline_p50_ms']:.1f} ms")
    t2.add_row("질의 p95 (warm, 순위 엔진)", f"{c['p95_ms']:.1f} ms", f"{c['baseline_p95_ms']:.1f} ms")
    t2.add_row("search() p50 / p95 (DB 포함)", f"{c['db_p50_ms']:.1f} / {c['db_p95_ms']:.1f} ms", "")
    t2.add_row(
        "DB에서 색인 재구성 (첫 검색)",
        f"{c['db_first_query_s']:.1f} s (최대 {c['db_index_peak_mb']:.0f} MB)",
        "",
    )
    t2.add_row("목표", "p50 < 20 ms, p95 < 50 ms", "")
    console.print(t2)
    ok = c["db_p50_ms"] < 20 and c["db_p95_ms"] < 50
    console.print(
        ("[green]목표 달성[/]" if ok else "[red]목표 미달[/]")
        + f": search() p50 {c['db_p50_ms']:.1f} ms, p95 {c['db_p95_ms']:.1f} ms (10만 조각, DB 포함)"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(f"결과: {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
