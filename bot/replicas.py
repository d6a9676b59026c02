"""Webhook replicas sharing one database: which are alive and what index each serves (heartbeats), and each
update answered by one of them, also when Telegram delivers it again after a webhook call that timed out.

An update is claimed before it is handled and marked done after. A delivery of an update that another live
replica is still handling is refused (Telegram tries again later, and then hears it was done); one whose
replica stopped beating is taken over (after STALE_S; on PostgreSQL after GONE_S if the replica's sessions are
gone as well, as they are at once when its process dies). What this cannot make exactly-once: a replica killed after Telegram
accepted its answer but before it marked the update done — a few milliseconds — is answered again by another.
"""

from __future__ import annotations

import enum
import os
import secrets
import socket
import threading
from datetime import UTC, datetime, timedelta

from bot.database import Database

HEARTBEAT_S = 1.0  # how often a replica says it is alive (and which index version it serves)
STALE_S = 10.0  # a replica not heard from for this long is taken for dead: its unfinished updates are taken over
GONE_S = 3.0  # sooner, on PostgreSQL, if its sessions are gone too: its process died (the server ends them at once)
CLAIM_BUSY_S = 10.0  # the journal's own timeout on these writes: a slow database costs a delivery, not the bot
UPDATES_KEPT = timedelta(days=2)  # Telegram gives up re-delivering an update after a day


class Claim(enum.Enum):
    MINE = "mine"  # handle it
    DONE = "done"  # another delivery of it was handled: acknowledge, do nothing
    BUSY = "busy"  # a live replica is handling it now: Telegram should try again later


def replica_name() -> str:
    """Unique per process start: a restarted container has the same host name and pid, not the same claims. At
    most 55 characters: PostgreSQL keeps 63 of a session's application_name."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def _now(at: datetime | None = None) -> str:
    return (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")


class Replicas:
    def __init__(self, db: Database, name: str | None = None) -> None:
        self.db = db
        self.name = name or replica_name()
        db.session_name = self.name  # so the others see whether this process is still connected
        self._lock = threading.Lock()  # a heartbeat in flight must not bring back a replica that has left
        self._left = False

    def heartbeat(self, index_version: str | None, now: datetime | None = None) -> int:
        """Say this replica is alive and serves `index_version`; returns how many replicas are alive (itself
        included), so each can take its share of what Telegram lets the bot send."""
        at = _now(now)
        with self._lock, self.db.transaction(CLAIM_BUSY_S) as tx:
            if self._left:
                return 0
            tx.execute("INSERT INTO replicas (name, started_at, seen_at, index_version) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (name) DO UPDATE SET seen_at = excluded.seen_at,"
                       " index_version = excluded.index_version", (self.name, at, at, index_version))
            return tx.execute(f"SELECT COUNT(*) FROM replicas WHERE {self._alive}", self._alive_at(now)).fetchone()[0]

    def live(self, now: datetime | None = None) -> dict[str, str | None]:
        """Replica name → the index version it serves, for every replica heard from lately."""
        with self.db.transaction(CLAIM_BUSY_S, write=False) as tx:
            return dict(tx.execute(f"SELECT name, index_version FROM replicas WHERE {self._alive} ORDER BY name",
                                   self._alive_at(now)).fetchall())

    def leave(self) -> None:
        """A clean stop: the updates it did not finish are taken over at once, not after STALE_S."""
        with self._lock, self.db.transaction(CLAIM_BUSY_S) as tx:
            self._left = True
            tx.execute("DELETE FROM replicas WHERE name = ?", (self.name,))

    def claim(self, update_id: int, now: datetime | None = None) -> Claim:
        with self.db.transaction(CLAIM_BUSY_S) as tx:
            mine = tx.execute(
                "INSERT INTO updates (update_id, replica, claimed_at, done) VALUES (?, ?, ?, 0)"
                " ON CONFLICT (update_id) DO UPDATE SET replica = excluded.replica, claimed_at = excluded.claimed_at"
                " WHERE updates.done = 0"
                f" AND updates.replica NOT IN (SELECT name FROM replicas WHERE {self._alive})"
                " RETURNING update_id", (update_id, self.name, _now(now), *self._alive_at(now))).fetchone()
            if mine:
                return Claim.MINE
            done = tx.execute("SELECT done FROM updates WHERE update_id = ?", (update_id,)).fetchone()
        return Claim.DONE if done and done[0] else Claim.BUSY

    def done(self, update_id: int) -> None:
        with self.db.transaction(CLAIM_BUSY_S) as tx:
            tx.execute("UPDATE updates SET done = 1 WHERE update_id = ?", (update_id,))

    def purge(self, now: datetime | None = None) -> int:
        """Forget updates Telegram will not deliver again, and replicas long gone."""
        cutoff = _now((now or datetime.now(UTC)) - UPDATES_KEPT)
        with self.db.transaction(CLAIM_BUSY_S) as tx:
            tx.execute("DELETE FROM replicas WHERE seen_at < ?", (cutoff,))
            return tx.execute("DELETE FROM updates WHERE claimed_at < ?", (cutoff,)).rowcount

    @property
    def _alive(self) -> str:
        """A condition on `replicas`: heard from within STALE_S, and within GONE_S or still connected."""
        return f"seen_at >= ? AND (seen_at >= ? OR {self.db.connected('name')})"

    @staticmethod
    def _alive_at(now: datetime | None) -> tuple[str, str]:
        at = now or datetime.now(UTC)
        return _now(at - timedelta(seconds=STALE_S)), _now(at - timedelta(seconds=GONE_S))
