"""The webhook server of a replica (bot/telegram/webhook.py), on our real application: forged and malformed calls
are refused, and a second delivery of an update is not handled again."""

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.replicas import Replicas
from bot.telegram.app import NEWCOMER_S
from bot.telegram.webhook import WebhookServer

pytestmark = pytest.mark.e2e
SECRET = "s3cret"
REPO = Path(__file__).resolve().parents[2]


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
async def test_a_second_poller_refuses_to_start_and_the_first_goes_on(fake_api, tmp_path):
    first = await bot_process(fake_api, tmp_path / "data")
    try:
        await fake_api.wait_for(lambda api: api.calls_to("setMyCommands"), timeout=90)
        await asyncio.sleep(NEWCOMER_S)  # the first is no newcomer any more
        second = await bot_process(fake_api, tmp_path / "data")  # same data folder: the lock is held
        _, stderr = await asyncio.wait_for(second.communicate(), 90)
        assert second.returncode == 1
        assert "Another process is already polling Telegram for this bot" in stderr.decode()
        elsewhere = await bot_process(fake_api, tmp_path / "other")  # no lock shared: Telegram's 409 tells
        _, stderr = await asyncio.wait_for(elsewhere.communicate(), 90)
        assert elsewhere.returncode == 1
        assert "Not starting a second poller" in stderr.decode()
        assert first.returncode is None
        reply = await fake_api.wait_for_reply(await fake_api.user(42).says("kak syarat magang apa aja?"), timeout=30)
        assert "Sumber:" in reply["text"]
    finally:
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
    _, stderr = await asyncio.wait_for(poller.communicate(), 90)
    assert poller.returncode == 1 and "A webhook is set for this bot (https://bot.example.org/tg-hook)" in stderr.decode()
    assert fake_api.webhook is not None and not fake_api.calls_to("getUpdates")
