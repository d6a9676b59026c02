"""The HTTP client under python-telegram-bot: its per-request work stays small (sniffio in pyproject.toml)."""

from __future__ import annotations

import asyncio
import sys

from httpcore._synchronization import current_async_library


class _FinderSpy:
    """A meta-path finder that only records what Python searched sys.path for."""

    def __init__(self) -> None:
        self.searched: list[str] = []

    def find_spec(self, name, path=None, target=None):
        self.searched.append(name)
        return None


def test_the_async_library_check_of_every_queued_request_does_not_search_sys_path() -> None:
    """httpcore imports sniffio each time it queues a request; without it installed, every import fails after a
    search of every folder on sys.path (about 27 of them a reply in the 1,000-user benchmark)."""

    async def check_twice() -> list[str]:
        return [current_async_library(), current_async_library()]

    assert asyncio.run(check_twice()) == ["asyncio", "asyncio"]  # sniffio imported once, if ever
    spy = _FinderSpy()
    sys.meta_path.insert(0, spy)
    try:
        assert asyncio.run(check_twice()) == ["asyncio", "asyncio"]
    finally:
        sys.meta_path.remove(spy)
    assert spy.searched == []
