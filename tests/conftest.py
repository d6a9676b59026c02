"""Guards for every test: offline model loading, a private data folder, and no traffic off this machine."""

from __future__ import annotations

import itertools
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


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
