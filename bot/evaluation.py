"""Measuring answers on a gold set of worker questions: retrieval hits, key facts, and declines.

Used by `python -m bot eval` to choose tunables (fusion weight, confidence threshold) and by a test
that keeps quality from dropping silently. It measures; nothing here may be tuned to single questions.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.answer import MIN_CONFIDENCE, compose_answer
from bot.render import to_plain
from embeddings.encoder import Encoder
from embeddings.snapshot import Snapshot

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
    min_confidence: float = MIN_CONFIDENCE,
) -> EvalResult:
    texts = [q.text for q in gold.questions] + list(gold.out_of_scope)
    started = time.perf_counter()
    queries = [snapshot.prepare(text) for text in texts]
    results = snapshot.search_queries(queries, encoder, k=10, method=method)
    seconds = time.perf_counter() - started
    answers = [
        compose_answer(query, hits, snapshot.articles, snapshot.lexical.idf, snapshot.contacts, min_confidence)
        for query, hits in zip(queries, results)
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
