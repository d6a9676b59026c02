"""Benchmarks of the answering core and the whole bot, every figure measured in one run: `python -m embeddings.bench`.

    python -m embeddings.bench --quick   # CI smoke: tydiqa small/, facqa test, 1k/10k latency, short bot run (~3 min)
    python -m embeddings.bench --full    # everything, 100k latency and memory, HNSW scale (most of an hour on 2 cores)

Sections: 1 quality (our four methods and two plain baselines), 2 latency, 3 throughput (core and whole
bot, reload), 4 build and reload, 5 memory and cold start, 6 HNSW at scale. Corpora beyond the benchmarks are
generated here by recombining benchmark sentences; their dense vectors are derived from the real embeddings
of the passages the sentences came from (see SentencePool), never downloaded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from embeddings.build import build_snapshot, text_hash
from embeddings.dense import APPROXIMATE_FROM, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_NEIGHBOURS, DenseIndex
from embeddings.encoder import Encoder, load_encoder, usable_cores
from embeddings.lexical import LexicalIndex
from embeddings.query import Query
from embeddings.snapshot import CANDIDATES, DENSE_WEIGHT, INDEX_FORMAT, TOP_K, Manifest, Snapshot
from embeddings.store import IndexStore
from knowledge.model import Article, Passage
from knowledge.text import TOKENIZER_ID, split_sentences, tokenize

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BENCHMARKS = REPO.parent / "shared" / "benchmarks"
DEFAULT_OUT = REPO / "docs" / "benchmarks.md"
METHODS = ("lexical", "dense", "hybrid", "rrf")
METHOD_LABELS = {"lexical": "ours: BM25 only (lexical)", "dense": "ours: dense only", "hybrid": "ours: hybrid (default)",
                 "rrf": "ours: RRF"}
ADMIN = 1001
QUESTION_BATCH = 64

# Targets from the brief; every table marks each one met or missed.
LATENCY_P50_MS, LATENCY_P99_MS, LATENCY_RATIO = 15.0, 40.0, 1.3
CORE_QPS, BOT_RPS = 150.0, 100.0
FLOOD_P95_RATIO = 1.2  # a flooding user may raise the others' p95 reply time by 20% at most
FLOOD_MESSAGES = 100
RELOAD_SECONDS, MEMORY_MB_10K, COLD_START_SECONDS = 2.0, 700.0, 5.0
SCALE_P50_MS, SCALE_RECALL = 50.0, 0.95
HYBRID_MRR_FLOOR, HYBRID_MARGIN = 0.70, 0.02

log = logging.getLogger("bench")


# --- report -------------------------------------------------------------------------------------


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def check(value: float, limit: float, fmt: str = "{:.1f}", at_most: bool = True) -> str:
    """A figure with its target verdict, e.g. "12.3 ✅ (≤ 15)"."""
    ok = value <= limit if at_most else value >= limit
    return f"{fmt.format(value)} {mark(ok)} ({'≤' if at_most else '≥'} {fmt.format(limit)})"


@dataclass
class Table:
    title: str
    columns: Sequence[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([_cell(cell) for cell in cells])

    def markdown(self) -> str:
        lines = [f"### {self.title}", "", "| " + " | ".join(self.columns) + " |",
                 "|" + "|".join("---" for _ in self.columns) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines + [""] + [f"- {note}" for note in self.notes]).rstrip() + "\n"


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


@dataclass
class Section:
    title: str
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        parts = [f"## {self.title}", ""] + [f"_{note}_\n" for note in self.notes]
        return "\n".join(parts) + "\n".join(table.markdown() for table in self.tables)


def ms(seconds: float) -> float:
    return seconds * 1000


def pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


@contextlib.contextmanager
def stopwatch() -> Iterator[SimpleNamespace]:
    timer = SimpleNamespace(seconds=0.0)
    started = time.perf_counter()
    try:
        yield timer
    finally:
        timer.seconds = time.perf_counter() - started


# --- benchmark data -----------------------------------------------------------------------------


@dataclass
class Benchmark:
    name: str
    ids: list[str]
    texts: list[str]
    titles: list[str]
    questions: list[str]
    relevant: list[set[str]]  # per question

    @classmethod
    def load(cls, name: str, folder: Path, split: str | None) -> Benchmark:
        corpus = [json.loads(line) for line in (folder / "corpus.jsonl").open(encoding="utf-8")]
        queries = [json.loads(line) for line in (folder / "queries.jsonl").open(encoding="utf-8")]
        qrels: dict[str, set[str]] = {}
        for line in (folder / "qrels.tsv").open(encoding="utf-8"):
            qid, pid, *_ = line.rstrip("\n").split("\t")
            qrels.setdefault(qid, set()).add(pid)
        queries = [q for q in queries if (split is None or q["split"] == split) and q["id"] in qrels]
        return cls(name, [row["id"] for row in corpus], [row["text"] for row in corpus],
                   [row.get("title", "") for row in corpus], [q["text"] for q in queries],
                   [qrels[q["id"]] for q in queries])

    def passages(self) -> list[Passage]:
        """One passage per corpus row, so our pipeline and the baselines see the same units."""
        return [Passage(id=pid, article=pid, title=title, section="", text=text)
                for pid, title, text in zip(self.ids, self.titles, self.texts)]


def snapshot_from_passages(passages: Sequence[Passage], vectors: np.ndarray, model: str,
                           articles: dict[str, Article] | None = None, dense_kind: str = "auto") -> Snapshot:
    """What build_snapshot does after chunking and embedding, for passages that are not from articles."""
    dense = DenseIndex.build(vectors, kind=dense_kind)
    hashes = sorted(text_hash(p.indexed_text) for p in passages)
    manifest = Manifest(model=model, dimension=vectors.shape[1], passages=len(passages),
                        articles=len(articles or {}), corpus_hash=text_hash("\n".join(hashes)),
                        built_at=datetime.now(timezone.utc).isoformat(timespec="microseconds"), dense_kind=dense.kind,
                        tokenizer=TOKENIZER_ID, format=INDEX_FORMAT)
    return Snapshot(manifest, tuple(passages), articles or {},
                    LexicalIndex.build([tokenize(p.indexed_text) for p in passages]), dense)


def placeholder_articles(passages: Sequence[Passage]) -> dict[str, Article]:
    """Snapshot.articles for generated passages: answer composition and the index store need one per slug."""
    slugs = dict.fromkeys(p.article for p in passages)
    return {slug: Article(slug=slug, title=f"Artikel {slug}", body="", sources=(f"https://example.org/{slug}",),
                          as_of=date(2025, 1, 1), lang="id", topics=("news",)) for slug in slugs}


@dataclass
class SentencePool:
    """Sentences of embedded benchmark passages; generated text is made by recombining them.

    A generated passage's vector is the normalised mean of its source passages' real embeddings plus
    noise: clustered like real data (near passages on the same subject), and far cheaper than
    running the model over 100k passages.
    """

    sentences: list[str]
    sources: list[int]
    vectors: np.ndarray  # real embeddings of the source passages
    noise: float = 0.5

    @classmethod
    def from_benchmark(cls, bench: Benchmark, vectors: np.ndarray) -> SentencePool:
        sentences, sources = [], []
        for row, text in enumerate(bench.texts):
            for sentence in split_sentences(text):
                clean = " ".join(re.sub(r"[|#*_`\[\]<>]", " ", sentence).split()).lstrip("-+•0123456789.) ")
                if 5 <= len(clean.split()) <= 50:
                    sentences.append(clean)
                    sources.append(row)
        return cls(sentences, sources, vectors)

    def texts(self, rng: np.random.Generator, count: int, low: int = 50, high: int = 150) -> list[tuple[str, list[int]]]:
        """`count` texts of low..high words, each with the source rows of its sentences."""
        made = []
        picks = iter(rng.integers(0, len(self.sentences), size=count * 12))
        for _ in range(count):
            target, words, parts, rows = int(rng.integers(low, high)), 0, [], []
            while words < target:
                i = next(picks, None)
                i = int(rng.integers(0, len(self.sentences))) if i is None else int(i)
                if words + len(self.sentences[i].split()) > high and parts:
                    break  # close enough: the passage stays under `high` words
                parts.append(self.sentences[i])
                rows.append(self.sources[i])
                words += len(self.sentences[i].split())
            made.append((" ".join(parts), rows))
        return made

    def vectors_for(self, rng: np.random.Generator, row_lists: Sequence[Sequence[int]]) -> np.ndarray:
        dimension = self.vectors.shape[1]
        means = np.stack([self.vectors[list(rows)].mean(axis=0) if rows else np.zeros(dimension) for rows in row_lists])
        means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-9)
        means += rng.standard_normal(means.shape) * (self.noise / np.sqrt(dimension))
        return (means / np.linalg.norm(means, axis=1, keepdims=True)).astype(np.float32)

    def vector_of_text(self, rng: np.random.Generator, texts: Sequence[str]) -> np.ndarray:
        """For passages the chunker made from generated articles: look their sentences up again."""
        by_text = dict(zip(self.sentences, self.sources))
        return self.vectors_for(rng, [[by_text[s] for s in split_sentences(t) if s in by_text] for t in texts])

    def corpus(self, count: int, seed: int, per_article: int = 20) -> tuple[list[Passage], np.ndarray]:
        rng = np.random.default_rng(seed)
        made = self.texts(rng, count)
        passages = [Passage(id=f"g{i:07d}", article=f"gen-{i // per_article:05d}", title="", section="", text=text)
                    for i, (text, _) in enumerate(made)]
        return passages, self.vectors_for(rng, [rows for _, rows in made])


# --- shared state of one run ---------------------------------------------------------------------


@dataclass
class GeneratedKB:
    folder: Path
    data_dir: Path
    kb: object  # bot.knowledge_base.KnowledgeBase
    slugs: list[str]


class Run:
    """What sections share: settings, the encoders, loaded benchmarks and generated corpora."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.load_start = os.getloadavg()[0]
        self.full = args.full
        self.model = args.model
        self.figures: dict[str, object] = {}
        self.tmp = Path(tempfile.mkdtemp(prefix="tanya-bench-"))
        self.benchmarks = Path(args.benchmarks)
        self.has_benchmarks = (self.benchmarks / "tydiqa-id" / "corpus.jsonl").exists()
        with stopwatch() as timer:
            self.encoder: Encoder = load_encoder(self.model)
        self.figures["encoder_load_s"] = timer.seconds
        from bot.config import BUNDLED_MODEL

        self.compare_model = BUNDLED_MODEL
        self.compare_encoder: Encoder | None = load_encoder(BUNDLED_MODEL) if self.model != BUNDLED_MODEL else None
        self._lane_encoder: Encoder | None = None
        self.pool: SentencePool | None = None
        self.questions: list[str] = []  # tydiqa test questions, for latency and throughput
        self.scratch_build: tuple[str, int, float] | None = None  # (what, passages, seconds) of a from-scratch build
        self.kb: GeneratedKB | None = None
        self.synthetic: dict[int, Snapshot] = {}
        self.failed: list[str] = []

    @property
    def lane_encoder(self) -> Encoder:
        """The query lane's own encoder, as production has (one per thread that encodes)."""
        if self._lane_encoder is None:
            self._lane_encoder = load_encoder(self.model)
        return self._lane_encoder

    def default_questions(self) -> list[str]:
        return self.questions or [
            "apa syarat kerja di jepang", "berapa gaji pekerja di jepang", "bagaimana cara daftar pelatihan",
            "kapan ujian bahasa jepang diadakan", "siapa yang mengurus visa kerja",
        ]

    def synthetic_snapshot(self, size: int) -> Snapshot:
        if size not in self.synthetic:
            passages, vectors = self.pool.corpus(size, seed=self.args.seed + size)
            self.synthetic[size] = snapshot_from_passages(passages, vectors, self.model, placeholder_articles(passages))
        return self.synthetic[size]


