"""Fetching the page of a link an admin sent: HTML only, bounded in size and time, every failure named.

Admins are trusted to send pages they mean (any address is fetched, this machine's included); the limits
are there so that a wrong link cannot hold the bot or fill its memory.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

MAX_PAGE_BYTES = 3 * 2**20  # news pages run to 0.2-1.5 MB of HTML with their scripts; an article is never more
FETCH_SECONDS = 20.0  # for the whole fetch, redirects and a slowly dripping body included
MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "Mozilla/5.0 (compatible; TanyaJepangBot/1.0; an admin's link)"


class FetchError(Exception):
    """Why a page could not be had: kind is "dead" (no answer, a refused connection, too slow, not a web
    address), "status" (an HTTP error), "not_html" or "too_big"; detail says more."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail = kind, detail


@dataclass(frozen=True, slots=True)
class Page:
    url: str  # after redirects
    html: bytes


async def fetch_page(url: str) -> Page:
    """The HTML of a web page, or FetchError."""
    try:
        async with asyncio.timeout(FETCH_SECONDS):
            async with httpx.AsyncClient(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=FETCH_SECONDS,
                                         headers={"User-Agent": USER_AGENT}) as client:
                async with client.stream("GET", url) as response:
                    if response.status_code >= 400:
                        raise FetchError("status", str(response.status_code))
                    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    if kind not in HTML_TYPES:
                        raise FetchError("not_html", kind or "?")
                    length = response.headers.get("content-length", "")
                    if length.isdigit() and int(length) > MAX_PAGE_BYTES:
                        raise FetchError("too_big", length)
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > MAX_PAGE_BYTES:
                            raise FetchError("too_big", f"> {MAX_PAGE_BYTES}")
                    return Page(str(response.url), bytes(body))
    except TimeoutError:
        raise FetchError("dead", f"no page within {FETCH_SECONDS:.0f} s") from None
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as error:
        raise FetchError("dead", type(error).__name__) from None
