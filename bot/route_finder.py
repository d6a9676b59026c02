"""The route finder's core: the questions in order, the answers given so far, and which routes fit them.

Pure: the rules come from knowledge/routes.yaml, the answers from buttons, today from the caller; out come
verdicts and the text that shows them. The Telegram dialogue (bot/telegram/route_dialogue.py) only carries
answers here and results back.

Answers travel as a string of one-character codes, one per question in order ("bk0o..."): short enough for a
button's data, so a button still works after a restart, when the bot has forgotten the dialogue.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from bot.render import format_date
from bot.texts import text
from knowledge.model import Article
from knowledge.routes import ANSWERS, TODAY, Need, Note, Option, Route, RouteRules

STEPS = tuple(ANSWERS)  # the questions, in the order they are asked
INTEGRAL = frozenset({"age"})  # answers counted in whole units: "max: 26" years includes a 26-year-old
OUTCOME_ORDER = ("fits", "after", "no")  # how verdicts are listed
_SEVERITY = {"check": 1, "after": 2, "no": 3}


def answers_of(codes: str) -> dict[str, str] | None:
    """The answers that codes stand for, by question; None when they are not answers to these questions (forged
    data, or a button from before the questions changed)."""
    if len(codes) > len(STEPS):
        return None
    answers = {}
    for step, code in zip(STEPS, codes):
        option = next((option for option in ANSWERS[step] if option.code == code), None)
        if option is None:
            return None
        answers[step] = option.name
    return answers


def next_step(codes: str) -> str | None:
    """The question to ask after these answers; None when all are answered."""
    return STEPS[len(codes)] if len(codes) < len(STEPS) else None


@dataclass(frozen=True, slots=True)
class Verdict:
    route: Route
    outcome: str  # "fits", "after" (open once the worker does something) or "no"
    needs: tuple[tuple[str, Need], ...]  # the unmet needs shown, each with what it means ("check", "after", "no")
    notes: tuple[Note, ...]  # the route's notes for these answers (none for a route that does not fit)


def evaluate(rules: RouteRules, answers: Mapping[str, str], today: date) -> list[Verdict]:
    """Every route, judged by its needs: the most severe unmet need decides (no > after > check; a route whose
    only unmet needs are checks fits, with them shown). Routes that fit come first, then those open later, then
    the closed ones, each group in the file's order."""
    verdicts = []
    for route in rules.routes:
        unmet = []
        for need in route.needs:
            if not _applies(need, answers):
                continue
            met = _meets(need, answers, today)
            if met != "yes":
                unmet.append(("check" if met == "partly" else need.otherwise, need))
        worst = max((_SEVERITY[outcome] for outcome, _ in unmet), default=0)
        outcome = {0: "fits", 1: "fits", 2: "after", 3: "no"}[worst]
        # A closed route shows the first reason it is closed (one is enough to know); an open one every need
        # still to meet or verify, the weightier first.
        shown = [next(item for item in unmet if item[0] == "no")] if outcome == "no" else sorted(
            unmet, key=lambda item: -_SEVERITY[item[0]])
        notes = () if outcome == "no" else tuple(note for note in route.notes if _matches(note.when, answers))
        verdicts.append(Verdict(route, outcome, tuple(shown), notes))
    return sorted(verdicts, key=lambda verdict: OUTCOME_ORDER.index(verdict.outcome))


def general_notes(rules: RouteRules, answers: Mapping[str, str]) -> tuple[Note, ...]:
    return tuple(note for note in rules.notes if _matches(note.when, answers))


def _matches(conditions: Mapping[str, frozenset[str]] | None, answers: Mapping[str, str]) -> bool:
    """Whether every condition holds (no conditions: always)."""
    return all(answers.get(answer) in names for answer, names in (conditions or {}).items())


def _applies(need: Need, answers: Mapping[str, str]) -> bool:
    return _matches(need.when, answers) and not (need.unless and _matches(need.unless, answers))


def _meets(need: Need, answers: Mapping[str, str], today: date) -> str:
    """"yes", "no", or "partly" (an age or budget band only partly within the need's limits)."""
    if need.answer == TODAY:
        return "yes" if (need.low is None or today >= need.low) and (need.high is None or today <= need.high) else "no"
    option = _option(need.answer, answers[need.answer])
    if not option.numeric:
        return "yes" if option.name in need.values else "no"
    low, high = need.low, need.high
    top = option.high - 1 if need.answer in INTEGRAL else option.high  # the band's largest value (or bound)
    if (low is None or option.low >= low) and (high is None or top <= high):
        return "yes"
    if (low is not None and option.high <= low) or (high is not None and option.low > high):
        return "no"
    return "partly"