# --- 1. quality ---------------------------------------------------------------------------------


def rank_metrics(rankings: Sequence[Sequence[str]], relevant: Sequence[set[str]]) -> dict[str, float]:
    """Recall@1/5/10 (share of relevant passages in the top k) and MRR@10, averaged over questions."""
    n = max(len(relevant), 1)
    out = {f"R@{k}": sum(len(rel & set(ranked[:k])) / len(rel) for ranked, rel in zip(rankings, relevant)) / n
           for k in (1, 5, 10)}
    out["MRR@10"] = sum(next((1 / r for r, pid in enumerate(ranked[:10], 1) if pid in rel), 0.0)
                        for ranked, rel in zip(rankings, relevant)) / n
    return out


def our_rankings(snapshot: Snapshot, encoder: Encoder, questions: Sequence[str], method: str) -> list[list[str]]:
    ranked = []
    for start in range(0, len(questions), QUESTION_BATCH):
        hits = snapshot.search_many(questions[start:start + QUESTION_BATCH], encoder, k=10, method=method)
        ranked += [[hit.passage.id for hit in row] for row in hits]
    return ranked


def baseline_dense(bench: Benchmark, vectors: np.ndarray, encoder: Encoder) -> list[list[str]]:
    """Plain baseline (a): the same model over the raw texts, FAISS exact inner product, no BM25."""
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    _, rows = index.search(encoder.encode(bench.questions), 10)
    return [[bench.ids[r] for r in row if r >= 0] for row in rows]


