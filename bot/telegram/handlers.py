"""What workers can do: ask, press topic and related-question buttons, rate answers, erase their data."""

from __future__ import annotations

import asyncio
import html
import logging
import re
import sqlite3

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatAction
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.answer import Answer, Decline
from bot.journal import Journal
from bot.render import format_date, split_message, to_html
from bot.telegram.callbacks import FeedbackButton, RelatedButton, TopicButton
from bot.telegram.context import BotContext
from bot.texts import text

logger = logging.getLogger(__name__)

TOPICS = {  # button key -> (label, the question a press asks)
    "ssw": ("SSW / Tokutei Ginou", "Apa itu SSW (Tokutei Ginou) dan apa syaratnya?"),
    "magang": ("Magang", "Apa itu program magang ke Jepang (TITP) dan bagaimana cara ikut?"),
    "bpvp": ("Pelatihan BPVP", "Apa itu BPVP dan bagaimana cara daftar pelatihannya?"),
    "safety": ("Tips aman & anti penipuan", "Apa tanda-tanda penipuan kerja ke Jepang?"),
}
BUTTON_LABEL_CHARS = 60  # a related question's heading on a button: longer ones are cut on a phone anyway


class _AddressedToBot(filters.MessageFilter):
    """Group messages meant for the bot: a mention of it, or a reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied and replied.from_user and replied.from_user.id == bot.id:
            return True
        return f"@{bot.username}".lower() in (message.text or "").lower()


# New messages only: an edit of an answered question is not asked again, and channel posts are not questions.
NEW_MESSAGE = filters.UpdateType.MESSAGE
QUESTION = NEW_MESSAGE & filters.TEXT & ~filters.COMMAND & (filters.ChatType.PRIVATE | _AddressedToBot())


def topic_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=TopicButton(key).pack())]
                                 for key, (label, _) in TOPICS.items()])


async def on_start(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(text("id", "welcome"), reply_markup=topic_keyboard())


async def on_help(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(text("id", "help"))


async def on_topics(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(text("id", "choose_topic"), reply_markup=topic_keyboard())


async def on_sources(update: Update, context: BotContext) -> None:
    """What the bot knows and how current it is: a worker should be able to judge that."""
    snapshot = context.services.kb.snapshot
    if snapshot is None:
        await update.effective_message.reply_text(text("id", "not_ready"))
        return
    articles = sorted(snapshot.articles.values(), key=lambda a: a.title)
    lines = [f"• {html.escape(a.title)} (per {format_date(a.as_of, 'id')})" for a in articles]
    header = text("id", "sources_header").format(articles=len(articles), passages=snapshot.manifest.passages)
    for chunk in split_message(header + "\n" + "\n".join(lines)):
        await update.effective_message.reply_text(chunk)


def without_mention(message_text: str, username: str | None) -> str:
    """The question without the @mention that addressed it, in whatever letter case it was typed."""
    if not username:
        return message_text
    return re.sub(rf"@{re.escape(username)}\b", " ", message_text, flags=re.IGNORECASE)


async def on_question(update: Update, context: BotContext) -> None:
    await answer_user(update, context, without_mention(update.effective_message.text, context.bot.username))


async def answer_user(update: Update, context: BotContext, question: str) -> None:
    """The one answer path for typed questions and buttons: the pipeline, the reply with sources, the journal."""
    svc = context.services
    chat = update.effective_chat
    user = update.effective_user
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    result = await svc.lane.ask(question)
    question_id = None
    if not (isinstance(result, Decline) and result.reason == "empty"):  # nothing was asked: nothing to keep
        question_id = await _recorded(svc.journal, user.id if user else 0, result)
    chunks = split_message(to_html(result))
    keyboard = _answer_keyboard(result, question_id)
    # Quote a typed question, so quick successive questions each visibly get their own answer.
    quoted = None if update.callback_query else ReplyParameters(update.effective_message.message_id,
                                                                 allow_sending_without_reply=True)
    for i, chunk in enumerate(chunks):
        await context.bot.send_message(chat.id, chunk, reply_parameters=quoted if i == 0 else None,
                                       reply_markup=keyboard if i == len(chunks) - 1 else None)


async def _recorded(journal: Journal, user_id: int, result: Answer | Decline) -> int | None:
    """The question's journal id, or None if the journal failed (a full disk, a lock held too long, a corrupt
    file): the answer goes out anyway, only without 👍/👎, which need the id. Failures are counted for /stats."""
    try:
        return await asyncio.to_thread(
            journal.record_question, user_id, result.question, lang=result.lang, answered=result.answered,
            passage_ids=[hit.passage.id for hit in result.hits], topics=result.topics)
    except sqlite3.Error as error:
        logger.warning("Answering without the journal: the question was not recorded (%s)", error)
        return None


def _answer_keyboard(result: Answer | Decline, question_id: int | None) -> InlineKeyboardMarkup | None:
    """Related questions (by passage id: stable, and short enough for callback data) and 👍/👎."""
    rows = [[InlineKeyboardButton(p.section[:BUTTON_LABEL_CHARS], callback_data=RelatedButton(p.id).pack())]
            for p in result.related]
    if result.answered and question_id is not None:
        rows.append([InlineKeyboardButton("👍", callback_data=FeedbackButton(question_id, 1).pack()),
                     InlineKeyboardButton("👎", callback_data=FeedbackButton(question_id, -1).pack())])
    return InlineKeyboardMarkup(rows) if rows else None


async def on_topic_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    await query.answer()  # Telegram clients show a spinner until a callback query is answered
    topic = TOPICS.get(TopicButton.parse(query.data).key)
    if topic:
        await answer_user(update, context, topic[1])


async def on_related_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    await query.answer()
    snapshot = context.services.kb.snapshot
    passage = snapshot.passage(RelatedButton.parse(query.data).passage_id) if snapshot else None
    if passage is None:  # the article changed since the button was sent
        await context.bot.send_message(update.effective_chat.id, text("id", "gone"))
        return
    await answer_user(update, context, passage.section)


async def on_feedback(update: Update, context: BotContext) -> None:
    """Answered first, like every button: the spinner stops even if the journal then fails. Only the asker's
    rating is stored (the journal checks), but every press is thanked: the id alone does not tell whose it is."""
    query = update.callback_query
    await query.answer(text("id", "thanks"))
    button = FeedbackButton.parse(query.data)
    try:
        await asyncio.to_thread(context.services.journal.record_feedback, button.question_id,
                                update.effective_user.id, button.value)
    except sqlite3.Error as error:
        logger.warning("A rating was not recorded (%s)", error)


async def on_forget_me(update: Update, context: BotContext) -> None:
    rows = await asyncio.to_thread(context.services.journal.forget_user, update.effective_user.id)
    await update.effective_message.reply_text(text("id", "forgotten").format(rows=rows))


async def on_non_text(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(text("id", "text_only"))


async def on_unknown_command(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(text("id", "unknown_command"))


def worker_handlers() -> list:
    return [
        CommandHandler("start", on_start),
        CommandHandler("help", on_help),
        CommandHandler("topik", on_topics),
        CommandHandler("sumber", on_sources),
        CommandHandler("hapus", on_forget_me),
        CallbackQueryHandler(on_topic_button, pattern=TopicButton.pattern()),
        CallbackQueryHandler(on_related_button, pattern=RelatedButton.pattern()),
        CallbackQueryHandler(on_feedback, pattern=FeedbackButton.pattern()),
        MessageHandler(QUESTION, on_question),
        MessageHandler(NEW_MESSAGE & filters.ChatType.PRIVATE & filters.COMMAND, on_unknown_command),
        MessageHandler(
            NEW_MESSAGE & filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.Document.ALL & ~filters.StatusUpdate.ALL,
            on_non_text,
        ),
    ]
