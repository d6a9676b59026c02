"""Section 3, throughput: the query lane under concurrent askers, then the whole bot (the real PTB application
polling the fake Bot API on loopback) under a burst of users, during a reload, and beside a flooding user."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Callable, Sequence

from bot.config import load_settings
from bot.query_lane import MAX_BATCH, PARALLEL_FROM, QueryLane
from bot.services import assemble
from bot.telegram.app import build_application, running
from tools.bench.data import SECTIONS_PER_ARTICLE, edit_article
from tools.bench.run import GeneratedKB, Run, ms, pct
from tools.fakebotapi import FakeBotAPI
from tools.report import Section, Table, check

CORE_QPS, BOT_RPS = 150.0, 100.0
FLOOD_P95_RATIO = 1.2  # a flooding user may raise the others' p95 reply time by 20% at most
FLOOD_MESSAGES = 100
STORM_RETRY_AFTER_S = 2  # Telegram's "retry after" for every message to the flooder's chat, in the storm phases
CAPACITY_PER_SECOND = 10_000  # Telegram's 30 sends/s lifted: the fake Bot API measures the bot's own capacity
ADMIN = 1001
FIRST_USER = 100_000  # simulated users' ids start here, clear of the admin's
REPLY_TIMEOUT_S = 120


async def ask_concurrently(lane: QueryLane, questions: Sequence[str], concurrency: int,
                           seconds: float) -> tuple[int, float, list[float]]:
    latencies: list[float] = []
    order = itertools.count()
    deadline = time.perf_counter() + seconds

    async def one_user() -> None:
        asked = 0
        while time.perf_counter() < deadline or asked < 3:  # at least three rounds, whatever the duration
            asked += 1
            question = questions[next(order) % len(questions)]
            started = time.perf_counter()
            await lane.ask(question)
            latencies.append(ms(time.perf_counter() - started))

    started = time.perf_counter()
    await asyncio.gather(*(one_user() for _ in range(concurrency)))
    return len(latencies), time.perf_counter() - started, latencies


async def core_throughput(run: Run, generated: GeneratedKB) -> Table:
    snapshot = generated.kb.snapshot
    table = Table(f"Core: `QueryLane.ask` on a {snapshot.manifest.passages:,}-passage knowledge base",
                  ["concurrent askers", "answered", "seconds", "questions/s", "latency p50 (ms)", "latency p95 (ms)"])
    lane = QueryLane(generated.kb, lambda: run.lane_encoder)
    try:
        await asyncio.to_thread(lane.warm_up)
        await ask_concurrently(lane, run.questions, 8, 1.0)  # warm-up
        for concurrency in (1, 8, 64):
            answered, seconds, latencies = await ask_concurrently(lane, run.questions, concurrency,
                                                                  run.sizes.throughput_seconds)
            qps = answered / seconds
            run.figures[f"throughput:core:{concurrency}"] = qps
            table.add(f"{concurrency}", answered, f"{seconds:.1f}",
                      check(qps, CORE_QPS, "{:.0f}", at_most=False) if concurrency == 64 else f"{qps:.0f}",
                      f"{pct(latencies, 50):.0f}", f"{pct(latencies, 95):.0f}")
    finally:
        lane.close()
    table.notes += [f"full answer path (`Pipeline.answer`: retrieval + decision + answer composition), one query-lane "
                    f"thread, batches of up to MAX_BATCH={MAX_BATCH} (on every core from {PARALLEL_FROM} questions, "
                    f"else one thread); each asker asks its next question as soon as it has an answer (at least three "
                    f"each); target ≥ {CORE_QPS:.0f} q/s at 64."]
    return table


@contextlib.asynccontextmanager
async def running_bot(run: Run, generated: GeneratedKB) -> AsyncIterator[Users]:
    """Our real application, assembled and run as in production, polling the fake Bot API on loopback."""
    async with FakeBotAPI() as api:
        settings = load_settings(telegram_bot_token=api.token, telegram_base_url=api.base_url,
                                 telegram_base_file_url=api.base_file_url, bot_admin_ids=str(ADMIN),
                                 knowledge_dir=generated.folder, bot_data_dir=generated.data_dir,
                                 embedding_model=run.model, telegram_messages_per_second=CAPACITY_PER_SECOND)
        services = assemble(settings, kb=generated.kb, query_encoder=lambda: run.lane_encoder)
        async with running(build_application(settings, services)):
            yield Users(api)


class Users:
    """Simulated users of one bot run, each new one with an id of its own; the fake records every reply."""

    def __init__(self, api) -> None:
        self.api = api
        self._ids = itertools.count(FIRST_USER)
        self._replies: dict[int, float] = {}
        self._read = 0  # calls already read (the fake's list only grows)...
        self._in_flight: list[int] = []  # ...but for the sendMessage calls among them still unanswered

    def new(self):
        return self.api.user(next(self._ids))

    async def ask(self, question: str) -> tuple[int, float]:
        """A fresh user asks once (far inside the per-user rate limit): its chat id and when it asked."""
        user = self.new()
        sent = time.monotonic()
        await user.says(question)
        return user.id, sent

    def first_replies(self) -> dict[int, float]:
        """Chat id → arrival time of the bot's first sendMessage to it. Only new calls are read: the harness runs in
        the bot's event loop, and rereading every call 50 times a second took CPU from the bot it measures."""
        calls, in_flight = self.api.calls, []
        for i in itertools.chain(self._in_flight, range(self._read, len(calls))):
            call = calls[i]
            if call.method.lower() != "sendmessage":
                continue
            if call.status is None:
                in_flight.append(i)
            elif call.status == 200:
                self._replies.setdefault(call.params.get("chat_id"), call.time)
        self._read, self._in_flight = len(calls), in_flight
        return dict(self._replies)  # a snapshot, as before: the harness keeps reading into its own

    async def wait_for_replies(self, chats: Sequence[int]) -> dict[int, float]:
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while True:
            replies = self.first_replies()
            if all(chat in replies for chat in chats) or time.monotonic() > deadline:
                return replies
            await asyncio.sleep(0.02)