def baseline_bm25(bench: Benchmark) -> list[list[str]]:
    """Plain baseline (b): bm25s over lower-cased \\w+ tokens, no stemming, no stop words."""
    import bm25s

    words = re.compile(r"\w+")
    retriever = bm25s.BM25()
    retriever.index([words.findall(text.lower()) or ["\u2205"] for text in bench.texts], show_progress=False)
    ranked = []
    for question in bench.questions:
        ids = [retriever.vocab_dict[t] for t in words.findall(question.lower()) if t in retriever.vocab_dict]
        if not ids:
            ranked.append([])
            continue
        scores = retriever.get_scores_from_ids(ids)
        top = np.argsort(-scores, kind="stable")[:10]
        ranked.append([bench.ids[r] for r in top if scores[r] > 0])
    return ranked


def quality_table(run: Run, bench: Benchmark, floor: float | None) -> tuple[Table, np.ndarray]:
    passages = bench.passages()
    with stopwatch() as build:
        vectors = run.encoder.encode([p.indexed_text for p in passages])
        snapshot = snapshot_from_passages(passages, vectors, run.model)
    if run.scratch_build is None or len(passages) > run.scratch_build[1]:
        run.scratch_build = (bench.name, len(passages), build.seconds)
    table = Table(f"{bench.name}: {len(passages):,} passages, {len(bench.questions):,} questions",
                  ["method", "R@1", "R@5", "R@10", "MRR@10"])
    results = {}
    encoder = _Memo(run.encoder)  # dense, hybrid and rrf embed the same expanded questions: once is enough
    for method in METHODS:
        results[method] = rank_metrics(our_rankings(snapshot, encoder, bench.questions, method), bench.relevant)
    raw_same = [p.indexed_text for p in passages] == bench.texts
    results["baseline: MiniLM + FAISS flat, raw text, no BM25"] = rank_metrics(
        baseline_dense(bench, vectors if raw_same else run.encoder.encode(bench.texts), run.encoder), bench.relevant)
    results["baseline: plain bm25s, \\w+ tokens, no stemming"] = rank_metrics(baseline_bm25(bench), bench.relevant)
    if run.compare_encoder is not None:  # what the tuning bought, in the same run
        untuned = _Memo(run.compare_encoder)
        snapshot = snapshot_from_passages(passages, untuned.encode([p.indexed_text for p in passages]), run.compare_model)
        for method in ("dense", "hybrid"):
            results[f"{run.compare_model}, untuned: {METHOD_LABELS[method].removeprefix('ours: ')}"] = rank_metrics(
                our_rankings(snapshot, untuned, bench.questions, method), bench.relevant)
    for label, figures in results.items():
        table.add(METHOD_LABELS.get(label, label), *figures.values())
    run.figures[f"quality:{bench.name}"] = results
    hybrid, best_single = results["hybrid"]["MRR@10"], max(results["lexical"]["MRR@10"], results["dense"]["MRR@10"])
    if floor is not None:
        table.notes.append(f"hybrid MRR@10 {check(hybrid, floor, '{:.3f}', at_most=False)}")
    table.notes.append(f"hybrid MRR@10 vs the better of BM25/dense minus {HYBRID_MARGIN}: "
                       f"{check(hybrid, best_single - HYBRID_MARGIN, '{:.3f}', at_most=False)}")
    table.notes.append(f"index built from scratch (embed + BM25 + FAISS) in {build.seconds:.1f} s "
                       f"({len(passages) / build.seconds:.0f} passages/s); query timings are in section 2.")
    return table, vectors


def domain_table(run: Run) -> Table | str:
    from bot.config import SHIPPED_KNOWLEDGE_DIR
    from bot.evaluation import EVAL_SET, evaluate, load_eval_set
    from knowledge.loader import load_articles

    if not EVAL_SET.exists():
        return f"Domain evaluation skipped: {EVAL_SET.relative_to(REPO)} does not exist yet."
    try:
        gold = load_eval_set(EVAL_SET)
    except Exception as error:  # being written by someone else right now
        return f"Domain evaluation skipped: {EVAL_SET.relative_to(REPO)} could not be read ({error})."
    loaded = load_articles(SHIPPED_KNOWLEDGE_DIR, today=date.today())
    snapshot, stats = build_snapshot(loaded.articles, run.encoder, scope=loaded.scope)
    table = Table(f"Domain: shipped knowledge base ({stats.articles} articles, {stats.passages} passages), "
                  f"{len(gold.questions)} questions + {len(gold.out_of_scope)} out of scope",
                  ["method", "hit@1", "hit@3", "MRR@10", "key fact in answer", "in-scope declined",
                   "out-of-scope declined"])
    results = {}
    for method in METHODS:
        r = evaluate(snapshot, run.encoder, gold, method)
        results[method] = {"hit@1": r.hit1, "hit@3": r.hit3, "MRR@10": r.mrr}
        table.add(METHOD_LABELS[method], r.hit1, r.hit3, r.mrr, r.fact, r.wrongly_declined, r.oos_declined)
    run.figures["quality:domain"] = results
    table.notes.append("a hit is a passage of one of the question's gold articles (tests/eval/questions.yaml)")
    if loaded.problems:
        table.notes.append(f"{len(loaded.problems)} article(s) skipped as invalid: "
                           + "; ".join(str(p) for p in loaded.problems[:3]))
    return table


def quality_section(run: Run) -> Section:
    section = Section("1. Quality")
    if not run.has_benchmarks:
        section.notes.append(f"Skipped the benchmark tables: {run.benchmarks} not found.")
    else:
        tydiqa_folder = run.benchmarks / "tydiqa-id" / ("small" if not run.full else "")
        tydiqa = Benchmark.load("tydiqa-id small/" if not run.full else "tydiqa-id (test split)",
                                tydiqa_folder, None if not run.full else "test")
        table, vectors = quality_table(run, tydiqa, HYBRID_MRR_FLOOR if not run.full else None)
        section.tables.append(table)
        run.pool = SentencePool.from_benchmark(tydiqa, vectors)
        run.questions = tydiqa.questions
        if run.full:  # the CI floor is for small/; report it here too
            small = Benchmark.load("tydiqa-id small/", run.benchmarks / "tydiqa-id" / "small", None)
            section.tables.append(quality_table(run, small, HYBRID_MRR_FLOOR)[0])
        facqa = Benchmark.load("facqa-id (test split)", run.benchmarks / "facqa-id", "test")
        section.tables.append(quality_table(run, facqa, None)[0])
        section.notes.append(
            "R@k: share of a question's relevant passages in the top k (one relevant passage per question, "
            "so a hit rate). Our methods run the production path (`Snapshot.search_many`: query normalisation and "
            "glossary expansion, Sastrawi-stemmed BM25, CANDIDATES from each index, fusion); each benchmark row "
            "is one passage, so chunking is not measured here.")
    domain = domain_table(run)
    if isinstance(domain, Table):
        section.tables.append(domain)
    else:
        section.notes.append(domain)
    return section


