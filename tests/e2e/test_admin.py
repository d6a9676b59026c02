"""Admins at the edges: uploads that are slow to process, arrive together, replace articles or carry a reserved
name; replies too long for one message; admin commands edited or sent in a group."""

import asyncio
import time
from datetime import date

import pytest

from bot.texts import text
from knowledge.loader import load_articles
from tests.e2e.conftest import ADMIN

pytestmark = pytest.mark.e2e

ARTICLE = """---
title: "{title}"
sources: [https://example.org/festival]
as_of: 2026-11-01
lang: id
topics: [news]
---
## Jadwal festival kerja Jepang
Festival kerja Jepang di Surabaya diadakan setiap bulan Desember di gedung serbaguna kota. Pengunjung festival bisa
bertemu lembaga pelatihan resmi dan mendapat penjelasan tentang program kerja ke Jepang secara langsung.
{extra}
"""


def article(title: str = "Festival kerja Jepang di Surabaya", extra: str = "") -> bytes:
    return ARTICLE.format(title=title, extra=extra).encode()


def texts(api, chat_id: int = ADMIN) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in api.sent_messages(chat_id)]


async def reload_reports(api, count: int = 1, timeout: float = 20) -> list[str]:
    return await api.wait_for(lambda api: (lambda found: found if len(found) >= count else None)(
        [t for t in texts(api) if "dimuat ulang dalam" in t or "tidak valid" in t]), timeout=timeout)


class LoopWatch:
    """The longest the event loop went without running a 10 ms tick: how long every chat was kept waiting."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    def stop(self) -> float:
        self._task.cancel()
        return self.longest


@pytest.mark.parametrize("extra", ["## a" + " " * 16_000 + "b", "Titik" + "." * 16_000 + "akhir", "[" * 32_000],
                         ids=["spaces in a heading", "a run of dots", "brackets"])
async def test_an_accepted_crafted_upload_never_stops_the_bot(fake_api, bot_env, extra):
    """F1: these 16-32 KB uploads passed validation, then froze the event loop for 2-6 s at the reload."""
    watch = LoopWatch()
    await fake_api.user(ADMIN).uploads("festival.md", article(extra=extra))
    report = await reload_reports(fake_api)
    longest = watch.stop()
    print(f"\nlongest event-loop stall during the upload and reload: {longest * 1000:.0f} ms")
    assert "✅" in report[0]
    assert longest < 1.0


async def test_an_upload_whose_check_runs_out_of_time_is_refused(fake_api, bot_env, monkeypatch):
    from bot import knowledge_files

    monkeypatch.setattr(knowledge_files, "UPLOAD_CHECK_SECONDS", 0.01)  # no child process starts that fast
    reply = await fake_api.wait_for_reply(await fake_api.user(ADMIN).uploads("festival.md", article()))
    assert "❌" in reply["text"] and "tidak selesai diperiksa" in reply["text"]
    assert not (bot_env.services.kb.knowledge_dir / "festival.md").exists()


async def test_two_clashing_uploads_at_once_leave_the_folder_valid(fake_api, bot_env):
    """F5: each was checked without the other, both were written, and every later /reload failed."""
    admin = fake_api.user(ADMIN)
    await asyncio.gather(admin.uploads("festival-a.md", article()), admin.uploads("festival-b.md", article()))
    await fake_api.wait_for(lambda api: any("tidak ditambahkan" in t for t in texts(api))
                            and any("dimuat ulang dalam" in t for t in texts(api)), timeout=20)
    assert sum("disimpan" in t for t in texts(fake_api)) == 1
    assert load_articles(bot_env.services.kb.knowledge_dir, today=date(2026, 12, 1)).problems == ()
    await admin.says("/reload")
    assert "✅" in (await reload_reports(fake_api, count=2))[-1]


async def test_a_readme_upload_is_refused_not_reported_as_saved(fake_api, bot_env):
    """F14: README.md was saved and reported reloaded, but the loader skips it."""
    reply = await fake_api.wait_for_reply(await fake_api.user(ADMIN).uploads("README.md", article()))
    assert "❌" in reply["text"] and "README.md" in reply["text"]
    assert not (bot_env.services.kb.knowledge_dir / "readme.md").exists()


async def test_an_upload_replaces_an_article_only_when_asked_and_keeps_the_old_one(fake_api, bot_env, tmp_path):
    """F14: an upload of the same name silently overwrote a shipped article, with no copy kept."""
    live = bot_env.services.kb.knowledge_dir / "kontak.md"
    before = live.read_bytes()
    new = before.replace(b"situs resminya", b"situs resminya kp2mi.go.id", 1)
    assert new != before
    admin = fake_api.user(ADMIN)
    refused = await fake_api.wait_for_reply(await admin.uploads("kontak.md", new))
    assert "sudah ada" in refused["text"] and "ganti" in refused["text"]
    assert live.read_bytes() == before

    replaced = await fake_api.wait_for_reply(await admin.uploads("kontak.md", new, caption="Ganti"))
    assert "diganti" in replaced["text"]
    assert "Berubah" in (await reload_reports(fake_api))[0]
    assert live.read_bytes() == new
    backups = list((tmp_path / "data" / "article-backups").iterdir())
    assert [b.read_bytes() for b in backups] == [before] and backups[0].name in replaced["text"]


async def test_a_reload_report_longer_than_a_message_arrives_in_parts(fake_api, bot_env):
    """F8: a report over 4,096 characters failed with "message is too long" and the admin got nothing."""
    for i in range(60):
        (bot_env.services.kb.knowledge_dir / f"rusak-{i:02}.md").write_text(f"tanpa front matter nomor {i} " * 5)
    await fake_api.user(ADMIN).says("/reload")
    await fake_api.wait_for(lambda api: any("masalah lain" in t for t in texts(api)), timeout=20)
    assert any("tidak valid" in t for t in texts(fake_api))
    assert "rusak-00.md" in "".join(texts(fake_api))


async def test_a_reply_telegram_refuses_is_followed_by_an_apology(fake_api, bot_env):
    """F8: on_error took BadRequest (a NetworkError subclass in PTB) for a network error and stayed silent."""
    fake_api.inject_fault("sendMessage", "400", description="Bad Request: message is too long")
    reply = await fake_api.wait_for_reply(await fake_api.user(42).says("SSW boleh bawa keluarga?"))
    assert reply["text"] == text("id", "sorry")


async def test_admin_commands_run_for_new_private_messages_only(fake_api, bot_env):
    """F13: editing an old /stats ran it again, and /stats in a group was posted to the group."""
    admin, group = fake_api.user(ADMIN), fake_api.group(-100555)
    stats = await admin.says("/stats")
    await fake_api.wait_for_reply(stats)
    await admin.edits(stats, "/stats 7")
    in_group = await admin.says("/stats", chat=group)
    group_reply = await fake_api.wait_for_reply(in_group)
    await fake_api.wait_for_reply(await admin.says("/help"))  # handled after the edit
    assert sum("📊" in t for t in texts(fake_api)) == 1
    assert not any("📊" in t for t in texts(fake_api, -100555))
    assert group_reply["text"] == "Perintah admin hanya berlaku di chat pribadi dengan bot."
