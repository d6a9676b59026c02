"""The route finder (/jalur) as a Telegram dialogue: one question at a time, answered by buttons.

PTB's ConversationHandler keeps who is in the dialogue, per (chat, user), so two workers in a group each have
their own and free text from someone in the middle of it is answered as a question and the question re-asked.
The answers live in the buttons (bot/route_finder.py) and, while the dialogue runs, in the chat memory: the
memory tells a second press of the same button from a new answer (updates are handled concurrently, so the
conversation's own state is set only after a handler returns), and the buttons let a press after a restart
carry on where the worker was. The handlers stay thin: what fits is decided in bot/route_finder.py.
"""

from __future__ import annotations

import logging
import warnings

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler
from telegram.warnings import PTBUserWarning

from bot.conversation import MEMORY_SECONDS, RouteProgress
from bot.render import split_message
from bot.route_finder import answers_of, evaluate, general_notes, next_step, option_buttons, question_html, result_html
from bot.telegram.callbacks import RouteAnswer, RouteStart, RouteStop
from bot.telegram.context import BotContext
from bot.telegram.handlers import (QUESTION, close_route, lang_of, on_forget_me, on_question, on_start, speaker,
                                   take_keyboard_away)
from bot.texts import text

logger = logging.getLogger(__name__)

ASKING = 1  # the conversation's one state: a question of the route finder is waiting for its answer
END = ConversationHandler.END
BUTTONS_PER_ROW = 2


