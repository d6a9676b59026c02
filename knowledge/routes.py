"""The route finder's rules: which routes to Japan fit a worker, as data admins edit, with every defect reported.

`routes.yaml` (beside the articles, like `scope.yaml` and `facts.yaml`) lists the routes — SSW through a P3MI or
on one's own, magang through IM Japan or an LPK-SO, G to G (EPA), Ikusei Shūrō — and for each what it needs of
the worker's answers, why, and where that is written: an article of the knowledge base and an official link.
The questions the bot asks are fixed here (`ANSWERS`): rules may only test what the dialogue asks, so a rule that
names an unknown answer or value is a problem in its file, not a route nobody can reach. Pure apart from reading
the file.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from knowledge.model import Problem
from knowledge.yaml_files import safe_load

ROUTES_FILE = "routes.yaml"
SHIPPED_ROUTES = Path(__file__).resolve().parent / "articles" / ROUTES_FILE
LANGUAGES = ("id", "en")  # every text of a rule is written in both: the route finder speaks the worker's language
OUTCOMES = ("check", "after", "no")  # what an unmet need means, mildest first (see Need.otherwise)
TODAY = "today"  # not asked: the day the worker asks, for rules with a start or end date


@dataclass(frozen=True, slots=True)
class Option:
    """One answer to a question: its name in rules, one character in button data, and for a number the values
    it stands for (age in years, money in millions of rupiah), so rules can name limits instead of buttons."""

    name: str
    code: str
    low: float | None = None
    high: float | None = None  # exclusive

    @property
    def numeric(self) -> bool:
        return self.low is not None


ANSWERS: dict[str, tuple[Option, ...]] = {
    "age": (Option("under-18", "a", 0, 18), Option("18-26", "b", 18, 27), Option("27-35", "c", 27, 36),
            Option("36-plus", "d", 36, 200)),
    "education": (Option("smp", "p"), Option("sma", "a"), Option("smk", "k"), Option("d3-nursing", "n"),
                  Option("diploma", "d")),
    "japanese": (Option("none", "0"), Option("n5", "5"), Option("n4", "4"), Option("n3", "3")),
    "field": (Option("kaigo", "k"), Option("factory", "m"), Option("construction", "c"), Option("farming", "f"),
              Option("food", "r"), Option("transport", "t"), Option("other", "o")),
    "magang": (Option("never", "n"), Option("completed", "c"), Option("partial", "p")),
    "budget": (Option("under-5", "a", 0, 5), Option("5-15", "b", 5, 15), Option("15-35", "c", 15, 35),
               Option("35-plus", "d", 35, 10_000)),
}
"""The route finder's questions in the order it asks them, each with its options. `education`: SMP or less,
SMA/MA, SMK, D3 or higher in nursing, D3 or higher in anything else. `japanese`: no certificate, N5 or JFT-Basic
A1, N4 or JFT-Basic A2, N3 or higher. `magang`: never been an intern in Japan, completed stage 2 (about three
years), went but did not complete stage 2."""


@dataclass(frozen=True, slots=True)
class Need:
    """What a route needs of one answer. Unmet, it means `otherwise`: `no` (the route is closed), `after` (open
    once the worker does something: passes a test, waits for a start date) or `check` (it depends on something
    the dialogue did not ask: fits, with the reason shown to verify). An age or budget band only partly inside
    the limits is always `check`."""

    answer: str
    why: Mapping[str, str]
    article: str
    otherwise: str = "no"
    values: frozenset[str] = frozenset()  # for a choice: the options that meet the need
    low: float | date | None = None  # for a number or `today`: inclusive lower limit
    high: float | date | None = None  # inclusive upper limit
    when: Mapping[str, frozenset[str]] | None = None  # the need applies only to these answers
    unless: Mapping[str, frozenset[str]] | None = None  # and not to these (an exemption)


@dataclass(frozen=True, slots=True)
class Note:
    """A line shown under a route that fits (or under the result), when the answers match `when`."""

    text: Mapping[str, str]
    article: str
    when: Mapping[str, frozenset[str]] | None = None


@dataclass(frozen=True, slots=True)
class Route:
    key: str
    name: Mapping[str, str]
    summary: Mapping[str, str]
    article: str  # the knowledge article that explains the route (its slug)
    url: str  # the official page to act on
    needs: tuple[Need, ...] = ()
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class RouteRules:
    routes: tuple[Route, ...]
    notes: tuple[Note, ...] = ()  # general advice under the result, e.g. about loans when the budget is small

    def articles(self) -> set[str]:
        """Every article the rules cite."""
        return {item.article for route in self.routes for item in (route, *route.needs, *route.notes)} | {
            note.article for note in self.notes}


def options(answer: str) -> tuple[Option, ...]:
    return ANSWERS[answer]


def option_named(answer: str, name: str) -> Option | None:
    return next((option for option in ANSWERS[answer] if option.name == name), None)


# --- reading and checking ------------------------------------------------------------------------------------

class _Invalid(ValueError):
    """A value an admin must correct; the message is the reason shown."""


def load_routes(folder: Path, articles: Collection[str]) -> tuple[RouteRules | None, tuple[Problem, ...]]:
    """The folder's own routes.yaml, checked against its articles; a folder without one uses the shipped file,
    whose citations are checked against the shipped articles by the test suite (a folder of other articles may
    not have them, and a missing citation then only loses its title)."""
    own = folder / ROUTES_FILE
    path = own if own.is_file() else SHIPPED_ROUTES
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return None, (Problem(path.name, "yaml", f"cannot be read: {error}"),)
    return parse_routes(path.name, data, articles if own.is_file() else None)


def parse_routes(name: str, data: Any,
                 articles: Collection[str] | None) -> tuple[RouteRules | None, tuple[Problem, ...]]:
    """Check a whole rules file, reporting every problem at once; `articles` (slugs) to check citations against,
    or None not to."""
    problems: list[Problem] = []

    def check(field: str, make, *args):
        try:
            return make(*args)
        except _Invalid as error:
            problems.append(Problem(name, field, str(error)))
            return None

    # Other top-level keys are allowed: they hold the parts that YAML anchors share between routes.
    if not isinstance(data, dict) or not isinstance(data.get("routes"), list) or not data["routes"]:
        return None, (Problem(name, "routes", "must be a list of routes, each with key, name, summary, article, "
                                              "url and needs"),)
    routes = []
    for i, item in enumerate(data["routes"]):
        where = f"routes[{i}]" + (f" ({item['key']})" if isinstance(item, dict) and item.get("key") else "")
        routes.append(check(where, _route, item, where, articles, check))
    keys = [route.key for route in routes if route]
    for key in {key for key in keys if keys.count(key) > 1}:
        problems.append(Problem(name, "routes", f"the key {key!r} is used twice: give each route its own"))
    general = data.get("notes") or []
    if not isinstance(general, list):
        problems.append(Problem(name, "notes", "must be a list of notes"))
        general = []
    notes = [check(f"notes[{i}]", _note, item, articles) for i, item in enumerate(general)]
    if problems:
        return None, tuple(problems)
    return RouteRules(tuple(routes), tuple(notes)), ()


_ROUTE_FIELDS = ("key", "name", "summary", "article", "url", "needs", "notes")
_NEED_FIELDS = ("answer", "in", "min", "max", "from", "until", "otherwise", "why", "article", "when", "unless")
_NOTE_FIELDS = ("text", "article", "when")


def _route(item: Any, where: str, articles: Collection[str] | None, check) -> Route | None:
    """The route, or None when a need or note of it is invalid (each reported on its own)."""
    if not isinstance(item, dict):
        raise _Invalid("must be a route with key, name, summary, article, url and needs")
    _known_fields(item, _ROUTE_FIELDS)
    missing = [field for field in _ROUTE_FIELDS[:-1] if not item.get(field)]
    if missing:
        raise _Invalid(f"missing {', '.join(missing)}")
    if not isinstance(item["needs"], list) or not isinstance(item.get("notes") or [], list):
        raise _Invalid("needs and notes must be lists")
    needs = [check(f"{where} needs[{i}]", _need, need, item["article"], articles)
             for i, need in enumerate(_flat(item["needs"]))]
    notes = [check(f"{where} notes[{i}]", _note, note, articles, item["article"])
             for i, note in enumerate(_flat(item.get("notes") or []))]
    route = Route(key=_text_of(item["key"], "key"), name=_texts(item["name"], "name"),
                  summary=_texts(item["summary"], "summary"), article=_article(item["article"], articles),
                  url=_url(item["url"]), needs=tuple(needs), notes=tuple(notes))
    return None if None in needs or None in notes else route


def _flat(items: list) -> list:
    """A list inside the list counts as its items: YAML anchors cannot splice, so parts shared by routes are
    written once as a list (`notes: [a note, *shared_notes]`)."""
    return [inner for item in items for inner in (item if isinstance(item, list) else [item])]


def _known_fields(item: dict, known: tuple[str, ...]) -> None:
    """A misspelt field would silently change a rule's meaning ("otherwse: check" is a "no")."""
    unknown = [str(field) for field in item if field not in known]
    if unknown:
        raise _Invalid(f"unknown field {', '.join(map(repr, unknown))}: use {', '.join(known)}")


