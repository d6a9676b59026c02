"""The no-token chat: the same answer path as Telegram, in a terminal."""

from __future__ import annotations

from collections.abc import Callable

import click

from bot.answer import answer_question
from bot.knowledge_base import KnowledgeBase
from bot.render import to_plain
from embeddings.encoder import Encoder

WELCOME = (
    "Tanya Jepang — tanya apa saja soal kerja di Jepang (SSW/Tokutei Ginou, magang, pelatihan BPVP).\n"
    "Ketik pertanyaan lalu Enter. Keluar: /keluar atau Ctrl-D."
)
EXIT_WORDS = {"/keluar", "/exit", "/quit", "keluar", "exit", "quit"}


def chat(kb: KnowledgeBase, encoder: Encoder, read: Callable[[str], str] = input) -> None:
    click.echo(WELCOME)
    while True:
        try:
            question = read("\nAnda: ").strip()
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if question.lower() in EXIT_WORDS:
            return
        if question and kb.snapshot is not None:
            click.echo("\n" + to_plain(answer_question(question, kb.snapshot, encoder)))
