"""A conversation, not a search box (#18): follow-up questions, the route finder (/jalur) and the worker's
language, through the real PTB Application against the fake Bot API. The chat memory's clock is injected, so
expiry is tested without waiting."""

import asyncio

import pytest

from bot.conversation import MEMORY_SECONDS, ChatMemory
from bot.services import assemble, open_knowledge_base
from bot.telegram.app import build_application, running
from tests.e2e.conftest import ADMIN
from tests.fakes import FakeEncoder

pytestmark = pytest.mark.e2e

GROUP = -100555
RESULT_ID, RESULT_EN = "Jalur ke Jepang untuk Anda", "Your routes to Japan"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(bot_env):
    """The running bot's chat memory, on a clock the test moves."""
    clock = Clock()
    bot_env.services.memory = ChatMemory(clock)
    return clock


async def ask(api, user, question, chat=None):
    return await api.wait_for_reply(await user.says(question, chat=chat))


async def press(api, user, message, label):
    """Press a route finder button and wait until the bot has changed the message it is on."""
    key = (message["chat"]["id"], message["message_id"])
    before = api.messages[key]
    await user.presses(message, label)
    await api.wait_for(lambda a: a.messages[key] != before)


async def press_in_vain(api, user, message, label):
    """Press a button the bot should only answer (with a notice to the presser), changing nothing."""
    answered = len(api.calls_to("answerCallbackQuery"))
    await user.presses(message, label)
    calls = await api.wait_for(lambda a: [c for c in a.calls_to("answerCallbackQuery")[answered:] if c.status])
    return calls[0].params


async def route_result(api, user, message, labels):
    """Answer every question of the route finder on `message`; the result's text (it may take two messages)."""
    sent_before = len(api.sent_messages(message["chat"]["id"]))
    for label in labels:
        await press(api, user, message, label)
    result = await api.wait_for(lambda a: [m for m in a.sent_messages(message["chat"]["id"])[sent_before:]
                                           if m.get("reply_markup")])
    return "\n".join(m["text"] for m in api.sent_messages(message["chat"]["id"])[sent_before:]), result[-1]


