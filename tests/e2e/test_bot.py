"""The real PTB Application, built by our own build_application, against the fake Bot API on loopback."""

import asyncio
import pytest

from tests.e2e.conftest import ADMIN

pytestmark = pytest.mark.e2e

NEW_ARTICLE = """---
title: "Festival kerja Jepang di Surabaya"
sources: [https://example.org/festival]
as_of: 2026-11-01
lang: id
topics: [news]
---
## Jadwal festival kerja Jepang
Festival kerja Jepang di Surabaya diadakan setiap bulan Desember di gedung serbaguna kota. Pengunjung festival bisa
bertemu lembaga pelatihan resmi dan mendapat penjelasan tentang program kerja ke Jepang secara langsung.
"""


async def test_a_question_gets_a_cited_answer(fake_api, bot_env):
    sari = fake_api.user(42)
    asked = await sari.says("berapa lama pemegang SSW boleh tinggal, boleh bawa keluarga?")
    reply = await fake_api.wait_for_reply(asked)
    assert reply["chat"]["id"] == 42
    assert "5 tahun" in reply["text"]
    assert "Sumber:" in reply["text"] and "SSW (Tokutei Ginou) singkat" in reply["text"]
    assert reply.params["parse_mode"] == "HTML"
    assert fake_api.calls_to("sendChatAction")[0].params["action"] == "typing"
    assert {"👍", "👎"} <= {b["text"] for row in reply["reply_markup"]["inline_keyboard"] for b in row}


async def test_commands_are_registered_in_indonesian(fake_api, bot_env):
    commands = fake_api.calls_to("setMyCommands")[0].params["commands"]
    assert {c["command"] for c in commands} >= {"start", "topik", "sumber", "hapus"}
    assert any("topik" in c["description"].lower() for c in commands)


async def test_start_then_a_topic_button_answers_like_a_typed_question(fake_api, bot_env):
    sari = fake_api.user(42)
    welcome = await fake_api.wait_for_reply(await sari.says("/start"))
    assert "Tanya Jepang" in welcome["text"]
    await sari.presses(welcome, "Magang")
    answer = await fake_api.wait_for(lambda api: [m for m in api.sent_messages(42) if "Sumber:" in m["text"]])
    assert "Magang ke Jepang (TITP) singkat" in answer[0]["text"]
    assert fake_api.calls_to("answerCallbackQuery")


async def test_a_thumbs_up_press_is_stored(fake_api, bot_env):
    services = bot_env.services
    sari = fake_api.user(42)
    reply = await fake_api.wait_for_reply(await sari.says("cara daftar pelatihan BPVP"))
    await sari.presses(reply, "👍")
    await fake_api.wait_for(lambda api: api.calls_to("answerCallbackQuery"))  # answered first, then stored
    assert await ratings(services) == (1, 0)


async def ratings(services, expected=(1, 0), timeout=3.0):
    """👍 and 👎 in the journal, once they are `expected` (or when the wait runs out)."""
    for _ in range(int(timeout / 0.05)):
        stats = await asyncio.to_thread(services.journal.stats)
        if (stats.thumbs_up, stats.thumbs_down) == expected:
            break
        await asyncio.sleep(0.05)
    return stats.thumbs_up, stats.thumbs_down


async def test_an_admin_upload_is_answered_from_after_the_reload(fake_api, bot_env):
    question = "kapan festival kerja jepang di surabaya?"
    sari, admin = fake_api.user(42), fake_api.user(ADMIN, first_name="Admin")
    before = await fake_api.wait_for_reply(await sari.says(question))
    assert "Festival kerja" not in before["text"]

    await admin.uploads("festival-surabaya.md", NEW_ARTICLE.encode())
    report = await fake_api.wait_for(
        lambda api: [m for m in api.sent_messages(ADMIN) if "dimuat ulang" in m["text"]])
    assert "Festival kerja Jepang di Surabaya" in report[0]["text"]

    after = await fake_api.wait_for_reply(await sari.says(question))
    assert "Desember" in after["text"] and "Festival kerja Jepang di Surabaya" in after["text"]


