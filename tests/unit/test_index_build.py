"""Building, publishing, loading and rebuilding snapshots, with the fake encoder (no model)."""

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot.knowledge_base import KnowledgeBase
from embeddings.build import build_snapshot
from embeddings.store import EmbeddingCache, IndexMismatch, IndexStore
from knowledge.loader import load_articles
from tests.fakes import FakeEncoder, search

FIXTURE_KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
TODAY = date(2026, 11, 29)


@pytest.fixture
def kb_dir(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, folder)
    return folder


def make_kb(kb_dir, data_dir, encoder, model="fake-encoder"):
    return KnowledgeBase(kb_dir, data_dir, model, lambda: encoder, today=lambda: TODAY)


def test_build_indexes_every_passage_and_finds_by_keyword():
    articles = load_articles(FIXTURE_KB, today=TODAY).articles
    snapshot, stats = build_snapshot(articles, FakeEncoder())
    assert stats.passages == len(snapshot.passages) == snapshot.manifest.passages > len(articles)
    assert stats.embedded == stats.passages
    hits = search(snapshot, "berapa lama SSW boleh tinggal, boleh bawa keluarga?", FakeEncoder())
    assert hits[0].passage.article == "ssw"
    assert hits[0].passage.section.startswith("Berapa lama")


def test_publish_then_load_gives_the_same_search_results(tmp_path):
    articles = load_articles(FIXTURE_KB, today=TODAY).articles
    encoder = FakeEncoder()
    snapshot, _ = build_snapshot(articles, encoder)
    store = IndexStore(tmp_path)
    store.publish(snapshot)
    loaded = store.load("fake-encoder")
    assert loaded.manifest == snapshot.manifest
    assert loaded.passages == snapshot.passages
    assert dict(loaded.articles) == dict(snapshot.articles)
    question = "cara daftar pelatihan BLK"
    assert [h.passage.id for h in search(loaded, question, encoder)] == [h.passage.id for h in search(snapshot, question, encoder)]


def test_an_index_from_another_model_is_refused(tmp_path):
    snapshot, _ = build_snapshot(load_articles(FIXTURE_KB, today=TODAY).articles, FakeEncoder())
    store = IndexStore(tmp_path)
    store.publish(snapshot)
    with pytest.raises(IndexMismatch, match="fake-encoder"):
        store.load("another-model")


@pytest.mark.parametrize(("field", "value", "reason"), [("tokenizer", "older", "another tokenizer"),
                                                         ("format", 1, "format 1")])
def test_an_index_from_an_older_version_is_refused_and_rebuilt(kb_dir, tmp_path, field, value, reason):
    """After an upgrade that changes stop words, stemming or what a passage is indexed as, the old index
    must not be served."""
    snapshot, _ = build_snapshot(load_articles(FIXTURE_KB, today=TODAY).articles, FakeEncoder())
    old = dataclasses.replace(snapshot, manifest=dataclasses.replace(snapshot.manifest, **{field: value}))
    IndexStore(tmp_path / "data").publish(old)
    with pytest.raises(IndexMismatch, match=reason):
        IndexStore(tmp_path / "data").load("fake-encoder")
    kb = make_kb(kb_dir, tmp_path / "data", FakeEncoder())
    assert kb.open().published  # rebuilt at start
    assert IndexStore(tmp_path / "data").load("fake-encoder").manifest.tokenizer == snapshot.manifest.tokenizer


def test_a_truncated_index_is_detected(tmp_path):
    snapshot, _ = build_snapshot(load_articles(FIXTURE_KB, today=TODAY).articles, FakeEncoder())
    store = IndexStore(tmp_path)
    version = store.publish(snapshot)
    vectors = tmp_path / "index" / version / "vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:100])
    with pytest.raises(IndexMismatch, match="damaged"):
        store.load("fake-encoder")


def test_rebuild_after_editing_one_article_embeds_only_its_changed_passages(kb_dir, tmp_path):
    encoder = FakeEncoder()
    kb = make_kb(kb_dir, tmp_path / "data", encoder)
    first = kb.open()
    assert first.published and first.embedded == first.passages
    magang = kb_dir / "magang.md"
    magang.write_text(magang.read_text().replace("paling lama 5 tahun", "paling lama lima tahun"))
    encoder.embedded.clear()

    fresh = make_kb(kb_dir, tmp_path / "data", encoder)  # a new process: the cache is on disk
    fresh.snapshot = fresh.store.load("fake-encoder")
    report = fresh.rebuild()
    assert report.published
    assert report.changed == ("Magang ke Jepang (TITP) singkat",)
    assert report.added == report.removed == ()
    assert report.embedded == 1  # passages
    assert len(encoder.embedded) == 2 and all("lima tahun" in text for text in encoder.embedded)  # and its sentence


