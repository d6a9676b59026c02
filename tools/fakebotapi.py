"""A fake Telegram Bot API server for end-to-end tests.

Why: the e2e tests run the real, unmodified python-telegram-bot ``Application`` over real
HTTP (loopback only); only the server on the other end is fake. It speaks just enough of
the Bot API for our bot, answers in Telegram's JSON shapes and error conventions, records
every call, lets tests script users ("Sari says ...") and can inject faults (429, 5xx,
timeouts, dropped connections, malformed JSON) to test robustness.

    async with FakeBotAPI() as api:
        app = api.app_builder().build()            # token + base_url + base_file_url
        ...start app and polling...
        sari = api.user(42, first_name="Sari", language_code="id")
        question = await sari.says("kak syarat magang apa?")
        reply = await api.wait_for_reply(question)  # SentMessage: Message dict + .params

Webhooks: once the bot has called setWebhook and the test has said where "the reverse proxy" forwards to
(``api.deliver_webhooks(["http://127.0.0.1:8001/hook", ...])``, loopback only), every update is POSTed to
those URLs in turn with the secret token header, at most ``max_connections`` at once, and delivered again
(to the next URL) after a non-2xx answer, a dropped connection or ``timeout`` seconds without an answer,
as Telegram does. ``api.deliveries`` records every attempt.

Realism that tests may trip over (on purpose, Telegram does it too): sending to an unknown
chat fails with "chat not found" (declare users/groups first); HTML ``parse_mode`` is
validated and the returned ``text`` is the plain text the user sees (raw text is in
``.params``); editing without changes fails with "message is not modified"; in groups
with ``privacy_mode`` only commands, @mentions and replies to the bot are delivered; a getUpdates while
another is waiting ends the waiting one with 409 Conflict, and getUpdates while a webhook is set is a 409.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import mimetypes
import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Callable

import aiohttp
from aiohttp import web

TOKEN = "7000000001:FAKE-tanya-jepang-token"
LONG_POLL_CAP = 1.0  # seconds; keeps getUpdates short so PTB's updater stops fast
MAX_TEXT = 4096
MAX_DOWNLOAD = 20 * 2**20
# PTB sends str values verbatim and everything else JSON-encoded, so a text "123" and
# an int 123 look identical on the wire. These Bot API String params are never decoded.
_STRING_PARAMS = frozenset(
    "text caption parse_mode callback_query_id file_id inline_message_id url secret_token action "
    "language_code business_connection_id emoji message_effect_id title description question "
    "name short_description query".split()
)
_HTML_TAGS = frozenset(
    "b strong i em u ins s strike del span tg-spoiler a code pre blockquote tg-emoji".split()
)
_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"(?<!\S)(/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?|@[A-Za-z0-9_]{5,32})")
_FAULT_TEXT = {
    400: "Bad Request: fake fault",
    403: "Forbidden: bot was blocked by the user",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


def _u16(text: str) -> int:
    """Telegram measures offsets and lengths in UTF-16 code units (emoji count as 2)."""
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    """Raised by a method handler to answer like Telegram does: JSON error + HTTP status."""

    def __init__(self, status: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters

    def response(self) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return web.json_response(body, status=self.status)


@dataclass
class Call:
    """One request the bot made. ``fault`` names the injected fault that answered it."""

    method: str
    params: dict[str, Any]
    time: float
    fault: str | None = None
    status: int | None = None  # None while in flight, 0 for a dropped connection
    result: Any = None


@dataclass
class Delivery:
    """One attempt to deliver an update to a webhook URL. ``status`` is the HTTP status, or "timeout" or
    "error" (connection refused or dropped)."""

    update_id: int
    url: str
    started: float
    status: int | str | None = None
    finished: float | None = None


@dataclass
class Upload:
    """A file part of a multipart/form-data request (how PTB uploads files)."""

    filename: str | None
    mime_type: str | None
    data: bytes


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None

    def info(self) -> dict:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_size": len(self.data)}


class SentMessage(dict):
    """A Message dict as the fake returned it to the bot; ``.params`` are the raw request
    parameters (parse_mode, the un-rendered HTML text, reply_markup, ...)."""

    def __init__(self, message: dict, params: dict):
        super().__init__(message)
        self.params = params


class _TelegramHTML(HTMLParser):
    """Validates Telegram-flavoured HTML the way the server does and collects the plain text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.open: list[str] = []
        self.error: str | None = None

    def fail(self, why: str) -> None:
        self.error = self.error or why

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in _HTML_TAGS:
            self.fail(f'Unsupported start tag "{tag}"')
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.fail(f'Unexpected end tag "{tag}"')
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self.fail("Unexpected '<': escape it as &lt;")
        self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in _HTML_ENTITIES:
            self.fail(f'Unsupported HTML entity "&{name};"')
        self.parts.append(_HTML_ENTITIES.get(name, ""))

    def handle_charref(self, name: str) -> None:
        self.parts.append(chr(int(name[1:], 16) if name[:1] in "xX" else int(name)))


