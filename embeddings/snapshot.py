"""An immutable, searchable knowledge base: passages plus both indexes, built once, never changed.

Because a snapshot never changes, a reload builds a new one and swaps a single reference:
questions already running finish on the old one, and no reader ever takes a lock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from embeddings.dense import DenseIndex
from embeddings.encoder import Encoder
from embeddings.fusion import reciprocal_rank_fusion, weighted_sum_fusion
from embeddings.lexical import LexicalIndex
from embeddings.query import Phrase, Query, names_in
from embeddings.scope import ScopeModel, scope_features
from knowledge.model import Article, Passage
from knowledge.text import split_sentences

TOP_K = 8  # passages handed to answer composition: enough for 2-3 cited sources and related questions
CANDIDATES = 50  # taken from each index before fusion: recall@50 of either is ~0.95+ on tydiqa-id
DENSE_WEIGHT = 0.6  # share of the dense score in fusion: 0.3 suited the model tuned on Wikipedia questions; the one
# tuned on our questions too earns more (README, "The Indonesian-tuned model": chosen on held-out gold sets)
METHODS = ("hybrid", "lexical", "dense", "rrf")
UNKNOWN_WEIGHT = 0.4  # of a word the index lacks, in coverage; chosen with the thresholds in bot/answer.py


INDEX_FORMAT = 4  # raise when what an index holds changes (2: titles up to the colon; 3: the scope model;
# 4: sentence vectors)


@dataclass(frozen=True, slots=True)
class Manifest:
    """What built an index: checked at load so a mismatched index is never served."""

    model: str
    dimension: int
    passages: int
    articles: int
    corpus_hash: str
    built_at: str
    dense_kind: str
    format: int = 1  # INDEX_FORMAT of the build
    tokenizer: str = ""  # knowledge.text.TOKENIZER_ID of the build; "" in indexes from before it was recorded
    scope_hash: str = ""  # of the scope examples the scope model was fitted on; "" without one


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    score: float  # fused ranking score, 0..1 within this query
    confidence: float  # IDF-weighted share of the question's concepts this passage contains, 0..1
    lexical: float  # raw BM25 score
    dense: float  # cosine similarity


@dataclass(frozen=True, slots=True, eq=False)
class Retrieved:
    """One question searched: what every answer, evaluation and scope fit starts from."""

    query: Query
    hits: tuple[Hit, ...]  # best first
    in_domain: float | None  # the scope model's probability that the question is the bot's; None: no model
    vector: np.ndarray | None = None  # the question's embedding (None for the lexical method alone)


@dataclass(frozen=True)
class Snapshot:
    manifest: Manifest
    passages: tuple[Passage, ...]
    articles: Mapping[str, Article]
    lexical: LexicalIndex
    dense: DenseIndex
    scope: ScopeModel | None = None  # None: no labelled examples, coverage alone decides
    sentence_vectors: np.ndarray | None = None  # every passage's sentences embedded, in passage order (float16)
    passage_sentences: tuple[tuple[str, ...], ...] | None = None  # as the build split them; None: split on first use

    @cached_property
    def sentences(self) -> tuple[tuple[str, ...], ...]:
        """Each passage's sentences, as answers quote them and as `sentence_vectors` holds them. A build hands
        over its split: splitting 10k passages again would cost the next reload, or the first answer, 0.5 s."""
        if self.passage_sentences is not None:
            return self.passage_sentences
        return tuple(tuple(split_sentences(passage.text)) for passage in self.passages)

    @cached_property
    def _sentence_start(self) -> np.ndarray:
        return np.cumsum([0, *map(len, self.sentences)])

    @cached_property
    def _row_of(self) -> dict[str, int]:
        return {passage.id: row for row, passage in enumerate(self.passages)}

    def sentences_of(self, passage: Passage) -> tuple[tuple[str, ...], np.ndarray | None]:
        """A passage's sentences and their embeddings (None where the snapshot has none)."""
        row = self._row_of[passage.id]
        if self.sentence_vectors is None:
            return self.sentences[row], None
        start, end = self._sentence_start[row], self._sentence_start[row + 1]
        return self.sentences[row], self.sentence_vectors[start:end]

    @cached_property
    def _section_openers(self) -> frozenset[str]:
        firsts: dict[tuple[str, str], str] = {}
        for passage in self.passages:
            firsts.setdefault((passage.article, passage.section), passage.id)
        return frozenset(firsts.values())

    def opens_section(self, passage: Passage) -> bool:
        """Whether the passage is its section's first: the one whose first sentence answers the heading."""
        return passage.id in self._section_openers

    @cached_property
    def contacts(self) -> tuple[Passage, ...]:
        """Passages of the contacts articles, where a decline points to; found once per snapshot."""
        return tuple(p for p in self.passages if "contacts" in self.articles[p.article].topics)

    @cached_property
    def _passage_by_id(self) -> dict[str, Passage]:
        return {passage.id: passage for passage in self.passages}

    def passage(self, passage_id: str) -> Passage | None:
        """A passage by its id (a related-question button carries one), or None if no longer there."""
        return self._passage_by_id.get(passage_id)

    def prepare(self, question: str) -> Query:
        """Parse a question against this snapshot's vocabulary (informal spellings and typos resolved)."""
        return Query.parse(question, self.lexical.known_forms)

    def retrieve(self, queries: Sequence[Query], vectors: np.ndarray | None, k: int = TOP_K,
                 method: str = "hybrid") -> list[Retrieved]:
        """Search questions already parsed and embedded (`vectors` None: the lexical method alone, no scope).

        Encoding is the caller's, so questions asked together share one encoder call and a build can embed
        its scope examples through the embedding cache."""
        if method not in METHODS:
            raise ValueError(f"unknown search method {method!r}: use one of {', '.join(METHODS)}")
        if not self.passages:
            results = [[] for _ in queries]
        else:
            rows = vectors if vectors is not None else np.zeros((len(queries), self.dense.vectors.shape[1]),
                                                                 dtype=np.float32)
            results = [self._search_one(query, vector, k, method) for query, vector in zip(queries, rows)]
        if self.scope is None or vectors is None:
            in_domain = [None] * len(results)
        else:
            in_domain = [float(p) for p in self.scope.in_domain(scope_inputs(vectors, results))]
        embedded = vectors if vectors is not None else [None] * len(results)
        return [Retrieved(query, tuple(hits), domain, vector)
                for query, hits, domain, vector in zip(queries, results, in_domain, embedded)]

    @staticmethod
    def encode(queries: Sequence[Query], encoder: Encoder) -> np.ndarray:
        """The questions' embeddings, as the dense index and the scope model read them."""
        return encoder.encode([query.expanded for query in queries])

    def _search_one(self, query: Query, vector: np.ndarray, k: int, method: str) -> list[Hit]:
        per_token = self.lexical.token_scores(query.tokens)
        bm25 = _concept_bm25(query, per_token, self.lexical.idf, len(self.passages))
        concepts = _weighted_concepts(query, self.lexical)
        lexical_top = _top_positive(bm25, CANDIDATES)
        dense_top: list[int] = []
        if method != "lexical":
            _, rows = self.dense.search(vector[None, :], CANDIDATES)
            dense_top = [int(row) for row in rows[0] if row >= 0]
        candidates = list(dict.fromkeys(lexical_top + dense_top))
        cosine = dict(zip(candidates, (self.dense.vectors[candidates] @ vector).tolist())) if candidates else {}
        lexical_scores = {row: float(bm25[row]) for row in candidates}

        if method == "lexical":
            ranked = [(row, lexical_scores[row]) for row in lexical_top]
        elif method == "dense":
            ranked = [(row, cosine[row]) for row in dense_top]
        elif method == "rrf":
            ranked = reciprocal_rank_fusion([lexical_top, dense_top])
        else:
            ranked = weighted_sum_fusion(lexical_scores, cosine, DENSE_WEIGHT)
        return [
            Hit(
                passage=self.passages[row],
                score=float(score),
                confidence=_coverage(concepts, per_token, row),
                lexical=lexical_scores.get(row, 0.0),
                dense=float(cosine.get(row, 0.0)),
            )
            for row, score in ranked[:k]
        ]


