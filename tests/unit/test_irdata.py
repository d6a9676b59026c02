"""tools/irdata.py: a benchmark folder read into passages and judged questions, on a hand-made folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.irdata import Question, load_benchmark


def _write(folder: Path, corpus: list[dict], queries: list[dict], qrels: list[str]) -> Path:
    folder.mkdir()
    (folder / "corpus.jsonl").write_text("".join(json.dumps(row) + "\n" for row in corpus), encoding="utf-8")
    (folder / "queries.jsonl").write_text("".join(json.dumps(q) + "\n" for q in queries) + "\n", encoding="utf-8")
    (folder / "qrels.tsv").write_text("".join(line + "\n" for line in qrels), encoding="utf-8")
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    corpus = [{"id": "p1", "title": "Fuji", "text": "Gunung Fuji tingginya 3776 meter."},
              {"id": "p2", "title": None, "text": "Tokyo adalah ibu kota Jepang."},
              {"id": "p3", "text": "Tokyo dulu bernama Edo."}]
    queries = [{"id": "q1", "text": "Berapa tinggi Gunung Fuji?", "answers": ["3776 meter"], "split": "train"},
               {"id": "q2", "text": "Apa nama lama ibu kota Jepang?", "answers": ["Edo"], "split": "test"},
               {"id": "q3", "text": "Siapa yang tidak dinilai?", "answers": [], "split": "valid"}]
    return _write(tmp_path / "tiny-id", corpus, queries, ["q1\tp1\t1", "q2\tp2\t1", "q2\tp3\t1"])


def test_passages_keep_corpus_order_and_a_missing_title_is_empty(folder: Path) -> None:
    bench = load_benchmark(folder)
    assert bench.name == "tiny-id"
    assert bench.ids == ("p1", "p2", "p3")
    assert bench.titles == ("Fuji", "", "")
    assert bench.texts[1] == "Tokyo adalah ibu kota Jepang."


def test_questions_carry_their_split_answers_and_every_relevant_passage(folder: Path) -> None:
    bench = load_benchmark(folder)
    assert bench.questions == (
        Question("q1", "Berapa tinggi Gunung Fuji?", "train", ("3776 meter",), frozenset({"p1"})),
        Question("q2", "Apa nama lama ibu kota Jepang?", "test", ("Edo",), frozenset({"p2", "p3"})),
    )  # q3 has no relevant passage: it cannot be scored, so it is not read


def test_a_split_selects_its_questions_and_none_selects_all(folder: Path) -> None:
    bench = load_benchmark(folder)
    assert [q.id for q in bench.split("test")] == ["q2"]
    assert [q.id for q in bench.split("valid")] == []
    assert [q.id for q in bench.split(None)] == ["q1", "q2"]


def test_every_missing_file_is_named(folder: Path) -> None:
    (folder / "qrels.tsv").unlink()
    (folder / "corpus.jsonl").unlink()
    with pytest.raises(FileNotFoundError, match=r"corpus\.jsonl, qrels\.tsv"):
        load_benchmark(folder)