async def test_a_non_admin_cannot_reload_or_upload_and_nothing_changes(fake_api, bot_env):
    services = bot_env.services
    files_before = sorted(p.name for p in services.kb.knowledge_dir.iterdir())
    snapshot_before = services.kb.snapshot
    mallory = fake_api.user(666, first_name="Mallory")
    refusal = await fake_api.wait_for_reply(await mallory.says("/reload"))
    assert "hanya untuk admin" in refusal["text"]
    refusal = await fake_api.wait_for_reply(await mallory.uploads("jahat.md", NEW_ARTICLE.encode()))
    assert "hanya untuk admin" in refusal["text"]
    await asyncio.sleep(0.2)  # give a wrongly started reload the chance to show itself
    assert sorted(p.name for p in services.kb.knowledge_dir.iterdir()) == files_before
    assert services.kb.snapshot is snapshot_before


async def test_twenty_users_asking_at_once_each_get_their_own_answer(fake_api, bot_env):
    questions = {
        "ssw": ("SSW boleh bawa keluarga?", "SSW (Tokutei Ginou) singkat"),
        "magang": ("syarat ikut magang apa saja", "Magang ke Jepang (TITP) singkat"),
        "bpvp": ("cara daftar pelatihan BPVP", "Pelatihan di BPVP"),
        "bpvp2": ("apa itu BLK sekarang", "Pelatihan di BPVP"),
    }
    users = [(fake_api.user(2000 + i), list(questions.values())[i % len(questions)]) for i in range(20)]
    asked = await asyncio.gather(*(user.says(q) for user, (q, _) in users))
    for (user, (_, title)), message in zip(users, asked):
        reply = await fake_api.wait_for_reply(message, timeout=15)
        assert reply["chat"]["id"] == user.data["id"]
        assert title in reply["text"]
    assert all(len(fake_api.replies_to(m)) == 1 for m in asked)


async def test_questions_are_answered_while_a_reload_runs(fake_api, bot_env):
    services, build_encoder = bot_env.services, bot_env.build_encoder
    (services.kb.knowledge_dir / "bpvp.md").write_text(
        (services.kb.knowledge_dir / "bpvp.md").read_text().replace("las, otomotif", "las, listrik, otomotif"))
    build_encoder.delay = 1.5  # the rebuild now takes at least this long
    admin, sari = fake_api.user(ADMIN), fake_api.user(42)
    await admin.says("/reload")
    await fake_api.wait_for(lambda api: any("Memuat ulang" in m["text"] for m in api.sent_messages(ADMIN)))
    reply = await fake_api.wait_for_reply(await sari.says("SSW boleh bawa keluarga?"), timeout=1.0)
    assert "Sumber:" in reply["text"]
    assert not any("dimuat ulang" in m["text"] for m in fake_api.sent_messages(ADMIN)), "reload finished first"
    report = await fake_api.wait_for(
        lambda api: [m for m in api.sent_messages(ADMIN) if "dimuat ulang" in m["text"]], timeout=10)
    assert "Berubah: Pelatihan di BPVP" in report[0]["text"]


async def test_stickers_get_a_kind_text_only_reply(fake_api, bot_env):
    reply = await fake_api.wait_for_reply(await fake_api.user(42).sends_sticker())
    assert "teks" in reply["text"]


async def test_forget_me_deletes_the_users_questions(fake_api, bot_env):
    services = bot_env.services
    sari = fake_api.user(42)
    await fake_api.wait_for_reply(await sari.says("SSW boleh bawa keluarga?"))
    reply = await fake_api.wait_for_reply(await sari.says("/hapus"))
    assert "dihapus" in reply["text"]
    assert (await asyncio.to_thread(services.journal.stats)).questions == 0