def test_reload_reports_added_and_removed_articles(kb_dir, tmp_path):
    kb = make_kb(kb_dir, tmp_path / "data", FakeEncoder())
    kb.open()
    (kb_dir / "bpvp.md").unlink()
    (kb_dir / "baru.txt").write_text("judul: Berita baru soal visa\nPemerintah Jepang mengumumkan aturan visa baru untuk pekerja asing pada 2 Juni 2025. "
                                       "Aturan itu berlaku untuk semua bidang kerja dan diumumkan oleh kantor imigrasi di Tokyo.")
    report = kb.rebuild()
    assert report.published, report.problems
    assert report.added == ("Berita baru soal visa",)
    assert report.removed == ("Pelatihan di BPVP",)


def test_invalid_article_keeps_the_old_index(kb_dir, tmp_path):
    kb = make_kb(kb_dir, tmp_path / "data", FakeEncoder())
    kb.open()
    before = kb.snapshot
    version = kb.store.current_version()
    (kb_dir / "rusak.md").write_text("---\ntitle: Rusak\n---\nTanpa sumber dan tanggal.")
    report = kb.rebuild()
    assert not report.published
    assert {problem.file for problem in report.problems} == {"rusak.md"}
    assert kb.snapshot is before
    assert kb.store.current_version() == version


def test_open_rebuilds_when_the_model_changed(kb_dir, tmp_path):
    make_kb(kb_dir, tmp_path / "data", FakeEncoder()).open()
    other = FakeEncoder(dimension=32, name="other-model")
    kb = make_kb(kb_dir, tmp_path / "data", other, model="other-model")
    report = kb.open()
    assert report is not None and report.published
    assert kb.snapshot.manifest.model == "other-model" and kb.snapshot.manifest.dimension == 32


def test_a_half_written_version_is_never_loaded(kb_dir, tmp_path):
    kb = make_kb(kb_dir, tmp_path / "data", FakeEncoder())
    kb.open()
    good = kb.store.current_version()
    # a build killed halfway leaves only a staging folder behind
    (kb.store.root / ".tmp-20990101-killed").mkdir()
    (kb.store.root / ".tmp-20990101-killed" / "passages.jsonl").write_text("{broken")
    assert kb.store.current_version() == good
    assert kb.store.load("fake-encoder").manifest.corpus_hash == kb.snapshot.manifest.corpus_hash


def test_embedding_cache_round_trips_per_model(tmp_path):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    vector = np.arange(4, dtype=np.float32)
    cache.put_many("m1", [("h1", vector)])
    assert np.array_equal(cache.get_many("m1", ["h1", "h2"])["h1"], vector)
    assert cache.get_many("m2", ["h1"]) == {}


def test_a_rebuild_chunks_and_tokenises_only_the_edited_article(monkeypatch):
    import dataclasses

    import embeddings.build as build

    chunked, tokenised = [], []
    real_split, real_tokenize = build.split_into_passages, build.tokenize
    monkeypatch.setattr(build, "split_into_passages", lambda a: chunked.append(a.slug) or real_split(a))
    monkeypatch.setattr(build, "tokenize", lambda text: tokenised.append(text) or real_tokenize(text))
    build._passages_of.cache_clear()
    build._tokens_of.cache_clear()
    articles = load_articles(FIXTURE_KB, today=TODAY).articles
    first, _ = build_snapshot(articles, FakeEncoder())
    assert sorted(chunked) == sorted(a.slug for a in articles) and len(tokenised) == len(first.passages)

    chunked.clear(), tokenised.clear()
    edited = [dataclasses.replace(a, body=a.body + "\n\nKode pendaftaran ZX81Q wajib dibawa.") if a.slug == "ssw" else a
              for a in articles]
    second, _ = build_snapshot(edited, FakeEncoder())
    assert chunked == ["ssw"]
    assert 1 <= len(tokenised) <= sum(p.article == "ssw" for p in second.passages)
    new = [p.id for p in second.passages if "ZX81Q" in p.text]
    assert len(new) == 1 and search(second, "kode ZX81Q", FakeEncoder())[0].passage.id == new[0]


def test_a_reload_splits_into_sentences_only_the_edited_passages(monkeypatch):
    """The live snapshot hands its split to the next build, and the build its own to the snapshot it makes:
    splitting a 10k-passage base again cost every reload half a second (docs/benchmarks.md)."""
    import embeddings.build as build
    import embeddings.snapshot as snapshot_module

    split = []
    for module in (build, snapshot_module):
        real = module.split_sentences
        monkeypatch.setattr(module, "split_sentences", lambda text, real=real: split.append(text) or real(text))
    build._sentences_of.cache_clear()
    articles = load_articles(FIXTURE_KB, today=TODAY).articles
    first, _ = build_snapshot(articles, FakeEncoder())
    split.clear()
    edited = [dataclasses.replace(a, body=a.body + "\n\nKode pendaftaran ZX81Q wajib dibawa.") if a.slug == "ssw" else a
              for a in articles]
    second, _ = build_snapshot(edited, FakeEncoder(), previous=first)
    assert any("ZX81Q" in s for sentences in second.sentences for s in sentences)
    assert split and all("ZX81Q" in text for text in split)


