"""Fit the answer-sentence selector (bot/sentences.py) on our gold sets' key facts, and say how well it picks.

    python -m tools.train_selector [--set NAME ...] [--benchmarks ../shared/benchmarks]

Examples are the passages the bot reads for the questions of TRAIN_SETS (tests/eval), searched through the
configured knowledge base (BOT_DATA_DIR; `python -m bot reindex` first after editing articles), each sentence
labelled by whether it holds the question's key fact (tools/answer_sentences.gold_examples). Each
regularisation is scored by leave-one-set-out: fitted on the other sets, the key fact in the bot's answers to
the set left out (the figure the evaluation reports); the best mean is kept (ties: the first tried) and fitted
on all the sets. The benchmarks' test questions (tydiqa-id, facqa-id), when the folder is there, are scored
once for the report. Writes the model JSON and a Markdown report next to it.

Why our own sets and not the benchmarks: fitted on Wikipedia questions, the selector chose worse in our
articles than fitted on our older sets (docs/evaluation.md, wave 2's fourth round).
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import click
import numpy as np

from bot.pipeline import Asked, Pipeline
from bot.sentences import FEATURES, SentenceSelector
from embeddings.snapshot import Snapshot
from tools.answer_sentences import (BENCHMARKS, Example, answer_sentence_table, answer_type_table,
                                    benchmark_examples, gold_examples)
from tools.evaluate import EVAL_DIR, EvalSet, load_eval_set, score, search
from tools.irdata import DEFAULT_BENCHMARKS
from tools.report import markdown_table

TRAIN_SETS = ("questions", "fourth", "fifth", "sixth", "holdout", "fresh", "seventh", "gaps", "real", "eighth")
"""The gold sets written up to wave 2's first round. Every later set (ninth on) is never trained on, so its
figures stay those of questions the selector has not seen."""
REGULARISATIONS = (0.3, 1.0, 3.0)  # scikit-learn's C


@dataclass(frozen=True, eq=False)
class GoldSet:
    """One gold set searched once: its questions' answers can be recomposed with any selector."""

    name: str
    gold: EvalSet
    asked: Sequence[Asked]
    seconds: float
    examples: Sequence[Example]

    def key_fact(self, snapshot: Snapshot, selector: SentenceSelector) -> float:
        return score(self.gold, self.asked, self.seconds, snapshot=snapshot, method="hybrid",
                     pipeline=Pipeline(selector=selector)).fact


def fit(sets: Sequence[GoldSet], regularisation: float) -> SentenceSelector:
    return SentenceSelector.fit([(e.features, e.labels) for s in sets for e in s.examples], None, regularisation)


def choose(snapshot: Snapshot, sets: Sequence[GoldSet]) -> tuple[float, SentenceSelector, list]:
    """Leave-one-set-out key fact for each regularisation; the best, fitted on every set."""
    tried = []
    for regularisation in REGULARISATIONS:
        held_out = [held.key_fact(snapshot, fit([s for s in sets if s is not held], regularisation)) for held in sets]
        tried.append((regularisation, held_out))
    best = max(tried, key=lambda item: round(float(np.mean(item[1])), 6))[0]
    return best, fit(sets, best), tried


