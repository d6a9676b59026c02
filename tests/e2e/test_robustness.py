"""Trying to break the running bot: odd input, floods, Telegram faults, concurrent reloads, stopping."""

import asyncio
import logging

import pytest

from bot.rate_limit import BURST
from bot.texts import text
from tests.e2e.conftest import ADMIN

EMPTY, SLOW_DOWN = text("id", "decline_empty"), text("id", "slow_down")
TEXT_ONLY, UNKNOWN_COMMAND = text("id", "text_only"), text("id", "unknown_command")
pytestmark = pytest.mark.e2e
QUESTION = "SSW boleh bawa keluarga?"


def answers(api, chat_id):
    return [m for m in api.sent_messages(chat_id) if "Sumber:" in m["text"] or "Maaf, saya belum" in m["text"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", TEXT_ONLY[:30]),  # Telegram never sends empty text; if it did, it is no text message
        ("   \n\t ", EMPTY.split(",")[0]),
        ("😀🎌🙏", EMPTY.split(",")[0]),
        ("<b>SSW</b> </a> [x](tg://user?id=1) boleh bawa keluarga? &amp; <script>", "Sumber:"),
        ("SSW\u202e boleh\u0000 bawa\u200f keluarga\u0007?", "Sumber:"),
        ("SSW boleh\u0301\u0301\u0301\u0301\u0301\u0301 bawa keluarga?" + "\u0300" * 500, "Sumber:"),
        ("ما هو SSW؟ boleh bawa keluarga", "Sumber:"),
        ("SSW boleh bawa keluarga? " * 180, "Sumber:"),  # about 4,500 characters
        ("/perintahaneh", UNKNOWN_COMMAND[:20]),
    ],
)
async def test_odd_messages_get_a_sensible_valid_reply(fake_api, bot_env, text, expected):
    reply = await fake_api.wait_for_reply(await fake_api.user(42).says(text))
    assert expected in reply["text"]  # the fake refuses invalid HTML and texts over 4096, so reaching here is proof


async def test_edits_channel_posts_and_other_bots_commands_are_ignored(fake_api, bot_env):
    sari = fake_api.user(42)
    first = await sari.says(QUESTION)
    await fake_api.wait_for_reply(first)
    await sari.edits(first, "SSW boleh bawa anak?")
    await fake_api.channel_post(-100777, "SSW boleh bawa keluarga?")
    group = fake_api.group(-100555)
    await sari.says("/start@OtherBot", chat=group)
    marker = await sari.says("/help")  # processed after the three above
    await fake_api.wait_for_reply(marker)
    assert len(fake_api.sent_messages(42)) == 2
    assert fake_api.sent_messages(-100777) == [] and fake_api.sent_messages(-100555) == []


async def test_groups_get_answers_only_when_the_bot_is_addressed(fake_api, bot_env):
    sari, group = fake_api.user(42), fake_api.group(-100555)
    fake_api.privacy_mode = False  # the bot sees all group chatter, and must still stay quiet
    await sari.says("SSW boleh bawa keluarga? ada yang tahu?", chat=group)
    mention = await sari.says("@TanyaJepangBot SSW boleh bawa keluarga?", chat=group)
    reply = await fake_api.wait_for_reply(mention)
    assert "Sumber:" in reply["text"]
    await sari.says("/start@TanyaJepangBot", chat=group)
    await fake_api.wait_for(lambda api: len(api.sent_messages(-100555)) == 2)
    await asyncio.sleep(0.2)
    assert len(fake_api.sent_messages(-100555)) == 2


async def test_stickers_photos_and_voice_get_the_text_only_reply(fake_api, bot_env):
    sari = fake_api.user(42)
    for send in (sari.sends_sticker, sari.sends_photo, sari.sends_voice):
        reply = await fake_api.wait_for_reply(await send())
        assert reply["text"] == TEXT_ONLY


async def test_a_flooding_user_is_told_once_and_others_are_served(fake_api, bot_env):
    flooder, other = fake_api.user(666), fake_api.user(42)
    sent = [await flooder.says(f"{QUESTION} {i}") for i in range(BURST + 6)]
    asked = await other.says(QUESTION)
    assert "Sumber:" in (await fake_api.wait_for_reply(asked))["text"]
    await fake_api.wait_for(lambda api: len(api.sent_messages(666)) >= BURST + 1)
    await asyncio.sleep(0.3)
    texts = [m["text"] for m in fake_api.sent_messages(666)]
    assert texts.count(SLOW_DOWN) == 1
    assert len(answers(fake_api, 666)) == BURST
    assert len(sent) == BURST + 6


