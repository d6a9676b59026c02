"""The wiring, readable as the bot's table of contents: builder, lifecycle, handlers, error handler."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import logging
import signal
from collections.abc import AsyncIterator
from urllib.parse import urlparse

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, TelegramError
from telegram.ext import Application, ApplicationBuilder, Defaults, TypeHandler

from bot.config import Settings
from bot.database import DatabaseError
from bot.replicas import HEARTBEAT_S, STALE_S, Replicas
from bot.services import Services, assemble
from bot.telegram.admin import admin_handlers
from bot.telegram.context import CONTEXT_TYPES, BotContext
from bot.telegram.flood import ChatRateLimiter, limit_every_update
from bot.telegram.handlers import worker_handlers
from bot.telegram.route_dialogue import route_conversation
from bot.telegram.webhook import WebhookServer
from bot.texts import text

logger = logging.getLogger(__name__)

MAX_IN_FLIGHT = 128  # updates handled at once; more wait in PTB's queue (none is lost), bounding memory and CPU
HTTP_CONNECTIONS = 32  # httpx's pool scans every connection per request: PTB's default 256 cost ~40% CPU under load
HTTP_POOL_TIMEOUT = 10.0  # seconds a request may wait for a free connection under a burst (PTB's default is 1)
TELEGRAM_RETRIES = 3  # a 429 "retry after N" is waited out and retried; Telegram did not act, so no duplicates
UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]  # all we answer: Telegram need not send the rest
RETENTION_EVERY_S = 24 * 3600  # questions past their retention are deleted daily
RETENTION_FIRST_S = 60  # and once a minute after start, not during the start itself
MASKED = "<token>"
INDEX_WATCH_S = 1.0  # how often CURRENT is read: a version another process published is served within about this
WEBHOOK_GRACE_S = 25.0  # on SIGTERM, updates being handled may finish (systemd waits 90 s before killing)
ANOTHER_POLLER = (
    "Another process is already polling Telegram for this bot (it holds the lock {lock} in {where}). Telegram "
    "gives updates to one poller at a time and answers a second with 409 Conflict. Stop the other process, or run "
    "several processes as webhook replicas (WEBHOOK_URL and DATABASE_URL; README, Deployment).")
POLLING_CONFLICT = (
    "Telegram answered 409 Conflict: another process is already polling for this bot's updates. Not starting a "
    "second poller: Telegram would give each update to one of the two, splitting conversations between them. Stop "
    "the other process, or run several processes as webhook replicas (WEBHOOK_URL; README, Deployment).")
POLLING_CONFLICT_KEPT = (
    "Telegram answered 409 Conflict: another process started polling for this bot's updates. A newcomer stops by "
    "itself; if this repeats, two bots run with the same token and share its updates: stop one.")
WEBHOOK_IS_SET = (
    "A webhook is set for this bot ({url}): webhook replicas are running, or were. Polling would delete it and take "
    "their updates. To poll instead, stop them and delete the webhook first (Bot API deleteWebhook); to add a "
    "process to them, start it with WEBHOOK_URL.")
NEWCOMER_S = 10.0  # a poller that meets a 409 this soon after starting is the second one, and stops (the
# older one meets it first: Telegram ends its waiting request, and its next request, a second later, ends the
# newcomer's)


class StartError(Exception):
    """The bot cannot run as configured; the message says why and what to do."""

COMMANDS = ("start", "jalur", "topik", "sumber", "bahasa", "help", "hapus")  # descriptions: texts "cmd_<name>"


def bot_commands(lang: str) -> list[BotCommand]:
    return [BotCommand(name, text(lang, f"cmd_{name}")) for name in COMMANDS]


def _services(application: Application) -> Services:
    return application.bot_data.services


async def post_init(application: Application) -> None:
    svc = _services(application)
    polling = application.bot_data.polling_forever
    if polling and not await _may_poll(application):  # refused before an index is loaded, or built
        return
    if svc.kb.snapshot is None:
        report = await asyncio.to_thread(svc.kb.open)  # loads the published index; builds only if there is none
        if svc.kb.snapshot is None:
            raise RuntimeError("cannot start: " + "; ".join(str(p) for p in report.problems))
    await asyncio.to_thread(svc.lane.warm_up)
    if polling:
        application.bot_data.polling_since = asyncio.get_running_loop().time()  # a 409 soon after: the newcomer
    application.bot_data.background.append(asyncio.create_task(_follow_index(svc)))
    await application.bot.set_my_commands(bot_commands("id"))  # the default: our workers' language
    await application.bot.set_my_commands(bot_commands("en"), language_code="en")  # for English Telegram apps
    if application.job_queue:
        application.job_queue.run_repeating(_purge_old_questions, interval=RETENTION_EVERY_S,
                                            first=RETENTION_FIRST_S)


async def _may_poll(application: Application) -> bool:
    """Starting to poll deletes the webhook: replicas serving it would get nothing more, and not know."""
    url = (await application.bot.get_webhook_info()).url
    if url:
        application.bot_data.conflict = WEBHOOK_IS_SET.format(url=url)
        logger.critical(application.bot_data.conflict)
        application.stop_running()
        return False
    return True


async def post_shutdown(application: Application) -> None:
    for task in application.bot_data.background:
        task.cancel()
    application.bot_data.background.clear()
    svc = _services(application)
    svc.lane.close()
    svc.journal.close()


async def _follow_index(svc: Services) -> None:
    """Serve what another process published (a replica's /reload, `reindex`), without a restart."""
    while True:
        await asyncio.sleep(INDEX_WATCH_S)
        try:
            await asyncio.to_thread(svc.kb.follow_published)
        except Exception:  # a bug must not end the following for good
            logger.exception("Following the published index failed")


async def _purge_old_questions(context: BotContext) -> None:
    svc = context.services
    removed = await asyncio.to_thread(svc.journal.purge_questions_older_than, svc.settings.question_log_retention_days)
    logger.info("Retention: removed %d old questions", removed)
    if svc.replicas is not None:
        await asyncio.to_thread(svc.replicas.purge)


async def on_error(update: object, context: BotContext) -> None:
    """Log first, so the error is seen even if telling the user fails too."""
    if isinstance(context.error, Conflict) and update is None:  # from getUpdates: another poller
        since = context.bot_data.polling_since
        if since is None or asyncio.get_running_loop().time() - since > NEWCOMER_S:
            logger.error(POLLING_CONFLICT_KEPT)  # Telegram ends the older poller's request: the newcomer's next
            return  # request ends its own in turn, and it stops
        logger.critical(POLLING_CONFLICT)
        context.bot_data.conflict = POLLING_CONFLICT
        context.application.stop_running()
        return
    logger.error("Error while handling an update", exc_info=context.error)
    # After a network error Telegram may have delivered the reply anyway (an apology could be a second reply),
    # and after a 429 or a block it would not deliver one. A refused request (BadRequest, which PTB derives
    # from NetworkError) delivered nothing: the user must hear that something went wrong.
    error = context.error
    telegram_failed = isinstance(error, TelegramError) and not isinstance(error, BadRequest)
    if isinstance(update, Update) and update.effective_chat and not telegram_failed:
        lang = context.services.languages.of(update.effective_user.id if update.effective_user else None)
        await context.bot.send_message(update.effective_chat.id, html.escape(text(lang, "sorry")))


class TokenFilter(logging.Filter):
    """Masks the bot token's secret in a record, its exception and stack included. PTB logs the Bot API URL,
    token and all, at DEBUG while the bot is built, and an error may quote a request URL."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.secret = token.partition(":")[2] or token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, MASKED), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)  # formatters reuse it
        for field in ("exc_text", "stack_info"):
            value = getattr(record, field)
            if value and self.secret in value:
                setattr(record, field, value.replace(self.secret, MASKED))
        return True


def mask_token_in_logs(token: str) -> None:
    """On every handler of the root logger (and Python's last-resort one): a filter on a logger would not
    see the records of its children, such as PTB's."""
    for handler in [*logging.getLogger().handlers, logging.lastResort]:
        if handler and not any(isinstance(f, TokenFilter) and f.secret in token for f in handler.filters):
            handler.addFilter(TokenFilter(token))


def build_application(settings: Settings, services: Services) -> Application:
    token = settings.telegram_bot_token.get_secret_value()
    mask_token_in_logs(token)  # before PTB builds the bot, which logs its URL
    # httpx logs every request URL at INFO, and Telegram URLs contain the bot token.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    builder = (
        ApplicationBuilder()
        .context_types(CONTEXT_TYPES)
        .token(token)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .concurrent_updates(MAX_IN_FLIGHT)
        .connection_pool_size(HTTP_CONNECTIONS)
        .pool_timeout(HTTP_POOL_TIMEOUT)
        .rate_limiter(ChatRateLimiter(max_retries=TELEGRAM_RETRIES,  # a 429 holds back its own chat only
                                      overall_per_second=settings.telegram_messages_per_second))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    if settings.telegram_base_file_url:
        builder = builder.base_file_url(settings.telegram_base_file_url)
    application = builder.build()
    application.bot_data.services = services
    application.add_handler(TypeHandler(Update, limit_every_update), group=-1)  # before every handler below
    # Order matters: admin commands first, so their refusal handlers do not shadow them.
    application.add_handlers(admin_handlers(settings.bot_admin_ids))
    application.add_handler(route_conversation())  # before the worker handlers: in the dialogue it answers first
    application.add_handlers(worker_handlers())
    application.add_error_handler(on_error)
    return application


def webhook_secret(settings: Settings) -> str:
    """Telegram echoes this header on every webhook call, so forged updates from elsewhere are refused."""
    return hashlib.sha256(b"webhook:" + settings.telegram_bot_token.get_secret_value().encode()).hexdigest()[:48]


@contextlib.asynccontextmanager
async def running(application: Application) -> AsyncIterator[Application]:
    """Our application polling, as `run_polling` runs it, for code that owns the event loop (tests, bench)."""
    await application.initialize()
    await post_init(application)
    await application.start()
    await application.updater.start_polling(poll_interval=0, allowed_updates=UPDATES)
    try:
        yield application
    finally:
        if application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        await post_shutdown(application)


async def serve_webhook(application: Application, settings: Settings, stop: asyncio.Event) -> None:
    """One webhook replica, until `stop` is set: it beats in the shared database, takes updates from the proxy,
    and on stopping lets those it is handling finish."""
    svc = _services(application)
    svc.replicas = replicas = Replicas(svc.journal.db)
    await application.initialize()
    server = WebhookServer(application, replicas, webhook_secret(settings), urlparse(settings.webhook_url).path)
    try:
        await post_init(application)
        await application.start()
        await _beat(application, replicas)  # alive before the first claim, or another could take its updates
        server.listen(settings.webhook_listen, settings.webhook_port)
        # Every replica sets the same webhook: the last one's call is the one Telegram keeps, and it is the same.
        await application.bot.set_webhook(settings.webhook_url, secret_token=webhook_secret(settings),
                                          allowed_updates=UPDATES)
        logger.info("Replica %s serving webhook updates on %s:%d", replicas.name, settings.webhook_listen,
                    settings.webhook_port)
        beating = asyncio.create_task(_keep_beating(application, replicas))
        application.bot_data.background.append(beating)
        await stop.wait()
    finally:
        await server.stop(WEBHOOK_GRACE_S)
        with contextlib.suppress(DatabaseError):
            await asyncio.to_thread(replicas.leave)
        if application.running:
            await application.stop()
        await application.shutdown()
        await post_shutdown(application)


async def _beat(application: Application, replicas: Replicas) -> None:
    """Alive, serving this index version; the bot's sending budget is shared among the live replicas."""
    try:
        live = await asyncio.to_thread(replicas.heartbeat, _services(application).kb.version)
    except DatabaseError as error:
        logger.warning("Heartbeat failed (%s): if it keeps failing for %.0f s, the others take over the updates "
                       "this replica is handling", error, STALE_S)
        return
    limiter = application.bot.rate_limiter
    if isinstance(limiter, ChatRateLimiter):
        limiter.share(live)


async def _keep_beating(application: Application, replicas: Replicas) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_S)
        await _beat(application, replicas)


def run_bot(settings: Settings) -> None:
    """Polling (one process per bot), or a webhook replica (as many as wanted, sharing DATABASE_URL and
    BOT_DATA_DIR). StartError if another process polls for this bot."""
    try:
        services = assemble(settings)
    except DatabaseError as error:
        raise StartError(f"the journal's database cannot be opened: {error}") from None
    application = build_application(settings, services)
    if settings.webhook_url:
        asyncio.run(_until_signalled(lambda stop: serve_webhook(application, settings, stop)))
        return
    bot_id = settings.telegram_bot_token.get_secret_value().partition(":")[0]
    lock = services.journal.db.try_lock(f"poller-{bot_id}")
    if lock is None:
        services.journal.close()
        raise StartError(ANOTHER_POLLER.format(lock=f"poller-{bot_id}", where=services.journal.db.where))
    try:
        application.bot_data.polling_forever = True
        application.run_polling(allowed_updates=UPDATES)
    finally:
        lock.release()
    if application.bot_data.conflict:
        raise StartError(application.bot_data.conflict)


async def _until_signalled(serve) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await serve(stop)
