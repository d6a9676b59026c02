"""Measuring answers on gold sets of worker questions: retrieval hits, key facts, and declines.

    python -m tools.evaluate [--gold FILE ...] [--sweep] [--show-misses] [--scope]

Every question goes through the bot's own pipeline (bot/pipeline.py), so the figures are those of the
answers workers get. It measures; nothing here may be tuned to single questions.

A gold set (YAML) has three lists: `questions` (in scope, answerable: the articles that answer each and a
key fact, or several alternative spellings of it, that the answer must contain), `unanswerable` (in scope,
but the knowledge base does not answer them: the right reply is a decline, and an answer is an answer about
something else), and `out_of_scope` (to decline). A question may carry `lang: en`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import click
import numpy as np
import yaml

from bot.decision import decide
from bot.pipeline import Asked, Pipeline, Result
from bot.render import to_plain
from embeddings.encoder import Encoder
from embeddings.scope import ScopeModel
from embeddings.snapshot import METHODS, Snapshot, scope_inputs
from knowledge.model import ScopeExamples
from tools.metrics import first_rank
from tools.report import markdown_table

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"
EVAL_SET = EVAL_DIR / "questions.yaml"
RANK_DEPTH = 10  # MRR@10
FOLDS = 5


@dataclass(frozen=True, slots=True)
class GoldQuestion:
    text: str
    articles: tuple[str, ...]  # slugs of the articles that answer it
    facts: tuple[str, ...]  # any of these in the answer shows the key fact
    lang: str = "id"


@dataclass(frozen=True, slots=True)
class EvalSet:
    questions: tuple[GoldQuestion, ...]
    out_of_scope: tuple[str, ...]
    unanswerable: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EvalResult:
    method: str
    hit1: float
    hit3: float
    mrr: float  # of the first passage from a right article, over the top RANK_DEPTH
    fact: float  # share of in-scope answerable questions whose answer contains the key fact
    wrongly_declined: float  # share of in-scope answerable questions declined
    oos_declined: float  # share of out-of-scope questions declined
    ms_per_question: float
    unanswerable_answered: float | None = None  # share of unanswerable questions answered anyway (about something else)
    by_lang: dict[str, tuple[int, float]] = field(default_factory=dict)  # lang -> (questions, key fact share)


def _facts(item: dict) -> tuple[str, ...]:
    fact = item["fact"]
    return tuple(str(f) for f in fact) if isinstance(fact, list) else (str(fact),)


def _text(item: str | dict) -> str:
    return item["q"] if isinstance(item, dict) else item


def load_eval_set(path: Path = EVAL_SET) -> EvalSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = tuple(
        GoldQuestion(item["q"], tuple(item["articles"]), _facts(item), item.get("lang", "id"))
        for item in data["questions"]
    )
    return EvalSet(questions, tuple(_text(q) for q in data.get("out_of_scope") or ()),
                   tuple(_text(q) for q in data.get("unanswerable") or ()))


def has_fact(reply: Result, facts: Sequence[str]) -> bool:
    text = to_plain(reply).lower()
    return reply.answered and any(fact.lower() in text for fact in facts)


def evaluate(snapshot: Snapshot, encoder: Encoder, gold: EvalSet, method: str = "hybrid",
             pipeline: Pipeline = Pipeline()) -> EvalResult:
    return score(gold, *search(snapshot, encoder, gold, method, pipeline), snapshot=snapshot, method=method,
                 pipeline=pipeline)


def search(snapshot: Snapshot, encoder: Encoder, gold: EvalSet, method: str = "hybrid",
           pipeline: Pipeline = Pipeline()) -> tuple[list[Asked], float]:
    """Retrieve every question of the set once (threshold sweeps then re-run only the decision)."""
    texts = [q.text for q in gold.questions] + list(gold.unanswerable) + list(gold.out_of_scope)
    started = time.perf_counter()
    retrieved = pipeline.retrieve(snapshot, encoder, texts, method=method, k=RANK_DEPTH)
    return retrieved, (time.perf_counter() - started) / max(len(texts), 1)


def score(gold: EvalSet, retrieved: Sequence[Asked], seconds_per_question: float, *, snapshot: Snapshot,
          method: str, pipeline: Pipeline = Pipeline()) -> EvalResult:
    replies = pipeline.compose(snapshot, retrieved)
    n_in, n_un = len(gold.questions), len(gold.unanswerable)
    in_scope, unanswerable, out_of_scope = replies[:n_in], replies[n_in:n_in + n_un], replies[n_in + n_un:]
    # a message asking several things is ranked on its first question, the one its key fact is for
    ranks = [first_rank([hit.passage.article for hit in asked.retrieved[0].hits], q.articles)
             for q, asked in zip(gold.questions, retrieved)]
    facts = [has_fact(reply, q.facts) for q, reply in zip(gold.questions, in_scope)]
    by_lang = {}
    for lang in sorted({q.lang for q in gold.questions}):
        mine = [ok for q, ok in zip(gold.questions, facts) if q.lang == lang]
        by_lang[lang] = (len(mine), sum(mine) / len(mine))
    n = max(n_in, 1)
    return EvalResult(
        method=method,
        hit1=sum(rank == 1 for rank in ranks) / n,
        hit3=sum(rank is not None and rank <= 3 for rank in ranks) / n,
        mrr=sum(1 / rank for rank in ranks if rank) / n,
        fact=sum(facts) / n,
        wrongly_declined=sum(not a.answered for a in in_scope) / n,
        oos_declined=sum(not a.answered for a in out_of_scope) / max(len(out_of_scope), 1),
        ms_per_question=1000 * seconds_per_question,
        unanswerable_answered=sum(a.answered for a in unanswerable) / n_un if n_un else None,
        by_lang=by_lang,
    )


@dataclass(frozen=True, slots=True)
class Dialogue:
    """Two turns: a question, then a follow-up meant in its context (`kind` "followup"), or a new question
    that must not inherit the first one's subject (`kind` "fresh")."""

    first: str
    then: str
    kind: str
    lang: str
    articles: tuple[str, ...]  # that answer `then` as meant; empty if the knowledge base does not
    facts: tuple[str, ...]


