"""What is asked: a chat message cleaned into the text that is searched, stored and answered.

Every entry point (Telegram, the console, `ask`, the evaluation) goes through the pipeline, which cleans
with this first, so what is measured is what users get.
"""

from __future__ import annotations

import html
import re
import unicodedata

MAX_QUESTION_CHARS = 500  # a question, not an essay: longer text only dilutes both searches
MAX_COMBINING_MARKS = 2  # per letter; more is "zalgo" text meant to break things, not a language's need

_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://([^/?#\s]*)\S*", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-z][^<>]*>", re.IGNORECASE)


def prepare_question(text: str) -> str:
    """What is searched and stored: markup, links, control and format characters and mark floods removed,
    spaces folded. Tags, entities and link paths pasted into a chat are no part of what was asked, and as
    unknown words they would count against answering; a link keeps its domain ("is kp2mi.go.id real?")."""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _URL.sub(lambda link: f" {link.group(1)} " if "." in link.group(1) else " ", text)
    text = _HTML_TAG.sub(" ", html.unescape(text))
    kept: list[str] = []
    marks = 0
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn") and not char.isspace():
            continue
        marks = marks + 1 if category.startswith("M") else 0
        if marks <= MAX_COMBINING_MARKS:
            kept.append(char)
    return " ".join("".join(kept).split())[:MAX_QUESTION_CHARS]
