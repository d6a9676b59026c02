"""Guards for every test: offline model loading, a private data folder, and no traffic off this machine."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURE_KB = REPO / "tests" / "fixtures" / "kb"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "TELEGRAM_BASE_FILE_URL", "BOT_ADMIN_IDS",
                 "KNOWLEDGE_DIR", "EMBEDDING_MODEL", "EMBEDDING_BACKEND", "WEBHOOK_URL", "JOURNAL_KEY",
                 "DATABASE_URL", "WEBHOOK_LISTEN", "WEBHOOK_PORT", "TELEGRAM_MESSAGES_PER_SECOND"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # so a developer's .env is never read by a test


_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address, *args, **kwargs):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        if not (host in ("localhost", "::1") or host.startswith("127.")):
            raise ConnectionRefusedError(f"tests may only connect to loopback, not {host!r}")
    return _real_connect(self, address, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the session (tools/postgres.py), or a skip saying why there is none."""
    from tools.postgres import PostgresUnavailable, TemporaryPostgres

    try:
        server = TemporaryPostgres()
    except PostgresUnavailable as reason:
        pytest.skip(f"needs a PostgreSQL server: {reason}")
    with server:
        yield server


_databases = itertools.count(1)


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A new, empty database on the session's server."""
    return postgres_server.create_database(f"test_{next(_databases)}")


def shared_path(*parts: str) -> Path:
    """A file under ../shared/, or skip: a user's clone has no shared/ folder."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the team's shared/ folder, absent in a plain clone)")
    return path


@pytest.fixture(scope="session")
def _built_data(tmp_path_factory) -> Path:
    """A data folder holding the fixture knowledge base's index and embedding cache, built once per session by
    `python -m bot reindex` with the bot's default model."""
    data = tmp_path_factory.mktemp("built") / "data"
    env = {name: value for name, value in os.environ.items()
           if name not in ("EMBEDDING_MODEL", "EMBEDDING_BACKEND", "DATABASE_URL", "JOURNAL_KEY")}
    env.update(BOT_DATA_DIR=str(data), KNOWLEDGE_DIR=str(FIXTURE_KB), HF_HUB_OFFLINE="1")
    done = subprocess.run([sys.executable, "-m", "bot", "reindex"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return data


@pytest.fixture
def built_data(_built_data) -> Callable[[Path], Path]:
    """``data = built_data(tmp_path / "data")``: a copy of a data folder where the fixture knowledge base is
    already indexed, so a `python -m bot` process started on it loads the index instead of building it (what a
    build does is tested elsewhere; here it would cost each process several seconds of CPU)."""

    def copy(to: Path) -> Path:
        shutil.copytree(_built_data, to, ignore=shutil.ignore_patterns("*.lock"))
        return to

    return copy