async def test_two_reloads_at_once_the_second_is_told(fake_api, bot_env):
    bot_env.build_encoder.delay = 0.8
    (bot_env.services.kb.knowledge_dir / "ssw.md").write_text(
        (bot_env.services.kb.knowledge_dir / "ssw.md").read_text().replace("April 2019", "1 April 2019"))
    admin = fake_api.user(ADMIN)
    await admin.says("/reload")
    await admin.says("/reload")
    texts = await fake_api.wait_for(lambda api: [m["text"] for m in api.sent_messages(ADMIN)
                                                 if "berjalan" in m["text"] or "dimuat ulang" in m["text"]]
                                    if len(api.sent_messages(ADMIN)) >= 4 else None, timeout=10)
    assert any("sedang berjalan" in t for t in texts)
    assert sum("✅" in t for t in texts) == 1


@pytest.mark.parametrize("fault", ["500", "502", "malformed", "drop"])
async def test_polling_survives_faults_and_loses_no_update(fake_api, bot_env, fault):
    sari = fake_api.user(42)
    fake_api.inject_fault("getUpdates", fault)
    asked = await sari.says(QUESTION)
    reply = await fake_api.wait_for_reply(asked, timeout=8)
    assert "Sumber:" in reply["text"]
    assert len(fake_api.replies_to(asked)) == 1


async def test_a_429_on_send_is_waited_out_and_the_reply_sent_once(fake_api, bot_env):
    fake_api.inject_fault("sendMessage", "429", retry_after=1)
    asked = await fake_api.user(42).says(QUESTION)
    reply = await fake_api.wait_for_reply(asked, timeout=8)
    assert "Sumber:" in reply["text"]
    await asyncio.sleep(0.3)
    assert len(fake_api.replies_to(asked)) == 1
    statuses = [c.status for c in fake_api.calls_to("sendMessage")]
    assert statuses[0] == 429 and statuses.count(200) == 1


async def test_a_send_that_times_out_is_not_followed_by_a_second_message(fake_api, bot_env):
    fake_api.inject_fault("sendMessage", "timeout", delay=7.0)  # Telegram acts, the client gives up at 5 s
    asked = await fake_api.user(42).says(QUESTION)
    await fake_api.wait_for(lambda api: api.replies_to(asked), timeout=12)
    await asyncio.sleep(0.5)
    assert len(fake_api.replies_to(asked)) == 1


async def test_the_token_never_reaches_the_logs(fake_api, bot_env, caplog):
    caplog.set_level(logging.DEBUG)
    fake_api.inject_fault("getUpdates", "500")
    fake_api.inject_fault("sendMessage", "429", retry_after=1)
    await fake_api.wait_for_reply(await fake_api.user(42).says(QUESTION), timeout=8)
    await fake_api.wait_for_reply(await fake_api.user(ADMIN).says("/stats"))
    secret = fake_api.token.split(":")[1]
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert len(caplog.records) > 5  # the run was really logged
    assert secret not in logged


async def test_stopping_finishes_the_reply_in_flight(fake_api, bot_env):
    bot_env.query_encoder.delay = 0.8
    asked = await fake_api.user(42).says(QUESTION)
    await fake_api.wait_for(lambda api: api.calls_to("sendChatAction"))
    await bot_env.app.updater.stop()
    await bot_env.app.stop()  # waits for handlers still running
    assert "Sumber:" in fake_api.replies_to(asked)[0]["text"]


async def test_the_token_is_masked_from_the_start_at_debug(fake_api, tmp_path, caplog):
    """F9: PTB logs "Set Bot API URL: …/bot<token>" at DEBUG while the bot is built, before the test above
    turns DEBUG on."""
    import shutil

    from bot.config import load_settings
    from bot.services import assemble, open_knowledge_base
    from bot.telegram.app import build_application, running
    from tests.e2e.conftest import FIXTURE_KB
    from tests.fakes import FakeEncoder

    caplog.set_level(logging.DEBUG)
    shutil.copytree(FIXTURE_KB, tmp_path / "kb")
    settings = load_settings(telegram_bot_token=fake_api.token, telegram_base_url=fake_api.base_url,
                             knowledge_dir=tmp_path / "kb", bot_data_dir=tmp_path / "data")
    encoder = FakeEncoder()
    services = assemble(settings, kb=open_knowledge_base(settings, lambda: encoder, model="fake-encoder"),
                        query_encoder=lambda: encoder)
    fake_api.inject_fault("sendMessage", "429", retry_after=1)
    async with running(build_application(settings, services)):
        await fake_api.wait_for_reply(await fake_api.user(42).says(QUESTION), timeout=8)
    secret = fake_api.token.split(":")[1]
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "Set Bot API URL" in logged  # the line that carried the token was logged
    assert secret not in logged