def test_only_the_first_passage_of_a_section_opens_it():
    """The selector reads a heading as the question a section's first sentence answers; a long section's later
    passages start mid-section, and their first sentence answers nothing the heading asks."""
    long_section = " ".join(f"Kalimat nomor {i} tentang syarat kerja di Jepang yang cukup panjang." for i in range(60))
    body = "## Apa syarat kerja di Jepang?\n\n" + long_section + "\n\n## Lain\n\n" + long_section
    article = dataclasses.replace(load_articles(FIXTURE_KB, today=TODAY).articles[0], body=body)
    snapshot, _ = build_snapshot([article], FakeEncoder())
    sections = [p.section for p in snapshot.passages]
    assert sections.count("Apa syarat kerja di Jepang?") >= 2
    opens = [snapshot.opens_section(p) for p in snapshot.passages]
    assert opens == [i == 0 or sections[i] != sections[i - 1] for i in range(len(sections))]


def test_the_selector_reads_the_heading_of_a_passage_that_opens_its_section():
    from bot.candidates import passage_features
    from bot.pipeline import Pipeline
    from bot.sentences import FEATURES, QuestionCues

    snapshot, _ = build_snapshot(load_articles(FIXTURE_KB, today=TODAY).articles, FakeEncoder())
    found = Pipeline().retrieve(snapshot, FakeEncoder(), ["berapa lama boleh tinggal dengan SSW?"])[0].retrieved[0]
    cues = QuestionCues.of(found.query, snapshot.lexical.idf)
    heading = {hit.passage.id: passage_features(cues, hit, found, snapshot)[1][:, FEATURES.index("heading")]
               for hit in found.hits}
    assert any(column[0] > 0 for column in heading.values())
    assert all(not column[1:].any() and (snapshot.opens_section(snapshot.passage(pid)) or not column.any())
               for pid, column in heading.items())


def test_the_seed_news_text_under_its_own_file_name_is_answered_with_its_own_date_and_outlet(kb_dir):
    from bot.pipeline import Pipeline
    from bot.render import to_plain
    from tests.conftest import shared_path

    seed = shared_path("seeds", "000_b306bb71bdae2fe5.txt")
    shutil.copy(seed, kb_dir / seed.name)  # as pasted, under the name it came with
    loaded = load_articles(kb_dir, today=date(2026, 12, 4))
    assert loaded.problems == ()
    encoder = FakeEncoder()
    snapshot, _ = build_snapshot(loaded.articles, encoder)
    answer = Pipeline().answer(snapshot, encoder, ["apa hasil pertemuan Kemnaker dan JICA di Tokyo?"])[0]
    assert answer.answered and answer.hits[0].passage.article == "000-b306bb71bdae2fe5"
    assert (answer.sources[0].url, answer.sources[0].as_of) == ("https://jpnn.com", date(2024, 4, 22))
    assert "22 April 2024" in to_plain(answer)


def test_a_reload_publishes_but_reports_an_article_that_states_a_key_fact_differently(kb_dir, tmp_path):
    kb = make_kb(kb_dir, tmp_path / "data", FakeEncoder())
    kb.open()
    (kb_dir / "ikusei.md").write_text(
        "---\ntitle: Ikusei Shuro\nsources: [https://example.org/ikusei]\nas_of: 2026-11-01\nlang: id\n"
        "topics: [ikusei]\n---\n\n## Kapan mulai\n\nSistem Ikusei Shūrō mulai berlaku pada 1 April 2028 untuk semua "
        "pemagang baru yang berangkat ke Jepang.\n", encoding="utf-8")
    report = kb.rebuild()
    assert report.published
    assert [(c.file, c.field) for c in report.conflicts] == [("ikusei", "Ikusei Shūrō start date")]


def test_a_reload_takes_unchanged_passages_sentence_vectors_from_the_live_snapshot(kb_dir, tmp_path):
    encoder = FakeEncoder()
    kb = make_kb(kb_dir, tmp_path / "data", encoder)
    kb.open()
    magang = kb_dir / "magang.md"
    magang.write_text(magang.read_text().replace("paling lama 5 tahun", "paling lama lima tahun"))
    encoder.embedded.clear()
    kb.rebuild()
    assert all("lima tahun" in text for text in encoder.embedded)  # only the edited passage and its sentence
    rebuilt = build_snapshot(load_articles(kb_dir, today=date(2026, 12, 4)).articles, FakeEncoder())[0]
    assert np.array_equal(kb.snapshot.sentence_vectors, rebuilt.sentence_vectors)  # the same as from scratch
