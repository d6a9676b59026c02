"""tools/answer_sentences.py: labelled examples from a benchmark folder, and each method's share of questions
whose chosen sentence holds the answer, on a hand-made folder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.sentences import FEATURES, SentenceSelector
from tests.fakes import FakeEncoder
from tools.answer_sentences import (accuracy, answer_labels, answer_sentence_table, build_examples, choices,
                                    scores)
from tools.irdata import load_benchmark


@pytest.fixture
def bench(tmp_path: Path):
    folder = tmp_path / "tiny-id"
    folder.mkdir()
    corpus = [{"id": "p1", "text": "Gunung Fuji ada di Jepang. Tingginya 3776 meter. Gunung Fuji sering didaki."},
              {"id": "p2", "text": "Tokyo adalah ibu kota Jepang. Dulu Tokyo bernama Edo."}]
    queries = [{"id": "q1", "text": "Berapa tinggi Gunung Fuji?", "answers": ["3776 meter"], "split": "test"},
               {"id": "q2", "text": "Apa nama lama Tokyo?", "answers": ["edo"], "split": "test"},
               {"id": "q3", "text": "Di mana Gunung Fuji?", "answers": ["Jepang"], "split": "train"}]
    (folder / "corpus.jsonl").write_text("".join(json.dumps(row) + "\n" for row in corpus), encoding="utf-8")
    (folder / "queries.jsonl").write_text("".join(json.dumps(row) + "\n" for row in queries), encoding="utf-8")
    (folder / "qrels.tsv").write_text("q1\tp1\t1\nq2\tp2\t1\nq3\tp1\t1\n", encoding="utf-8")
    return load_benchmark(folder)


def test_a_sentence_is_labelled_by_the_answer_strings_it_contains():
    assert list(answer_labels(["Tingginya 3776 meter.", "Dulu bernama Edo."], ["3776 METER", " "])) == [True, False]


def test_examples_hold_the_gold_passages_sentences_and_their_labels(bench):
    examples = build_examples(bench, ("test", "train"), FakeEncoder())
    first, second = examples["test"]
    assert first.sentences == ("Gunung Fuji ada di Jepang.", "Tingginya 3776 meter.", "Gunung Fuji sering didaki.")
    assert list(first.labels) == [False, True, False] and first.kind == "amount"
    assert list(second.labels) == [False, True] and second.kind == "what"  # case-insensitive: "edo" in "Edo"
    assert first.features.shape == (3, len(FEATURES))
    assert [e.kind for e in examples["train"]] == ["where"]


def test_each_method_is_scored_on_the_sentence_it_picks(bench):
    examples = build_examples(bench, ("test",), FakeEncoder())["test"]
    assert choices(examples, "first") == [0, 0] and accuracy(examples, [0, 0]) == 0.0
    assert accuracy(examples, [1, 1]) == 1.0
    overlap = choices(examples, "overlap")
    assert overlap[0] in (0, 2)  # "gunung fuji" is all the question and the first and last sentence share
    assert choices(examples, "random") == choices(examples, "random")  # seeded
    prefers_numbers = SentenceSelector(np.eye(len(FEATURES))[FEATURES.index("amount:number")].astype(np.float32),
                                       0.0, FEATURES)
    assert choices(examples, "selector", prefers_numbers)[0] == 1
    measured = scores(examples, prefers_numbers)
    assert set(measured) == {"first", "overlap", "random", "selector"} and measured["first"] == 0.0
    assert set(scores(examples, None)) == {"first", "overlap", "random"}


def test_the_table_has_a_row_per_benchmark_and_split(bench):
    examples = build_examples(bench, ("test",), FakeEncoder())["test"]
    table = answer_sentence_table({("tiny-id", "test"): examples}, None)
    assert table.columns[-1] == "random (seed 0)"  # no selector, no selector column
    assert table.rows[0][:3] == ("tiny-id", "test", 2) and table.rows[0][3] == pytest.approx(2.5)
    assert "| tiny-id | test | 2 |" in table.markdown()


def test_the_benchmark_report_gets_both_benchmarks_with_the_shipped_selector(bench, tmp_path):
    """What tools/bench calls: both benchmarks' test questions, all four methods."""
    import shutil

    from tools.answer_sentences import BENCHMARKS, benchmark_answer_sentences

    root = tmp_path / "benchmarks"
    for name in BENCHMARKS:
        shutil.copytree(tmp_path / "tiny-id", root / name)
    table = benchmark_answer_sentences(root, FakeEncoder())
    assert [row[:3] for row in table.rows] == [(name, "test", 2) for name in BENCHMARKS]
    assert table.columns[-1] == "selector (ours)" and all(0 <= row[-1] <= 1 for row in table.rows)
