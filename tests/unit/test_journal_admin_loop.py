"""The journal's #17 schema step: decline reasons and best passages kept, gaps listed and decided once,
daily counts and per-article counts for /stats and /artikel, and the privacy rules still holding."""

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest

from bot.journal import Journal
from bot.schema import MIGRATIONS

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ADMIN, OTHER_ADMIN, WORKER = 1001, 1002, 555


@pytest.fixture(params=["sqlite", "postgres"])
def journal(request, tmp_path):
    """The same tests on both databases: SQLite in the data folder, and a real PostgreSQL server."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    journal = Journal.open(tmp_path / "data", url=url)
    yield journal
    journal.close()


def ask(journal, text, *, reason=None, answered=None, passage="p1", coverage=0.2, at=NOW, user=WORKER,
        articles=None):
    answered = reason is None if answered is None else answered
    return journal.record_question(user, text, lang="id", answered=answered, passage_ids=[passage], topics=[],
                                   at=at, reason=reason, best_passage=passage, best_coverage=coverage,
                                   articles=articles)


def test_an_older_journal_gains_the_new_columns_and_keeps_its_rows(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with closing(sqlite3.connect(data / "journal.sqlite3")) as conn:
        conn.executescript(MIGRATIONS[0][1].replace("{id}", "INTEGER PRIMARY KEY"))  # a journal before #17
        conn.execute("INSERT INTO questions (pseudonym, asked_at, lang, question, answered, passage_ids, topics)"
                     " VALUES ('x', ?, 'id', 'lama', 1, '[\"p9\"]', '[]')", (NOW.isoformat(),))
        conn.commit()
    journal = Journal.open(data)
    with closing(sqlite3.connect(journal.path)) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(questions)")}
        assert {"reason", "best_passage", "best_coverage", "articles"} <= columns
        assert conn.execute("SELECT question, reason, articles FROM questions").fetchall() == [("lama", None, None)]
    with closing(sqlite3.connect(journal.path)) as conn:  # declined before the step: shown, reason unrecorded
        conn.execute("INSERT INTO questions (pseudonym, asked_at, lang, question, answered, passage_ids, topics)"
                     " VALUES ('x', ?, 'id', 'ditolak lama', 0, '[]', '[]')", (NOW.isoformat(),))
        conn.commit()
    assert [(q.question, q.reason) for q in journal.gap_candidates(NOW - timedelta(days=1), 10)] == [
        ("ditolak lama", "unrecorded")]
    Journal.open(data).close()  # a second open changes nothing
    # a row from before the articles were recorded is counted by its passages
    assert journal.answered_per_article(NOW - timedelta(days=1), {"p9": "ssw"}) == {"ssw": 1}
    journal.close()


def test_gap_candidates_are_declined_or_rated_down_and_carry_no_one(journal):
    declined = ask(journal, "cara bikin SIM di jepang", reason="coverage", passage="p2", coverage=0.1)
    ask(journal, "???", reason="empty")
    ask(journal, "syarat ssw apa", passage="p3")  # answered, not rated
    liked = ask(journal, "gaji ssw berapa", passage="p4")
    journal.record_feedback(liked, WORKER, 1)
    disliked = ask(journal, "kapan festival jepang", passage="p5", coverage=0.5)
    journal.record_feedback(disliked, WORKER, -1)
    ask(journal, "tua sekali", reason="scope", at=NOW - timedelta(days=40))

    found = journal.gap_candidates(NOW - timedelta(days=30), 100)
    assert [(q.id, q.reason, q.thumbs_down) for q in found] == [(disliked, None, True), (declined, "coverage", False)]
    assert found[1].best_passage == "p2" and found[1].best_coverage == pytest.approx(0.1)
    assert not any(hasattr(q, "pseudonym") or hasattr(q, "user") for q in found)
    assert len(journal.gap_candidates(NOW - timedelta(days=30), 1)) == 1  # the newest first, bounded


def test_a_gap_is_decided_once_and_leaves_the_candidates(journal):
    a = ask(journal, "cara bikin SIM di jepang", reason="coverage")
    b = ask(journal, "sim jepang gmn", reason="coverage")
    c = ask(journal, "resep nasi goreng", reason="scope")
    first, second = journal.create_gap_listing([[a, b], [c]])
    assert journal.gap_listing(first) == [first, second]
    gap = journal.gap(first)
    assert (gap.listing, gap.rank, gap.state) == (first, 0, None)
    assert [q.question for q in gap.questions] == ["cara bikin SIM di jepang", "sim jepang gmn"]

    assert journal.decide_gap(first, ADMIN, "handled").done
    again = journal.decide_gap(first, OTHER_ADMIN, "ignored")
    assert (again.done, again.state, again.by_me) == (False, "handled", False)
    assert journal.decide_gap(first, ADMIN, "ignored").by_me
    assert [q.id for q in journal.gap_candidates(NOW - timedelta(days=1), 100)] == [c]

    # a later run grouping a decided question with others cannot be decided over it
    d = ask(journal, "bikin SIM jepang", reason="coverage")
    (later,) = journal.create_gap_listing([[b, d]])
    overlap = journal.decide_gap(later, OTHER_ADMIN, "article", "sim.md")
    assert (overlap.done, overlap.state) == (False, "handled")
    assert journal.decide_gap(999, ADMIN, "handled").state is None
    with pytest.raises(ValueError):
        journal.decide_gap(second, ADMIN, "deleted")


def test_two_admins_deciding_at_once_one_wins(journal):
    ids = [ask(journal, f"pertanyaan {i}", reason="coverage") for i in range(3)]
    (gap,) = journal.create_gap_listing([ids])
    admins = [ADMIN, OTHER_ADMIN] * 4
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda admin: journal.decide_gap(gap, admin, "handled"), admins))
    assert sum(result.done for result in results) == 1
    assert all(result.state == "handled" for result in results)


def test_reopen_undoes_only_ones_own_decision(journal):
    (gap,) = journal.create_gap_listing([[ask(journal, "x", reason="coverage")]])
    journal.decide_gap(gap, ADMIN, "article", "x.md")
    journal.reopen_gap(gap, OTHER_ADMIN)
    assert journal.gap(gap).state == "article"
    journal.reopen_gap(gap, ADMIN)
    assert (journal.gap(gap).state, journal.gap(gap).detail) == (None, "")


def test_retention_and_forgetting_reach_gaps(journal):
    old = ask(journal, "lama", reason="coverage", at=NOW - timedelta(days=200))
    new = ask(journal, "baru", reason="coverage")
    gone, kept = journal.create_gap_listing([[old], [new]])
    journal.decide_gap(kept, ADMIN, "handled")
    journal.purge_questions_older_than(180, now=NOW)
    assert journal.gap(gone) is None and journal.gap(kept) is not None
    journal.forget_user(ADMIN)  # an admin's /hapus: the decision stays, no longer theirs
    assert journal.gap(kept).decided_by == "" and journal.gap(kept).state == "handled"


def test_daily_counts_and_answers_per_article(journal):
    day2 = NOW + timedelta(days=1)
    q1 = ask(journal, "a", articles=["ssw"])
    ask(journal, "b", reason="coverage", articles=[])
    q3 = ask(journal, "c", articles=["ssw", "magang"], at=day2)
    journal.record_feedback(q1, WORKER, 1)
    journal.record_feedback(q3, WORKER, -1)
    days = journal.daily(NOW - timedelta(days=1))
    assert [(d.day, d.questions, d.answered, d.thumbs_up, d.thumbs_down) for d in days] == [
        ("2026-11-20", 2, 1, 1, 0), ("2026-11-21", 1, 1, 0, 1)]
    assert journal.answered_per_article(NOW - timedelta(days=1), {}) == {"ssw": 2, "magang": 1}
