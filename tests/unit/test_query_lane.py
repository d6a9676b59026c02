"""The query lane: questions that arrive together share one encoder call, and the lane gives FAISS (and
torch, when it is loaded) every core only when a batch is big enough to use them."""

import asyncio
import os
from datetime import date
from types import SimpleNamespace

import pytest

from bot.query_lane import PARALLEL_FROM, QueryLane
from bot.config import SHIPPED_KNOWLEDGE_DIR
from embeddings.build import build_snapshot
from knowledge.loader import load_articles
from tests.fakes import FakeEncoder


class ThreadRecordingEncoder(FakeEncoder):
    """Notes the lane's FAISS thread count at each call, which the search after it runs with."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[tuple[int, int]] = []  # (texts in the call, FAISS threads)

    def encode(self, texts):
        import faiss

        self.threads.append((len(texts), faiss.omp_get_max_threads()))
        return super().encode(texts)


@pytest.fixture(scope="module")
def snapshot():
    articles = load_articles(SHIPPED_KNOWLEDGE_DIR, today=date.today()).articles
    return build_snapshot(articles, FakeEncoder())[0]


@pytest.fixture
def asker_and_encoder(snapshot):
    encoder = ThreadRecordingEncoder()
    asker = QueryLane(SimpleNamespace(snapshot=snapshot), lambda: encoder)
    asker.warm_up()
    encoder.threads.clear()  # the warm-up's own questions
    yield asker, encoder
    asker.close()


def test_warming_up_reads_before_the_first_worker_what_the_first_questions_would(snapshot):
    from knowledge import glossary

    glossary._english_phrases.cache_clear()
    encoder = ThreadRecordingEncoder()
    asker = QueryLane(SimpleNamespace(snapshot=snapshot), lambda: encoder)
    asker.warm_up()
    asker.close()
    assert glossary._english_phrases.cache_info().currsize == 1  # the English table, read on an English question
    assert encoder.threads  # the encoder loaded and used in the lane


QUESTIONS = ["syarat magang jepang apa aja", "berapa gaji ssw", "biaya pelatihan di bpvp", "visa ssw berapa lama"]


async def test_concurrent_questions_are_answered_in_one_encoder_call(asker_and_encoder):
    asker, encoder = asker_and_encoder
    answers = await asyncio.gather(*(asker.ask(q) for q in QUESTIONS * 3))
    assert [a.question for a in answers] == QUESTIONS * 3  # each asker gets the answer to its own question
    assert len(encoder.threads) <= 2  # the first question may start alone; the rest wait and go together


async def test_one_question_runs_on_one_thread_and_a_big_batch_on_every_core(asker_and_encoder):
    asker, encoder = asker_and_encoder
    cores = len(os.sched_getaffinity(0))
    if cores < 2:
        pytest.skip("one core: nothing to choose")
    await asker.ask(QUESTIONS[0])
    await asyncio.gather(*(asker.ask(f"{QUESTIONS[i % 4]} {i}") for i in range(4 * PARALLEL_FROM)))
    await asker.ask(QUESTIONS[1])
    sizes_threads = encoder.threads
    assert sizes_threads[0] == (1, 1) and sizes_threads[-1] == (1, 1)
    assert any(size >= PARALLEL_FROM and threads == cores for size, threads in sizes_threads)
    assert all(threads == 1 for size, threads in sizes_threads if size < PARALLEL_FROM)


async def test_a_question_is_understood_with_the_one_asked_before_it(asker_and_encoder):
    asker, _ = asker_and_encoder
    alone, followed = await asyncio.gather(asker.ask("kalau kaigo?"), asker.ask("kalau kaigo?", "syarat SSW apa aja?"))
    assert alone.carried == () and followed.carried == ("ssw", "syarat")
    assert followed.question == "kalau kaigo?"
