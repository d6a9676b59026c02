"""Fixtures for e2e tests: the fake Bot API server and a helper that runs a real PTB app on it."""

import pytest_asyncio

from tests.fakebotapi import FakeBotAPI


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
