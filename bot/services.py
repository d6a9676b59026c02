"""The long-lived objects the handlers use, constructed once and reached through one typed accessor."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import CallbackContext

from bot.asking import Asker
from bot.config import Settings
from bot.journal import Journal
from bot.knowledge_base import KnowledgeBase
from bot.limits import RateLimiter


@dataclass
class Services:
    settings: Settings
    kb: KnowledgeBase
    asker: Asker
    journal: Journal
    limiter: RateLimiter = field(default_factory=RateLimiter)


def services(context: CallbackContext) -> Services:
    return context.application.bot_data["services"]