# --- 2. latency ---------------------------------------------------------------------------------


class _Memo:
    """An encoder that remembers what it embedded (quality runs the same questions through three methods)."""

    def __init__(self, encoder: Encoder) -> None:
        self.name, self.dimension, self._encoder, self._seen = encoder.name, encoder.dimension, encoder, {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if missing:
            self._seen.update(zip(missing, self._encoder.encode(missing)))
        return np.stack([self._seen[t] for t in texts]) if texts else self._encoder.encode([])


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

    from bot.asking import use_threads

    before = faiss.omp_get_max_threads()
    use_threads(count)
    try:
        yield
    finally:
        use_threads(before)


def measure_latency(run: Run, snapshot: Snapshot, questions: Sequence[str]) -> dict[str, list[float]]:
    """Per question, interleaved: our hybrid search, the bare encode + FAISS flat baseline, and our search alone."""
    import faiss

    flat = faiss.IndexFlatIP(snapshot.dense.vectors.shape[1])
    flat.add(snapshot.dense.vectors)
    times: dict[str, list[float]] = {"hybrid": [], "baseline": [], "search": []}
    questions = list(questions[:10]) + list(questions)
    expanded = run.encoder.encode([Query.parse(question).expanded for question in questions])
    for i, question in enumerate(questions):
        with stopwatch() as hybrid:
            snapshot.search(question, run.encoder)
        with stopwatch() as baseline:
            flat.search(run.encoder.encode([question]), TOP_K)
        with stopwatch() as search:
            snapshot.search(question, _Given(run.model, expanded[i : i + 1]))
        if i >= 10:  # the first ten warm caches up
            for key, timer in (("hybrid", hybrid), ("baseline", baseline), ("search", search)):
                times[key].append(ms(timer.seconds))
    return times


def latency_section(run: Run) -> Section:
    section = Section("2. Latency")
    if run.pool is None:
        section.notes.append("Skipped: needs the tydiqa-id benchmark for generated corpora and questions.")
        return section
    sizes = [1_000, 10_000] + ([100_000] if run.full else [])
    questions = run.questions[: run.args.latency_questions]
    table = Table(f"Per-question retrieval time, {len(questions)} tydiqa questions one at a time (ms)",
                  ["passages", "hybrid p50", "hybrid p99", "bare encode+FAISS p50", "bare p99", "ratio p50",
                   "ratio p99", "our search without encode p50", "dense index"])
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
            "search_p50": pct(t["search"], 50)}
        at_10k = size == 10_000
        table.add(f"{size:,}" + (f" — what-if: FAISS (and torch) on all {cores} cores" if every_core else ""),
                  check(p50, LATENCY_P50_MS) if at_10k else f"{p50:.1f}",
                  check(p99, LATENCY_P99_MS) if at_10k else f"{p99:.1f}", f"{b50:.1f}", f"{b99:.1f}",
                  check(p50 / b50, LATENCY_RATIO, "{:.2f}"), f"{p99 / b99:.2f}", f"{pct(t['search'], 50):.1f}",
                  snapshot.dense.kind)
    table.notes += [
        "hybrid = `snapshot.search(q, encoder)`: parse + expand, encode, BM25, FAISS, fusion, coverage; bare = "
        f"`encoder.encode([q])` + FAISS IndexFlatIP top-{TOP_K} over the same vectors; measured interleaved.",
        "corpora are generated: passages of 50-150 words recombined from tydiqa sentences; their vectors are the "
        "normalised mean of the real MiniLM embeddings of the source passages plus noise (not model output).",
        f"targets at 10k: p50 ≤ {LATENCY_P50_MS:.0f} ms, p99 ≤ {LATENCY_P99_MS:.0f} ms; ratio ≤ {LATENCY_RATIO}× at every size.",
        "as in the query lane (`bot/asking.py`), a lone question runs FAISS (and a torch encoder) on one thread; "
        "the what-if row gives them every core, as a big batch of questions gets. The ONNX encoder's own session "
        "always runs on every core.",
    ]
    section.tables.append(table)
    return section


# --- 4. build and reload (run before throughput, which serves the knowledge base built here) -------


def write_generated_articles(pool: SentencePool, folder: Path, count: int, sections: int, seed: int) -> list[str]:
    """`count` article files of `sections` sections of 50-150 words: one passage per section.

    As in the shipped knowledge base, one article (the last) is the contacts article a decline cites."""
    rng = np.random.default_rng(seed)
    topics = ["ssw", "magang", "ikusei", "bpvp", "safety", "news", "glossary"]
    folder.mkdir(parents=True, exist_ok=True)
    slugs = []
    for a in range(count):
        texts = pool.texts(rng, sections)
        body = "\n\n".join(f"## Bagian {s + 1}: {' '.join(text.split()[:6]).rstrip('.,;:')}\n\n{text}"
                           for s, (text, _) in enumerate(texts))
        slug = f"gen-{a:04d}"
        front = (f"---\ntitle: {json.dumps(f'Artikel {a:04d}: ' + ' '.join(texts[0][0].split()[:5]))}\n"
                 f"sources: [https://example.org/{slug}]\nas_of: 2025-01-01\nlang: id\n"
                 f"topics: [{'contacts' if a == count - 1 else topics[a % len(topics)]}]\n---\n\n")
        (folder / f"{slug}.md").write_text(front + body + "\n", encoding="utf-8")
        slugs.append(slug)
    return slugs


def edit_article(path: Path, sections: int, tag: str) -> None:
    """Change the first `sections` sections' text, as an editor fixing facts would."""
    lines, changed = path.read_text(encoding="utf-8").split("\n"), 0
    in_body = False
    for i, line in enumerate(lines):
        if line.startswith("## "):
            in_body = True
        elif in_body and line.strip() and changed < sections:
            lines[i] = line + f" Catatan revisi {tag}."
            changed += 1
    path.write_text("\n".join(lines), encoding="utf-8")


