"""Keyword scoring of glossary concepts: all forms of a concept count as one term."""

from datetime import date

import pytest

from embeddings.build import build_snapshot
from embeddings.snapshot import UNKNOWN_WEIGHT
from knowledge.model import Article
from tests.fakes import FakeEncoder, search


def article(slug: str, body: str) -> Article:
    return Article(slug, slug.replace("-", " "), body, (f"https://example.org/{slug}",), date(2026, 11, 1), "id", ("magang",))


# "magang" is in every article (a common word); its synonym "jisshusei" (same glossary concept) in one only.
FILLER = [article(f"umum-{i}", f"## Bagian {i}\n\nInformasi magang nomor {i} tentang jadwal dan tempat kerja.")
          for i in range(8)]
REQUIREMENTS = article("syarat-magang", "## Syarat\n\nSyarat magang: umur minimal 18 tahun. Syarat magang lain: sehat.")
RARE_SYNONYM = article("asrama", "## Asrama\n\nJisshusei tinggal di asrama. Syarat asrama: bayar sewa sendiri.")


def test_a_rare_synonym_does_not_outweigh_the_workers_own_word():
    snapshot, _ = build_snapshot([*FILLER, REQUIREMENTS, RARE_SYNONYM], FakeEncoder())
    hits = search(snapshot, "syarat magang apa aja", FakeEncoder(), method="lexical")
    assert hits[0].passage.article == "syarat-magang"
    assert "asrama" in [hit.passage.article for hit in hits]  # the synonym still matches, ranked after


def test_a_concept_counts_once_however_many_of_its_forms_a_passage_lists():
    listing = article("daftar-istilah", "## Istilah\n\nMagang, pemagangan, TITP, jisshusei, trainee, internship.")
    answer = article("lama-magang", "## Lama\n\nLama magang paling lama lima tahun.")
    snapshot, _ = build_snapshot([*FILLER, listing, answer], FakeEncoder())
    hits = search(snapshot, "berapa lama magang", FakeEncoder(), method="lexical")
    assert hits[0].passage.article == "lama-magang"


def test_chat_particles_and_quoted_values_do_not_count_against_answering():
    """Coverage is what decides to answer: "tuh", "sih" and a worker's own height are not topics."""
    height = article("tinggi-badan", "## Tinggi badan\n\nTinggi badan minimal untuk magang biasanya 160 cm.")
    snapshot, _ = build_snapshot([*FILLER, height], FakeEncoder())
    plain = search(snapshot, "tinggi badan minimal magang", FakeEncoder())[0]
    chatty = search(snapshot, "tinggi badan minimal magang brp tuh kak? sy cm 155 sih", FakeEncoder())[0]
    assert chatty.passage.article == plain.passage.article == "tinggi-badan"
    assert chatty.confidence == plain.confidence == 1.0
    known_number = search(snapshot, "tinggi badan minimal 160 atau 155", FakeEncoder())[0]
    assert known_number.confidence == 1.0  # 160 is in the passage, 155 is not: both are values, not topics
    elsewhere = search(snapshot, "tinggi badan minimal magang 160 cm di korea", FakeEncoder())[0]
    assert elsewhere.confidence < 1.0  # an unknown word still counts against answering


def test_a_number_the_worker_quotes_does_not_pick_the_passage_that_happens_to_hold_it():
    """"umur 35 masih bisa magang?" asks about magang's age limit, not about SSW, whose passage cites 35."""
    magang = article("umur-magang", "## Umur magang\n\nUmur maksimal magang tidak ditetapkan Jepang.")
    ssw = Article("umur-ssw", "umur ssw", "## Umur SSW\n\nSitus LPK menulis batas umur SSW 35 atau 40 tahun.",
                  ("https://example.org/ssw",), date(2026, 11, 1), "id", ("ssw",))
    snapshot, _ = build_snapshot([*FILLER, magang, ssw], FakeEncoder())
    hits = search(snapshot, "umur 35 masih bisa magang gk?", FakeEncoder(), method="lexical")
    assert hits[0].passage.article == "umur-magang" and hits[0].confidence == 1.0


def test_a_year_is_a_topic_not_a_quoted_number():
    """"berangkat 2027 ikut ikusei atau magang?": the rules of 2027 are asked about, not any passage on magang."""
    ikusei = article("ikusei", "## Mulai kapan\n\nSistem baru pengganti magang berlaku mulai April 2027.")
    today = article("sistem-magang", "## Sistem\n\nSistem magang sekarang diatur undang-undang magang.")
    snapshot, _ = build_snapshot([*FILLER, ikusei, today], FakeEncoder())
    hits = {hit.passage.article: hit for hit in search(snapshot, "magang 2027 ikut sistem apa?", FakeEncoder(),
                                                       method="lexical")}
    assert hits["ikusei"].confidence == 1.0 > hits["sistem-magang"].confidence


