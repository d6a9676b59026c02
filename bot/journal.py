"""Journal: what the bot remembers (questions, feedback, admin actions), and nothing more, in the database of
bot/database.py (SQLite by default, PostgreSQL shared by replicas).

One place for the privacy rules: users appear only as keyed-hash pseudonyms, can be forgotten, and old rows expire.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.database import PRIVATE_FILE, Database, DatabaseError, Transaction, make_private

logger = logging.getLogger(__name__)

KEY_BYTES = 32
BUSY_TIMEOUT_SECONDS = 10.0  # for maintenance: erasing a user, retention, the audit trail
ANSWER_BUSY_SECONDS = 1.0  # on the answer path: a locked journal costs the 👍/👎 buttons, not a 10 s wait
TOP_TOPICS = 5
PRIVATE_FOLDER = 0o700  # the questions people asked, and the key to who asked them
JOURNAL_FILE = "journal.sqlite3"

__all__ = ["DatabaseError", "Day", "Gap", "GapDecision", "GapQuestion", "Journal", "Stats"]

GAP_STATES = ("handled", "ignored", "in_scope", "out_of_scope", "article")
# A question declined before the journal recorded why (bot/schema.py, step 4): "unrecorded", so /gaps still shows it.
_REASON = "COALESCE(q.reason, CASE WHEN q.answered = 1 THEN NULL ELSE 'unrecorded' END)"
_THUMBS_DOWN = "EXISTS (SELECT 1 FROM feedback f WHERE f.question_id = q.id AND f.value = -1)"


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
    """Safe to share between worker threads (the database gives each thread its own connection). Every method
    fails with DatabaseError only, whichever database is behind it."""

    def __init__(self, db: Database, key: bytes) -> None:
        self.db = db
        self._key = key
        self._lock = threading.Lock()
        self.failed_writes = 0  # since start, shown by /stats: answers go out without the journal

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None on PostgreSQL."""
        return self.db.path

    @classmethod
    def open(cls, data_dir: Path, key: bytes | None = None, url: str | None = None) -> Journal:
        """Create the folder, key and schema on first use, so a fresh deployment needs no setup step; an existing
        journal is migrated in place. The key comes from the deployment (JOURNAL_KEY, kept apart from backups)
        or from journal.key. A corrupt SQLite journal is set aside, not fatal: answering needs no journal."""
        data_dir.mkdir(parents=True, exist_ok=True)
        make_private(data_dir, PRIVATE_FOLDER)
        key = key or _load_or_create_key(data_dir / "journal.key")
        journal = cls(Database.open(url, data_dir / JOURNAL_FILE), key)
        try:
            journal._check_key()
        except BaseException:
            journal.close()
            raise
        return journal

    def _check_key(self) -> None:
        """Pseudonyms made with two keys cannot be matched (/hapus would miss rows): a replica or a restart with
        another key than the one this journal was written with refuses to start."""
        fingerprint = hmac.new(self._key, b"tanya-jepang journal key check", hashlib.sha256).hexdigest()
        with self.db.transaction(BUSY_TIMEOUT_SECONDS) as tx:
            row = tx.execute("SELECT fingerprint FROM journal_key").fetchone()
            if row is None:
                tx.execute("INSERT INTO journal_key (fingerprint) VALUES (?)", (fingerprint,))
            elif row[0] != fingerprint:
                raise ValueError(f"the journal in {self.db.where} was written with another key: set JOURNAL_KEY "
                                 "(or journal.key) to the key it was written with, the same on every replica")

    def pseudonym(self, user_id: int) -> str:
        """Keyed, so the ids cannot be recovered from the database by hashing every plausible Telegram id."""
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()

    def record_question(self, user_id: int, question: str, *, lang: str, answered: bool,
                        passage_ids: Sequence[str], topics: Sequence[str], at: datetime | None = None,
                        reason: str | None = None, best_passage: str | None = None,
                        best_coverage: float | None = None, articles: Sequence[str] | None = None) -> int:
        """Return the row id, which the 👍/👎 buttons carry back in their callback data. The decline reason and
        the best passage found are what /gaps shows an admin; the articles quoted, what /artikel counts."""
        with self._writing(ANSWER_BUSY_SECONDS) as tx:
            return tx.execute(
                "INSERT INTO questions (pseudonym, asked_at, lang, question, answered, passage_ids, topics,"
                " reason, best_passage, best_coverage, articles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (self.pseudonym(user_id), _iso(at), lang, question, int(answered),
                 json.dumps(list(passage_ids), ensure_ascii=False), json.dumps(list(topics), ensure_ascii=False),
                 reason, best_passage, best_coverage,
                 None if articles is None else json.dumps(list(articles), ensure_ascii=False)),
            ).fetchone()[0]

    def record_feedback(self, question_id: int, user_id: int, value: int) -> bool:
        """Only the asker may rate (callback data can be forwarded or forged); a second press replaces the first."""
        if value not in (1, -1):
            raise ValueError(f"feedback must be +1 or -1, not {value!r}")
        pseudonym = self.pseudonym(user_id)
        with self._writing(ANSWER_BUSY_SECONDS) as tx:
            return tx.execute(
                "INSERT INTO feedback (question_id, pseudonym, value, at)"
                " SELECT id, pseudonym, ?, ? FROM questions WHERE id = ? AND pseudonym = ?"
                " ON CONFLICT (question_id, pseudonym) DO UPDATE SET value = excluded.value, at = excluded.at",
                (value, _iso(None), question_id, pseudonym),
            ).rowcount == 1

    def record_admin_action(self, user_id: int, action: str, detail: str = "", *, allowed: bool = True,
                            at: datetime | None = None) -> None:
        """Keep an audit trail, refused attempts included, of who changed what the bot knows."""
        with self._writing() as tx:
            tx.execute(
                "INSERT INTO admin_actions (pseudonym, action, detail, allowed, at) VALUES (?, ?, ?, ?, ?)",
                (self.pseudonym(user_id), action, detail, int(allowed), _iso(at)),
            )

    def forget_user(self, user_id: int) -> int:
        """Honour a request to be forgotten; return how many rows went, so the reply can say so."""
        p = self.pseudonym(user_id)
        with self._writing() as tx:
            tx.execute("UPDATE gaps SET decided_by = '' WHERE decided_by = ?", (p,))  # an admin's, if any
            return sum(tx.execute(sql, params).rowcount for sql, params in (
                ("DELETE FROM feedback WHERE pseudonym = ?"
                 " OR question_id IN (SELECT id FROM questions WHERE pseudonym = ?)", (p, p)),
                ("DELETE FROM questions WHERE pseudonym = ?", (p,)),
                ("DELETE FROM admin_actions WHERE pseudonym = ?", (p,)),
            ))

    def purge_questions_older_than(self, days: int, *, now: datetime | None = None) -> int:
        """Retention: questions are personal data, kept only as long as they help improve answers. So are
        ordinary users' refused admin attempts; admins' own actions stay, as the trail of what changed."""
        cutoff = _iso((now or datetime.now(UTC)) - timedelta(days=days))
        with self._writing() as tx:
            tx.execute("DELETE FROM feedback WHERE question_id IN"
                       " (SELECT id FROM questions WHERE asked_at < ?)", (cutoff,))
            tx.execute("DELETE FROM admin_actions WHERE allowed = 0 AND at < ?", (cutoff,))
            removed = tx.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
            # gaps hold no text, only which questions they group: a gap whose questions are all gone goes too
            tx.execute("DELETE FROM gap_questions WHERE question_id NOT IN (SELECT id FROM questions)")
            tx.execute("DELETE FROM gaps WHERE id NOT IN (SELECT gap_id FROM gap_questions)")
            return removed

    def stats(self, since: datetime | None = None) -> Stats:
        """Count questions asked since `since` (all time if None) and the feedback given on them."""
        window = (_iso(since) if since else "",)  # every ISO string sorts after ""
        with self.db.transaction(BUSY_TIMEOUT_SECONDS, write=False) as tx:
            users, questions, answered = tx.execute(
                "SELECT COUNT(DISTINCT pseudonym), COUNT(*), COALESCE(SUM(answered), 0)"
                " FROM questions WHERE asked_at >= ?", window).fetchone()
            thumbs_up, thumbs_down = tx.execute(
                "SELECT COALESCE(SUM(CASE WHEN f.value = 1 THEN 1 ELSE 0 END), 0),"
                " COALESCE(SUM(CASE WHEN f.value = -1 THEN 1 ELSE 0 END), 0)"
                " FROM feedback f JOIN questions q ON q.id = f.question_id WHERE q.asked_at >= ?", window).fetchone()
            top_topics = tx.execute(
                f"SELECT t.value, COUNT(DISTINCT q.id) AS n FROM questions q, {self.db.json_array('q.topics', 't')}"
                " WHERE q.answered = 1 AND q.asked_at >= ? GROUP BY t.value ORDER BY n DESC, t.value LIMIT ?",
                (*window, TOP_TOPICS)).fetchall()
        return Stats(int(users), int(questions), int(answered), int(questions) - int(answered), int(thumbs_up),
                     int(thumbs_down), tuple((topic, int(count)) for topic, count in top_topics), since)

    # --- #17: the admin loop ---------------------------------------------------------------------------

    def gap_candidates(self, since: datetime, limit: int) -> list[GapQuestion]:
        """The newest questions since `since` that were declined (except for having no words) or rated 👎,
        leaving out those in a gap an admin has decided."""
        with self.db.transaction(BUSY_TIMEOUT_SECONDS, write=False) as tx:
            rows = tx.execute(
                f"SELECT q.id, q.question, {_REASON}, q.best_passage, q.best_coverage, {_THUMBS_DOWN}"
                f" FROM questions q WHERE q.asked_at >= ? AND (COALESCE({_REASON}, 'empty') != 'empty' OR {_THUMBS_DOWN})"
                " AND q.id NOT IN (SELECT gq.question_id FROM gap_questions gq JOIN gaps g ON g.id = gq.gap_id"
                " WHERE g.state IS NOT NULL) ORDER BY q.asked_at DESC, q.id DESC LIMIT ?",
                (_iso(since), limit)).fetchall()
        return [GapQuestion(id, text, reason, passage, coverage, bool(down))
                for id, text, reason, passage, coverage, down in rows]

    def create_gap_listing(self, groups: Sequence[Sequence[int]], at: datetime | None = None) -> list[int]:
        """Store one /gaps run's groups of question ids, in the order shown; the gaps' ids, which buttons carry."""
        ids: list[int] = []
        with self._writing() as tx:
            for rank, question_ids in enumerate(groups):
                gap_id = tx.execute("INSERT INTO gaps (listing, rank, listed_at) VALUES (?, ?, ?) RETURNING id",
                                    (ids[0] if ids else 0, rank, _iso(at))).fetchone()[0]
                ids.append(gap_id)
                for question_id in dict.fromkeys(question_ids):
                    tx.execute("INSERT INTO gap_questions (gap_id, question_id) VALUES (?, ?)", (gap_id, question_id))
            if ids:
                tx.execute("UPDATE gaps SET listing = ? WHERE id = ?", (ids[0], ids[0]))
        return ids

    def gap_listing(self, listing: int) -> list[int]:
        """The ids of one /gaps run's gaps, largest first."""
        with self.db.transaction(BUSY_TIMEOUT_SECONDS, write=False) as tx:
            return [row[0] for row in tx.execute(
                "SELECT id FROM gaps WHERE listing = ? ORDER BY rank", (listing,)).fetchall()]

    def gap(self, gap_id: int) -> Gap | None:
        """A gap with the questions it still has (retention and /hapus may have taken some)."""
        with self.db.transaction(BUSY_TIMEOUT_SECONDS, write=False) as tx:
            row = tx.execute("SELECT id, listing, rank, state, decided_by, detail FROM gaps WHERE id = ?",
                             (gap_id,)).fetchone()
            if row is None:
                return None
            questions = tx.execute(
                f"SELECT q.id, q.question, {_REASON}, q.best_passage, q.best_coverage, {_THUMBS_DOWN}"
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
        with self._writing() as tx:
            if tx.execute(
                "UPDATE gaps SET state = ?, decided_by = ?, decided_at = ?, detail = ? WHERE id = ? AND state IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM gap_questions mine JOIN gap_questions other"
                " ON other.question_id = mine.question_id JOIN gaps g ON g.id = other.gap_id"
                " WHERE mine.gap_id = gaps.id AND g.state IS NOT NULL)",
                (state, me, _iso(None), detail, gap_id)).rowcount:
                return GapDecision(True, state, True)
            row = tx.execute(
                "SELECT state, decided_by FROM gaps WHERE id = ? AND state IS NOT NULL UNION ALL"
                " SELECT g.state, g.decided_by FROM gap_questions mine JOIN gap_questions other"
                " ON other.question_id = mine.question_id JOIN gaps g ON g.id = other.gap_id"
                " WHERE mine.gap_id = ? AND g.state IS NOT NULL LIMIT 1", (gap_id, gap_id)).fetchone()
        return GapDecision(False, row[0], row[1] == me) if row else GapDecision(False, None)

    def reopen_gap(self, gap_id: int, admin_id: int) -> None:
        """Undo one's own decision whose change could not be made, so that nothing stays half done."""
        with self._writing() as tx:
            tx.execute("UPDATE gaps SET state = NULL, decided_by = NULL, decided_at = NULL, detail = ''"
                       " WHERE id = ? AND decided_by = ?", (gap_id, self.pseudonym(admin_id)))

    def daily(self, since: datetime) -> list[Day]:
        """Questions, answers and ratings per day (UTC) since `since`: the /stats chart's data. Days without
        questions are absent."""
        with self.db.transaction(BUSY_TIMEOUT_SECONDS, write=False) as tx:
            rows = tx.execute(
                "SELECT substr(q.asked_at, 1, 10) AS day, COUNT(*), COALESCE(SUM(q.answered), 0),"
                " COALESCE(SUM(f.up), 0), COALESCE(SUM(f.down), 0) FROM questions q LEFT JOIN"
                " (SELECT question_id, SUM(CASE WHEN value = 1 THEN 1 ELSE 0 END) AS up,"
                " SUM(CASE WHEN value = -1 THEN 1 ELSE 0 END) AS down FROM feedback GROUP BY question_id)"
                " f ON f.question_id = q.id WHERE q.asked_at >= ? GROUP BY day ORDER BY day",
                (_iso(since),)).fetchall()
        return [Day(day, *(int(n) for n in counts)) for day, *counts in rows]

    def answered_per_article(self, since: datetime, article_of: Mapping[str, str]) -> Counter[str]:
        """How many questions since `since` were answered from each article. Rows from before the articles
        were recorded are counted by their passages' articles in `article_of` (passage id -> article)."""
        counts: Counter[str] = Counter()
        with self.db.transaction(BUSY_TIMEOUT_SECONDS, write=False) as tx:
            rows = tx.execute("SELECT articles, passage_ids FROM questions WHERE answered = 1 AND asked_at >= ?",
                              (_iso(since),)).fetchall()
        for articles, passage_ids in rows:
            slugs = json.loads(articles) if articles is not None else \
                [article_of[p] for p in json.loads(passage_ids) if p in article_of]
            counts.update(set(slugs))
        return counts

    def close(self) -> None:
        """Close every thread's connection; for SQLite the last one folds the WAL back into the database."""
        self.db.close()

    @contextmanager
    def _writing(self, busy_seconds: float = BUSY_TIMEOUT_SECONDS) -> Iterator[Transaction]:
        """One write transaction, waiting at most `busy_seconds` for another writer; a failure is counted."""
        try:
            with self.db.transaction(busy_seconds) as tx:
                yield tx
        except DatabaseError:
            with self._lock:
                self.failed_writes += 1
            raise


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


def _iso(at: datetime | None) -> str:
    """UTC with fixed-width microseconds, so stored times compare correctly as strings."""
    if at is None:
        at = datetime.now(UTC)
    elif at.tzinfo is None:
        raise ValueError("journal times must be timezone-aware")
    return at.astimezone(UTC).isoformat(timespec="microseconds")
