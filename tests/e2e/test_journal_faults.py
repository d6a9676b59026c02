"""The journal is no part of answering: a locked, full or corrupt journal costs the 👍/👎 buttons, not the answer."""

import asyncio
import sqlite3
import time
from contextlib import closing

import pytest

from tests.e2e.conftest import ADMIN

pytestmark = pytest.mark.e2e
QUESTION = "SSW boleh bawa keluarga?"


def buttons(message) -> set[str]:
    return {b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row}


async def test_an_answer_goes_out_while_the_journal_is_locked(fake_api, bot_env):
    """F4: the answer waited for the journal write; locked for over 10 s, every user got "Maaf, terjadi gangguan"."""
    journal = bot_env.services.journal
    with closing(sqlite3.connect(journal.path)) as holder:  # an operator's sqlite3 shell inside a transaction
        holder.execute("BEGIN IMMEDIATE")
        start = time.monotonic()
        reply = await fake_api.wait_for_reply(await fake_api.user(42).says(QUESTION), timeout=8)
        waited = time.monotonic() - start
        holder.rollback()
    assert "Sumber:" in reply["text"] and waited < 3.0
    assert not {"👍", "👎"} & buttons(reply)  # nothing to rate: the question was not recorded
    assert journal.failed_writes == 1
    stats = await fake_api.wait_for_reply(await fake_api.user(ADMIN).says("/stats"))
    assert "Gagal mencatat ke jurnal sejak bot dimulai: 1 kali" in stats["text"]


async def test_a_rating_is_acknowledged_even_when_the_journal_fails(fake_api, bot_env):
    """F12: the callback query was answered only after the journal write, so a failure left the spinner."""
    sari = fake_api.user(42)
    reply = await fake_api.wait_for_reply(await sari.says(QUESTION))
    with closing(sqlite3.connect(bot_env.services.journal.path)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        await sari.presses(reply, "👍")
        await fake_api.wait_for(lambda api: api.calls_to("answerCallbackQuery"), timeout=3)
        holder.rollback()
    await asyncio.sleep(1.5)  # the write gives up after a second; no apology follows
    assert len(fake_api.sent_messages(42)) == 1
