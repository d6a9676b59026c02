"""Inline-button data: one definition per format, packed, matched and parsed in one place.

Telegram sends back whatever a button carries, and anyone can forge it, so each format is matched by a
strict pattern (bounded digits, known characters) before a handler sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import astuple, dataclass
from typing import ClassVar, Self


class Button:
    """`PREFIX:field:field`, each field matched by its own pattern and converted by its own type."""

    PREFIX: ClassVar[str]
    PARTS: ClassVar[tuple[tuple[str, Callable[[str], object]], ...]]

    @classmethod
    def pattern(cls) -> re.Pattern[str]:
        return re.compile("^" + ":".join([cls.PREFIX, *(f"({part})" for part, _ in cls.PARTS)]) + "$")

    def pack(self) -> str:
        return ":".join([self.PREFIX, *map(str, astuple(self))])

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        match = cls.pattern().fullmatch(data or "")
        if match is None:
            return None
        return cls(*(convert(value) for (_, convert), value in zip(cls.PARTS, match.groups())))


@dataclass(frozen=True, slots=True)
class TopicButton(Button):
    key: str
    PREFIX = "topic"
    PARTS = ((r"[a-z]{1,20}", str),)


@dataclass(frozen=True, slots=True)
class RelatedButton(Button):
    passage_id: str  # content-derived, so a button survives restarts and reloads that keep its passage
    PREFIX = "rel"
    PARTS = ((r"[0-9a-f]{1,32}", str),)


@dataclass(frozen=True, slots=True)
class FeedbackButton(Button):
    question_id: int
    value: int  # +1 or -1
    PREFIX = "fb"
    PARTS = ((r"\d{1,18}", int), (r"-?1", int))  # 18 digits fit SQLite's 64-bit integers


@dataclass(frozen=True, slots=True)
class LanguageButton(Button):
    lang: str
    PREFIX = "lang"
    PARTS = ((r"id|en", str),)


@dataclass(frozen=True, slots=True)
class RouteStart(Button):
    """Starts the route finder for whoever presses it (under /start, and under a result: "start again")."""

    PREFIX = "jalur"
    PARTS = ()


@dataclass(frozen=True, slots=True)
class RouteAnswer(Button):
    """An answer in the route finder: whose dialogue it is, and every answer so far with this one, so that a
    press still works after a restart and another worker's press in a group is told apart."""

    owner: int
    answers: str  # one character per question (bot/route_finder.py)
    PREFIX = "jl"
    PARTS = ((r"\d{1,18}", int), (r"[a-z0-9]{1,6}", str))


@dataclass(frozen=True, slots=True)
class RouteStop(Button):
    owner: int
    PREFIX = "jlx"
    PARTS = ((r"\d{1,18}", int),)


@dataclass(frozen=True, slots=True)
class GapPage(Button):
    """A page of a /gaps run: which run, and which of its gaps (0: the largest)."""

    listing: int
    index: int
    PREFIX = "gp"
    PARTS = ((r"\d{1,18}", int), (r"\d{1,4}", int))


GAP_ACTIONS = ("done", "ignore", "ours", "notours", "write")


@dataclass(frozen=True, slots=True)
class GapAction(Button):
    """What an admin does with a gap: handled, ignored, teach the scope model either way, or write an article."""

    gap: int
    action: str  # one of GAP_ACTIONS
    PREFIX = "ga"
    PARTS = ((r"\d{1,18}", int), ("|".join(GAP_ACTIONS), str))


@dataclass(frozen=True, slots=True)
class LinkDraftButton(Button):
    """Add (1) or drop (0) the article made from an admin's link: its draft's random token."""

    token: str
    add: int
    PREFIX = "ln"
    PARTS = ((r"[0-9a-f]{16}", str), (r"[01]", int))
