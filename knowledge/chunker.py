"""Article → Passages: whole sentences under one heading, sized for retrieval, with content-derived ids.

Separate from the loader so the passage size can be tuned (by `python -m bot eval`) without touching
how files are read.
"""

from __future__ import annotations

import hashlib
import re

from knowledge.model import Article, Passage
from knowledge.text import continues_a_list, split_sentences

# Passage size in words: a starting point, to be tuned with `python -m bot eval`. 40+ words state a
# fact with its context; 180 words still read at a glance on a phone. The bundled MiniLM reads at most
# 256 word pieces, about 90 words of Indonesian (measured: 153 words → 424 pieces), so dense search
# sees the start of a long passage and BM25 sees all of it. MAX_WORDS + MIN_WORDS is the ceiling for
# a passage that absorbed a short neighbour.
MIN_WORDS = 40
MAX_WORDS = 180

# Uploaded text is untrusted: every pattern here runs in linear time. A pattern that can rescan the rest
# of a line from each of its characters ("## a" + 16,000 spaces, "[" × 16,000, "**a " × 4,000) froze the
# whole bot for seconds per 16 KB (the closing #s of a heading are therefore dropped in code).
_HEADING = re.compile(r"(#{1,6})\s+(.*)")
_LIST_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_TABLE_RULE = re.compile(r"[\s|:-]*")  # "|---|:---:|" separates a table's header from its rows
_LINK = re.compile(r"\[([^\[\]]*)\]\(([^)\s\[\]]*)\)")  # neither part crosses another "[": one scan each
_STRONG = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1")  # the text runs to the next marker at most
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)")

Section = tuple[str, list[str]]  # (heading, blocks of plain text: paragraphs, list items, table rows)


def split_into_passages(article: Article) -> list[Passage]:
    """Retrieval ranks passages, not articles: each must stand alone under its heading."""
    passages: list[Passage] = []
    seen: set[str] = set()
    for heading, blocks in split_into_sections(article.body):
        sentences = [(block, s) for block, text in enumerate(blocks) for s in split_sentences(text)]
        for chunk in _pack(sentences):
            text = _join(chunk)
            passage_id = _passage_id(article.slug, heading, text, seen)
            passages.append(Passage(passage_id, article.slug, article.title, heading, text))
    return passages


def split_into_sections(markdown: str) -> list[Section]:
    """Markdown → (heading, plain-text blocks); passages never cross a heading, so each has one."""
    lines = markdown.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if first < len(lines) and lines[first].startswith("# "):
        lines = lines[first + 1:]  # the title line: the Article already carries the title
    found: list[Section] = [("", [])]
    paragraph: list[str] = []

    def end_block() -> None:
        if paragraph:
            found[-1][1].append(_inline_to_text(" ".join(paragraph)))
            paragraph.clear()

    for line in lines:
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        if heading and len(heading.group(1)) in (2, 3):
            end_block()
            found.append((_inline_to_text(_heading_text(heading.group(2))), []))
        elif not stripped or stripped.startswith("```") or _TABLE_RULE.fullmatch(stripped):
            end_block()
        elif heading or stripped.startswith("|"):
            end_block()  # a minor heading or a table row is a block of its own
            paragraph.append(_heading_text(heading.group(2)) if heading else stripped.replace("|", " "))
            end_block()
        elif _LIST_ITEM.match(stripped):
            end_block()  # each item is its own sentence; a wrapped line below continues it
            paragraph.append(_LIST_ITEM.sub("", stripped, count=1))
        else:
            paragraph.append(stripped)  # a wrapped line continues its paragraph, as in Markdown
    end_block()
    return [(heading, [b for b in blocks if b]) for heading, blocks in found if any(blocks)]


def _heading_text(text: str) -> str:
    """A heading without its optional closing #s ("## Biaya ##"); "C#" keeps its #."""
    unclosed = text.rstrip("#")
    return unclosed.rstrip() if unclosed != text and unclosed[-1:].isspace() else text


def _inline_to_text(text: str) -> str:
    """Indexes and answers want words, not Markdown markers; link targets stay as citations."""
    text = _LINK.sub(r"\1 (\2)", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    return " ".join(text.replace("`", "").split())


def _pack(sentences: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Greedy packing of whole sentences; a short piece joins its neighbour rather than stand alone, and a
    list cut in two takes its announcement ("… batas keras:") along, so its items still say what they are."""
    chunks: list[list[tuple[int, str]]] = []
    for item in sentences:
        if chunks and _words(chunks[-1]) + _words([item]) <= MAX_WORDS:
            chunks[-1].append(item)
        else:
            chunks.append(_list_head(chunks[-1], item) + [item] if chunks and continues_a_list(item[1]) else [item])
    merged: list[list[tuple[int, str]]] = []
    for chunk in chunks:
        # Neighbours merge when one is short (a remainder, or a short lead-in before a long
        # sentence) and together they stay under the ceiling.
        short = bool(merged) and min(_words(merged[-1]), _words(chunk)) < MIN_WORDS
        if short and _words(merged[-1]) + _words(chunk) <= MAX_WORDS + MIN_WORDS:
            merged[-1] = merged[-1] + chunk
        else:
            merged.append(chunk)
    return merged


def _list_head(chunk: list[tuple[int, str]], item: tuple[int, str]) -> list[tuple[int, str]]:
    """Takes from the end of a chunk the announcement of the list it ends with and the items so far, to go
    before `item`; nothing if the chunk has no announcement, would be left empty, or the list is too long."""
    announced = [i for i, (_, sentence) in enumerate(chunk) if sentence.rstrip().endswith(":")]
    if not announced or announced[-1] == 0 or _words(chunk[announced[-1]:]) + _words([item]) > MAX_WORDS:
        return []
    head = chunk[announced[-1]:]
    del chunk[announced[-1]:]
    return head


def _words(chunk: list[tuple[int, str]]) -> int:
    return sum(len(sentence.split()) for _, sentence in chunk)


def _join(chunk: list[tuple[int, str]]) -> str:
    """Sentences of one block share a line; a new block starts a new line, as in the source."""
    text = chunk[0][1]
    for (previous, _), (block, sentence) in zip(chunk, chunk[1:]):
        text += (" " if block == previous else "\n") + sentence
    return text


def _passage_id(slug: str, heading: str, text: str, seen: set[str]) -> str:
    """Same text, same id: an edit re-embeds only the passages it touched."""
    repeat = 0
    while (passage_id := _digest(slug, heading, text, repeat)) in seen:
        repeat += 1  # the same passage twice under one heading still needs ids of its own
    seen.add(passage_id)
    return passage_id


def _digest(slug: str, heading: str, text: str, repeat: int) -> str:
    parts = (slug, heading, text, str(repeat)) if repeat else (slug, heading, text)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