_YEAR = re.compile(r"(?:19|20)\d\d")


def quoted_value(token: str, names: frozenset[Phrase]) -> bool:
    """A number the worker quotes ("umur 35", "lembur 90 jam", "udah 2 thn") is a value of their situation, not
    a topic: a passage that happens to hold the same number ("batas usia 35 atau 40 tahun" of SSW) is no better
    an answer for it. A number that is part of a name the glossary knows ("ssw 2") is a topic, as are a code
    written with letters ("N4") and a year, which names the rules of its time ("berangkat 2027, ikut ikusei?")."""
    return token.isdigit() and names == {(token,)} and not _YEAR.fullmatch(token)


def _concept_bm25(query: Query, per_token: Mapping[str, np.ndarray], idf: Callable[[str], float],
                  size: int) -> np.ndarray:
    """BM25 summed over the question's concepts, all names of a concept scored as one term.

    Summing every name would count "SSW" eight times when the glossary expands it. Taking the best
    name's own score would let a rare one ("jisshūsei") outweigh the worker's common word ("magang")
    for the same concept. So, as Lucene's SynonymQuery does, a concept weighs what its most common name
    weighs, and a passage scores by how often it uses any of its names (the best one's BM25 saturation).
    A name of several words weighs what its rarest word weighs and saturates as its least used word.
    """
    total = np.zeros(size, dtype=np.float32)
    for token, names in query.concepts:
        if quoted_value(token, names):
            continue
        weights, saturations = [], []
        for name in names:
            if all(token in per_token for token in name):
                weights.append(max(idf(token) for token in name))
                saturations.append(np.min([per_token[token][:size] / idf(token) for token in name], axis=0))
        if weights:
            total += min(weights) * np.max(saturations, axis=0)
    return total


