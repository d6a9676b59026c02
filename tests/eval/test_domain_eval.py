"""Answer quality on the domain gold set, with the default model: a change that hurts answers cannot land silently.

The floors are the figures the README reports, minus a small margin for harmless reordering.
"""

import re
from datetime import date
from pathlib import Path

import pytest

from bot.config import SHIPPED_KNOWLEDGE_DIR
from embeddings.build import build_snapshot
from knowledge.loader import load_articles
from tools.evaluate import evaluate, load_eval_set

pytestmark = pytest.mark.model
README = Path(__file__).resolve().parents[2] / "README.md"
MARGIN = 0.03  # about four of 138 questions


def reported(name: str) -> float:
    match = re.search(rf"{re.escape(name)}: \*\*([0-9.]+)\*\*", README.read_text(encoding="utf-8"))
    assert match, f"README must report '{name}: **x.xxx**'"
    return float(match.group(1))


@pytest.fixture(scope="module")
def shipped_snapshot(default_encoder):
    loaded = load_articles(SHIPPED_KNOWLEDGE_DIR, today=date.today())
    return build_snapshot(loaded.articles, default_encoder, scope=loaded.scope)[0]


@pytest.fixture(scope="module")
def default_encoder():
    from bot.config import Settings
    from embeddings.encoder import load_encoder

    return load_encoder(Settings.model_fields["embedding_model"].default)


EVAL_DIR = Path(__file__).resolve().parent
LATER_SETS = ("holdout", "fresh", "fourth", "fifth", "sixth")  # each written blind, after the one before


def test_the_shipped_knowledge_base_answers_the_gold_questions(shipped_snapshot, default_encoder):
    sets = {"domain": load_eval_set(), **{name: load_eval_set(EVAL_DIR / f"{name}.yaml") for name in LATER_SETS}}
    results = {name: evaluate(shipped_snapshot, default_encoder, gold, "hybrid") for name, gold in sets.items()}
    assert results["domain"].hit3 >= reported("domain hybrid hit@3") - MARGIN
    assert results["domain"].fact >= reported("domain key fact in answer") - MARGIN
    for name in LATER_SETS:
        assert results[name].hit3 >= reported(f"{name} hybrid hit@3") - MARGIN, name
    # declines over all the sets: the targets, at most 5% of in-scope questions declined and at
    # least 90% of out-of-scope ones, less two questions
    in_scope = sum(len(gold.questions) for gold in sets.values())
    out_of_scope = sum(len(gold.out_of_scope) for gold in sets.values())
    wrongly = sum(r.wrongly_declined * len(sets[n].questions) for n, r in results.items()) / in_scope
    declined = sum(r.oos_declined * len(sets[n].out_of_scope) for n, r in results.items()) / out_of_scope
    assert wrongly <= 0.05 + 2 / in_scope
    assert declined >= 0.90 - 2 / out_of_scope


def test_hybrid_is_not_worse_than_either_half(shipped_snapshot, default_encoder):
    gold = load_eval_set()
    hybrid, lexical, dense = (evaluate(shipped_snapshot, default_encoder, gold, m) for m in ("hybrid", "lexical", "dense"))
    assert hybrid.mrr >= max(lexical.mrr, dense.mrr) - 0.01
