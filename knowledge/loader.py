"""Article files → Articles, with every defect reported as a Problem instead of raised.

`parse_article` is pure so an admin's upload is checked before it is written; `load_articles` is the
only function of the knowledge side that touches the disk.
"""

from __future__ import annotations

import re
import reprlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urlsplit

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from knowledge.cleaner import clean_news_text, news_date, news_outlet
from knowledge.facts import FACTS_FILE, SHIPPED_FACTS, load_facts
from knowledge.model import TOPICS, Article, LoadResult, Problem, ScopeExamples
from knowledge.routes import load_routes
from knowledge.text import detect_language, split_sentences
from knowledge.yaml_files import SafeLoader, safe_load


class _AliasRefused(yaml.YAMLError):
    def __init__(self, alias: str) -> None:
        super().__init__(f"uses an alias (*{alias[:40]}): write each value out instead")


class _FrontMatterYAML(YAMLHandler):
    """Safe YAML without aliases. "*name" lets a few hundred bytes stand for billions of items (a 630-byte
    upload made a 312 MB error message); no article needs one, so the events are checked before loading."""

    def load(self, fm: str, **kwargs: object) -> Any:
        loader = kwargs.setdefault("Loader", SafeLoader)
        for event in yaml.parse(fm, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                raise _AliasRefused(event.anchor or "")
        return super().load(fm, **kwargs)


_YAML = _FrontMatterYAML()  # YAML only: a "+++" TOML or JSON block is not our format
SCOPE_FILE = "scope.yaml"  # the labelled questions of embeddings/scope.py, beside the articles they are about
SHIPPED_SCOPE = Path(__file__).resolve().parent / "articles" / SCOPE_FILE  # for a knowledge folder without one
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_LANGUAGES = ("id", "en")

# Below this an article is a stub: no passage would carry enough context to answer anything.
MIN_BODY_WORDS = 20

# A title made from a news text's first sentence: long enough to recognise, short enough for a button.
TITLE_WORDS = 12

# A title heads the sources of every answer from the article and a source is printed as a link: neither
# may grow long enough to fill a Telegram message (4,096 characters) by itself.
MAX_TITLE_CHARS = 300
MAX_URL_CHARS = 1000

# "key: value" lines that may open a .txt news text, mapped to the article field they fill.
_TXT_HEADER_KEYS = {
    "title": "title", "judul": "title",
    "source": "sources", "sumber": "sources", "url": "sources",
    "date": "as_of", "tanggal": "as_of", "as_of": "as_of",
    "topics": "topics", "topik": "topics",
    "lang": "lang",
}
_TXT_HEADER = re.compile(rf"\s*({'|'.join(_TXT_HEADER_KEYS)})\s*:\s*(.*)", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
_DATE_DMY = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")  # "22/4/2024", as Indonesian sites write it

# Values quoted in problem messages are cut: a message must stay readable whatever the file holds.
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 2, 60, 60
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 4
LISTED_VALUES = 4  # bad sources or topics named in one message


class _Invalid(ValueError):
    """A field value a person must correct; its message is the reason shown to them."""


def parse_article(filename: str, text: str, *, today: date) -> tuple[Article | None, tuple[Problem, ...]]:
    """Check one file's text completely, so its author sees every problem in one go."""
    name = PurePath(filename).name
    path = PurePath(name)
    text = text.replace("\r\n", "\n")
    problems: list[Problem] = []
    slug = article_id(name)
    if not slug:
        problems.append(Problem(name, "filename", (
            f"{path.stem!r} has no letters or digits to make an article id of: rename it, e.g. syarat-ssw.md")))
    if path.suffix.lower() == ".md":
        fields, more = _markdown_fields(name, text, today)
    elif path.suffix.lower() == ".txt":
        fields, more = _news_fields(name, text, today)
    else:
        return None, (Problem(name, "filename", "only .md articles and .txt news text are accepted"),)
    problems += more
    if problems:
        return None, tuple(problems)
    return Article(slug=slug, **fields), ()


# A reload reads every file again; an unchanged one (same name, text and day) is parsed once: YAML front
# matter is most of the load time of a large base (docs/benchmarks.md, the one-article reload).
_parse_memo = lru_cache(maxsize=20_000)(parse_article)


def article_id(filename: str) -> str:
    """The article's id, from its file name as saved or pasted: "Berita_Visa 2024.TXT" -> "berita-visa-2024",
    "000_b306bb71bdae2fe5.txt" -> "000-b306bb71bdae2fe5". Stable, so passage ids and citations stay."""
    return _NOT_SLUG.sub("-", PurePath(filename).stem.lower()).strip("-")


def load_articles(folder: Path, *, today: date) -> LoadResult:
    """Read a knowledge folder; any problem anywhere is reported together with all the others."""
    paths = sorted(
        path for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in (".md", ".txt")
        and not path.name.startswith((".", "_")) and path.name.lower() != "readme.md"
    )
    parsed: list[tuple[str, Article | None]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            text = path.read_bytes().decode("utf-8-sig")  # tolerate the BOM some Windows editors add
        except UnicodeDecodeError as error:
            line = error.object[:error.start].count(b"\n") + 1
            reason = f"not UTF-8 text (line {line}): save the file as UTF-8"
            problems.append(Problem(path.name, "encoding", reason))
            parsed.append((path.name, None))
            continue
        article, found = _parse_memo(path.name, text, today=today)
        problems += found
        parsed.append((path.name, article))
    problems += _clashes(parsed)
    failed = {problem.file for problem in problems}
    articles = tuple(article for name, article in parsed if article and name not in failed)
    scope, scope_problems = load_scope_examples(_own_or_shipped(folder / SCOPE_FILE, SHIPPED_SCOPE))
    facts, fact_problems = load_facts(_own_or_shipped(folder / FACTS_FILE, SHIPPED_FACTS))
    # A rule citing an invalid article is not wrong too: the article's own problem is the one to fix.
    routes, route_problems = load_routes(folder, {article_id(name) for name, _ in parsed})
    return LoadResult(articles=articles, problems=tuple(problems) + scope_problems + fact_problems + route_problems,
                      scope=scope, facts=facts, routes=routes)


def _own_or_shipped(path: Path, shipped: Path) -> Path:
    """A knowledge folder's own file, or the shipped one where the folder has none."""
    return path if path.is_file() else shipped


def load_scope_examples(path: Path) -> tuple[ScopeExamples, tuple[Problem, ...]]:
    """`in_scope` and `out_of_scope`: lists of questions, each a string or an item with a `q`."""
    try:
        return _scope_examples(path.name, path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return ScopeExamples(), (Problem(path.name, "yaml", f"cannot be read: {error}"),)


@lru_cache(maxsize=4)
def _scope_examples(name: str, source: str) -> tuple[ScopeExamples, tuple[Problem, ...]]:
    """Parsed once per text: two thousand examples are a tenth of a second of YAML at every reload."""
    try:
        data = safe_load(source)
    except yaml.YAMLError as error:
        return ScopeExamples(), (Problem(name, "yaml", f"cannot be read: {error}"),)
    lists = {}
    for key in ("in_scope", "out_of_scope"):
        items = data.get(key) if isinstance(data, dict) else None
        texts = [item.get("q") if isinstance(item, dict) else item for item in items or ()]
        if not isinstance(items, list) or not all(isinstance(text, str) and text.strip() for text in texts):
            return ScopeExamples(), (Problem(name, key, "must be a list of questions (strings or items with q:)"),)
        lists[key] = tuple(dict.fromkeys(text.strip() for text in texts))
    return ScopeExamples(**lists), ()


def _clashes(parsed: list[tuple[str, Article | None]]) -> list[Problem]:
    """Slugs key passages and citations, titles name sources: both must be unique across files."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    by_title: dict[str, list[str]] = defaultdict(list)
    for name, article in parsed:
        by_slug[article_id(name)].append(name)
        if article:
            by_title[article.title.casefold()].append(name)
    return [
        *_each_of(by_slug, "filename", "same article id as {}: rename one, the file name is the article's id"),
        *_each_of(by_title, "title",
                  "same title as {}: give each article its own so citations can be told apart"),
    ]


def _each_of(groups: dict[str, list[str]], field: str, reason: str) -> Iterable[Problem]:
    """Report a clash on every file involved: which of them is the right one is the author's call."""
    for names in groups.values():
        if len(names) > 1:
            for name in names:
                others = ", ".join(other for other in names if other != name)
                yield Problem(name, field, reason.format(others))


# --- .md: YAML front matter ---------------------------------------------------------------------

def _markdown_fields(name: str, text: str, today: date) -> tuple[dict[str, Any], list[Problem]]:
    """An article written for the bot: every field is required and checked."""
    try:
        metadata, content = frontmatter.parse(text, handler=_YAML)
    except (yaml.YAMLError, ValueError) as error:  # ValueError: a date that does not exist, "2026-02-30"
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        return {}, [Problem(name, "front matter", f"not valid YAML{where}: {problem}")]
    body_problems = _body_problems(name, content)
    if not _YAML.detect(text):
        return {}, [Problem(name, "front matter", (
            "missing: start the file with a --- block holding title, sources, as_of, lang and topics"
        ))] + body_problems
    missing = {
        "title": "missing: add a title, e.g. title: Syarat visa SSW",
        "sources": (
            "missing: list the http(s) links the facts come from, e.g. sources: [https://www.ssw.go.jp/]"),
        "as_of": f"missing: add the date the facts were checked, e.g. as_of: {today.isoformat()}",
        "lang": "missing: add lang: id or lang: en",
        "topics": f"missing: list one or more of {_allowed_topics()}",
    }
    checks: dict[str, Callable[[Any], Any]] = {
        "title": _title,
        "sources": _sources,
        "as_of": lambda value: _as_of(value, today),
        "lang": _lang,
        "topics": _topics,
    }
    fields: dict[str, Any] = {"body": content.strip()}
    problems = []
    for field, check in checks.items():
        value = metadata.get(field)
        try:
            if value is None or value == "" or value == []:
                raise _Invalid(missing[field])
            fields[field] = check(value)
        except _Invalid as error:
            problems.append(Problem(name, field, str(error)))
    return fields, problems + body_problems


def _title(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"must be text, not {_shown(value)}")
    if len(value.strip()) > MAX_TITLE_CHARS:
        raise _Invalid(f"too long: {len(value.strip())} characters; at most {MAX_TITLE_CHARS}")
    return value.strip()


def _sources(value: Any) -> tuple[str, ...]:
    urls = [value] if isinstance(value, str) else value
    if not isinstance(urls, list):
        raise _Invalid("must be a list of http(s) links, e.g. sources: [https://www.ssw.go.jp/]")
    bad = [url for url in urls if not _is_web_link(url)]
    if bad:
        raise _Invalid(f"not a web link: {_listed(bad)}: each source must start with http:// or https://")
    long = [url for url in urls if len(url.strip()) > MAX_URL_CHARS]
    if long:
        raise _Invalid(f"too long: {_listed(long)}: a link may have at most {MAX_URL_CHARS} characters")
    return tuple(dict.fromkeys(url.strip() for url in urls))


def _is_web_link(url: Any) -> bool:
    if not isinstance(url, str) or any(char.isspace() for char in url.strip()):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. "http://[broken"
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _as_of(value: Any, today: date) -> date:
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        value = _parse_date(value)
    if not isinstance(value, date):
        raise _Invalid(f"{_shown(value)} is not a date: write it as YYYY-MM-DD, e.g. as_of: {today.isoformat()}")
    if value > today:
        raise _Invalid(
            f"{value.isoformat()} is in the future (today is {today.isoformat()}): use the date the facts were checked")
    return value


def _parse_date(text: str) -> date | str:
    """ISO dates as written in front matter, or "22/4/2024" as written on Indonesian sites."""
    text = text.strip()
    try:
        if dmy := _DATE_DMY.fullmatch(text):
            day, month, year = map(int, dmy.groups())
            return date(year, month, day)
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else text
    except ValueError:  # "2024-02-30"
        return text


def _lang(value: Any) -> str:
    if value not in _LANGUAGES:
        raise _Invalid(f"must be id or en, not {_shown(value)}")
    return value


def _topics(value: Any) -> tuple[str, ...]:
    topics = [value] if isinstance(value, str) else value
    if not isinstance(topics, list):
        raise _Invalid(f"must be a list of topics, e.g. topics: [ssw]; allowed: {_allowed_topics()}")
    unknown = [topic for topic in topics if not (isinstance(topic, str) and topic in TOPICS)]
    if unknown:
        raise _Invalid(f"unknown topic {_listed(unknown)}: use one of {_allowed_topics()}")
    return tuple(dict.fromkeys(topics))


def _shown(value: Any) -> str:
    return _SHORT.repr(value)


def _listed(values: list[Any]) -> str:
    """The first few bad values, cut, and how many more there are."""
    shown = ", ".join(_shown(value) for value in values[:LISTED_VALUES])
    return shown + (f" and {len(values) - LISTED_VALUES} more" if len(values) > LISTED_VALUES else "")


def _allowed_topics() -> str:
    return ", ".join(sorted(TOPICS))


def _body_problems(name: str, body: str) -> list[Problem]:
    words = len(body.split())
    if words >= MIN_BODY_WORDS:
        return []
    reason = "missing: write the article below the front matter" if not words else (
        f"too short: {words} words; write at least {MIN_BODY_WORDS} so a passage can answer a question")
    return [Problem(name, "body", reason)]


# --- .txt: news text pasted by an admin ---------------------------------------------------------

def _news_fields(name: str, text: str, today: date) -> tuple[dict[str, Any], list[Problem]]:
    """Pasted news text: optional "key: value" header lines, everything else is derived."""
    lines = text.split("\n")
    header: dict[str, list[str]] = defaultdict(list)
    while lines and (line := _TXT_HEADER.fullmatch(lines[0])):
        if value := line.group(2).strip():  # an empty "Sumber:" line means "not given"
            header[_TXT_HEADER_KEYS[line.group(1).lower()]].append(value)
        lines.pop(0)
    raw = "\n".join(lines)
    body = clean_news_text(raw)
    checks: dict[str, tuple[Callable[[Any], Any], Callable[[], Any]]] = {
        "title": (lambda values: _title(" ".join(values)), lambda: _title_from(body)),
        "sources": (lambda values: _sources(_split_list(values)), lambda: _sources_in(raw, body)),
        "as_of": (lambda values: _as_of(values[-1], today), lambda: _date_in(raw, today)),
        "lang": (lambda values: _lang(values[-1].lower()), lambda: detect_language(body)),
        "topics": (lambda values: _topics([t.lower() for t in _split_list(values)]), lambda: ("news",)),
    }
    fields: dict[str, Any] = {"body": body}
    problems = []
    for field, (check, default) in checks.items():
        try:
            fields[field] = check(header[field]) if header.get(field) else default()
        except _Invalid as error:
            problems.append(Problem(name, field, str(error)))
    return fields, problems + _body_problems(name, body)


def _split_list(values: Iterable[str]) -> list[str]:
    """ "ssw, magang" or "ssw magang", over one header line or several."""
    return [item for value in values for item in re.split(r"[\s,;]+", value) if item]


def _title_from(body: str) -> str:
    """A news text's first sentence says what it is about; its first words make a fair title."""
    sentences = split_sentences(body)
    if not sentences:
        raise _Invalid("missing: the text is empty, so no title can be taken from it; add a line title: ...")
    title = " ".join(sentences[0].split()[:TITLE_WORDS])[:MAX_TITLE_CHARS].rstrip(".,;:!?…\"'”’-–— ")
    if not title:
        raise _Invalid("the text's first sentence has no words to make a title of; add a line title: ...")
    return title


def _sources_in(raw: str, body: str) -> tuple[str, ...]:
    """The outlet the dateline names ("jpnn.com, TOKYO - "), then any link pasted in the text."""
    outlet = news_outlet(raw)
    urls = [url for url in (found.rstrip(".,;:!?") for found in _URL.findall(body))
            if _is_web_link(url) and len(url) <= MAX_URL_CHARS]
    return tuple(dict.fromkeys(([f"https://{outlet}"] if outlet else []) + urls))


def _date_in(raw: str, today: date) -> date:
    """The story's own date, never the day it was pasted: a news text is as current as its event."""
    found = news_date(raw, not_after=today)
    if found is None:
        raise _Invalid("no date found in the text: add a first line such as tanggal: 22/4/2024")
    return found
