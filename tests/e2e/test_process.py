"""`python -m bot` as a real process: polls the fake Bot API, answers, and stops cleanly on SIGTERM. It starts on a
data folder where the test knowledge base is indexed already (a build is tested elsewhere; here it would cost
seconds of CPU)."""

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.model]
REPO = Path(__file__).resolve().parents[2]


async def test_the_bot_process_answers_then_stops_cleanly_on_sigterm(fake_api, tmp_path, built_data):
    data = built_data(tmp_path / "data")
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake_api.token, "TELEGRAM_BASE_URL": fake_api.base_url,
           "TELEGRAM_BASE_FILE_URL": fake_api.base_file_url, "BOT_DATA_DIR": str(data),
           "KNOWLEDGE_DIR": str(REPO / "tests" / "fixtures" / "kb"), "HF_HUB_OFFLINE": "1"}
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=REPO, env=env,
                                                   stderr=asyncio.subprocess.PIPE)
    try:
        await fake_api.wait_for(lambda api: api.calls_to("setMyCommands"), timeout=90)
        reply = await fake_api.wait_for_reply(await fake_api.user(42).says("kak syarat magang apa aja?"), timeout=30)
        assert "Sumber:" in reply["text"] and "Magang" in reply["text"]
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert fake_api.token.split(":")[1] not in stderr.decode()
    journal = data / "journal.sqlite3"
    assert not Path(f"{journal}-wal").exists() or Path(f"{journal}-wal").stat().st_size == 0
    with sqlite3.connect(journal) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM questions").fetchone() == (1,)


async def test_webhook_mode_registers_the_webhook_and_answers_posted_updates(fake_api, tmp_path, built_data):
    import json
    import socket

    import httpx

    from bot.telegram.app import webhook_secret
    from bot.config import load_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake_api.token, "TELEGRAM_BASE_URL": fake_api.base_url,
           "BOT_DATA_DIR": str(built_data(tmp_path / "data")), "KNOWLEDGE_DIR": str(REPO / "tests" / "fixtures" / "kb"),
           "WEBHOOK_URL": "https://bot.example.org/tg-hook", "WEBHOOK_PORT": str(port), "HF_HUB_OFFLINE": "1",
           "NO_PROXY": "127.0.0.1,localhost"}
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=REPO, env=env,
                                                   stderr=asyncio.subprocess.PIPE)
    try:
        webhook = await fake_api.wait_for(lambda api: api.calls_to("setWebhook"), timeout=90)
        assert webhook[0].params["url"] == "https://bot.example.org/tg-hook"
        secret = webhook_secret(load_settings(telegram_bot_token=fake_api.token))
        assert webhook[0].params["secret_token"] == secret
        user = fake_api.user(42)
        update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": user.chat, "from": user.data,
                                              "text": "kak syarat magang apa aja?"}}
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{port}/tg-hook"
            forged = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
            assert forged.status_code == 403
            accepted = await client.post(url, content=json.dumps(update),
                                         headers={"X-Telegram-Bot-Api-Secret-Token": secret,
                                                  "Content-Type": "application/json"})
            assert accepted.status_code == 200
        reply = await fake_api.wait_for(lambda api: api.sent_messages(42), timeout=30)
        assert "Sumber:" in reply[0]["text"]
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0
