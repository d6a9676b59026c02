"""What workers can do: ask, press topic and related-question buttons, rate answers, erase their data."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatAction
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.answer import prepare_question
from bot.limits import Verdict
from bot.render import format_date, split_message, to_html
from bot.services import Services, services

logger = logging.getLogger(__name__)

TOPICS = {  # button key -> (label, the question a press asks)
    "ssw": ("SSW / Tokutei Ginou", "Apa itu SSW (Tokutei Ginou) dan apa syaratnya?"),
    "magang": ("Magang", "Apa itu program magang ke Jepang (TITP) dan bagaimana cara ikut?"),
    "bpvp": ("Pelatihan BPVP", "Apa itu BPVP dan bagaimana cara daftar pelatihannya?"),
    "safety": ("Tips aman & anti penipuan", "Apa tanda-tanda penipuan kerja ke Jepang?"),
}

WELCOME = (
    "Halo! Saya <b>Tanya Jepang</b>. Saya menjawab pertanyaan soal kerja di Jepang: SSW (Tokutei Ginou), "
    "magang (TITP, IM Japan, Ikusei Shūrō) dan pelatihan di BPVP (dulu BLK).\n\n"
    "Jawaban saya diambil dari artikel yang sudah diperiksa, selalu dengan sumber dan tanggalnya. Saya bukan "
    "agen dan tidak bisa mendaftarkan Anda; kalau saya tidak tahu, saya bilang dan tunjukkan tempat bertanya.\n\n"
    "Tulis pertanyaan Anda, atau pilih topik:"
)
HELP = (
    "Cukup tulis pertanyaan, misalnya <i>syarat magang jepang apa aja?</i>\n\n"
    "/topik — pilih topik\n/sumber — isi basis pengetahuan dan tanggalnya\n"
    "/hapus — hapus semua data Anda yang tersimpan\n\n"
    "Di grup, sebut saya (@nama_bot) atau balas pesan saya."
)
TEXT_ONLY = "Maaf, saya hanya bisa membaca pesan teks. Silakan tulis pertanyaan Anda. 🙏"
THANKS = "Terima kasih atas penilaiannya!"
FORGOTTEN = "Semua data Anda yang tersimpan di bot ini sudah dihapus ({rows} catatan)."
GONE = "Maaf, pertanyaan itu sudah tidak tersedia. Silakan tulis pertanyaan Anda."
EMPTY = "Silakan tulis pertanyaan Anda dengan kata-kata, misalnya: syarat SSW apa saja?"
SORRY = "Maaf, terjadi gangguan. Silakan coba lagi sebentar lagi."
SLOW_DOWN = "Pelan-pelan ya 🙏 Saya menjawab satu per satu. Tunggu sebentar, lalu kirim pertanyaan berikutnya."
UNKNOWN_COMMAND = "Perintah itu tidak saya kenal. Lihat /help, atau langsung tulis pertanyaan Anda."


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
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"topic:{key}")]
                                 for key, (label, _) in TOPICS.items()])


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(WELCOME, reply_markup=topic_keyboard())


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(HELP)


async def on_topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text("Pilih topik:", reply_markup=topic_keyboard())


async def on_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot knows and how current it is: a worker should be able to judge that."""
    snapshot = services(context).kb.snapshot
    if snapshot is None:
        await update.effective_message.reply_text("Basis pengetahuan belum siap.")
        return
    from html import escape

    articles = sorted(snapshot.articles.values(), key=lambda a: a.title)
    lines = [f"• {escape(a.title)} (per {format_date(a.as_of, 'id')})" for a in articles]
    header = f"Saya menjawab dari {len(articles)} artikel ({snapshot.manifest.passages} bagian):"
    for chunk in split_message(header + "\n" + "\n".join(lines)):
        await update.effective_message.reply_text(chunk)


async def on_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    text = message.text
    if context.bot.username:
        text = text.replace(f"@{context.bot.username}", " ")
    await answer_user(update, context, text)


