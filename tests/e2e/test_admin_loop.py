"""The admin loop (#17) end to end against the fake Bot API: /gaps and acting on a gap, /stale, /artikel,
/hapus_artikel, /rollback, /stats with its chart, and an article from a link served on 127.0.0.1."""

import asyncio
import json
from datetime import date
import shutil
import socket
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web

from bot.knowledge_files import section_article
from bot.texts import text
from tests.e2e.conftest import ADMIN, OTHER_ADMIN

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPO = Path(__file__).resolve().parents[2]
SIM_QUESTIONS = ["cara membuat SIM mobil di Jepang", "membuat SIM mobil di Jepang caranya gimana",
                 "SIM mobil Jepang cara membuatnya"]
SIM_SECTION = """## Bagaimana cara membuat SIM mobil di Jepang?
Pekerja asing yang ingin menyetir mobil di Jepang membuat SIM Jepang di pusat SIM prefektur tempat tinggalnya.
SIM Indonesia bisa ditukar dengan SIM Jepang setelah lulus tes tertulis singkat dan tes praktik mengemudi.
Bawa paspor, kartu izin tinggal, SIM Indonesia, dan terjemahan resminya.
Sumber: https://www.npa.go.jp/english/bureau/traffic/index.html
"""



def audit(journal, columns: str) -> list[tuple]:
    """The audit trail's rows (`columns` fixed by each test)."""
    with journal.db.transaction(5, write=False) as tx:
        return [tuple(row) for row in tx.execute(f"SELECT {columns} FROM admin_actions ORDER BY id").fetchall()]

def body(message) -> str:
    return message.get("text") or message.get("caption") or ""


def sent(api, chat_id: int = ADMIN) -> list[str]:
    return [body(m) for m in api.sent_messages(chat_id)]


async def admin_gets(api, needle: str, chat_id: int = ADMIN, count: int = 1, timeout: float = 20) -> list:
    """The messages to an admin that contain `needle`, once there are `count` of them."""
    def found(api):
        matching = [m for m in api.sent_messages(chat_id) if needle in body(m)]
        return matching if len(matching) >= count else None
    return await api.wait_for(found, timeout=timeout)


async def ask_all(api, questions, first_user: int = 3000) -> list:
    """Each question from a worker of its own; their replies, in order."""
    return [await api.wait_for_reply(await api.user(first_user + i).says(question), timeout=10)
            for i, question in enumerate(questions)]


def now(api, message) -> dict:
    """A message as it is now, after the bot's edits."""
    return api.messages[(message["chat"]["id"], message["message_id"])]


def labels(message) -> list[str]:
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


# --- /gaps ---------------------------------------------------------------------------------------------------

async def test_a_gap_answered_from_the_chat_answers_new_phrasings(fake_api, bot_env):
    """Workers ask what the knowledge base cannot answer → /gaps groups the phrasings → the admin writes a
    section in reply → the same need, asked anew, is answered from it, and the gap leaves the list."""
    before = await ask_all(fake_api, [*SIM_QUESTIONS, "resep nasi goreng enak", "resep nasi goreng kampung"])
    assert not any("Sumber:" in reply["text"] for reply in before)

    admin = fake_api.user(ADMIN)
    await admin.says("/gaps")
    (listing,) = await admin_gets(fake_api, "celah dari")
    page = body(listing)
    assert "2 celah" in page and "Celah 1/2" in page and "3 pertanyaan" in page
    assert all(f"«{question}»" in page for question in SIM_QUESTIONS) and "nasi goreng" not in page
    assert "Sebab:" in page and "Bagian terdekat" in page
    assert "3000" not in page  # question texts only, never who asked
    assert "▶️" in labels(listing) and "◀️" not in labels(listing)

    await admin.presses(listing, "▶️")  # the next gap, in the same message
    await fake_api.wait_for(lambda api: "nasi goreng" in body(now(api, listing)))
    await admin.presses(now(fake_api, listing), "◀️")
    await fake_api.wait_for(lambda api: "SIM mobil" in body(now(api, listing)))

    await admin.presses(now(fake_api, listing), text("id", "gap_write"))
    (prompt,) = await admin_gets(fake_api, text("id", "gap_prompt_mark"))
    await admin.says("SIM Jepang dibuat di pusat SIM prefektur.", reply_to=prompt)  # not a section
    (refused,) = await admin_gets(fake_api, "bukan bagian artikel")
    assert "tetap terbuka" in body(refused)
    await admin.says(SIM_SECTION, reply_to=prompt)
    (report,) = await admin_gets(fake_api, "dimuat ulang dalam")
    assert "Bagaimana cara membuat SIM mobil di Jepang?" in body(report)

    after = await ask_all(fake_api, ["kak mau tanya, SIM mobil di Jepang dibuat di mana?",
                                     "gimana cara bikin SIM mobil Jepang"], first_user=3100)
    for reply in after:
        assert "pusat SIM prefektur" in reply["text"] and "Sumber:" in reply["text"]

    await admin.says("/gaps")
    (second,) = await admin_gets(fake_api, "1 celah")
    assert "SIM" not in body(second) and "nasi goreng" in body(second)
    first_gap = bot_env.services.journal.gap(1)  # the first run's largest gap
    assert first_gap.state == "article" and first_gap.detail == "bagaimana-cara-membuat-sim-mobil-di-jepang.md"


