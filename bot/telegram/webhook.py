"""The webhook server of a replica: Telegram (through the reverse proxy) POSTs each update to one of the bot's
processes, and it is answered once.

PTB's own webhook server answers 200 as soon as an update is queued, so an update in a process that dies is
lost. Here the call is answered after the update was handled: a replica killed meanwhile leaves Telegram
without an answer, and Telegram delivers the update again, to a live replica. Claims in the shared database
(bot/replicas.py) keep a second delivery from being handled twice. Tornado serves it: PTB's webhooks extra
installs it already.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import Application

from bot.database import DatabaseError
from bot.replicas import Claim, Replicas

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1 << 20  # an update is a few KB; this is not a file server
RETRY_AFTER_S = 1  # told to Telegram when another replica is still handling the update
HEALTH_PATH = "/healthz"


class WebhookServer:
    def __init__(self, application: Application, replicas: Replicas | None, secret: str, path: str) -> None:
        self.application, self.replicas, self.secret = application, replicas, secret
        self.path = "/" + path.lstrip("/")
        self.in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._server: tornado.httpserver.HTTPServer | None = None

    def listen(self, address: str, port: int) -> None:
        app = tornado.web.Application([(self.path, _UpdateHandler, {"server": self}),
                                       (HEALTH_PATH, _HealthHandler, {"server": self})], log_function=_log_request)
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=MAX_UPDATE_BYTES)
        self._server.listen(port, address)

    async def stop(self, grace_s: float) -> None:
        """Stop taking updates (the proxy sends them to the other replicas), and let those being handled finish
        for up to `grace_s`; any left are delivered again by Telegram."""
        if self._server is None:
            return
        self._server.stop()
        try:
            await asyncio.wait_for(self._idle.wait(), grace_s)
        except TimeoutError:
            logger.warning("Stopping with %d updates unfinished: Telegram will deliver them again", self.in_flight)
        await self._server.close_all_connections()
        self._server = None

    async def handle(self, secret: str | None, body: bytes) -> int:
        """The HTTP status Telegram gets for one delivery."""
        if not hmac.compare_digest((secret or "").encode(), self.secret.encode()):
            return 403  # forged: not from Telegram
        try:
            update = Update.de_json(json.loads(body), self.application.bot)
        except (ValueError, TypeError, KeyError) as error:
            logger.warning("Refused a malformed webhook update: %s", error)
            return 400
        claim = await self._claim(update.update_id)
        if claim is Claim.DONE:
            return 200
        if claim is Claim.BUSY:
            return 503
        self.in_flight += 1
        self._idle.clear()
        try:
            processor = self.application.update_processor  # at most MAX_IN_FLIGHT at once, as when polling
            await processor.process_update(update, self.application.process_update(update))
        finally:
            self.in_flight -= 1
            if not self.in_flight:
                self._idle.set()
            await self._done(update.update_id)
        return 200

    async def _claim(self, update_id: int) -> Claim:
        """Without the database, handle it: a question answered twice is better than one never answered."""
        if self.replicas is None:
            return Claim.MINE
        try:
            return await asyncio.to_thread(self.replicas.claim, update_id)
        except DatabaseError as error:
            logger.warning("Handling update %d unclaimed: the database failed (%s)", update_id, error)
            return Claim.MINE

    async def _done(self, update_id: int) -> None:
        if self.replicas is None:
            return
        try:
            await asyncio.to_thread(self.replicas.done, update_id)
        except DatabaseError as error:
            logger.warning("Update %d handled but not marked done (%s): a re-delivery may repeat it",
                           update_id, error)


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado logs every 5xx as an error; a 503 for an update another replica is handling is routine."""
    status = handler.get_status()
    level = logging.WARNING if status >= 400 and status != 503 else logging.DEBUG
    logger.log(level, "%d %s %s (%.1f ms)", status, handler.request.method, handler.request.path,
               1000 * handler.request.request_time())


class _UpdateHandler(tornado.web.RequestHandler):
    def initialize(self, server: WebhookServer) -> None:
        self.server = server

    async def post(self) -> None:
        status = await self.server.handle(self.request.headers.get(SECRET_HEADER), self.request.body)
        self.set_status(status)
        if status == 503:
            self.set_header("Retry-After", str(RETRY_AFTER_S))

    def check_xsrf_cookie(self) -> None:
        """Telegram posts no cookie; the secret header is the check."""


class _HealthHandler(tornado.web.RequestHandler):
    """For the proxy's health checks and for operators: which replica, which index version, how busy."""

    def initialize(self, server: WebhookServer) -> None:
        self.server = server

    def get(self) -> None:
        kb = self.server.application.bot_data.services.kb
        self.write({"replica": self.server.replicas.name if self.server.replicas else None,
                    "index_version": kb.version, "in_flight": self.server.in_flight})