def _top_positive(scores: np.ndarray, k: int) -> list[int]:
    """Rows of the k highest scores above zero, best first (ties by row for a stable order)."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > k:
        positive = positive[np.argpartition(-scores[positive], k - 1)[:k]]
    return sorted(positive.tolist(), key=lambda row: (-scores[row], row))


def _weighted_concepts(query: Query, lexical: LexicalIndex) -> list[tuple[frozenset[Phrase], float]]:
    """The question's concepts with their weight in coverage, computed once per question.

    Rare words weigh more. As in _concept_bm25, a concept weighs what its most common name weighs ("flight"
    what "tiket" weighs). A word no passage has weighs UNKNOWN_WEIGHT of its IDF: as often as it is a topic
    we lack (bitcoin), it is a worker's story around the question (bingung, orangtua, cerita). A value the
    worker quotes (height 155, 10jt, age 19) is not a topic a passage must share, and is left out.
    """
    weighted = []
    for token, names in query.concepts:
        indexed = [name for name in names if all(word in lexical for word in name)]
        if quoted_value(token, names) or any(char.isdigit() for char in token) and not indexed:
            continue
        weight = (min(max(lexical.idf(word) for word in name) for name in indexed) if indexed
                  else UNKNOWN_WEIGHT * lexical.idf(token))
        weighted.append((names, weight))
    return weighted


def _coverage(concepts: Sequence[tuple[frozenset[Phrase], float]], per_token: Mapping[str, np.ndarray],
              row: int) -> float:
    """How much of what was asked this passage speaks of: the weighted share of concepts it names.

    This, not the fused score, decides whether to answer: a fused score is relative to the other
    candidates, so even "resep nasi goreng" has a best passage; coverage says it shares no concept.
    """
    in_passage = {token for token, scores in per_token.items() if scores[row] > 0}
    total = sum(weight for _, weight in concepts)
    matched = sum(weight for names, weight in concepts if names_in(names, in_passage))
    return matched / total if total else 0.0


def scope_inputs(vectors: np.ndarray, results: Sequence[Sequence[Hit]]) -> np.ndarray:
    """The scope model's features of searched questions; the top TOP_K hits count, as answering sees them."""
    coverage = [max((hit.confidence for hit in hits[:TOP_K]), default=0.0) for hits in results]
    similarity = [max((hit.dense for hit in hits[:TOP_K]), default=0.0) for hits in results]
    return scope_features(vectors, coverage, similarity)
