"""Answer quality on every gold set, with the shipped model and knowledge: a change that hurts answers cannot
land silently.

The floors (floors.toml) are the figures measured when they were last raised. A set may fall by a small
margin, the larger of MARGIN and two of its questions, for harmless reordering; more fails the test. Raise
the floors when a change improves the figures, so the next change is held to them.
"""

import tomllib
from datetime import date
from pathlib import Path

import pytest

from bot.config import SHIPPED_KNOWLEDGE_DIR
from embeddings.build import build_snapshot
from knowledge.loader import load_articles
from tools.evaluate import evaluate, evaluate_dialogues, is_dialogue_set, load_dialogues, load_eval_set

pytestmark = pytest.mark.model
EVAL_DIR = Path(__file__).resolve().parent
FLOORS = tomllib.loads((EVAL_DIR / "floors.toml").read_text(encoding="utf-8"))
MARGIN = 0.03


def slack(count: int) -> float:
    return max(MARGIN, 2 / max(count, 1))


@pytest.fixture(scope="module")
def default_encoder():
    from bot.config import Settings
    from embeddings.encoder import load_encoder

    return load_encoder(Settings.model_fields["embedding_model"].default)


@pytest.fixture(scope="module")
def shipped_snapshot(default_encoder):
    loaded = load_articles(SHIPPED_KNOWLEDGE_DIR, today=date.today())
    return build_snapshot(loaded.articles, default_encoder, scope=loaded.scope)[0]


@pytest.fixture(scope="module")
def article_texts():
    loaded = load_articles(SHIPPED_KNOWLEDGE_DIR, today=date.today())
    return {article.slug: article.body.lower() for article in loaded.articles}


def test_every_gold_set_has_floors():
    paths = list(EVAL_DIR.glob("*.yaml"))
    assert {path.stem for path in paths if not is_dialogue_set(path)} == set(FLOORS["sets"]), \
        "a gold set without floors is not held to anything"
    assert {path.stem for path in paths if is_dialogue_set(path)} == set(FLOORS["dialogues"]), \
        "a dialogue set without floors is not held to anything"


@pytest.mark.parametrize("path", sorted(EVAL_DIR.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_answerable_gold_question_has_its_key_fact_in_an_article_it_names(path, article_texts):
    """An article edit that drops a fact's wording turns its question into one no answer can pass: the set then
    measures nothing there. Mend the gold (the fact as the article now words it), or the article."""
    items = load_dialogues(path) if is_dialogue_set(path) else load_eval_set(path).questions
    dead = [getattr(item, "then", None) or item.text for item in items if item.articles and not any(
        fact.lower() in article_texts.get(slug, "") for fact in item.facts for slug in item.articles)]
    assert not dead, f"{path.stem}: no named article states the key fact of {dead}"


@pytest.mark.parametrize("name", sorted(FLOORS["sets"]))
def test_a_gold_set_is_answered_at_least_as_well_as_measured(name, shipped_snapshot, default_encoder):
    gold = load_eval_set(EVAL_DIR / f"{name}.yaml")
    floor, result = FLOORS["sets"][name], evaluate(shipped_snapshot, default_encoder, gold, "hybrid")
    answerable, oos, unanswerable = len(gold.questions), len(gold.out_of_scope), len(gold.unanswerable)
    assert result.hit3 >= floor["hit3"] - slack(answerable), f"{name} hit@3 {result.hit3:.3f}"
    assert result.fact >= floor["fact"] - slack(answerable), f"{name} key fact {result.fact:.3f}"
    assert result.wrongly_declined <= floor["in_scope_declined"] + slack(answerable), \
        f"{name} in-scope declined {result.wrongly_declined:.3f}"
    if oos:
        assert result.oos_declined >= floor["out_of_scope_declined"] - slack(oos), \
            f"{name} out-of-scope declined {result.oos_declined:.3f}"
    if unanswerable:
        assert result.unanswerable_answered <= floor["unanswerable_answered"] + slack(unanswerable), \
            f"{name} unanswerable answered {result.unanswerable_answered:.3f}"


@pytest.mark.parametrize("name", sorted(FLOORS["dialogues"]))
def test_follow_ups_are_understood_at_least_as_well_as_measured(name, shipped_snapshot, default_encoder):
    dialogues = load_dialogues(EVAL_DIR / f"{name}.yaml")
    results = {r.kind: r for r in evaluate_dialogues(shipped_snapshot, default_encoder, dialogues)}
    for kind, floor in FLOORS["dialogues"][name].items():
        result = results[kind]
        assert result.hit3 >= floor["hit3"] - slack(result.answerable), f"{kind} hit@3 {result.hit3:.3f}"
        assert result.fact >= floor["fact"] - slack(result.answerable), f"{kind} key fact {result.fact:.3f}"


def test_hybrid_is_not_worse_than_either_half(shipped_snapshot, default_encoder):
    gold = load_eval_set()
    hybrid, lexical, dense = (evaluate(shipped_snapshot, default_encoder, gold, m) for m in ("hybrid", "lexical", "dense"))
    assert hybrid.mrr >= max(lexical.mrr, dense.mrr) - 0.01
