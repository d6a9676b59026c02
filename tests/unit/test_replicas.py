"""Each update answered once by the replicas sharing a database, on SQLite and on a real PostgreSQL server."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.database import Database
from bot.replicas import GONE_S, STALE_S, UPDATES_KEPT, Claim, Replicas

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    database = Database.open(url, tmp_path / "journal.sqlite3")
    yield database
    database.close()


def test_an_update_is_handled_by_the_first_replica_that_claims_it(database):
    a, b = Replicas(database, "a"), Replicas(database, "b")
    assert a.heartbeat("v1", NOW) == 1 and b.heartbeat("v1", NOW) == 2
    assert a.claim(1000, NOW) is Claim.MINE
    assert b.claim(1000, NOW) is Claim.BUSY  # a is still at it: Telegram should come back later
    assert a.claim(1000, NOW) is Claim.BUSY  # a second delivery to the same replica too
    a.done(1000)
    assert b.claim(1000, NOW) is Claim.DONE and a.claim(1000, NOW) is Claim.DONE
    assert b.claim(1001, NOW) is Claim.MINE


def test_the_updates_of_a_replica_that_stopped_beating_are_taken_over(database):
    a, b = Replicas(database, "a"), Replicas(database, "b")
    a.heartbeat("v1", NOW)
    assert a.claim(7, NOW) is Claim.MINE
    later = NOW + timedelta(seconds=STALE_S + 1)
    b.heartbeat("v1", later)
    assert b.live(later) == {"b": "v1"}
    assert b.claim(7, later) is Claim.MINE
    b.done(7)
    assert a.claim(7, later) is Claim.DONE


def test_a_replica_that_left_cleanly_is_taken_over_at_once(database):
    a, b = Replicas(database, "a"), Replicas(database, "b")
    a.heartbeat("v1", NOW)
    b.heartbeat("v1", NOW)
    a.claim(9, NOW)
    a.leave()
    assert b.claim(9, NOW) is Claim.MINE
    assert b.live(NOW) == {"b": "v1"}


def test_heartbeats_carry_the_index_version_and_old_claims_are_purged(database):
    a, b = Replicas(database, "a"), Replicas(database, "b")
    a.heartbeat("v1", NOW)
    b.heartbeat("v1", NOW)
    a.heartbeat("v2", NOW + timedelta(seconds=1))
    assert a.live(NOW + timedelta(seconds=1)) == {"a": "v2", "b": "v1"}
    a.claim(1, NOW)
    a.done(1)
    assert a.purge(NOW + UPDATES_KEPT + timedelta(seconds=1)) == 1
    assert b.claim(1, NOW + UPDATES_KEPT + timedelta(seconds=2)) is Claim.MINE


def test_a_heartbeat_after_leaving_does_not_bring_the_replica_back(database):
    a = Replicas(database, "a")
    a.heartbeat("v1", NOW)
    a.leave()
    assert a.heartbeat("v1", NOW) == 0
    assert a.live(NOW) == {}


def test_a_replica_silent_for_a_few_seconds_is_still_handling_its_update(database):
    """A slow heartbeat (a busy machine) is not a death."""
    a, b = Replicas(Database.open(database.url, database.path), "a"), Replicas(database, "b")
    try:
        a.heartbeat("v1", NOW)
        assert a.claim(7, NOW) is Claim.MINE
        assert b.claim(7, NOW + timedelta(seconds=GONE_S + 1)) is Claim.BUSY
    finally:
        a.db.close()


def test_the_updates_of_a_replica_whose_process_died_are_taken_over_sooner(postgres_url, tmp_path):
    """On PostgreSQL: its sessions end with its process, so GONE_S of silence is enough, not STALE_S."""
    a = Replicas(Database.open(postgres_url, tmp_path / "unused"), "a")
    b = Replicas(Database.open(postgres_url, tmp_path / "unused"), "b")
    try:
        a.heartbeat("v1", NOW)
        b.heartbeat("v1", NOW)
        assert a.claim(7, NOW) is Claim.MINE
        soon = NOW + timedelta(seconds=GONE_S + 1)
        a.db.close()  # as when its process is killed: the server ends its sessions
        deadline = time.monotonic() + 5
        while (claim := b.claim(7, soon)) is Claim.BUSY and time.monotonic() < deadline:
            time.sleep(0.05)  # the server takes a moment to end the session
        assert claim is Claim.MINE
        assert b.live(soon) == {"b": "v1"} and b.heartbeat("v1", soon) == 1  # nor does it count for sending
    finally:
        b.db.close()
