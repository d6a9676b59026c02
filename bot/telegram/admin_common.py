"""What every admin handler shares: replies in parts, the audit trail, the admin check for buttons, reload
reports, and adding a file to the knowledge folder the one checked way."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from html import escape

from telegram import Update
from telegram.error import BadRequest

from bot.knowledge_base import ReloadReport
from bot import knowledge_files
from bot.knowledge_files import BACKUPS, MAX_UPLOAD_BYTES, CheckFailed, check_folder, stored_name, write_file
from bot.render import split_message
from bot.telegram.context import BotContext
from bot.texts import text

logger = logging.getLogger(__name__)

LISTED_PROBLEMS = 20  # in one reply; the rest are counted
DAYS_PATTERN = r"[0-9]{1,4}"  # not "²", which isdigit() accepts
MAX_DAYS = 3650

Handler = Callable[[Update, BotContext], Awaitable[None]]


def days_argument(context: BotContext, default: int) -> int:
    """`/command [days]`: a plain number of days, at most MAX_DAYS; anything else is the default."""
    if context.args and re.fullmatch(DAYS_PATTERN, context.args[0]) and int(context.args[0]) > 0:
        return min(int(context.args[0]), MAX_DAYS)
    return default


def problem_lines(problems: Sequence[object]) -> str:
    lines = [f"• {escape(str(problem))}" for problem in problems[:LISTED_PROBLEMS]]
    if len(problems) > LISTED_PROBLEMS:
        lines.append(text("id", "more_problems").format(count=len(problems) - LISTED_PROBLEMS))
    return "\n".join(lines)


def titles_lines(added: Sequence[str], changed: Sequence[str], removed: Sequence[str]) -> list[str]:
    return [f"{text('id', label)}: " + "; ".join(escape(title) for title in titles)
            for label, titles in (("reload_added", added), ("reload_changed", changed), ("reload_removed", removed))
            if titles]


def report_text(report: ReloadReport, prefix: str = "") -> str:
    if report.already_running:
        return text("id", "reload_running")
    if not report.published:
        return f"{prefix}{text('id', 'reload_invalid')}\n{problem_lines(report.problems)}"
    lines = [
        prefix + text("id", "reload_done").format(seconds=report.seconds),
        text("id", "reload_counts").format(articles=report.articles, passages=report.passages,
                                           embedded=report.embedded),
        *titles_lines(report.added, report.changed, report.removed),
    ]
    if report.conflicts:
        lines += [text("id", "reload_conflicts"), problem_lines(report.conflicts)]
    return "\n".join(lines)


async def reply(update: Update, context: BotContext, html_text: str, **kwargs: object) -> None:
    """Admin replies can outgrow one message (a long list of titles or problems): sent in parts, any
    keyboard under the last."""
    chunks = split_message(html_text)
    for i, chunk in enumerate(chunks):
        await context.bot.send_message(update.effective_chat.id, chunk, **(kwargs if i == len(chunks) - 1 else {}))


async def audit(context: BotContext, update: Update, action: str, detail: str = "", allowed: bool = True) -> None:
    await asyncio.to_thread(context.services.journal.record_admin_action, update.effective_user.id, action,
                            detail, allowed=allowed)


async def reload_and_report(update: Update, context: BotContext, prefix: str = "", wait: bool = False) -> None:
    report = await context.services.kb.reload(wait=wait)
    await reply(update, context, report_text(report, prefix))


def admin_button(handler: Handler) -> Handler:
    """For a button press: only an admin's is handled (a button's data can be forged by anyone); anyone
    else's is answered with the refusal /reload gives, and audited. Every press is answered first."""

    @functools.wraps(handler)
    async def checked(update: Update, context: BotContext) -> None:
        query = update.callback_query
        if update.effective_user is None or update.effective_user.id not in context.services.settings.bot_admin_ids:
            await query.answer(text("id", "refused"), show_alert=True)
            logger.warning("Refused an admin button from a non-admin user")
            await audit(context, update, f"button {(query.data or '')[:20]}", allowed=False)
            return
        await query.answer()
        await handler(update, context)

    return checked


async def take_buttons_away(update: Update, context: BotContext) -> None:
    """From the message whose button was pressed, so it cannot be pressed again."""
    message = update.callback_query.message
    try:
        await context.bot.edit_message_reply_markup(message.chat.id, message.message_id, reply_markup=None)
    except BadRequest as error:  # already without them, or too old
        logger.debug("Buttons not removed: %s", error)


def checked_problems(folder, changes, chunked: str = "") -> list[str]:
    """check_folder, with its failures as reasons an admin can read."""
    try:
        return check_folder(folder, changes, chunked)
    except UnicodeDecodeError:
        return [text("id", "upload_not_utf8")]
    except CheckFailed as failure:
        if str(failure) == "too_slow":
            return [text("id", "upload_too_slow").format(seconds=knowledge_files.UPLOAD_CHECK_SECONDS)]
        return [text("id", "upload_check_failed")]


async def publish_file(update: Update, context: BotContext, name: str, data: bytes, *, replace: bool = False) -> bool:
    """Check the folder as it will be with the file, then write and publish it, all under one lock: two
    changes checked at once would each pass without the other, and together break every later reload.
    A file of an existing name is refused unless `replace` (its old version is kept). Whether it was written."""
    services = context.services
    folder = services.kb.knowledge_dir
    async with services.uploads:
        replacing = (folder / name).exists()
        if replacing and not replace:
            await reply(update, context, text("id", "upload_exists").format(name=escape(name)))
            return False
        problems = await asyncio.to_thread(checked_problems, folder, {name: data}, name)
        if problems:
            await reply(update, context, text("id", "upload_rejected").format(name=escape(name)) + "\n"
                        + problem_lines(problems))
            return False
        backup = await asyncio.to_thread(write_file, folder, name, data,
                                         services.settings.bot_data_dir / BACKUPS if replacing else None)
        if backup is None:
            await reply(update, context, text("id", "upload_saved").format(name=escape(name)))
        else:
            await reply(update, context, text("id", "upload_replaced").format(
                name=escape(name), backup=escape(f"{BACKUPS}/{backup.name}")))
        await reload_and_report(update, context, wait=True)  # this change must be published, not told "running"
        return True


async def downloaded_article(update: Update, context: BotContext) -> tuple[str | None, bytes]:
    """The name an uploaded article is stored under and its bytes, or (None, b"") once the admin has been told
    why not (a bad or reserved name, too big)."""
    message = update.effective_message
    document = message.document
    name = stored_name(document.file_name or "")
    reason = None
    if document.file_size is not None and document.file_size > MAX_UPLOAD_BYTES:
        reason = text("id", "upload_too_big").format(size=document.file_size, limit=MAX_UPLOAD_BYTES)
    if name is None:
        reason = text("id", "upload_bad_name")
    elif name == "readme.md":  # the loader skips it: it describes a folder
        reason = text("id", "upload_reserved_name")
    if reason:
        await message.reply_text(f"❌ {escape(reason)}")
        return None, b""
    data = bytes(await (await document.get_file()).download_as_bytearray())
    if len(data) > MAX_UPLOAD_BYTES:
        await message.reply_text("❌ " + text("id", "upload_too_big").format(size=len(data), limit=MAX_UPLOAD_BYTES))
        return None, b""
    return name, data
