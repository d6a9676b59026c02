"""tools/metrics.py: hit rank, recall@k and MRR@10 on rankings worked out by hand."""

from __future__ import annotations

import pytest

from tools.metrics import first_rank, rank_metrics


def test_first_rank_is_one_based_and_none_when_nothing_relevant_is_ranked() -> None:
    assert first_rank(["a", "b", "c"], {"b", "c"}) == 2
    assert first_rank(["a", "b", "c"], {"a"}) == 1
    assert first_rank(["a", "b", "c"], {"z"}) is None
    assert first_rank([], {"a"}) is None


def test_metrics_match_a_hand_computed_example() -> None:
    rankings = [
        [2, 0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11],  # gold 2 at rank 1
        [4, 3, 0, 1, 2, 5, 6, 7, 8, 9, 10, 11],  # gold 0 at rank 3
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],  # gold 11 at rank 12: beyond MRR@10
        [0, 1, 2, 3, 4, 6, 5, 7, 8, 9, 10, 11],  # golds 1 and 5 at ranks 2 and 7
    ]
    metrics = rank_metrics(rankings, [{2}, {0}, {11}, {1, 5}])
    assert metrics == pytest.approx({
        "R@1": (1 + 0 + 0 + 0) / 4,
        "R@5": (1 + 1 + 0 + 0.5) / 4,
        "R@10": (1 + 1 + 0 + 1) / 4,
        "MRR@10": (1 + 1 / 3 + 0 + 1 / 2) / 4,
    })


def test_a_relevant_item_below_the_depth_earns_nothing() -> None:
    assert rank_metrics([list(range(12))], [{10}]) == {"R@1": 0.0, "R@5": 0.0, "R@10": 0.0, "MRR@10": 0.0}


def test_a_short_ranking_and_other_cut_offs() -> None:
    metrics = rank_metrics([["x", "y"], []], [{"y"}, {"x"}], ks=(1, 2), mrr_depth=1)
    assert metrics == {"R@1": 0.0, "R@2": 0.5, "MRR@1": 0.0}
