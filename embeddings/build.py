"""Articles → a new Snapshot: the only CPU-heavy step, run off the event loop by its callers."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import numpy as np

from embeddings.dense import DenseIndex
from embeddings.encoder import Encoder
from embeddings.lexical import LexicalIndex
from embeddings.scope import ScopeModel
from embeddings.snapshot import INDEX_FORMAT, Manifest, Snapshot, scope_inputs
from embeddings.store import EmbeddingCache
from knowledge.chunker import split_into_passages
from knowledge.model import Article, Passage, ScopeExamples
from knowledge.text import TOKENIZER_ID, split_sentences, tokenize

# A reload after a one-article edit re-chunks and re-tokenises only that article: in a 10k-passage base
# the rest would take most of the reload (docs/benchmarks.md). Sized for a large knowledge base.
MEMO_ARTICLES, MEMO_PASSAGES = 20_000, 200_000


@dataclass(frozen=True, slots=True)
class BuildStats:
    articles: int
    passages: int
    embedded: int  # passages that went through the model; the rest came from the cache
    seconds: float


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_snapshot(
    articles: Sequence[Article], encoder: Encoder, cache: EmbeddingCache | None = None, dense_kind: str = "auto",
    scope: ScopeExamples = ScopeExamples(), previous: Snapshot | None = None,
) -> tuple[Snapshot, BuildStats]:
    """Chunk, embed what the cache lacks, index both ways, and fit the scope model on the examples.

    A reload keeps the `previous` snapshot's scope model when the examples and the model are the same:
    fitting searches every example (about 2 s in a 10k-passage base), and an article edit barely moves
    what the model learned. A new model, new examples or a build from scratch fit it again."""
    started = time.perf_counter()
    passages = tuple({p.id: p for article in articles for p in _passages_of(article)}.values())
    texts = [passage.indexed_text for passage in passages]
    hashes = [text_hash(text) for text in texts]
    vectors, missing = _embed(texts, hashes, encoder, cache)
    sentences = tuple(_sentences_of(passage.text) for passage in passages)
    sentence_vectors = _sentence_vectors(passages, sentences, encoder, cache, previous)

    dense = DenseIndex.build(vectors, kind=dense_kind)
    scope_hash = text_hash("\n".join([*scope.in_scope, "|", *scope.out_of_scope])) if scope.out_of_scope else ""
    manifest = Manifest(
        model=encoder.name,
        dimension=encoder.dimension,
        passages=len(passages),
        articles=len(articles),
        corpus_hash=text_hash("\n".join(sorted(hashes))),
        built_at=datetime.now(timezone.utc).isoformat(timespec="microseconds"),
        dense_kind=dense.kind,
        tokenizer=TOKENIZER_ID,
        format=INDEX_FORMAT,
        scope_hash=scope_hash,
    )
    snapshot = Snapshot(
        manifest=manifest,
        passages=passages,
        articles={article.slug: article for article in articles},
        lexical=LexicalIndex.build([_tokens_of(text) for text in texts]),
        dense=dense,
        sentence_vectors=sentence_vectors,  # to choose answer sentences, in float16: half the memory
        passage_sentences=sentences,
    )
    if scope.out_of_scope:
        fitted_alike = previous is not None and previous.manifest.scope_hash == scope_hash \
            and previous.manifest.model == encoder.name
        kept = previous.scope if fitted_alike else None
        snapshot = dataclasses.replace(snapshot, scope=kept or _fit_scope(snapshot, scope, encoder, cache))
    stats = BuildStats(len(articles), len(passages), len(missing), time.perf_counter() - started)
    return snapshot, stats


def embed_cached(texts: Sequence[str], hashes: Sequence[str], encoder: Encoder,
                 cache: EmbeddingCache | None) -> np.ndarray:
    """Vectors of the texts, keyed in the cache by `hashes`; only those it lacks go through the model."""
    return _embed(texts, hashes, encoder, cache)[0]


def _embed(texts: Sequence[str], hashes: Sequence[str], encoder: Encoder,
           cache: EmbeddingCache | None) -> tuple[np.ndarray, list[int]]:
    """Vectors of the texts, from the cache where it has them; also the rows that went through the model."""
    known = cache.get_many(encoder.name, hashes) if cache else {}
    missing = [i for i, h in enumerate(hashes) if h not in known or known[h].shape != (encoder.dimension,)]
    fresh = encoder.encode([texts[i] for i in missing]) if missing else np.zeros((0, encoder.dimension))
    if cache and missing:
        cache.put_many(encoder.name, zip((hashes[i] for i in missing), fresh))
    vectors = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    for i, h in enumerate(hashes):
        if h in known:
            vectors[i] = known[h]
    if missing:
        vectors[missing] = fresh
    return vectors, missing


def _sentence_vectors(passages: Sequence[Passage], sentences: Sequence[tuple[str, ...]], encoder: Encoder,
                      cache: EmbeddingCache | None, previous: Snapshot | None) -> np.ndarray:
    """Every passage's sentence embeddings, in passage order. An unchanged passage (same id) takes them from the
    `previous` snapshot: a reload would otherwise look up every sentence of a 10k-passage base in the cache."""
    kept = previous if previous is not None and previous.sentence_vectors is not None \
        and previous.manifest.model == encoder.name else None
    parts: list[np.ndarray | None] = []
    todo: list[str] = []
    for passage, split in zip(passages, sentences):
        reused = kept.sentences_of(passage)[1] if kept is not None and kept.passage(passage.id) else None
        parts.append(reused)
        if reused is None:
            todo += split
    fresh, _ = _embed(todo, [text_hash(sentence) for sentence in todo], encoder, cache)
    rows, used = [], 0
    for split, part in zip(sentences, parts):
        if part is None:
            part, used = fresh[used:used + len(split)], used + len(split)
        rows.append(np.asarray(part, dtype=np.float16))
    return np.concatenate(rows) if rows else np.zeros((0, encoder.dimension), dtype=np.float16)


def _fit_scope(snapshot: Snapshot, scope: ScopeExamples, encoder: Encoder,
               cache: EmbeddingCache | None) -> ScopeModel:
    """The examples are searched in this snapshot as questions are when serving, so the model learns
    from the very scores it will meet."""
    queries = [snapshot.prepare(text) for text in [*scope.in_scope, *scope.out_of_scope]]
    texts = [query.expanded for query in queries]
    vectors, _ = _embed(texts, [text_hash("query\n" + text) for text in texts], encoder, cache)
    features = scope_inputs(vectors, [found.hits for found in snapshot.retrieve(queries, vectors)])
    return ScopeModel.fit(features[: len(scope.in_scope)], features[len(scope.in_scope):])


@lru_cache(maxsize=MEMO_ARTICLES)
def _passages_of(article: Article) -> tuple[Passage, ...]:
    """Chunking is a pure function of the article (all its fields), so an unchanged article is chunked once."""
    return tuple(split_into_passages(article))


@lru_cache(maxsize=MEMO_PASSAGES)
def _tokens_of(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text))


@lru_cache(maxsize=MEMO_PASSAGES)
def _sentences_of(text: str) -> tuple[str, ...]:
    return tuple(split_sentences(text))