def prepare_knowledge_base(run: Run) -> tuple[GeneratedKB, dict[str, float]]:
    """A 10k-passage knowledge folder; its embedding cache is filled by a real build (--full) or derived vectors."""
    from bot.knowledge_base import KnowledgeBase
    from knowledge.chunker import split_into_passages
    from knowledge.loader import load_articles

    folder, data_dir = run.tmp / "kb", run.tmp / "kb-data"
    slugs = write_generated_articles(run.pool, folder, run.args.kb_articles, 20, run.args.seed)
    kb = KnowledgeBase(folder, data_dir, run.model, lambda: run.encoder)
    articles = load_articles(folder, today=date.today()).articles
    figures: dict[str, float] = {}
    if run.full:  # the real thing: every passage through the model, the cache filled as a side effect
        with stopwatch() as timer:
            _, stats = build_snapshot(articles, run.encoder, kb.cache)
        run.scratch_build = ("the generated knowledge base", stats.passages, timer.seconds)
    else:
        passages = [p for article in articles for p in split_into_passages(article)]
        vectors = run.pool.vector_of_text(np.random.default_rng(run.args.seed), [p.text for p in passages])
        kb.cache.put_many(run.model, zip((text_hash(p.indexed_text) for p in passages), vectors))
    with stopwatch() as timer:
        kb.open()
    figures["open_s"] = timer.seconds
    edit_article(folder / f"{slugs[0]}.md", 1, "satu")
    with stopwatch() as timer:
        report = kb.rebuild()
    figures.update(reload_s=timer.seconds, reload_build_s=report.seconds, reload_embedded=report.embedded,
                   passages=report.passages, articles=report.articles)
    generated = GeneratedKB(folder, data_dir, kb, slugs)
    run.kb = generated
    return generated, figures


def build_section(run: Run) -> Section:
    section = Section("4. Build and reload")
    if run.pool is None:
        section.notes.append("Skipped: needs the tydiqa-id benchmark to generate a knowledge base.")
        return section
    generated, figures = prepare_knowledge_base(run)
    what, passages, seconds = run.scratch_build
    run.figures["build"] = {**figures, "scratch_passages": passages, "scratch_s": seconds}
    table = Table("Indexing and reloading", ["what", "passages", "time (s)", "passages/s", "target"])
    table.add("index from scratch (embed + BM25 + FAISS)", f"{passages:,}", f"{seconds:.1f}", f"{passages / seconds:.0f}",
              "report only")
    table.add(f"open: build all {figures['passages']:,} passages from the embedding cache, publish",
              f"{figures['passages']:,}", f"{figures['open_s']:.2f}", f"{figures['passages'] / figures['open_s']:.0f}",
              "report only")
    table.add(f"reload after editing one article ({figures['reload_embedded']} passage(s) re-embedded)",
              f"{figures['passages']:,}", check(figures["reload_s"], RELOAD_SECONDS, "{:.2f}"), "",
              f"≤ {RELOAD_SECONDS:.0f} s")
    table.notes += [
        f"knowledge base: {figures['articles']} generated articles × 20 sections of 50-150 words "
        f"(recombined tydiqa sentences) = {figures['passages']:,} passages, in a temporary folder.",
        "reload = `KnowledgeBase.rebuild()`: load and validate every file, chunk, hash, cache look-up, embed "
        f"what changed, BM25 + FAISS, publish with fsync; of its {figures['reload_s']:.2f} s, "
        f"{figures['reload_build_s']:.2f} s is `build_snapshot`.",
    ]
    if run.full:
        table.notes.append("from scratch: `build_snapshot` over the generated 10k-passage knowledge base, every "
                           "passage through the model.")
    else:
        table.notes.append(f"from scratch (--quick): the {passages:,}-passage {what} index of section 1; "
                           "--full indexes the 10k-passage knowledge base. In --quick the embedding cache is "
                           "pre-filled with derived vectors (see section 2), so the cache path is what is timed.")
    section.tables.append(table)
    return section


# --- 3. throughput --------------------------------------------------------------------------------


async def ask_concurrently(asker, questions: Sequence[str], concurrency: int, seconds: float) -> tuple[int, float, list[float]]:
    latencies: list[float] = []
    order = itertools.count()
    deadline = time.perf_counter() + seconds

    async def one_user() -> None:
        asked = 0
        while time.perf_counter() < deadline or asked < 3:  # at least three rounds, whatever the duration
            asked += 1
            question = questions[next(order) % len(questions)]
            started = time.perf_counter()
            await asker.ask(question)
            latencies.append(ms(time.perf_counter() - started))

    started = time.perf_counter()
    await asyncio.gather(*(one_user() for _ in range(concurrency)))
    return len(latencies), time.perf_counter() - started, latencies


async def core_throughput(run: Run, snapshot: Snapshot) -> Table:
    from bot.asking import MAX_BATCH, PARALLEL_FROM, Asker

    questions = run.default_questions()
    table = Table(f"Core: `Asker.ask` on a {snapshot.manifest.passages:,}-passage knowledge base",
                  ["concurrent askers", "answered", "seconds", "questions/s", "latency p50 (ms)", "latency p95 (ms)"])

    asker = Asker(SimpleNamespace(snapshot=snapshot), lambda: run.lane_encoder)
    try:
        await asyncio.to_thread(asker.warm_up)
        await ask_concurrently(asker, questions, 8, 1.0)  # warm-up
        for concurrency in (1, 8, 64):
            answered, seconds, latencies = await ask_concurrently(asker, questions, concurrency,
                                                                  run.args.throughput_seconds)
            qps = answered / seconds
            run.figures[f"throughput:core:{concurrency}"] = qps
            table.add(f"{concurrency}", answered, f"{seconds:.1f}",
                      check(qps, CORE_QPS, "{:.0f}", at_most=False) if concurrency == 64 else f"{qps:.0f}",
                      f"{pct(latencies, 50):.0f}", f"{pct(latencies, 95):.0f}")
    finally:
        asker.close()
    table.notes += [f"full answer path (`answer_many`: search + answer composition), one query-lane thread, "
                    f"batches of up to MAX_BATCH={MAX_BATCH} (on every core from {PARALLEL_FROM} questions, else one "
                    f"thread); each asker asks its next question as soon as it has an answer (at least three each); "
                    f"target ≥ {CORE_QPS:.0f} q/s at 64."]
    return table


@contextlib.asynccontextmanager
async def running_bot(run: Run, generated: GeneratedKB):
    """Our real application, wired as in production, polling the fake Bot API on loopback."""
    from bot.app import build_application, post_init
    from bot.asking import Asker
    from bot.config import load_settings
    from bot.journal import Journal
    from bot.services import Services

    if str(REPO) not in sys.path:  # tests/ is not an installed package
        sys.path.insert(0, str(REPO))
    from tests.fakebotapi import FakeBotAPI

    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = "127.0.0.1,localhost"
    async with FakeBotAPI() as api:
        settings = load_settings(telegram_bot_token=api.token, telegram_base_url=api.base_url,
                                 telegram_base_file_url=api.base_file_url, bot_admin_ids=str(ADMIN),
                                 knowledge_dir=generated.folder, bot_data_dir=generated.data_dir,
                                 embedding_model=run.model)
        services = Services(settings, generated.kb, Asker(generated.kb, lambda: run.lane_encoder),
                            Journal.open(generated.data_dir))
        app = build_application(settings, services)
        await app.initialize()
        await post_init(app)
        await app.start()
        await app.updater.start_polling(poll_interval=0)
        try:
            yield api
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()


