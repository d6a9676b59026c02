"""The quick benchmark as a smoke test: `python -m tools.bench --quick` runs every section, writes each of its
tables whole with a verdict on each target, the bot answers every simulated user, and retrieval quality on
tydiqa-id small/ stays above its floors. Timings are reported by the benchmark, never asserted here: on a shared
machine they would fail for reasons that are not ours."""

import json
import os
import re
import subprocess
import sys

import pytest

from embeddings.encoder import BUNDLED_MODEL, TUNED_MODEL, usable_cores
from tests.conftest import REPO, SHARED
from tools.bench.data import SECTIONS_PER_ARTICLE
from tools.bench.quality import HYBRID_MARGIN, HYBRID_MRR_FLOOR, QUICK_DOMAIN_NOTE
from tools.bench.run import QUICK
from tools.postgres import available

pytestmark = pytest.mark.model
BENCHMARKS = SHARED / "benchmarks"
SMALL = "tydiqa-id small/"
# Each section's tables (the start of their titles), and how many target verdicts each shows.
TABLES = {
    "1. Quality": {"tydiqa-id small/:": 2, "facqa-id (test split):": 1, "Answer sentence:": 2},  # Domain: --full only
    # the ratio on every row; p50, p99 and the whole answer's p50 at 10k, and again on the row with every core
    # (when there are several)
    "2. Latency": {"Per-question retrieval time": 1 + 4 + (4 if usable_cores() > 1 else 0)},
    "4. Build and reload": {"Indexing and reloading": 1},
    "3. Throughput": {"Core:": 1, "Whole bot:": 3},  # replies/s; the flood, and the 429 storm, against calm
    "5. Memory and cold start": {"Memory of a serving process": 1, "Cold start:": 1},
    "7. Replicas": {"Webhook replicas:": 0, "Reload:": 1},
}
SECTIONS = ("1. Quality", "2. Latency", "3. Throughput", "4. Build and reload", "5. Memory and cold start",
            "6. Scale (HNSW)", "7. Replicas")
NO_POSTGRES = available()  # why section 7 cannot run here, or None
KB_PASSAGES = QUICK.kb_articles * SECTIONS_PER_ARTICLE
VERDICT = re.compile(r"[✅❌] \([≤≥] ")  # as tools.report.check writes one: "12.3 ✅ (≤ 15.0)"


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    if not (BENCHMARKS / "tydiqa-id" / "small" / "corpus.jsonl").exists():
        pytest.skip(f"needs {BENCHMARKS} (the team's shared benchmarks, absent in a plain clone)")
    folder = tmp_path_factory.mktemp("bench")
    out, figures = folder / "benchmarks.md", folder / "figures.json"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "BOT_DATA_DIR": str(folder / "data")}
    for name in ("TELEGRAM_BOT_TOKEN", "EMBEDDING_MODEL", "KNOWLEDGE_DIR", "BOT_ADMIN_IDS"):
        env.pop(name, None)
    # ~6 minutes on a 2-core machine; the generous timeout is for a busy shared one.
    result = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--quick", "--benchmarks", str(BENCHMARKS),
         "--out", str(out), "--json", str(figures)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=2400,
    )
    assert result.returncode == 0, f"benchmark failed:\n{result.stderr[-4000:]}"
    return result.stdout, out.read_text(encoding="utf-8"), json.loads(figures.read_text(encoding="utf-8"))


def sections(report: str) -> dict[str, str]:
    """Section title -> its body."""
    return {part.split("\n", 1)[0]: part.split("\n", 1)[1] for part in report.split("\n## ")[1:]}


def tables(body: str) -> dict[str, list[list[str]]]:
    """Table title -> its lines of cells, the header first (the separator line left out)."""
    found = {}
    for part in body.split("### ")[1:]:
        title, rest = part.split("\n", 1)
        lines = [line for line in rest.splitlines() if line.startswith("|") and not line.startswith("|---")]
        found[title] = [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]
    return found


def table(report: str, section: str, start: str) -> list[list[str]]:
    return next(rows for title, rows in tables(sections(report)[section]).items() if title.startswith(start))


def test_the_report_is_written_and_printed_with_every_section_in_order(quick_run):
    printed, report, _ = quick_run
    assert report.startswith("# Benchmarks") and report.strip() in printed
    assert list(sections(report)) == list(SECTIONS)
    assert f"`{TUNED_MODEL}`" in report.split("\n## ")[0]  # the bot's default model is the one measured
    assert "this section failed" not in report
    skipped = [title for title, body in sections(report).items() if "Skipped" in body]
    assert skipped == ["6. Scale (HNSW)"] + (["7. Replicas"] if NO_POSTGRES else [])
    assert "Skipped: needs --full." in sections(report)["6. Scale (HNSW)"]
    assert QUICK_DOMAIN_NOTE in sections(report)["1. Quality"]  # said, not silently missing