async def test_an_admin_can_feed_raw_news_text_like_the_seed_article(fake_api, bot_env):
    from tests.conftest import shared_path

    seed = shared_path("seeds", "000_b306bb71bdae2fe5.txt").read_bytes()
    services = bot_env.services
    admin = fake_api.user(ADMIN)
    await admin.uploads("000_b306bb71bdae2fe5.txt", seed)
    report = await fake_api.wait_for(
        lambda api: [m for m in api.sent_messages(ADMIN) if "dimuat ulang" in m["text"]])
    assert "Baru: Kementerian Ketenagakerjaan" in report[0]["text"]
    assert (services.kb.knowledge_dir / "000-b306bb71bdae2fe5.txt").exists()
    reply = await fake_api.wait_for_reply(await fake_api.user(42).says("pertemuan Kemnaker dengan JICA di Tokyo"))
    assert "JICA" in reply["text"] and "BACA JUGA" not in reply["text"]
    assert "22 April 2024" in reply["text"] and "https://jpnn.com" in reply["text"]  # its own date and outlet


@pytest.mark.parametrize(
    ("file_name", "content", "reason"),
    [
        ("../../etc/passwd.md", NEW_ARTICLE.encode(), "tanpa folder"),
        ("gambar.png", b"\x89PNG\r\n", ".md"),
        ("rusak.md", b"---\ntitle: [tidak ditutup\n---\nisi", "front matter"),
        ("biner.txt", b"\xff\xfe\x00\x01" * 50, "UTF-8"),
        ("tanpa-sumber.md", NEW_ARTICLE.replace("sources: [https://example.org/festival]\n", "").encode(), "sources"),
        ("judul-kembar.md", NEW_ARTICLE.replace("Festival kerja Jepang di Surabaya", "Pelatihan di BPVP", 1).encode(),
         "title"),
    ],
)
async def test_bad_uploads_are_refused_with_the_reason_and_change_nothing(fake_api, bot_env, file_name, content,
                                                                           reason):
    services = bot_env.services
    files_before = sorted(p.name for p in services.kb.knowledge_dir.iterdir())
    snapshot_before = services.kb.snapshot
    reply = await fake_api.wait_for_reply(await fake_api.user(ADMIN).uploads(file_name, content))
    assert "❌" in reply["text"] and reason in reply["text"]
    assert sorted(p.name for p in services.kb.knowledge_dir.iterdir()) == files_before
    assert services.kb.snapshot is snapshot_before


async def test_a_related_question_button_answers_that_section(fake_api, bot_env):
    sari = fake_api.user(42)
    reply = await fake_api.wait_for_reply(await sari.says("syarat bahasa jepang SSW, JFT-Basic atau N4?"))
    related = [b for row in reply["reply_markup"]["inline_keyboard"] for b in row if b["callback_data"].startswith("rel:")]
    assert related, reply["reply_markup"]
    await sari.presses(reply, related[0]["callback_data"])
    answers = await fake_api.wait_for(lambda api: [m for m in api.sent_messages(42) if "Sumber:" in m["text"]][1:])
    assert answers[0]["text"] != reply["text"]


async def test_sources_lists_every_article_with_its_date(fake_api, bot_env):
    reply = await fake_api.wait_for_reply(await fake_api.user(42).says("/sumber"))
    assert "4 artikel" in reply["text"]
    assert "Pelatihan di BPVP (per 1 November 2026)" in reply["text"]


async def test_admin_stats_count_questions_and_feedback(fake_api, bot_env):
    sari, admin = fake_api.user(42), fake_api.user(ADMIN)
    answered = await fake_api.wait_for_reply(await sari.says("SSW boleh bawa keluarga?"))
    await fake_api.wait_for_reply(await sari.says("resep nasi goreng"))
    await sari.presses(answered, "👎")
    assert await ratings(bot_env.services, expected=(0, 1)) == (0, 1)
    stats = await fake_api.wait_for_reply(await admin.says("/stats 7"))
    assert "Pengguna: 1" in stats["text"] and "Pertanyaan: 2" in stats["text"]
    assert "terjawab 1, ditolak 1" in stats["text"] and "👎 1" in stats["text"] and "ssw (1)" in stats["text"]
    refused = await fake_api.wait_for_reply(await sari.says("/stats"))
    assert "hanya untuk admin" in refused["text"]


async def test_question_log_retention_runs_daily(fake_api, bot_env):
    jobs = [job for job in bot_env.app.job_queue.jobs() if job.callback.__name__ == "_purge_old_questions"]
    assert len(jobs) == 1 and jobs[0].trigger.interval.total_seconds() == 24 * 3600
