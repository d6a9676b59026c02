"""Sentences, tokens and the language guess: the shared ground of chunking, BM25 and answers."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.text import detect_language, split_sentences, tokenize

WORD = re.compile(r"[^\W_]+")

# Text made mostly of the characters sentence splitting cares about, so examples hit the edge cases.
PIECES = [*"aZé1 .?!…\"'”\n-*#|()[]_`,:/@", "Rp", "No.", "dll.", "s.d.", "https://x.id/a.b", "word "]
messy_text = st.lists(st.sampled_from(PIECES)).map("".join)


@pytest.mark.parametrize(
    "sentences",
    [
        ["Gaji naik.", "Biaya turun."],
        ["Biayanya Rp1.500.000 per orang.", "Sudah termasuk tes."],
        ["Nilai minimal 1,5 poin dan kuota 3.000 orang.", "Cukup."],
        ["Tes dibuka 22/4/2024 di Bekasi.", "Daftar sekarang."],
        ["Bawa paspor, KTP, dll.", "Setelah itu antre."],
        ["Bawa paspor, KTP, dll. dan fotokopi."],
        ["Kantor di Jl. Sudirman No. 12 buka pagi.", "Datang jam 8."],
        ["Bayar Rp. 50.000 a.n. Bpk. Budi s.d. Jumat."],
        ["Tanya Sdr. Andi atau Dr. Sato dan Prof. Ito.", "Mereka tahu."],
        ["The U.S. Embassy is open, e.g. Monday, i.e. today, etc.", "Go early."],
        ["Lihat https://www.ssw.go.jp/id/exam.html?x=1 dulu.", "Lalu daftar."],
        ["Tulis ke info@bp2mi.go.id sekarang.", "Dijawab besok."],
        ["Tunggu... lalu masuk.", "Selesai...", "Pulang."],
        ['Ia berkata, "Kami siap."', "Lalu pergi."],
        ["Ia pamit.", '"Sampai jumpa," katanya.'],
        ['"Kapan berangkat?" tanya dia.'],
        ["Berapa biayanya?", "Mahal!", "Tidak juga."],
    ],
)
def test_split_sentences_on_one_line(sentences):
    assert split_sentences(" ".join(sentences)) == sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Syarat utama\nUsia minimal 18 tahun.", ["Syarat utama", "Usia minimal 18 tahun."]),
        ("- Paspor\n- Ijazah SMA", ["- Paspor", "- Ijazah SMA"]),
        ("1. Daftar. Lalu tes\n2) Berangkat", ["1. Daftar.", "Lalu tes", "2) Berangkat"]),
        ("Paragraf satu\n\n  Paragraf dua.  ", ["Paragraf satu", "Paragraf dua."]),
        ("   \n\n  ", []),
    ],
)
def test_split_sentences_across_lines(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pelatihan bahasa untuk pekerja", ["latih", "bahasa", "kerja"]),
        ("JFT-Basic dan JLPT N4 tahun 2024", ["jft", "basic", "jlpt", "n4", "tahun", "2024"]),
        ("How much does the JFT-Basic test cost?", ["jft", "basic", "test", "cost"]),
        ("kerja di Jepang, gaji per bulan", ["kerja", "jepang", "gaji", "bulan"]),  # domain words kept
        ("Apa itu yang dan di", []),  # Sastrawi stop words only
        ("snake_case 特定技能", ["snake", "case", "特定技能"]),
        ("jūminzei dan tokutei ginō", ["juminzei", "tokutei", "gino"]),  # as workers type them, no macrons
        ("Assalamualaikum, halo permisi", []),  # greetings carry no topic
    ],
)
def test_tokenize(text, expected):
    assert tokenize(text) == expected


def test_tokenize_agrees_between_inflections():
    assert tokenize("pelatihan") == tokenize("melatih") == tokenize("latihan")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How much does the JFT-Basic test cost?", "en"),
        ("what is tokutei ginou", "en"),
        ("Can I work in Japan with a magang visa?", "en"),
        ("kak syarat magang jepang apa aja?", "id"),
        ("SSW itu apa", "id"),
        ("biaya SSW berapa?", "id"),
        ("gimana cara daftar BPVP kak", "id"),
        ("tokutei ginou", "id"),  # no function words at all: most users write Indonesian
        ("", "id"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


@given(st.text() | messy_text)
def test_split_sentences_loses_no_words(text):
    sentences = split_sentences(text)
    assert all(sentence == sentence.strip() and sentence for sentence in sentences)
    assert WORD.findall(" ".join(sentences)) == WORD.findall(text)


@given(st.text() | messy_text)
def test_tokenize_keeps_one_token_per_content_word(text):
    tokens = tokenize(text)
    content_words = [word for word in WORD.findall(text.lower()) if tokenize(word)]
    assert len(tokens) == len(content_words)
    assert all(token and not any(char.isspace() for char in token) for token in tokens)
