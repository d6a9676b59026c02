"""tools/plain_bm25.py: the plain baseline ranks by shared words, and nothing that shares none."""

from __future__ import annotations

from tools.plain_bm25 import PlainBM25, words

TEXTS = ["Kucing makan ikan.", "Anjing makan tulang.", "Kucing, kucing!", "Burung terbang.", "Kucing makan ikan."]


def test_words_are_lowercased_letters_and_digits() -> None:
    assert words("Gaji SSW-2 naik 10%?") == ["gaji", "ssw", "2", "naik", "10"]


def test_a_text_using_the_word_more_often_ranks_first_and_texts_without_it_not_at_all() -> None:
    ranked = PlainBM25(TEXTS).rank("KUCING", 10)
    assert [row for row, _ in ranked] == [2, 0, 4]  # 0 and 4 are the same text: the earlier row first
    assert ranked[1][1] == ranked[2][1] > 0


def test_k_cuts_the_ranking_and_unknown_words_find_nothing() -> None:
    bm25 = PlainBM25(TEXTS)
    assert [row for row, _ in bm25.rank("makan ikan", 1)] == [0]
    assert bm25.rank("pesawat", 10) == []
    assert bm25.rank("", 10) == []
