"""Proves the fake Bot API works with the real, unmodified python-telegram-bot stack."""

import asyncio
import datetime as dtm
import time

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]


async def echo(update, context):
    await update.message.reply_text(update.message.text)


async def test_echo_roundtrip_through_real_application(fake_api, start_app):
    app = await start_app(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    sari = fake_api.user(42, first_name="Sari", language_code="id")

    said = await sari.says("halo")
    reply = await fake_api.wait_for_reply(said)

    assert reply["text"] == "halo"
    assert reply["chat"] == {"id": 42, "type": "private", "first_name": "Sari"}
    assert reply.params["chat_id"] == 42 and isinstance(reply.params["chat_id"], int)
    assert reply["from"]["username"] == "TanyaJepangBot" == app.bot.username
    # The updater acknowledged the update via offset, so it is not delivered twice.
    await fake_api.wait_for(lambda api: not api.pending_updates)


async def test_commands_in_group_and_privacy_mode(fake_api, start_app):
    async def start(update, context):
        await update.message.reply_text(f"start:{context.args}")

    await start_app(CommandHandler("start", start), MessageHandler(filters.TEXT, echo))
    sari, grup = fake_api.user(7), fake_api.group(-100123, title="Grup")

    chatter = await sari.says("ngobrol biasa", chat=grup)  # privacy mode: never delivered
    cmd = await sari.says("/start@TanyaJepangBot magang", chat=grup)
    assert cmd["entities"] == [{"type": "bot_command", "offset": 0, "length": 21}]
    assert (await fake_api.wait_for_reply(cmd))["text"] == "start:['magang']"
    assert len(fake_api.updates) == 1 and chatter["message_id"] < cmd["message_id"]


async def test_callback_query_from_pressed_button(fake_api, start_app):
    async def ask(update, context):
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("SSW", callback_data="topic:ssw"),
                                          InlineKeyboardButton("Magang", callback_data="topic:tt")]])
        await update.message.reply_text("Pilih topik:", reply_markup=keyboard)

    async def chosen(update, context):
        query = update.callback_query
        await query.answer()
        await query.edit_message_text(f"Topik: {query.data}")

    await start_app(MessageHandler(filters.TEXT, ask), CallbackQueryHandler(chosen))
    sari = fake_api.user(42)
    menu = await fake_api.wait_for_reply(await sari.says("menu"))

    await sari.presses(menu, "Magang")  # by label; callback_data works too
    edits = await fake_api.wait_for(lambda api: api.calls_to("editMessageText"))
    assert edits[0].status == 200 and edits[0].params["text"] == "Topik: topic:tt"
    assert fake_api.calls_to("answerCallbackQuery")[0].status == 200
    assert "reply_markup" not in fake_api.messages[(42, menu["message_id"])]  # edit dropped it


async def test_document_upload_download(fake_api, start_app):
    got = []

    async def on_document(update, context):
        file = await update.message.document.get_file()
        got.append((file.file_path, bytes(await file.download_as_bytearray())))
        await update.message.reply_text("diterima")

    await start_app(MessageHandler(filters.Document.ALL, on_document))
    upload = await fake_api.user(42).uploads("new.md", b"# Artikel baru\n")
    assert upload["document"]["mime_type"] == "text/markdown"

    await fake_api.wait_for_reply(upload)
    path, data = got[0]
    assert data == b"# Artikel baru\n"
    assert path == f"{fake_api.base_file_url}{fake_api.token}/documents/file_1.md"


async def test_unimplemented_method_fails_loudly(fake_api):
    fake_api.user(42)
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        # Telegram answers unknown methods with 404, which PTB maps to InvalidToken.
        with pytest.raises(InvalidToken, match="fake: sendPoll not implemented"):
            await bot.send_poll(42, "Pilih?", ["SSW", "Magang"])
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(99, "siapa?")
        with pytest.raises(BadRequest, match="(?i)can.t parse entities"):
            await bot.send_message(42, "gaji <b>200rb", parse_mode="HTML")


async def test_wrong_token_is_rejected(fake_api):
    bot = Bot("123:WRONG", base_url=fake_api.base_url)
    with pytest.raises(InvalidToken):
        await bot.initialize()
    await bot.shutdown()