def keyboard(api, message):
    """The buttons a message shows now (after the bot's edits)."""
    current = api.messages[(message["chat"]["id"], message["message_id"])]
    return [b["text"] for row in (current.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def now_says(api, message):
    return api.messages[(message["chat"]["id"], message["message_id"])]["text"]


# --- follow-ups -------------------------------------------------------------------------------------------

async def test_a_follow_up_in_a_private_chat_is_understood_with_the_question_before_it(fake_api, bot_env):
    sari = fake_api.user(42)
    first = await ask(fake_api, sari, "syarat SSW apa aja?")
    assert "JFT-Basic" in first["text"] and "saya pahami" not in first["text"]
    follow_up = await ask(fake_api, sari, "kalau magang?")
    assert follow_up["text"].startswith("(saya pahami: tentang syarat)")
    assert "Calon peserta magang harus sehat" in follow_up["text"]  # the magang article's requirements section
    third = await ask(fake_api, sari, "terus kalau SSW?")  # the subject changes, what is asked stays
    assert third["text"].startswith("(saya pahami: tentang syarat)") and "JFT-Basic" in third["text"]


async def test_a_new_question_that_is_not_ours_is_not_read_as_a_follow_up(fake_api, bot_env):
    """It names no programme, so it might lean on the question before; its own words say it is a new question
    (the scope model), which the bot declines instead of answering the question before it again."""
    sari = fake_api.user(42)
    await ask(fake_api, sari, "SSW boleh bawa keluarga?")
    off_topic = await ask(fake_api, sari, "resep nasi goreng")
    assert off_topic["text"].startswith("Maaf") and "saya pahami" not in off_topic["text"]
    follow_up = await ask(fake_api, sari, "kalau magang?")  # and it is the context of the next message
    assert "saya pahami" not in follow_up["text"]


async def test_two_workers_in_one_group_each_follow_up_their_own_question(fake_api, bot_env):
    sari, budi, group = fake_api.user(42), fake_api.user(43, first_name="Budi"), fake_api.group(GROUP)
    await ask(fake_api, sari, "@TanyaJepangBot SSW boleh bawa keluarga?", chat=group)
    await ask(fake_api, budi, "@TanyaJepangBot syarat umum ikut magang apa?", chat=group)
    sari_again = await ask(fake_api, sari, "@TanyaJepangBot kalau magang?", chat=group)
    budi_again = await ask(fake_api, budi, "@TanyaJepangBot terus kalau SSW?", chat=group)
    assert sari_again["text"].startswith("(saya pahami: tentang keluarga)")
    assert budi_again["text"].startswith("(saya pahami: tentang syarat)")
    private = await ask(fake_api, sari, "kalau magang?")  # her private chat knows nothing of the group
    assert "saya pahami" not in private["text"]


async def test_a_reply_to_the_bot_in_a_group_follows_up_too(fake_api, bot_env):
    sari, group = fake_api.user(42), fake_api.group(GROUP)
    answer = await ask(fake_api, sari, "@TanyaJepangBot syarat SSW apa aja?", chat=group)
    follow_up = await fake_api.wait_for_reply(await sari.says("kalau magang?", chat=group, reply_to=answer))
    assert follow_up["text"].startswith("(saya pahami: tentang syarat)")


async def test_the_memory_is_forgotten_after_thirty_minutes(fake_api, bot_env, clock):
    sari = fake_api.user(42)
    await ask(fake_api, sari, "syarat SSW apa aja?")
    clock.now += MEMORY_SECONDS - 60
    assert (await ask(fake_api, sari, "kalau magang?"))["text"].startswith("(saya pahami: tentang syarat)")
    clock.now += MEMORY_SECONDS + 1
    assert "saya pahami" not in (await ask(fake_api, sari, "terus kalau SSW?"))["text"]


async def test_hapus_forgets_the_conversation(fake_api, bot_env):
    sari = fake_api.user(42)
    await ask(fake_api, sari, "syarat SSW apa aja?")
    assert "dihapus" in (await ask(fake_api, sari, "/hapus"))["text"]
    assert "saya pahami" not in (await ask(fake_api, sari, "kalau magang?"))["text"]


async def test_start_starts_afresh(fake_api, bot_env):
    sari = fake_api.user(42)
    await ask(fake_api, sari, "syarat SSW apa aja?")
    await ask(fake_api, sari, "/start")
    assert "saya pahami" not in (await ask(fake_api, sari, "kalau magang?"))["text"]


async def test_a_topic_button_starts_afresh_and_its_question_can_be_followed_up(fake_api, bot_env):
    sari = fake_api.user(42)
    welcome = await ask(fake_api, sari, "/start")
    await ask(fake_api, sari, "SSW boleh bawa keluarga?")
    await sari.presses(welcome, "Pelatihan BPVP")
    topic = await fake_api.wait_for(lambda api: [m for m in api.sent_messages(42) if "Pelatihan di BPVP" in m["text"]])
    assert "saya pahami" not in topic[-1]["text"]
    after_topic = await ask(fake_api, sari, "terus cara daftarnya gimana?")  # follows the topic, not the one before
    assert after_topic["text"].startswith("(saya pahami: tentang BPVP)")


# --- the route finder -------------------------------------------------------------------------------------

async def test_the_route_finder_names_the_routes_that_fit_and_why_the_others_do_not(fake_api, bot_env):
    sari = fake_api.user(42)
    question = await ask(fake_api, sari, "/jalur")
    assert "Berapa umur Anda" in question["text"] and "(1/6)" in question["text"]
    result, last = await route_result(fake_api, sari, question, [
        "18–26 tahun", "SMK", "Belum punya", "Pabrik / manufaktur", "Belum pernah", "Rp15–35 juta"])
    assert RESULT_ID in result
    fits, later, closed = (result.index(mark) for mark in ("✅", "🔜", "❌"))
    assert fits < result.index("Magang lewat program Kemnaker–IM Japan") < later
    assert later < result.index("SSW lewat P3MI berizin") < closed and "Perlu dulu: Perlu lulus JFT-Basic" in result
    assert closed < result.index("G to G (EPA)") and "hanya untuk kandidat perawat" in result
    assert "jepang.magangln.id" in result and "kp2mi.go.id" in result
    assert "magangln.id" in " ".join(m.params["text"] for m in fake_api.sent_messages(42)[-2:])  # a real link
    assert keyboard(fake_api, question) == [] and "Pabrik / manufaktur" in now_says(fake_api, question)  # a recap
    assert keyboard(fake_api, last) == ["🔁 Cari lagi"]


async def test_a_nurse_is_shown_g_to_g_and_the_button_under_start_opens_the_route_finder(fake_api, bot_env):
    sari = fake_api.user(42)
    welcome = await ask(fake_api, sari, "/start")
    await sari.presses(welcome, "🧭 Cari jalur yang cocok")
    question = await fake_api.wait_for(lambda api: [m for m in api.sent_messages(42) if "Berapa umur" in m["text"]])
    result, _ = await route_result(fake_api, sari, question[0], [
        "27–35 tahun", "D3+ Keperawatan", "N5 / JFT-Basic A1", "Perawat / kaigo", "Belum pernah",
        "Di bawah Rp5 juta"])
    fits, later = result.index("✅"), result.index("🔜")
    assert fits < result.index("G to G (EPA) untuk perawat dan perawat lansia") < later
    assert result.index("❌") < result.index("Magang lewat program Kemnaker–IM Japan")  # 18-26 only
    assert "KUR PMI" in result  # the general note for a small budget


async def test_free_text_in_the_middle_is_answered_and_the_question_asked_again(fake_api, bot_env):
    sari = fake_api.user(42)
    question = await ask(fake_api, sari, "/jalur")
    await press(fake_api, sari, question, "18–26 tahun")
    typed = await sari.says("syarat SSW apa aja?")
    asked_again = await fake_api.wait_for(lambda api: [m for m in api.replies_to(typed) if "(2/6)" in m["text"]])
    answer = fake_api.replies_to(typed)[0]
    assert "JFT-Basic" in answer["text"] and answer["message_id"] < asked_again[0]["message_id"]
    assert keyboard(fake_api, question) == []  # only the newest question has live buttons
    await press(fake_api, sari, asked_again[0], "SMA / MA")
    now = now_says(fake_api, asked_again[0])
    assert "(3/6)" in now and "18–26 tahun · SMA / MA" in now


async def test_two_workers_in_a_group_each_have_their_own_route_finder(fake_api, bot_env):
    sari, budi, group = fake_api.user(42), fake_api.user(43, first_name="Budi"), fake_api.group(GROUP)
    sari_question = await ask(fake_api, sari, "/jalur", chat=group)
    assert sari_question["reply_to_message"]["from"]["id"] == 42  # it quotes her command: hers, visibly
    alert = await press_in_vain(fake_api, budi, sari_question, "27–35 tahun")
    assert alert.get("show_alert") and "milik orang lain" in alert["text"]
    assert "(1/6)" in now_says(fake_api, sari_question)  # Budi's press changed nothing
    budi_question = await ask(fake_api, budi, "/jalur", chat=group)
    await press(fake_api, sari, sari_question, "18–26 tahun")
    await press(fake_api, budi, budi_question, "36 tahun ke atas")
    assert "18–26 tahun" in now_says(fake_api, sari_question) and "(2/6)" in now_says(fake_api, sari_question)
    budi_now = now_says(fake_api, budi_question)
    assert "36 tahun ke atas" in budi_now and "18–26" not in budi_now


async def test_hapus_in_the_middle_ends_the_route_finder_and_takes_its_buttons_away(fake_api, bot_env):
    sari = fake_api.user(42)
    question = await ask(fake_api, sari, "/jalur")
    await press(fake_api, sari, question, "18–26 tahun")
    assert "dihapus" in (await ask(fake_api, sari, "/hapus"))["text"]
    await fake_api.wait_for(lambda api: keyboard(api, question) == [])
    typed = await sari.says("syarat SSW apa aja?")
    assert "JFT-Basic" in (await fake_api.wait_for_reply(typed))["text"]
    await asyncio.sleep(0.3)  # give a wrongly re-asked question the chance to show itself
    assert [m["text"][:20] for m in fake_api.replies_to(typed)] == [fake_api.replies_to(typed)[0]["text"][:20]]


async def test_a_double_tap_is_one_answer(fake_api, bot_env):
    sari = fake_api.user(42)
    question = await ask(fake_api, sari, "/jalur")
    await asyncio.gather(sari.presses(question, "18–26 tahun"), sari.presses(question, "18–26 tahun"))
    await fake_api.wait_for(lambda api: len([c for c in api.calls_to("answerCallbackQuery") if c.status]) == 2)
    await asyncio.sleep(0.3)  # give a second, wrong edit the chance to show itself
    assert len(fake_api.calls_to("editMessageText")) == 1 and "(2/6)" in now_says(fake_api, question)


async def test_stop_ends_the_route_finder(fake_api, bot_env):
    sari = fake_api.user(42)
    question = await ask(fake_api, sari, "/jalur")
    await press(fake_api, sari, question, "✖️ Berhenti")
    assert "dihentikan" in now_says(fake_api, question) and keyboard(fake_api, question) == []


async def test_a_button_pressed_after_a_restart_carries_on_where_the_worker_was(fake_api, bot_env):
    sari = fake_api.user(42)
    question = await ask(fake_api, sari, "/jalur")
    await press(fake_api, sari, question, "18–26 tahun")
    await press(fake_api, sari, question, "SMK")
    await bot_env.app.updater.stop()  # the bot stops; a new process starts, knowing nothing of the dialogue
    await bot_env.app.stop()
    settings = bot_env.services.settings
    kb = open_knowledge_base(settings, FakeEncoder, model="fake-encoder")
    async with running(build_application(settings, assemble(settings, kb=kb, query_encoder=FakeEncoder))):
        await press(fake_api, sari, question, "Belum punya")
        now = now_says(fake_api, question)
        assert "(4/6)" in now and "18–26 tahun · SMK · Belum punya" in now and "Bidang kerja" in now
        result, _ = await route_result(fake_api, sari, question, ["Konstruksi", "Belum pernah", "Rp15–35 juta"])
        assert RESULT_ID in result and "Magang lewat program Kemnaker–IM Japan" in result


async def test_after_thirty_minutes_free_text_is_just_a_question_and_an_old_button_still_carries_on(
        fake_api, bot_env, clock):
    sari = fake_api.user(42)
    question = await ask(fake_api, sari, "/jalur")
    await press(fake_api, sari, question, "18–26 tahun")
    clock.now += MEMORY_SECONDS + 1
    typed = await sari.says("syarat SSW apa aja?")
    assert "JFT-Basic" in (await fake_api.wait_for_reply(typed))["text"]
    await asyncio.sleep(0.3)  # give a wrongly re-asked question the chance to show itself
    assert len(fake_api.replies_to(typed)) == 1, [m["text"] for m in fake_api.replies_to(typed)]
    await press(fake_api, sari, question, "SMK")
    assert "(3/6)" in now_says(fake_api, question)


# --- language ---------------------------------------------------------------------------------------------

async def test_a_worker_who_writes_english_gets_english_throughout(fake_api, bot_env):
    john = fake_api.user(77, first_name="John")
    answer = await ask(fake_api, john, "what are the requirements for SSW?")
    assert "Sources:" in answer["text"]
    follow_up = await ask(fake_api, john, "what about magang?")
    assert follow_up["text"].startswith("(as I understand it: about requirements)")
    welcome = await ask(fake_api, john, "/start")
    assert welcome["text"].startswith("Hello!")
    assert keyboard(fake_api, welcome)[-1] == "🧭 Find the route that fits me"
    assert "Internships" in keyboard(fake_api, welcome)
    assert "/jalur — find the route" in (await ask(fake_api, john, "/help"))["text"]
    question = await ask(fake_api, john, "/jalur")
    assert "How old are you?" in question["text"] and "36 or older" in keyboard(fake_api, question)
    result, _ = await route_result(fake_api, john, question, [
        "18–26", "SMK (vocational high)", "N4 / JFT-Basic A2", "Construction", "Never", "Rp15–35 million"])
    assert RESULT_EN in result and "SSW on your own" in result and "✅ Fits you" in result
    assert "Ini panduan" not in result


async def test_bahasa_switches_explicitly_and_a_typed_question_keeps_its_own_frame(fake_api, bot_env):
    from bot.rate_limit import RateLimiter

    bot_env.services.limiter = RateLimiter(burst=20)  # seven messages in a row: this test is about languages
    sari = fake_api.user(42)
    chooser = await ask(fake_api, sari, "/bahasa")
    await sari.presses(chooser, "English")
    assert "English" in (await fake_api.wait_for(
        lambda api: [m for m in api.sent_messages(42) if "I will use English" in m["text"]]))[0]["text"]
    assert (await ask(fake_api, sari, "/start"))["text"].startswith("Hello!")
    answer = await ask(fake_api, sari, "syarat SSW apa aja?")  # written in Indonesian: framed in Indonesian
    assert "Sumber:" in answer["text"]
    assert (await ask(fake_api, sari, "/start"))["text"].startswith("Hello!")  # the choice stands
    assert "Bahasa Indonesia" in (await ask(fake_api, sari, "/bahasa id"))["text"]
    assert (await ask(fake_api, sari, "/start"))["text"].startswith("Halo!")


async def test_the_commands_are_listed_in_indonesian_and_in_english_for_english_apps(fake_api, bot_env):
    default, english = fake_api.calls_to("setMyCommands")[:2]
    assert {"jalur", "bahasa"} <= {c["command"] for c in default.params["commands"]}
    assert english.params["language_code"] == "en"
    assert any("route" in c["description"] for c in english.params["commands"])


ADMIN_ROUTES = """
routes:
  - key: ssw-saja
    name: {id: "Jalur SSW uji coba", en: "Trial SSW route"}
    summary: {id: "Rute dari admin.", en: "A route from the admin."}
    article: ssw
    url: https://www.moj.go.jp/isa/applications/ssw/index.html
    needs:
      - answer: age
        min: 18
        why: {id: "Minimal 18 tahun.", en: "At least 18."}
"""


async def test_an_admins_rules_are_checked_on_reload_and_used_after(fake_api, bot_env):
    services, admin, sari = bot_env.services, fake_api.user(ADMIN), fake_api.user(42)
    rules_file = services.kb.knowledge_dir / "routes.yaml"
    rules_file.write_text(ADMIN_ROUTES.replace("article: ssw", "article: tidak-ada"), encoding="utf-8")
    await admin.says("/reload")
    refused = await fake_api.wait_for(lambda api: [m for m in api.sent_messages(ADMIN) if "❌" in m["text"]])
    assert "routes.yaml: routes[0] (ssw-saja): no article 'tidak-ada'" in refused[0]["text"]
    rules_file.write_text(ADMIN_ROUTES, encoding="utf-8")
    await admin.says("/reload")
    await fake_api.wait_for(lambda api: [m for m in api.sent_messages(ADMIN) if "dimuat ulang" in m["text"]])
    question = await ask(fake_api, sari, "/jalur")
    result, _ = await route_result(fake_api, sari, question, [
        "18–26 tahun", "SMK", "Belum punya", "Konstruksi", "Belum pernah", "Rp15–35 juta"])
    assert "Jalur SSW uji coba" in result and "SSW (Tokutei Ginou) singkat" in result  # the article it cites
    assert "Magang lewat program Kemnaker–IM Japan" not in result