def _need(item: Any, route_article: str, articles: Collection[str] | None) -> Need:
    if not isinstance(item, dict) or "answer" not in item:
        raise _Invalid(f"must name an answer ({', '.join([*ANSWERS, TODAY])}) and what it must be")
    _known_fields(item, _NEED_FIELDS)
    answer = item["answer"]
    if answer not in ANSWERS and answer != TODAY:
        raise _Invalid(f"unknown answer {answer!r}: use one of {', '.join([*ANSWERS, TODAY])}")
    otherwise = item.get("otherwise", "no")
    if otherwise not in OUTCOMES:
        raise _Invalid(f"otherwise must be one of {', '.join(OUTCOMES)}, not {otherwise!r}")
    limits: dict[str, Any]
    if answer == TODAY:
        limits = {"low": _date(item.get("from"), "from"), "high": _date(item.get("until"), "until")}
    elif options(answer)[0].numeric:
        limits = {"low": _number(item.get("min"), "min"), "high": _number(item.get("max"), "max")}
    else:
        limits = {"values": _values(answer, item.get("in"), "in")}
    if "low" in limits:
        if limits["low"] is None and limits["high"] is None:
            raise _Invalid("give from or until (a date)" if answer == TODAY else
                           f"give min or max ({'years' if answer == 'age' else 'millions of rupiah'})")
        if None not in (limits["low"], limits["high"]) and limits["low"] > limits["high"]:
            raise _Invalid("the lower limit is above the upper one")
    return Need(answer=answer, why=_texts(item.get("why"), "why"), otherwise=otherwise,
                article=_article(item.get("article", route_article), articles),
                when=_conditions(item.get("when"), "when"), unless=_conditions(item.get("unless"), "unless"),
                **limits)


