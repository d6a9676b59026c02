"""Test doubles of our own seams (never of libraries): a deterministic encoder that counts its work."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Sequence

import numpy as np


class FakeEncoder:
    """Hashed bag of words: similar wording gives similar vectors; records every text it embeds."""

    def __init__(self, dimension: int = 64, delay: float = 0.0, name: str = "fake-encoder") -> None:
        self.name = name
        self.dimension = dimension
        self.delay = delay  # seconds per encode() call, to make a build slow on purpose
        self.embedded: list[str] = []
        self.calls = 0
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self.delay:
            time.sleep(self.delay)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension
                vectors[row, bucket] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        with self._lock:
            self.calls += 1
            self.embedded.extend(texts)
        return vectors


def compose_from_hits(question, hits, articles, idf, contacts=(), in_domain=None, policy=None, selector=None):
    """The pipeline's decide, choose and compose steps on hand-made hits. The snapshot is read only for its
    articles, its IDF, its contact passages and its passages' sentences (without embeddings here); each hand-made
    passage is a whole section. `selector`:
    the shipped answer-sentence model unless a test needs one that does not move when that model is refitted."""
    from types import SimpleNamespace

    from bot.answer import compose
    from bot.candidates import candidates, shipped_selector
    from bot.decision import Policy, decide
    from embeddings.query import Query
    from embeddings.snapshot import Retrieved
    from knowledge.text import split_sentences

    policy = policy or Policy()
    snapshot = SimpleNamespace(articles=articles, lexical=SimpleNamespace(idf=idf), contacts=tuple(contacts),
                               sentences_of=lambda passage: (tuple(split_sentences(passage.text)), None),
                               opens_section=lambda passage: True)
    found = Retrieved(Query.parse(question), tuple(hits), in_domain)
    decision = decide(found, policy)
    pool = candidates(found, decision.confident, snapshot, selector or shipped_selector()) if decision.answers else ()
    return compose(found, decision, pool, snapshot)


def search(snapshot, question, encoder, method="hybrid"):
    """The hits the pipeline retrieves for one question as typed."""
    from bot.pipeline import Pipeline

    return list(Pipeline().retrieve(snapshot, encoder, [question], method=method)[0].retrieved[0].hits)