def load_dialogues(path: Path) -> tuple[Dialogue, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(Dialogue(item["first"], item["then"], item["kind"], item.get("lang", "id"),
                          tuple(item.get("articles") or ()), tuple(str(f) for f in item.get("fact") or ()))
                 for item in data["dialogues"])


@dataclass(frozen=True, slots=True)
class DialogueResult:
    kind: str
    answerable: int
    hit3: float  # of the follow-ups the knowledge base answers: a right article in the top 3
    fact: float  # ...and their key fact in the reply
    unanswerable_answered: float | None  # of the follow-ups it does not answer: answered anyway
    by_lang: dict[str, tuple[int, float]]


def evaluate_dialogues(snapshot: Snapshot, encoder: Encoder, dialogues: Sequence[Dialogue], *, context: bool = True,
                       pipeline: Pipeline = Pipeline()) -> list[DialogueResult]:
    """The second turns, each asked after its first (`context`) or alone, as a chat without memory would."""
    previous = [d.first for d in dialogues] if context else None
    asked = pipeline.retrieve(snapshot, encoder, [d.then for d in dialogues], previous=previous)
    replies = pipeline.compose(snapshot, asked)
    results = []
    for kind in sorted({d.kind for d in dialogues}):
        rows = [(d, a, r) for d, a, r in zip(dialogues, asked, replies) if d.kind == kind]
        answerable = [(d, a, r) for d, a, r in rows if d.articles]
        unanswerable = [r for d, _, r in rows if not d.articles]
        ranks = [first_rank([h.passage.article for h in a.retrieved[0].hits], d.articles) for d, a, _ in answerable]
        facts = [has_fact(r, d.facts) for d, _, r in answerable]
        by_lang = {lang: (len(mine), sum(mine) / len(mine)) for lang in sorted({d.lang for d, _, _ in answerable})
                   for mine in [[ok for (d, _, _), ok in zip(answerable, facts) if d.lang == lang]]}
        n = max(len(answerable), 1)
        results.append(DialogueResult(
            kind, len(answerable), sum(r is not None and r <= 3 for r in ranks) / n, sum(facts) / n,
            sum(r.answered for r in unanswerable) / len(unanswerable) if unanswerable else None, by_lang))
    return results


@dataclass(frozen=True, slots=True)
class ScopeCheck:
    """Declines on the labelled scope examples, each judged by a scope model fitted without it."""

    in_scope_declined: float
    out_of_scope_declined: float
    in_scope_declined_without: float  # coverage and rules alone
    out_of_scope_declined_without: float


def cross_validate_scope(snapshot: Snapshot, encoder: Encoder, examples: ScopeExamples, folds: int = FOLDS,
                         pipeline: Pipeline = Pipeline()) -> ScopeCheck:
    """K-fold cross-validation of the scope model on its own examples: the honest view of what it adds,
    since a model judging the questions it was fitted on would look perfect."""
    texts = [*examples.in_scope, *examples.out_of_scope]
    retrieved = [dataclasses.replace(asked.retrieved[0], in_domain=None)
                 for asked in pipeline.retrieve(snapshot, encoder, texts)]
    features = scope_inputs(np.stack([found.vector for found in retrieved]), [found.hits for found in retrieved])
    labels = np.r_[np.ones(len(examples.in_scope), bool), np.zeros(len(examples.out_of_scope), bool)]
    fold_of = np.empty(len(texts), int)
    for label in (True, False):  # stratified: each fold gets its share of both classes
        rows = np.random.default_rng(0).permutation(np.flatnonzero(labels == label))
        fold_of[rows] = np.arange(len(rows)) % folds
    in_domain = np.empty(len(texts))
    for fold in range(folds):
        train = fold_of != fold
        model = ScopeModel.fit(features[train & labels], features[train & ~labels])
        in_domain[~train] = model.in_domain(features[~train])
    without = np.array([not decide(found, pipeline.policy).answers for found in retrieved])  # rules and coverage
    declined = without | (in_domain < pipeline.policy.min_in_domain)
    return ScopeCheck(declined[labels].mean(), declined[~labels].mean(), without[labels].mean(),
                      without[~labels].mean())


def misses(snapshot: Snapshot, encoder: Encoder, gold: EvalSet, method: str = "hybrid",
           pipeline: Pipeline = Pipeline()) -> list[str]:
    """Questions whose right article is not in the top 3, for reading (never for tuning single answers)."""
    retrieved = pipeline.retrieve(snapshot, encoder, [q.text for q in gold.questions], method=method)
    lines = []
    for q, asked in zip(gold.questions, retrieved):
        articles = [hit.passage.article for hit in asked.retrieved[0].hits[:3]]
        if first_rank(articles, q.articles) is None:
            lines.append(f"{q.text!r}: wanted {', '.join(q.articles)}; got {', '.join(articles)}")
    return lines


def format_table(results: Sequence[EvalResult]) -> str:
    rows = [[r.method, r.hit1, r.hit3, r.mrr, r.fact, r.wrongly_declined, r.oos_declined,
             "" if r.unanswerable_answered is None else r.unanswerable_answered,
             ", ".join(f"{lang} {share:.3f} ({count})" for lang, (count, share) in r.by_lang.items()),
             f"{r.ms_per_question:.1f}"] for r in results]
    return markdown_table(["method", "hit@1", "hit@3", "MRR@10", "key fact in answer", "in-scope declined",
                           "out-of-scope declined", "unanswerable answered", "key fact by language", "ms/question"],
                          rows)


def is_dialogue_set(path: Path) -> bool:
    """Two-turn dialogue sets (tests/eval/dialogues*.yaml) are scored apart from single questions."""
    return path.stem.startswith("dialogues")


def floors_toml(results: dict[str, EvalResult], dialogues: dict[str, Sequence[DialogueResult]],
                measured_on: str) -> str:
    """The figures as tests/eval/floors.toml, which the eval test holds every later change to."""
    lines = [f"# Measured {measured_on} with the shipped model and knowledge by `python -m tools.evaluate --floors`.",
             "# tests/eval/test_domain_eval.py lets each figure fall by max(0.03, two questions) before it fails.", ""]
    for name, r in sorted(results.items()):
        lines += [f"[sets.{name}]", f"hit3 = {r.hit3:.3f}", f"fact = {r.fact:.3f}",
                  f"in_scope_declined = {r.wrongly_declined:.3f}", f"out_of_scope_declined = {r.oos_declined:.3f}"]
        if r.unanswerable_answered is not None:
            lines.append(f"unanswerable_answered = {r.unanswerable_answered:.3f}")
        lines.append("")
    for name, kinds in sorted(dialogues.items()):
        for r in kinds:
            lines += [f"[dialogues.{name}.{r.kind}]", f"hit3 = {r.hit3:.3f}", f"fact = {r.fact:.3f}", ""]
    return "\n".join(lines)


@click.command()
@click.option("--gold", "golds", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A gold question set (repeatable; default: tests/eval/questions.yaml).")
@click.option("--method", "methods", multiple=True, type=click.Choice(METHODS),
              help="Search methods to compare (repeatable; default: all four).")
@click.option("--sweep", is_flag=True, help="Also show declines at other coverage and scope thresholds.")
@click.option("--show-misses", is_flag=True, help="List questions whose right article is not in the top 3.")
@click.option("--scope", is_flag=True, help="Also cross-validate the scope model on its labelled examples.")
@click.option("--dialogues", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A set of two-turn dialogues: follow-ups scored with and without the first turn.")
@click.option("--floors", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Measure every set in tests/eval and write the figures the eval test holds changes to.")
def main(golds: tuple[Path, ...], methods: tuple[str, ...], sweep: bool, show_misses: bool, scope: bool,
         dialogues: Path | None, floors: Path | None) -> None:
    """Score retrieval and answers of the configured knowledge base on gold questions."""
    from bot.__main__ import _open_knowledge, _settings
    from knowledge.loader import load_articles

    settings = _settings()
    kb, encoder = _open_knowledge(settings)
    pipeline = Pipeline()
    if floors:
        paths = sorted(EVAL_DIR.glob("*.yaml"))
        sets = {path.stem: evaluate(kb.snapshot, encoder, load_eval_set(path), "hybrid", pipeline)
                for path in paths if not is_dialogue_set(path)}
        follow_ups = {path.stem: evaluate_dialogues(kb.snapshot, encoder, load_dialogues(path), pipeline=pipeline)
                      for path in paths if is_dialogue_set(path)}
        floors.write_text(floors_toml(sets, follow_ups, date.today().isoformat()), encoding="utf-8")
        click.echo(f"wrote {floors}")
        return
    for path in golds or (() if dialogues else (EVAL_SET,)):
        gold = load_eval_set(path)
        click.echo(f"\n{path.name}: {len(gold.questions)} questions, {len(gold.unanswerable)} unanswerable, "
                   f"{len(gold.out_of_scope)} out of scope; {kb.snapshot.manifest.passages} passages, "
                   f"model {kb.snapshot.manifest.model}\n")
        click.echo(format_table([evaluate(kb.snapshot, encoder, gold, method, pipeline)
                                 for method in methods or METHODS]))
        if sweep:
            retrieved, seconds = search(kb.snapshot, encoder, gold, "hybrid", pipeline)
            click.echo("\ncoverage threshold sweep (hybrid):")
            for threshold in np.arange(0.20, 0.81, 0.05):
                r = score(gold, retrieved, seconds, snapshot=kb.snapshot, method="hybrid",
                          pipeline=pipeline.with_policy(min_coverage=float(threshold)))
                click.echo(f"  {threshold:.2f}: in-scope declined {r.wrongly_declined:.3f}, "
                           f"out-of-scope declined {r.oos_declined:.3f}, key fact {r.fact:.3f}")
            click.echo("\nscope threshold sweep (hybrid; 0 turns the scope model off):")
            for threshold in np.arange(0.0, 0.71, 0.1):
                r = score(gold, retrieved, seconds, snapshot=kb.snapshot, method="hybrid",
                          pipeline=pipeline.with_policy(min_in_domain=float(threshold)))
                click.echo(f"  {threshold:.1f}: in-scope declined {r.wrongly_declined:.3f}, "
                           f"out-of-scope declined {r.oos_declined:.3f}")
        if show_misses:
            click.echo("\n" + "\n".join(misses(kb.snapshot, encoder, gold)))
    if dialogues:
        items = load_dialogues(dialogues)
        for context in (False, True):
            click.echo(f"\n{dialogues.name}, second turns {'after the first' if context else 'asked alone'}:")
            click.echo(markdown_table(
                ["kind", "answerable", "hit@3", "key fact", "unanswerable answered", "key fact by language"],
                [[r.kind, r.answerable, r.hit3, r.fact, "" if r.unanswerable_answered is None else r.unanswerable_answered,
                  ", ".join(f"{lang} {share:.3f} ({count})" for lang, (count, share) in r.by_lang.items())]
                 for r in evaluate_dialogues(kb.snapshot, encoder, items, context=context, pipeline=pipeline)]))
    if scope:
        examples = load_articles(settings.knowledge_dir, today=date.today()).scope
        check = cross_validate_scope(kb.snapshot, encoder, examples, pipeline=pipeline)
        click.echo(f"\nscope examples ({len(examples.in_scope)} in scope, {len(examples.out_of_scope)} out), "
                   f"{FOLDS}-fold cross-validated: in-scope declined {check.in_scope_declined:.3f} "
                   f"(coverage alone {check.in_scope_declined_without:.3f}), out-of-scope declined "
                   f"{check.out_of_scope_declined:.3f} (coverage alone {check.out_of_scope_declined_without:.3f})")


if __name__ == "__main__":
    main()
