"""Plain BM25, the benchmarks' own baseline: bm25s (Lucene, k1=1.5, b=0.75) over lowercased `\\w+` tokens, with
no stemming, stop words or synonyms. The bench compares our retrieval with it, and training mines its hard
negatives from it."""

from __future__ import annotations

import re
from collections.abc import Sequence

import bm25s
import numpy as np

_WORDS = re.compile(r"\w+")
_EMPTY = "\u2205"  # bm25s cannot index a text without tokens


def words(text: str) -> list[str]:
    return _WORDS.findall(text.lower())


class PlainBM25:
    def __init__(self, texts: Sequence[str]) -> None:
        self._retriever = bm25s.BM25(method="lucene", idf_method="lucene")
        self._retriever.index([words(text) or [_EMPTY] for text in texts], show_progress=False)

    def rank(self, question: str, k: int) -> list[tuple[int, float]]:
        """(row, score) of the k best texts that share a word with the question, best first, ties by row."""
        vocabulary = self._retriever.vocab_dict
        ids = [vocabulary[word] for word in words(question) if word in vocabulary]
        if not ids:
            return []
        scores = self._retriever.get_scores_from_ids(ids)
        top = np.argsort(-scores, kind="stable")[:k]
        return [(int(row), float(scores[row])) for row in top if scores[row] > 0]
