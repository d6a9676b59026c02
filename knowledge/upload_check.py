"""A knowledge folder checked the way a reload reads it, one file's article chunked and tokenised too.

The bot runs this in a child process (`python -m knowledge.upload_check FOLDER NAME`) on the folder as it will
be after an upload, and kills it after a time budget: whatever an uploaded file holds, checking it can
neither stall the bot (a regular expression holds the GIL, so a thread would not do) nor exhaust its memory.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from knowledge.chunker import split_into_passages
from knowledge.loader import article_id, load_articles
from knowledge.text import split_sentences, tokenize


def check(folder: Path, name: str, today: date) -> list[str]:
    """Every problem of the folder; the named file's article also goes through all the text processing a
    reload and an answer apply to it, so that text too slow to process shows here, not in the live bot."""
    loaded = load_articles(folder, today=today)
    for article in loaded.articles:
        if article.slug == article_id(name):
            for passage in split_into_passages(article):
                tokenize(passage.indexed_text)
                split_sentences(passage.text)  # as an answer quotes it
    return [str(problem) for problem in loaded.problems]


if __name__ == "__main__":
    print(json.dumps(check(Path(sys.argv[1]), sys.argv[2], date.today()), ensure_ascii=False))
