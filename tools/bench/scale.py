"""Section 6, scale: the HNSW index over up to a million generated vectors, its speed and its recall against
exact search (--full only)."""

from __future__ import annotations

import numpy as np

from embeddings.dense import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_NEIGHBOURS, DenseIndex
from embeddings.snapshot import CANDIDATES
from tools.bench.run import Run, ms, pct, stopwatch
from tools.report import Section, Table, check

SCALE_P50_MS, SCALE_RECALL = 50.0, 0.95
SCALE_QUESTIONS = 200
SIZE_PROBE = 50_000  # vectors built first to estimate the full build's time


def clustered_vectors(centres: np.ndarray, count: int, seed: int, chunk: int = 100_000) -> np.ndarray:
    """Unit vectors between pairs of real passage embeddings, plus noise: clustered like real passages."""
    rng = np.random.default_rng(seed)
    dimension = centres.shape[1]
    out = np.empty((count, dimension), dtype=np.float32)
    for start in range(0, count, chunk):
        n = min(chunk, count - start)
        a, b = rng.integers(0, len(centres), n), rng.integers(0, len(centres), n)
        v = centres[a] + rng.random((n, 1), dtype=np.float32) * centres[b]
        v += rng.standard_normal((n, dimension), dtype=np.float32) * (0.6 / np.sqrt(dimension))
        out[start:start + n] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int, chunk: int = 200_000) -> np.ndarray:
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_rows = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, len(vectors), chunk):
        scores = queries @ vectors[start:start + chunk].T
        rows = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        best_scores = np.hstack([best_scores, np.take_along_axis(scores, rows, 1)])
        best_rows = np.hstack([best_rows, rows + start])
        keep = np.argsort(-best_scores, axis=1)[:, :k]
        best_scores, best_rows = np.take_along_axis(best_scores, keep, 1), np.take_along_axis(best_rows, keep, 1)
    return best_rows


def choose_size(run: Run) -> tuple[int, str]:
    """Time a 50k build and extrapolate (HNSW build is ~n log n); shrink the size to fit the time budget."""
    wanted, budget = run.scale_size, run.scale_minutes * 60
    with stopwatch() as timer:
        DenseIndex.build(clustered_vectors(run.pool.vectors, SIZE_PROBE, run.seed + 1), kind="hnsw")
    per_vector = timer.seconds / SIZE_PROBE

    def estimate(n: int) -> float:
        return per_vector * n * np.log(n) / np.log(SIZE_PROBE)

    size = wanted
    while size > 100_000 and estimate(size) > budget:
        size -= 100_000
    if size == wanted:
        return size, ""
    return size, (f"{wanted:,} was not built: a {SIZE_PROBE:,}-vector probe took {timer.seconds:.0f} s, so {wanted:,} "
                  f"would take ~{estimate(wanted) / 60:.0f} min, over the {run.scale_minutes} min budget "
                  f"(--scale-minutes); {size:,} was built instead.")


def measure(run: Run, section: Section) -> None:
    queries = run.encoder.encode(run.questions[:SCALE_QUESTIONS])
    size, note = choose_size(run)
    vectors = clustered_vectors(run.pool.vectors, size, run.seed)
    with stopwatch() as build:
        dense = DenseIndex.build(vectors, kind="hnsw")
    truth = exact_top(vectors, queries, CANDIDATES)
    flat_times = []
    flat = DenseIndex.build(vectors, kind="flat")
    for query in queries[:50]:
        with stopwatch() as timer:
            flat.search(query[None, :], CANDIDATES)
        flat_times.append(ms(timer.seconds))
    del flat
    table = Table(f"HNSW (M={HNSW_NEIGHBOURS}, efConstruction={HNSW_EF_CONSTRUCTION}) over {size:,} generated unit "
                  f"vectors, built in {build.seconds:.0f} s",
                  ["efSearch", "query p50 (ms)", "query p99 (ms)", "recall@10 vs exact", f"recall@{CANDIDATES} vs exact"])
    for ef in (HNSW_EF_SEARCH // 8, HNSW_EF_SEARCH // 2, HNSW_EF_SEARCH):
        dense._index.hnsw.efSearch = ef
        times, found = [], []
        for query in queries:
            with stopwatch() as timer:
                _, rows = dense.search(query[None, :], CANDIDATES)
            times.append(ms(timer.seconds))
            found.append(rows[0])
        # the share of the exact top k found: recall against exact search, not against relevance judgements
        recall = {k: float(np.mean([len(set(f[:k]) & set(t[:k])) / k for f, t in zip(found, truth)]))
                  for k in (10, CANDIDATES)}
        p50 = pct(times, 50)
        run.figures[f"scale:ef{ef}"] = {"size": size, "build_s": build.seconds, "p50": p50, "p99": pct(times, 99),
                                        "recall@10": recall[10], f"recall@{CANDIDATES}": recall[CANDIDATES],
                                        "flat_p50": pct(flat_times, 50)}
        shipped = ef == HNSW_EF_SEARCH
        table.add(f"{ef}" + (" (shipped)" if shipped else " — what-if"),
                  check(p50, SCALE_P50_MS) if shipped else f"{p50:.1f}", f"{pct(times, 99):.1f}",
                  check(recall[10], SCALE_RECALL, "{:.3f}", at_most=False) if shipped else f"{recall[10]:.3f}",
                  f"{recall[CANDIDATES]:.3f}")
    dense._index.hnsw.efSearch = HNSW_EF_SEARCH
    table.notes += [
        f"{len(queries)} real tydiqa question embeddings, top-{CANDIDATES} per query (what the snapshot asks for), "
        "one query at a time; recall = share of the exact top-k found. Exact search (IndexFlatIP, the shipped "
        f"kind below APPROXIMATE_FROM) over the same vectors: p50 {pct(flat_times, 50):.1f} ms.",
        "vectors: a real MiniLM passage embedding plus a random fraction of another, plus noise, normalised "
        f"({len(run.pool.vectors):,} real embeddings as centres); generated, not model output.",
        f"targets: p50 ≤ {SCALE_P50_MS:.0f} ms and recall@10 ≥ {SCALE_RECALL} with the shipped efSearch.",
    ] + ([note] if note else [])
    section.tables.append(table)
