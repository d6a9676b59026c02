"""A news page's HTML → the article in it, as a .txt news text with judul:/sumber:/tanggal: header lines.

trafilatura finds the main text, title, date and outlet (navigation, sidebars and footers go); our news
cleaner then removes what the outlet put inside the story ("BACA JUGA" cross-links, credits, the dateline).
trafilatura (with lxml) is imported only when a page is extracted, so the bot's workers never load it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from knowledge.cleaner import clean_news_text
from knowledge.loader import MIN_BODY_WORDS


@dataclass(frozen=True, slots=True)
class NewsDraft:
    title: str
    published: date | None
    outlet: str
    url: str
    text: str  # cleaned, paragraphs separated by blank lines

    def as_news_text(self) -> str:
        """The file the loader reads (knowledge/loader.py: header lines, then the story)."""
        header = [f"judul: {self.title}", f"sumber: {self.url}"]
        if self.published:
            header.append(f"tanggal: {self.published.isoformat()}")
        return "\n".join(header) + "\n" + self.text + "\n"


def extract_news(html: bytes | str, url: str, today: date) -> NewsDraft | None:
    """The article of a page, or None if the page holds none (a front page, a list of links, a login wall)."""
    import trafilatura  # here, not at the top: see the module's docstring

    found = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True,
        date_extraction_params={"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d",
                                "max_date": today.isoformat()})
    if found is None or not found.text:
        return None
    title = " ".join((found.title or "").split())
    lines = found.text.splitlines()
    if lines and title and " ".join(lines[0].split()) == title:
        lines = lines[1:]  # the headline, repeated above the story
    text = clean_news_text("\n".join(lines))
    if len(text.split()) < MIN_BODY_WORDS:
        return None
    return NewsDraft(title=title, published=_date(found.date, today),
                     outlet=found.sitename or found.hostname or urlsplit(url).hostname or "", url=url, text=text)


def _date(value: str | None, today: date) -> date | None:
    try:
        published = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return published if published and published <= today else None
