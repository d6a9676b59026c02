"""What workers can do: ask (and follow up), press topic and related-question buttons, rate answers, choose a
language, erase their data. The route finder's dialogue is in route_dialogue.py."""

from __future__ import annotations

import asyncio
import html
import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.answer import Answer, Decline, Reply
from bot.conversation import LANGUAGES, understood_text
from bot.journal import DatabaseError, Journal
from bot.render import format_date, split_message, to_html
from bot.route_finder import next_step
from bot.telegram.callbacks import FeedbackButton, LanguageButton, RelatedButton, RouteStart, TopicButton
from bot.telegram.context import BotContext
from bot.texts import text
from knowledge.text import written_language

logger = logging.getLogger(__name__)

TOPICS = ("ssw", "magang", "bpvp", "safety")  # button keys; texts "topic_<key>" and "topic_<key>_question"
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


def speaker(update: Update) -> tuple[int, int]:
    """Whose conversation an update belongs to: (chat, user). In a group each worker has their own."""
    chat, user = update.effective_chat, update.effective_user
    return chat.id, user.id if user else chat.id


def lang_of(update: Update, context: BotContext) -> str:
    """The language the worker reads the bot's frame in (bot/conversation.py: Languages)."""
    return context.services.languages.of(speaker(update)[1])


def topic_keyboard(lang: str, route_button: bool = False) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(text(lang, f"topic_{key}"), callback_data=TopicButton(key).pack())]
            for key in TOPICS]
    if route_button:
        rows.append([InlineKeyboardButton(text(lang, "route_button"), callback_data=RouteStart().pack())])
    return InlineKeyboardMarkup(rows)


async def close_route(context: BotContext, chat_id: int, user_id: int) -> None:
    """End a route finder in progress, if any: forget its answers and take its keyboard away, so an old button
    cannot bring it back by surprise."""
    progress = context.services.memory.route(chat_id, user_id)
    context.services.memory.set_route(chat_id, user_id, None)
    if progress and progress.message_id and next_step(progress.answers) is not None:
        await take_keyboard_away(context, chat_id, progress.message_id)


async def take_keyboard_away(context: BotContext, chat_id: int, message_id: int) -> None:
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as error:  # deleted, too old, or already without one: nothing left to take away
        logger.debug("Keyboard not removed: %s", error)


async def on_start(update: Update, context: BotContext) -> None:
    """A fresh start: the questions before are forgotten, and any route finder in progress ends."""
    chat_id, user_id = speaker(update)
    context.services.memory.start_afresh(chat_id, user_id)
    await close_route(context, chat_id, user_id)
    lang = lang_of(update, context)
    await update.effective_message.reply_text(text(lang, "welcome"), reply_markup=topic_keyboard(lang, True))


