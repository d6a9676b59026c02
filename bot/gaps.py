"""What workers could not get answered, grouped by meaning for /gaps: many phrasings of one need are one gap.

Average-linkage agglomerative clustering of the questions' embeddings (cosine similarity), stopped at a
threshold. Numpy alone: one /gaps run groups at most MAX_QUESTIONS distinct questions, and no library's
clustering is worth its import on the bot's side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.journal import GapQuestion

# Average cosine similarity of the glossary-expanded questions at which two groups are taken for one need.
# Chosen on 24 questions of 7 needs written for it (not workers' own): with the shipped model 0.5 made 14
# groups at purity 0.91 (0.45: 13 at 0.86; 0.6: 20 at 0.95). The model was tuned for retrieval, not
# paraphrase: "cara bikin SIM" and "cara masak nasi goreng" score 0.56, so some gaps come split in two.
GAP_SIMILARITY = 0.5
MAX_QUESTIONS = 1000  # the newest ones: the similarity matrix is quadratic in memory, each merge scans it
EXAMPLES = 3  # phrasings shown per gap
THUMBS_DOWN = "thumbs_down"  # the "reason" of an answer that was given and rated 👎


@dataclass(frozen=True, slots=True)
class GapSummary:
    count: int  # questions in the gap
    examples: tuple[str, ...]  # the most asked phrasings first
    reasons: tuple[tuple[str, int], ...]  # why its questions were not answered well, most common first
    best_passage: str | None  # the passage that came closest: the highest coverage found
    best_coverage: float | None


def cluster(vectors: np.ndarray, weights: Sequence[float], threshold: float = GAP_SIMILARITY) -> list[list[int]]:
    """Rows grouped by meaning: the two groups with the highest average similarity are merged until none
    reaches `threshold`. A row's weight counts it as that many identical questions. Largest groups first."""
    count = len(vectors)
    if count == 0:
        return []
    unit = np.asarray(vectors, dtype=np.float64)
    unit = unit / np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-12)
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, -np.inf)
    size = np.asarray(weights, dtype=np.float64).copy()
    groups: list[list[int]] = [[row] for row in range(count)]
    while count > 1:
        a, b = np.unravel_index(np.argmax(similarity), similarity.shape)
        if similarity[a, b] < threshold:
            break
        # Lance-Williams for average linkage: the merged group's similarity to each other group is the
        # size-weighted mean of its parts'
        merged = (similarity[a] * size[a] + similarity[b] * size[b]) / (size[a] + size[b])
        similarity[a, :] = similarity[:, a] = merged
        similarity[a, a] = -np.inf
        similarity[b, :] = similarity[:, b] = -np.inf
        size[a] += size[b]
        groups[a] += groups[b]
        groups[b] = []
        count -= 1
    found = [sorted(group) for group in groups if group]
    weight = np.asarray(weights, dtype=np.float64)
    return sorted(found, key=lambda group: (-weight[group].sum(), group[0]))


def _same_text(question: str) -> str:
    return " ".join(question.casefold().split())


def find_gaps(questions: Sequence[GapQuestion],
              embed: Callable[[list[str]], np.ndarray], threshold: float = GAP_SIMILARITY) -> list[list[int]]:
    """The questions' ids grouped into gaps, largest first. A text asked many times is embedded once and
    weighs as often as it was asked."""
    by_text: dict[str, list[GapQuestion]] = {}
    for question in questions:
        by_text.setdefault(_same_text(question.question), []).append(question)
    texts = list(by_text)
    if not texts:
        return []
    vectors = embed([by_text[text][0].question for text in texts])
    groups = cluster(vectors, [len(by_text[text]) for text in texts], threshold)
    return [[question.id for row in group for question in by_text[texts[row]]] for group in groups]


def summarize(questions: Sequence[GapQuestion]) -> GapSummary:
    """What /gaps shows of a gap: how many asked, how they asked, why it failed, and what came closest."""
    phrasings = Counter(_same_text(question.question) for question in questions)
    first_seen: dict[str, str] = {}
    for question in questions:
        first_seen.setdefault(_same_text(question.question), question.question)
    examples = tuple(first_seen[text] for text, _ in phrasings.most_common(EXAMPLES))
    reasons = Counter(question.reason or THUMBS_DOWN for question in questions)
    if any(q.thumbs_down and q.reason for q in questions):  # a partly answered message rated 👎
        reasons[THUMBS_DOWN] += sum(1 for q in questions if q.thumbs_down and q.reason)
    closest = max((q for q in questions if q.best_passage), key=lambda q: q.best_coverage or 0.0, default=None)
    return GapSummary(len(questions), examples, tuple(reasons.most_common()),
                      closest.best_passage if closest else None, closest.best_coverage if closest else None)