_USER_IDS = itertools.count(100_000)


class Users:
    """Fresh simulated users (one question each stays far inside the per-user rate limit)."""

    def __init__(self, api) -> None:
        self.api = api

    async def ask(self, question: str) -> tuple[int, float]:
        user = self.api.user(next(_USER_IDS))
        sent = time.monotonic()
        await user.says(question)
        return user.id, sent


def first_replies(api) -> dict[int, float]:
    """Chat id → arrival time of the bot's first sendMessage to it (the fake records every call)."""
    replies: dict[int, float] = {}
    for call in api.calls:
        if call.method.lower() == "sendmessage" and call.status == 200:
            replies.setdefault(call.params.get("chat_id"), call.time)
    return replies


async def wait_for_replies(api, chats: Sequence[int], timeout: float) -> dict[int, float]:
    deadline = time.monotonic() + timeout
    while True:
        replies = first_replies(api)
        if all(chat in replies for chat in chats) or time.monotonic() > deadline:
            return replies
        await asyncio.sleep(0.02)


async def bot_burst(api, questions: Sequence[str], users: int) -> dict[str, float]:
    """`users` users each send one question at once; replies/second until the last is answered."""
    people = Users(api)
    started = time.monotonic()
    sent = await asyncio.gather(*(people.ask(questions[i % len(questions)]) for i in range(users)))
    replies = await wait_for_replies(api, [chat for chat, _ in sent], timeout=120)
    answered = [replies[chat] - at for chat, at in sent if chat in replies]
    last = max((replies[chat] for chat, _ in sent if chat in replies), default=started)
    return {"users": users, "answered": len(answered), "seconds": last - started,
            "rps": len(answered) / max(last - started, 1e-9), "p50": ms(pct(answered, 50)), "p95": ms(pct(answered, 95))}


async def paced_questions(api, questions: Sequence[str], rate: float, until: Callable[[], bool],
                          at_least: int, at_most: int) -> list[float]:
    """Open-loop: one question every 1/rate s while `until()` is false; returns reply latencies (ms)."""
    people, sent = Users(api), []
    for i in itertools.count():
        if i >= at_most or (i >= at_least and until()):
            break
        sent.append(await people.ask(questions[i % len(questions)]))
        await asyncio.sleep(1 / rate)
    replies = await wait_for_replies(api, [chat for chat, _ in sent], timeout=120)
    return [ms(replies[chat] - at) for chat, at in sent if chat in replies]


async def bot_during_reload(run: Run, api, generated: GeneratedKB, questions: Sequence[str]) -> dict[str, object]:
    rate = run.args.paced_rate
    idle_until = time.monotonic() + run.args.idle_seconds
    idle = await paced_questions(api, questions, rate, lambda: time.monotonic() > idle_until, 5, 10_000)
    for slug in generated.slugs[1:1 + run.args.reload_articles]:  # every section of these articles changes
        edit_article(generated.folder / f"{slug}.md", 20, "banyak")
    admin = api.user(ADMIN, first_name="Admin")
    started = time.monotonic()
    await admin.says("/reload")

    def reloaded() -> bool:
        return any("dimuat ulang" in m["text"] for m in api.sent_messages(ADMIN))

    during = await paced_questions(api, questions, rate, reloaded, 5, 100_000)
    while not reloaded():
        await asyncio.sleep(0.05)
    report = next(m["text"] for m in api.sent_messages(ADMIN) if "dimuat ulang" in m["text"])
    return {"idle": idle, "during": during, "reload_s": time.monotonic() - started, "report": report}


async def bot_with_flooder(api, questions: Sequence[str], rate: float, count: int,
                           rounds: int) -> dict[str, list[float]]:
    """Honest users' reply times without and with one user sending FLOOD_MESSAGES at once, alternating
    for `rounds` rounds: drift in the machine's load then falls on both sides alike."""
    phases: dict[str, list[float]] = {"alone": [], "flooded": []}
    for _ in range(rounds):
        phases["alone"] += await paced_questions(api, questions, rate, lambda: True, count, count)
        flooder = api.user(next(_USER_IDS))

        async def flood() -> None:
            for i in range(FLOOD_MESSAGES):
                await flooder.says(f"{questions[i % len(questions)]} {i}")

        flooding = asyncio.create_task(flood())
        phases["flooded"] += await paced_questions(api, questions, rate, lambda: True, count, count)
        await flooding
    return phases


async def throughput_async(run: Run, section: Section) -> None:
    generated = run.kb
    section.tables.append(await core_throughput(run, generated.kb.snapshot))
    questions = run.default_questions()
    async with running_bot(run, generated) as api:
        await bot_burst(api, questions, 20)  # warm-up
        burst = await bot_burst(api, questions, run.args.bot_users)
        reload = await bot_during_reload(run, api, generated, questions)
        flood = await bot_with_flooder(api, questions, run.args.paced_rate, run.args.flood_phase_questions,
                                       run.args.flood_rounds)
    run.figures["throughput:bot"] = burst
    table = Table(f"Whole bot: real PTB application + fake Bot API (same process, loopback HTTP), "
                  f"{generated.kb.snapshot.manifest.passages:,} passages",
                  ["scenario", "questions answered", "seconds", "replies/s", "reply p50 (ms)", "reply p95 (ms)"])
    table.add(f"{burst['users']} users send one question each, at once", burst["answered"], f"{burst['seconds']:.1f}",
              check(burst["rps"], BOT_RPS, "{:.0f}", at_most=False), f"{burst['p50']:.0f}", f"{burst['p95']:.0f}")
    for label, latencies in (("idle", reload["idle"]), ("during a reload", reload["during"])):
        table.add(f"{run.args.paced_rate:.0f} questions/s, {label}", len(latencies), "", "",
                  f"{pct(latencies, 50):.0f}", f"{pct(latencies, 95):.0f}")
    ratio = pct(flood["flooded"], 95) / max(pct(flood["alone"], 95), 1e-9)
    table.add(f"{run.args.paced_rate:.0f} questions/s from others, one user flooding {FLOOD_MESSAGES} messages "
              f"at once, {run.args.flood_rounds}× (alternating with as many phases without)",
              len(flood["flooded"]), "", "", f"{pct(flood['flooded'], 50):.0f}",
              f"{pct(flood['flooded'], 95):.0f} (×{check(ratio, FLOOD_P95_RATIO, '{:.2f}')} of "
              f"{pct(flood['alone'], 95):.0f} without)")
    run.figures["throughput:flood"] = {"p95_alone": pct(flood["alone"], 95), "p95_flooded": pct(flood["flooded"], 95)}
    run.figures["throughput:reload"] = {key: {"p50": pct(v, 50), "p95": pct(v, 95), "n": len(v)}
                                        for key, v in reload.items() if key in ("idle", "during")}
    summary = reload["report"].splitlines()
    table.notes += [
        "reply time: from the user's message being queued at the fake server to the bot's first sendMessage for "
        "it arriving there (getUpdates long-poll, handler, rate limiter, journal write, answer, HTML render).",
        f"the reload: admin /reload after {run.args.reload_articles} articles had every section edited; "
        f"{reload['reload_s']:.1f} s from the command to the report (\"{' '.join(summary[:2])}\").",
        f"target ≥ {BOT_RPS:.0f} replies/s; the fake server runs in the bot's event loop and process, so its "
        "work (HTTP, HTML validation) is counted against the bot.",
    ]
    section.tables.append(table)