async def on_help(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(text(lang_of(update, context), "help"))


async def on_topics(update: Update, context: BotContext) -> None:
    lang = lang_of(update, context)
    await update.effective_message.reply_text(text(lang, "choose_topic"), reply_markup=topic_keyboard(lang))


async def on_sources(update: Update, context: BotContext) -> None:
    """What the bot knows and how current it is: a worker should be able to judge that."""
    snapshot = context.services.kb.snapshot
    lang = lang_of(update, context)
    if snapshot is None:
        await update.effective_message.reply_text(text(lang, "not_ready"))
        return
    articles = sorted(snapshot.articles.values(), key=lambda a: a.title)
    when = text(lang, "as_of")
    lines = [f"• {html.escape(a.title)} ({when.format(date=format_date(a.as_of, lang))})" for a in articles]
    header = text(lang, "sources_header").format(articles=len(articles), passages=snapshot.manifest.passages)
    for chunk in split_message(header + "\n" + "\n".join(lines)):
        await update.effective_message.reply_text(chunk)


def without_mention(message_text: str, username: str | None) -> str:
    """The question without the @mention that addressed it, in whatever letter case it was typed."""
    if not username:
        return message_text
    return re.sub(rf"@{re.escape(username)}\b", " ", message_text, flags=re.IGNORECASE)


async def on_question(update: Update, context: BotContext) -> None:
    question = without_mention(update.effective_message.text, context.bot.username)
    context.services.languages.wrote(speaker(update)[1], written_language(question))  # the worker's language
    await answer_user(update, context, question)


async def answer_user(update: Update, context: BotContext, question: str) -> None:
    """The one answer path for typed questions and buttons: the pipeline (with the worker's question before
    this one, for follow-ups), the reply with sources, the journal."""
    svc = context.services
    chat = update.effective_chat
    user = update.effective_user
    chat_id, user_id = speaker(update)
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    result = await svc.lane.ask(question, svc.memory.previous(chat_id, user_id))
    question_id = None
    if not (isinstance(result, Decline) and result.reason == "empty"):  # nothing was asked: nothing to keep
        svc.memory.remember(chat_id, user_id, understood_text(result))  # the context of the next question
        question_id = await _recorded(svc.journal, user.id if user else 0, result)
    chunks = split_message(to_html(result))
    keyboard = _answer_keyboard(result, question_id)
    # Quote a typed question, so quick successive questions each visibly get their own answer.
    quoted = None if update.callback_query else ReplyParameters(update.effective_message.message_id,
                                                                 allow_sending_without_reply=True)
    for i, chunk in enumerate(chunks):
        await context.bot.send_message(chat.id, chunk, reply_parameters=quoted if i == 0 else None,
                                       reply_markup=keyboard if i == len(chunks) - 1 else None)


async def _recorded(journal: Journal, user_id: int, result: Answer | Decline | Reply) -> int | None:
    """The question's journal id, or None if the journal failed (a full disk, a lock held too long, a corrupt
    file): the answer goes out anyway, only without 👍/👎, which need the id. Failures are counted for /stats."""
    try:
        return await asyncio.to_thread(
            journal.record_question, user_id, result.question, lang=result.lang, answered=result.answered,
            passage_ids=[hit.passage.id for hit in result.hits], topics=result.topics, **gap_fields(result))
    except DatabaseError as error:
        logger.warning("Answering without the journal: the question was not recorded (%s)", error)
        return None


def gap_fields(result: Answer | Decline | Reply) -> dict:
    """What an admin's /gaps and /artikel read of an answer: why (a part of) it was declined, the best passage
    found for that part and how much of it that passage covered, and the articles the answer quoted."""
    parts = result.parts if isinstance(result, Reply) else (result,)
    declined = [part for part in parts if not part.answered]
    focus = declined[0] if declined else parts[0]
    best = focus.hits[0] if focus.hits else None
    return {
        "reason": declined[0].reason if declined else None,
        "best_passage": best.passage.id if best else None,
        "best_coverage": round(best.confidence, 3) if best else None,
        "articles": list(dict.fromkeys(hit.passage.article for part in parts if part.answered for hit in part.hits)),
    }


def _answer_keyboard(result: Answer | Decline | Reply, question_id: int | None) -> InlineKeyboardMarkup | None:
    """Related questions (by passage id: stable, and short enough for callback data) and 👍/👎."""
    rows = [[InlineKeyboardButton(p.section[:BUTTON_LABEL_CHARS], callback_data=RelatedButton(p.id).pack())]
            for p in result.related]
    if result.answered and question_id is not None:
        rows.append([InlineKeyboardButton("👍", callback_data=FeedbackButton(question_id, 1).pack()),
                     InlineKeyboardButton("👎", callback_data=FeedbackButton(question_id, -1).pack())])
    return InlineKeyboardMarkup(rows) if rows else None


async def on_topic_button(update: Update, context: BotContext) -> None:
    """A topic starts afresh: the question it asks follows up nothing."""
    query = update.callback_query
    await query.answer()  # Telegram clients show a spinner until a callback query is answered
    key = TopicButton.parse(query.data).key
    if key in TOPICS:
        context.services.memory.start_afresh(*speaker(update))
        await answer_user(update, context, text(lang_of(update, context), f"topic_{key}_question"))


async def on_related_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    await query.answer()
    snapshot = context.services.kb.snapshot
    passage = snapshot.passage(RelatedButton.parse(query.data).passage_id) if snapshot else None
    if passage is None:  # the article changed since the button was sent
        await context.bot.send_message(update.effective_chat.id, text(lang_of(update, context), "gone"))
        return
    await answer_user(update, context, passage.section)


async def on_feedback(update: Update, context: BotContext) -> None:
    """Answered first, like every button: the spinner stops even if the journal then fails. Only the asker's
    rating is stored (the journal checks), but every press is thanked: the id alone does not tell whose it is."""
    query = update.callback_query
    await query.answer(text(lang_of(update, context), "thanks"))
    button = FeedbackButton.parse(query.data)
    try:
        await asyncio.to_thread(context.services.journal.record_feedback, button.question_id,
                                update.effective_user.id, button.value)
    except DatabaseError as error:
        logger.warning("A rating was not recorded (%s)", error)


async def on_forget_me(update: Update, context: BotContext) -> None:
    """Everything about the worker: the journal, every conversation in memory (ending any route finder, and
    taking its keyboard away) and the language chosen; the reply is the last thing in their language."""
    svc, user_id = context.services, update.effective_user.id
    lang = lang_of(update, context)
    rows = await asyncio.to_thread(svc.journal.forget_user, user_id)
    for chat_id, progress in svc.memory.forget_user(user_id):
        if progress.message_id and next_step(progress.answers) is not None:
            await take_keyboard_away(context, chat_id, progress.message_id)
    svc.languages.forget(user_id)
    await update.effective_message.reply_text(text(lang, "forgotten").format(rows=rows))


async def on_language(update: Update, context: BotContext) -> None:
    """/bahasa en, /bahasa id, or /bahasa alone for buttons."""
    choice = (context.args or [""])[0].lower()[:2]
    if choice in LANGUAGES:
        await _choose_language(update, context, choice)
        return
    lang = lang_of(update, context)
    buttons = [[InlineKeyboardButton(text(lang, f"language_{choice}"), callback_data=LanguageButton(choice).pack())
                for choice in LANGUAGES]]
    await update.effective_message.reply_text(text(lang, "language_choose"),
                                              reply_markup=InlineKeyboardMarkup(buttons))


async def on_language_button(update: Update, context: BotContext) -> None:
    await update.callback_query.answer()
    await _choose_language(update, context, LanguageButton.parse(update.callback_query.data).lang)


async def _choose_language(update: Update, context: BotContext, lang: str) -> None:
    context.services.languages.choose(speaker(update)[1], lang)
    await context.bot.send_message(update.effective_chat.id, text(lang, "language_set"))


async def on_non_text(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(text(lang_of(update, context), "text_only"))


async def on_unknown_command(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(text(lang_of(update, context), "unknown_command"))


def worker_handlers() -> list:
    return [
        CommandHandler("start", on_start),
        CommandHandler("help", on_help),
        CommandHandler("topik", on_topics),
        CommandHandler("sumber", on_sources),
        CommandHandler("hapus", on_forget_me),
        CommandHandler("bahasa", on_language),
        CallbackQueryHandler(on_language_button, pattern=LanguageButton.pattern()),
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
