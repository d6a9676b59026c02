import pytest

from embeddings.fusion import RRF_K, min_max, reciprocal_rank_fusion, weighted_sum_fusion


def test_min_max_scales_to_unit_range():
    assert min_max({1: 2.0, 2: 4.0, 3: 3.0}) == {1: 0.0, 2: 1.0, 3: 0.5}
    assert min_max({1: 5.0, 2: 5.0}) == {1: 1.0, 2: 1.0}
    assert min_max({1: 0.0}) == {1: 0.0}
    assert min_max({}) == {}


def test_weighted_sum_orders_by_exact_fused_score():
    lexical = {10: 8.0, 11: 4.0, 12: 0.0}
    dense = {10: 0.2, 11: 0.6, 12: 0.4}
    fused = weighted_sum_fusion(lexical, dense, dense_weight=0.3)
    # lexical scaled: 10 -> 1, 11 -> .5, 12 -> 0; dense scaled: 10 -> 0, 11 -> 1, 12 -> .5
    assert [row for row, _ in fused] == [10, 11, 12]
    assert [round(score, 6) for _, score in fused] == [0.7, 0.65, 0.15]


def test_weighted_sum_lets_dense_win_when_weighted_up():
    fused = weighted_sum_fusion({10: 8.0, 11: 4.0}, {10: 0.2, 11: 0.6}, dense_weight=0.6)
    assert [row for row, _ in fused] == [11, 10]


def test_candidate_missing_from_one_side_counts_zero_there():
    fused = dict(weighted_sum_fusion({1: 3.0, 2: 1.0}, {3: 0.9, 1: 0.1}, dense_weight=0.5))
    assert fused[3] == pytest.approx(0.5)
    assert fused[1] == pytest.approx(0.5)
    assert fused[2] == pytest.approx(0.0)


def test_rrf_scores_and_order():
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1]])
    best = 2 / (RRF_K + 1)
    expected = {
        1: (1 / (RRF_K + 1) + 1 / (RRF_K + 2)) / best,
        3: (1 / (RRF_K + 3) + 1 / (RRF_K + 1)) / best,
        2: (1 / (RRF_K + 2)) / best,
    }
    assert [row for row, _ in fused] == [1, 3, 2]
    for row, score in fused:
        assert score == pytest.approx(expected[row])


def test_rrf_top_of_every_list_scores_one_and_weights_must_match():
    assert reciprocal_rank_fusion([[7], [7]])[0] == (7, pytest.approx(1.0))
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([[1], [2]], weights=[1.0])


def test_rrf_weights_shift_the_winner():
    assert reciprocal_rank_fusion([[1, 2], [2, 1]], weights=[1.0, 3.0])[0][0] == 2