def report(sets: Sequence[GoldSet], chosen: float, selector: SentenceSelector, tried: list, shipped: list[float],
           benchmarks: dict[tuple[str, str], list[Example]], out: Path) -> str:
    names = [s.name for s in sets]
    counts = [(s.name, len(s.gold.questions), len({e.question for e in s.examples}), len(s.examples),
               sum(bool(e.labels.any()) for e in s.examples)) for s in sets]
    settings = [(c, *held_out, float(np.mean(held_out))) for c, held_out in tried]
    if shipped:
        settings.append(("shipped before", *shipped, float(np.mean(shipped))))
    lines = [
        "# Answer-sentence selector", "",
        f"Trained {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC with "
        f"`python -m tools.train_selector {shlex.join(sys.argv[1:])}`; model `{out.name}`.", "",
        "Which sentence the reply should lead with (#14): `bot/sentences.py` scores each sentence with a linear "
        "model over named features. Its weights are a pairwise logistic regression (each sentence holding the "
        "key fact against each other sentence of its passage), rescaled by a logistic regression of the label on "
        "that score and `chance` so that scores are probabilities that compare across passages. Examples: for "
        "each answerable question of the gold sets below that the bot answers, every passage its decision keeps, "
        "as searched through the knowledge base; the sentences holding a key fact string are the answers.", "",
        "## Data", "",
        markdown_table(["gold set", "questions", "answered", "passages", "passages with a key-fact sentence"],
                       counts), "",
        "## Regularisation: key fact of each set left out", "",
        "Fitted on the other sets, the key fact in the bot's answers to the set left out; `shipped before` is "
        "the model this one replaces, on the same answers.", "",
        markdown_table(["C", *names, "mean"], settings),
        "", f"Chosen: C = {chosen}, fitted on all {len(sets)} sets.", "",
    ]
    if benchmarks:
        lines += ["## Benchmarks (never trained on)", "",
                  "The chosen sentence of each gold passage of the benchmarks' test questions: Wikipedia, not our "
                  "articles, so a check that the selector still reads questions in general.", "",
                  answer_sentence_table(benchmarks, selector).markdown(),
                  answer_type_table(benchmarks, selector).markdown()]
    lines += [
        "## Weights", "",
        markdown_table(["feature", "weight"], [*zip(FEATURES, (float(w) for w in selector.weights)),
                                               ("(bias)", selector.bias)]), "",
        "Features are on their own scales (the shares and similarity 0-1, coverage_sum an IDF sum, length and "
        "names log counts, the rest 0/1): compare weights within a scale. A crossed feature `kind:evidence` is 1 "
        "when the question asks for `kind` and the sentence holds `evidence`. The coverage variants rise together, "
        "so each weight reads given the others.", "",
    ]
    return "\n".join(lines)


@click.command()
@click.option("--set", "names", multiple=True, default=TRAIN_SETS, show_default=True,
              help="gold sets (tests/eval/NAME.yaml) to train on")
@click.option("--benchmarks", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_BENCHMARKS,
              show_default=True, help="folder holding tydiqa-id/ and facqa-id/, scored for the report when there")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("models/answer-selector.json"),
              show_default=True, help="the model JSON; the report is written beside it as .md")
def main(names: tuple[str, ...], benchmarks: Path, out: Path) -> None:
    """Fit the answer-sentence selector on gold sets and write it with its report."""
    from bot.__main__ import _open_knowledge, _settings

    kb, encoder = _open_knowledge(_settings())
    snapshot = kb.snapshot
    sets = []
    for name in names:
        gold = load_eval_set(EVAL_DIR / f"{name}.yaml")
        asked, seconds = search(snapshot, encoder, gold)
        sets.append(GoldSet(name, gold, asked, seconds, gold_examples(snapshot, gold, asked)))
        click.echo(f"{name}: {len(sets[-1].examples)} passages", err=True)
    try:
        before = SentenceSelector.load(out) if out.exists() else None
    except ValueError:  # fitted for other features: nothing to compare on the same answers
        before = None
    shipped = [s.key_fact(snapshot, before) for s in sets] if before else []
    chosen, selector, tried = choose(snapshot, sets)
    scored = benchmark_examples(benchmarks, encoder) if (benchmarks / BENCHMARKS[0]).is_dir() else {}
    out.parent.mkdir(parents=True, exist_ok=True)
    selector.save(out)
    out.with_suffix(".md").write_text(report(sets, chosen, selector, tried, shipped, scored, out), encoding="utf-8")
    for regularisation, held_out in tried:
        click.echo(f"C={regularisation}: left-out key fact {np.mean(held_out):.3f}")
    click.echo(f"chosen C={chosen}; wrote {out}")


if __name__ == "__main__":
    main()
