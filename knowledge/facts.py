"""Key facts that several articles state, and every sentence that states one differently.

Articles are written by several people at several times; the bot quotes sentences, not articles, so two
articles that disagree on the number of SSW fields give two workers two answers. `facts.yaml` (beside the
articles) declares each such fact once: what a sentence must be about, how it states the value, the value,
and which other values are fine when the sentence dates them ("14 bidang saat dibuka pada 2019"). Every
sentence of every article, present and future, is checked against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.model import Article, Problem
from knowledge.text import split_sentences
from knowledge.yaml_files import safe_load

FACTS_FILE = "facts.yaml"
SHIPPED_FACTS = Path(__file__).resolve().parent / "articles" / FACTS_FILE
EXCERPT_CHARS = 160  # of the sentence quoted in a conflict
MEMO_ARTICLES = 20_000  # articles whose conflicts are remembered: a large knowledge base's worth


@dataclass(frozen=True, slots=True)
class Allowed:
    """Another value, fine in a sentence that also says `when` (a past figure, a plan, a different case)."""

    value: re.Pattern[str]
    when: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Fact:
    name: str
    about: re.Pattern[str]  # the sentence is about the fact's subject
    states: re.Pattern[str]  # where the sentence states the value: the first non-empty group is the value
    value: re.Pattern[str] | None = None  # the value every article must give
    requires: re.Pattern[str] | None = None  # or: what a sentence stating it must also say (e.g. "draft")
    unless: re.Pattern[str] | None = None  # sentences about something else that states a value the same way
    allowed: tuple[Allowed, ...] = ()

    def conflict(self, sentence: str) -> str | None:
        """What is wrong with the sentence, or None if it does not state the fact or states it right."""
        if not self.about.search(sentence) or (self.unless and self.unless.search(sentence)):
            return None
        for match in self.states.finditer(sentence):
            stated = next((group for group in match.groups() if group), match.group()).lower()
            if self.requires is not None and not self.requires.search(sentence):
                return f"states {match.group()!r} without saying {self.requires.pattern!r}"
            if self.value is None or self.value.fullmatch(stated):
                continue
            if not any(rule.value.fullmatch(stated) and rule.when.search(sentence) for rule in self.allowed):
                return f"states {stated!r} where the knowledge base says {self.value.pattern!r}"
        return None


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


def _fact(item: dict) -> Fact:
    optional = {key: _pattern(item[key]) for key in ("value", "requires", "unless") if item.get(key) is not None}
    allowed = tuple(Allowed(_pattern(rule["value"]), _pattern(rule["when"])) for rule in item.get("allowed") or ())
    return Fact(name=item["name"], about=_pattern(item["about"]), states=_pattern(item["states"]),
                allowed=allowed, **optional)


def load_facts(path: Path) -> tuple[tuple[Fact, ...], tuple[Problem, ...]]:
    """The declared facts; a malformed file is one Problem, reported like a bad article."""
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
        facts = tuple(_fact(item) for item in data["facts"])
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, re.error) as error:
        return (), (Problem(path.name, "facts", f"cannot be read: {type(error).__name__}: {error}"),)
    if any(fact.value is None and fact.requires is None for fact in facts):
        return (), (Problem(path.name, "facts", "each fact needs a value or a requires"),)
    return facts, ()


def _sentences(article: Article) -> Iterable[str]:
    """The body's sentences, and the title's parts: after its colon a title lists contents, not one claim."""
    yield from re.split(r"[:,;] ", article.title)
    for line in article.body.splitlines():
        yield from split_sentences(line.lstrip("#").strip())


def check_facts(articles: Sequence[Article], facts: Sequence[Fact]) -> list[Problem]:
    """Every sentence that states a declared fact differently, as a Problem naming the article and the fact."""
    return [problem for article in articles for problem in _conflicts(article, tuple(facts))]


@lru_cache(maxsize=MEMO_ARTICLES)
def _conflicts(article: Article, facts: tuple[Fact, ...]) -> tuple[Problem, ...]:
    """An article is checked once per version: a reload after one edit checks one article (the whole of a
    10k-passage base took 3.6 s, most of a reload)."""
    problems = []
    for sentence in _sentences(article):
        for fact in facts:
            if (reason := fact.conflict(sentence)) is not None:
                excerpt = sentence if len(sentence) <= EXCERPT_CHARS else sentence[:EXCERPT_CHARS] + "…"
                problems.append(Problem(article.slug, fact.name, f"{reason}: “{excerpt}”"))
    return tuple(problems)