def test_a_numbered_programme_level_is_a_topic_not_a_quoted_number():
    """Workers write "ssw 2", the articles "SSW (ii)": the glossary joins them, so the 2 is not a value."""
    level_two = Article("ssw-dua", "ssw dua", "## Keluarga\n\nPekerja SSW (ii) boleh membawa keluarga.",
                        ("https://example.org/ssw2",), date(2026, 11, 1), "id", ("ssw",))
    level_one = Article("ssw-satu", "ssw satu", "## Keluarga\n\nPekerja SSW (i) tidak boleh membawa keluarga.",
                        ("https://example.org/ssw1",), date(2026, 11, 1), "id", ("ssw",))
    snapshot, _ = build_snapshot([*FILLER, level_one, level_two], FakeEncoder())
    hits = search(snapshot, "ssw 2 boleh bawa keluarga?", FakeEncoder(), method="lexical")
    assert hits[0].passage.article == "ssw-dua"


def test_a_titles_table_of_contents_does_not_make_every_section_an_answer():
    """"Hak pekerja: gaji, lama tinggal" lists the sections; only the section about pay answers about pay."""
    rights = Article("hak-pekerja", "Hak pekerja SSW: gaji, lama tinggal",
                     "## Berapa lama boleh tinggal?\n\nPekerja boleh tinggal paling lama lima tahun.\n\n"
                     "## Berapa gajinya?\n\nGaji pekerja sama dengan pekerja Jepang.",
                     ("https://example.org/hak",), date(2026, 11, 1), "id", ("ssw",))
    snapshot, _ = build_snapshot([*FILLER, rights], FakeEncoder())
    stay = next(p for p in snapshot.passages if p.section.startswith("Berapa lama"))
    assert "gaji" not in stay.indexed_text and stay.indexed_text.startswith("Hak pekerja SSW — ")
    hits = search(snapshot, "gaji pekerja ssw", FakeEncoder())
    assert hits[0].passage.section == "Berapa gajinya?"
    assert next(h for h in hits if h.passage == stay).confidence < 1.0


def test_an_unknown_word_counts_against_answering_less_than_a_missing_known_one():
    """A word no passage has is as often a worker's story as a topic we lack: it weighs UNKNOWN_WEIGHT of
    its IDF. A concept weighs what its most common name weighs, so an English word with an Indonesian
    name in the glossary ("ticket" for "tiket") weighs as that name does, not as an unknown word."""
    ticket = article("tiket", "## Tiket\n\nTiket pesawat pekerja SSW dibayar perusahaan.")
    jadwal = article("jadwal", "## Jadwal\n\nJadwal magang diumumkan perusahaan.")
    snapshot, _ = build_snapshot([*FILLER, ticket, jadwal], FakeEncoder())
    idf = snapshot.lexical.idf
    with_unknown = search(snapshot, "tiket pesawat pekerja ssw bingung", FakeEncoder())[0]
    assert with_unknown.passage.article == "tiket"
    known = sum(idf(word) for word in ("tiket", "pesawat", "kerja", "ssw"))
    assert with_unknown.confidence == pytest.approx(known / (known + UNKNOWN_WEIGHT * idf("bingung")))
    english = search(snapshot, "who pays the flight ticket for ssw", FakeEncoder())[0]
    assert english.passage.article == "tiket" and english.confidence == pytest.approx(1.0)


def test_an_english_question_is_covered_by_the_indonesian_passage_that_answers_it():
    """Its frame words ("I'm not sure and a bit worried") and its everyday words ("unused", "leave", "home")
    must not weigh against the Indonesian passage: only the topic counts."""
    leave = article("cuti", "## Sisa cuti\n\nSisa cuti yang belum dipakai hangus dua tahun setelah diberikan, "
                            "juga bila pekerja pulang.")
    english = article("overview-en", "## Overview\n\nWhat kind of action can workers take? Ask your "
                                     "company after you arrive.")
    snapshot, _ = build_snapshot([*FILLER, leave, english], FakeEncoder())
    hit = search(snapshot, "I'm not sure and a bit worried: can I still get my unused leave after I "
                           "go home?", FakeEncoder(), method="lexical")[0]
    assert hit.passage.article == "cuti"
    assert hit.confidence == 1.0
