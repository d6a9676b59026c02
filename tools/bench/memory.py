"""Section 5, memory and cold start: a serving process's resident memory, measured in a child process of its
own (`python -m tools.bench --probe-memory`), and `python -m bot ask` from process start to answer."""

from __future__ import annotations

import dataclasses
import json
import resource
import subprocess
import sys
from pathlib import Path

from bot.pipeline import Pipeline
from embeddings.encoder import load_encoder
from embeddings.store import IndexStore
from tools.bench.data import snapshot_from_passages
from tools.bench.run import GeneratedKB, Run, child_env, stopwatch
from tools.irdata import REPO
from tools.report import Section, Table, check

MEMORY_MB_10K, COLD_START_SECONDS = 700.0, 5.0
PROBE_QUESTIONS, PROBE_BATCH = 100, 8
CHILD_TIMEOUT_S = 1800


def probe(data_dir: Path, model: str, questions_file: Path) -> None:
    """Child process: load the model, then the published index, answer questions, then build a second
    snapshot alongside the first (what a reload does); prints resident and peak memory after each step."""
    questions = json.loads(questions_file.read_text(encoding="utf-8"))
    pipeline = Pipeline()
    encoder = load_encoder(model)
    encoder.encode(["pemanasan"])
    figures = {"model": memory_mb()}
    snapshot = IndexStore(data_dir).load(model)
    for start in range(0, len(questions), PROBE_BATCH):
        pipeline.answer(snapshot, encoder, questions[start:start + PROBE_BATCH])
    figures["serving"] = memory_mb()
    rebuilt = dataclasses.replace(
        snapshot_from_passages(snapshot.passages, snapshot.dense.vectors.copy(), model, dict(snapshot.articles)),
        sentence_vectors=None if snapshot.sentence_vectors is None else snapshot.sentence_vectors.copy())
    pipeline.answer(rebuilt, encoder, questions[:PROBE_BATCH])
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


def run_probe(run: Run, data_dir: Path) -> dict[str, float]:
    questions_file = run.tmp / "probe-questions.json"
    questions_file.write_text(json.dumps(run.questions[:PROBE_QUESTIONS]), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tools.bench", "--probe-memory", str(data_dir),
                             "--model", run.model, "--probe-questions", str(questions_file)],
                            capture_output=True, text=True, cwd=REPO, env=child_env(), timeout=CHILD_TIMEOUT_S)
    if result.returncode != 0:
        raise RuntimeError(f"memory probe failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def cold_start(run: Run, generated: GeneratedKB) -> list[float]:
    """`python -m bot ask` with the index already on disk: process start to answer printed and exit."""
    seconds = []
    cwd = run.tmp / "cold"  # no .env there
    cwd.mkdir(exist_ok=True)
    env = child_env(BOT_DATA_DIR=str(generated.data_dir), KNOWLEDGE_DIR=str(generated.folder),
                    EMBEDDING_MODEL=run.model)
    for _ in range(run.sizes.cold_runs):
        with stopwatch() as timer:
            result = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "apa syarat kerja di jepang?"],
                                    capture_output=True, text=True, cwd=cwd, env=env, timeout=CHILD_TIMEOUT_S)
        if result.returncode != 0 or '"answered"' not in result.stdout:
            raise RuntimeError(f"`python -m bot ask` failed: {result.stderr[-2000:]}")
        seconds.append(timer.seconds)
    return seconds


def measure(run: Run, section: Section) -> None:
    table = Table("Memory of a serving process, MB resident (peak), one subprocess per size",
                  ["passages", "model + runtime loaded", "serving: index loaded + 100 answers",
                   "after a reload build alongside", "target (peak while serving)"])
    sizes: list[tuple[int, Path]] = [(run.kb.kb.snapshot.manifest.passages, run.kb.data_dir)]
    if run.full:
        IndexStore(run.tmp / "data-100k").publish(run.synthetic_snapshot(100_000))
        sizes.append((100_000, run.tmp / "data-100k"))
    for passages, data_dir in sizes:
        figures = run_probe(run, data_dir)
        run.figures[f"memory:{passages}"] = figures
        serving = figures["serving"]
        table.add(f"{passages:,}", "{rss:.0f} ({peak:.0f})".format(**figures["model"]),
                  "{rss:.0f} ({peak:.0f})".format(**serving), "{rss:.0f} ({peak:.0f})".format(**figures["reload"]),
                  check(serving["peak"], MEMORY_MB_10K, "{:.0f}") if passages <= 10_000 else "report only")
    table.notes.append(f"measured after: loading the model and embedding one text; loading the published index "
                       f"(`IndexStore.load`) and answering {PROBE_QUESTIONS} questions with `Pipeline.answer` in "
                       f"batches of {PROBE_BATCH}; then building a second snapshot from the same passages while the "
                       "first is alive, as a reload does. Peak is the kernel's VmHWM (ru_maxrss is carried over "
                       "exec from the parent).")
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