def _render(text: Any, parse_mode: Any) -> str:
    """The text the user would see, or the 400 Telegram would answer."""
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if str(parse_mode).upper() == "HTML":
        parser = _TelegramHTML()
        parser.feed(text)
        parser.close()
        if parser.open:
            parser.fail(f'Can\'t find end tag corresponding to start tag "{parser.open[-1]}"')
        if parser.error:
            raise ApiError(400, f"Bad Request: can't parse entities: {parser.error}")
        text = "".join(parser.parts)
    if _u16(text) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    return text


def _image_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height from its header; JPEGs pass unmeasured; anything else is refused as Telegram
    refuses it."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:2] == b"\xff\xd8":
        return 0, 0
    raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")


def _entities(text: str) -> list[dict]:
    """Auto entities like Telegram's client adds: bot_command (incl. /cmd@Bot) and mention."""
    return [
        {"type": "bot_command" if m[0][0] == "/" else "mention",
         "offset": _u16(text[: m.start()]), "length": _u16(m[0])}
        for m in _ENTITY_RE.finditer(text)
    ]


def _inline(markup: Any) -> dict | None:
    """Only inline keyboards appear on a Message (reply keyboards live on the client)."""
    return markup if isinstance(markup, dict) and "inline_keyboard" in markup else None


def _decode(key: str, value: Any) -> Any:
    if hasattr(value, "file"):  # aiohttp FileField from a multipart body
        return Upload(value.filename, value.content_type, value.file.read())
    if key in _STRING_PARAMS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # e.g. chat_id="@channelname"


@dataclass
class _Fault:
    method: str
    kind: str
    times: int
    opts: dict


