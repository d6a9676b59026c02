"""What the bot remembers of a conversation, in memory only: the last questions, a route finder in progress, and
the language a worker reads. Pure (no Telegram); the clock is injected so expiry is tested without waiting.

Why not PTB's chat_data and user_data: chat_data is one dict per chat, so two workers in a group would share
their questions, and user_data follows a worker into every chat; neither forgets on its own after 30 minutes.
Here a conversation is keyed by (chat, user): in a private chat that is the worker, in a group each worker has
their own, and nothing of one chat is used in another.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answer import Answer, Decline, Reply

MEMORY_SECONDS = 30 * 60  # a conversation untouched this long is forgotten: a question then is a new start
MAX_TURNS = 3  # questions kept per conversation; the newest is the context of the next question
MAX_CONVERSATIONS = 100_000  # bounds memory under any load: the least recently active go first
MAX_LANGUAGE_USERS = 100_000
LANGUAGES = ("id", "en")

Key = tuple[int, int]  # (chat id, user id)


def understood_text(result: Answer | Decline | Reply) -> str:
    """A question as the pipeline understood it (typed words plus what it carried over), to be the context of
    the next: "kalau kaigo?" after "syarat SSW?" is remembered as "kalau kaigo ssw syarat?", so a third turn,
    "terus biayanya?", still knows the subject. The carried words stay inside the question's clause: a clause
    of its own would read as a story told beside the question (bot/followup.py). A message of several
    questions is remembered by its last."""
    last = result.parts[-1] if isinstance(result, Reply) else result
    question = last.question.rstrip()
    asked = question.rstrip("?!")
    return " ".join([asked, *last.carried]) + question[len(asked):]


@dataclass
class RouteProgress:
    """A route finder in progress: the codes of the answers given so far, and the message showing the question
    now asked (its keyboard is taken away when the dialogue ends another way)."""

    answers: str = ""
    message_id: int | None = None


@dataclass
class _Conversation:
    seen: float
    turns: deque[str] = field(default_factory=lambda: deque(maxlen=MAX_TURNS))
    route: RouteProgress | None = None


class ChatMemory:
    """The last few questions and any unfinished route finder of each (chat, user), forgotten after
    MEMORY_SECONDS without activity, on /hapus, and when the worker starts afresh (/start, a topic button)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, ttl: float = MEMORY_SECONDS,
                 max_conversations: int = MAX_CONVERSATIONS) -> None:
        self._clock = clock
        self._ttl = ttl
        self._max = max_conversations
        self._conversations: OrderedDict[Key, _Conversation] = OrderedDict()  # least recently active first

    def _live(self, key: Key) -> _Conversation | None:
        conversation = self._conversations.get(key)
        if conversation is not None and self._clock() - conversation.seen > self._ttl:
            del self._conversations[key]
            return None
        return conversation

    def _touch(self, key: Key) -> _Conversation:
        now = self._clock()
        conversation = self._live(key) or _Conversation(seen=now)
        conversation.seen = now
        self._conversations[key] = conversation
        self._conversations.move_to_end(key)
        while self._conversations:  # the oldest are at the front: drop the expired, and any beyond the bound
            oldest_key, oldest = next(iter(self._conversations.items()))
            if now - oldest.seen <= self._ttl and len(self._conversations) <= self._max:
                break
            del self._conversations[oldest_key]
        return conversation

    def previous(self, chat: int, user: int) -> str | None:
        """The question this one may follow up, if the worker asked one here in the last MEMORY_SECONDS."""
        conversation = self._live((chat, user))
        return conversation.turns[-1] if conversation and conversation.turns else None

    def turns(self, chat: int, user: int) -> tuple[str, ...]:
        conversation = self._live((chat, user))
        return tuple(conversation.turns) if conversation else ()

    def remember(self, chat: int, user: int, question: str) -> None:
        if question.strip():
            self._touch((chat, user)).turns.append(question)

    def start_afresh(self, chat: int, user: int) -> None:
        """A new topic: the questions before no longer explain the next one."""
        conversation = self._live((chat, user))
        if conversation:
            conversation.turns.clear()

    def route(self, chat: int, user: int) -> RouteProgress | None:
        conversation = self._live((chat, user))
        return conversation.route if conversation else None

    def set_route(self, chat: int, user: int, progress: RouteProgress | None) -> None:
        if progress is not None or self._live((chat, user)):
            self._touch((chat, user)).route = progress

    def forget_user(self, user: int) -> list[tuple[int, RouteProgress]]:
        """Everything about the worker, in every chat (/hapus); returns the route finders that were open, by
        chat, so their keyboards can be taken away."""
        open_routes = [(chat, c.route) for (chat, who), c in self._conversations.items() if who == user and c.route]
        for key in [key for key in self._conversations if key[1] == user]:
            del self._conversations[key]
        return open_routes

    def __len__(self) -> int:
        return len(self._conversations)


class Languages:
    """The language a worker reads the bot's frame in (/start, /help, buttons, the route finder): their choice
    by /bahasa, otherwise the language of what they last wrote, otherwise Indonesian. The answer to a typed
    question is framed in that question's own language whatever this says (bot/pipeline.py)."""

    def __init__(self, max_users: int = MAX_LANGUAGE_USERS) -> None:
        self._max = max_users
        self._chosen: OrderedDict[int, str] = OrderedDict()
        self._written: OrderedDict[int, str] = OrderedDict()

    def of(self, user: int | None) -> str:
        if user is None:
            return "id"
        return self._chosen.get(user) or self._written.get(user) or "id"

    def choose(self, user: int, lang: str) -> None:
        if lang in LANGUAGES:
            self._put(self._chosen, user, lang)

    def wrote(self, user: int, lang: str | None) -> None:
        """The language a message of the worker's was written in; None when the words did not say."""
        if lang in LANGUAGES:
            self._put(self._written, user, lang)

    def forget(self, user: int) -> None:
        self._chosen.pop(user, None)
        self._written.pop(user, None)

    def _put(self, table: OrderedDict[int, str], user: int, lang: str) -> None:
        table[user] = lang
        table.move_to_end(user)
        while len(table) > self._max:
            table.popitem(last=False)
