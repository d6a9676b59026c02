"""The articles, for admins: which are stale (/stale), what there is and what it answers (/artikel), removing
one (/hapus_artikel), going back to the previous published version (/rollback), and adding a news article
from a link. Every change to the folder is checked first, made under the upload lock and published."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from html import escape
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import filters

from bot.knowledge_base import RollbackReport
from bot.knowledge_files import BACKUPS, article_file, free_name, remove_file
from bot.render import format_date
from bot.telegram.admin_common import (
    admin_button, audit, checked_problems, days_argument, problem_lines, publish_file, reload_and_report, reply,
    take_buttons_away, titles_lines,
)
from bot.telegram.callbacks import LinkDraftButton
from bot.telegram.context import BotContext
from bot.texts import text
from bot.web_fetch import FetchError, fetch_page
from knowledge.freshness import stale_articles
from knowledge.web_article import extract_news

logger = logging.getLogger(__name__)

USAGE_DAYS = 30  # /artikel counts the questions answered from each article over this many days
ARTICLE_ID = re.compile(r"[a-z0-9-]{1,80}")  # what /hapus_artikel accepts: an article id (knowledge.loader)
LINK = filters.Regex(r"^\s*https?://\S{1,2000}\s*$")  # a message that is one link and nothing else
DRAFTS = "link-drafts"  # under BOT_DATA_DIR: articles made from links, waiting for the admin's yes
DRAFT_HOURS = 24  # older drafts are deleted when a new one is made
PREVIEW_CHARS = 700


async def on_stale(update: Update, context: BotContext) -> None:
    """Oldest first, each with the link to check it against."""
    max_age = days_argument(context, context.services.settings.stale_after_days)
    await audit(context, update, "stale", f"{max_age} days")
    snapshot = context.services.kb.snapshot
    if snapshot is None:
        await reply(update, context, text("id", "not_ready"))
        return
    today = date.today()
    stale = stale_articles(snapshot.articles.values(), today, max_age)
    if not stale:
        await reply(update, context, text("id", "stale_none").format(days=max_age))
        return
    lines = [text("id", "stale_header").format(count=len(stale), days=max_age)]
    for article in stale:
        link = article.sources[0] if article.sources else ""
        lines.append(text("id", "stale_row").format(
            title=escape(article.title), id=escape(article.slug), date=format_date(article.as_of, "id"),
            months=(today - article.as_of).days // 30, link=escape(link, quote=True)))
    await reply(update, context, "\n".join(lines))


async def on_articles(update: Update, context: BotContext) -> None:
    await audit(context, update, "artikel")
    svc = context.services
    snapshot = svc.kb.snapshot
    if snapshot is None:
        await reply(update, context, text("id", "not_ready"))
        return
    since = datetime.now(timezone.utc) - timedelta(days=USAGE_DAYS)
    answered = await asyncio.to_thread(svc.journal.answered_per_article, since,
                                       {passage.id: passage.article for passage in snapshot.passages})
    passages = Counter(passage.article for passage in snapshot.passages)
    lines = [text("id", "articles_header").format(count=len(snapshot.articles), passages=len(snapshot.passages),
                                                  days=USAGE_DAYS)]
    for slug, article in sorted(snapshot.articles.items()):
        lines.append(text("id", "articles_row").format(
            id=escape(slug), title=escape(article.title), date=format_date(article.as_of, "id"),
            passages=passages[slug], answered=answered[slug]))
    await reply(update, context, "\n".join(lines))


async def on_remove_article(update: Update, context: BotContext) -> None:
    """Removed only if the folder stays valid without it (a route may cite it), a copy kept, then published."""
    svc = context.services
    slug = (context.args or [""])[0].strip().lower()
    await audit(context, update, "hapus_artikel", slug[:80])
    if not ARTICLE_ID.fullmatch(slug):
        await reply(update, context, text("id", "remove_usage"))
        return
    folder = svc.kb.knowledge_dir
    async with svc.uploads:
        path = await asyncio.to_thread(article_file, folder, slug)
        if path is None:
            await reply(update, context, text("id", "remove_unknown").format(id=escape(slug)))
            return
        problems = await asyncio.to_thread(checked_problems, folder, {path.name: None})
        if problems:
            await reply(update, context, text("id", "remove_refused").format(name=escape(path.name)) + "\n"
                        + problem_lines(problems))
            return
        backup = await asyncio.to_thread(remove_file, folder, path.name, svc.settings.bot_data_dir / BACKUPS)
        await reply(update, context, text("id", "removed").format(name=escape(path.name),
                                                                  backup=escape(f"{BACKUPS}/{backup.name}")))
        await reload_and_report(update, context, wait=True)


async def on_rollback(update: Update, context: BotContext) -> None:
    await audit(context, update, "rollback")
    svc = context.services
    async with svc.uploads:  # no upload or removal between restoring the files and serving their index
        report = await asyncio.to_thread(svc.kb.rollback, svc.settings.bot_data_dir / BACKUPS)
    await audit(context, update, "rollback done" if report.done else "rollback refused",
                report.version or report.refused)
    await reply(update, context, _rollback_text(report))


def _rollback_text(report: RollbackReport) -> str:
    if not report.done:
        return text("id", f"rollback_{report.refused}").format(version=escape(report.version))
    lines = [text("id", "rollback_done").format(version=escape(report.version)),
             *titles_lines(report.added, report.changed, report.removed)]
    if report.written:
        lines.append(text("id", "rollback_written").format(files=escape(", ".join(report.written))))
    if report.deleted:
        lines.append(text("id", "rollback_deleted").format(files=escape(", ".join(report.deleted)), backups=BACKUPS))
    if not (report.written or report.deleted):
        lines.append(text("id", "rollback_same_files"))
    return "\n".join(lines)


# --- an article from a link ------------------------------------------------------------------------------

async def on_link(update: Update, context: BotContext) -> None:
    """Fetch, extract, check as an upload would be, and show a preview; added only on the admin's yes."""
    svc = context.services
    url = update.effective_message.text.strip()
    await audit(context, update, "link", url[:200])
    await reply(update, context, text("id", "link_fetching"))
    try:
        page = await fetch_page(url)
    except FetchError as error:
        await reply(update, context, text("id", f"link_{error.kind}").format(detail=escape(error.detail)))
        return
    today = date.today()
    draft = await asyncio.to_thread(extract_news, page.html, page.url, today)
    if draft is None:
        await reply(update, context, text("id", "link_no_article"))
        return
    folder = svc.kb.knowledge_dir
    name = free_name(folder, draft.title or "berita", "txt") or free_name(folder, "berita", "txt")
    data = draft.as_news_text().encode("utf-8")
    problems = await asyncio.to_thread(checked_problems, folder, {name: data}, name)
    if problems:
        await reply(update, context, text("id", "link_rejected") + "\n" + problem_lines(problems))
        return
    token = await asyncio.to_thread(_save_draft, svc.settings.bot_data_dir / DRAFTS, name, data)
    preview = draft.text if len(draft.text) <= PREVIEW_CHARS else draft.text[:PREVIEW_CHARS].rsplit(" ", 1)[0] + " …"
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(text("id", "link_add"), callback_data=LinkDraftButton(token, 1).pack()),
        InlineKeyboardButton(text("id", "link_drop"), callback_data=LinkDraftButton(token, 0).pack())]])
    await reply(update, context, text("id", "link_preview").format(
        title=escape(draft.title), date=format_date(draft.published, "id") if draft.published else "–",
        outlet=escape(draft.outlet), url=escape(page.url), words=len(draft.text.split()), name=escape(name),
        text=escape(preview)), reply_markup=keyboard)