async def test_teaching_the_scope_model_from_a_gap_changes_the_decision(fake_api, bot_env):
    """Answers that were not ours, rated 👎 → "not ours" → scope.yaml gains the phrasings, the reload refits
    the scope model, and a new phrasing of that need is declined as not ours. (The fake encoder is a bag of
    hashed words, so the knowledge folder has a small scope file of its own, where a few examples weigh.)"""
    services = bot_env.services
    shutil.copy(FIXTURES / "scope-small.yaml", services.kb.knowledge_dir / "scope.yaml")
    assert (await asyncio.to_thread(services.kb.rebuild, True)).published
    taught = ["cara daftar jadi youtuber di jepang", "daftar youtuber jepang gimana caranya"]
    new = "gimana cara daftar youtuber jepang biar dapet duit"
    before = await ask_all(fake_api, [*taught, new])
    assert all("Sumber:" in reply["text"] for reply in before)  # answered, wrongly, from the BPVP article
    for i, reply in enumerate(before[:2]):
        await fake_api.user(3000 + i).presses(reply, "👎")
    await fake_api.wait_for(lambda api: len(api.calls_to("answerCallbackQuery")) >= 2)
    for _ in range(60):  # a rating is stored after its press is answered
        if (await asyncio.to_thread(services.journal.stats)).thumbs_down == 2:
            break
        await asyncio.sleep(0.05)

    admin = fake_api.user(ADMIN)
    await admin.says("/gaps")
    (listing,) = await admin_gets(fake_api, "celah dari")
    assert "dijawab tapi dinilai 👎 2" in body(listing)
    await admin.presses(listing, text("id", "gap_notours"))
    await admin_gets(fake_api, "dimuat ulang dalam")
    scope_file = (services.kb.knowledge_dir / "scope.yaml").read_text()
    assert all(f'"{question}"' in scope_file for question in taught)
    await fake_api.wait_for(lambda api: text("id", "gap_state_out_of_scope") in body(now(api, listing)))
    assert text("id", "gap_notours") not in labels(now(fake_api, listing))

    (after,) = await ask_all(fake_api, [new], first_user=3200)
    assert "Sumber:" not in after["text"]
    assert after["text"].startswith(text("id", "decline_scope")[:40])


