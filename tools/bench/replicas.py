"""Section 7, replicas: the bot as one and as two webhook processes on this machine, sharing a PostgreSQL server
(started here, tools/postgres.py) and the data folder of section 4, with the fake Bot API delivering the updates
to them in turn as a reverse proxy would; then how long after an admin's /reload every replica serves the new
index version."""

from __future__ import annotations

import asyncio
import time

from tools.bench.data import edit_article
from tools.bench.run import Run, child_env, ms
from tools.bench.throughput import ADMIN, Users, bot_burst
from tools.fakebotapi import FakeBotAPI
from tools.postgres import TemporaryPostgres
from tools.replicas import ReplicaProcess, all_serving, until
from tools.report import Section, Table, check

EDITED_SECTIONS = 1  # an editor fixing one fact: what is measured is the new version reaching every replica
PROPAGATION_S = 5.0  # from publishing to every replica serving the new version ("within a few seconds")
START_TIMEOUT_S = 300
UNLIMITED_SENDS = "100000"  # Telegram's 30 messages a second would measure Telegram, not the bot
WATCH_EVERY_S = 0.05


def replica_env(run: Run, api: FakeBotAPI, database_url: str) -> dict[str, str]:
    return child_env(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url,
                     TELEGRAM_BASE_FILE_URL=api.base_file_url, BOT_DATA_DIR=str(run.kb.data_dir),
                     KNOWLEDGE_DIR=str(run.kb.folder), EMBEDDING_MODEL=run.model, DATABASE_URL=database_url,
                     JOURNAL_KEY="42" * 32, BOT_ADMIN_IDS=str(ADMIN), TELEGRAM_MESSAGES_PER_SECOND=UNLIMITED_SENDS)


async def reload_propagation(run: Run, api: FakeBotAPI, replicas: list[ReplicaProcess]) -> dict[str, float]:
    """An admin's /reload after one section changed: until it is published, and until every replica serves it."""
    store_current = run.kb.data_dir / "index" / "CURRENT"
    before = store_current.read_text().strip()
    edit_article(run.kb.folder / f"{run.kb.slugs[-2]}.md", EDITED_SECTIONS, "replika")
    started = time.monotonic()
    await api.user(ADMIN, first_name="Admin").says("/reload")

    async def published() -> str | None:
        version = store_current.read_text().strip()
        return version if version != before else None

    version = await until(published, START_TIMEOUT_S, "the reload to publish", every=WATCH_EVERY_S)
    published_at = time.monotonic()
    await until(lambda: all_serving(replicas, version), START_TIMEOUT_S, "every replica to serve it",
                every=WATCH_EVERY_S)
    serving_at = time.monotonic()
    return {"publish_s": published_at - started, "follow_s": serving_at - published_at,
            "total_s": serving_at - started}


async def measure_async(run: Run, section: Section) -> None:
    throughput = Table(f"Webhook replicas: real `python -m bot` processes, {run.kb.kb.snapshot.manifest.passages:,} "
                       "passages, journal on PostgreSQL",
                       ["replicas", "questions answered", "seconds", "replies/s", "reply p50 (ms)", "reply p95 (ms)"])
    reload = Table("Reload: an admin's /reload on one replica, until every replica serves the new version",
                   ["replicas", "reload → published (s)", "published → every replica serving (s)", "total (s)"])
    with TemporaryPostgres() as server:
        for count in (1, 2):
            async with FakeBotAPI() as api:
                env = replica_env(run, api, server.create_database(f"bench_{count}"))
                replicas = [ReplicaProcess(env, run.tmp / f"replica-{count}-{n}.log") for n in range(count)]
                try:
                    await asyncio.gather(*(replica.start() for replica in replicas))
                    await until(lambda: all_serving(replicas), START_TIMEOUT_S, f"{count} replica(s) to serve")
                    api.deliver_webhooks([replica.url for replica in replicas], timeout=60)
                    users = Users(api)
                    await bot_burst(users, run.questions, 20)  # warm-up
                    burst = await bot_burst(users, run.questions, run.sizes.bot_users)
                    run.figures[f"replicas:{count}"] = burst
                    throughput.add(count, burst["answered"], f"{burst['seconds']:.1f}", f"{burst['rps']:.0f}",
                                   f"{burst['p50']:.0f}", f"{burst['p95']:.0f}")
                    if count == 2:
                        figures = await reload_propagation(run, api, replicas)
                        run.figures["replicas:reload"] = figures
                        reload.add(count, f"{figures['publish_s']:.2f}",
                                   check(figures["follow_s"], PROPAGATION_S, "{:.2f}"), f"{figures['total_s']:.2f}")
                finally:
                    codes = [await replica.stop() for replica in replicas]
                if any(codes):
                    raise RuntimeError(f"a replica exited with {codes}: " + " | ".join(
                        replica.tail(1500) for replica, code in zip(replicas, codes) if code))
    throughput.notes += [
        f"{run.sizes.bot_users} users send one question each, at once; reply time as in section 3 (the user's "
        "message queued at the fake server → the bot's first sendMessage for it arriving there), here through a "
        "webhook delivery (POST to a replica, answered after the update was handled) instead of getUpdates.",
        "every process shares the machine's cores: the replicas, PostgreSQL, and the benchmark process with the "
        "fake Bot API, which does the work of Telegram and of the reverse proxy (HTTP both ways, HTML validation). "
        f"Outgoing messages are not held to Telegram's 30 a second (TELEGRAM_MESSAGES_PER_SECOND={UNLIMITED_SENDS}).",
    ]
    reload.notes += [
        f"one section of one article of the section-4 knowledge base edited; the replica the fake delivers /reload "
        "to builds (the other passages' vectors from the embedding cache) and publishes; the other notices CURRENT "
        f"change (read every second) and loads the new version. Watched every {ms(WATCH_EVERY_S):.0f} ms through "
        f"CURRENT and each replica's /healthz; target ≤ {PROPAGATION_S:.0f} s from publishing to every replica serving.",
    ]
    section.tables += [throughput, reload]


def measure(run: Run, section: Section) -> None:
    asyncio.run(measure_async(run, section))
