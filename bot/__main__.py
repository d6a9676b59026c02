"""Command line: `python -m bot` (the Telegram bot, or the console chat without a token), chat, ask, reindex."""

from __future__ import annotations

import json
import logging
import sys

import click

from bot.config import Settings, SettingsError, load_settings

NO_TOKEN = (
    "TELEGRAM_BOT_TOKEN is not set, so the Telegram bot cannot start.\n"
    "To get a token: open Telegram, talk to @BotFather, send /newbot and follow the steps, then run\n"
    "  TELEGRAM_BOT_TOKEN=<token> python -m bot\n"
    "Meanwhile, here is the same bot as a console chat (also: python -m bot chat)."
)


class ConfigError(click.ClickException):
    exit_code = 2


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        raise ConfigError(str(error)) from None


def _setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _open_knowledge(settings: Settings):
    """One encoder for building and asking: the CLI runs everything in one thread."""
    from bot.knowledge_base import KnowledgeBase
    from embeddings.encoder import load_encoder

    encoder = load_encoder(settings.embedding_model, settings.embedding_backend)
    kb = KnowledgeBase(settings.knowledge_dir, settings.bot_data_dir, settings.embedding_model, lambda: encoder)
    report = kb.open()
    if report is not None and not report.published:
        raise click.ClickException(_problems_text(report))
    return kb, encoder


def _problems_text(report) -> str:
    if report.already_running:
        return "another rebuild is running"
    return "the knowledge base has invalid articles, nothing was published:\n" + "\n".join(
        f"  {problem}" for problem in report.problems
    )


@click.group(invoke_without_command=True)
@click.option("-v", "--verbose", is_flag=True, help="Log what the bot does.")
@click.pass_context
def cli(context: click.Context, verbose: bool) -> None:
    """Tanya Jepang: answers about working in Japan (SSW, magang, BPVP), with sources."""
    _setup_logging(verbose)
    if context.invoked_subcommand is None:
        settings = _settings()
        if settings.telegram_bot_token is None:
            click.echo(NO_TOKEN, err=True)
            context.invoke(chat)
            return
        from bot.app import run_bot

        run_bot(settings)


@cli.command()
def chat() -> None:
    """Chat in the terminal with the shipped knowledge base (no Telegram needed)."""
    from bot.console import chat as console_chat

    kb, encoder = _open_knowledge(_settings())
    console_chat(kb, encoder)


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the answer text.")
def ask(question: str, as_json: bool) -> None:
    """Answer one QUESTION and exit."""
    from bot.answer import answer_question
    from bot.render import to_plain

    kb, encoder = _open_knowledge(_settings())
    result = answer_question(question, kb.snapshot, encoder)
    if not as_json:
        click.echo(to_plain(result))
        return
    click.echo(json.dumps({
        "answered": result.answered,
        "answer": to_plain(result),
        "sources": [{"title": s.title, "as_of": s.as_of.isoformat(), "url": s.url} for s in result.sources],
        "passages": [{"id": h.passage.id, "article": h.passage.article, "score": round(h.score, 4)}
                     for h in result.hits],
    }, ensure_ascii=False))


@cli.command()
def reindex() -> None:
    """Build or refresh the index from the knowledge folder (only new or edited passages are embedded; the
    scope model is fitted anew, which a live /reload skips)."""
    from bot.knowledge_base import KnowledgeBase
    from embeddings.encoder import load_encoder
    from embeddings.store import IndexMismatch

    settings = _settings()
    kb = KnowledgeBase(settings.knowledge_dir, settings.bot_data_dir, settings.embedding_model,
                       lambda: load_encoder(settings.embedding_model, settings.embedding_backend))
    try:
        kb.snapshot = kb.store.load(settings.embedding_model)
    except IndexMismatch:  # a damaged or mismatched index is simply replaced
        kb.snapshot = None
    report = kb.rebuild(refit_scope=True)
    if not report.published:
        raise click.ClickException(_problems_text(report))
    click.echo(
        f"articles: {report.articles}, passages: {report.passages}, embedded anew: {report.embedded}, "
        f"time: {report.seconds:.1f} s"
    )


@cli.command("eval")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The gold question set (default: tests/eval/questions.yaml).")
@click.option("--sweep", is_flag=True, help="Also show declines at other confidence and scope thresholds.")
@click.option("--show-misses", is_flag=True, help="List questions whose right article is not in the top 3.")
@click.option("--scope", is_flag=True, help="Also cross-validate the scope model on its labelled examples.")
def evaluate_command(gold: str | None, sweep: bool, show_misses: bool, scope: bool) -> None:
    """Score retrieval and answers on the gold questions: BM25 only, dense only, hybrid."""
    from datetime import date
    from pathlib import Path

    from bot.evaluation import EVAL_SET, cross_validate_scope, evaluate, format_table, load_eval_set, misses
    from knowledge.loader import load_articles

    settings = _settings()
    kb, encoder = _open_knowledge(settings)
    gold_set = load_eval_set(Path(gold) if gold else EVAL_SET)
    methods = ("lexical", "dense", "hybrid", "rrf")
    click.echo(f"{len(gold_set.questions)} questions, {len(gold_set.out_of_scope)} out of scope, "
               f"{kb.snapshot.manifest.passages} passages, model {kb.snapshot.manifest.model}\n")
    click.echo(format_table([evaluate(kb.snapshot, encoder, gold_set, method) for method in methods]))
    if sweep:
        click.echo("\nconfidence threshold sweep (hybrid):")
        results = [evaluate(kb.snapshot, encoder, gold_set, "hybrid", t / 20) for t in range(4, 17)]
        for threshold, result in zip([t / 20 for t in range(4, 17)], results):
            click.echo(f"  {threshold:.2f}: in-scope declined {result.wrongly_declined:.3f}, "
                       f"out-of-scope declined {result.oos_declined:.3f}, key fact {result.fact:.3f}")
        click.echo("\nscope threshold sweep (hybrid; 0 turns the scope model off):")
        for threshold in [t / 10 for t in range(0, 8)]:
            result = evaluate(kb.snapshot, encoder, gold_set, "hybrid", min_in_domain=threshold)
            click.echo(f"  {threshold:.1f}: in-scope declined {result.wrongly_declined:.3f}, "
                       f"out-of-scope declined {result.oos_declined:.3f}")
    if show_misses:
        click.echo("\n" + "\n".join(misses(kb.snapshot, encoder, gold_set)))
    if scope:
        examples = load_articles(settings.knowledge_dir, today=date.today()).scope
        check = cross_validate_scope(kb.snapshot, encoder, examples)
        click.echo(f"\nscope examples ({len(examples.in_scope)} in scope, {len(examples.out_of_scope)} out), "
                   f"5-fold cross-validated: in-scope declined {check.in_scope_declined:.3f} "
                   f"(coverage alone {check.in_scope_declined_without:.3f}), out-of-scope declined "
                   f"{check.out_of_scope_declined:.3f} (coverage alone {check.out_of_scope_declined_without:.3f})")


def main() -> None:
    cli(prog_name="python -m bot")


if __name__ == "__main__":
    sys.exit(main())
