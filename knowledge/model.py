"""The shared vocabulary of the knowledge side: articles, passages and validation problems.

Frozen dataclasses so that a snapshot built from them can be shared between threads safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

TOPICS = frozenset({"ssw", "magang", "ikusei", "bpvp", "safety", "glossary", "contacts", "news"})
"""Topics an article may carry; the bot's topic buttons and /topik are built from these."""


@dataclass(frozen=True, slots=True)
class Article:
    """One knowledge article: Markdown body plus the metadata a worker needs to trust it."""

    slug: str  # file name without extension: stable, used in evaluation sets and passage ids
    title: str
    body: str  # Markdown; "## " headings start sections
    sources: tuple[str, ...]
    as_of: date
    lang: str  # "id" or "en"
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrievable piece of an article: a few whole sentences under one section heading."""

    id: str  # derived from article slug + text, so unchanged text keeps its id across rebuilds
    article: str  # Article.slug
    title: str  # Article.title
    section: str  # the "## " heading the text sits under ("" before the first heading)
    text: str

    @property
    def indexed_text(self) -> str:
        """What the indexes see: the article's subject and the heading give a short passage its context.

        The subject is the title up to its first colon. What follows a colon in our titles is a table of
        contents ("Hak pekerja SSW: gaji, jam kerja, lama tinggal, …"): given to every section, it made
        each of them look like an answer about gaji."""
        subject = self.title.split(": ", 1)[0]
        return " — ".join(part for part in (subject, self.section, self.text) if part)


@dataclass(frozen=True, slots=True)
class Problem:
    """A user-correctable defect in an article file, reported instead of raised."""

    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ScopeExamples:
    """Labelled questions: what workers ask this bot, and what it must decline whatever words it shares."""

    in_scope: tuple[str, ...] = ()
    out_of_scope: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LoadResult:
    """Everything found in a knowledge folder: valid articles, the scope examples, the declared key facts
    (knowledge/facts.py), the route finder's rules (knowledge/routes.py) and every problem at once."""

    articles: tuple[Article, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    scope: ScopeExamples = ScopeExamples()
    facts: tuple = ()  # of knowledge.facts.Fact
    routes: object = None  # knowledge.routes.RouteRules; None if routes.yaml is invalid