async def test_two_admins_acting_on_one_need_at_once_one_is_told(fake_api, bot_env):
    await ask_all(fake_api, SIM_QUESTIONS)
    first, second = fake_api.user(ADMIN), fake_api.user(OTHER_ADMIN)
    await first.says("/gaps")
    (mine,) = await admin_gets(fake_api, "celah dari")
    await second.says("/gaps")  # a run of its own, grouping the same questions
    (theirs,) = await admin_gets(fake_api, "celah dari", chat_id=OTHER_ADMIN)
    await asyncio.gather(first.presses(mine, text("id", "gap_done")),
                         second.presses(theirs, text("id", "gap_ignore")))
    told = await fake_api.wait_for(lambda api: [t for t in sent(api) + sent(api, OTHER_ADMIN)
                                                if "Celah ini sudah ditangani" in t], timeout=10)
    await asyncio.sleep(0.3)
    assert len([t for t in sent(fake_api) + sent(fake_api, OTHER_ADMIN) if "Celah ini sudah ditangani" in t]) == 1
    assert "oleh admin lain" in told[0]
    await first.says("/gaps")  # decided once, by one of them: it leaves the list
    await admin_gets(fake_api, "Tidak ada pertanyaan")


async def test_an_article_for_a_gap_another_admin_decided_meanwhile_is_not_added(fake_api, bot_env):
    await ask_all(fake_api, SIM_QUESTIONS)
    first, second = fake_api.user(ADMIN), fake_api.user(OTHER_ADMIN)
    await first.says("/gaps")
    (mine,) = await admin_gets(fake_api, "celah dari")
    await first.presses(mine, text("id", "gap_write"))
    (prompt,) = await admin_gets(fake_api, text("id", "gap_prompt_mark"))
    await second.says("/gaps")
    (theirs,) = await admin_gets(fake_api, "celah dari", chat_id=OTHER_ADMIN)
    await second.presses(theirs, text("id", "gap_ignore"))
    await fake_api.wait_for(lambda api: text("id", "gap_state_ignored") in body(now(api, theirs)))
    files = sorted(p.name for p in bot_env.services.kb.knowledge_dir.iterdir())

    await first.says(SIM_SECTION, reply_to=prompt)
    (told,) = await admin_gets(fake_api, "Celah ini sudah ditangani")
    assert "oleh admin lain" in body(told)
    await admin_gets(fake_api, "tidak ditambahkan")
    assert sorted(p.name for p in bot_env.services.kb.knowledge_dir.iterdir()) == files


async def test_a_file_in_reply_to_the_prompt_answers_the_gap(fake_api, bot_env):
    await ask_all(fake_api, SIM_QUESTIONS)
    admin = fake_api.user(ADMIN)
    await admin.says("/gaps")
    (listing,) = await admin_gets(fake_api, "celah dari")
    await admin.presses(listing, text("id", "gap_write"))
    (prompt,) = await admin_gets(fake_api, text("id", "gap_prompt_mark"))
    article, _ = section_article(SIM_SECTION, ["ssw"], date.today())
    await admin.uploads("sim-jepang.md", article.encode(), reply_to=prompt)
    await admin_gets(fake_api, "dimuat ulang dalam")
    assert (bot_env.services.kb.knowledge_dir / "sim-jepang.md").exists()
    await fake_api.wait_for(lambda api: bot_env.services.journal.gap(1).state == "article")
    assert bot_env.services.journal.gap(1).detail == "sim-jepang.md"


async def test_forged_gap_buttons_from_a_worker_are_refused_and_audited(fake_api, bot_env):
    await ask_all(fake_api, SIM_QUESTIONS)
    await fake_api.user(ADMIN).says("/gaps")
    (listing,) = await admin_gets(fake_api, "celah dari")
    mallory = fake_api.user(666, first_name="Mallory")
    query = {"id": "forged-1", "from": mallory.data, "chat_instance": "x", "message": listing, "data": "ga:1:done"}
    fake_api._queries.add("forged-1")
    await fake_api.push_update("callback_query", query)
    answered = await fake_api.wait_for(lambda api: [c for c in api.calls_to("answerCallbackQuery")
                                                    if c.params.get("callback_query_id") == "forged-1"])
    assert answered[0].params["text"] == text("id", "refused")
    await asyncio.sleep(0.2)
    assert bot_env.services.journal.gap(1).state is None
    rows = audit(bot_env.services.journal, "action, allowed")
    assert ("button ga:1:done", 0) in rows


# --- /stale, /artikel, /hapus_artikel, /rollback ----------------------------------------------------------

