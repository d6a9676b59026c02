"""Articles → a new Snapshot: the only CPU-heavy step, run off the event loop by its callers."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from embeddings.dense import DenseIndex
from embeddings.encoder import Encoder
from embeddings.lexical import LexicalIndex
from embeddings.snapshot import Manifest, Snapshot
from embeddings.store import EmbeddingCache
from knowledge.chunker import split_into_passages
from knowledge.model import Article
from knowledge.text import tokenize


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
    passages = tuple({p.id: p for article in articles for p in split_into_passages(article)}.values())
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
    )
    snapshot = Snapshot(
        manifest=manifest,
        passages=passages,
        articles={article.slug: article for article in articles},
        lexical=LexicalIndex.build([tokenize(text) for text in texts]),
        dense=dense,
    )
    stats = BuildStats(len(articles), len(passages), len(missing), time.perf_counter() - started)
    return snapshot, stats

