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
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
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

# --- #17, the admin loop (/gaps, /artikel, the /stats chart): a separate, additive schema step, applied after
# SCHEMA by _add_admin_loop_schema, so that it ports to a migration as one step. Questions gain why they were
# declined and the best passage found; gaps are the groups /gaps listed, and what an admin decided about them.
ADMIN_LOOP_COLUMNS = (  # added to questions
    ("reason", "TEXT"),  # why it was declined (bot.decision.REASONS); NULL when answered whole
    ("best_passage", "TEXT"),  # the id of the best passage found for it
    ("best_coverage", "REAL"),  # how much of the question that passage covered, 0..1
    ("articles", "TEXT"),  # JSON array: the articles the answer quoted; NULL in rows from before this step
)
ADMIN_LOOP_SCHEMA = """
CREATE TABLE IF NOT EXISTS gaps (
    id INTEGER PRIMARY KEY,
    listing INTEGER NOT NULL,  -- the /gaps run that found it: the id of that run's first gap
    rank INTEGER NOT NULL,     -- 0: the largest of its run
    listed_at TEXT NOT NULL,
    state TEXT,                -- NULL: open; otherwise one of GAP_STATES
    decided_by TEXT,           -- the deciding admin's pseudonym
    decided_at TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS gaps_listing ON gaps (listing, rank);
CREATE TABLE IF NOT EXISTS gap_questions (
    gap_id INTEGER NOT NULL REFERENCES gaps (id),
    question_id INTEGER NOT NULL,  -- no foreign key: retention and /hapus delete questions, not gaps
    PRIMARY KEY (gap_id, question_id)
);
CREATE INDEX IF NOT EXISTS gap_questions_question ON gap_questions (question_id);
"""
GAP_STATES = ("handled", "ignored", "in_scope", "out_of_scope", "article")
# A question declined before the schema step recorded why: "unrecorded", so that /gaps still shows it.
_REASON = "COALESCE(q.reason, CASE WHEN q.answered THEN NULL ELSE 'unrecorded' END)"


@dataclass(frozen=True, slots=True)
class GapQuestion:
    """A question /gaps may show: its text only, never who asked it."""

    id: int
    question: str
    reason: str | None  # None: answered, and rated 👎
    best_passage: str | None
    best_coverage: float | None
    thumbs_down: bool


@dataclass(frozen=True, slots=True)
class Gap:
    id: int
    listing: int
    rank: int
    state: str | None
    decided_by: str | None  # a pseudonym, to tell "you" from "another admin"; never shown
    detail: str
    questions: tuple[GapQuestion, ...]


@dataclass(frozen=True, slots=True)
class GapDecision:
    """The outcome of deciding a gap: done, or why not (already decided, by whom)."""

    done: bool
    state: str | None  # the state the gap, or an overlapping one, now has; None: no such gap
    by_me: bool = False


