"""The scope model: fitted on labelled questions when the index is built, stored with it, and able to decline
a question whose words match passages but whose subject is not the bot's."""

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot.decision import MIN_IN_DOMAIN
from embeddings.build import build_snapshot
from embeddings.scope import REGULARISATION, ScopeModel, feature_count, scope_features
from embeddings.store import IndexStore
from knowledge.loader import SCOPE_FILE, load_articles, load_scope_examples
from knowledge.model import ScopeExamples
from tests.fakes import FakeEncoder
from tests.fakes import compose_from_hits as compose_answer
from tests.unit.test_answer import ARTICLES, CONTACT_FEE, SSW_STAY, hit, idf

FIXTURE_KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
TODAY = date(2026, 11, 29)
EXAMPLES = ScopeExamples(
    in_scope=("syarat magang ke jepang apa", "biaya ssw berapa", "gaji pemagang di jepang", "cara daftar ssw",
              "lpk minta uang jaminan boleh", "ujian jft basic dimana", "kerja di jepang butuh visa apa"),
    out_of_scope=("skor timnas lawan jepang", "resep ramen enak", "harga bitcoin hari ini", "anime terbaru musim ini",
                  "cara jawab soal matematika", "jadwal sepak bola malam ini", "cuaca tokyo besok"),
)


def test_the_model_separates_what_it_was_shown():
    rng = np.random.default_rng(0)
    ours, others = rng.normal(1.0, 0.3, (40, 8)), rng.normal(-1.0, 0.3, (40, 8))
    model = ScopeModel.fit(ours, others)
    assert (model.in_domain(ours) > 0.5).all() and (model.in_domain(others) < 0.5).all()
    restored = ScopeModel.from_array(model.to_array())
    assert np.allclose(restored.in_domain(ours), model.in_domain(ours), atol=1e-6)


def test_a_confident_answer_is_still_declined_when_the_question_is_not_ours():
    confident = [hit(SSW_STAY, 1.0, 0.9)]
    assert compose_answer("berapa lama SSW tinggal", confident, ARTICLES, idf, in_domain=0.9).answered
    declined = compose_answer("berapa lama SSW tinggal", confident, ARTICLES, idf, in_domain=MIN_IN_DOMAIN / 2)
    assert not declined.answered and declined.reason == "scope"
    assert compose_answer("berapa lama SSW tinggal", confident, ARTICLES, idf, in_domain=None).answered


def test_a_question_that_is_not_ours_is_not_sent_to_a_contact():
    """The contact that shares its words ("biaya") is no place to ask about something we do not cover."""
    unsure = compose_answer("biaya SSW berapa", [hit(SSW_STAY, 1.0, 0.1)], ARTICLES, idf, [CONTACT_FEE],
                            in_domain=0.9)
    assert unsure.where_to_ask  # ours, but not covered well enough: ask the fee contact
    off_topic = compose_answer("biaya SSW berapa", [hit(SSW_STAY, 1.0, 0.9)], ARTICLES, idf, [CONTACT_FEE],
                               in_domain=MIN_IN_DOMAIN / 2)
    assert not off_topic.answered and not off_topic.where_to_ask and not off_topic.sources


def test_build_fits_the_model_and_the_store_keeps_it(tmp_path):
    articles = load_articles(FIXTURE_KB, today=TODAY).articles
    encoder = FakeEncoder()
    snapshot, _ = build_snapshot(articles, encoder, scope=EXAMPLES)
    without, _ = build_snapshot(articles, encoder)
    assert without.scope is None and snapshot.scope is not None
    assert snapshot.manifest.scope_hash and not without.manifest.scope_hash
    queries = [snapshot.prepare(q) for q in ("resep ramen enak", "syarat magang ke jepang")]
    vectors = snapshot.encode(queries, encoder)

    def in_domain(searched):
        return [found.in_domain for found in searched.retrieve(queries, vectors)]

    off_topic, ours = in_domain(snapshot)
    assert off_topic < MIN_IN_DOMAIN < ours
    assert in_domain(without) == [None, None]
    store = IndexStore(tmp_path)
    store.publish(snapshot)
    assert in_domain(store.load("fake-encoder")) == pytest.approx([off_topic, ours], abs=1e-6)


def test_the_model_reads_the_embedding_and_how_well_the_question_is_covered():
    features = scope_features(np.ones((2, 4)) / 2, coverage=[0.9, 0.1], similarity=[0.6, 0.2])
    assert features.shape == (2, feature_count(4))
    assert features[0, 4] > features[1, 4] and features[0, 5] > features[1, 5]


def test_the_knowledge_folder_may_bring_its_own_examples(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, folder)
    shipped = load_articles(folder, today=TODAY).scope
    assert shipped.in_scope and shipped.out_of_scope  # a folder without scope.yaml uses the shipped one
    (folder / SCOPE_FILE).write_text('in_scope: ["syarat ssw"]\nout_of_scope:\n  - q: "resep ramen"\n',
                                     encoding="utf-8")
    assert load_articles(folder, today=TODAY).scope == ScopeExamples(("syarat ssw",), ("resep ramen",))


@pytest.mark.parametrize("text", ["in_scope: [a]\n", "in_scope: a\nout_of_scope: [b]\n",
                                  "in_scope: [a]\nout_of_scope: [{kind: harmful}]\n", "- a\n- b\n", "in_scope: [\n"])
def test_a_broken_scope_file_is_a_problem_the_admin_sees(tmp_path, text):
    path = tmp_path / SCOPE_FILE
    path.write_text(text, encoding="utf-8")
    examples, problems = load_scope_examples(path)
    assert examples == ScopeExamples() and len(problems) == 1 and problems[0].file == SCOPE_FILE


def test_the_fit_is_scikit_learns_logistic_regression():
    """Written in numpy so the bot never loads scikit-learn; it must still be exactly that model."""
    linear_model = pytest.importorskip("sklearn.linear_model")
    rng = np.random.default_rng(1)
    ours, others = rng.normal(0.2, 1.0, (60, 10)), rng.normal(-0.2, 1.0, (30, 10))
    model = ScopeModel.fit(ours, others)
    reference = linear_model.LogisticRegression(C=REGULARISATION, class_weight="balanced", tol=1e-10, max_iter=10_000)
    reference.fit(np.vstack([ours, others]), np.r_[np.ones(60), np.zeros(30)])
    assert np.allclose(model.weights, reference.coef_[0], atol=1e-4)
    assert model.bias == pytest.approx(reference.intercept_[0], abs=1e-4)


def test_a_reload_keeps_the_scope_model_unless_its_examples_change():
    """Fitting searches every example; an article edit must not pay for that, new examples must."""
    articles = load_articles(FIXTURE_KB, today=TODAY).articles
    first, _ = build_snapshot(articles, FakeEncoder(), scope=EXAMPLES)
    encoder = FakeEncoder()
    reloaded, _ = build_snapshot(articles[1:], encoder, scope=EXAMPLES, previous=first)
    assert reloaded.scope is first.scope and encoder.calls == 1  # passages; sentences kept, no examples
    more = ScopeExamples(EXAMPLES.in_scope, (*EXAMPLES.out_of_scope, "lagu jepang paling hits"))
    refitted, _ = build_snapshot(articles, encoder, scope=more, previous=first)
    assert encoder.calls == 3  # passages and now the examples
    assert refitted.scope is not first.scope and refitted.manifest.scope_hash != first.manifest.scope_hash
    assert build_snapshot(articles, FakeEncoder(), scope=EXAMPLES)[0].scope is not first.scope  # from scratch