def _keyboard(lang: str, owner: int, codes: str) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(label, callback_data=RouteAnswer(owner, answers).pack())
               for label, answers in option_buttons(lang, codes)]
    rows = [buttons[i:i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    rows.append([InlineKeyboardButton(text(lang, "route_cancel"), callback_data=RouteStop(owner).pack())])
    return InlineKeyboardMarkup(rows)


async def _ask(update: Update, context: BotContext, codes: str, *, edit: bool) -> int:
    """Show the question after `codes` (in the pressed message, or in a new one) and remember where we are,
    before any await where the message is known, so an update handled meanwhile sees it."""
    chat_id, user_id = speaker(update)
    memory, lang = context.services.memory, lang_of(update, context)
    body, keyboard = question_html(lang, codes), _keyboard(lang, user_id, codes)
    if edit:
        memory.set_route(chat_id, user_id, RouteProgress(codes, update.callback_query.message.message_id))
        if await _edit(update, body, keyboard) is not None:
            return ASKING
    # a typed /jalur or question is quoted: in a group, it shows whose dialogue this is
    typed = None if update.callback_query else ReplyParameters(update.effective_message.message_id,
                                                                 allow_sending_without_reply=True)
    message = await context.bot.send_message(chat_id, body, reply_markup=keyboard, reply_parameters=typed)
    memory.set_route(chat_id, user_id, RouteProgress(codes, message.message_id))
    return ASKING


async def _edit(update: Update, body: str, keyboard: InlineKeyboardMarkup | None) -> int | None:
    """Replace the pressed message; None if Telegram will not (too old, deleted), to send a new one instead."""
    try:
        await update.callback_query.edit_message_text(body, reply_markup=keyboard)
    except BadRequest as error:
        logger.debug("Route finder message not edited: %s", error)
        return None
    return update.callback_query.message.message_id


async def on_route_command(update: Update, context: BotContext) -> int:
    """/jalur: a new route finder (an unfinished one here is closed first)."""
    if context.services.kb.routes is None:
        await update.effective_message.reply_text(text(lang_of(update, context), "route_unavailable"))
        return END
    await close_route(context, *speaker(update))
    return await _ask(update, context, "", edit=False)


async def on_route_start(update: Update, context: BotContext) -> int:
    """The button under /start and under a result: the same as /jalur, for whoever presses it."""
    await update.callback_query.answer()
    return await on_route_command(update, context)


async def on_route_answer(update: Update, context: BotContext) -> int | None:
    """An answer: the next question, or the result after the last. Also an entry point, so a button pressed
    after a restart (or after 30 minutes) carries on from the answers it holds."""
    query = update.callback_query
    button = RouteAnswer.parse(query.data)
    chat_id, user_id = speaker(update)
    memory, lang = context.services.memory, lang_of(update, context)
    if button.owner != user_id:  # someone else's dialogue in a group: tell only the one who pressed
        await query.answer(text(lang, "route_not_yours"), show_alert=True)
        return None
    answers, progress, rules = answers_of(button.answers), memory.route(chat_id, user_id), context.services.kb.routes
    if rules is None:
        await query.answer(text(lang, "route_unavailable"), show_alert=True)
        return END
    if answers is None or (progress and progress.answers == button.answers):
        await query.answer()  # forged or outdated data, or a second press of the same button: nothing to do
        return None
    # Recorded before any await, so a second press of this button, handled meanwhile, sees it.
    memory.set_route(chat_id, user_id, RouteProgress(button.answers, query.message.message_id))
    await query.answer()
    if next_step(button.answers) is not None:
        return await _ask(update, context, button.answers, edit=True)
    verdicts = evaluate(rules, answers, context.services.pipeline.today())
    snapshot = context.services.kb.snapshot
    body = result_html(lang, verdicts, answers, general_notes(rules, answers), snapshot.articles if snapshot else {})
    await _edit(update, question_html(lang, button.answers), None)  # the questions' message keeps the recap only
    chunks = split_message(body)
    again = InlineKeyboardMarkup([[InlineKeyboardButton(text(lang, "route_again"),
                                                        callback_data=RouteStart().pack())]])
    for i, chunk in enumerate(chunks):
        await context.bot.send_message(chat_id, chunk, reply_markup=again if i == len(chunks) - 1 else None)
    return END


async def on_route_stop(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    lang = lang_of(update, context)
    if RouteStop.parse(query.data).owner != speaker(update)[1]:
        await query.answer(text(lang, "route_not_yours"), show_alert=True)
        return None
    await query.answer()
    context.services.memory.set_route(*speaker(update), None)
    if await _edit(update, text(lang, "route_cancelled"), None) is None:
        await take_keyboard_away(context, update.effective_chat.id, query.message.message_id)
    return END


async def on_question_mid_route(update: Update, context: BotContext) -> int | None:
    """Free text in the middle of the route finder is a question: answer it, then ask the pending question
    again below the answer (the old keyboard goes, so only one is live)."""
    await on_question(update, context)
    chat_id, user_id = speaker(update)
    progress = context.services.memory.route(chat_id, user_id)
    if progress is None or next_step(progress.answers) is None:  # forgotten (30 minutes) or already finished
        return END
    if progress.message_id:
        await take_keyboard_away(context, chat_id, progress.message_id)
    return await _ask(update, context, progress.answers, edit=False)


def _ending(callback):
    """A command that also ends the route finder (/start, /hapus): it does its own work, then the dialogue ends."""
    async def ending(update: Update, context: BotContext) -> int:
        await callback(update, context)
        return END
    ending.__name__ = callback.__name__
    return ending


def route_conversation() -> ConversationHandler:
    answer = CallbackQueryHandler(on_route_answer, pattern=RouteAnswer.pattern())
    start = CallbackQueryHandler(on_route_start, pattern=RouteStart.pattern())
    stop = CallbackQueryHandler(on_route_stop, pattern=RouteStop.pattern())
    command = CommandHandler("jalur", on_route_command)
    with warnings.catch_warnings():
        # PTB warns that with per_message=False a button is not tracked per message. We do not need it to be:
        # a dialogue is per (chat, user), and each button names its owner and carries the answers so far.
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[command, start, answer, stop],
            states={ASKING: [answer, MessageHandler(QUESTION, on_question_mid_route)]},
            fallbacks=[command, start, stop, CommandHandler("start", _ending(on_start)),
                       CommandHandler("hapus", _ending(on_forget_me))],
            per_chat=True, per_user=True, conversation_timeout=MEMORY_SECONDS,
        )
