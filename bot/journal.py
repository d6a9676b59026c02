"""Journal: what the bot remembers (questions, feedback, admin actions) in SQLite, and nothing more.

One place for the privacy rules: users appear only as keyed-hash pseudonyms, can be forgotten, and old rows expire.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

logger = logging.getLogger(__name__)

KEY_BYTES = 32
BUSY_TIMEOUT_SECONDS = 10.0  # for maintenance: erasing a user, retention, the audit trail
ANSWER_BUSY_SECONDS = 1.0  # on the answer path: a locked journal costs the 👍/👎 buttons, not a 10 s wait
TOP_TOPICS = 5
PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700  # the questions people asked, and the key to who asked them

SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    pseudonym TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    lang TEXT NOT NULL,
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,
    passage_ids TEXT NOT NULL,  -- JSON array
    topics TEXT NOT NULL        -- JSON array
);
CREATE INDEX IF NOT EXISTS questions_pseudonym ON questions (pseudonym);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
CREATE TABLE IF NOT EXISTS feedback (
    question_id INTEGER NOT NULL REFERENCES questions (id),
    pseudonym TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value IN (-1, 1)),
    at TEXT NOT NULL,
    PRIMARY KEY (question_id, pseudonym)
);
CREATE INDEX IF NOT EXISTS feedback_pseudonym ON feedback (pseudonym);
CREATE TABLE IF NOT EXISTS admin_actions (
    id INTEGER PRIMARY KEY,
    pseudonym TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    allowed INTEGER NOT NULL,
    at TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Stats:
    """What /stats shows: counts only, so an admin never sees who asked what."""

    users: int
    questions: int
    answered: int
    declined: int
    thumbs_up: int
    thumbs_down: int
    top_topics: tuple[tuple[str, int], ...]
    since: datetime | None


class Journal:
    """SQLite journal safe to share between worker threads: each thread gets its own connection."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._key = key
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.failed_writes = 0  # since start, shown by /stats: answers go out without the journal

    @classmethod
    def open(cls, data_dir: Path, key: bytes | None = None) -> Journal:
        """Create the folder, key and schema on first use, so a fresh deployment needs no setup step. The key
        comes from the deployment (JOURNAL_KEY, kept apart from backups of the folder) or from journal.key.
        A corrupt journal is set aside, not fatal: answering needs no journal."""
        data_dir.mkdir(parents=True, exist_ok=True)
        _make_private(data_dir, PRIVATE_FOLDER)
        journal = cls(data_dir / "journal.sqlite3", key or _load_or_create_key(data_dir / "journal.key"))
        try:
            journal._create()
        except sqlite3.DatabaseError as error:
            if error.sqlite_errorname not in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
                raise  # locked, full, unreadable: not ours to delete
            journal.close()
            aside = journal.path.with_name(f"{journal.path.name}.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
            logger.error("The journal is corrupt (%s): moved to %s, starting a new one", error, aside.name)
            os.replace(journal.path, aside)
            if Path(f"{journal.path}-wal").exists():
                os.replace(f"{journal.path}-wal", f"{aside}-wal")
            Path(f"{journal.path}-shm").unlink(missing_ok=True)
            journal._create()
        return journal

    def _create(self) -> None:
        """Owner-only files before SQLite writes a byte (its -wal and -shm take the database file's mode)."""
        os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
        for path in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            if path.exists():
                _make_private(path, PRIVATE_FILE)
        self._conn().executescript(SCHEMA)

    def pseudonym(self, user_id: int) -> str:
        """Keyed, so the ids cannot be recovered from the database by hashing every plausible Telegram id."""
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()

    def record_question(self, user_id: int, question: str, *, lang: str, answered: bool,
                        passage_ids: Sequence[str], topics: Sequence[str], at: datetime | None = None) -> int:
        """Return the row id, which the 👍/👎 buttons carry back in their callback data."""
        with self._writing(ANSWER_BUSY_SECONDS) as conn:
            return conn.execute(
                "INSERT INTO questions (pseudonym, asked_at, lang, question, answered, passage_ids, topics)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.pseudonym(user_id), _iso(at), lang, question, int(answered),
                 json.dumps(list(passage_ids), ensure_ascii=False), json.dumps(list(topics), ensure_ascii=False)),
            ).lastrowid

    def record_feedback(self, question_id: int, user_id: int, value: int) -> bool:
        """Only the asker may rate (callback data can be forwarded or forged); a second press replaces the first."""
        if value not in (1, -1):
            raise ValueError(f"feedback must be +1 or -1, not {value!r}")
        pseudonym = self.pseudonym(user_id)
        with self._writing(ANSWER_BUSY_SECONDS) as conn:
            return conn.execute(
                "INSERT INTO feedback (question_id, pseudonym, value, at)"
                " SELECT id, pseudonym, ?, ? FROM questions WHERE id = ? AND pseudonym = ?"
                " ON CONFLICT (question_id, pseudonym) DO UPDATE SET value = excluded.value, at = excluded.at",
                (value, _iso(None), question_id, pseudonym),
            ).rowcount == 1

    def record_admin_action(self, user_id: int, action: str, detail: str = "", *, allowed: bool = True,
                            at: datetime | None = None) -> None:
        """Keep an audit trail, refused attempts included, of who changed what the bot knows."""
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO admin_actions (pseudonym, action, detail, allowed, at) VALUES (?, ?, ?, ?, ?)",
                (self.pseudonym(user_id), action, detail, int(allowed), _iso(at)),
            )

    def forget_user(self, user_id: int) -> int:
        """Honour a request to be forgotten; return how many rows went, so the reply can say so."""
        params = {"p": self.pseudonym(user_id)}
        with self._writing() as conn:
            return sum(conn.execute(sql, params).rowcount for sql in (
                "DELETE FROM feedback WHERE pseudonym = :p"
                " OR question_id IN (SELECT id FROM questions WHERE pseudonym = :p)",
                "DELETE FROM questions WHERE pseudonym = :p",
                "DELETE FROM admin_actions WHERE pseudonym = :p",
            ))

    def purge_questions_older_than(self, days: int, *, now: datetime | None = None) -> int:
        """Retention: questions are personal data, kept only as long as they help improve answers. So are
        ordinary users' refused admin attempts; admins' own actions stay, as the trail of what changed."""
        cutoff = _iso((now or datetime.now(UTC)) - timedelta(days=days))
        with self._writing() as conn:
            conn.execute("DELETE FROM feedback WHERE question_id IN"
                         " (SELECT id FROM questions WHERE asked_at < ?)", (cutoff,))
            conn.execute("DELETE FROM admin_actions WHERE NOT allowed AND at < ?", (cutoff,))
            return conn.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount

    def stats(self, since: datetime | None = None) -> Stats:
        """Count questions asked since `since` (all time if None) and the feedback given on them."""
        window = (_iso(since) if since else "",)  # every ISO string sorts after ""
        conn = self._conn()
        users, questions, answered = conn.execute(
            "SELECT COUNT(DISTINCT pseudonym), COUNT(*), COALESCE(SUM(answered), 0)"
            " FROM questions WHERE asked_at >= ?", window).fetchone()
        thumbs_up, thumbs_down = conn.execute(
            "SELECT COALESCE(SUM(f.value = 1), 0), COALESCE(SUM(f.value = -1), 0)"
            " FROM feedback f JOIN questions q ON q.id = f.question_id WHERE q.asked_at >= ?", window).fetchone()
        top_topics = conn.execute(
            "SELECT t.value, COUNT(DISTINCT q.id) AS n FROM questions q, json_each(q.topics) t"
            " WHERE q.answered AND q.asked_at >= ? GROUP BY t.value ORDER BY n DESC, t.value LIMIT ?",
            (*window, TOP_TOPICS)).fetchall()
        return Stats(users, questions, answered, questions - answered, thumbs_up, thumbs_down,
                     tuple((topic, count) for topic, count in top_topics), since)

    def close(self) -> None:
        """Close every thread's connection; the last one to close folds the WAL back into the database."""
        with self._lock:
            for conn in self._opened:
                conn.close()
            self._opened.clear()

    @contextmanager
    def _writing(self, busy_seconds: float = BUSY_TIMEOUT_SECONDS) -> Iterator[sqlite3.Connection]:
        """One write transaction, waiting at most `busy_seconds` for another writer; a failure is counted."""
        try:
            conn = self._conn()
            conn.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
            with conn:
                yield conn
        except sqlite3.Error:
            with self._lock:
                self.failed_writes += 1
            raise

    def _conn(self) -> sqlite3.Connection:
        """One connection per thread: sqlite3 connections must not be shared by threads running at once."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # check_same_thread=False only so close() may run from another thread; each thread uses its own.
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level="IMMEDIATE",
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL stays consistent; a power cut may lose the last rows
            conn.execute("PRAGMA foreign_keys = ON")
            with self._lock:
                self._opened.append(conn)
            self._local.conn = conn
        return conn


def _load_or_create_key(path: Path) -> bytes:
    """Create the key once, owner-readable only: whoever holds it can test which ids asked what. It is written
    whole under another name first, so a crash cannot leave a partial key; an empty one (left by a crash of
    an older version, before any row was written with it) is replaced."""
    key = path.read_bytes() if path.exists() else None
    if not key:
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE), "wb") as file:
            file.write(secrets.token_bytes(KEY_BYTES))
            file.flush()
            os.fsync(file.fileno())
        try:
            if key is None:
                os.link(temporary, path)  # fails if another process created one meanwhile: that one is used
            else:
                os.replace(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink(missing_ok=True)
        key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise ValueError(f"{path} must hold {KEY_BYTES} bytes, found {len(key)}")
    return key


def _make_private(path: Path, mode: int) -> None:
    try:
        os.chmod(path, mode)
    except OSError as error:  # not ours to change (a mounted volume): say so, and carry on
        logger.warning("Could not restrict %s to mode %o: %s", path, mode, error)


def _iso(at: datetime | None) -> str:
    """UTC with fixed-width microseconds, so stored times compare correctly as strings."""
    if at is None:
        at = datetime.now(UTC)
    elif at.tzinfo is None:
        raise ValueError("journal times must be timezone-aware")
    return at.astimezone(UTC).isoformat(timespec="microseconds")