def _note(item: Any, articles: Collection[str] | None, route_article: str | None = None) -> Note:
    if not isinstance(item, dict) or "text" not in item:
        raise _Invalid("must have a text (id and en), and may have when and article")
    _known_fields(item, _NOTE_FIELDS)
    if route_article is None and "article" not in item:
        raise _Invalid("missing article: cite the article the note comes from")
    return Note(text=_texts(item["text"], "text"), article=_article(item.get("article", route_article), articles),
                when=_conditions(item.get("when"), "when"))


def _texts(value: Any, field: str) -> dict[str, str]:
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) or not value[lang].strip()
                                          for lang in LANGUAGES):
        raise _Invalid(f"{field} must be written in both languages: {field}: {{id: ..., en: ...}}")
    return {lang: " ".join(value[lang].split()) for lang in LANGUAGES}


def _text_of(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"{field} must be text")
    return value.strip()


def _article(slug: Any, articles: Collection[str] | None) -> str:
    if not isinstance(slug, str) or not slug.strip():
        raise _Invalid("article must be the slug of an article (its file name without .md)")
    if articles is not None and slug not in articles:
        raise _Invalid(f"no article {slug!r} in the knowledge folder: cite an article the bot answers from")
    return slug


def _url(value: Any) -> str:
    try:
        parts = urlsplit(value.strip()) if isinstance(value, str) else None
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Invalid(f"url must be the official http(s) page of the route, not {value!r}")
    return value.strip()


def _values(answer: str, value: Any, field: str) -> frozenset[str]:
    names = [option.name for option in options(answer)]
    if not isinstance(value, list) or not value:
        raise _Invalid(f"{field} must list {answer} options: {', '.join(names)}")
    unknown = [item for item in value if item not in names]
    if unknown:
        raise _Invalid(f"unknown {answer} {', '.join(map(repr, unknown))}: use {', '.join(names)}")
    return frozenset(value)


def _conditions(value: Any, field: str) -> dict[str, frozenset[str]] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not value:
        raise _Invalid(f"{field} must map answers to options, e.g. {field}: {{magang: [completed]}}")
    for answer in value:
        if answer not in ANSWERS:
            raise _Invalid(f"{field}: unknown answer {answer!r}: use {', '.join(ANSWERS)}")
    return {answer: _values(answer, names, field) for answer, names in value.items()}


def _number(value: Any, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(f"{field} must be a number, not {value!r}")
    return float(value)


def _date(value: Any, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise _Invalid(f"{field} must be a date written YYYY-MM-DD, not {value!r}")