OLD_ARTICLE = """---
title: "Aturan lama visa kerja"
sources: [https://www.moj.go.jp/isa/old-rules.html]
as_of: {as_of}
lang: id
topics: [ssw]
---
## Aturan lama visa kerja
Aturan visa kerja untuk pekerja asing di Jepang pernah berbeda dari sekarang. Artikel ini menjelaskan aturan lama
yang berlaku sebelum perubahan, sebagai bahan perbandingan bagi pekerja yang pernah tinggal di Jepang.
"""


async def test_stale_lists_old_articles_oldest_first_with_their_links(fake_api, bot_env):
    folder = bot_env.services.kb.knowledge_dir
    (folder / "visa-lama.md").write_text(OLD_ARTICLE.format(as_of="2023-05-01"))
    (folder / "visa-lebih-lama.md").write_text(
        OLD_ARTICLE.format(as_of="2022-01-10").replace("Aturan lama visa kerja\"", "Aturan lebih lama\""))
    admin = fake_api.user(ADMIN)
    await admin.says("/reload")
    await admin_gets(fake_api, "dimuat ulang dalam")
    await admin.says("/stale")
    (reply,) = await admin_gets(fake_api, "diperiksa lebih dari")
    shown = body(reply)
    assert "2 artikel" in shown and "365 hari" in shown
    assert shown.index("Aturan lebih lama") < shown.index("Aturan lama visa kerja")
    assert "SSW (Tokutei Ginou) singkat" not in shown
    assert 'href="https://www.moj.go.jp/isa/old-rules.html"' in reply.params["text"]
    await admin.says("/stale 3650")
    await admin_gets(fake_api, "Tidak ada artikel yang diperiksa lebih dari 3650 hari")


async def test_articles_lists_ids_dates_passages_and_answers(fake_api, bot_env):
    await ask_all(fake_api, ["berapa lama pemegang SSW boleh tinggal, boleh bawa keluarga?"])
    await fake_api.user(ADMIN).says("/artikel")
    (reply,) = await admin_gets(fake_api, "📚")
    shown = body(reply)
    assert "4 artikel" in shown
    ssw = shown[shown.index("ssw —"):].split("\n• ")[0]
    assert "SSW (Tokutei Ginou) singkat" in ssw and "1 November 2026" in ssw and "1 pertanyaan" in ssw
    assert "3 bagian" in ssw


async def test_unknown_ids_and_no_earlier_version_get_clear_replies(fake_api, bot_env):
    admin = fake_api.user(ADMIN)
    await admin.says("/rollback")
    await admin_gets(fake_api, "Tidak ada versi sebelumnya")
    await admin.says("/hapus_artikel tidak-ada")
    await admin_gets(fake_api, "Tidak ada artikel dengan ID")
    await admin.says("/hapus_artikel ../ssw")
    await admin_gets(fake_api, "Tulis ID artikelnya")
    assert sorted(p.name for p in bot_env.services.kb.knowledge_dir.iterdir()) == [
        "bpvp.md", "kontak.md", "magang.md", "ssw.md"]


async def test_removing_an_article_then_rolling_back(fake_api, bot_env, tmp_path):
    services = bot_env.services
    admin = fake_api.user(ADMIN)
    bpvp = (services.kb.knowledge_dir / "bpvp.md").read_bytes()
    await admin.says("/hapus_artikel bpvp")
    (removed,) = await admin_gets(fake_api, "🗑 bpvp.md dihapus")
    (report,) = await admin_gets(fake_api, "dimuat ulang dalam")
    assert "Dihapus: Pelatihan di BPVP" in body(report)
    assert not (services.kb.knowledge_dir / "bpvp.md").exists()
    backups = list((tmp_path / "data" / "article-backups").iterdir())
    assert [b.read_bytes() for b in backups] == [bpvp] and backups[0].name in body(removed)
    (gone,) = await ask_all(fake_api, ["cara daftar pelatihan BPVP"])
    assert "Pelatihan di BPVP" not in gone["text"]

    await admin.says("/rollback")
    (rolled,) = await admin_gets(fake_api, "Kembali ke versi")
    assert "Baru: Pelatihan di BPVP" in body(rolled) and "bpvp.md" in body(rolled)
    assert (services.kb.knowledge_dir / "bpvp.md").read_bytes() == bpvp
    (back,) = await ask_all(fake_api, ["cara daftar pelatihan BPVP"], first_user=3100)
    assert "Pelatihan di BPVP" in back["text"]
    await admin.says("/rollback")
    await admin_gets(fake_api, "Tidak ada versi sebelumnya")
    actions = [row[0] for row in audit(services.journal, "action")]
    assert {"rollback", "rollback done", "rollback refused", "hapus_artikel"} <= set(actions)


