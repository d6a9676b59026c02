"""/gaps: what workers could not get answered, grouped by meaning, largest first, and fixed from the chat.

A /gaps run clusters the declined and 👎-rated questions of the last days (bot/gaps.py) and stores the groups
it shows (the journal's gaps), so that buttons act on exactly what the admin saw. Acting on a gap decides it
in one journal statement: of two admins acting at once, or on two runs that share questions, one succeeds
and the other is told. A change that cannot be made (a bad section, a scope.yaml that cannot be added to)
undoes the decision, so nothing is left half done.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, timedelta, timezone
from html import escape

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import filters

from bot.gaps import MAX_QUESTIONS, find_gaps, summarize
from bot.journal import Gap, GapDecision
from bot.knowledge_files import BACKUPS, ScopeFileError, add_scope_examples, free_name, section_article
from bot.telegram.admin_common import (
    admin_button, audit, days_argument, downloaded_article, publish_file, reload_and_report, reply,
)
from bot.telegram.callbacks import GapAction, GapPage
from bot.telegram.context import BotContext
from bot.texts import text

GAPS_DAYS = 30
PASSAGE_CHARS = 300  # of the closest passage, shown under a gap
NOT_TOPICS = ("contacts", "glossary")  # a new article does not take these from the closest passage's article
STATES = {"done": "handled", "ignore": "ignored", "ours": "in_scope", "notours": "out_of_scope"}
_PROMPT_ID = re.compile(r"#(\d{1,18})")  # the gap a prompt is for, in its first line (texts: gap_prompt)


class _ReplyToGapPrompt(filters.MessageFilter):
    """A reply to the bot's own "write an article for gap #N" prompt; which gap is read from the prompt, so
    the reply works after a restart too. Only the bot's messages can be such a prompt."""

    def filter(self, message: Message) -> bool:
        return _prompted_gap(message) is not None


REPLY_TO_GAP_PROMPT = _ReplyToGapPrompt()


def _prompted_gap(message: Message) -> int | None:
    replied = message.reply_to_message
    if not (replied and replied.from_user and replied.from_user.id == message.get_bot().id):
        return None
    first_line = (replied.text or "").split("\n", 1)[0]
    found = _PROMPT_ID.search(first_line) if first_line.startswith(text("id", "gap_prompt_mark")) else None
    return int(found.group(1)) if found else None


async def on_gaps(update: Update, context: BotContext) -> None:
    days = days_argument(context, GAPS_DAYS)
    await audit(context, update, "gaps", f"{days} days")
    svc = context.services
    if svc.kb.snapshot is None:
        await reply(update, context, text("id", "not_ready"))
        return
    since = datetime.now(timezone.utc) - timedelta(days=days)
    candidates = await asyncio.to_thread(svc.journal.gap_candidates, since, MAX_QUESTIONS)
    groups = await asyncio.to_thread(find_gaps, candidates, svc.kb.question_vectors)
    if not groups:
        await reply(update, context, text("id", "gaps_none").format(days=days))
        return
    ids = await asyncio.to_thread(svc.journal.create_gap_listing, groups)
    page, keyboard = await _page(context, update.effective_user.id, ids[0], 0)
    await reply(update, context, text("id", "gaps_header").format(gaps=len(ids), questions=len(candidates),
                                                                  days=days) + "\n\n" + page,
                reply_markup=keyboard)


