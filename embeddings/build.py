"""Articles → a new Snapshot: the only CPU-heavy step, run off the event loop by its callers."""

from __future__ import annotations

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
from embeddings.snapshot import INDEX_FORMAT, Manifest, Snapshot
from embeddings.store import EmbeddingCache
from knowledge.chunker import split_into_passages
from knowledge.model import Article, Passage
from knowledge.text import TOKENIZER_ID, tokenize

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
    articles: Sequence[Article], encoder: Encoder, cache: EmbeddingCache | None = None, dense_kind: str = "auto"
) -> tuple[Snapshot, BuildStats]:
    """Chunk, embed what the cache lacks, and index both ways."""
    started = time.perf_counter()
    passages = tuple({p.id: p for article in articles for p in _passages_of(article)}.values())
    texts = [passage.indexed_text for passage in passages]
    hashes = [text_hash(text) for text in texts]

    known = cache.get_many(encoder.name, hashes) if cache else {}
    missing = [i for i, h in enumerate(hashes) if h not in known or known[h].shape != (encoder.dimension,)]
    fresh = encoder.encode([texts[i] for i in missing]) if missing else np.zeros((0, encoder.dimension))
    if cache and missing:
        cache.put_many(encoder.name, zip((hashes[i] for i in missing), fresh))
    vectors = np.zeros((len(passages), encoder.dimension), dtype=np.float32)
    for i, h in enumerate(hashes):
        if h in known:
            vectors[i] = known[h]
    if missing:
        vectors[missing] = fresh

    dense = DenseIndex.build(vectors, kind=dense_kind)
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
    )
    snapshot = Snapshot(
        manifest=manifest,
        passages=passages,
        articles={article.slug: article for article in articles},
        lexical=LexicalIndex.build([_tokens_of(text) for text in texts]),
        dense=dense,
    )
    stats = BuildStats(len(articles), len(passages), len(missing), time.perf_counter() - started)
    return snapshot, stats


@lru_cache(maxsize=MEMO_ARTICLES)
def _passages_of(article: Article) -> tuple[Passage, ...]:
    """Chunking is a pure function of the article (all its fields), so an unchanged article is chunked once."""
    return tuple(split_into_passages(article))


@lru_cache(maxsize=MEMO_PASSAGES)
def _tokens_of(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text))
