"""Section 2, latency: one question at a time through our retrieval, against a bare encode + FAISS baseline,
on generated corpora of 1k, 10k (and with --full 100k) passages."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

import numpy as np

from bot.query_lane import use_threads
from embeddings.encoder import usable_cores
from embeddings.snapshot import TOP_K, Snapshot
from tools.bench.quality import PIPELINE
from tools.bench.run import Run, ms, pct, stopwatch
from tools.report import Section, Table, check

LATENCY_P50_MS, LATENCY_P99_MS = 15.0, 40.0  # at 10k passages
LATENCY_RATIO = 1.3  # of the bare encode + FAISS baseline, at every size
ANSWER_P50_MS = 20.0  # the whole answer (retrieval, sentence choice, composition) at 10k passages (#14)
WARM_UP = 10  # questions asked first and not timed: they warm caches up


class _Given:
    """An encoder that returns vectors computed beforehand: times search without the model."""

    def __init__(self, name: str, vectors: np.ndarray) -> None:
        self.name, self.dimension, self._vectors = name, vectors.shape[1], vectors

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._vectors[: len(texts)]


@contextlib.contextmanager
def math_threads(count: int) -> Iterator[None]:
    """torch (if loaded) and FAISS at `count` threads in this thread, restored afterwards."""
    import faiss

    before = faiss.omp_get_max_threads()
    use_threads(count)
    try:
        yield
    finally:
        use_threads(before)


def measure_latency(run: Run, snapshot: Snapshot, questions: Sequence[str]) -> dict[str, list[float]]:
    """Per question, interleaved: our hybrid retrieval, the bare encode + FAISS flat baseline, and our
    retrieval without the encoder."""
    import faiss

    flat = faiss.IndexFlatIP(snapshot.dense.vectors.shape[1])
    flat.add(snapshot.dense.vectors)
    times: dict[str, list[float]] = {"hybrid": [], "baseline": [], "search": [], "answer": []}
    for question in questions:  # steady state: each word of the corpus is stemmed once, then remembered
        PIPELINE.answer(snapshot, run.encoder, [question])
    questions = list(questions[:WARM_UP]) + list(questions)
    expanded = Snapshot.encode([snapshot.prepare(question) for question in questions], run.encoder)
    for i, question in enumerate(questions):
        with stopwatch() as hybrid:
            PIPELINE.retrieve(snapshot, run.encoder, [question])
        with stopwatch() as baseline:
            flat.search(run.encoder.encode([question]), TOP_K)
        with stopwatch() as search:
            PIPELINE.retrieve(snapshot, _Given(run.model, expanded[i : i + 1]), [question])
        with stopwatch() as answer:
            PIPELINE.answer(snapshot, run.encoder, [question])
        if i >= WARM_UP:
            for key, timer in (("hybrid", hybrid), ("baseline", baseline), ("search", search), ("answer", answer)):
                times[key].append(ms(timer.seconds))
    return times


def measure(run: Run, section: Section) -> None:
    sizes = [1_000, 10_000] + ([100_000] if run.full else [])
    questions = run.questions[: run.sizes.latency_questions]
    table = Table(f"Per-question retrieval time, {len(questions)} tydiqa questions one at a time (ms)",
                  ["passages", "hybrid p50", "hybrid p99", "bare encode+FAISS p50", "bare p99", "ratio p50",
                   "ratio p99", "our search without encode p50", "whole answer p50", "dense index"])
    cores = usable_cores()
    runs = [(size, False) for size in sizes] + ([(10_000, True)] if cores > 1 else [])
    for size, every_core in runs:
        snapshot = run.synthetic_snapshot(size)
        with math_threads(cores if every_core else 1):  # 1: what the query lane uses for a lone question
            t = measure_latency(run, snapshot, questions)
        p50, p99 = pct(t["hybrid"], 50), pct(t["hybrid"], 99)
        b50, b99 = pct(t["baseline"], 50), pct(t["baseline"], 99)
        run.figures[f"latency:{size}{':every-core' if every_core else ''}"] = {
            "hybrid_p50": p50, "hybrid_p99": p99, "baseline_p50": b50, "baseline_p99": b99,
            "search_p50": pct(t["search"], 50), "answer_p50": pct(t["answer"], 50)}
        at_10k = size == 10_000
        table.add(f"{size:,}" + (f" — what-if: FAISS (and torch) on all {cores} cores" if every_core else ""),
                  check(p50, LATENCY_P50_MS) if at_10k else f"{p50:.1f}",
                  check(p99, LATENCY_P99_MS) if at_10k else f"{p99:.1f}", f"{b50:.1f}", f"{b99:.1f}",
                  check(p50 / b50, LATENCY_RATIO, "{:.2f}"), f"{p99 / b99:.2f}", f"{pct(t['search'], 50):.1f}",
                  check(pct(t["answer"], 50), ANSWER_P50_MS) if at_10k else f"{pct(t['answer'], 50):.1f}",
                  snapshot.dense.kind)
    table.notes += [
        "hybrid = `Pipeline.retrieve(snapshot, encoder, [q])`: clean, parse + expand, encode, BM25, FAISS, fusion, "
        f"coverage; bare = `encoder.encode([q])` + FAISS IndexFlatIP top-{TOP_K} over the same vectors; measured "
        "interleaved. whole answer = `Pipeline.answer`: the same retrieval, then the answer-sentence selector over "
        f"the covering passages' sentences, and composition; target ≤ {ANSWER_P50_MS:.0f} ms p50 at 10k. Timed "
        "after one untimed pass over the questions: the first time a word of the corpus is seen, Sastrawi stems it "
        "(slow pure Python, then cached), which a running bot pays once.",
        "corpora are generated: passages of 50-150 words recombined from tydiqa sentences; their vectors are the "
        "normalised mean of the real MiniLM embeddings of the source passages plus noise (not model output).",
        f"targets at 10k: p50 ≤ {LATENCY_P50_MS:.0f} ms, p99 ≤ {LATENCY_P99_MS:.0f} ms; ratio ≤ {LATENCY_RATIO}× at every size.",
        "as in the query lane (`bot/query_lane.py`), a lone question runs FAISS (and a torch encoder) on one thread; "
        "the what-if row gives them every core, as a big batch of questions gets. The ONNX encoder's own session "
        "always runs on every core.",
    ]
    section.tables.append(table)
