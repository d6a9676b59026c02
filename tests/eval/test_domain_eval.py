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


def test_the_shipped_knowledge_base_answers_the_gold_questions(shipped_snapshot, default_encoder):
    result = evaluate(shipped_snapshot, default_encoder, load_eval_set(), "hybrid")
    assert result.hit3 >= reported("domain hybrid hit@3") - MARGIN
    assert result.fact >= reported("domain key fact in answer") - MARGIN
    assert result.wrongly_declined <= 0.05
    assert result.oos_declined >= 0.90


def test_hybrid_is_not_worse_than_either_half(shipped_snapshot, default_encoder):
    gold = load_eval_set()
    hybrid, lexical, dense = (evaluate(shipped_snapshot, default_encoder, gold, m) for m in ("hybrid", "lexical", "dense"))
    assert hybrid.mrr >= max(lexical.mrr, dense.mrr) - 0.01
