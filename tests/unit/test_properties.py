"""Arbitrary text through cleaning, chunking, retrieval, answer composition and rendering never breaks."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.pipeline import Pipeline
from bot.question import MAX_QUESTION_CHARS, prepare_question
from bot.render import TELEGRAM_LIMIT, split_message, telegram_length, to_html
from embeddings.build import build_snapshot
from knowledge.loader import load_articles, parse_article
from tests.fakes import FakeEncoder
from tools.fakebotapi import _render

FIXTURE_KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
TODAY = date(2026, 11, 29)
ENCODER = FakeEncoder()
SNAPSHOT = build_snapshot(load_articles(FIXTURE_KB, today=TODAY).articles, ENCODER)[0]

any_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=600)
wordy_text = st.lists(
    st.one_of(st.sampled_from(["SSW", "magang", "<b>", "</a>", "&", "[x](tg://user?id=1)", "keluarga", "\n", "😀",
                               "biaya", "BLK", "\u202e", "e\u0301\u0301\u0301", "5 tahun.", "?"]), any_text),
    max_size=40,
).map(" ".join)


def assert_valid_messages(html_text: str) -> None:
    for chunk in split_message(html_text):
        assert telegram_length(chunk) <= TELEGRAM_LIMIT
        _render(chunk, "HTML")  # raises like Telegram's "can't parse entities"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wordy_text)
def test_any_question_gets_valid_escaped_html_within_the_limit(question):
    result = Pipeline().answer(SNAPSHOT, ENCODER, [question])[0]
    assert_valid_messages(to_html(result))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=wordy_text, title=any_text)
def test_any_article_can_be_indexed_and_answered_from(body, title):
    text = f"---\ntitle: {title!r}\nsources: [https://example.org/a]\nas_of: 2026-01-01\nlang: id\ntopics: [ssw]\n---\n{body}"
    article, problems = parse_article("acak.md", text, today=TODAY)
    if article is None:
        assert problems  # rejected with a reason, never an exception
        return
    snapshot = build_snapshot([article], ENCODER)[0]
    for question in (body[:80], "SSW keluarga biaya"):
        assert_valid_messages(to_html(Pipeline().answer(snapshot, ENCODER, [question])[0]))


@settings(max_examples=100, deadline=None)
@given(st.text(st.sampled_from("ab &<>;😀\n"), max_size=20000))
def test_splitting_keeps_every_character_and_the_limit(text):
    chunks = split_message(text)
    assert all(telegram_length(chunk) <= TELEGRAM_LIMIT for chunk in chunks)
    rebuilt = "".join(chunks).replace("\n", "").replace(" ", "")
    assert rebuilt == text.replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("raw", ["a\u0000b", "x" + "\u0301" * 50, " spaced \t out ", "y" * 5000])
def test_prepare_question_removes_what_no_one_types(raw):
    prepared = prepare_question(raw)
    assert "\u0000" not in prepared and "\u0301\u0301\u0301" not in prepared
    assert prepared == prepared.strip() and len(prepared) <= 500


@pytest.mark.parametrize(("raw", "prepared"), [
    ("<b>SSW</b> boleh bawa keluarga? &amp; <script>", "SSW boleh bawa keluarga? &"),
    ("[daftar di sini](tg://user?id=1) gmn", "daftar di sini gmn"),
    ("cek https://kp2mi.go.id/pengaduan?id=3 itu resmi?", "cek kp2mi.go.id itu resmi?"),  # the domain says what
    ("gaji < 200rb > wajar?", "gaji < 200rb > wajar?"),
])
def test_prepare_question_drops_markup_and_link_paths(raw, prepared):
    assert prepare_question(raw) == prepared


@pytest.mark.parametrize("html_text", [
    "[1]" + " a" * 2044 + ' — <a href="https://x.id/a?b=1">https://x.id/a?b=1</a>',  # a message ends at "<a"
    "[1] " + "Judul panjang " * 400 + '(per 1 Januari 2026) — <a href="https://x.id/a?b=1">https://x.id/a?b=1</a>',
    "<b>" + "kata tebal " * 500 + "</b>\n\n" + "biasa " * 100,
    "<i>" + "miring " * 100 + "</i> " + "&amp; " * 1000 + '<a href="https://x.id/">tautan dengan spasi</a>',
])
def test_splitting_never_cuts_inside_an_element(html_text):
    """F8: a source line longer than a message (a very long title) was cut between "<a" and "href"."""
    assert len(split_message(html_text)) > 1
    assert_valid_messages(html_text)