async def test_injected_faults(fake_api, monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # retry_after as timedelta, no deprecation warning
    fake_api.user(42)
    fake_api.inject_fault("sendMessage", "429", retry_after=7)
    fake_api.inject_fault("sendMessage", "500")
    fake_api.inject_fault("sendMessage", "malformed")
    fake_api.inject_fault("sendMessage", "drop")
    fake_api.inject_fault("sendMessage", "timeout", delay=0.5)
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        with pytest.raises(RetryAfter) as exc:
            await bot.send_message(42, "halo")
        assert exc.value.retry_after == dtm.timedelta(seconds=7)
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(42, "halo")
        with pytest.raises(TelegramError, match="Invalid server response"):
            await bot.send_message(42, "halo")
        with pytest.raises(NetworkError, match="Server disconnected"):
            await bot.send_message(42, "halo")
        with pytest.raises(TimedOut):
            await bot.send_message(42, "halo", read_timeout=0.1)
        # The timed-out call was still performed server-side, like Telegram may do.
        sent = await fake_api.wait_for(lambda api: api.sent_messages(42))
        assert [m["text"] for m in sent] == ["halo"]
        assert (await bot.send_message(42, "lagi")).text == "lagi"  # faults are used up
    assert [c.fault for c in fake_api.calls_to("sendMessage")] == [
        "429", "500", "malformed", "drop", "timeout", None]


async def test_every_update_builder_parses_in_ptb(fake_api, start_app, monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # durations as timedelta, no deprecation warning
    seen: list[Update] = []

    async def collect(update, context):
        seen.append(update)

    app = await start_app(TypeHandler(Update, collect))
    sari = fake_api.user(42, first_name="Sari", username="sari_id")
    said = await sari.says("🙏 halo @TanyaJepangBot")
    await sari.edits(said, "halo lagi")
    await sari.sends_sticker()
    await sari.sends_photo(caption="slip gaji")
    await sari.sends_voice()
    await fake_api.channel_post(-100999, "pengumuman")
    await fake_api.wait_for(lambda api: len(seen) == 6)

    kinds = [u.effective_message for u in seen]
    assert kinds[0].parse_entities() == {kinds[0].entities[0]: "@TanyaJepangBot"}  # UTF-16 offsets
    assert kinds[1].text == "halo lagi" and seen[1].edited_message.edit_date
    assert kinds[2].sticker.emoji == "👍" and kinds[3].photo[0].width == 320
    assert kinds[4].voice.duration == dtm.timedelta(seconds=3) and seen[5].channel_post.chat.type == "channel"

    await app.bot.set_my_commands([BotCommand("start", "Mulai")], language_code="id")
    assert [c.command for c in await app.bot.get_my_commands(language_code="id")] == ["start"]
    assert await app.bot.get_my_commands() == ()
    doc = await app.bot.send_document(42, b"isi", filename="jawaban.txt", caption="<b>Sumber</b>",
                                      parse_mode="HTML")
    assert doc.document.file_name == "jawaban.txt" and doc.caption == "Sumber"
    assert await (await app.bot.get_file(doc.document)).download_as_bytearray() == b"isi"


async def test_stop_releases_long_polls_and_pending_timeouts(fake_api):
    fake_api.user(42)
    fake_api.inject_fault("sendMessage", "timeout", delay=30)
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        slow = asyncio.create_task(bot.send_message(42, "halo", read_timeout=30))
        await fake_api.wait_for(lambda api: api.calls_to("sendMessage") and api.calls_to("getUpdates"))
        started = time.monotonic()
        await fake_api.stop()
        assert await poll == ()
        await asyncio.gather(slow, return_exceptions=True)
        assert time.monotonic() - started < 1.5


class _Receiver:
    """A webhook target on loopback that answers as told: a status, or after a delay."""

    def __init__(self, answers):
        self.answers, self.received = list(answers), []

    async def handle(self, request):
        from aiohttp import web

        self.received.append((await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, float):
            await asyncio.sleep(answer)
            answer = 200
        return web.Response(status=answer)

    async def __aenter__(self):
        from aiohttp import web

        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/hook"
        return self

    async def __aexit__(self, *exc):
        await self.runner.cleanup()


async def test_webhook_updates_are_posted_with_the_secret_and_delivered_again_until_answered(fake_api):
    bot = Bot(fake_api.token, base_url=fake_api.base_url)
    async with bot, _Receiver([500, 2.0]) as first, _Receiver([]) as second:
        fake_api.deliver_webhooks([first.url, second.url], timeout=0.5, redeliver_after=0.05)
        update = await fake_api.user(42).says("halo")  # queued: no webhook set yet
        await asyncio.sleep(0.2)
        assert not first.received and not second.received
        await bot.set_webhook("https://bot.example.org/hook", secret_token="s3cret")
        await fake_api.wait_for(lambda api: not api.pending_updates, timeout=5)
        attempts = [(d.url, d.status) for d in fake_api.deliveries]
        # first answers 500, second 200; the next update: first times out, then second answers
        assert attempts == [(first.url, 500), (second.url, 200)]
        await fake_api.user(43).says("lagi")
        await fake_api.wait_for(lambda api: not api.pending_updates, timeout=5)
        assert [(d.url, d.status) for d in fake_api.deliveries[2:]] == [(first.url, "timeout"), (second.url, 200)]
        assert {secret for _, secret in first.received + second.received} == {"s3cret"}
        assert second.received[0][0]["message"]["message_id"] == update["message_id"]
        with pytest.raises(TelegramError, match="webhook is active"):
            await bot.get_updates()
        await bot.delete_webhook()
        assert await bot.get_updates() == ()


async def test_a_second_poller_ends_the_first_ones_wait_with_409(fake_api):
    async with Bot(fake_api.token, base_url=fake_api.base_url) as first, \
            Bot(fake_api.token, base_url=fake_api.base_url) as second:
        waiting = asyncio.create_task(first.get_updates(timeout=5))
        await fake_api.wait_for(lambda api: api.calls_to("getUpdates"))
        await asyncio.sleep(0.05)
        overtaking = asyncio.create_task(second.get_updates(timeout=0.3))
        with pytest.raises(TelegramError, match="Conflict: terminated by other getUpdates request"):
            await waiting
        assert await overtaking == ()
