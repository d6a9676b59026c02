"""Measuring answers on a gold set of worker questions: retrieval hits, key facts, and declines.

Used by `python -m bot eval` to choose tunables (fusion weight, confidence threshold) and by a test
that keeps quality from dropping silently. It measures; nothing here may be tuned to single questions.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from bot.answer import MIN_CONFIDENCE, MIN_IN_DOMAIN, compose_answer
from bot.render import to_plain
from embeddings.encoder import Encoder
from embeddings.scope import ScopeModel
from embeddings.snapshot import Snapshot, scope_inputs
from knowledge.model import ScopeExamples

EVAL_SET = Path(__file__).resolve().parent.parent / "tests" / "eval" / "questions.yaml"


@dataclass(frozen=True, slots=True)
class GoldQuestion:
    text: str
    articles: tuple[str, ...]  # slugs of the articles that answer it
    fact: str  # a word or number the answer must contain


@dataclass(frozen=True, slots=True)
class EvalSet:
    questions: tuple[GoldQuestion, ...]
    out_of_scope: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EvalResult:
    method: str
    hit1: float
    hit3: float
    mrr: float  # of the first passage from a right article, over the top 10
    fact: float  # share of in-scope answers that contain their key fact
    wrongly_declined: float  # share of in-scope questions declined
    oos_declined: float  # share of out-of-scope questions declined
    ms_per_question: float


def load_eval_set(path: Path = EVAL_SET) -> EvalSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = tuple(
        GoldQuestion(item["q"], tuple(item["articles"]), str(item["fact"])) for item in data["questions"]
    )
    return EvalSet(questions, tuple(data["out_of_scope"]))


def evaluate(
    snapshot: Snapshot, encoder: Encoder, gold: EvalSet, method: str = "hybrid",
    min_confidence: float = MIN_CONFIDENCE, min_in_domain: float = MIN_IN_DOMAIN,
) -> EvalResult:
    texts = [q.text for q in gold.questions] + list(gold.out_of_scope)
    started = time.perf_counter()
    queries = [snapshot.prepare(text) for text in texts]
    vectors = snapshot.encode(queries, encoder) if method != "lexical" else None
    results = snapshot.search_vectors(queries, vectors, k=10, method=method)
    seconds = time.perf_counter() - started
    in_domain = snapshot.in_domain(vectors, results) if vectors is not None else [None] * len(texts)  # no model
    answers = [
        compose_answer(query, hits, snapshot.articles, snapshot.lexical.idf, snapshot.contacts, min_confidence,
                       domain, min_in_domain)
        for query, hits, domain in zip(queries, results, in_domain)
    ]
    ranks = [_first_rank(hits, q.articles) for q, hits in zip(gold.questions, results)]
    in_scope = answers[: len(gold.questions)]
    out_of_scope = answers[len(gold.questions):]
    n = max(len(gold.questions), 1)
    return EvalResult(
        method=method,
        hit1=sum(rank == 1 for rank in ranks) / n,
        hit3=sum(rank is not None and rank <= 3 for rank in ranks) / n,
        mrr=sum(1 / rank for rank in ranks if rank) / n,
        fact=sum(a.answered and q.fact.lower() in to_plain(a).lower() for q, a in zip(gold.questions, in_scope)) / n,
        wrongly_declined=sum(not a.answered for a in in_scope) / n,
        oos_declined=sum(not a.answered for a in out_of_scope) / max(len(out_of_scope), 1),
        ms_per_question=1000 * seconds / max(len(texts), 1),
    )


@dataclass(frozen=True, slots=True)
class ScopeCheck:
    """Declines on the labelled scope examples, each judged by a scope model fitted without it."""

    in_scope_declined: float
    out_of_scope_declined: float
    in_scope_declined_without: float  # coverage and rules alone
    out_of_scope_declined_without: float


def cross_validate_scope(snapshot: Snapshot, encoder: Encoder, examples: ScopeExamples, folds: int = 5,
                         min_in_domain: float = MIN_IN_DOMAIN) -> ScopeCheck:
    """K-fold cross-validation of the scope model on its own examples: the honest view of what it adds,
    since a model judging the questions it was fitted on would look perfect."""
    texts = [*examples.in_scope, *examples.out_of_scope]
    queries = [snapshot.prepare(text) for text in texts]
    vectors = snapshot.encode(queries, encoder)
    results = snapshot.search_vectors(queries, vectors)
    features = scope_inputs(vectors, results)
    labels = np.r_[np.ones(len(examples.in_scope), bool), np.zeros(len(examples.out_of_scope), bool)]
    fold_of = np.empty(len(texts), int)
    for label in (True, False):  # stratified: each fold gets its share of both classes
        rows = np.random.default_rng(0).permutation(np.flatnonzero(labels == label))
        fold_of[rows] = np.arange(len(rows)) % folds
    in_domain = np.empty(len(texts))
    for fold in range(folds):
        train = fold_of != fold
        model = ScopeModel.fit(features[train & labels], features[train & ~labels])
        in_domain[~train] = model.in_domain(features[~train])
    without = np.array([not compose_answer(query, hits, snapshot.articles, snapshot.lexical.idf).answered
                        for query, hits in zip(queries, results)])
    declined = without | (in_domain < min_in_domain)
    return ScopeCheck(declined[labels].mean(), declined[~labels].mean(), without[labels].mean(),
                      without[~labels].mean())


def _first_rank(hits, articles: Sequence[str]) -> int | None:
    return next((rank for rank, hit in enumerate(hits, start=1) if hit.passage.article in articles), None)


def misses(snapshot: Snapshot, encoder: Encoder, gold: EvalSet, method: str = "hybrid") -> list[str]:
    """Questions whose right article is not in the top 3, for reading (never for tuning single answers)."""
    results = snapshot.search_many([q.text for q in gold.questions], encoder, k=3, method=method)
    return [
        f"{q.text!r}: wanted {', '.join(q.articles)}; got {', '.join(h.passage.article for h in hits)}"
        for q, hits in zip(gold.questions, results)
        if _first_rank(hits, q.articles) is None
    ]


def format_table(results: Sequence[EvalResult]) -> str:
    lines = [
        "| method | hit@1 | hit@3 | MRR@10 | key fact in answer | in-scope declined | out-of-scope declined | ms/question |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.method} | {r.hit1:.3f} | {r.hit3:.3f} | {r.mrr:.3f} | {r.fact:.3f} | {r.wrongly_declined:.3f} "
            f"| {r.oos_declined:.3f} | {r.ms_per_question:.1f} |"
        )
    return "\n".join(lines)