@pytest.mark.parametrize("section", TABLES)
def test_each_table_is_whole_and_gives_a_verdict_on_each_target(quick_run, section):
    _, report, _ = quick_run
    if section == "7. Replicas" and NO_POSTGRES:
        pytest.skip(f"section 7 needs a PostgreSQL server: {NO_POSTGRES}")
    found = tables(sections(report)[section])
    assert [next(t for t in found if t.startswith(start)) for start in TABLES[section]] == list(found)
    for start, verdicts in TABLES[section].items():
        title, rows = next((t, rows) for t, rows in found.items() if t.startswith(start))
        header, *body = rows
        assert body, f"{title}: no rows"
        assert all(len(row) == len(header) for row in body), f"{title}: a row does not fit its columns"
        body_text = sections(report)[section].split(f"### {title}")[1].split("\n### ")[0]
        assert len(VERDICT.findall(body_text)) == verdicts, f"{title}: not one verdict per target"


def test_quality_table_has_our_methods_both_baselines_and_the_untuned_model(quick_run):
    _, report, figures = quick_run
    for benchmark in (SMALL, "facqa-id (test split)"):
        rows = {row[0]: row for row in table(report, "1. Quality", benchmark.rstrip("/"))[1:]}
        assert list(rows) == ["ours: BM25 only (lexical)", "ours: dense only", "ours: hybrid (default)", "ours: RRF",
                              "baseline: MiniLM + FAISS flat, raw text, no BM25",
                              "baseline: plain bm25s, \\w+ tokens, no stemming",
                              f"{BUNDLED_MODEL}, untuned: dense only", f"{BUNDLED_MODEL}, untuned: hybrid (default)"]
        hybrid = figures[f"quality:{benchmark}"]["hybrid"]
        assert rows["ours: hybrid (default)"][1:] == [f"{hybrid[m]:.3f}" for m in ("R@1", "R@5", "R@10", "MRR@10")]


def test_hybrid_quality_on_tydiqa_small_stays_above_its_floors(quick_run):
    _, report, figures = quick_run
    small = figures[f"quality:{SMALL}"]
    hybrid = small["hybrid"]["MRR@10"]
    assert hybrid >= HYBRID_MRR_FLOOR
    assert hybrid >= max(small["lexical"]["MRR@10"], small["dense"]["MRR@10"]) - HYBRID_MARGIN
    assert all(0.0 <= figure <= 1.0 for method in small.values() for figure in method.values())
    notes = sections(report)["1. Quality"].split(f"### {SMALL}")[1].split("\n### ")[0]
    assert "❌" not in notes  # the report says the floors are met, as the figures do


def test_a_one_article_edit_re_embeds_one_passage(quick_run):
    _, _, figures = quick_run
    build = figures["build"]
    assert build["passages"] == KB_PASSAGES and build["articles"] == QUICK.kb_articles
    assert build["reload_embedded"] == 1  # the rest comes from the embedding cache


def test_the_whole_bot_answers_every_user_through_a_burst_a_reload_and_a_flood(quick_run):
    _, report, figures = quick_run
    burst = figures["throughput:bot"]
    assert burst["answered"] == burst["users"] == QUICK.bot_users
    reload = figures["throughput:reload"]
    assert reload["idle"]["n"] >= 5 and reload["during"]["n"] >= 5
    flood_row = next(row for row in table(report, "3. Throughput", "Whole bot:") if "flooding" in row[0])
    assert flood_row[1] == str(QUICK.flood_rounds * QUICK.flood_phase_questions)  # every honest user answered
    assert all(figures[f"throughput:core:{n}"] > 0 for n in (1, 8, 64))


def test_memory_is_probed_while_serving_the_whole_generated_base(quick_run):
    _, _, figures = quick_run
    probe = figures[f"memory:{KB_PASSAGES}"]
    assert probe["passages"] == KB_PASSAGES
    assert 0 < probe["model"]["peak"] <= probe["serving"]["peak"] <= probe["reload"]["peak"]
    assert len(figures["cold_start_s"]) == QUICK.cold_runs


def test_one_and_two_replicas_answer_every_user_and_a_reload_reaches_both(quick_run):
    if NO_POSTGRES:
        pytest.skip(f"section 7 needs a PostgreSQL server: {NO_POSTGRES}")
    _, _, figures = quick_run
    for count in (1, 2):
        burst = figures[f"replicas:{count}"]
        assert burst["answered"] == burst["users"] == QUICK.bot_users
    reload = figures["replicas:reload"]
    assert 0 < reload["publish_s"] < reload["total_s"] and reload["follow_s"] >= 0
