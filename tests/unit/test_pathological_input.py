"""Crafted text must not stall the bot: article text through the chunker and sentence splitter, user text
through cleaning and query parsing. The budgets are generous (about 100× what the code needs); a
quadratic regex, which the review found in each of these places, takes seconds on these inputs."""

import time

import pytest

from knowledge.chunker import split_into_passages, split_into_sections
from knowledge.model import Article
from knowledge.text import split_sentences

BUDGET_S = 0.5


def seconds(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def article(body: str) -> Article:
    from datetime import date

    return Article(slug="x", title="X", body=body, sources=("https://x.id/",), as_of=date(2026, 1, 1), lang="id")


# F1: each was quadratic, 1.3-5.6 s at these sizes on this machine before the fix.
ARTICLE_TEXT = {
    "a run of dots": "." * 16_000,
    "a run of mixed sentence marks": "!?." * 6_000,
    "a heading padded with spaces": "## a" + " " * 16_000 + "b",
    "opening brackets": "[" * 32_000,
    "unclosed links": "[a](" * 8_000,
    "unclosed strong markers": "**a " * 8_000,
    "unclosed underscores": "__a " * 8_000,
}


@pytest.mark.parametrize("text", ARTICLE_TEXT.values(), ids=ARTICLE_TEXT.keys())
def test_crafted_article_text_is_chunked_in_linear_time(text):
    assert seconds(split_sentences, text) < BUDGET_S
    assert seconds(split_into_sections, text) < BUDGET_S
    assert seconds(split_into_passages, article(text)) < BUDGET_S


# F15: quadratic before the 500-character cut: ~0.1 s for 4,096 characters (Telegram's limit), 1.6 s here.
USER_TEXT = {
    "opening brackets": "[" * 16_000,
    "a dotted scheme": "a." * 8_000,
    "a hyphenated scheme": "a-" * 8_000,
    "a plus scheme": "a+" * 8_000,
}


@pytest.mark.parametrize("text", USER_TEXT.values(), ids=USER_TEXT.keys())
def test_crafted_user_text_is_cleaned_in_linear_time(text):
    from bot.question import prepare_question

    assert seconds(prepare_question, text) < BUDGET_S / 2
