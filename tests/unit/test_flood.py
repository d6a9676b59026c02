"""The outgoing limiter: Telegram's limits kept per chat, and a 429 holding back only the chat it came from."""

import asyncio
import time

from telegram.error import RetryAfter

from bot.telegram.flood import CHAT_BURST, GROUP_PER_MINUTE, ChatRateLimiter


class FakeTelegram:
    """The request callback: answers 429 for the chats told to, records when each request went through."""

    def __init__(self, retry_after: dict[int, int] | None = None) -> None:
        self.retry_after = dict(retry_after or {})
        self.sent: list[tuple[int, float]] = []

    async def __call__(self, endpoint: str, data: dict) -> bool:
        if self.retry_after.get(data["chat_id"]):
            raise RetryAfter(self.retry_after.pop(data["chat_id"]))
        self.sent.append((data["chat_id"], time.monotonic()))
        return True


async def send(limiter: ChatRateLimiter, telegram: FakeTelegram, chat_id: int, endpoint: str = "sendMessage"):
    data = {"chat_id": chat_id, "text": "x"}
    await limiter.process_request(telegram, (endpoint, data), {}, endpoint, data, None)
    return time.monotonic()


async def test_a_429_in_one_chat_holds_back_that_chat_only():
    """F3: PTB's AIORateLimiter paused every chat on any 429 (3.1 s for another user's answer in the review)."""
    telegram, limiter = FakeTelegram(retry_after={1: 2}), ChatRateLimiter()
    start = time.monotonic()
    flooded = asyncio.create_task(send(limiter, telegram, 1))
    await asyncio.sleep(0.05)  # chat 1 has its 429 now
    others = await asyncio.gather(*(send(limiter, telegram, chat) for chat in range(2, 12)))
    assert max(others) - start < 0.5
    assert await flooded - start >= 2.0  # waited out as Telegram asked, then sent
    assert [chat for chat, _ in telegram.sent].count(1) == 1


async def test_a_chat_gets_a_short_burst_then_one_message_a_second_and_others_are_not_slowed():
    telegram, limiter = FakeTelegram(), ChatRateLimiter()
    start = time.monotonic()
    one_chat = asyncio.gather(*(send(limiter, telegram, 7) for _ in range(CHAT_BURST + 2)))
    typing = await send(limiter, telegram, 7, "sendChatAction")  # not a message: not limited
    other = await send(limiter, telegram, 8)
    done = sorted(await one_chat)
    assert typing - start < 0.2 and other - start < 0.2
    assert done[CHAT_BURST - 1] - start < 0.2
    assert done[-1] - start >= 1.5  # the two beyond the burst: one a second


async def test_a_group_gets_twenty_messages_then_one_every_three_seconds(monkeypatch):
    from bot.telegram import flood

    monkeypatch.setattr(flood, "CHAT_BURST", 100)  # so that only the group's own limit binds
    telegram, limiter = FakeTelegram(), ChatRateLimiter()
    start = time.monotonic()
    group = asyncio.gather(*(send(limiter, telegram, -100555) for _ in range(GROUP_PER_MINUTE + 1)))
    private = await send(limiter, telegram, 9)
    done = sorted(await group)
    assert private - start < 0.2
    assert done[GROUP_PER_MINUTE - 1] - start < 0.2
    assert done[-1] - start >= 2.5
