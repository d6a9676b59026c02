"""Webhook replicas of the bot as real processes (`python -m bot` with WEBHOOK_URL), for the end-to-end tests and
the benchmark: started on a free loopback port, watched through their /healthz, stopped with SIGTERM or killed."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from tools.postgres import free_port

REPO = Path(__file__).resolve().parents[1]
WEBHOOK_URL = "https://bot.example.org/tg-hook"  # what the bot registers; the fake delivers to `url` instead


class ReplicaProcess:
    def __init__(self, env: dict[str, str], log: Path, verbose: bool = False) -> None:
        """`verbose`: log at INFO (`python -m bot -v`), as what it decides (e.g. its share of the sending
        budget) is logged."""
        self.port = free_port()
        self.args = ["-v"] if verbose else []
        self.env = {**env, "WEBHOOK_URL": WEBHOOK_URL, "WEBHOOK_PORT": str(self.port),
                    "NO_PROXY": "127.0.0.1,localhost"}
        self.log = log
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        """Where the reverse proxy would forward Telegram's calls: this process's webhook server."""
        return f"http://127.0.0.1:{self.port}/tg-hook"

    async def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *self.args, cwd=REPO,
                                                                env=self.env, stdout=log, stderr=log)

    async def health(self) -> dict | None:
        """{"replica", "index_version", "in_flight"}, or None while it does not answer."""
        try:
            async with httpx.AsyncClient(trust_env=False) as client:
                response = await client.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
        except httpx.HTTPError:
            return None
        return response.json() if response.status_code == 200 else None

    async def version(self) -> str | None:
        return (await self.health() or {}).get("index_version")

    async def kill(self) -> None:
        self.process.kill()
        await self.process.wait()

    async def stop(self, timeout: float = 40) -> int | None:
        """SIGTERM (it finishes what it is handling), then SIGKILL after `timeout`; the exit code."""
        if self.process is None:
            return None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        return self.process.returncode

    def tail(self, characters: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-characters:] if self.log.exists() else ""


async def until(predicate: Callable[[], Awaitable[object]], timeout: float, what: str, every: float = 0.2) -> object:
    """Poll `predicate` until it returns something truthy, which is returned; AssertionError after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (value := await predicate()):
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(every)
    return value


async def all_serving(replicas: list[ReplicaProcess], version: str | None = None) -> list[str] | None:
    """Every replica's index version, once all answer (and serve `version`, if given)."""
    versions = [await replica.version() for replica in replicas]
    if not all(versions) or (version is not None and any(v != version for v in versions)):
        return None
    return versions