def throughput_section(run: Run) -> Section:
    section = Section("3. Throughput")
    if run.kb is None:
        section.notes.append("Skipped: needs the generated knowledge base of section 4 (tydiqa-id benchmark).")
        return section
    asyncio.run(throughput_async(run, section))
    return section


# --- 5. memory and cold start ---------------------------------------------------------------------


def probe_memory(data_dir: Path, model: str, questions_file: Path) -> None:
    """Child process: load the model, then the published index, answer questions, then build a second
    snapshot alongside the first (what a reload does); prints resident and peak memory after each step."""
    from bot.answer import answer_many

    questions = json.loads(questions_file.read_text(encoding="utf-8"))
    encoder = load_encoder(model)
    encoder.encode(["pemanasan"])
    figures = {"model": memory_mb()}
    snapshot = IndexStore(data_dir).load(model)
    for start in range(0, len(questions), 8):
        answer_many(questions[start:start + 8], snapshot, encoder)
    figures["serving"] = memory_mb()
    rebuilt = snapshot_from_passages(snapshot.passages, snapshot.dense.vectors.copy(), model, dict(snapshot.articles))
    answer_many(questions[:8], rebuilt, encoder)
    figures["reload"] = memory_mb()
    print(json.dumps({**figures, "passages": len(snapshot.passages)}))


