"""The sentences that could answer a question, across its best passages, each with how likely it answers.

An answer leads with the sentence that states what was asked. The selector (bot/sentences.py) judges a
sentence within its passage; here that judgement is weighed by how well its passage fits the question: its
rank among the retrieved passages, and whether it speaks of the programme the question names (an SSW
question is not answered from a passage only about TITP, unless it compares them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from bot.followup import concepts_by_kind
from bot.sentences import QuestionCues, SentenceSelector, sentence_features
from embeddings.snapshot import Hit, Retrieved, Snapshot

RANK_WEIGHT = 3.0  # a sentence's value is its probability times its passage's fused score to this power: retrieval
# ranks passages better than the selector, trained on Wikipedia, does (1.0 cost 0.03-0.08 of key fact per set)
OTHER_PROGRAMME = 0.3  # ...times this when its passage speaks only of another programme than the one asked about
PROGRAMME_OF_TOPIC = {"ssw": "ssw", "magang": "magang", "ikusei": "ikusei shuro", "bpvp": "bpvp"}
MEMO_PASSAGES = 20_000  # passages whose programmes are remembered: a large knowledge base's worth


@dataclass(frozen=True, slots=True)
class Candidate:
    hit: Hit
    sentences: tuple[str, ...]  # all of its passage's sentences
    index: int  # of this one among them
    probability: float  # the selector's: this sentence states the answer
    value: float  # the probability weighed by how well its passage fits the question

    @property
    def text(self) -> str:
        return self.sentences[self.index]


@cache
def shipped_selector() -> SentenceSelector:
    """The shipped answer-sentence model, read once per process (a small JSON file)."""
    return SentenceSelector.load()


@lru_cache(maxsize=MEMO_PASSAGES)
def programmes_named(text: str) -> frozenset[str]:
    return frozenset(concepts_by_kind(text)["programme"])


def _passage_programmes(hit: Hit, snapshot: Snapshot) -> frozenset[str]:
    from_topics = {PROGRAMME_OF_TOPIC[t] for t in snapshot.articles[hit.passage.article].topics if t in PROGRAMME_OF_TOPIC}
    return programmes_named(hit.passage.indexed_text) | from_topics


def passage_features(cues: QuestionCues, hit: Hit, retrieved: Retrieved,
                     snapshot: Snapshot) -> tuple[tuple[str, ...], np.ndarray]:
    """A passage's sentences and what the selector reads of each: one function for serving and for training
    (tools/answer_sentences.py), so the model is fitted on exactly what it is later shown."""
    sentences, vectors = snapshot.sentences_of(hit.passage)
    if vectors is None or retrieved.vector is None:
        similarity = np.zeros(len(sentences), dtype=np.float32)
    else:
        similarity = vectors.astype(np.float32) @ retrieved.vector
    heading = hit.passage.section if snapshot.opens_section(hit.passage) else ""
    return tuple(sentences), sentence_features(cues, sentences, similarity, heading)


def candidates(retrieved: Retrieved, hits: Sequence[Hit], snapshot: Snapshot,
               selector: SentenceSelector) -> tuple[Candidate, ...]:
    """Every sentence of the given hits, best first."""
    query = retrieved.query
    cues = QuestionCues.of(query, snapshot.lexical.idf)
    asked = set(concepts_by_kind(query.text)["programme"])
    found: list[Candidate] = []
    for hit in hits:
        sentences, features = passage_features(cues, hit, retrieved, snapshot)
        if not sentences:
            continue
        probability = selector.score(features)
        fit = max(hit.score, 0.0) ** RANK_WEIGHT
        programmes = _passage_programmes(hit, snapshot)
        if len(asked) == 1 and programmes and not asked & programmes:
            fit *= OTHER_PROGRAMME
        found += [Candidate(hit, sentences, i, float(p), float(p) * fit) for i, p in enumerate(probability)]
    return tuple(sorted(found, key=lambda c: -c.value))
