"""Answer quality on the domain gold set, with the default model: a change that hurts answers cannot land silently.

The floors are the figures the README reports, minus a small margin for harmless reordering.
"""

import re
from datetime import date
from pathlib import Path

import pytest

from bot.config import SHIPPED_KNOWLEDGE_DIR
from bot.evaluation import evaluate, load_eval_set
from embeddings.build import build_snapshot
from knowledge.loader import load_articles

pytestmark = pytest.mark.model
README = Path(__file__).resolve().parents[2] / "README.md"
MARGIN = 0.03  # about four of 138 questions


def reported(name: str) -> float:
    match = re.search(rf"{re.escape(name)}: \*\*([0-9.]+)\*\*", README.read_text(encoding="utf-8"))
    assert match, f"README must report '{name}: **x.xxx**'"
    return float(match.group(1))


@pytest.fixture(scope="module")
def shipped_snapshot(default_encoder):
    articles = load_articles(SHIPPED_KNOWLEDGE_DIR, today=date.today()).articles
    return build_snapshot(articles, default_encoder)[0]


@pytest.fixture(scope="module")
def default_encoder():
    from bot.config import Settings
    from embeddings.encoder import load_encoder

    return load_encoder(Settings.model_fields["embedding_model"].default)


HOLDOUT = Path(__file__).resolve().parent / "holdout.yaml"


def test_the_shipped_knowledge_base_answers_the_gold_questions(shipped_snapshot, default_encoder):
    tuning = evaluate(shipped_snapshot, default_encoder, load_eval_set(), "hybrid")
    holdout = evaluate(shipped_snapshot, default_encoder, load_eval_set(HOLDOUT), "hybrid")
    assert tuning.hit3 >= reported("domain hybrid hit@3") - MARGIN
    assert tuning.fact >= reported("domain key fact in answer") - MARGIN
    assert holdout.hit3 >= reported("holdout hybrid hit@3") - MARGIN
    # declines over both sets (242 in scope, 37 out): the targets, 5% and 90%, less about two questions
    wrongly = (tuning.wrongly_declined * 138 + holdout.wrongly_declined * 104) / 242
    declined = (tuning.oos_declined * 19 + holdout.oos_declined * 18) / 37
    assert wrongly <= 0.06
    assert declined >= 0.88


def test_hybrid_is_not_worse_than_either_half(shipped_snapshot, default_encoder):
    gold = load_eval_set()
    hybrid, lexical, dense = (evaluate(shipped_snapshot, default_encoder, gold, m) for m in ("hybrid", "lexical", "dense"))
    assert hybrid.mrr >= max(lexical.mrr, dense.mrr) - 0.01
