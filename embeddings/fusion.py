"""Combining the keyword and the dense ranking into one (pure functions over scores).

Two methods: a weighted sum of min-max normalised scores (the default: it keeps how much better
the best candidate is, which rank fusion throws away), and weighted reciprocal rank fusion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

RRF_K = 60  # the constant suggested by Cormack et al. (2009); ranks here are 1-based


def min_max(scores: Mapping[int, float]) -> dict[int, float]:
    """Scale scores to 0..1 within one query's candidates; all-equal scores become 1.0 (or 0.0 if zero)."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high == low:
        return {key: (1.0 if high > 0 else 0.0) for key in scores}
    return {key: (value - low) / (high - low) for key, value in scores.items()}


def weighted_sum_fusion(
    lexical: Mapping[int, float], dense: Mapping[int, float], dense_weight: float
) -> list[tuple[int, float]]:
    """Rank candidates by (1-w)*lexical + w*dense after min-max scaling; a missing score counts as 0."""
    lexical_scaled, dense_scaled = min_max(lexical), min_max(dense)
    candidates = lexical.keys() | dense.keys()
    fused = {
        key: (1 - dense_weight) * lexical_scaled.get(key, 0.0) + dense_weight * dense_scaled.get(key, 0.0)
        for key in candidates
    }
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], weights: Sequence[float] | None = None, k: int = RRF_K
) -> list[tuple[int, float]]:
    """Weighted RRF, scaled by the best possible score so the result lies in 0..1."""
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking is needed")
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (k + rank)
    best_possible = sum(weights) / (k + 1)
    scaled = {key: score / best_possible for key, score in fused.items()} if best_possible > 0 else fused
    return sorted(scaled.items(), key=lambda item: (-item[1], item[0]))
