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
    from bot.services import encoder_factory, open_knowledge_base

    encoder = encoder_factory(settings)()
    kb = open_knowledge_base(settings, lambda: encoder)
    report = kb.open()
    if kb.snapshot is None:
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
        from bot.telegram.app import StartError, run_bot

        try:
            run_bot(settings)
        except StartError as error:
            raise click.ClickException(str(error)) from None


@cli.command()
def chat() -> None:
    """Chat in the terminal with the shipped knowledge base (no Telegram needed)."""
    from bot.console import chat as console_chat
    from bot.services import pipeline_for

    settings = _settings()
    kb, encoder = _open_knowledge(settings)
    console_chat(kb, encoder, pipeline=pipeline_for(settings))


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the answer text.")
def ask(question: str, as_json: bool) -> None:
    """Answer one QUESTION and exit."""
    from bot.render import to_plain
    from bot.services import pipeline_for

    settings = _settings()
    kb, encoder = _open_knowledge(settings)
    result = pipeline_for(settings).answer(kb.snapshot, encoder, [question])[0]
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
    from bot.services import open_knowledge_base

    kb = open_knowledge_base(_settings())
    kb.load_published()  # so the report can say what changed; a damaged or mismatched index is simply replaced
    report = kb.rebuild(refit_scope=True)
    if not report.published:
        raise click.ClickException(_problems_text(report))
    click.echo(
        f"articles: {report.articles}, passages: {report.passages}, embedded anew: {report.embedded}, "
        f"time: {report.seconds:.1f} s"
    )


@cli.command()
def check() -> None:
    """List what needs an admin's attention in the knowledge folder: invalid files, articles that state a key
    fact differently from facts.yaml, and articles checked too long ago. Exits 1 if anything is invalid or
    conflicting."""
    from datetime import date

    from knowledge.facts import check_facts
    from knowledge.freshness import stale_articles
    from knowledge.loader import load_articles

    settings = _settings()
    loaded = load_articles(settings.knowledge_dir, today=date.today())
    conflicts = check_facts(loaded.articles, loaded.facts)
    stale = stale_articles(loaded.articles, date.today(), settings.stale_after_days)
    click.echo(f"{len(loaded.articles)} articles, {len(loaded.facts)} key facts checked, in {settings.knowledge_dir}")
    for title, items in (("Invalid", loaded.problems), ("Conflicting key facts", conflicts)):
        click.echo(f"\n{title}: {len(items)}")
        click.echo("".join(f"  {item}\n" for item in items), nl=False)
    click.echo(f"\nChecked more than {settings.stale_after_days} days ago: {len(stale)}")
    for article in stale:
        link = article.sources[0] if article.sources else "no source"
        click.echo(f"  {article.slug}: as_of {article.as_of.isoformat()} — {link}")
    if loaded.problems or conflicts:
        raise SystemExit(1)


def main() -> None:
    cli(prog_name="python -m bot")


if __name__ == "__main__":
    sys.exit(main())
