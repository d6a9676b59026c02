"""What admins can do — reload, add articles by upload, see statistics — and the refusal for everyone else.

Admin rights come only from numeric ids in BOT_ADMIN_IDS (usernames can be changed by anyone);
the whole handler list is gated by one filter, not by checks inside each callback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

import knowledge
from bot.knowledge_base import ReloadReport
from bot.render import split_message
from bot.telegram.context import BotContext
from bot.texts import text
from knowledge.loader import article_id

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 256 * 1024  # the longest shipped article is ~10 KB; anything this big is not an article
UPLOAD_CHECK_SECONDS = 20  # a 10 KB article takes 0.5 s to check, 256 KB of prose 1 s, of distinct words 7 s
REPLACE_CAPTIONS = ("ganti", "replace")  # the caption that lets an upload overwrite an article of the same name
BACKUPS = "article-backups"  # under BOT_DATA_DIR: the versions uploads replaced
STATS_DAYS = 30
MAX_STATS_DAYS = 3650
SLUG_CHARS = 80  # of an uploaded file's stored name
AUDITED_ACTION_CHARS = 40  # of a refused command as audited
LISTED_PROBLEMS = 20  # in one reply; the rest are counted


def _problem_lines(problems: Sequence[object]) -> str:
    lines = [f"• {escape(str(problem))}" for problem in problems[:LISTED_PROBLEMS]]
    if len(problems) > LISTED_PROBLEMS:
        lines.append(text("id", "more_problems").format(count=len(problems) - LISTED_PROBLEMS))
    return "\n".join(lines)


def _report_text(report: ReloadReport, prefix: str = "") -> str:
    if report.already_running:
        return text("id", "reload_running")
    if not report.published:
        return f"{prefix}{text('id', 'reload_invalid')}\n{_problem_lines(report.problems)}"
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
        lines += [text("id", "reload_conflicts"), _problem_lines(report.conflicts)]
    return "\n".join(lines)


async def _reply(update: Update, context: BotContext, html_text: str) -> None:
    """Admin replies can outgrow one message (a long list of titles or problems): sent in parts."""
    for chunk in split_message(html_text):
        await context.bot.send_message(update.effective_chat.id, chunk)


async def _audit(context: BotContext, update: Update, action: str, detail: str = "", allowed: bool = True) -> None:
    await asyncio.to_thread(context.services.journal.record_admin_action, update.effective_user.id, action,
                            detail, allowed=allowed)


async def _reload_and_report(update: Update, context: BotContext, prefix: str = "", wait: bool = False) -> None:
    report = await context.services.kb.reload(wait=wait)
    await _reply(update, context, _report_text(report, prefix))


async def on_reload(update: Update, context: BotContext) -> None:
    await _audit(context, update, "reload")
    await update.effective_message.reply_text(text("id", "reloading"))
    # in the background, so this update is done and the bot keeps answering meanwhile
    context.application.create_task(_reload_and_report(update, context), update=update)


async def on_document(update: Update, context: BotContext) -> None:
    """Check the folder as it will be with the upload, then write and publish it, all under one lock: two
    uploads checked at once would each pass without the other, and together break every later reload."""
    message = update.effective_message
    document = message.document
    await _audit(context, update, "upload", document.file_name or "")
    name = _stored_name(document.file_name or "")
    reason = _size_problem(document.file_size)
    if name is None:
        reason = text("id", "upload_bad_name")
    elif name == "readme.md":  # the loader skips it: it describes a folder
        reason = text("id", "upload_reserved_name")
    if reason:
        await message.reply_text(f"❌ {escape(reason)}")
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    if len(data) > MAX_UPLOAD_BYTES:
        await message.reply_text("❌ " + text("id", "upload_too_big").format(size=len(data), limit=MAX_UPLOAD_BYTES))
        return
    services = context.services
    knowledge_dir = services.kb.knowledge_dir
    async with services.uploads:
        replacing = (knowledge_dir / name).exists()
        if replacing and (message.caption or "").strip().lower() not in REPLACE_CAPTIONS:
            await message.reply_text(text("id", "upload_exists").format(name=escape(name)))
            return
        problems = await asyncio.to_thread(_validate_with_current, knowledge_dir, name, data)
        if problems:
            await _reply(update, context, text("id", "upload_rejected").format(name=escape(name)) + "\n"
                         + _problem_lines(problems))
            return
        backup = await asyncio.to_thread(_store, knowledge_dir, name, data,
                                         services.settings.bot_data_dir / BACKUPS if replacing else None)
        if backup is None:
            await message.reply_text(text("id", "upload_saved").format(name=escape(name)))
        else:
            await message.reply_text(text("id", "upload_replaced").format(
                name=escape(name), backup=escape(f"{BACKUPS}/{backup.name}")))
        await _reload_and_report(update, context, wait=True)  # this upload must be published, not told "running"


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
    """The checks a reload makes, plus the chunker on the upload, on a copy of the folder as it will be, so a
    bad upload never touches the live folder. In a child process with a time budget (knowledge/upload_check.py):
    text that is slow to process must be refused, not freeze the bot at every reload."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return [text("id", "upload_not_utf8")]
    root = Path(knowledge.__file__).resolve().parent.parent  # this code's own, not another installed copy
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "kb"
        shutil.copytree(knowledge_dir, folder)
        (folder / name).write_bytes(data)
        try:
            checked = subprocess.run([sys.executable, "-m", "knowledge.upload_check", str(folder), name], cwd=root,
                                     env=environment, capture_output=True, text=True, timeout=UPLOAD_CHECK_SECONDS)
        except subprocess.TimeoutExpired:
            logger.warning("Upload %s refused: its check took longer than %d s", name, UPLOAD_CHECK_SECONDS)
            return [text("id", "upload_too_slow").format(seconds=UPLOAD_CHECK_SECONDS)]
    if checked.returncode != 0:
        logger.error("Checking upload %s failed: %s", name, checked.stderr[-2000:])
        return [text("id", "upload_check_failed")]
    return json.loads(checked.stdout)