class FakeBotAPI:
    """The server. Use as ``async with FakeBotAPI() as api`` or ``await api.start()/stop()``."""

    def __init__(self, token: str = TOKEN, username: str = "TanyaJepangBot",
                 first_name: str = "Tanya Jepang", privacy_mode: bool = True):
        self.token = token
        self.privacy_mode = privacy_mode
        self.bot_user = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": first_name,
                         "username": username}
        self.calls: list[Call] = []
        self.updates: list[dict] = []  # every update ever queued, delivered or not
        self.chats: dict[int, dict] = {}
        self.messages: dict[tuple[int, int], dict] = {}  # current state, by (chat_id, message_id)
        self.files: dict[str, StoredFile] = {}
        self.commands: dict[tuple[str, str], list] = {}  # (scope json, language_code) -> commands
        self.port = 0
        self._sent: list[SentMessage] = []
        self._pending: list[dict] = []
        self._faults: list[_Fault] = []
        self.storms: dict[int, int] = {}  # chat id -> retry_after: every sendMessage to that chat gets a 429
        self._queries: set[str] = set()
        self._update_ids, self._message_ids = itertools.count(1000), itertools.count(1)
        self._file_ids, self._query_ids = itertools.count(1), itertools.count(1)
        self._changed = asyncio.Condition()  # notified on every call and queued update
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.webhook: dict[str, Any] | None = None  # setWebhook's parameters while one is set
        self.webhook_targets: list[str] = []
        self.webhook_timeout = 10.0
        self.redeliver_after = 0.5
        self.deliveries: list[Delivery] = []
        self._targets = itertools.count()
        self._delivering: dict[int, asyncio.Task] = {}
        self._connections: asyncio.Semaphore | None = None
        self._session: aiohttp.ClientSession | None = None
        self._polls = 0  # getUpdates calls so far: a newer one ends a waiting one
        self._methods = {n[5:].replace("_", ""): getattr(self, n) for n in dir(self)
                         if n.startswith("_api_")}

    # ---- lifecycle ---------------------------------------------------------------------
    async def start(self) -> FakeBotAPI:
        app = web.Application(client_max_size=64 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.*}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False,
                                     shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Wakes long-polls and injected timeouts first, so nothing holds shutdown up."""
        self._closing.set()
        await self._notify()
        for task in list(self._delivering.values()):
            task.cancel()
        await asyncio.gather(*self._delivering.values(), return_exceptions=True)
        if self._session:
            await self._session.close()
            self._session = None
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def app_builder(self):  # -> telegram.ext.ApplicationBuilder
        from telegram.ext import ApplicationBuilder

        return (ApplicationBuilder().token(self.token).base_url(self.base_url)
                .base_file_url(self.base_file_url))

    # ---- inspection ----------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent (sendMessage, sendDocument, sendPhoto), in order, as sent (pre-edit)."""
        return [m for m in self._sent if chat_id is None or m["chat"]["id"] == chat_id]

    @property
    def pending_updates(self) -> list[dict]:
        """Updates queued but not yet acknowledged by a getUpdates ``offset``."""
        return list(self._pending)

    def replies_to(self, message: dict) -> list[SentMessage]:
        """Bot messages in ``message``'s chat sent after it (message ids only grow)."""
        return [m for m in self.sent_messages(message["chat"]["id"])
                if m["message_id"] > message["message_id"]]

    async def wait_for_reply(self, message: dict, timeout: float = 5.0) -> SentMessage:
        return (await self.wait_for(lambda api: api.replies_to(message), timeout))[0]

    async def wait_for(self, predicate: Callable[[FakeBotAPI], Any], timeout: float = 5.0) -> Any:
        """Wait until ``predicate(api)`` is truthy (re-checked on every call/update) and
        return its value; on timeout fail with a dump of the recent calls."""
        try:
            async with asyncio.timeout(timeout), self._changed:
                return await self._changed.wait_for(lambda: predicate(self))
        except TimeoutError:
            raise AssertionError(f"wait_for timed out after {timeout}s. {self.dump()}") from None

    def dump(self, last: int = 15) -> str:
        calls = [c for c in self.calls if c.method != "getUpdates"][-last:]
        lines = [f"  {c.method} status={c.status} fault={c.fault} {c.params!r:.300}" for c in calls]
        return "Recent calls (getUpdates omitted):\n" + ("\n".join(lines) or "  (none)")

    # ---- scripting -------------------------------------------------------------------------
    def inject_fault(self, method: str, kind: str, times: int = 1, **opts: Any) -> None:
        """Answer the next ``times`` calls of ``method`` ("*" = any, getUpdates included)
        with a fault instead; faults are consumed in the order they were injected.
        kind: an HTTP status such as "429" (opts retry_after=1), "403", "500", "502"
        (opts description=...); "timeout" (answer normally after opts delay=10.0 seconds, or at
        ``time.monotonic()`` opts until=, to hold a call back until then);
        "drop" (close the connection, no response); "malformed" (200 + non-JSON body)."""
        if not (kind.isdigit() or kind in ("timeout", "drop", "malformed")):
            raise ValueError(f"unknown fault kind {kind!r}")
        self._faults.append(_Fault(method.lower(), kind, times, opts))

    def user(self, user_id: int, first_name: str = "Sari", **fields: Any) -> FakeUser:
        data = {"id": user_id, "is_bot": False, "first_name": first_name, **fields}
        names = {k: v for k, v in data.items() if k in ("first_name", "last_name", "username")}
        self.chats[user_id] = {"id": user_id, "type": "private", **names}
        return FakeUser(self, data)

    def group(self, chat_id: int, title: str = "Grup", **fields: Any) -> dict:
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        self.chats[chat_id] = {"id": chat_id, "type": kind, "title": title, **fields}
        return self.chats[chat_id]

    async def channel_post(self, chat_id: int, text: str, title: str = "Kanal") -> dict:
        chat = self.chats.setdefault(chat_id, {"id": chat_id, "type": "channel", "title": title})
        msg = self._message(chat, None, text=text, sender_chat=chat, entities=_entities(text))
        await self.push_update("channel_post", msg)
        return msg

    async def push_update(self, kind: str, payload: dict) -> dict:
        """Queue a raw update (e.g. "my_chat_member") for the bot's next getUpdates, or its webhook."""
        update = {"update_id": next(self._update_ids), kind: payload}
        self.updates.append(update)
        self._pending.append(update)
        self._deliver_pending()
        await self._notify()
        return update

    # ---- webhooks ----------------------------------------------------------------------------------
    def deliver_webhooks(self, targets: list[str], timeout: float = 10.0, redeliver_after: float = 0.5) -> None:
        """Where the webhook's updates go once the bot has set one: these URLs in turn (the reverse proxy in
        front of the bot's replicas). A delivery not answered 2xx within ``timeout`` is made again after
        ``redeliver_after`` seconds to the next URL."""
        for url in targets:
            host = re.match(r"^http://([^/:]+)", url)
            if not host or host[1] not in ("127.0.0.1", "localhost"):
                raise ValueError(f"webhook targets must be http://127.0.0.1 URLs, not {url!r}")
        self.webhook_targets = list(targets)
        self.webhook_timeout, self.redeliver_after = timeout, redeliver_after
        self._deliver_pending()

    def _deliver_pending(self) -> None:
        if not (self.webhook and self.webhook_targets) or self._closing.is_set():
            return
        if self._session is None:
            self._session = aiohttp.ClientSession()  # trust_env is off: no proxy between us and loopback
            self._connections = asyncio.Semaphore(int(self.webhook.get("max_connections") or 40))
        for update in self._pending:
            if update["update_id"] not in self._delivering:
                self._delivering[update["update_id"]] = asyncio.create_task(self._deliver(update))

    async def _deliver(self, update: dict) -> None:
        """Until one attempt is answered 2xx, or the webhook is deleted."""
        try:
            while self.webhook and not self._closing.is_set():
                targets = self.webhook_targets
                attempt = Delivery(update["update_id"], targets[next(self._targets) % len(targets)], time.monotonic())
                self.deliveries.append(attempt)
                headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token") or ""}
                async with self._connections:
                    try:
                        async with self._session.post(attempt.url, json=update, headers=headers,
                                                      timeout=aiohttp.ClientTimeout(total=self.webhook_timeout)) as response:
                            attempt.status = response.status
                    except TimeoutError:
                        attempt.status = "timeout"
                    except aiohttp.ClientError:
                        attempt.status = "error"
                attempt.finished = time.monotonic()
                await self._notify()
                if isinstance(attempt.status, int) and 200 <= attempt.status < 300:
                    self._pending = [u for u in self._pending if u is not update]
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), self.redeliver_after)
        finally:
            self._delivering.pop(update["update_id"], None)

    def add_file(self, data: bytes, file_name: str | None = None, mime_type: str | None = None,
                 folder: str = "documents") -> StoredFile:
        """Register bytes so that getFile + download (``/file/bot<token>/<path>``) serve them."""
        n = next(self._file_ids)
        suffix = "." + file_name.rsplit(".", 1)[1] if file_name and "." in file_name else ""
        stored = StoredFile(f"fake-{folder}-{n}", f"uniq{n}", f"{folder}/file_{n}{suffix}",
                            data, file_name, mime_type)
        self.files[stored.file_id] = stored
        return stored

    def _message(self, chat: dict, sender: dict | None, **content: Any) -> dict:
        msg = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": dict(chat)}
        if sender is not None:
            msg["from"] = dict(sender)
        msg.update({k: v for k, v in content.items() if v not in (None, [])})
        self.messages[(chat["id"], msg["message_id"])] = msg
        return msg

    def _delivered(self, msg: dict) -> bool:
        """Group privacy mode: only commands, @mentions and replies to the bot get through."""
        if msg["chat"]["type"] not in ("group", "supergroup") or not self.privacy_mode:
            return True
        me, text = self.bot_user["username"].lower(), msg.get("text", "").lower()
        replied = msg.get("reply_to_message", {}).get("from", {}).get("id") == self.bot_user["id"]
        command = re.match(r"/\w+(@\w+)?", text)
        return replied or f"@{me}" in text or bool(command and command[1] in (None, f"@{me}"))

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ---- HTTP --------------------------------------------------------------------------------
    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        if request.method == "GET":
            raw: Any = request.query
        elif request.content_type == "application/json":
            raw = await request.json() if await request.read() else {}
        else:  # PTB: x-www-form-urlencoded, or multipart/form-data when uploading
            raw = await request.post()
        params = {k: _decode(k, v) for k, v in raw.items()}
        if isinstance(params.get("chat_id"), str) and params["chat_id"].lstrip("-").isdigit():
            params["chat_id"] = int(params["chat_id"])
        return params

    def _take_fault(self, method: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method in ("*", method.lower()):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        call = Call(request.match_info["method"], {}, time.monotonic())
        self.calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            call.params = await self._read_params(request)
            await self._notify()
            return await self._answer(request, call)
        except ApiError as err:
            call.status = err.status
            return err.response()
        except Exception as err:  # a bug in the fake: say so loudly, in Telegram's format
            logging.getLogger(__name__).exception("fake Bot API crashed on %s", call.method)
            call.status = 500
            return ApiError(500, f"fake crashed: {err!r}").response()
        finally:
            await self._notify()

    async def _answer(self, request: web.Request, call: Call) -> web.StreamResponse:
        retry_after = self.storms.get(call.params.get("chat_id"))
        if retry_after and call.method.lower() == "sendmessage":  # one chat flooded past Telegram's limit
            call.fault = "429"
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
        fault = self._take_fault(call.method)
        if fault:
            call.fault = fault.kind
            if fault.kind == "drop":
                return self._drop(request, call)
            if fault.kind == "malformed":
                call.status = 200
                return web.Response(text=fault.opts.get("body", "<html>502 Bad Gateway</html>"),
                                    content_type="text/html")
            if fault.kind == "timeout":
                delay = fault.opts.get("delay", 10.0)
                if "until" in fault.opts:
                    delay = max(0.0, fault.opts["until"] - time.monotonic())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), delay)
                if self._closing.is_set():
                    return self._drop(request, call)
                # ...then really perform it: a client timeout doesn't mean Telegram didn't act
            else:
                status, retry_after = int(fault.kind), fault.opts.get("retry_after", 1)
                text = fault.opts.get("description", _FAULT_TEXT.get(status, "fake fault"))
                raise ApiError(status, text.format(retry_after=retry_after),
                               {"retry_after": retry_after} if status == 429 else None)
        handler = self._methods.get(call.method.lower())
        if handler is None:
            raise ApiError(404, f"fake: {call.method} not implemented")
        call.result = await handler(call.params)
        call.status = 200
        return web.json_response({"ok": True, "result": call.result})

    @staticmethod
    def _drop(request: web.Request, call: Call) -> web.Response:
        call.status = 0
        if request.transport:
            request.transport.close()  # aiohttp then silently discards the response below
        return web.Response()

    async def _handle_file(self, request: web.Request) -> web.Response:
        found = [f for f in self.files.values() if f.file_path == request.match_info["path"]]
        if request.match_info["token"] != self.token or not found:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"},
                                     status=404)
        return web.Response(body=found[0].data, content_type="application/octet-stream")

    # ---- Bot API methods: _api_<snake_case> serves <camelCase> (matched case-insensitively) ---
    def _chat(self, chat_id: Any) -> dict:
        chat = self.chats.get(chat_id) or next(
            (c for c in self.chats.values() if f"@{c.get('username')}" == chat_id), None)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _own_message(self, p: dict, action: str = "edit") -> dict:
        msg = self.messages.get((p.get("chat_id"), p.get("message_id")))
        if msg is None:
            raise ApiError(400, f"Bad Request: message to {action} not found")
        if msg.get("from", {}).get("id") != self.bot_user["id"] and action == "edit":
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    def _edit(self, msg: dict, **changes: Any) -> dict:
        new = {k: v for k, v in {**msg, **changes}.items() if v is not None}
        if all(new.get(k) == msg.get(k) for k in ("text", "caption", "reply_markup")):
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        new["edit_date"] = int(time.time())
        self.messages[(msg["chat"]["id"], msg["message_id"])] = new
        return new

    def _send(self, p: dict, **content: Any) -> SentMessage:
        chat = self._chat(p.get("chat_id"))
        reply_id = (p.get("reply_parameters") or {}).get("message_id")
        replied = self.messages.get((chat["id"], reply_id))
        msg = self._message(chat, self.bot_user, **content, reply_markup=_inline(p.get("reply_markup")),
                            reply_to_message={k: v for k, v in replied.items()
                                              if k != "reply_to_message"} if replied else None)
        self._sent.append(SentMessage(msg, p))
        return msg

    async def _api_get_me(self, p: dict) -> dict:
        return {**self.bot_user, "can_join_groups": True,
                "can_read_all_group_messages": not self.privacy_mode,
                "supports_inline_queries": False, "can_connect_to_business": False,
                "has_main_web_app": False}

    async def _api_get_updates(self, p: dict) -> list[dict]:
        """Long poll: ``offset`` acknowledges older updates; waits at most LONG_POLL_CAP. A newer getUpdates
        ends this one with 409, as Telegram ends the older of two pollers' requests."""
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        self._polls += 1
        mine = self._polls
        if p.get("offset"):
            self._pending = [u for u in self._pending if u["update_id"] >= p["offset"]]
        await self._notify()  # wakes a waiting poll, which finds it was overtaken
        wait = min(float(p.get("timeout") or 0), LONG_POLL_CAP)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait), self._changed:
                await self._changed.wait_for(
                    lambda: self._pending or self._closing.is_set() or self._polls != mine)
        if self._polls != mine and not self._closing.is_set():
            raise ApiError(409, _FAULT_TEXT[409])
        return self._pending[: int(p.get("limit") or 100)]

    async def _api_set_webhook(self, p: dict) -> bool:
        if not str(p.get("url", "")).startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = dict(p)
        self._deliver_pending()
        return True

    async def _api_delete_webhook(self, p: dict) -> bool:
        self.webhook = None
        if p.get("drop_pending_updates"):
            self._pending = []
        return True

    async def _api_get_webhook_info(self, p: dict) -> dict:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._pending)}

    async def _api_send_message(self, p: dict) -> dict:
        return self._send(p, text=_render(p.get("text"), p.get("parse_mode")))

    async def _api_send_document(self, p: dict) -> dict:
        doc = p.get("document")
        if isinstance(doc, Upload):
            doc = self.add_file(doc.data, doc.filename, doc.mime_type).file_id
        if doc not in self.files:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        stored = self.files[doc]
        caption = _render(p["caption"], p.get("parse_mode")) if p.get("caption") else None
        return self._send(p, caption=caption, document={
            **stored.info(), "file_name": stored.file_name, "mime_type": stored.mime_type})

    async def _api_send_photo(self, p: dict) -> dict:
        """Like Telegram, only an image is accepted; a PNG's PhotoSize has its real dimensions."""
        photo = p.get("photo")
        if isinstance(photo, Upload):
            width, height = _image_size(photo.data)
            photo = self.add_file(photo.data, photo.filename or "photo.png", photo.mime_type, folder="photos").file_id
        elif photo in self.files:
            width, height = _image_size(self.files[photo].data)
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        caption = _render(p["caption"], p.get("parse_mode")) if p.get("caption") else None
        return self._send(p, caption=caption, photo=[{**self.files[photo].info(), "width": width, "height": height}])

    async def _api_edit_message_text(self, p: dict) -> dict | bool:
        if "inline_message_id" in p:
            return True
        msg = self._own_message(p)
        return self._edit(msg, text=_render(p.get("text"), p.get("parse_mode")),
                          reply_markup=_inline(p.get("reply_markup")))

    async def _api_edit_message_reply_markup(self, p: dict) -> dict | bool:
        if "inline_message_id" in p:
            return True
        return self._edit(self._own_message(p), reply_markup=_inline(p.get("reply_markup")))

    async def _api_delete_message(self, p: dict) -> bool:
        msg = self._own_message(p, "delete")
        del self.messages[(msg["chat"]["id"], msg["message_id"])]
        return True

    async def _api_send_chat_action(self, p: dict) -> bool:
        self._chat(p.get("chat_id"))
        return True

    async def _api_answer_callback_query(self, p: dict) -> bool:
        if p.get("callback_query_id") not in self._queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                                "or query ID is invalid")
        return True

    def _commands_key(self, p: dict) -> tuple[str, str]:
        scope = p.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), p.get("language_code") or ""

    async def _api_set_my_commands(self, p: dict) -> bool:
        self.commands[self._commands_key(p)] = p.get("commands") or []
        return True

    async def _api_get_my_commands(self, p: dict) -> list:
        return self.commands.get(self._commands_key(p), [])

    async def _api_delete_my_commands(self, p: dict) -> bool:
        self.commands.pop(self._commands_key(p), None)
        return True

    async def _api_get_file(self, p: dict) -> dict:
        stored = self.files.get(p.get("file_id"))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        # Relative path: PTB's get_file prefixes it with base_file_url + token.
        return {**stored.info(), "file_path": stored.file_path}

    async def _ok(self, p: dict) -> bool:
        return True

    _api_close = _api_log_out = _ok