async def answer_user(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """The one answer path for typed questions and buttons: search, reply with sources, journal."""
    svc = services(context)
    chat = update.effective_chat
    user = update.effective_user
    verdict = svc.limiter.check(user.id if user else chat.id)
    if verdict is not Verdict.ALLOWED:
        if verdict is Verdict.LIMITED_NOTIFY:
            await context.bot.send_message(chat.id, SLOW_DOWN)
        return
    question = prepare_question(question)
    if not any(ch.isalnum() for ch in question):
        await context.bot.send_message(chat.id, EMPTY)
        return
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    result = await svc.asker.ask(question)
    question_id = await asyncio.to_thread(
        svc.journal.record_question, user.id if user else 0, question, lang=result.lang, answered=result.answered,
        passage_ids=[hit.passage.id for hit in result.hits], topics=result.topics,
    )
    chunks = split_message(to_html(result))
    keyboard = _answer_keyboard(result, question_id)
    # Quote a typed question, so quick successive questions each visibly get their own answer.
    quoted = None if update.callback_query else ReplyParameters(update.effective_message.message_id,
                                                                 allow_sending_without_reply=True)
    for i, chunk in enumerate(chunks):
        await context.bot.send_message(chat.id, chunk, reply_parameters=quoted if i == 0 else None,
                                       reply_markup=keyboard if i == len(chunks) - 1 else None)


def _answer_keyboard(result, question_id: int) -> InlineKeyboardMarkup:
    """Related questions (by passage id: stable, and short enough for callback data) and 👍/👎."""
    rows = [[InlineKeyboardButton(p.section[:60], callback_data=f"rel:{p.id}")] for p in result.related]
    if result.answered:
        rows.append([InlineKeyboardButton("👍", callback_data=f"fb:{question_id}:1"),
                     InlineKeyboardButton("👎", callback_data=f"fb:{question_id}:-1")])
    return InlineKeyboardMarkup(rows)


async def on_topic_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()  # Telegram clients show a spinner until a callback query is answered
    topic = TOPICS.get(query.data.split(":", 1)[1])
    if topic:
        await answer_user(update, context, topic[1])


async def on_related_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    passage_id = query.data.split(":", 1)[1]
    snapshot = services(context).kb.snapshot
    passage = next((p for p in snapshot.passages if p.id == passage_id), None) if snapshot else None
    if passage is None:  # the article changed since the button was sent
        await context.bot.send_message(update.effective_chat.id, GONE)
        return
    await answer_user(update, context, passage.section)


async def on_feedback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    _, question_id, value = query.data.split(":")
    stored = await asyncio.to_thread(
        services(context).journal.record_feedback, int(question_id), update.effective_user.id, int(value)
    )
    await query.answer(THANKS if stored else None)


async def on_forget_me(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rows = await asyncio.to_thread(services(context).journal.forget_user, update.effective_user.id)
    await update.effective_message.reply_text(FORGOTTEN.format(rows=rows))


async def on_non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(TEXT_ONLY)


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(UNKNOWN_COMMAND)


def worker_handlers() -> list:
    return [
        CommandHandler("start", on_start),
        CommandHandler("help", on_help),
        CommandHandler("topik", on_topics),
        CommandHandler("sumber", on_sources),
        CommandHandler("hapus", on_forget_me),
        CallbackQueryHandler(on_topic_button, pattern=r"^topic:"),
        CallbackQueryHandler(on_related_button, pattern=r"^rel:[0-9a-f]+$"),
        CallbackQueryHandler(on_feedback, pattern=r"^fb:\d+:-?1$"),
        MessageHandler(QUESTION, on_question),
        MessageHandler(NEW_MESSAGE & filters.ChatType.PRIVATE & filters.COMMAND, on_unknown_command),
        MessageHandler(
            NEW_MESSAGE & filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.Document.ALL & ~filters.StatusUpdate.ALL,
            on_non_text,
        ),
    ]