async def bot_burst(users: Users, questions: Sequence[str], count: int) -> dict[str, float]:
    """`count` users each send one question at once; replies/second until the last is answered."""
    started = time.monotonic()
    sent = await asyncio.gather(*(users.ask(questions[i % len(questions)]) for i in range(count)))
    replies = await users.wait_for_replies([chat for chat, _ in sent])
    answered = [replies[chat] - at for chat, at in sent if chat in replies]
    last = max((replies[chat] for chat, _ in sent if chat in replies), default=started)
    return {"users": count, "answered": len(answered), "seconds": last - started,
            "rps": len(answered) / max(last - started, 1e-9), "p50": ms(pct(answered, 50)), "p95": ms(pct(answered, 95))}


async def paced_questions(users: Users, questions: Sequence[str], rate: float, until: Callable[[], bool],
                          at_least: int, at_most: int) -> list[float]:
    """Open-loop: one question every 1/rate s while `until()` is false; returns reply latencies (ms)."""
    sent = []
    for i in itertools.count():
        if i >= at_most or (i >= at_least and until()):
            break
        sent.append(await users.ask(questions[i % len(questions)]))
        await asyncio.sleep(1 / rate)
    replies = await users.wait_for_replies([chat for chat, _ in sent])
    return [ms(replies[chat] - at) for chat, at in sent if chat in replies]


async def bot_during_reload(run: Run, users: Users, generated: GeneratedKB) -> dict[str, object]:
    api, rate = users.api, run.sizes.paced_rate
    idle_until = time.monotonic() + run.sizes.idle_seconds
    idle = await paced_questions(users, run.questions, rate, lambda: time.monotonic() > idle_until, 5, 10_000)
    for slug in generated.slugs[1:1 + run.sizes.reload_articles]:  # every section of these articles changes
        edit_article(generated.folder / f"{slug}.md", SECTIONS_PER_ARTICLE, "banyak")
    admin = api.user(ADMIN, first_name="Admin")
    started = time.monotonic()
    await admin.says("/reload")

    def reloaded() -> bool:
        return any("dimuat ulang" in m["text"] for m in api.sent_messages(ADMIN))

    during = await paced_questions(users, run.questions, rate, reloaded, 5, 100_000)
    while not reloaded():
        await asyncio.sleep(0.05)
    report = next(m["text"] for m in api.sent_messages(ADMIN) if "dimuat ulang" in m["text"])
    return {"idle": idle, "during": during, "reload_s": time.monotonic() - started, "report": report}


async def bot_with_flooder(users: Users, questions: Sequence[str], rate: float, count: int,
                           rounds: int, storm: bool = False) -> dict[str, list[float]]:
    """Honest users' reply times without and with one user sending FLOOD_MESSAGES at once, alternating
    for `rounds` rounds: drift in the machine's load then falls on both sides alike. With `storm`, every
    message to the flooder's chat also gets a 429 "retry after", as Telegram answers a flooded chat."""
    phases: dict[str, list[float]] = {"alone": [], "flooded": []}
    for _ in range(rounds):
        phases["alone"] += await paced_questions(users, questions, rate, lambda: True, count, count)
        flooder = users.new()
        if storm:
            users.api.storms[flooder.id] = STORM_RETRY_AFTER_S

        async def flood() -> None:
            for i in range(FLOOD_MESSAGES):
                await flooder.says(f"{questions[i % len(questions)]} {i}")

        flooding = asyncio.create_task(flood())
        phases["flooded"] += await paced_questions(users, questions, rate, lambda: True, count, count)
        await flooding
        users.api.storms.pop(flooder.id, None)
    return phases


