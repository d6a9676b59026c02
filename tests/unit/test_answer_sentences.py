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


# --- our gold sets: the passages the bot reads, labelled by key facts -------------------------------------------

FIXTURE_KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"


@pytest.fixture(scope="module")
def fixture_snapshot():
    from datetime import date

    from embeddings.build import build_snapshot
    from knowledge.loader import load_articles

    return build_snapshot(load_articles(FIXTURE_KB, today=date(2026, 12, 4)).articles, FakeEncoder())[0]


def _gold(*questions):
    from tools.evaluate import EvalSet, GoldQuestion

    return EvalSet(tuple(GoldQuestion(text, ("magang",), facts) for text, facts in questions), ())


def test_gold_examples_label_the_sentences_of_each_passage_the_bot_reads_by_the_key_fact(fixture_snapshot):
    from tools.answer_sentences import gold_examples
    from tools.evaluate import search

    gold = _gold(("berapa tahun lama magang TITP?", ("5 tahun",)), ("resep nasi goreng enak gimana", ("bawang",)))
    asked, _ = search(fixture_snapshot, FakeEncoder(), gold)
    examples = gold_examples(fixture_snapshot, gold, asked)
    assert examples and {e.question for e in examples} == {"berapa tahun lama magang TITP?"}  # declined: no example
    assert all(e.kind == "amount" and e.features.shape == (len(e.sentences), len(FEATURES)) for e in examples)
    labelled = [s for e in examples for s, label in zip(e.sentences, e.labels) if label]
    assert any("paling lama 5 tahun" in s for s in labelled) and all("5 tahun" in s.lower() for s in labelled)
    assert len(labelled) < sum(len(e.sentences) for e in examples)


def test_training_scores_each_regularisation_on_each_set_left_out_and_fits_the_best_on_all(fixture_snapshot):
    from tools.answer_sentences import gold_examples
    from tools.evaluate import search
    from tools.train_selector import REGULARISATIONS, GoldSet, choose

    sets = []
    for name, questions in (("a", [("berapa tahun lama magang TITP?", ("5 tahun",))]),
                            ("b", [("syarat umum ikut magang apa?", ("sehat jasmani",))])):
        gold = _gold(*questions)
        asked, seconds = search(fixture_snapshot, FakeEncoder(), gold)
        sets.append(GoldSet(name, gold, asked, seconds, gold_examples(fixture_snapshot, gold, asked)))
    chosen, selector, tried = choose(fixture_snapshot, sets)
    assert [c for c, _ in tried] == list(REGULARISATIONS) and all(len(held) == 2 for _, held in tried)
    assert chosen in REGULARISATIONS and selector.features == FEATURES
    best = max(tried, key=lambda item: np.mean(item[1]))
    assert np.mean(best[1]) == max(np.mean(held) for _, held in tried)
    examples = [e for s in sets for e in s.examples if e.labels.any()]
    assert accuracy(examples, choices(examples, "selector", selector)) == 1.0  # it learnt what it was shown
