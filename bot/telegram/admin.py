"""What admins can do — reload, add articles by upload, see statistics, and the loop of admin_gaps.py and
admin_articles.py — and the refusal for everyone else.

Admin rights come only from numeric ids in BOT_ADMIN_IDS (usernames can be changed by anyone); the whole
handler list is gated by one filter, not by checks inside each callback (buttons, which carry no filter,
are checked by admin_common.admin_button).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone
from html import escape

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.charts import Bucket, bucket_days, buckets, stats_chart
from bot.telegram import admin_articles, admin_gaps
from bot.telegram.admin_common import audit, days_argument, downloaded_article, publish_file, reload_and_report, reply
from bot.telegram.callbacks import GapAction, GapPage, LinkDraftButton
from bot.telegram.context import BotContext
from bot.texts import text

logger = logging.getLogger(__name__)

REPLACE_CAPTIONS = ("ganti", "replace")  # the caption that lets an upload overwrite an article of the same name
STATS_DAYS = 30
AUDITED_ACTION_CHARS = 40  # of a refused command as audited
COMMANDS = ("reload", "stats", "gaps", "stale", "artikel", "hapus_artikel", "rollback")


async def on_reload(update: Update, context: BotContext) -> None:
    await audit(context, update, "reload")
    await update.effective_message.reply_text(text("id", "reloading"))
    # in the background, so this update is done and the bot keeps answering meanwhile
    context.application.create_task(reload_and_report(update, context), update=update)


async def on_document(update: Update, context: BotContext) -> None:
    """An article file: checked as the folder will be with it, then written and published (publish_file)."""
    message = update.effective_message
    document = message.document
    await audit(context, update, "upload", document.file_name or "")
    name, data = await downloaded_article(update, context)
    if name is None:
        return
    await publish_file(update, context, name, data,
                       replace=(message.caption or "").strip().lower() in REPLACE_CAPTIONS)


async def on_stats(update: Update, context: BotContext) -> None:
    """The numbers as text first, then the chart (drawn off the event loop, matplotlib loaded only here)."""
    days = days_argument(context, STATS_DAYS)
    await audit(context, update, "stats", f"{days} days")
    journal = context.services.journal
    now = datetime.now(timezone.utc)
    since = now - timedelta(days=days)
    stats = await asyncio.to_thread(journal.stats, since)
    share = f"{100 * stats.answered / stats.questions:.0f}%" if stats.questions else "–"
    topics = ", ".join(f"{topic} ({count})" for topic, count in stats.top_topics) or "–"
    lines = [text("id", "stats").format(
        days=days, users=stats.users, questions=stats.questions, answered=stats.answered, declined=stats.declined,
        share=share, up=stats.thumbs_up, down=stats.thumbs_down, topics=escape(topics))]
    if journal.failed_writes:
        lines.append(text("id", "journal_failures").format(count=journal.failed_writes))
    rows = await asyncio.to_thread(journal.daily, since)
    width = bucket_days(days)
    series = buckets(rows, since.date(), now.date(), width)
    shown = [bucket for bucket in series if bucket.questions]
    if shown:
        lines.append(text("id", f"stats_per_{width}"))
        lines += [text("id", "stats_row").format(day=bucket.start.isoformat(), questions=bucket.questions,
                                                 answered=bucket.answered, declined=bucket.declined,
                                                 up=bucket.thumbs_up, down=bucket.thumbs_down) for bucket in shown]
    await reply(update, context, "\n".join(lines))
    png = await asyncio.to_thread(_chart, series, days, width)
    await context.bot.send_photo(update.effective_chat.id, png, caption=text("id", "stats_chart_caption"))


def _chart(series: list[Bucket], days: int, width: int) -> bytes:
    title = text("id", f"stats_chart_title_{width}").format(days=days)
    labels = [text("id", key) for key in ("stats_answered", "stats_declined", "stats_up", "stats_down")]
    return stats_chart(series, title, labels)


async def on_refused(update: Update, context: BotContext) -> None:
    action = (update.effective_message.text or "document").split()[0][:AUDITED_ACTION_CHARS]
    logger.warning("Refused admin action %r from a non-admin user", action)
    await audit(context, update, action, allowed=False)
    await update.effective_message.reply_text(text("id", "refused"))


async def on_admin_in_group(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(text("id", "admin_private_only"))


def admin_handlers(admin_ids: frozenset[int]) -> list:
    """New private messages only: PTB's `filters=` replaces its default of messages and edits alike, and
    without these an edit of an old /stats ran it again and /stats in a group was posted to the group."""
    admin = filters.User(user_id=admin_ids)
    private = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
    groups = filters.UpdateType.MESSAGE & filters.ChatType.GROUPS
    document = private & filters.Document.ALL
    gap_reply = private & admin & admin_gaps.REPLY_TO_GAP_PROMPT & (
        (filters.TEXT & ~filters.COMMAND) | filters.Document.ALL)
    return [
        CommandHandler("reload", on_reload, filters=private & admin),
        CommandHandler("stats", on_stats, filters=private & admin),
        CommandHandler("gaps", admin_gaps.on_gaps, filters=private & admin),
        CommandHandler("stale", admin_articles.on_stale, filters=private & admin),
        CommandHandler("artikel", admin_articles.on_articles, filters=private & admin),
        CommandHandler("hapus_artikel", admin_articles.on_remove_article, filters=private & admin),
        CommandHandler("rollback", admin_articles.on_rollback, filters=private & admin),
        MessageHandler(gap_reply, admin_gaps.on_gap_reply),  # before uploads: a file may answer a gap
        MessageHandler(private & admin & admin_articles.LINK, admin_articles.on_link),
        MessageHandler(document & admin, on_document),
        CallbackQueryHandler(admin_gaps.on_gap_page, pattern=GapPage.pattern()),
        CallbackQueryHandler(admin_gaps.on_gap_action, pattern=GapAction.pattern()),
        CallbackQueryHandler(admin_articles.on_link_button, pattern=LinkDraftButton.pattern()),
        CommandHandler(list(COMMANDS), on_admin_in_group, filters=groups & admin),
        # everyone else, after the admin handlers above had their chance
        CommandHandler(list(COMMANDS), on_refused, filters=filters.UpdateType.MESSAGE),
        MessageHandler(document, on_refused),
    ]
