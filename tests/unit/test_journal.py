import sqlite3
import stat
import time
from contextlib import closing
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.database import DatabaseError
from bot.journal import Journal, Stats

ALICE = 987654321  # distinctive, so finding it in the database bytes means it was stored
BOB = 123456789
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def journal(request, tmp_path: Path):
    """The same tests on both databases: SQLite in the data folder, and a real PostgreSQL server."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    journal = Journal.open(tmp_path / "data", url=url)
    yield journal
    journal.close()


def ask(journal: Journal, user_id: int, *, answered: bool = True, topics=("visa",), at: datetime = NOW) -> int:
    return journal.record_question(user_id, "Berapa gaji tokutei ginou?", lang="id", answered=answered,
                                   passage_ids=("gaji#1",), topics=topics, at=at)


def rows(journal: Journal, table: str) -> list[tuple]:
    with journal.db.transaction(5, write=False) as tx:  # table names are fixed in these tests
        return [tuple(row) for row in tx.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()]


def database_bytes(data_dir: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(data_dir.glob("journal.sqlite3*")))


def test_the_raw_user_id_is_never_written(tmp_path):
    data_dir = tmp_path / "data"
    journal = Journal.open(data_dir)
    question_id = ask(journal, ALICE)
    journal.record_feedback(question_id, ALICE, 1)
    journal.record_admin_action(ALICE, "/reload", "12 articles", allowed=False)
    assert (data_dir / "journal.sqlite3-wal").exists()  # WAL mode: the rows are in the log for now
    while_open = database_bytes(data_dir)
    journal.close()
    after_close = database_bytes(data_dir)

    assert b"Berapa gaji" in while_open and b"Berapa gaji" in after_close  # the search does see stored text
    for stored in (while_open, after_close):
        assert str(ALICE).encode() not in stored
        assert ALICE.to_bytes(4, "big") not in stored  # nor as an SQLite integer
    assert rows(journal, "questions")[0][1] == journal.pseudonym(ALICE)


def test_pseudonyms_are_stable_across_reopen_and_differ_by_user_and_key(tmp_path):
    first = Journal.open(tmp_path / "one")
    alice = first.pseudonym(ALICE)
    first.close()
    reopened = Journal.open(tmp_path / "one")
    other_dir = Journal.open(tmp_path / "two")

    assert reopened.pseudonym(ALICE) == alice
    assert reopened.pseudonym(BOB) != alice
    assert other_dir.pseudonym(ALICE) != alice
    assert len(alice) == 64 and int(alice, 16) >= 0
    assert (tmp_path / "one" / "journal.key").read_bytes() != (tmp_path / "two" / "journal.key").read_bytes()
    reopened.close()
    other_dir.close()


def test_key_file_is_private_and_checked(tmp_path):
    Journal.open(tmp_path / "data").close()
    key_file = tmp_path / "data" / "journal.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_bytes()) == 32

    key_file.write_bytes(b"short")
    with pytest.raises(ValueError, match="32 bytes"):
        Journal.open(tmp_path / "data")


def test_only_the_asker_can_rate_and_a_second_press_replaces_the_first(journal):
    question_id = ask(journal, ALICE)

    assert journal.record_feedback(question_id, BOB, -1) is False
    assert journal.record_feedback(question_id + 1, ALICE, 1) is False  # no such question
    assert journal.record_feedback(question_id, ALICE, 1) is True
    assert journal.record_feedback(question_id, ALICE, -1) is True

    feedback = rows(journal, "feedback")
    assert [(qid, who, value) for qid, who, value, _ in feedback] == [(question_id, journal.pseudonym(ALICE), -1)]
    assert (journal.stats().thumbs_up, journal.stats().thumbs_down) == (0, 1)


@pytest.mark.parametrize("value", [0, 2, -2])
def test_feedback_is_plus_or_minus_one(journal, value):
    with pytest.raises(ValueError):
        journal.record_feedback(ask(journal, ALICE), ALICE, value)
    assert rows(journal, "feedback") == []


def test_admin_actions_are_audited_refusals_included(journal):
    journal.record_admin_action(ALICE, "/reload", "12 articles")
    journal.record_admin_action(BOB, "/stats", allowed=False)

    audit = [(who, action, detail, allowed) for _, who, action, detail, allowed, _ in rows(journal, "admin_actions")]
    assert audit == [(journal.pseudonym(ALICE), "/reload", "12 articles", 1), (journal.pseudonym(BOB), "/stats", "", 0)]


def test_forget_user_removes_only_that_users_rows(journal):
    alice_q = [ask(journal, ALICE), ask(journal, ALICE)]
    bob_q = ask(journal, BOB)
    journal.record_feedback(alice_q[0], ALICE, 1)
    journal.record_feedback(bob_q, BOB, -1)
    journal.record_admin_action(ALICE, "/reload")
    journal.record_admin_action(BOB, "/stats", allowed=False)

    assert journal.forget_user(ALICE) == 4  # two questions, one rating, one audit row
    assert journal.forget_user(ALICE) == 0

    bob = journal.pseudonym(BOB)
    assert [row[1] for row in rows(journal, "questions")] == [bob]
    assert [row[1] for row in rows(journal, "feedback")] == [bob]
    assert [row[1] for row in rows(journal, "admin_actions")] == [bob]


def test_retention_deletes_only_old_questions_and_their_feedback(journal):
    old = ask(journal, ALICE, at=NOW - timedelta(days=181))
    borderline = ask(journal, ALICE, at=NOW - timedelta(days=179, hours=23))
    recent = ask(journal, BOB, at=NOW - timedelta(days=1))
    journal.record_feedback(old, ALICE, 1)
    journal.record_feedback(recent, BOB, 1)

    assert journal.purge_questions_older_than(180, now=NOW) == 1
    assert journal.purge_questions_older_than(180, now=NOW) == 0
    assert sorted(row[0] for row in rows(journal, "questions")) == [borderline, recent]
    assert [row[0] for row in rows(journal, "feedback")] == [recent]


def test_naive_times_are_refused(journal):
    with pytest.raises(ValueError, match="timezone-aware"):
        ask(journal, ALICE, at=datetime(2025, 6, 1, 12, 0))


def test_stats_count_a_hand_made_journal_exactly(journal):
    last_week = NOW - timedelta(days=7)
    q1 = ask(journal, ALICE, topics=("visa", "gaji"), at=last_week)
    ask(journal, ALICE, answered=False, topics=(), at=last_week)
    q3 = ask(journal, BOB, topics=("gaji",))
    ask(journal, BOB, topics=("gaji", "pajak"), at=NOW + timedelta(hours=1))
    ask(journal, 555, answered=False, topics=("visa",))  # declined: its topic is not counted
    journal.record_feedback(q1, ALICE, 1)
    journal.record_feedback(q3, BOB, -1)

    assert journal.stats() == Stats(users=3, questions=5, answered=3, declined=2, thumbs_up=1, thumbs_down=1,
                                    top_topics=(("gaji", 3), ("pajak", 1), ("visa", 1)), since=None)
    assert journal.stats(since=NOW) == Stats(users=2, questions=3, answered=2, declined=1, thumbs_up=0,
                                             thumbs_down=1, top_topics=(("gaji", 2), ("pajak", 1)), since=NOW)


def test_stats_of_an_empty_journal_and_at_most_five_topics(journal):
    assert journal.stats() == Stats(0, 0, 0, 0, 0, 0, (), None)
    for count, topic in enumerate(["a", "b", "c", "d", "e", "f"], start=1):
        for _ in range(count):
            ask(journal, ALICE, topics=(topic,))
    assert journal.stats().top_topics == (("f", 6), ("e", 5), ("d", 4), ("c", 3), ("b", 2))


def test_eight_threads_at_once_lose_nothing(journal):
    def work(n: int) -> int:
        question_id = ask(journal, 1000 + n % 20, topics=(f"t{n % 3}",))
        assert journal.record_feedback(question_id, 1000 + n % 20, 1 if n % 2 else -1)
        return question_id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(work, range(200)))

    assert len(set(ids)) == 200
    stats = journal.stats()
    assert (stats.questions, stats.users, stats.thumbs_up, stats.thumbs_down) == (200, 20, 100, 100)
    assert len(rows(journal, "feedback")) == 200


def test_a_locked_database_fails_a_question_write_within_a_second_and_counts_it(tmp_path):
    """F4: each write waited 10 s for a lock (an operator's sqlite3 shell, a backup) before failing."""
    journal = Journal.open(tmp_path / "data")
    ask(journal, ALICE)
    with closing(sqlite3.connect(journal.path)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        start = time.perf_counter()
        with pytest.raises(DatabaseError, match="locked"):
            ask(journal, BOB)
        assert time.perf_counter() - start < 3.0
        holder.rollback()
    assert journal.failed_writes == 1
    ask(journal, BOB)  # and works again once the lock is gone
    assert journal.stats().questions == 2


def test_the_journal_and_its_folder_are_private(tmp_path):
    """F10: journal.sqlite3 and its WAL were created 0644, so any local user could read the questions."""
    data = tmp_path / "data"
    journal = Journal.open(data)
    ask(journal, ALICE)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for name in ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    journal.close()


def test_an_older_journal_is_made_private_when_opened(tmp_path):
    data = tmp_path / "data"
    Journal.open(data).close()
    (data / "journal.sqlite3").chmod(0o644)
    Journal.open(data).close()
    assert stat.S_IMODE((data / "journal.sqlite3").stat().st_mode) == 0o600


def test_a_key_given_by_the_deployment_is_used_and_none_is_written(tmp_path):
    """F10: journal.key beside the journal let anyone with a copy of the folder undo every pseudonym."""
    key = bytes(range(32))
    journal = Journal.open(tmp_path / "data", key=key)
    assert journal.pseudonym(ALICE) == Journal(journal.db, key).pseudonym(ALICE)
    assert not (tmp_path / "data" / "journal.key").exists()
    journal.close()


def test_an_empty_key_file_left_by_a_crash_is_replaced(tmp_path):
    """F6: a crash between creating journal.key and writing it left 0 bytes, and the bot never started again."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "journal.key").write_bytes(b"")
    Journal.open(tmp_path / "data").close()
    assert len((tmp_path / "data" / "journal.key").read_bytes()) == 32


def test_a_corrupt_journal_is_set_aside_and_a_new_one_started(tmp_path, caplog):
    """F6: a corrupt journal stopped the bot at start; answering needs no journal."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "journal.sqlite3").write_bytes(b"not a database " * 100)
    journal = Journal.open(data)
    ask(journal, ALICE)
    assert journal.stats().questions == 1
    aside = list(data.glob("journal.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == b"not a database " * 100
    assert "corrupt" in caplog.text
    journal.close()


def test_retention_also_deletes_old_refused_admin_attempts(journal):
    """F11: the audit table, which holds ordinary users' refused attempts, was never purged."""
    journal.record_admin_action(BOB, "/reload", allowed=False, at=NOW - timedelta(days=181))
    journal.record_admin_action(BOB, "/stats", allowed=False, at=NOW - timedelta(days=1))
    journal.record_admin_action(ALICE, "reload", at=NOW - timedelta(days=400))  # an admin's own: kept
    journal.purge_questions_older_than(180, now=NOW)
    assert [(row[2], row[4]) for row in rows(journal, "admin_actions")] == [("/stats", 0), ("reload", 1)]


OLD_SCHEMA = """
CREATE TABLE questions (id INTEGER PRIMARY KEY, pseudonym TEXT NOT NULL, asked_at TEXT NOT NULL, lang TEXT NOT NULL,
    question TEXT NOT NULL, answered INTEGER NOT NULL, passage_ids TEXT NOT NULL, topics TEXT NOT NULL);
CREATE INDEX questions_pseudonym ON questions (pseudonym);
CREATE INDEX questions_asked_at ON questions (asked_at);
CREATE TABLE feedback (question_id INTEGER NOT NULL REFERENCES questions (id), pseudonym TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value IN (-1, 1)), at TEXT NOT NULL, PRIMARY KEY (question_id, pseudonym));
CREATE INDEX feedback_pseudonym ON feedback (pseudonym);
CREATE TABLE admin_actions (id INTEGER PRIMARY KEY, pseudonym TEXT NOT NULL, action TEXT NOT NULL,
    detail TEXT NOT NULL, allowed INTEGER NOT NULL, at TEXT NOT NULL);
"""


def test_a_journal_written_before_schema_versions_is_migrated_in_place(tmp_path):
    """The journal as the bot wrote it before PostgreSQL (no schema_version): its rows stay, new tables are added."""
    from bot.schema import MIGRATIONS

    data = tmp_path / "data"
    data.mkdir()
    (data / "journal.key").write_bytes(bytes(range(32)))
    old = Journal(None, bytes(range(32)))  # only for its pseudonyms
    with closing(sqlite3.connect(data / "journal.sqlite3")) as conn:
        conn.executescript(OLD_SCHEMA)
        conn.execute("INSERT INTO questions VALUES (7, ?, '2025-06-01T12:00:00.000000+00:00', 'id', 'gaji?', 1,"
                     " '[]', '[\"gaji\"]')", (old.pseudonym(ALICE),))
        conn.execute("INSERT INTO feedback VALUES (7, ?, 1, '2025-06-01T12:00:01.000000+00:00')", (old.pseudonym(ALICE),))
        conn.commit()
    journal = Journal.open(data)
    assert journal.stats() == Stats(1, 1, 1, 0, 1, 0, (("gaji", 1),), None)
    assert journal.db.migrate() == len(MIGRATIONS)
    assert ask(journal, BOB) == 8  # ids go on from the old rows
    assert journal.forget_user(ALICE) == 2
    journal.close()
    Journal.open(data).close()  # opening again changes nothing
    with closing(sqlite3.connect(data / "journal.sqlite3")) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(len(MIGRATIONS),)]
        assert conn.execute("SELECT COUNT(*) FROM questions").fetchone() == (1,)


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_a_database_newer_than_the_code_is_refused(request, tmp_path, database):
    url = request.getfixturevalue("postgres_url") if database == "postgres" else None
    Journal.open(tmp_path / "data", url=url).close()
    journal = Journal.open(tmp_path / "data", url=url)
    with journal.db.transaction(5) as tx:
        tx.execute("UPDATE schema_version SET version = version + 1")
    journal.close()
    with pytest.raises(DatabaseError, match="newer than this code"):
        Journal.open(tmp_path / "data", url=url)


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_a_journal_refuses_a_key_other_than_the_one_it_was_written_with(request, tmp_path, database):
    """Pseudonyms of two keys cannot be matched: /hapus would miss the rows one replica wrote with the other key."""
    url = request.getfixturevalue("postgres_url") if database == "postgres" else None
    Journal.open(tmp_path / "data", key=bytes(range(32)), url=url).close()
    with pytest.raises(ValueError, match="another key"):
        Journal.open(tmp_path / "data", key=bytes(32), url=url)
    Journal.open(tmp_path / "data", key=bytes(range(32)), url=url).close()


def test_replicas_migrating_one_postgres_database_at_once_apply_each_step_once(postgres_url, tmp_path):
    from bot.schema import MIGRATIONS

    key = bytes(range(32))
    with ThreadPoolExecutor(max_workers=4) as pool:
        journals = list(pool.map(lambda n: Journal.open(tmp_path / f"r{n}", key=key, url=postgres_url), range(4)))
    with journals[0].db.transaction(5, write=False) as tx:
        assert tx.execute("SELECT version FROM schema_version").fetchall() == [(len(MIGRATIONS),)]
    for journal in journals:
        journal.close()


def test_a_lost_postgres_connection_fails_one_write_and_the_next_reconnects(postgres_url, tmp_path):
    """A restarted or failed-over server: the journal must not stay broken until the bot restarts."""
    import psycopg

    journal = Journal.open(tmp_path / "data", url=postgres_url)
    ask(journal, ALICE)
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                      " WHERE datname = current_database() AND pid <> pg_backend_pid()")
    with pytest.raises(DatabaseError):
        ask(journal, BOB)
    assert journal.failed_writes == 1
    ask(journal, BOB)
    assert journal.stats().questions == 2
    journal.close()


def test_postgres_stores_no_raw_user_id(postgres_url, tmp_path):
    import psycopg

    journal = Journal.open(tmp_path / "data", url=postgres_url)
    question_id = ask(journal, ALICE)
    journal.record_feedback(question_id, ALICE, 1)
    journal.record_admin_action(ALICE, "/reload", "12 articles", allowed=False)
    with psycopg.connect(postgres_url) as conn:
        dumped = " ".join(str(row) for table in ("questions", "feedback", "admin_actions")
                          for row in conn.execute(f"SELECT * FROM {table}").fetchall())
    assert "Berapa gaji" in dumped and str(ALICE) not in dumped and journal.pseudonym(ALICE) in dumped
    assert not (tmp_path / "data" / "journal.sqlite3").exists()
    journal.close()