# --- /stats ------------------------------------------------------------------------------------------------

def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


async def test_stats_sends_the_numbers_and_a_png_chart(fake_api, bot_env):
    replies = await ask_all(fake_api, ["cara daftar pelatihan BPVP", "syarat ikut magang apa saja",
                                       "resep nasi goreng enak"])
    await fake_api.user(3000).presses(replies[0], "👍")
    await fake_api.user(3001).presses(replies[1], "👎")
    await fake_api.wait_for(lambda api: len(api.calls_to("answerCallbackQuery")) >= 2)
    await asyncio.sleep(0.3)
    await fake_api.user(ADMIN).says("/stats 7")
    (numbers,) = await admin_gets(fake_api, "📊")
    assert "Pertanyaan: 3 (terjawab 2, ditolak 1" in body(numbers)
    assert "Per hari:" in body(numbers) and ": 3 (terjawab 2, ditolak 1) 👍 1 👎 1" in body(numbers)
    photo = (await fake_api.wait_for(lambda api: [m for m in api.sent_messages(ADMIN) if "photo" in m],
                                     timeout=60))[0]
    data = fake_api.files[photo["photo"][0]["file_id"]].data
    assert png_size(data) == (900, 550) == (photo["photo"][0]["width"], photo["photo"][0]["height"])
    assert 5_000 < len(data) < 500_000
    assert photo["caption"] == text("id", "stats_chart_caption")


def test_the_workers_path_imports_neither_matplotlib_nor_trafilatura():
    script = ("import sys, bot.__main__, bot.telegram.app\n"
              "print([name for name in ('matplotlib', 'trafilatura', 'lxml') if name in sys.modules])")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


# --- an article from a link ---------------------------------------------------------------------------------

@pytest_asyncio.fixture
async def news_site():
    """Our own pages on 127.0.0.1: a news article, a front page, a PDF, a huge page, a missing one."""
    async def article(request):
        return web.FileResponse(FIXTURES / "pages" / "berita.html")

    async def front_page(request):
        return web.FileResponse(FIXTURES / "pages" / "beranda.html")

    async def moved(request):
        raise web.HTTPFound("/berita/kelas-bahasa-jepang")

    async def pdf(request):
        return web.Response(body=b"%PDF-1.4 fake", content_type="application/pdf")

    async def huge(request):
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        chunk = b"<p>" + b"kata " * 20_000 + b"</p>"
        for _ in range(40):  # 4 MB, more than a news page ever is
            await response.write(chunk)
        return response

    app = web.Application()
    app.router.add_get("/berita/kelas-bahasa-jepang", article)
    app.router.add_get("/", front_page)
    app.router.add_get("/lama", moved)
    app.router.add_get("/dokumen.pdf", pdf)
    app.router.add_get("/besar", huge)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def test_an_article_from_a_link_is_previewed_then_added(fake_api, bot_env, news_site):
    admin = fake_api.user(ADMIN)
    await admin.says(f"{news_site}/lama")  # redirected to the article
    (preview,) = await admin_gets(fake_api, "📰")
    shown = body(preview)
    assert "Kelas Bahasa Jepang Gratis Dibuka di BPVP Bekasi" in shown
    assert "14 Oktober 2026" in shown and "Kabar Pekerja" in shown and "/berita/kelas-bahasa-jepang" in shown
    for noise in ("BACA JUGA", "Beranda", "Terpopuler", "Redaktur", "Harga Cabai", "kabarpekerja.id, BEKASI"):
        assert noise not in shown
    folder = bot_env.services.kb.knowledge_dir
    assert not list(folder.glob("*.txt"))  # nothing is added before the admin says yes

    await admin.presses(preview, text("id", "link_add"))
    (report,) = await admin_gets(fake_api, "dimuat ulang dalam")
    assert "Kelas Bahasa Jepang Gratis Dibuka di BPVP Bekasi" in body(report)
    (stored,) = folder.glob("*.txt")
    content = stored.read_text()
    assert content.startswith("judul: Kelas Bahasa Jepang Gratis Dibuka di BPVP Bekasi\nsumber: http://127.0.0.1")
    assert "tanggal: 2026-10-14" in content and "BACA JUGA" not in content and "Redaktur" not in content
    assert labels(now(fake_api, preview)) == []

    (answer,) = await ask_all(fake_api, ["kelas bahasa jepang gratis di BPVP Bekasi berapa bulan?"])
    assert "tiga bulan" in answer["text"] and "Kelas Bahasa Jepang Gratis" in answer["text"]

    query = {"id": "again-1", "from": admin.data, "chat_instance": "x", "message": preview,
             "data": preview["reply_markup"]["inline_keyboard"][0][0]["callback_data"]}
    fake_api._queries.add("again-1")
    await fake_api.push_update("callback_query", query)  # pressed again (the button was on screen)
    await admin_gets(fake_api, "sudah ditambahkan atau dibatalkan")
    assert len(list(folder.glob("*.txt"))) == 1


