"""PTB's typed context for our handlers: `context.services` instead of an untyped `bot_data` lookup."""

from __future__ import annotations

import asyncio

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.services import Services


class BotData:
    """What the application holds for every handler; PTB creates it empty, `build_application` fills it."""

    def __init__(self) -> None:
        self.services: Services | None = None
        self.background: list[asyncio.Task] = []  # loops of the running bot, cancelled at shutdown
        self.polling_forever = False  # under run_polling, which a 409 Conflict may stop
        self.polling_since: float | None = None  # event-loop time polling began (a 409 soon after: a newcomer)
        self.conflict: str | None = None  # why polling stopped, if another poller or a webhook stopped it


class BotContext(CallbackContext[ExtBot, dict, dict, BotData]):
    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("the application was built without services (use build_application)")
        return services


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
