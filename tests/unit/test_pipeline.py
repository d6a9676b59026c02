"""The pipeline on the fixture knowledge base: several questions in one message, and chat context."""

from datetime import date
from pathlib import Path

import pytest

from bot.answer import Answer, Decline, Reply
from bot.pipeline import Pipeline
from bot.render import to_plain
from embeddings.build import build_snapshot
from knowledge.loader import load_articles
from tests.fakes import FakeEncoder

FIXTURE_KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
ENCODER = FakeEncoder()


@pytest.fixture(scope="module")
def snapshot():
    return build_snapshot(load_articles(FIXTURE_KB, today=date(2026, 12, 4)).articles, ENCODER)[0]


def test_a_message_asking_two_things_gets_both_answered_each_with_its_source(snapshot):
    reply = Pipeline().answer(snapshot, ENCODER, ["kak mau tanya: 1) syarat umum ikut magang apa? "
                                                  "2) cara daftar pelatihan BPVP gimana?"])[0]
    assert isinstance(reply, Reply) and reply.answered and len(reply.parts) == 2
    first, second = reply.parts
    assert first.hits[0].passage.article == "magang" and second.hits[0].passage.article == "bpvp"
    assert [s.title for s in reply.sources] == ["Magang ke Jepang (TITP) singkat", "Pelatihan di BPVP"]
    assert {s.source for s in second.sentences} == {2}  # numbered across the whole reply
    text = to_plain(reply)
    assert "1. kak mau tanya: syarat umum ikut magang apa?" in text and "2. " in text
    assert text.count("Sumber:") == 1 and "[2] Pelatihan di BPVP" in text


def test_a_follow_up_is_answered_about_the_subject_before_it_and_says_so(snapshot):
    alone = Pipeline().answer(snapshot, ENCODER, ["berapa lama boleh tinggal?"])[0]
    followed = Pipeline().answer(snapshot, ENCODER, ["terus berapa lama boleh tinggal?"],
                                 previous=["syarat bahasa jepang buat ssw apa"])[0]
    assert isinstance(followed, Answer) and followed.carried == ("ssw",)
    assert followed.hits[0].passage.article == "ssw"
    assert "(saya pahami: tentang SSW)" in to_plain(followed)
    assert alone.carried == ()


def test_a_follow_up_is_framed_in_the_language_it_was_written_in(snapshot):
    """The question before it is searched along, but a worker who switches to Indonesian reads Indonesian."""
    followed = Pipeline().answer(snapshot, ENCODER, ["terus berapa lama boleh tinggal?"],
                                 previous=["what are the Japanese language requirements for SSW?"])[0]
    assert followed.carried and followed.lang == "id"
    assert "(saya pahami: tentang SSW)" in to_plain(followed)


def test_a_question_leaning_on_one_that_is_not_ours_is_declined_alike(snapshot):
    reply = Pipeline().answer(snapshot, ENCODER, ["P3MI resmi buat kerja di arab saudi yg bagus apa? terus gajinya brp?"])[0]
    assert isinstance(reply, Reply) and [part.reason for part in reply.parts] == ["elsewhere", "elsewhere"]
    assert not reply.answered
    own = Pipeline().answer(snapshot, ENCODER, ["P3MI resmi buat kerja di arab saudi yg bagus apa? "
                                                "syarat bahasa jepang buat ssw apa?"])[0]
    assert own.parts[1].answered  # a question with a subject of its own stands on its own


def test_a_request_to_translate_is_declined_as_a_task_without_a_channel_to_ask(snapshot):
    """Asked to translate "syarat SSW", the bot would otherwise answer from the SSW article it names."""
    reply = Pipeline().answer(snapshot, ENCODER, ["tolong terjemahin ke bahasa jepang: syarat SSW apa saja"])[0]
    assert isinstance(reply, Decline) and reply.reason == "task" and not reply.where_to_ask
    assert "tidak bisa menerjemahkan" in to_plain(reply)


def test_one_clear_part_vouches_for_the_short_parts_of_the_same_message():
    from bot.pipeline import _one_scope
    from embeddings.query import Query
    from embeddings.snapshot import Retrieved

    parts = [Retrieved(Query.parse("syarat ssw kaigo apa"), (), 0.9), Retrieved(Query.parse("biayanya brp?"), (), 0.2)]
    assert [found.in_domain for found in _one_scope(parts)] == [0.9, 0.9]
    assert [found.in_domain for found in _one_scope(parts[1:])] == [0.2]  # a message of one question keeps its own