async def test_a_link_preview_can_be_dropped(fake_api, bot_env, news_site):
    admin = fake_api.user(ADMIN)
    await admin.says(f"{news_site}/berita/kelas-bahasa-jepang")
    (preview,) = await admin_gets(fake_api, "📰")
    await admin.presses(preview, text("id", "link_drop"))
    await admin_gets(fake_api, "Dibatalkan")
    assert not list(bot_env.services.kb.knowledge_dir.glob("*.txt"))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("path, expected", [
    ("/", "Tidak ada artikel yang bisa diambil"),
    ("/dokumen.pdf", "bukan halaman web (isinya application/pdf)"),
    ("/besar", "terlalu besar"),
    ("/hilang", "galat HTTP 404"),
    (None, "tidak bisa diambil"),
], ids=["no article", "not html", "huge", "missing", "dead"])
async def test_a_link_without_an_article_gets_a_clear_reply(fake_api, bot_env, news_site, path, expected):
    url = f"{news_site}{path}" if path else f"http://127.0.0.1:{closed_port()}/berita"
    await fake_api.user(ADMIN).says(url)
    (reply,) = await admin_gets(fake_api, expected)
    assert reply["text"].startswith("❌")
    assert not list(bot_env.services.kb.knowledge_dir.glob("*.txt"))


async def test_a_workers_link_is_a_question_not_an_import(fake_api, bot_env, news_site):
    reply = await fake_api.wait_for_reply(await fake_api.user(42).says(f"{news_site}/berita/kelas-bahasa-jepang"))
    assert "📰" not in reply["text"] and "Mengambil" not in reply["text"]


# --- everyone else -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["/gaps", "/stale", "/artikel", "/hapus_artikel ssw", "/rollback"])
async def test_non_admins_get_the_reload_refusal(fake_api, bot_env, command):
    mallory = fake_api.user(666, first_name="Mallory")
    reload_refusal = await fake_api.wait_for_reply(await mallory.says("/reload"))
    refusal = await fake_api.wait_for_reply(await mallory.says(command))
    assert refusal["text"] == reload_refusal["text"] == text("id", "refused")
    assert (bot_env.services.kb.knowledge_dir / "ssw.md").exists()
    await asyncio.sleep(0.1)
    rows = audit(bot_env.services.journal, "action, allowed")
    assert (command.split()[0], 0) in rows


async def test_admin_loop_commands_in_a_group_are_not_run(fake_api, bot_env):
    group = fake_api.group(-100777)
    reply = await fake_api.wait_for_reply(await fake_api.user(ADMIN).says("/gaps", chat=group))
    assert reply["text"] == text("id", "admin_private_only")
    assert json.dumps(sent(fake_api, -100777)).count("celah") == 0
