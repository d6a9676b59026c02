"""The no-token chat: the same pipeline as Telegram, in a terminal, follow-up questions included."""

from __future__ import annotations

from collections.abc import Callable

import click

from bot.conversation import ChatMemory, understood_text
from bot.knowledge_base import KnowledgeBase
from bot.pipeline import Pipeline
from bot.render import to_plain
from bot.texts import text
from embeddings.encoder import Encoder

EXIT_WORDS = {"/keluar", "/exit", "/quit", "keluar", "exit", "quit"}


def chat(kb: KnowledgeBase, encoder: Encoder, read: Callable[[str], str] = input,
         pipeline: Pipeline = Pipeline()) -> None:
    click.echo(text("id", "console_welcome"))
    memory, you = ChatMemory(), 0  # one person, one conversation
    while True:
        try:
            question = read("\nAnda: ").strip()
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if question.lower() in EXIT_WORDS:
            return
        if question and kb.snapshot is not None:
            result = pipeline.answer(kb.snapshot, encoder, [question], previous=[memory.previous(you, you)])[0]
            memory.remember(you, you, understood_text(result))
            click.echo("\n" + to_plain(result))
