"""What the benchmark's sections share: one run's settings, encoders and measurements, and small timing helpers."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from embeddings.encoder import BUNDLED_MODEL, Encoder, load_encoder
from embeddings.snapshot import Snapshot
from tools.bench.data import SentencePool, placeholder_articles, snapshot_from_passages
from tools.irdata import REPO
from tools.postgres import available


@dataclass(frozen=True)
class Sizes:
    """How long the timed runs are: --quick is short enough for CI."""

    latency_questions: int
    throughput_seconds: float
    kb_articles: int
    bot_users: int
    paced_rate: float  # questions per second from honest users
    idle_seconds: float
    reload_articles: int
    cold_runs: int
    flood_rounds: int  # rounds of phases alone and flooded, alternating
    flood_phase_questions: int


QUICK = Sizes(latency_questions=100, throughput_seconds=3.0, kb_articles=500, bot_users=200, paced_rate=10.0,
              idle_seconds=3.0, reload_articles=5, cold_runs=1, flood_rounds=1, flood_phase_questions=30)
FULL = Sizes(latency_questions=200, throughput_seconds=15.0, kb_articles=500, bot_users=1000, paced_rate=20.0,
             idle_seconds=10.0, reload_articles=25, cold_runs=3, flood_rounds=3, flood_phase_questions=100)


@dataclass
class GeneratedKB:
    """The generated knowledge base that section 4 builds and sections 3 and 5 serve."""

    folder: Path
    data_dir: Path
    kb: object  # bot.knowledge_base.KnowledgeBase
    slugs: list[str]


class Run:
    """One benchmark run: the options, the encoders, and what one section makes for the next."""

    def __init__(self, *, model: str, benchmarks: Path, full: bool, seed: int, scale_size: int,
                 scale_minutes: float) -> None:
        self.model, self.benchmarks, self.full, self.seed = model, benchmarks, full, seed
        self.scale_size, self.scale_minutes = scale_size, scale_minutes
        self.sizes = FULL if full else QUICK
        self.load_start = os.getloadavg()[0]
        self.figures: dict[str, object] = {}
        self.tmp = Path(tempfile.mkdtemp(prefix="tanya-bench-"))
        self.has_benchmarks = (benchmarks / "tydiqa-id" / "corpus.jsonl").exists()
        with stopwatch() as timer:
            self.encoder: Encoder = load_encoder(model)
        self.figures["encoder_load_s"] = timer.seconds
        self.compare_model = BUNDLED_MODEL  # quality also shows what tuning bought
        self.compare_encoder: Encoder | None = load_encoder(BUNDLED_MODEL) if model != BUNDLED_MODEL else None
        self._lane_encoder: Encoder | None = None
        self.pool: SentencePool | None = None  # from section 1: generated text and vectors come from it
        self.questions: list[str] = []  # tydiqa questions, for latency and throughput
        self.scratch_build: tuple[str, int, float] | None = None  # (what, passages, seconds) of a from-scratch build
        self.kb: GeneratedKB | None = None
        self._synthetic: dict[int, Snapshot] = {}

    @property
    def lane_encoder(self) -> Encoder:
        """The query lane's own encoder, as production has (one per thread that encodes)."""
        if self._lane_encoder is None:
            self._lane_encoder = load_encoder(self.model)
        return self._lane_encoder

    def synthetic_snapshot(self, size: int) -> Snapshot:
        if size not in self._synthetic:
            passages, vectors = self.pool.corpus(size, seed=self.seed + size)
            self._synthetic[size] = snapshot_from_passages(passages, vectors, self.model,
                                                           placeholder_articles(passages))
        return self._synthetic[size]


@dataclass(frozen=True)
class Need:
    """Something a section cannot run without, and what the report says when it is missing."""

    met: Callable[[Run], bool]
    missing: str


BENCHMARK = Need(lambda run: run.pool is not None,
                 "the tydiqa-id benchmark, from which corpora and questions are generated")
KNOWLEDGE_BASE = Need(lambda run: run.kb is not None, "the generated knowledge base of section 4")
FULL_RUN = Need(lambda run: run.full, "--full")
POSTGRES = Need(lambda run: available() is None, "a PostgreSQL server to start (apt-get install postgresql)")


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


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process (`python -m bot ask`, the memory probe): offline, this repository
    importable, and no bot token or admin of the developer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "BOT_ADMIN"))}
    env["HF_HUB_OFFLINE"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return {**env, **extra}