def _option(answer: str, name: str) -> Option:
    return next(option for option in ANSWERS[answer] if option.name == name)


# --- what the worker reads ---------------------------------------------------------------------------------

def label(lang: str, step: str, name: str) -> str:
    return text(lang, f"route_{step}_{name}")


def question_html(lang: str, codes: str) -> str:
    """The question after these answers, under a recap of the answers so far (all answered: the recap alone)."""
    step = next_step(codes)
    answers = answers_of(codes) or {}
    recap = " · ".join(_escape(label(lang, answer, name)) for answer, name in answers.items())
    done = min(len(codes) + 1, len(STEPS))
    lines = [text(lang, "route_title") + " " + text(lang, "route_step").format(step=done, steps=len(STEPS))]
    lines += [f"<i>{recap}</i>"] if recap else []
    lines += ["", f"<b>{text(lang, f'route_q_{step}')}</b>"] if step else []
    return "\n".join(lines)


def option_buttons(lang: str, codes: str) -> list[tuple[str, str]]:
    """(label, codes with this option's code added) for each option of the next question."""
    step = next_step(codes)
    return [(label(lang, step, option.name), codes + option.code) for option in ANSWERS[step]]


def result_html(lang: str, verdicts: Sequence[Verdict], answers: Mapping[str, str], notes: Sequence[Note],
                articles: Mapping[str, Article]) -> str:
    """The routes that fit, those open later and those that do not, each with why, its articles and its
    official link. Rule texts are the admins' data: escaped."""
    recap = " · ".join(_escape(label(lang, answer, name)) for answer, name in answers.items())
    blocks = [text(lang, "route_result_title") + f"\n<i>{recap}</i>"]
    for outcome in OUTCOME_ORDER:
        group = [verdict for verdict in verdicts if verdict.outcome == outcome]
        if group:
            blocks.append(f"<b>{text(lang, f'route_{outcome}')}</b>\n\n"
                          + "\n\n".join(_verdict_html(lang, verdict, articles) for verdict in group))
    if notes:
        blocks.append("\n".join(f"💡 {_escape(note.text[lang])}" for note in notes))
    as_of = [articles[slug].as_of for slug in _cited(verdicts, notes) if slug in articles]
    disclaimer = text(lang, "route_disclaimer")
    if as_of:
        disclaimer += " " + text(lang, "route_checked").format(date=format_date(min(as_of), lang))
    blocks.append(f"<i>{disclaimer}</i>")
    return "\n\n".join(blocks)


def _verdict_html(lang: str, verdict: Verdict, articles: Mapping[str, Article]) -> str:
    route = verdict.route
    lines = [f"<b>{_escape(route.name[lang])}</b>"]
    if verdict.outcome != "no":
        lines.append(_escape(route.summary[lang]))
    for kind, need in verdict.needs:
        lines.append(f"• {text(lang, f'route_need_{kind}')}: {_escape(need.why[lang])}")
    lines += [f"• {_escape(note.text[lang])}" for note in verdict.notes]
    cited = [_subject(articles[slug]) for slug in _cited([verdict], ()) if slug in articles]
    if cited:
        lines.append("📄 " + _escape(" · ".join(cited)))
    host = urlsplit(route.url).hostname or route.url  # the site, which a worker can recognise; the link goes deeper
    lines.append(f'🔗 <a href="{html.escape(route.url)}">{_escape(host)}</a>')
    return "\n".join(lines)


def _escape(words: str) -> str:
    return html.escape(words, quote=False)


def _cited(verdicts: Sequence[Verdict], notes: Sequence[Note]) -> list[str]:
    """The articles behind what is shown, route articles first, each once."""
    slugs = [verdict.route.article for verdict in verdicts]
    slugs += [need.article for verdict in verdicts for _, need in verdict.needs]
    slugs += [note.article for verdict in verdicts for note in verdict.notes] + [note.article for note in notes]
    return list(dict.fromkeys(slugs))


def _subject(article: Article) -> str:
    """A title's subject, before the list of what it covers: "Syarat SSW: usia, pendidikan, …" -> "Syarat SSW"."""
    return article.title.split(": ", 1)[0].split(", ", 1)[0]
