"""Flood control both ways: what a user or a group may ask of the bot, and what the bot may send to a chat.

Incoming: every update some handler would answer (a question, a command, a sticker, a button press, a refused
admin command) costs a token of its sender's bucket and, in a group, of the group's; beyond them it gets one
notice and no work. Outgoing: Telegram's own limits (about one message a second in a chat, 20 a minute in a
group, 30 a second in all) are kept per chat, and a 429 "retry after" holds back only the chat it came from.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.constants import ChatType
from telegram.error import RetryAfter
from telegram.ext import Application, ApplicationHandlerStop, BaseRateLimiter

from bot.rate_limit import Verdict
from bot.telegram.callbacks import GapPage, LanguageButton, RouteAnswer, RouteStart, RouteStop
from bot.telegram.context import BotContext
from bot.texts import text

logger = logging.getLogger(__name__)

GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)
EDITING_BUTTONS = (RouteStart, RouteAnswer, RouteStop, LanguageButton, GapPage)

CHAT_BURST, CHAT_PER_SECOND = 3, 1.0  # Telegram: about one message a second in a chat, short bursts tolerated
GROUP_PER_MINUTE = 20  # and at most 20 a minute in a group
OVERALL_PER_SECOND = 30  # and about 30 a second to all chats together
RETRY_MARGIN_S = 0.1  # added to Telegram's "retry after", as PTB does
FORGET_CHATS_EVERY_S = 60.0  # idle chats' limiters are dropped this often


async def limit_every_update(update: object, context: BotContext) -> None:
    """Runs before every handler (group -1). Only questions were limited before, so stickers, /help, /sumber,
    refused admin commands and button presses got unlimited replies, and one user could flood every chat's
    replies through Telegram's limits."""
    if not isinstance(update, Update) or not _would_answer(update, context.application):
        return  # chatter in a group the bot does not answer costs nothing
    services = context.services
    user, chat = update.effective_user, update.effective_chat
    limiter = services.button_limiter if _only_edits(update) else services.limiter
    verdict = limiter.check(user.id if user else chat.id)
    if verdict is Verdict.ALLOWED and chat is not None and chat.type in GROUPS:
        verdict = services.group_limiter.check(chat.id)  # after the user's: one flooder cannot drain the group's
    if verdict is Verdict.ALLOWED:
        return
    if verdict is Verdict.LIMITED_NOTIFY:
        lang = services.languages.of(user.id if user else None)
        if update.callback_query:
            await update.callback_query.answer(text(lang, "slow_down"))
        elif chat is not None:
            await context.bot.send_message(chat.id, text(lang, "slow_down"))
    raise ApplicationHandlerStop


def _only_edits(update: Update) -> bool:
    """A press that moves a dialogue on (the route finder's steps, the language choice, /gaps' pages) edits one message:
    a worker clicks through six of them in seconds. A press that asks a question costs what a question does."""
    data = update.callback_query.data if update.callback_query else None
    return data is not None and any(button.parse(data) for button in EDITING_BUTTONS)


def _would_answer(update: Update, application: Application) -> bool:
    """Whether a handler of ours takes this update, checked as PTB checks it."""
    return any(handler.check_update(update) not in (None, False)
               for group, handlers in application.handlers.items() if group >= 0 for handler in handlers)


@dataclass(slots=True)
class _Chat:
    limiters: tuple[AsyncLimiter, ...]
    blocked_until: float = 0.0  # event-loop time before which Telegram asked us not to write here


class ChatRateLimiter(BaseRateLimiter[int]):
    """PTB's AIORateLimiter waits out a RetryAfter by pausing every request to every chat, so a 429 in one
    flooded chat delayed everyone's answers (by 3.1 s for "retry after 3" in the review). Here a 429 holds
    back its own chat only, and Telegram's limits are kept before sending so that 429s stay rare."""

    def __init__(self, max_retries: int = 3, overall_per_second: float = OVERALL_PER_SECOND) -> None:
        """`overall_per_second` above Telegram's 30 only to measure the bot itself against a fake Bot API."""
        self._max_retries = max_retries
        self._per_second = overall_per_second
        self._overall = AsyncLimiter(overall_per_second, 1)
        self._shared_by = 1
        self._chats: dict[int | str | None, _Chat] = {}
        self._forgotten_at = 0.0

    def share(self, replicas: int) -> None:
        """Telegram's overall limit is the bot's, not a process's: each of the live replicas sends its share."""
        replicas = max(1, replicas)
        if replicas != self._shared_by:
            self._shared_by = replicas
            self._overall = AsyncLimiter(self._per_second / replicas, 1)
            logger.info("Sending at most %.1f messages a second: one of %d replicas", self._per_second / replicas,
                        replicas)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any,
                              kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                              rate_limit_args: int | None) -> Any:
        chat_id = data.get("chat_id")
        chat = self._chat(chat_id)
        # Telegram's limits count messages: a typing action or a callback answer does not spend them.
        limiters = (*chat.limiters, self._overall) if _sends_a_message(endpoint, chat_id) else ()
        loop = asyncio.get_running_loop()
        for attempt in itertools.count():
            while (blocked := chat.blocked_until - loop.time()) > 0:
                await asyncio.sleep(blocked)
            for limiter in limiters:
                await limiter.acquire()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt >= (rate_limit_args or self._max_retries):
                    raise
                # As PTB's AIORateLimiter reads it: the public attribute warns until PTB 23 makes it a timedelta.
                wait = error._retry_after.total_seconds() + RETRY_MARGIN_S  # noqa: SLF001
                chat.blocked_until = max(chat.blocked_until, loop.time() + wait)
                logger.info("Telegram asked to wait %.1f s before writing to chat %s again", wait, chat_id)

    def _chat(self, chat_id: object) -> _Chat:
        key = int(chat_id) if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit() else chat_id
        self._forget_idle_chats()
        chat = self._chats.get(key)
        if chat is None:
            limiters = [AsyncLimiter(CHAT_BURST, CHAT_BURST / CHAT_PER_SECOND)]
            if isinstance(key, str) or (isinstance(key, int) and key < 0):  # groups, supergroups, channels
                limiters.append(AsyncLimiter(GROUP_PER_MINUTE, 60))
            chat = self._chats[key] = _Chat(tuple(limiters))
        return chat

    def _forget_idle_chats(self) -> None:
        """Once a minute, not per request: a chat whose limiters are full again and that no 429 blocks is idle."""
        now = asyncio.get_running_loop().time()
        if now - self._forgotten_at < FORGET_CHATS_EVERY_S:
            return
        self._forgotten_at = now
        self._chats = {key: chat for key, chat in self._chats.items() if chat.blocked_until > now
                       or not all(limiter.has_capacity(limiter.max_rate) for limiter in chat.limiters)}


def _sends_a_message(endpoint: str, chat_id: object) -> bool:
    return chat_id is not None and endpoint.startswith(("send", "copyMessage", "forwardMessage")) \
        and endpoint != "sendChatAction"
