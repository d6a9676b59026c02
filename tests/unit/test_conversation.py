"""The chat memory and the worker's language: per (chat, user), forgotten on time and on request; the clock is
injected, so nothing here waits."""

from bot.answer import Decline, Reply
from bot.conversation import MEMORY_SECONDS, ChatMemory, Languages, RouteProgress, understood_text
from knowledge.text import detect_language, written_language

GROUP, SARI, BUDI = -100555, 42, 43


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_worker_in_a_group_has_their_own_conversation_and_none_follows_them_elsewhere():
    memory = ChatMemory(Clock())
    memory.remember(GROUP, SARI, "syarat SSW apa aja?")
    memory.remember(GROUP, BUDI, "syarat magang apa?")
    assert memory.previous(GROUP, SARI) == "syarat SSW apa aja?"
    assert memory.previous(GROUP, BUDI) == "syarat magang apa?"
    assert memory.previous(SARI, SARI) is None  # her private chat knows nothing of the group


def test_the_newest_of_a_few_turns_is_the_context():
    memory = ChatMemory(Clock())
    for question in ("a", "b", "c", "d"):
        memory.remember(SARI, SARI, question)
    assert memory.previous(SARI, SARI) == "d" and memory.turns(SARI, SARI) == ("b", "c", "d")


def test_a_conversation_is_forgotten_after_thirty_minutes_without_a_question():
    clock = Clock()
    memory = ChatMemory(clock)
    memory.remember(SARI, SARI, "syarat SSW apa aja?")
    clock.now += MEMORY_SECONDS - 1
    assert memory.previous(SARI, SARI) == "syarat SSW apa aja?"
    memory.remember(SARI, SARI, "kalau kaigo? ssw syarat")  # each question starts the thirty minutes again
    clock.now += MEMORY_SECONDS - 1
    assert memory.previous(SARI, SARI) == "kalau kaigo? ssw syarat"
    clock.now += 2
    assert memory.previous(SARI, SARI) is None and memory.route(SARI, SARI) is None


def test_expired_conversations_do_not_pile_up_and_the_number_kept_is_bounded():
    clock = Clock()
    memory = ChatMemory(clock, max_conversations=3)
    for user in range(5):
        memory.remember(user, user, "syarat SSW?")
    assert len(memory) == 3 and memory.previous(0, 0) is None and memory.previous(4, 4) == "syarat SSW?"
    clock.now += MEMORY_SECONDS + 1
    memory.remember(9, 9, "biaya magang?")
    assert len(memory) == 1


def test_starting_afresh_forgets_the_questions_and_forgetting_a_worker_forgets_every_chat():
    memory = ChatMemory(Clock())
    memory.remember(SARI, SARI, "syarat SSW?")
    memory.start_afresh(SARI, SARI)
    assert memory.previous(SARI, SARI) is None
    memory.remember(SARI, SARI, "syarat SSW?")
    memory.remember(GROUP, SARI, "biaya magang?")
    memory.set_route(GROUP, SARI, RouteProgress("bk", 7))
    memory.remember(GROUP, BUDI, "gaji kaigo?")
    assert memory.forget_user(SARI) == [(GROUP, RouteProgress("bk", 7))]
    assert memory.previous(SARI, SARI) is None and memory.previous(GROUP, SARI) is None
    assert memory.route(GROUP, SARI) is None and memory.previous(GROUP, BUDI) == "gaji kaigo?"


def test_a_route_finder_in_progress_is_kept_like_a_question():
    clock = Clock()
    memory = ChatMemory(clock)
    memory.set_route(SARI, SARI, None)  # clearing nothing creates nothing
    assert len(memory) == 0
    memory.set_route(SARI, SARI, RouteProgress("b", 5))
    assert memory.route(SARI, SARI) == RouteProgress("b", 5) and memory.previous(SARI, SARI) is None
    clock.now += MEMORY_SECONDS + 1
    assert memory.route(SARI, SARI) is None


def test_the_understood_question_is_remembered_so_a_third_turn_keeps_the_subject():
    first = Decline("kalau kaigo?", "id", "coverage", "", (), (), (), carried=("ssw", "syarat"))
    assert understood_text(first) == "kalau kaigo ssw syarat?"  # one clause: not a story beside the question
    several = Reply("syarat SSW? terus biayanya?", "id", (Decline("syarat SSW?", "id", "coverage", "", (), (), ()),
                                                         Decline("terus biayanya?", "id", "coverage", "", (), (), (),
                                                                 carried=("ssw",))), ())
    assert understood_text(several) == "terus biayanya ssw?"
    assert understood_text(Decline("kalau magang", "id", "coverage", "", (), (), (), carried=("syarat",))) \
        == "kalau magang syarat"


def test_the_frame_language_is_the_choice_else_what_the_worker_wrote_else_indonesian():
    languages = Languages()
    assert languages.of(SARI) == "id" and languages.of(None) == "id"
    languages.wrote(SARI, written_language("what are the requirements for SSW?"))
    assert languages.of(SARI) == "en"
    languages.wrote(SARI, written_language("SSW?"))  # says nothing either way: stays English
    assert languages.of(SARI) == "en"
    languages.choose(SARI, "id")
    languages.wrote(SARI, "en")
    assert languages.of(SARI) == "id"  # an explicit /bahasa wins over what is written
    languages.forget(SARI)
    assert languages.of(SARI) == "id"


def test_the_number_of_workers_whose_language_is_kept_is_bounded():
    languages = Languages(max_users=2)
    for user in (1, 2, 3):
        languages.choose(user, "en")
    assert [languages.of(user) for user in (1, 2, 3)] == ["id", "en", "en"]


def test_written_language_says_none_where_detect_language_falls_back_to_indonesian():
    assert written_language("SSW?") is None and detect_language("SSW?") == "id"
    assert written_language("syarat magang apa aja?") == "id"
    assert written_language("how much is the fee?") == "en" == detect_language("how much is the fee?")


def test_what_a_follow_up_carried_is_named_in_the_language_of_the_answer():
    from bot.render import to_plain

    english = Decline("what about kaigo?", "en", "coverage", "", (), (), (), carried=("ssw", "syarat"))
    indonesian = Decline("kalau kaigo?", "id", "coverage", "", (), (), (), carried=("ssw", "syarat"))
    assert "(as I understand it: about SSW, requirements)" in to_plain(english)
    assert "(saya pahami: tentang SSW, syarat)" in to_plain(indonesian)


def test_the_console_chat_follows_up_too(capsys):
    from datetime import date
    from pathlib import Path
    from types import SimpleNamespace

    from bot.console import chat
    from embeddings.build import build_snapshot
    from knowledge.loader import load_articles
    from tests.fakes import FakeEncoder

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
    encoder = FakeEncoder()
    kb = SimpleNamespace(snapshot=build_snapshot(load_articles(fixture, today=date(2026, 12, 4)).articles, encoder)[0])
    lines = iter(["syarat SSW apa aja?", "kalau magang?", "/keluar"])
    chat(kb, encoder, read=lambda prompt: next(lines))
    output = capsys.readouterr().out
    assert "(saya pahami: tentang syarat)" in output and "Calon peserta magang harus sehat" in output
