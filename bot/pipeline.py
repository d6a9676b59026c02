"""The one answering path: clean → parse → encode → retrieve → decide → compose.

Telegram (through the query lane), the console, `ask`, the evaluation and the benchmark all call this, so
they cannot drift apart and what is measured is what workers get. It is pure apart from the encoder call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.answer import Answer, Decline, compose
from bot.decision import Policy, decide
from bot.question import prepare_question
from embeddings.encoder import Encoder
from embeddings.snapshot import TOP_K, Retrieved, Snapshot
from knowledge.freshness import STALE_AFTER_DAYS, stale_before


@dataclass(frozen=True, slots=True)
class Pipeline:
    policy: Policy = Policy()
    stale_after_days: int = STALE_AFTER_DAYS  # older sources are marked in answers (knowledge/freshness.py)
    today: Callable[[], date] = date.today

    def with_policy(self, **thresholds: float) -> Pipeline:
        """The same pipeline at other thresholds (the evaluation's sweeps): retrieval is not repeated."""
        return dataclasses.replace(self, policy=dataclasses.replace(self.policy, **thresholds))

    def retrieve(self, snapshot: Snapshot, encoder: Encoder | None, questions: Sequence[str], *,
                 method: str = "hybrid", k: int = TOP_K) -> list[Retrieved]:
        """Search the questions as typed, with one encoder call for all (the lexical method needs none).
        `k` above TOP_K only lets the evaluation rank further; answers are composed from the top TOP_K."""
        queries = [snapshot.prepare(prepare_question(question)) for question in questions]
        vectors = snapshot.encode(queries, encoder) if method != "lexical" and encoder is not None else None
        return snapshot.retrieve(queries, vectors, k=k, method=method)

    def compose(self, snapshot: Snapshot, retrieved: Sequence[Retrieved]) -> list[Answer | Decline]:
        cutoff = stale_before(self.today(), self.stale_after_days)
        return [compose(found, decide(found, self.policy), snapshot, cutoff) for found in retrieved]

    def answer(self, snapshot: Snapshot, encoder: Encoder, questions: Sequence[str]) -> list[Answer | Decline]:
        """Answer questions as typed; several at once share one encoder call (concurrent askers are batched)."""
        return self.compose(snapshot, self.retrieve(snapshot, encoder, questions))
