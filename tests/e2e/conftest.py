"""Fixtures for e2e tests: the fake Bot API server and a helper that runs a real PTB app on it."""

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest_asyncio

from bot.config import load_settings
from bot.services import Services, assemble, open_knowledge_base
from bot.telegram.app import build_application, running
from tests.fakes import FakeEncoder
from tools.fakebotapi import FakeBotAPI

FIXTURE_KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
ADMIN = 1001


@dataclass
class BotEnv:
    app: object  # telegram.ext.Application
    services: Services
    build_encoder: FakeEncoder  # used by reloads: give it a delay to make a rebuild slow
    query_encoder: FakeEncoder  # used by the query lane


@pytest_asyncio.fixture
async def fake_api(monkeypatch):
    """A started FakeBotAPI on 127.0.0.1:<free port>; a proxy from the environment must not
    capture loopback traffic (httpx honours HTTP(S)_PROXY)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    async with FakeBotAPI() as api:
        yield api


@pytest_asyncio.fixture
async def start_app(fake_api):
    """``app = await start_app(handler, ...)``: build a real Application pointed at the fake
    (or pass ``builder=``), start it polling, and stop/shut it down at teardown."""
    apps = []

    async def _start(*handlers, builder=None):
        app = (builder or fake_api.app_builder()).concurrent_updates(True).build()
        for handler in handlers:
            app.add_handler(handler)
        await app.initialize()
        apps.append(app)
        await app.start()
        await app.updater.start_polling(poll_interval=0)
        return app

    yield _start
    for app in reversed(apps):
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


@pytest_asyncio.fixture
async def bot_env(fake_api, tmp_path):
    """Starts our application exactly as production wires it, with fake encoders instead of the model."""
    kb_dir = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb_dir)
    settings = load_settings(
        telegram_bot_token=fake_api.token, telegram_base_url=fake_api.base_url,
        telegram_base_file_url=fake_api.base_file_url, bot_admin_ids=str(ADMIN),
        knowledge_dir=kb_dir, bot_data_dir=tmp_path / "data",
    )
    build_encoder, query_encoder = FakeEncoder(), FakeEncoder()
    kb = open_knowledge_base(settings, lambda: build_encoder, model="fake-encoder")
    services = assemble(settings, kb=kb, query_encoder=lambda: query_encoder)
    async with running(build_application(settings, services)) as app:
        yield BotEnv(app, services, build_encoder, query_encoder)
