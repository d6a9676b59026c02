"""Answers and declines as text a person reads: plain for the console, HTML for Telegram.

Pure: builds strings (and, for Telegram, keyboard data) but never sends anything.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from collections.abc import Callable, Sequence
from datetime import date

from bot.answer import Answer, Decline, Reply, Sentence, Source
from bot.texts import concept_name, text

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def format_date(day: date, lang: str) -> str:
    return f"{day.day} {MONTHS.get(lang, MONTHS['id'])[day.month - 1]} {day.year}"


def _paragraphs(sentences: Sequence[Sentence], escape: Callable[[str], str]) -> list[str]:
    """Consecutive sentences of one source form a paragraph ending in its [n]; list items get bullets."""
    paragraphs: list[str] = []
    current: list[str] = []
    for i, sentence in enumerate(sentences):
        piece = escape(sentence.text)
        if sentence.text[-1:] not in ".!?:;\"')”":
            piece = ("\n" if current else "") + "• " + piece + "\n"
        current.append(piece)
        last_of_source = i + 1 == len(sentences) or sentences[i + 1].source != sentence.source
        if last_of_source:
            joined = " ".join(current).replace("\n ", "\n").strip()
            paragraphs.append(f"{joined} [{sentence.source}]")
            current = []
    return paragraphs


def _source_lines(sources: Sequence[Source], lang: str, escape: Callable[[str], str], link: bool) -> list[str]:
    lines = []
    for source in sources:
        when = text(lang, "checked_long_ago" if source.stale else "as_of").format(date=format_date(source.as_of, lang))
        line = f"[{source.number}] {escape(source.title)} ({when})"
        if source.url:
            url = escape(source.url)
            line += f" — <a href=\"{url}\">{url}</a>" if link else f" — {source.url}"
        lines.append(line)
    return lines


def to_plain(result: Answer | Decline | Reply) -> str:
    """For the console chat and `ask`: the same content as Telegram gets, without markup."""
    return _compose(result, escape=lambda s: s, bold=lambda s: s, italic=lambda s: s, link=False)


def to_html(result: Answer | Decline | Reply) -> str:
    """For Telegram's HTML parse mode: every piece of article and user text escaped."""
    return _compose(result, escape=html.escape, bold=lambda s: f"<b>{s}</b>", italic=lambda s: f"<i>{s}</i>",
                    link=True)




def _body(result: Answer | Decline, lang: str, escape: Callable[[str], str], bold: Callable[[str], str],
          italic: Callable[[str], str]) -> list[str]:
    """The paragraphs of one answer or decline, opening with what was understood from the chat, if anything."""
    body = []
    if result.carried:
        labels = ", ".join(concept_name(lang, concept) for concept in result.carried)
        body.append(italic(escape(text(lang, "understood_as").format(concepts=labels))))
    if isinstance(result, Answer):
        body.extend(_paragraphs(result.sentences, escape))
        if any(source.lang != lang for source in result.sources):  # the fact asked is worth a language switch
            body.append(italic(escape(text(lang, "other_language_source"))))
        return body
    body.append(text(lang, f"decline_{result.reason}"))
    if result.where_to_ask:
        body.append(text(lang, "ask_here") + "\n" + bold(escape(result.contact_heading)))
        body.extend(_paragraphs(result.where_to_ask, escape))
    else:
        body.append(text(lang, "topics_hint"))
    return body


def _compose(result: Answer | Decline | Reply, escape: Callable[[str], str], bold: Callable[[str], str],
             italic: Callable[[str], str], link: bool) -> str:
    lang = result.lang
    if isinstance(result, Reply):  # each question of the message, headed by itself, then the sources of all
        blocks = [bold(escape(f"{i}. {part.question}")) + "\n" + "\n\n".join(_body(part, lang, escape, bold, italic))
                  for i, part in enumerate(result.parts, start=1)]
    else:
        blocks = ["\n\n".join(_body(result, lang, escape, bold, italic))]
    if result.sources:
        blocks.append(bold(text(lang, "sources") + ":") + "\n"
                      + "\n".join(_source_lines(result.sources, lang, escape, link)))
    return "\n\n".join(blocks)


TELEGRAM_LIMIT = 4096  # Telegram's limit per message, in UTF-16 code units; markup counts here, so we stay under


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def split_message(html_text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split between paragraphs, then lines, then words, never inside an element: a space inside <a href="…">
    or <b>a b</b> is no place to cut (cutting "<a" from "href" made the message invalid). An element longer
    than a message loses its markup, and only a word longer than one is cut."""
    if telegram_length(html_text) <= limit:
        return [html_text]
    for separator in ("\n\n", "\n", " "):
        parts = _outside_elements(html_text, separator)
        if len(parts) > 1:
            return _packed(parts, separator, limit)
    if _TAG.search(html_text):
        return split_message(_TAG.sub("", html_text), limit)  # the text stays, entities included
    return _hard_split(html_text, limit)


def _packed(parts: list[str], separator: str, limit: int) -> list[str]:
    """As many parts per message as fit, each part split further if it alone does not."""
    chunks, current = [], ""
    for part in parts:
        for piece in split_message(part, limit):
            candidate = f"{current}{separator}{piece}" if current else piece
            if telegram_length(candidate) <= limit:
                current = candidate
            else:
                if current:
                    chunks.append(current)
                current = piece
    return [*chunks, current] if current else chunks


_TAG = re.compile(r"<(/?)([a-z][a-z0-9-]*)[^<>]*>")


def _outside_elements(html_text: str, separator: str) -> list[str]:
    """`html_text.split(separator)`, except where the separator is inside a tag or an element."""
    spans, opened = [], []
    for tag in _TAG.finditer(html_text):
        spans.append(tag.span())
        if not tag.group(1):
            opened.append(tag)
        elif opened and opened[-1].group(2) == tag.group(2):
            spans.append((opened.pop().start(), tag.end()))
    starts = sorted(spans)
    reach = list(itertools.accumulate((end for _, end in starts), max))  # the furthest end of spans so far
    parts, start = [], 0
    found = html_text.find(separator)
    while found != -1:
        inside = bisect.bisect_left(starts, (found, -1))  # spans starting before the separator
        if inside and reach[inside - 1] > found:
            found = html_text.find(separator, found + 1)
            continue
        parts.append(html_text[start:found])
        start = found + len(separator)
        found = html_text.find(separator, start)
    return [*parts, html_text[start:]]


def _hard_split(text: str, limit: int) -> list[str]:
    """A single word longer than a message: cut it, but never inside an HTML entity such as &amp;."""
    chunks = []
    while telegram_length(text) > limit:
        cut = limit // 2  # two units per character at most, so this prefix always fits
        while cut < len(text) and telegram_length(text[: cut + 1]) <= limit:
            cut += 1
        ampersand = text.rfind("&", max(cut - 10, 0), cut)
        if ampersand > 0 and ";" not in text[ampersand:cut]:
            cut = ampersand
        chunks.append(text[:cut])
        text = text[cut:]
    return [*chunks, text]