def memory_mb() -> dict[str, float]:
    """Resident and peak resident MB of this process. The peak is VmHWM rather than ru_maxrss:
    Linux carries ru_maxrss over exec, so a child of a big parent would report the parent's peak."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    if "VmHWM" not in status:  # not Linux
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)
        return {"rss": peak, "peak": peak}
    return {"rss": int(status["VmRSS"].split()[0]) / 1024, "peak": int(status["VmHWM"].split()[0]) / 1024}


def run_memory_probe(run: Run, data_dir: Path) -> dict[str, float]:
    questions_file = run.tmp / "probe-questions.json"
    questions_file.write_text(json.dumps(run.default_questions()[:100]), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "embeddings.bench", "--probe-memory", str(data_dir),
                             "--model", run.model, "--probe-questions", str(questions_file)],
                            capture_output=True, text=True, cwd=REPO, env=child_env(), timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(f"memory probe failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "BOT_ADMIN"))}
    env["HF_HUB_OFFLINE"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return {**env, **extra}


def cold_start(run: Run, generated: GeneratedKB) -> list[float]:
    """`python -m bot ask` with the index already on disk: process start to answer printed and exit."""
    seconds = []
    cwd = run.tmp / "cold"  # no .env there
    cwd.mkdir(exist_ok=True)
    env = child_env(BOT_DATA_DIR=str(generated.data_dir), KNOWLEDGE_DIR=str(generated.folder),
                    EMBEDDING_MODEL=run.model)
    for _ in range(run.args.cold_runs):
        with stopwatch() as timer:
            result = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "apa syarat kerja di jepang?"],
                                    capture_output=True, text=True, cwd=cwd, env=env, timeout=300)
        if result.returncode != 0 or '"answered"' not in result.stdout:
            raise RuntimeError(f"`python -m bot ask` failed: {result.stderr[-2000:]}")
        seconds.append(timer.seconds)
    return seconds


def memory_section(run: Run) -> Section:
    section = Section("5. Memory and cold start")
    if run.kb is None:
        section.notes.append("Skipped: needs the generated knowledge base of section 4 (tydiqa-id benchmark).")
        return section
    table = Table("Memory of a serving process, MB resident (peak), one subprocess per size",
                  ["passages", "model + runtime loaded", "serving: index loaded + 100 answers",
                   "after a reload build alongside", "target (peak while serving)"])
    sizes: list[tuple[int, Path]] = [(run.kb.kb.snapshot.manifest.passages, run.kb.data_dir)]
    if run.full:
        big = run.synthetic_snapshot(100_000)
        IndexStore(run.tmp / "data-100k").publish(big)
        sizes.append((100_000, run.tmp / "data-100k"))
    for passages, data_dir in sizes:
        probe = run_memory_probe(run, data_dir)
        run.figures[f"memory:{passages}"] = probe
        at_10k = passages <= 10_000
        serving = probe["serving"]
        table.add(f"{passages:,}", "{rss:.0f} ({peak:.0f})".format(**probe["model"]),
                  "{rss:.0f} ({peak:.0f})".format(**serving), "{rss:.0f} ({peak:.0f})".format(**probe["reload"]),
                  check(serving["peak"], MEMORY_MB_10K, "{:.0f}") if at_10k else "report only")
    table.notes.append("measured after: loading the model and embedding one text; loading the published index "
                       "(`IndexStore.load`) and answering 100 questions with `answer_many` in batches of 8; then "
                       "building a second snapshot from the same passages while the first is alive, as a reload "
                       "does. Peak is the kernel's VmHWM (ru_maxrss is carried over exec from the parent).")
    section.tables.append(table)
    seconds = cold_start(run, run.kb)
    run.figures["cold_start_s"] = seconds
    cold = Table("Cold start: `python -m bot ask --json \"…\"` with a published index on disk",
                 ["passages", "runs (s)", "best (s)", "target"])
    cold.add(f"{run.kb.kb.snapshot.manifest.passages:,}", ", ".join(f"{s:.1f}" for s in seconds),
             check(min(seconds), COLD_START_SECONDS), f"≤ {COLD_START_SECONDS:.0f} s")
    cold.notes.append(f"wall time from process start to exit after printing the answer (imports, model load "
                      f"(~{run.figures['encoder_load_s']:.1f} s in this process), index load, one answer); "
                      "the first run may read files from disk, later ones from the page cache.")
    section.tables.append(cold)
    return section


# --- 6. scale -------------------------------------------------------------------------------------


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


def scale_section(run: Run) -> Section:
    section = Section("6. Scale (HNSW)")
    if not run.full:
        section.notes.append("Skipped in --quick: run with --full.")
        return section
    if run.pool is None:
        section.notes.append("Skipped: needs the tydiqa-id benchmark for cluster centres and questions.")
        return section
    queries = run.encoder.encode(run.questions[:200])
    size, note = choose_scale_size(run)
    vectors = clustered_vectors(run.pool.vectors, size, run.args.seed)
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
    return section


def choose_scale_size(run: Run) -> tuple[int, str]:
    """Time a 50k build and extrapolate (HNSW build is ~n log n); shrink the size to fit the time budget."""
    wanted, budget = run.args.scale_size, run.args.scale_minutes * 60
    probe = 50_000
    with stopwatch() as timer:
        DenseIndex.build(clustered_vectors(run.pool.vectors, probe, run.args.seed + 1), kind="hnsw")
    per_vector = timer.seconds / probe
    def estimate(n: int) -> float:
        return per_vector * n * np.log(n) / np.log(probe)
    size = wanted
    while size > 100_000 and estimate(size) > budget:
        size -= 100_000
    if size == wanted:
        return size, ""
    return size, (f"{wanted:,} was not built: a {probe:,}-vector probe took {timer.seconds:.0f} s, so {wanted:,} "
                  f"would take ~{estimate(wanted) / 60:.0f} min, over the {run.args.scale_minutes} min budget "
                  f"(--scale-minutes); {size:,} was built instead.")


# --- the report -----------------------------------------------------------------------------------


def header(run: Run, started: float) -> str:
    from importlib.metadata import version

    import faiss

    from bot.asking import MAX_BATCH

    cores = os.cpu_count()
    usable = usable_cores()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return "\n".join([
        "# Benchmarks",
        "",
        f"Generated by `python -m embeddings.bench {'--full' if run.full else '--quick'}` on "
        f"{datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}; every figure below was measured in this "
        f"one run ({(time.perf_counter() - started) / 60:.1f} min). Timings come from a shared machine and vary "
        "between runs; compare them within one report.",
        "",
        "| setting | value |",
        "|---|---|",
        f"| machine | {cores} cores ({usable} usable), {cpu}, Python {platform.python_version()} |",
        f"| libraries | onnxruntime {version('onnxruntime')}, torch {version('torch')}, sentence-transformers "
        f"{version('sentence-transformers')}, faiss {faiss.__version__}, numpy {np.__version__} |",
        f"| model | `{run.model}` on {type(run.encoder).__name__} (loaded in {run.figures['encoder_load_s']:.1f} s) |",
        f"| retrieval | TOP_K={TOP_K}, CANDIDATES={CANDIDATES}, DENSE_WEIGHT={DENSE_WEIGHT}, "
        f"APPROXIMATE_FROM={APPROXIMATE_FROM:,}, HNSW M={HNSW_NEIGHBOURS} efC={HNSW_EF_CONSTRUCTION} "
        f"efSearch={HNSW_EF_SEARCH}, Asker MAX_BATCH={MAX_BATCH} |",
        f"| benchmarks | `{run.benchmarks}`{'' if run.has_benchmarks else ' (absent)'} |",
        f"| mode | {'full' if run.full else 'quick'}; seed {run.args.seed} |",
        f"| load average (1 min) | {run.load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, on "
        f"{usable} cores: other processes share this machine |",
        "",
    ])


SECTIONS: list[tuple[str, Callable[[Run], Section]]] = [
    ("1", quality_section), ("2", latency_section), ("4", build_section), ("3", throughput_section),
    ("5", memory_section), ("6", scale_section),
]


def run_all(args: argparse.Namespace) -> tuple[str, list[str]]:
    started = time.perf_counter()
    run = Run(args)
    done: dict[str, Section] = {}
    try:
        for number, make in SECTIONS:  # build (4) runs before throughput (3), which serves its knowledge base
            log.warning("section %s ...", number)
            with stopwatch() as timer:
                try:
                    done[number] = make(run)
                except Exception as error:  # keep what the other sections measured; fail at the end
                    log.exception("section %s failed", number)
                    run.failed.append(number)
                    done[number] = Section(f"{number}. {make.__name__.removesuffix('_section').title()}",
                                           notes=[f"❌ this section failed: {type(error).__name__}: {error}"])
            run.figures[f"section_s:{number}"] = timer.seconds
            log.warning("section %s done in %.0f s", number, timer.seconds)
    finally:
        shutil.rmtree(run.tmp, ignore_errors=True)
    body = "\n".join(done[number].markdown() for number in sorted(done))
    report = header(run, started) + "\n" + body
    if args.json:
        Path(args.json).write_text(json.dumps(run.figures, indent=2, default=float), encoding="utf-8")
    return report, run.failed


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    from bot.config import TUNED_MODEL

    parser = argparse.ArgumentParser(prog="python -m embeddings.bench", description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="CI smoke run (the default)")
    mode.add_argument("--full", action="store_true", help="every section at every size")
    parser.add_argument("--model", default=os.environ.get("EMBEDDING_MODEL") or TUNED_MODEL,
                        help="the model measured (default: the bot's default); quality also shows the bundled one")
    parser.add_argument("--benchmarks", default=str(DEFAULT_BENCHMARKS), help="folder holding tydiqa-id/, facqa-id/")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="where the markdown report is written")
    parser.add_argument("--json", default=None, help="also write the raw figures as JSON here")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale-size", type=int, default=1_000_000)
    parser.add_argument("--scale-minutes", type=float, default=30.0, help="time budget for the HNSW build")
    parser.add_argument("--probe-memory", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--probe-questions", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    quick = not args.full
    # sizes of the timed runs: short enough for CI in --quick
    args.latency_questions = 100 if quick else 200
    args.throughput_seconds = 3.0 if quick else 15.0
    args.kb_articles = 500
    args.bot_users = 200 if quick else 1000
    args.paced_rate = 10.0 if quick else 20.0
    args.idle_seconds = 3.0 if quick else 10.0
    args.reload_articles = 5 if quick else 25
    args.cold_runs = 1 if quick else 3
    args.flood_rounds = 1 if quick else 3  # full: 300 replies on each side, alone and flooded alternating
    args.flood_phase_questions = 30 if quick else 100
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    for noisy in ("httpx", "bm25s", "telegram", "apscheduler", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    if args.probe_memory:
        probe_memory(args.probe_memory, args.model, args.probe_questions)
        return
    report, failed = run_all(args)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)
    if failed:
        sys.exit(f"sections failed: {', '.join(failed)} (see the log above)")


if __name__ == "__main__":
    main()