@dataclass(frozen=True, slots=True)
class Day:
    day: str  # YYYY-MM-DD, UTC
    questions: int
    answered: int
    thumbs_up: int
    thumbs_down: int


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
        self._add_admin_loop_schema()

    def _add_admin_loop_schema(self) -> None:
        """#17's schema step: idempotent, so it runs at every open."""
        conn = self._conn()
        have = {row[1] for row in conn.execute("PRAGMA table_info(questions)")}
        for name, kind in ADMIN_LOOP_COLUMNS:
            if name not in have:
                try:
                    with conn:
                        conn.execute(f"ALTER TABLE questions ADD COLUMN {name} {kind}")  # fixed names, not input
                except sqlite3.OperationalError as error:  # another process (a reindex beside the bot) added it
                    if "duplicate column" not in str(error):
                        raise
        conn.executescript(ADMIN_LOOP_SCHEMA)

    def pseudonym(self, user_id: int) -> str:
        """Keyed, so the ids cannot be recovered from the database by hashing every plausible Telegram id."""
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()

    def record_question(self, user_id: int, question: str, *, lang: str, answered: bool,
                        passage_ids: Sequence[str], topics: Sequence[str], at: datetime | None = None,
                        reason: str | None = None, best_passage: str | None = None,
                        best_coverage: float | None = None, articles: Sequence[str] | None = None) -> int:
        """Return the row id, which the 👍/👎 buttons carry back in their callback data. The decline reason and
        the best passage found are what /gaps shows an admin; the articles quoted, what /artikel counts."""
        with self._writing(ANSWER_BUSY_SECONDS) as conn:
            return conn.execute(
                "INSERT INTO questions (pseudonym, asked_at, lang, question, answered, passage_ids, topics,"
                " reason, best_passage, best_coverage, articles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.pseudonym(user_id), _iso(at), lang, question, int(answered),
                 json.dumps(list(passage_ids), ensure_ascii=False), json.dumps(list(topics), ensure_ascii=False),
                 reason, best_passage, best_coverage,
                 None if articles is None else json.dumps(list(articles), ensure_ascii=False)),
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
            conn.execute("UPDATE gaps SET decided_by = '' WHERE decided_by = :p", params)  # an admin's, if any
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
            removed = conn.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
            # gaps hold no text, only which questions they group: a gap whose questions are all gone goes too
            conn.execute("DELETE FROM gap_questions WHERE question_id NOT IN (SELECT id FROM questions)")
            conn.execute("DELETE FROM gaps WHERE id NOT IN (SELECT gap_id FROM gap_questions)")
            return removed

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

    # --- #17: the admin loop ---------------------------------------------------------------------------

    def gap_candidates(self, since: datetime, limit: int) -> list[GapQuestion]:
        """The newest questions since `since` that were declined (except for having no words) or rated 👎,
        leaving out those in a gap an admin has decided."""
        rows = self._conn().execute(
            f"SELECT q.id, q.question, {_REASON}, q.best_passage, q.best_coverage,"
            " EXISTS (SELECT 1 FROM feedback f WHERE f.question_id = q.id AND f.value = -1) AS down"
            f" FROM questions q WHERE q.asked_at >= ? AND (COALESCE({_REASON}, 'empty') != 'empty' OR down)"
            " AND q.id NOT IN (SELECT gq.question_id FROM gap_questions gq JOIN gaps g ON g.id = gq.gap_id"
            " WHERE g.state IS NOT NULL) ORDER BY q.asked_at DESC, q.id DESC LIMIT ?", (_iso(since), limit)).fetchall()
        return [GapQuestion(id, text, reason, passage, coverage, bool(down))
                for id, text, reason, passage, coverage, down in rows]

    def create_gap_listing(self, groups: Sequence[Sequence[int]], at: datetime | None = None) -> list[int]:
        """Store one /gaps run's groups of question ids, in the order shown; the gaps' ids, which buttons carry."""
        ids: list[int] = []
        with self._writing() as conn:
            for rank, question_ids in enumerate(groups):
                gap_id = conn.execute("INSERT INTO gaps (listing, rank, listed_at) VALUES (?, ?, ?)",
                                      (ids[0] if ids else 0, rank, _iso(at))).lastrowid
                ids.append(gap_id)
                conn.executemany("INSERT INTO gap_questions (gap_id, question_id) VALUES (?, ?)",
                                 [(gap_id, question_id) for question_id in dict.fromkeys(question_ids)])
            if ids:
                conn.execute("UPDATE gaps SET listing = ? WHERE id = ?", (ids[0], ids[0]))
        return ids

    def gap_listing(self, listing: int) -> list[int]:
        """The ids of one /gaps run's gaps, largest first."""
        return [row[0] for row in self._conn().execute(
            "SELECT id FROM gaps WHERE listing = ? ORDER BY rank", (listing,))]

    def gap(self, gap_id: int) -> Gap | None:
        """A gap with the questions it still has (retention and /hapus may have taken some)."""
        conn = self._conn()
        row = conn.execute("SELECT id, listing, rank, state, decided_by, detail FROM gaps WHERE id = ?",
                           (gap_id,)).fetchone()
        if row is None:
            return None
        questions = conn.execute(
            f"SELECT q.id, q.question, {_REASON}, q.best_passage, q.best_coverage,"
            " EXISTS (SELECT 1 FROM feedback f WHERE f.question_id = q.id AND f.value = -1)"
            " FROM gap_questions gq JOIN questions q ON q.id = gq.question_id WHERE gq.gap_id = ? ORDER BY q.id",
            (gap_id,)).fetchall()
        return Gap(*row, tuple(GapQuestion(id, text, reason, passage, coverage, bool(down))
                               for id, text, reason, passage, coverage, down in questions))

    def decide_gap(self, gap_id: int, admin_id: int, state: str, detail: str = "") -> GapDecision:
        """Decide an open gap, in one statement: of two admins deciding at once, or deciding gaps of two /gaps
        runs that share questions, exactly one succeeds; the other learns what was decided, and whether by them."""
        if state not in GAP_STATES:
            raise ValueError(f"unknown gap state {state!r}")
        me = self.pseudonym(admin_id)
        with self._writing() as conn:
            if conn.execute(
                "UPDATE gaps SET state = ?, decided_by = ?, decided_at = ?, detail = ? WHERE id = ? AND state IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM gap_questions mine JOIN gap_questions other"
                " ON other.question_id = mine.question_id JOIN gaps g ON g.id = other.gap_id"
                " WHERE mine.gap_id = gaps.id AND g.state IS NOT NULL)",
                (state, me, _iso(None), detail, gap_id)).rowcount:
                return GapDecision(True, state, True)
            row = conn.execute(
                "SELECT state, decided_by FROM gaps WHERE id = ? AND state IS NOT NULL UNION ALL"
                " SELECT g.state, g.decided_by FROM gap_questions mine JOIN gap_questions other"
                " ON other.question_id = mine.question_id JOIN gaps g ON g.id = other.gap_id"
                " WHERE mine.gap_id = ? AND g.state IS NOT NULL LIMIT 1", (gap_id, gap_id)).fetchone()
        return GapDecision(False, row[0], row[1] == me) if row else GapDecision(False, None)

    def reopen_gap(self, gap_id: int, admin_id: int) -> None:
        """Undo one's own decision whose change could not be made, so that nothing stays half done."""
        with self._writing() as conn:
            conn.execute("UPDATE gaps SET state = NULL, decided_by = NULL, decided_at = NULL, detail = ''"
                         " WHERE id = ? AND decided_by = ?", (gap_id, self.pseudonym(admin_id)))

    def daily(self, since: datetime) -> list[Day]:
        """Questions, answers and ratings per day (UTC) since `since`: the /stats chart's data. Days without
        questions are absent."""
        rows = self._conn().execute(
            "SELECT substr(q.asked_at, 1, 10) AS day, COUNT(*), COALESCE(SUM(q.answered), 0),"
            " COALESCE(SUM(f.up), 0), COALESCE(SUM(f.down), 0) FROM questions q LEFT JOIN"
            " (SELECT question_id, SUM(value = 1) AS up, SUM(value = -1) AS down FROM feedback GROUP BY question_id)"
            " f ON f.question_id = q.id WHERE q.asked_at >= ? GROUP BY day ORDER BY day", (_iso(since),)).fetchall()
        return [Day(*row) for row in rows]

    def answered_per_article(self, since: datetime, article_of: Mapping[str, str]) -> Counter[str]:
        """How many questions since `since` were answered from each article. Rows from before the articles
        were recorded are counted by their passages' articles in `article_of` (passage id -> article)."""
        counts: Counter[str] = Counter()
        for articles, passage_ids in self._conn().execute(
                "SELECT articles, passage_ids FROM questions WHERE answered AND asked_at >= ?", (_iso(since),)):
            slugs = json.loads(articles) if articles is not None else \
                [article_of[p] for p in json.loads(passage_ids) if p in article_of]
            counts.update(set(slugs))
        return counts

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