def _save_draft(folder: Path, name: str, data: bytes) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        if time.time() - old.stat().st_mtime > DRAFT_HOURS * 3600:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(8)
    (folder / f"{token}.json").write_text(json.dumps({"name": name, "text": data.decode("utf-8")}), encoding="utf-8")
    return token


def _take_draft(folder: Path, token: str) -> dict | None:
    """The draft, removed so that it is added once: on the event loop, with no await between reading and
    removing, so of two admins pressing at once only one gets it."""
    path = folder / f"{token}.json"
    try:
        draft = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path.unlink(missing_ok=True)
    return draft


@admin_button
async def on_link_button(update: Update, context: BotContext) -> None:
    svc = context.services
    button = LinkDraftButton.parse(update.callback_query.data)
    draft = _take_draft(svc.settings.bot_data_dir / DRAFTS, button.token)
    await audit(context, update, "link add" if button.add else "link drop", draft["name"] if draft else "gone")
    await take_buttons_away(update, context)
    if draft is None:
        await reply(update, context, text("id", "link_gone"))
        return
    if not button.add:
        await reply(update, context, text("id", "link_dropped"))
        return
    # the preview's name, unless an article of that id came since: then another, never a replacement
    name = free_name(svc.kb.knowledge_dir, Path(draft["name"]).stem, "txt")
    await publish_file(update, context, name, draft["text"].encode("utf-8"))
