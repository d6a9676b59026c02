"""clean_news_text: the noise news sites put around a story goes, every word of the story stays."""

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.cleaner import clean_news_text
from knowledge.loader import parse_article

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SEED_ARTICLE = SEEDS / "000_b306bb71bdae2fe5.txt"
WORD = re.compile(r"[^\W_]+")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # cross-links, in any case and spacing
        ("Kuota naik.\nBACA JUGA: Judul lain\nPendaftaran dibuka.", "Kuota naik.\n\nPendaftaran dibuka."),
        ("Kuota naik.\nBaca Juga: Judul lain\nbaca juga : judul lagi", "Kuota naik."),
        # credit footers go, "Sumber:" stays because it may hold the citation
        ("Kuota naik.\nRedaktur : Ani\nReporter: Budi\nEditor: Citra\nPenulis: Dedi\nFotografer", "Kuota naik."),
        ("Kuota naik.\nRedaktur & Reporter : Ani\nSumber: https://contoh.id/a",
         "Kuota naik.\n\nSumber: https://contoh.id/a"),
        ("Penulis buku itu hadir.", "Penulis buku itu hadir."),
        # datelines before the first sentence
        ("jpnn.com, TOKYO - Kuota naik.", "Kuota naik."),
        ("JAKARTA, KOMPAS.com - Kuota naik.", "Kuota naik."),
        ("Liputan6.com, Jakarta - Kuota naik.", "Kuota naik."),
        ("TEMPO.CO, Jakarta - Kuota naik.", "Kuota naik."),
        ("JAKARTA (ANTARA) - Kuota naik.", "Kuota naik."),
        ("Jakarta, CNN Indonesia -- Kuota naik.", "Kuota naik."),
        ("Jakarta, Indonesia - negara asal.", "Jakarta, Indonesia - negara asal."),  # no outlet named
        ("Kuota naik.\njpnn.com, TOKYO - di tengah teks.", "Kuota naik.\n\njpnn.com, TOKYO - di tengah teks."),
        # agency codes closing the story
        ("Kuota naik. (mcr-", "Kuota naik."),
        ("Kuota naik. (mcr-12/jpnn)", "Kuota naik."),
        ("Kuota naik. (ant)", "Kuota naik."),
        ("Kuota naik. (jpnn)", "Kuota naik."),
        ("Kuota naik. (*)", "Kuota naik."),
        ("Ikut tes bahasa (JFT)", "Ikut tes bahasa (JFT)"),
        # words typed twice, but never reduplication
        ("Program Program magang dibuka.", "Program magang dibuka."),
        ("Visa visa VISA kerja.", "Visa kerja."),
        ("Ada langkah-langkah baru.", "Ada langkah-langkah baru."),
        ("Ada langkah langkah-langkah baru.", "Ada langkah langkah-langkah baru."),
        ("Kuota 10 10 orang.", "Kuota 10 10 orang."),
        # whitespace, paragraphs, cut-off quotes
        ("  Kuota \t naik.  \n\n\n  Pendaftaran   dibuka. ", "Kuota naik.\n\nPendaftaran dibuka."),
        ('Ia berkata, "Kuota naik.\nLalu pergi.', 'Ia berkata, "Kuota naik."\n\nLalu pergi.'),
        ("Ia berkata, “Kuota naik.", "Ia berkata, “Kuota naik.”"),
        ('"Kuota naik," katanya.', '"Kuota naik," katanya.'),
        ("", ""),
    ],
)
def test_clean_news_text(raw, expected):
    assert clean_news_text(raw) == expected


@given(st.text())
def test_never_raises_and_adds_no_words(raw):
    cleaned = clean_news_text(raw)
    assert not Counter(WORD.findall(cleaned)) - Counter(WORD.findall(raw))


# Plain story lines with no noise in them: nothing may be dropped.
story_word = st.sampled_from(["kuota", "pekerja", "Jepang", "magang", "2024", "SSW", "Rp1.500.000", "langkah-langkah"])
story_line = st.lists(story_word, min_size=1, max_size=12, unique=True).map(" ".join)


@given(st.lists(story_line, max_size=6))
def test_loses_no_words_of_a_story(lines):
    raw = "\n".join(lines)
    assert WORD.findall(clean_news_text(raw)) == WORD.findall(raw)


@pytest.fixture
def seed_text() -> str:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"seed article not found at {SEED_ARTICLE}: only the project workspace has ../shared/seeds/")
    return SEED_ARTICLE.read_text(encoding="utf-8")


def test_seed_article_loses_its_noise(seed_text):
    cleaned = clean_news_text(seed_text)
    paragraphs = cleaned.split("\n\n")
    assert "baca juga" not in cleaned.lower()
    assert not any(p.startswith(("Redaktur", "Reporter")) for p in paragraphs)
    assert "jpnn.com" not in cleaned
    assert "Specified Specified" not in cleaned
    assert "Specified Skilled" in cleaned
    assert "(mcr-" not in cleaned
    assert all(p.count('"') % 2 == 0 for p in paragraphs)
    assert paragraphs[-1].endswith('"')


def test_seed_article_keeps_its_facts(seed_text):
    cleaned = clean_news_text(seed_text)
    for fact in ("22/4/2024", "JICA", "BPVP", "Kemnaker", "langkah-langkah"):
        assert fact in cleaned
    noise = re.compile(r"baca juga|redaktur|reporter", re.IGNORECASE)
    story_lines = [line for line in seed_text.splitlines() if line.strip() and not noise.match(line)]
    assert len(cleaned.split("\n\n")) == len(story_lines)
    assert not Counter(WORD.findall(cleaned)) - Counter(WORD.findall(seed_text))


def test_seed_article_parses_as_news_under_its_own_name(seed_text):
    article, problems = parse_article(SEED_ARTICLE.name, seed_text, today=date(2026, 11, 1))
    assert problems == ()
    first_paragraph = clean_news_text(seed_text).split("\n\n")[0]
    assert first_paragraph.startswith(article.title)
    assert 5 <= len(article.title.split()) <= 12
    assert article.title[-1].isalnum()
    # the date of its event ("Senin (22/4/2024)") and the outlet of its dateline ("jpnn.com, TOKYO -")
    assert (article.topics, article.lang, article.as_of, article.sources) == (
        ("news",), "id", date(2024, 4, 22), ("https://jpnn.com",))
    assert article.slug == "000-b306bb71bdae2fe5"
