"""Fit the answer-sentence selector (bot/sentences.py) on the benchmarks' questions, and say how well it picks.

    python -m tools.train_selector --benchmarks ../shared/benchmarks --out models/answer-selector.json

Examples come from the `train` split of tydiqa-id and facqa-id pooled; each setting below is fitted on them
and the one with the best mean accuracy over the two `valid` splits is kept (ties: the first tried);
`test` is scored once, for the report. Writes the model JSON and a Markdown report next to it.
"""

from __future__ import annotations

import shlex
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import click
import numpy as np

from bot.sentences import FEATURES, SentenceSelector
from embeddings.encoder import TUNED_MODEL, load_encoder
from tools.answer_sentences import (BENCHMARKS, METHOD_NAMES, Example, answer_sentence_table, answer_type_table,
                                    build_examples, scores)
from tools.irdata import DEFAULT_BENCHMARKS, load_benchmark
from tools.report import markdown_table

SPLITS = ("train", "valid", "test")
REGULARISATIONS = (0.1, 1.0, 10.0)  # scikit-learn's C
WEIGHTINGS = ("question", "benchmark")  # every question weighs the same, or every benchmark does (tydiqa-id
# has twice facqa-id's questions and longer passages)


@dataclass(frozen=True)
class Setting:
    regularisation: float
    weighting: str

    def fit(self, train: dict[str, Sequence[Example]]) -> SentenceSelector:
        total = sum(len(rows) for rows in train.values())
        passages, weights = [], []
        for rows in train.values():
            weight = 1.0 if self.weighting == "question" else total / (len(train) * len(rows))
            passages += [(example.features, example.labels) for example in rows]
            weights += [weight] * len(rows)
        return SentenceSelector.fit(passages, weights, self.regularisation)


def choose(train: dict[str, Sequence[Example]],
           valid: dict[str, Sequence[Example]]) -> tuple[Setting, SentenceSelector, list]:
    """Fit every setting on train; keep the best mean valid accuracy over the benchmarks (ties: the first tried)."""
    tried = []
    for weighting in WEIGHTINGS:
        for regularisation in REGULARISATIONS:
            setting = Setting(regularisation, weighting)
            selector = setting.fit(train)
            per_bench = [scores(rows, selector)["selector"] for rows in valid.values()]
            tried.append((setting, selector, per_bench))
    best = max(tried, key=lambda item: round(float(np.mean(item[2])), 6))
    return best[0], best[1], [(setting, per_bench) for setting, _, per_bench in tried]


def report(examples: dict[tuple[str, str], list[Example]], chosen: Setting, selector: SentenceSelector,
           tried: list, model: str, out: Path) -> str:
    counts = [(name, split, len(rows), sum(len(e.sentences) for e in rows), sum(not e.labels.any() for e in rows))
              for (name, split), rows in examples.items()]
    settings = [(s.regularisation, s.weighting, *per_bench, float(np.mean(per_bench))) for s, per_bench in tried]
    evaluated = {key: rows for key, rows in examples.items() if key[1] != "train"}
    train_types = Counter(e.kind for (_, split), rows in examples.items() if split == "train" for e in rows)
    lines = [
        "# Answer-sentence selector", "",
        f"Trained {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC with "
        f"`python -m tools.train_selector {shlex.join(sys.argv[1:])}`; model `{out.name}`.", "",
        "Which sentence of the passage the reply should quote (#14): `bot/sentences.py` scores each sentence "
        "with a linear model over named features. Its weights are a pairwise logistic regression (each answering "
        "sentence against each other sentence of its passage), rescaled by a logistic regression of the label "
        "on that score and `chance` so that scores are probabilities. Fitted on the `train` questions of both "
        "benchmarks pooled; the setting is chosen on `valid` (mean accuracy of the two benchmarks); `test` is "
        f"scored once. Question embeddings (of `Query.expanded`, as the bot embeds questions) and sentence "
        f"embeddings from `{model}` (ONNX).", "",
        "## Data", "",
        markdown_table(["benchmark", "split", "questions", "sentences", "questions with no answer sentence"], counts),
        "", "A question whose answer crosses a sentence boundary has no answer sentence: every method misses it.",
        "", "Train questions by answer type (bot.sentences.answer_type), both benchmarks: "
        + ", ".join(f"{kind} {count}" for kind, count in train_types.most_common()) + ".", "",
        "## Settings tried (valid)", "",
        markdown_table(["C", "weighting", *(f"{b} valid" for b in BENCHMARKS), "mean"], settings), "",
        f"Chosen: C = {chosen.regularisation}, weighting by {chosen.weighting} ("
        + ("every question weighs the same" if chosen.weighting == "question" else
           "each benchmark weighs the same in total, its questions equally") + ").", "",
        "## Results", "",
        answer_sentence_table(evaluated, selector).markdown(),
        answer_type_table(evaluated, selector).markdown(),
        "## Weights", "",
        markdown_table(["feature", "weight"], [*zip(FEATURES, (float(w) for w in selector.weights)),
                                               ("(bias)", selector.bias)]), "",
        "Features are on their own scales (the shares and similarity 0-1, coverage_sum an IDF sum, length and "
        "names log counts, the rest 0/1): compare weights within a scale. A crossed feature `kind:evidence` is 1 "
        "when the question asks for `kind` and the sentence holds `evidence`. The coverage variants rise together, "
        "so each weight reads given the others: a negative `coverage` beside positive `relation`, `distinct` and "
        "`near` means the names every sentence of a passage shares count for little. Answer types the benchmarks "
        "hardly ask (yes/no, how, why) leave their crossed weights near 0; for them `expected` carries what the "
        "other types taught.", "",
    ]
    return "\n".join(lines)


@click.command()
@click.option("--benchmarks", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_BENCHMARKS,
              show_default=True, help="folder holding tydiqa-id/ and facqa-id/")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("models/answer-selector.json"),
              show_default=True, help="the model JSON; the report is written beside it as .md")
@click.option("--model", default=TUNED_MODEL, show_default=True, help="embedding model for the cosines")
def main(benchmarks: Path, out: Path, model: str) -> None:
    """Fit the answer-sentence selector and write it with its report."""
    encoder = load_encoder(model)
    examples: dict[tuple[str, str], list[Example]] = {}
    for name in BENCHMARKS:
        click.echo(f"building {name} examples (embedding its gold passages' sentences)", err=True)
        built = build_examples(load_benchmark(benchmarks / name), SPLITS, encoder)
        examples.update({(name, split): built[split] for split in SPLITS})
    chosen, selector, tried = choose({name: examples[(name, "train")] for name in BENCHMARKS},
                                     {name: examples[(name, "valid")] for name in BENCHMARKS})
    out.parent.mkdir(parents=True, exist_ok=True)
    selector.save(out)
    out.with_suffix(".md").write_text(report(examples, chosen, selector, tried, model, out), encoding="utf-8")
    for name in BENCHMARKS:
        for split in ("valid", "test"):
            measured = scores(examples[(name, split)], selector)
            click.echo(f"{name} {split}: " + ", ".join(f"{METHOD_NAMES[m]} {v:.3f}" for m, v in measured.items()))


if __name__ == "__main__":
    main()
