"""FAISS inner-product search over unit vectors (so inner product = cosine similarity).

Exact search (IndexFlatIP) while it is fast enough; an HNSW graph beyond APPROXIMATE_FROM passages,
where exact search would cost more than the whole latency budget.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

APPROXIMATE_FROM = 200_000  # exact search over 100k x 384 floats still takes ~10 ms on 2 cores; 1M takes ~100 ms
HNSW_NEIGHBOURS = 32  # FAISS' usual M
HNSW_EF_CONSTRUCTION = 80
# Over 1M clustered vectors, recall@10 against exact search: efSearch 96 -> 0.75, 768 -> 0.91, 1536 -> 0.955,
# 3072 -> 0.97, at 0.2 / 1.4 / 3 / 7.5 ms a query (2 cores). 2048 keeps >= 0.95 with room, far inside 50 ms.
HNSW_EF_SEARCH = 2048


class DenseIndex:
    """Nearest passages by cosine similarity; keeps the vectors to score any candidate exactly."""

    def __init__(self, index: faiss.Index, vectors: np.ndarray) -> None:
        self._index = index
        self.vectors = vectors

    @classmethod
    def build(cls, vectors: np.ndarray, kind: str = "auto") -> DenseIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dimension = vectors.shape[1]
        if kind == "auto":
            kind = "hnsw" if len(vectors) >= APPROXIMATE_FROM else "flat"
        if kind == "flat":
            index = faiss.IndexFlatIP(dimension)
        elif kind == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            raise ValueError(f"unknown dense index kind {kind!r}: use 'auto', 'flat' or 'hnsw'")
        if len(vectors):
            index.add(vectors)
        return cls(index, vectors)

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self._index, faiss.IndexHNSWFlat) else "flat"

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (similarities, row numbers) per query row; rows are -1 where fewer than k exist."""
        k = max(1, min(k, len(self.vectors)))
        if not len(self.vectors):
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def save(self, folder: Path) -> None:
        """Vectors always; the HNSW graph too, since it is slow to rebuild (a flat index is not)."""
        np.save(folder / "vectors.npy", self.vectors)
        if self.kind == "hnsw":
            faiss.write_index(self._index, str(folder / "dense.faiss"))

    @classmethod
    def load(cls, folder: Path) -> DenseIndex:
        vectors = np.load(folder / "vectors.npy")
        graph = folder / "dense.faiss"
        if graph.exists():
            index = faiss.read_index(str(graph))
            index.hnsw.efSearch = HNSW_EF_SEARCH
            return cls(index, vectors)
        return cls.build(vectors, kind="flat")
