"""The webhook server of a replica (bot/telegram/webhook.py), on our real application: forged and malformed calls
are refused, and a second delivery of an update is not handled again."""

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from bot.replicas import Replicas
from bot.telegram.app import NEWCOMER_S
from bot.telegram.webhook import WebhookServer

pytestmark = pytest.mark.e2e
SECRET = "s3cret"
REPO = Path(__file__).resolve().parents[2]
HOLD_AT_MOST_S = 4.0  # a call the fake holds back: PTB gives up on an answer after 5 s


def update_json(user, update_id: int, text: str = "SSW boleh bawa keluarga?") -> bytes:
    return json.dumps({"update_id": update_id, "message": {"message_id": update_id, "date": 0, "chat": user.chat,
                                                           "from": user.data, "text": text}}).encode()


@pytest.fixture
async def server(bot_env):
    replicas = Replicas(bot_env.services.journal.db, "test-replica")
    replicas.heartbeat(bot_env.services.kb.version)
    return WebhookServer(bot_env.app, replicas, SECRET, "hook")


async def test_forged_and_malformed_deliveries_are_refused(fake_api, server):
    body = update_json(fake_api.user(42), 5000)
    assert await server.handle("wrong", body) == 403
    assert await server.handle(None, body) == 403
    assert await server.handle(SECRET, b"{not json") == 400
    await asyncio.sleep(0.3)
    assert fake_api.sent_messages(42) == []


async def test_a_second_delivery_while_the_first_is_handled_is_deferred_then_acknowledged(fake_api, bot_env, server):
    """Telegram delivers again after a webhook call times out: the update must be answered once."""
    sari = fake_api.user(42)
    bot_env.query_encoder.delay = 0.5  # the first delivery is still being answered when the second comes
    first = asyncio.create_task(server.handle(SECRET, update_json(sari, 5001)))
    await fake_api.wait_for(lambda api: api.calls_to("sendChatAction"))
    assert await server.handle(SECRET, update_json(sari, 5001)) == 503  # Telegram will try again
    assert await first == 200
    assert await server.handle(SECRET, update_json(sari, 5001)) == 200  # done: acknowledged, not answered
    await asyncio.sleep(0.3)
    assert len(fake_api.sent_messages(42)) == 1
    assert (await asyncio.to_thread(bot_env.services.journal.stats)).questions == 1


async def test_without_the_database_an_update_is_answered_anyway(fake_api, bot_env, server):
    server.replicas.db.close()
    server.replicas.db.path = server.replicas.db.path.parent / "missing" / "journal.sqlite3"  # cannot be opened
    assert await server.handle(SECRET, update_json(fake_api.user(42), 5002)) == 200
    assert len(fake_api.sent_messages(42)) == 1


def bot_process(fake_api, data: Path):
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake_api.token, "TELEGRAM_BASE_URL": fake_api.base_url,
           "BOT_DATA_DIR": str(data), "KNOWLEDGE_DIR": str(REPO / "tests" / "fixtures" / "kb"),
           "HF_HUB_OFFLINE": "1", "NO_PROXY": "127.0.0.1,localhost"}
    return asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=REPO, env=env,
                                          stderr=asyncio.subprocess.PIPE)


@pytest.mark.model
async def test_a_second_poller_refuses_to_start_and_the_first_goes_on(fake_api, tmp_path, built_data):
    first = await bot_process(fake_api, built_data(tmp_path / "data"))
    others = []
    try:
        commands = await fake_api.wait_for(lambda api: api.calls_to("setMyCommands"), timeout=90)
        # The first polls from just before it sets its commands: a 409 after this is no newcomer's any more.
        settled = commands[0].time + NEWCOMER_S + 0.5
        others.append(second := await bot_process(fake_api, tmp_path / "data"))  # same data folder: lock held
        _, stderr = await asyncio.wait_for(second.communicate(), 90)
        assert second.returncode == 1
        assert "Another process is already polling Telegram for this bot" in stderr.decode()
        # No lock shared: Telegram's 409 tells. It starts meanwhile, and what it asks before polling is held
        # back until the first is settled (for less than PTB's 5 s read timeout).
        await asyncio.sleep(max(0.0, settled - HOLD_AT_MOST_S - time.monotonic()))
        fake_api.inject_fault("getWebhookInfo", "timeout", until=settled)
        others.append(elsewhere := await bot_process(fake_api, built_data(tmp_path / "other")))
        _, stderr = await asyncio.wait_for(elsewhere.communicate(), 90)
        assert elsewhere.returncode == 1
        assert "Not starting a second poller" in stderr.decode()
        assert first.returncode is None
        reply = await fake_api.wait_for_reply(await fake_api.user(42).says("kak syarat magang apa aja?"), timeout=30)
        assert "Sumber:" in reply["text"]
    finally:
        for process in others:
            if process.returncode is None:
                process.kill()
                await process.wait()
        if first.returncode is None:
            first.send_signal(signal.SIGTERM)
            await asyncio.wait_for(first.communicate(), 30)
    assert first.returncode == 0


@pytest.mark.model
async def test_polling_does_not_start_while_a_webhook_is_set(fake_api, tmp_path):
    """Polling starts by deleting the webhook: replicas serving it would silently get nothing more."""
    from telegram import Bot

    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        await bot.set_webhook("https://bot.example.org/tg-hook")
    poller = await bot_process(fake_api, tmp_path / "data")
    try:
        _, stderr = await asyncio.wait_for(poller.communicate(), 90)
    finally:
        if poller.returncode is None:
            poller.kill()
            await poller.wait()
    assert poller.returncode == 1 and "A webhook is set for this bot (https://bot.example.org/tg-hook)" in stderr.decode()
    assert fake_api.webhook is not None and not fake_api.calls_to("getUpdates")
