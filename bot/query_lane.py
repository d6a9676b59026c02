"""Answering from async code: questions that arrive together are answered in one batch, off the loop.

One worker thread owns the query encoder (a SentenceTransformer must not be shared between threads),
and every question waiting when it becomes free goes into a single encoder call: with many
concurrent askers that is several times faster than one call per question.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bot.answer import Answer, Decline, Reply
from bot.knowledge_base import KnowledgeBase
from bot.pipeline import Pipeline
from embeddings.encoder import Encoder, usable_cores

MAX_BATCH = 64  # larger batches stop paying off on 2 cores and delay the first answer of the batch
WARM_UP_QUESTIONS = ("syarat kerja di Jepang apa saja?", "how much is the salary in Japan?")  # one per language
PARALLEL_FROM = 8  # a batch this large encodes faster on every core (2 cores: 64 questions 130 -> 204 q/s)


def threads_for(batch_size: int) -> int:
    """Threads for torch and FAISS in the query lane, for a batch of this many questions.

    One question is one short sentence: splitting torch's maths over cores costs more in hand-offs than it
    saves (median encode 23 -> 9 ms on 2 cores), while a big batch of them is enough work for every core.
    The ONNX encoder is not governed by this: its own session runs on every core, which pays even for one
    question there (4.4 -> 2.6 ms)."""
    return usable_cores() if batch_size >= PARALLEL_FROM else 1


def use_threads(count: int) -> None:
    """FAISS maths, and torch's if torch is in use, on `count` threads. Both settings are per thread: a
    reload build in another thread keeps its own. torch is never imported here: with the ONNX encoder
    it is not loaded at all, and importing it would cost ~300 MB."""
    import faiss

    faiss.omp_set_num_threads(count)
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != count:
        torch.set_num_threads(count)


class QueryLane:
    """Answers questions from async code through the pipeline, in batches, on one thread of its own."""

    def __init__(self, kb: KnowledgeBase, make_encoder: Callable[[], Encoder], pipeline: Pipeline = Pipeline()) -> None:
        self._kb = kb
        self._make_encoder = make_encoder
        self._pipeline = pipeline
        self._encoder: Encoder | None = None  # created and used only in the lane thread
        self._lane = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-lane",
                                        initializer=use_threads, initargs=(1,))
        self._waiting: list[tuple[str, str | None, asyncio.Future]] = []
        self._worker: asyncio.Task | None = None

    async def ask(self, question: str, previous: str | None = None) -> Answer | Decline | Reply:
        """The answer to a question, understood with the one the worker asked before it (`previous`), if any."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((question, previous, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            snapshot = self._kb.snapshot  # taken once: a reload mid-batch cannot mix two indexes
            try:
                results = await loop.run_in_executor(self._lane, self._answer, [q for q, _, _ in batch],
                                                     [p for _, p, _ in batch], snapshot)
            except Exception as error:  # every waiting asker gets the error, none hangs
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_, _, future), result in zip(batch, results):
                if not future.done():
                    future.set_result(result)

    def _answer(self, questions: list[str], previous: list[str | None], snapshot) -> list[Answer | Decline | Reply]:
        if snapshot is None:
            raise RuntimeError("the knowledge base is not loaded yet")
        if self._encoder is None:
            self._encoder = self._make_encoder()
        use_threads(threads_for(len(questions)))
        return self._pipeline.answer(snapshot, self._encoder, questions, previous=previous)

    def warm_up(self) -> None:
        """Before the first question arrives: load the encoder in its own thread, and answer one question in each
        language, which reads what is otherwise read on the first that needs it (the glossary's patterns, the
        English table, the selector, the snapshot's sentence tables: 0.1-0.2 s a worker would wait)."""
        snapshot = self._kb.snapshot

        def first_answers() -> None:
            if self._encoder is None:
                self._encoder = self._make_encoder()
            if snapshot is not None:
                self._pipeline.answer(snapshot, self._encoder, list(WARM_UP_QUESTIONS), previous=[None, None])

        self._lane.submit(first_answers).result()

    def close(self) -> None:
        self._lane.shutdown(wait=True)
