"""What admins can do — reload, add articles by upload, see statistics — and the refusal for everyone else.

Admin rights come only from numeric ids in BOT_ADMIN_IDS (usernames can be changed by anyone);
the whole handler list is gated by one filter, not by checks inside each callback.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import tempfile
from datetime import date, datetime, timedelta, timezone
from html import escape
from pathlib import Path

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.knowledge_base import ReloadReport
from bot.telegram.context import BotContext
from bot.texts import text
from knowledge.loader import article_id, load_articles

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 256 * 1024  # the longest shipped article is ~10 KB; anything this big is not an article
STATS_DAYS = 30
SLUG_CHARS = 80  # of an uploaded file's stored name
AUDITED_ACTION_CHARS = 40  # of a refused command as audited


def _report_text(report: ReloadReport, prefix: str = "") -> str:
    if report.already_running:
        return text("id", "reload_running")
    if not report.published:
        problems = "\n".join(f"• {escape(str(p))}" for p in report.problems)
        return f"{prefix}{text('id', 'reload_invalid')}\n{problems}"
    lines = [
        prefix + text("id", "reload_done").format(seconds=report.seconds),
        text("id", "reload_counts").format(articles=report.articles, passages=report.passages,
                                           embedded=report.embedded),
    ]
    for label, titles in (("reload_added", report.added), ("reload_changed", report.changed),
                          ("reload_removed", report.removed)):
        if titles:
            lines.append(f"{text('id', label)}: " + "; ".join(escape(t) for t in titles))
    if report.conflicts:
        lines.append(text("id", "reload_conflicts"))
        lines += [f"• {escape(str(conflict))}" for conflict in report.conflicts]
    return "\n".join(lines)


async def _audit(context: BotContext, update: Update, action: str, detail: str = "", allowed: bool = True) -> None:
    await asyncio.to_thread(context.services.journal.record_admin_action, update.effective_user.id, action,
                            detail, allowed=allowed)


async def _reload_and_report(update: Update, context: BotContext, prefix: str = "") -> None:
    report = await context.services.kb.reload()
    await context.bot.send_message(update.effective_chat.id, _report_text(report, prefix))


async def on_reload(update: Update, context: BotContext) -> None:
    await _audit(context, update, "reload")
    await update.effective_message.reply_text(text("id", "reloading"))
    # in the background, so this update is done and the bot keeps answering meanwhile
    context.application.create_task(_reload_and_report(update, context), update=update)


async def on_document(update: Update, context: BotContext) -> None:
    """Validate the upload together with the current articles in a scratch copy; only then write and reload."""
    document = update.effective_message.document
    await _audit(context, update, "upload", document.file_name or "")
    name, reason = _stored_name(document.file_name or ""), _size_problem(document.file_size)
    if name is None:
        reason = text("id", "upload_bad_name")
    if reason:
        await update.effective_message.reply_text(f"❌ {escape(reason)}")
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    if len(data) > MAX_UPLOAD_BYTES:
        await update.effective_message.reply_text("❌ " + text("id", "upload_too_big").format(
            size=len(data), limit=MAX_UPLOAD_BYTES))
        return
    knowledge_dir = context.services.kb.knowledge_dir
    problems = await asyncio.to_thread(_validate_with_current, knowledge_dir, name, data)
    if problems:
        listed = "\n".join(f"• {escape(p)}" for p in problems)
        await update.effective_message.reply_text(text("id", "upload_rejected").format(name=escape(name)) + "\n" + listed)
        return
    await asyncio.to_thread(_write_atomically, knowledge_dir / name, data)
    await update.effective_message.reply_text(text("id", "upload_saved").format(name=escape(name)))
    context.application.create_task(_reload_and_report(update, context), update=update)


def _stored_name(name: str) -> str | None:
    """The slug an upload is stored under ("Berita_Visa 2024.TXT" -> "berita-visa-2024.txt"); None for
    anything that is not a plain .md/.txt name, such as "../../etc/passwd.md"."""
    if any(bad in name for bad in ("/", "\\", "\0")) or name.startswith("."):
        return None
    _, dot, extension = name.rpartition(".")
    slug = article_id(name)[:SLUG_CHARS]
    if not dot or extension.lower() not in ("md", "txt") or not slug:
        return None
    return f"{slug}.{extension.lower()}"


def _size_problem(size: int | None) -> str | None:
    if size is not None and size > MAX_UPLOAD_BYTES:
        return text("id", "upload_too_big").format(size=size, limit=MAX_UPLOAD_BYTES)
    return None


def _validate_with_current(knowledge_dir: Path, name: str, data: bytes) -> list[str]:
    """Exactly the checks a reload makes, on a copy, so a bad upload never touches the live folder."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return ["berkas harus teks UTF-8"]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "kb"
        shutil.copytree(knowledge_dir, folder)
        (folder / name).write_bytes(data)
        result = load_articles(folder, today=date.today())
    return [str(problem) for problem in result.problems]


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


async def on_stats(update: Update, context: BotContext) -> None:
    days = int(context.args[0]) if context.args and context.args[0].isdigit() else STATS_DAYS
    await _audit(context, update, "stats", f"{days} days")
    since = datetime.now(timezone.utc) - timedelta(days=days)
    stats = await asyncio.to_thread(context.services.journal.stats, since)
    share = f"{100 * stats.answered / stats.questions:.0f}%" if stats.questions else "–"
    topics = ", ".join(f"{topic} ({count})" for topic, count in stats.top_topics) or "–"
    await update.effective_message.reply_text(text("id", "stats").format(
        days=days, users=stats.users, questions=stats.questions, answered=stats.answered, declined=stats.declined,
        share=share, up=stats.thumbs_up, down=stats.thumbs_down, topics=escape(topics)))


async def on_refused(update: Update, context: BotContext) -> None:
    action = (update.effective_message.text or "document").split()[0][:AUDITED_ACTION_CHARS]
    logger.warning("Refused admin action %r from a non-admin user", action)
    await _audit(context, update, action, allowed=False)
    await update.effective_message.reply_text(text("id", "refused"))


def admin_handlers(admin_ids: frozenset[int]) -> list:
    admin = filters.User(user_id=admin_ids)
    document = filters.Document.ALL & filters.ChatType.PRIVATE
    return [
        CommandHandler("reload", on_reload, filters=admin),
        CommandHandler("stats", on_stats, filters=admin),
        MessageHandler(document & admin, on_document),
        # everyone else, after the admin handlers above had their chance
        CommandHandler(["reload", "stats"], on_refused),
        MessageHandler(document, on_refused),
    ]
