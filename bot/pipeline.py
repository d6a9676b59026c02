"""The one answering path: clean → split → understand → parse → encode → retrieve → decide → compose.

Telegram (through the query lane), the console, `ask`, the evaluation and the benchmark all call this, so
they cannot drift apart and what is measured is what workers get. It is pure apart from the encoder call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from datetime import date

from bot.answer import Answer, Decline, Reply, combine, compose
from bot.candidates import candidates, shipped_selector
from bot.decision import Decision, Policy, decide, decide_after
from bot.followup import Understood, understand
from bot.question import prepare_question, split_questions
from bot.sentences import SentenceSelector
from embeddings.encoder import Encoder
from embeddings.snapshot import TOP_K, Retrieved, Snapshot
from knowledge.freshness import STALE_AFTER_DAYS, stale_before
from knowledge.text import detect_language, written_language

Result = Answer | Decline | Reply


@dataclass(frozen=True, slots=True, eq=False)
class Asked:
    """One message searched: the questions it asks, each as understood and as retrieved."""

    message: str  # cleaned
    parts: tuple[str, ...]  # the questions it asks, as typed (one for most messages)
    understood: tuple[Understood, ...]
    retrieved: tuple[Retrieved, ...]
    alone: tuple[Retrieved | None, ...]  # a tentative follow-up's own words, searched alone (bot/followup.py)


def _one_scope(parts: Sequence[Retrieved]) -> list[Retrieved]:
    """Whether a message is the bot's business is a question about the whole message: one part that is clearly
    about working in Japan vouches for the short ones beside it ("terus biayanya brp?"), which alone say little."""
    scores = [found.in_domain for found in parts if found.in_domain is not None]
    if len(parts) < 2 or not scores:
        return list(parts)
    return [dataclasses.replace(found, in_domain=max(scores)) for found in parts]


@dataclass(frozen=True, slots=True)
class Pipeline:
    policy: Policy = Policy()
    stale_after_days: int = STALE_AFTER_DAYS  # older sources are marked in answers (knowledge/freshness.py)
    today: Callable[[], date] = date.today
    selector: SentenceSelector | None = None  # None: the shipped answer-sentence model (models/answer-selector.json)

    def with_policy(self, **thresholds: float) -> Pipeline:
        """The same pipeline at other thresholds (the evaluation's sweeps): retrieval is not repeated."""
        return dataclasses.replace(self, policy=dataclasses.replace(self.policy, **thresholds))

    def retrieve(self, snapshot: Snapshot, encoder: Encoder | None, messages: Sequence[str], *,
                 previous: Sequence[str | None] | None = None, method: str = "hybrid", k: int = TOP_K) -> list[Asked]:
        """Search every question of every message with one encoder call for all (the lexical method needs none).
        `previous` is each message's chat context (the question asked before it), for follow-ups. `k` above
        TOP_K only lets the evaluation rank further; answers are composed from the top TOP_K."""
        cleaned = [prepare_question(message) for message in messages]
        parts = [split_questions(text) for text in cleaned]
        understood, alone_wanted = [], []
        for questions, before in zip(parts, previous or [None] * len(messages)):
            for index, question in enumerate(questions):
                meant = understand(question, before, new_turn=index == 0)
                understood.append(meant)
                # the chat's question before is a guess; within one message, the parts vouch for each other
                alone_wanted.append(question if meant.tentative and index == 0 else None)
                before = question
        own = [question for question in alone_wanted if question is not None]
        queries = [snapshot.prepare(text) for text in [meant.text for meant in understood] + own]
        vectors = snapshot.encode(queries, encoder) if method != "lexical" and encoder is not None else None
        retrieved = snapshot.retrieve(queries, vectors, k=k, method=method)
        own_found = iter(retrieved[len(understood):])
        rows = iter(zip(understood, retrieved, [None if q is None else next(own_found) for q in alone_wanted]))
        return [Asked(text, tuple(questions), *(tuple(column) for column in zip(*islice(rows, len(questions)))))
                for text, questions in zip(cleaned, parts)]

    def _not_ours(self, alone: Retrieved) -> bool:
        """Whether a tentative follow-up's own words are, by the scope model, not the bot's business: then it is a
        new question, not one about the subject before it."""
        return alone.in_domain is not None and alone.in_domain < self.policy.min_in_domain

    def compose(self, snapshot: Snapshot, asked: Sequence[Asked]) -> list[Result]:
        cutoff = stale_before(self.today(), self.stale_after_days)
        selector = self.selector or shipped_selector()
        results: list[Result] = []
        for message in asked:
            replies = []
            before: Decision | None = None
            for question, meant, found, alone in zip(message.parts, message.understood,
                                                      _one_scope(message.retrieved), message.alone):
                if alone is not None and self._not_ours(alone):
                    meant, found = Understood(question), alone  # "resep nasi goreng" after an SSW question
                decision = before = decide_after(decide(found, self.policy), before, meant.leans_back)
                pool = candidates(found, decision.confident, snapshot, selector) if decision.answers else ()
                # framed in the language of the worker's own words, not of the question before it carries
                reply = compose(found, decision, pool, snapshot, cutoff, written_language(question))
                replies.append(dataclasses.replace(reply, question=question, carried=meant.carried))
            if len(replies) == 1:
                results.append(replies[0])
            else:
                results.append(combine(message.message, detect_language(message.message), replies))
        return results

    def answer(self, snapshot: Snapshot, encoder: Encoder, messages: Sequence[str],
               previous: Sequence[str | None] | None = None) -> list[Result]:
        """Answer messages as typed; several share one encoder call (concurrent askers are batched)."""
        return self.compose(snapshot, self.retrieve(snapshot, encoder, messages, previous=previous))
