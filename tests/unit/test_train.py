"""tools/train_minilm.py: scoring a score matrix and building training pairs (no training here), plus the tuned
model if present."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tools.irdata import load_benchmark
from tools.train_minilm import dense_scores, documents, training_examples

TUNED_MODEL = Path(__file__).resolve().parents[2] / "models" / "minilm-id"


def test_a_score_matrix_is_scored_as_its_rankings_with_ties_to_the_earlier_passage() -> None:
    scores = np.array([[0.2, 0.9, 0.9, 0.1],  # gold 2 ties with 1: rank 2
                       [0.5, 0.4, 0.3, 0.6]], dtype=np.float32)  # gold 0 at rank 2, gold 2 at rank 4
    metrics = dense_scores(scores, [{2}, {0, 2}])
    assert metrics == pytest.approx({"mrr@10": (1 / 2 + 1 / 2) / 2, "recall@1": 0.0, "recall@5": (1 + 1) / 2,
                                     "recall@10": 1.0})
    assert list(metrics) == ["mrr@10", "recall@1", "recall@5", "recall@10"]  # training.json's names and order


def _write_benchmark(folder: Path) -> Path:
    passages = {
        "p1": "Gunung Fuji adalah gunung tertinggi di Jepang dengan tinggi 3776 meter.",
        "p2": "Tokyo adalah ibu kota Jepang dan kota terbesar di negara itu.",
        "p3": "Gunung Semeru adalah gunung tertinggi di Pulau Jawa.",
        "p4": "Osaka terkenal dengan makanan takoyaki dan okonomiyaki.",
        "p5": "Ibu kota Indonesia adalah Jakarta, kota terbesar di Indonesia.",
        "p6": "Kyoto adalah ibu kota lama Jepang yang penuh kuil.",
    }
    queries = [
        ("q1", "Berapa tinggi gunung tertinggi di Jepang?", ["3776 meter"], "train", "p1"),
        ("q2", "Apa ibu kota Jepang?", ["Tokyo"], "train", "p2"),
        ("q3", "Apa makanan terkenal dari Osaka?", ["takoyaki"], "train", "p4"),
        ("q4", "apa ibu kota Indonesia", ["Jakarta"], "train", "p5"),  # same question as test q6 but for case/punctuation
        ("q5", "Gunung apa yang tertinggi di Pulau Jawa?", ["Semeru"], "valid", "p3"),
        ("q6", "Apa ibu kota Indonesia?", ["Jakarta"], "test", "p5"),
        ("q7", "Kota mana ibu kota lama Jepang?", ["Kyoto"], "test", "p6"),
    ]
    folder.mkdir()
    (folder / "corpus.jsonl").write_text(
        "".join(json.dumps({"id": pid, "title": "", "text": text}) + "\n" for pid, text in passages.items()))
    (folder / "queries.jsonl").write_text("".join(
        json.dumps({"id": qid, "text": text, "answers": answers, "split": split}) + "\n"
        for qid, text, answers, split, _ in queries))
    (folder / "qrels.tsv").write_text("".join(f"{qid}\t{pid}\t1\n" for qid, *_, pid in queries))
    return folder


@pytest.mark.parametrize("hard_negatives", [False, True])
def test_training_rows_come_from_train_questions_only(tmp_path: Path, hard_negatives: bool) -> None:
    bench = load_benchmark(_write_benchmark(tmp_path / "tiny-id"))
    rows, stats = training_examples(bench, hard_negatives=hard_negatives, seed=13)

    held_out = {question.text for question in bench.questions if question.split != "train"}
    assert {row["anchor"] for row in rows} == {
        "Berapa tinggi gunung tertinggi di Jepang?", "Apa ibu kota Jepang?", "Apa makanan terkenal dari Osaka?"}
    assert not {row["anchor"] for row in rows} & held_out
    assert rows[0]["positive"].startswith("Gunung Fuji")
    assert stats["train_questions"] == 3 and stats["dropped_as_held_out_duplicates"] == 1 and stats["pairs"] == 3
    assert all(set(row) == ({"anchor", "positive", "negative"} if hard_negatives else {"anchor", "positive"}) for row in rows)


def test_hard_negatives_are_lexical_neighbours_but_never_gold_or_held_out(tmp_path: Path) -> None:
    bench = load_benchmark(_write_benchmark(tmp_path / "tiny-id"))
    rows, stats = training_examples(bench, hard_negatives=True, seed=13)
    by_anchor = {row["anchor"]: row for row in rows}
    passages = dict(zip(bench.ids, documents(bench)))
    held_out_gold = {passages[pid] for pid in ("p3", "p5", "p6")}

    # Semeru shares "gunung tertinggi" but is gold for a valid question, so it may not be used
    fuji = by_anchor["Berapa tinggi gunung tertinggi di Jepang?"]
    assert fuji["negative"] != fuji["positive"] and fuji["negative"] not in held_out_gold
    assert by_anchor["Apa ibu kota Jepang?"]["negative"] not in held_out_gold | {passages["p2"]}
    assert all(row["negative"] not in held_out_gold for row in rows)
    assert stats["hard_negatives"] + stats["random_negatives"] == 3


@pytest.mark.model
@pytest.mark.skipif(not TUNED_MODEL.is_dir(), reason="models/minilm-id not trained yet (python -m tools.train_minilm)")
def test_tuned_model_loads_offline_and_matches_questions_to_their_passages() -> None:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(TUNED_MODEL), device="cpu", local_files_only=True)
    vectors = model.encode(["Berapa gaji pekerja magang di Jepang?", "Dokumen apa saja untuk visa kerja?"],
                           normalize_embeddings=True)
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)

    questions = ["Berapa jam kerja maksimal per minggu untuk pekerja di Jepang?",
                 "Di mana saya bisa mengambil ujian bahasa Jepang JLPT di Indonesia?",
                 "Apa yang harus dilakukan jika majikan tidak membayar gaji?"]
    passages = ["Undang-undang ketenagakerjaan Jepang membatasi jam kerja menjadi 40 jam per minggu dan 8 jam per hari.",
                "Ujian JLPT di Indonesia diadakan di Jakarta, Bandung, Surabaya, dan beberapa kota lain setiap Juli dan Desember.",
                "Jika gaji tidak dibayar, pekerja dapat melapor ke Kantor Pengawas Standar Ketenagakerjaan setempat."]
    q = model.encode(questions, normalize_embeddings=True)
    p = model.encode(passages, normalize_embeddings=True)
    similarity = q @ p.T
    for i in range(3):
        assert similarity[i, i] > max(similarity[i, j] for j in range(3) if j != i), similarity