class FakeUser:
    """A Telegram user talking to the bot; every action queues the update Telegram would send.
    Each returns the message (or callback query) dict so tests can reply to / press on it."""

    def __init__(self, api: FakeBotAPI, data: dict):
        self.api, self.data, self.id = api, data, data["id"]

    @property
    def chat(self) -> dict:
        return self.api.chats[self.id]

    async def _post(self, chat: dict | None, **content: Any) -> dict:
        msg = self.api._message(chat or self.chat, self.data, **content)
        if self.api._delivered(msg):
            await self.api.push_update("message", msg)
        return msg

    async def says(self, text: str, *, chat: dict | None = None, reply_to: dict | None = None,
                   entities: list[dict] | None = None) -> dict:
        """Text message; bot_command/mention entities are computed unless given."""
        replied = {k: v for k, v in reply_to.items() if k != "reply_to_message"} if reply_to else None
        return await self._post(chat, text=text, reply_to_message=replied,
                                entities=_entities(text) if entities is None else entities)

    async def presses(self, message: dict, button: str) -> dict:
        """Press the inline button whose callback_data or label is ``button`` on ``message``
        (as it is now, after any edits). Forged data: use ``api.push_update`` directly."""
        current = self.api.messages.get((message["chat"]["id"], message["message_id"]), message)
        rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
        buttons = [b for row in rows for b in row if "callback_data" in b]
        match = [b for b in buttons if button in (b["callback_data"], b["text"])]
        assert match, f"no button {button!r} on message {current['message_id']}: {buttons}"
        query = {"id": str(next(self.api._query_ids)), "from": self.data,
                 "chat_instance": f"ci{current['chat']['id']}", "message": dict(current),
                 "data": match[0]["callback_data"]}
        self.api._queries.add(query["id"])
        await self.api.push_update("callback_query", query)
        return query

    async def uploads(self, file_name: str, data: bytes, mime_type: str | None = None, *,
                      caption: str | None = None, chat: dict | None = None, reply_to: dict | None = None) -> dict:
        mime_type = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        stored = self.api.add_file(data, file_name, mime_type)
        replied = {k: v for k, v in reply_to.items() if k != "reply_to_message"} if reply_to else None
        return await self._post(chat, caption=caption, reply_to_message=replied, document={
            **stored.info(), "file_name": file_name, "mime_type": mime_type})

    async def sends_photo(self, data: bytes = b"\xff\xd8fakejpeg", *, caption: str | None = None,
                          chat: dict | None = None) -> dict:
        stored = self.api.add_file(data, "photo.jpg", "image/jpeg", folder="photos")
        return await self._post(chat, caption=caption,
                                photo=[{**stored.info(), "width": 320, "height": 240}])

    async def sends_sticker(self, emoji: str = "👍", *, chat: dict | None = None) -> dict:
        stored = self.api.add_file(b"RIFFfakewebp", "sticker.webp", "image/webp", "stickers")
        return await self._post(chat, sticker={**stored.info(), "type": "regular", "width": 512,
                                               "height": 512, "is_animated": False,
                                               "is_video": False, "emoji": emoji})

    async def sends_voice(self, data: bytes = b"OggSfakeopus", duration: int = 3, *,
                          chat: dict | None = None) -> dict:
        stored = self.api.add_file(data, "voice.oga", "audio/ogg", folder="voice")
        return await self._post(chat, voice={**stored.info(), "duration": duration,
                                             "mime_type": "audio/ogg"})

    async def edits(self, message: dict, new_text: str) -> dict:
        key = (message["chat"]["id"], message["message_id"])
        edited = {**self.api.messages.get(key, message), "text": new_text,
                  "entities": _entities(new_text), "edit_date": int(time.time())}
        if not edited["entities"]:
            del edited["entities"]
        self.api.messages[key] = edited
        if self.api._delivered(edited):
            await self.api.push_update("edited_message", edited)
        return edited
