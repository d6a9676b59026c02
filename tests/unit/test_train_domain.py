"""Stage two's training data: each gold question paired with the passage holding its fact and a wrong one."""

from datetime import date
from pathlib import Path

import pytest

from embeddings.build import build_snapshot
from knowledge.loader import load_articles
from tests.fakes import FakeEncoder
from tools.train_domain import Asking, gold_questions, triplets

FIXTURE_KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
ENCODER = FakeEncoder()


@pytest.fixture(scope="module")
def snapshot():
    return build_snapshot(load_articles(FIXTURE_KB, today=date(2026, 12, 4)).articles, ENCODER)[0]


def test_a_question_is_paired_with_the_passage_of_its_fact_and_the_best_ranked_one_without_it(snapshot):
    asked = [Asking("SSW boleh bawa keluarga ga?", None, ("tidak boleh membawa keluarga",))]
    rows, stats = triplets(snapshot, ENCODER, asked)
    assert stats["fact_in_hits"] == 1 and len(rows) == 1
    row = rows[0]
    assert "tidak boleh membawa keluarga" in row["positive"] and "tidak boleh membawa keluarga" not in row["negative"]
    assert row["positive"].count(" — ") == 2  # as indexed: the article's subject, the heading, the text
    assert row["anchor"] == snapshot.prepare("SSW boleh bawa keluarga ga?").expanded  # as the encoder sees it


def test_a_follow_up_is_trained_on_as_the_bot_understands_it(snapshot):
    rows, _ = triplets(snapshot, ENCODER, [Asking("kalau bawa keluarga?", "syarat bahasa jepang buat ssw apa", (
        "tidak boleh membawa keluarga",))])
    assert "ssw" in rows[0]["anchor"].lower()  # the subject carried from the question before


def test_a_fact_no_passage_holds_gives_no_row(snapshot):
    rows, stats = triplets(snapshot, ENCODER, [Asking("gaji SSW berapa?", None, ("a fact no article has",))])
    assert rows == [] and stats["no_fact_passage"] == 1


def test_held_out_sets_are_never_read(tmp_path: Path):
    (tmp_path / "old.yaml").write_text('questions:\n  - q: "syarat ssw?"\n    articles: [ssw]\n    fact: ["N4"]\n',
                                       encoding="utf-8")
    (tmp_path / "blind.yaml").write_text('questions:\n  - q: "umur magang?"\n    articles: [m]\n    fact: ["18"]\n',
                                         encoding="utf-8")
    asked, used = gold_questions(tmp_path, hold_out=["blind"])
    assert used == ["old"] and [a.text for a in asked] == ["syarat ssw?"] and asked[0].facts == ("N4",)