async def _page(context: BotContext, admin_id: int, listing: int,
                index: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """One gap of a run, as text and buttons: its actions while it is open, and the way to the others."""
    journal = context.services.journal
    ids = await asyncio.to_thread(journal.gap_listing, listing)
    if not ids:
        return text("id", "gap_missing"), None
    index = min(index, len(ids) - 1)
    gap = await asyncio.to_thread(journal.gap, ids[index])
    me = journal.pseudonym(admin_id)
    rows = []
    if gap.state is None and gap.questions:
        rows = [
            [InlineKeyboardButton(text("id", "gap_done"), callback_data=GapAction(gap.id, "done").pack()),
             InlineKeyboardButton(text("id", "gap_ignore"), callback_data=GapAction(gap.id, "ignore").pack())],
            [InlineKeyboardButton(text("id", "gap_ours"), callback_data=GapAction(gap.id, "ours").pack()),
             InlineKeyboardButton(text("id", "gap_notours"), callback_data=GapAction(gap.id, "notours").pack())],
            [InlineKeyboardButton(text("id", "gap_write"), callback_data=GapAction(gap.id, "write").pack())],
        ]
    nav = []
    if index > 0:
        nav.append(InlineKeyboardButton("◀️", callback_data=GapPage(listing, index - 1).pack()))
    if index + 1 < len(ids):
        nav.append(InlineKeyboardButton("▶️", callback_data=GapPage(listing, index + 1).pack()))
    if nav:
        rows.append(nav)
    return _gap_text(context, gap, index, len(ids), me), InlineKeyboardMarkup(rows) if rows else None


def _gap_text(context: BotContext, gap: Gap, index: int, total: int, me: str) -> str:
    """Question texts only, never who asked: the journal gives /gaps nothing else."""
    lines = [text("id", "gap_title").format(number=index + 1, total=total, gap=gap.id, count=len(gap.questions))]
    if not gap.questions:
        lines.append(text("id", "gap_emptied"))
    else:
        summary = summarize(gap.questions)
        lines += [f"• «{escape(example)}»" for example in summary.examples]
        reasons = ", ".join(f"{text('id', f'gap_reason_{reason}')} {count}" for reason, count in summary.reasons)
        lines.append(text("id", "gap_reasons").format(reasons=reasons))
        lines.append(_closest(context, summary.best_passage, summary.best_coverage))
    if gap.state is not None:
        who = text("id", "gap_by_you" if gap.decided_by == me else "gap_by_other")
        detail = f" ({escape(gap.detail)})" if gap.detail else ""
        lines.append(text("id", "gap_decided").format(state=text("id", f"gap_state_{gap.state}"), who=who) + detail)
    return "\n".join(lines)


def _closest(context: BotContext, passage_id: str | None, coverage: float | None) -> str:
    snapshot = context.services.kb.snapshot
    passage = snapshot.passage(passage_id) if snapshot and passage_id else None
    if passage is None:
        return text("id", "gap_no_passage" if passage_id is None else "gap_passage_gone")
    quoted = passage.text if len(passage.text) <= PASSAGE_CHARS else passage.text[:PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
    return text("id", "gap_passage").format(section=escape(passage.section or passage.title), title=escape(
        passage.title), coverage=f"{100 * (coverage or 0):.0f}%") + f"\n<i>{escape(quoted)}</i>"


async def _show(update: Update, context: BotContext, listing: int, index: int) -> None:
    page, keyboard = await _page(context, update.effective_user.id, listing, index)
    message = update.callback_query.message
    try:
        await context.bot.edit_message_text(page, message.chat.id, message.message_id, reply_markup=keyboard)
    except BadRequest as error:  # unchanged (pressed twice), or too old to edit: send it afresh
        if "not modified" not in str(error):
            await reply(update, context, page, reply_markup=keyboard)


@admin_button
async def on_gap_page(update: Update, context: BotContext) -> None:
    button = GapPage.parse(update.callback_query.data)
    await _show(update, context, button.listing, button.index)


@admin_button
async def on_gap_action(update: Update, context: BotContext) -> None:
    button = GapAction.parse(update.callback_query.data)
    journal = context.services.journal
    gap = await asyncio.to_thread(journal.gap, button.gap)
    await audit(context, update, f"gap {button.action}", f"gap {button.gap}")
    if gap is None or not gap.questions:
        await reply(update, context, text("id", "gap_missing"))
        return
    if button.action == "write":
        await _prompt_for_article(update, context, gap)
        return
    decision = await asyncio.to_thread(journal.decide_gap, gap.id, update.effective_user.id, STATES[button.action])
    if not decision.done:
        await _tell_decided(update, context, decision)
    elif button.action in ("ours", "notours"):
        await _teach_scope(update, context, gap, "in_scope" if button.action == "ours" else "out_of_scope")
    await _show(update, context, gap.listing, gap.rank)


async def _tell_decided(update: Update, context: BotContext, decision: GapDecision) -> None:
    if decision.state is None:
        await reply(update, context, text("id", "gap_missing"))
        return
    who = text("id", "gap_by_you" if decision.by_me else "gap_by_other")
    await reply(update, context, text("id", "gap_already").format(state=text("id", f"gap_state_{decision.state}"),
                                                                  who=who))


async def _teach_scope(update: Update, context: BotContext, gap: Gap, key: str) -> None:
    """The gap's phrasings go into scope.yaml's list, and a reload refits the scope model (its examples
    changed). If they cannot be added, the gap is open again."""
    svc = context.services
    questions = [question.question for question in gap.questions]
    async with svc.uploads:  # the knowledge folder changes one admin at a time
        try:
            added = await asyncio.to_thread(add_scope_examples, svc.kb.knowledge_dir, key, questions,
                                            f"/gaps {date.today().isoformat()}", svc.settings.bot_data_dir / BACKUPS)
        except (ScopeFileError, OSError) as error:
            await asyncio.to_thread(svc.journal.reopen_gap, gap.id, update.effective_user.id)
            await reply(update, context, text("id", "gap_scope_failed").format(reason=escape(str(error))))
            return
        await audit(context, update, f"scope {key}", f"gap {gap.id}: {len(added)} examples")
        if not added:
            await reply(update, context, text("id", "gap_scope_known"))
            return
        await reply(update, context, text("id", f"gap_scope_{key}").format(count=len(added)))
        await reload_and_report(update, context, wait=True)


async def _prompt_for_article(update: Update, context: BotContext, gap: Gap) -> None:
    if gap.state is not None:
        me = context.services.journal.pseudonym(update.effective_user.id)
        await _tell_decided(update, context, GapDecision(False, gap.state, gap.decided_by == me))
        return
    example = summarize(gap.questions).examples[0]
    await context.bot.send_message(
        update.effective_chat.id,
        text("id", "gap_prompt").format(mark=text("id", "gap_prompt_mark"), gap=gap.id, example=escape(example)),
        reply_markup=ForceReply(selective=True, input_field_placeholder="## …"))


async def on_gap_reply(update: Update, context: BotContext) -> None:
    """A Markdown section (or a whole article, or a file) written for a gap: added like an upload, with the
    same checks, and the gap decided as answered by it. If it is not added, the gap stays open."""
    svc = context.services
    message = update.effective_message
    gap_id = _prompted_gap(message)
    await audit(context, update, "gap article", f"gap {gap_id}")
    gap = await asyncio.to_thread(svc.journal.gap, gap_id)
    if gap is None or not gap.questions:
        await reply(update, context, text("id", "gap_missing"))
        return
    if message.document:
        name, data = await downloaded_article(update, context)
        if name is None:
            return
    else:
        article, problem = section_article(message.text, _topics_for(context, gap), date.today())
        if problem:
            await reply(update, context, text("id", f"section_{problem}"))
            return
        folder = svc.kb.knowledge_dir
        name = free_name(folder, _title_of(article) or "", "md") or free_name(folder, f"celah-{gap.id}", "md")
        data = article.encode("utf-8")
    decision = await asyncio.to_thread(svc.journal.decide_gap, gap.id, update.effective_user.id, "article", name)
    if not decision.done:
        await _tell_decided(update, context, decision)
        await reply(update, context, text("id", "gap_article_not_added"))
        return
    if not await publish_file(update, context, name, data):
        await asyncio.to_thread(svc.journal.reopen_gap, gap.id, update.effective_user.id)
        await reply(update, context, text("id", "gap_still_open").format(gap=gap.id))


def _topics_for(context: BotContext, gap: Gap) -> list[str]:
    """A new article's topics, unless the admin names them: those of the article that came closest."""
    snapshot = context.services.kb.snapshot
    passage_id = summarize(gap.questions).best_passage
    passage = snapshot.passage(passage_id) if snapshot and passage_id else None
    topics = snapshot.articles[passage.article].topics if passage else ()
    return [topic for topic in topics if topic not in NOT_TOPICS]


def _title_of(article: str) -> str | None:
    found = re.search(r"^title:\s*(.+?)\s*$", article, re.MULTILINE)
    return found.group(1).strip("\"'") if found else None

