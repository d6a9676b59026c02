"""The whole answering core with the real bundled model on the small fixture knowledge base."""

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot.answer import Answer
from bot.pipeline import Pipeline
from embeddings.build import build_snapshot
from knowledge.loader import load_articles

pytestmark = pytest.mark.model
FIXTURE_KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"


@pytest.fixture(scope="module")
def snapshot(bundled_encoder):
    """Built as the bot builds it: with the scope model, fitted on the shipped examples (the fixture folder
    has none of its own) against this small knowledge base, with this model."""
    loaded = load_articles(FIXTURE_KB, today=date(2026, 11, 29))
    return build_snapshot(loaded.articles, bundled_encoder, scope=loaded.scope)[0]


def test_bundled_model_loads_offline_and_gives_unit_vectors(bundled_encoder):
    vectors = bundled_encoder.encode(["syarat magang", "SSW visa"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("kak syarat magang jepang apa aja?", "magang"),
        ("SSW boleh bawa keluarga gak?", "ssw"),
        ("cara daftar pelatihan di BLK gimana", "bpvp"),
        ("berapa lama tokutei ginou boleh tinggal di jepang", "ssw"),
        ("tes bahasa jepang buat ssw apa ya min", "ssw"),
        ("kalau ditipu calo soal biaya lapor kemana", "kontak"),
    ],
)
def test_informal_questions_find_the_right_article(snapshot, bundled_encoder, question, article):
    result = Pipeline().answer(snapshot, bundled_encoder, [question])[0]
    assert isinstance(result, Answer), f"declined: {question}"
    assert result.hits[0].passage.article == article


@pytest.mark.parametrize("question", ["resep nasi goreng", "jadwal sepak bola malam ini", "how to bake bread"])
def test_unrelated_questions_are_declined(snapshot, bundled_encoder, question):
    assert not Pipeline().answer(snapshot, bundled_encoder, [question])[0].answered