def _store(knowledge_dir: Path, name: str, data: bytes, backups: Path | None) -> Path | None:
    """Write the upload atomically; the version it replaces is kept in `backups` first (returned)."""
    path = knowledge_dir / name
    backup = None
    if backups is not None and path.exists():
        backups.mkdir(parents=True, exist_ok=True)
        backup = backups / f"{name}.{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}"
        shutil.copy2(path, backup)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return backup


async def on_stats(update: Update, context: BotContext) -> None:
    days = STATS_DAYS
    if context.args and re.fullmatch(r"[0-9]{1,4}", context.args[0]):  # not "²", which isdigit() accepts
        days = min(int(context.args[0]), MAX_STATS_DAYS)
    await _audit(context, update, "stats", f"{days} days")
    journal = context.services.journal
    since = datetime.now(timezone.utc) - timedelta(days=days)
    stats = await asyncio.to_thread(journal.stats, since)
    share = f"{100 * stats.answered / stats.questions:.0f}%" if stats.questions else "–"
    topics = ", ".join(f"{topic} ({count})" for topic, count in stats.top_topics) or "–"
    reply = text("id", "stats").format(
        days=days, users=stats.users, questions=stats.questions, answered=stats.answered, declined=stats.declined,
        share=share, up=stats.thumbs_up, down=stats.thumbs_down, topics=escape(topics))
    if journal.failed_writes:
        reply += "\n" + text("id", "journal_failures").format(count=journal.failed_writes)
    await update.effective_message.reply_text(reply)


async def on_refused(update: Update, context: BotContext) -> None:
    action = (update.effective_message.text or "document").split()[0][:AUDITED_ACTION_CHARS]
    logger.warning("Refused admin action %r from a non-admin user", action)
    await _audit(context, update, action, allowed=False)
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
    return [
        CommandHandler("reload", on_reload, filters=private & admin),
        CommandHandler("stats", on_stats, filters=private & admin),
        MessageHandler(document & admin, on_document),
        CommandHandler(["reload", "stats"], on_admin_in_group, filters=groups & admin),
        # everyone else, after the admin handlers above had their chance
        CommandHandler(["reload", "stats"], on_refused, filters=filters.UpdateType.MESSAGE),
        MessageHandler(document, on_refused),
    ]
