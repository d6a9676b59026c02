"""Is a question one for this bot at all? A linear classifier over its embedding and how well it is covered.

Coverage (how much of a question a passage shares) decides whether the knowledge base can answer, but it
reads words, not intent: "timnas Indonesia lawan Jepang" shares "Indonesia" and "Jepang" with half our
passages, and a maths word problem shares "hitung" and "umur" with IM Japan's selection test. A logistic
regression over the whole question's embedding and its retrieval scores (scope_features), fitted on
labelled worker questions and off-topic ones (`knowledge/articles/scope.yaml`), learns what the bot's
questions are about as a whole. It is fitted when the index is built, with the configured model and
against that index, so it reads the same vectors and scores it meets when serving: one dot product.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from embeddings.logistic import balanced_weights, fit_logistic

REGULARISATION = 1.0  # scikit-learn's C: the default; weaker (larger) overfits a few hundred examples
RETRIEVAL_SCALE = 3.0  # the two retrieval features beside a unit-length embedding: scaled up, they are
# penalised less than its 384 dimensions, and they are what tells a covered question from one that is not


def feature_count(dimension: int) -> int:
    """The length of scope_features for embeddings of this dimension."""
    return dimension + 2


def scope_features(vectors: np.ndarray, coverage: Sequence[float], similarity: Sequence[float]) -> np.ndarray:
    """What the model reads of a question: its embedding, the best coverage of a retrieved passage, and the
    best cosine similarity of one. The embedding says what the question is about, the other two how well
    the knowledge base speaks to it: "cuaca tokyo besok" is about Japan, and nothing covers it."""
    retrieval = np.column_stack([coverage, similarity]).astype(np.float32) * RETRIEVAL_SCALE
    return np.hstack([np.asarray(vectors, dtype=np.float32).reshape(len(retrieval), -1), retrieval])


@dataclass(frozen=True, eq=False)
class ScopeModel:
    weights: np.ndarray  # (feature_count(dimension),)
    bias: float

    @classmethod
    def fit(cls, in_scope: np.ndarray, out_of_scope: np.ndarray) -> ScopeModel:
        """L2-regularised logistic regression on the examples' features, both classes weighing the same
        whatever their counts: scikit-learn's LogisticRegression(C=REGULARISATION, class_weight="balanced"),
        fitted in numpy (embeddings.logistic): a few hundred rows of a few hundred features take milliseconds."""
        features = np.vstack([in_scope, out_of_scope])
        labels = np.r_[np.ones(len(in_scope)), np.zeros(len(out_of_scope))]
        weights, bias = fit_logistic(features, labels, balanced_weights(labels), REGULARISATION)
        return cls(weights.astype(np.float32), bias)

    def in_domain(self, features: np.ndarray) -> np.ndarray:
        """The probability that each question (a row of scope_features) is one the bot is for."""
        return 1.0 / (1.0 + np.exp(-(np.asarray(features, dtype=np.float32) @ self.weights + self.bias)))

    def to_array(self) -> np.ndarray:
        return np.r_[self.weights, np.float32(self.bias)].astype(np.float32)

    @classmethod
    def from_array(cls, stored: np.ndarray) -> ScopeModel:
        return cls(stored[:-1].astype(np.float32), float(stored[-1]))
