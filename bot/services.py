"""The long-lived objects of a running bot, and the one place that assembles them from the settings.

The Telegram bot, the command line, the benchmark and the end-to-end tests all assemble through here, so a
new service or a changed default reaches every one of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.config import Settings
from bot.conversation import ChatMemory, Languages
from bot.journal import Journal
from bot.knowledge_base import KnowledgeBase
from bot.pipeline import Pipeline
from bot.query_lane import QueryLane
from bot.rate_limit import BUTTON_BURST, BUTTON_REFILL_PER_SECOND, GROUP_BURST, GROUP_REFILL_PER_SECOND, RateLimiter
from bot.replicas import Replicas
from embeddings.encoder import Encoder, load_encoder

EncoderFactory = Callable[[], Encoder]


@dataclass
class Services:
    settings: Settings
    kb: KnowledgeBase
    lane: QueryLane
    journal: Journal
    limiter: RateLimiter = field(default_factory=RateLimiter)  # per user, for every kind of update
    group_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(GROUP_BURST, GROUP_REFILL_PER_SECOND))
    button_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(BUTTON_BURST, BUTTON_REFILL_PER_SECOND))
    pipeline: Pipeline = Pipeline()
    memory: ChatMemory = field(default_factory=ChatMemory)  # each conversation's last questions, in memory only
    languages: Languages = field(default_factory=Languages)  # the language each worker reads the bot in
    uploads: asyncio.Lock = field(default_factory=asyncio.Lock)  # one upload checked, written and published at a time
    replicas: Replicas | None = None  # a webhook replica's place among the others (bot/replicas.py)


def encoder_factory(settings: Settings) -> EncoderFactory:
    """A new encoder of the configured model per call: each thread that encodes needs its own."""
    return lambda: load_encoder(settings.embedding_model, settings.embedding_backend)


def open_knowledge_base(settings: Settings, build_encoder: EncoderFactory | None = None,
                        model: str | None = None) -> KnowledgeBase:
    """The live knowledge base of the configured folders (not yet loaded: call `open()`)."""
    return KnowledgeBase(settings.knowledge_dir, settings.bot_data_dir, model or settings.embedding_model,
                         build_encoder or encoder_factory(settings))


def pipeline_for(settings: Settings) -> Pipeline:
    return Pipeline(stale_after_days=settings.stale_after_days)


def assemble(settings: Settings, *, kb: KnowledgeBase | None = None,
             query_encoder: EncoderFactory | None = None, pipeline: Pipeline | None = None) -> Services:
    """Everything the Telegram bot needs: the knowledge base, the query lane with its own encoder, the journal."""
    kb = kb or open_knowledge_base(settings)
    pipeline = pipeline or pipeline_for(settings)
    lane = QueryLane(kb, query_encoder or encoder_factory(settings), pipeline)
    journal = Journal.open(settings.bot_data_dir, key=settings.journal_key_bytes(), url=settings.database_url_value())
    return Services(settings, kb, lane, journal, pipeline=pipeline)