async def measure_async(run: Run, section: Section) -> None:
    generated, sizes = run.kb, run.sizes
    section.tables.append(await core_throughput(run, generated))
    async with running_bot(run, generated) as users:
        await bot_burst(users, run.questions, 20)  # warm-up
        burst = await bot_burst(users, run.questions, sizes.bot_users)
        reload = await bot_during_reload(run, users, generated)
        flood = await bot_with_flooder(users, run.questions, sizes.paced_rate, sizes.flood_phase_questions,
                                       sizes.flood_rounds)
        storm = await bot_with_flooder(users, run.questions, sizes.paced_rate, sizes.flood_phase_questions,
                                       sizes.flood_rounds, storm=True)
    run.figures["throughput:bot"] = burst
    table = Table(f"Whole bot: real PTB application + fake Bot API (same process, loopback HTTP), "
                  f"{generated.kb.snapshot.manifest.passages:,} passages",
                  ["scenario", "questions answered", "seconds", "replies/s", "reply p50 (ms)", "reply p95 (ms)"])
    table.add(f"{burst['users']} users send one question each, at once", burst["answered"], f"{burst['seconds']:.1f}",
              check(burst["rps"], BOT_RPS, "{:.0f}", at_most=False), f"{burst['p50']:.0f}", f"{burst['p95']:.0f}")
    for label, latencies in (("idle", reload["idle"]), ("during a reload", reload["during"])):
        table.add(f"{sizes.paced_rate:.0f} questions/s, {label}", len(latencies), "", "",
                  f"{pct(latencies, 50):.0f}", f"{pct(latencies, 95):.0f}")
    ratio = pct(flood["flooded"], 95) / max(pct(flood["alone"], 95), 1e-9)
    table.add(f"{sizes.paced_rate:.0f} questions/s from others, one user flooding {FLOOD_MESSAGES} messages "
              f"at once, {sizes.flood_rounds}× (alternating with as many phases without)",
              len(flood["flooded"]), "", "", f"{pct(flood['flooded'], 50):.0f}",
              f"{pct(flood['flooded'], 95):.0f} (×{check(ratio, FLOOD_P95_RATIO, '{:.2f}')} of "
              f"{pct(flood['alone'], 95):.0f} without)")
    storm_ratio = pct(storm["flooded"], 95) / max(pct(storm["alone"], 95), 1e-9)
    table.add(f"the same, and every message to the flooder's chat answered 429 \"retry after "
              f"{STORM_RETRY_AFTER_S}\"", len(storm["flooded"]), "", "", f"{pct(storm['flooded'], 50):.0f}",
              f"{pct(storm['flooded'], 95):.0f} (×{check(storm_ratio, FLOOD_P95_RATIO, '{:.2f}')} of "
              f"{pct(storm['alone'], 95):.0f} without)")
    run.figures["throughput:flood"] = {"p95_alone": pct(flood["alone"], 95), "p95_flooded": pct(flood["flooded"], 95)}
    run.figures["throughput:storm"] = {"p95_alone": pct(storm["alone"], 95), "p95_flooded": pct(storm["flooded"], 95)}
    run.figures["throughput:reload"] = {key: {"p50": pct(v, 50), "p95": pct(v, 95), "n": len(v)}
                                        for key, v in reload.items() if key in ("idle", "during")}
    summary = reload["report"].splitlines()
    table.notes += [
        "reply time: from the user's message being queued at the fake server to the bot's first sendMessage for "
        "it arriving there (getUpdates long-poll, handler, rate limiter, journal write, answer, HTML render).",
        f"the reload: admin /reload after {sizes.reload_articles} articles had every section edited; "
        f"{reload['reload_s']:.1f} s from the command to the report (\"{' '.join(summary[:2])}\").",
        f"Telegram's limit of about 30 sends/s in all is lifted to {CAPACITY_PER_SECOND:,}/s here, to measure "
        "the bot's own capacity (in production it sends at most 30/s, and 1 a second per chat); the flooder gets "
        "its burst of answers and one notice (bot/telegram/flood.py).",
        f"target ≥ {BOT_RPS:.0f} replies/s; the fake server runs in the bot's event loop and process, so its "
        "work (HTTP, HTML validation) is counted against the bot.",
    ]
    section.tables.append(table)


def measure(run: Run, section: Section) -> None:
    asyncio.run(measure_async(run, section))
