"""Retrieval metrics, defined once for the evaluation, the benchmark and training."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Hashable

KS = (1, 5, 10)
MRR_DEPTH = 10


def first_rank(ranking: Sequence[Hashable], relevant: Collection[Hashable]) -> int | None:
    """1-based rank of the first relevant item, or None if none is ranked."""
    return next((rank for rank, item in enumerate(ranking, start=1) if item in relevant), None)


def rank_metrics(rankings: Sequence[Sequence[Hashable]], relevant: Sequence[Collection[Hashable]],
                 ks: Sequence[int] = KS, mrr_depth: int = MRR_DEPTH) -> dict[str, float]:
    """Recall@k (share of a question's relevant items in its top k) and MRR@depth, averaged over questions."""
    n = max(len(relevant), 1)
    out = {f"R@{k}": sum(len(set(rel) & set(ranked[:k])) / len(rel) for ranked, rel in zip(rankings, relevant)) / n
           for k in ks}
    out[f"MRR@{mrr_depth}"] = sum(1 / rank for rank in (first_rank(ranked[:mrr_depth], rel)
                                                       for ranked, rel in zip(rankings, relevant)) if rank) / n
    return out
