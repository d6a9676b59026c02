"""The database the journal and the replicas write to: SQLite in BOT_DATA_DIR by default (nothing to set up),
PostgreSQL when DATABASE_URL is set (several processes, a real server to back up).

One code path: SQL is written once with `?` parameters; the few differences between the two (the placeholder, an
auto-numbered id, reading a JSON array, locks, timeouts) live here and nowhere else. Schema changes are the steps
of bot/schema.py, applied in order and recorded in `schema_version`, so an existing journal is upgraded in place.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from bot.schema import MIGRATIONS

logger = logging.getLogger(__name__)

PRIVATE_FILE = 0o600  # the questions people asked
CONNECT_TIMEOUT_S = 2  # libpq's smallest: a PostgreSQL server that does not answer costs a question 2 s, once
MIGRATION_LOCK = 0x7461_6E79_615F_6A70  # PostgreSQL advisory lock key: one process migrates at a time


class DatabaseError(Exception):
    """Any failure of either database (locked, full, gone, corrupt), so the answer path catches one thing."""


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> tuple | None: ...
    def fetchall(self) -> list[tuple]: ...


class Transaction:
    """What a caller sees inside `Database.transaction()`: execute with `?` parameters."""

    def __init__(self, connection: Any, postgres: bool) -> None:
        self._connection, self._postgres = connection, postgres

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        if self._postgres:  # psycopg's placeholder is %s, and a literal % must be doubled
            return self._connection.execute(sql.replace("%", "%%").replace("?", "%s"), params)
        return self._connection.execute(sql, params)


class Lock:
    """A lock held by this process until released or until the process dies (then the server or the kernel
    releases it): a killed process never leaves one behind."""

    def __init__(self, release: Any) -> None:
        self._release = release

    def release(self) -> None:
        if self._release is not None:
            self._release()
            self._release = None


class Database:
    """Per-thread connections (neither sqlite3 nor psycopg connections may be used by two threads at once)."""

    def __init__(self, url: str | None, path: Path | None) -> None:
        self.url, self.path = url, path
        self.postgres = url is not None
        self.session_name: str | None = None  # PostgreSQL's application_name for this process's sessions
        self._local = threading.local()
        self._opened: list[Any] = []
        self._lock = threading.Lock()
        if self.postgres:
            import psycopg  # only deployments with DATABASE_URL load it

            self._psycopg = psycopg
            self._errors: tuple[type[BaseException], ...] = (psycopg.Error,)
        else:
            self._errors = (sqlite3.Error,)

    @classmethod
    def open(cls, url: str | None, sqlite_path: Path) -> Database:
        """PostgreSQL at `url`, or the SQLite file (private from its first byte; set aside if corrupt), migrated
        to the schema this code writes."""
        if url:
            database = cls(url, None)
            database.migrate()
            return database
        database = cls(None, sqlite_path)
        try:
            database._create_sqlite_file()
            database.migrate()
        except DatabaseError as error:
            cause = error.__cause__
            if getattr(cause, "sqlite_errorname", None) not in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
                raise  # locked, full, unreadable: not ours to delete
            database.close()
            aside = sqlite_path.with_name(f"{sqlite_path.name}.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
            logger.error("The journal is corrupt (%s): moved to %s, starting a new one", cause, aside.name)
            os.replace(sqlite_path, aside)
            if Path(f"{sqlite_path}-wal").exists():
                os.replace(f"{sqlite_path}-wal", f"{aside}-wal")
            Path(f"{sqlite_path}-shm").unlink(missing_ok=True)
            database._create_sqlite_file()
            database.migrate()
        return database

    def _create_sqlite_file(self) -> None:
        """Owner-only files before SQLite writes a byte (its -wal and -shm take the database file's mode)."""
        os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
        for path in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            if path.exists():
                make_private(path, PRIVATE_FILE)

    @property
    def where(self) -> str:
        """For messages: which database, without a password."""
        if not self.postgres:
            return str(self.path)
        info = self._psycopg.conninfo.conninfo_to_dict(self.url)
        return f"postgresql://{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"

    # ---- SQL that differs -------------------------------------------------------------------------------------

    def ddl(self, sql: str) -> str:
        """`{id}` in a migration: an auto-numbered 64-bit primary key."""
        return sql.replace("{id}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" if self.postgres
                           else "INTEGER PRIMARY KEY")

    def connected(self, column: str) -> str:
        """A condition: a session named `column` (`session_name`) is connected to this database. The server ends
        the sessions of a process that died at once; SQLite cannot tell, so there it is always true."""
        if self.postgres:
            return (f"{column} IN (SELECT application_name FROM pg_stat_activity"
                    " WHERE datname = current_database())")
        return "1 = 1"

    def json_array(self, column: str, alias: str) -> str:
        """A FROM item with one row (`alias.value`) per element of a JSON array stored as text."""
        if self.postgres:
            return f"jsonb_array_elements_text({column}::jsonb) AS {alias}(value)"
        return f"json_each({column}) AS {alias}"

    # ---- transactions -----------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self, timeout: float, write: bool = True) -> Iterator[Transaction]:
        """One transaction, waiting at most `timeout` seconds for a lock (and, on PostgreSQL, for any statement).
        Every failure comes out as DatabaseError; a broken PostgreSQL connection is replaced on the next call."""
        try:
            connection = self._connection()
            if self.postgres:
                with connection.transaction():
                    limit = f"{int(timeout * 1000)}ms"  # for this transaction only, in one round trip
                    sql = "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true)"
                    params = [limit, limit]
                    if self.session_name:  # for the session (cheap: the same round trip)
                        sql += ", set_config('application_name', %s, false)"
                        params.append(self.session_name)
                    connection.execute(sql, params)
                    yield Transaction(connection, True)
            else:
                connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
                connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield Transaction(connection, False)
                except BaseException:
                    connection.rollback()
                    raise
                connection.commit()
        except self._errors as error:
            self._forget_broken_connection()
            raise DatabaseError(f"{type(error).__name__}: {error}".strip()) from error

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            if self.postgres:
                connection = self._psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
            else:
                # isolation_level=None: transactions are begun explicitly, DDL included, so a migration is whole.
                # check_same_thread=False only so close() may run from another thread; each thread uses its own.
                connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute("PRAGMA synchronous = NORMAL")  # WAL stays consistent; a power cut may lose the last rows
                connection.execute("PRAGMA foreign_keys = ON")
            with self._lock:
                self._opened.append(connection)
            self._local.connection = connection
        return connection

    def _forget_broken_connection(self) -> None:
        connection = getattr(self._local, "connection", None)
        if self.postgres and connection is not None and (connection.closed or connection.broken):
            self._local.connection = None
            with self._lock:
                self._opened.remove(connection)
            connection.close()

    def close(self) -> None:
        """Close every thread's connection; for SQLite the last one folds the WAL back into the database."""
        with self._lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()
        self._local = threading.local()

    # ---- schema -------------------------------------------------------------------------------------------------

    def migrate(self) -> int:
        """Apply the steps of bot/schema.py this database has not had, in one transaction, one process at a time
        (replicas may start together). Returns the schema version."""
        with self.transaction(timeout=30) as tx:
            if self.postgres:
                tx.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            tx.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = tx.execute("SELECT version FROM schema_version").fetchone()
            current = row[0] if row else 0
            if current > len(MIGRATIONS):
                raise DatabaseError(f"{self.where} has schema version {current}, newer than this code's "
                                    f"{len(MIGRATIONS)}: run the newer code, or restore a backup")
            for number, (why, sql) in enumerate(MIGRATIONS[current:], start=current + 1):
                logger.info("Database schema: step %d, %s", number, why)
                for statement in filter(str.strip, self.ddl(sql).split(";")):
                    tx.execute(statement)
            if row is None:
                tx.execute("INSERT INTO schema_version (version) VALUES (?)", (len(MIGRATIONS),))
            elif current != len(MIGRATIONS):
                tx.execute("UPDATE schema_version SET version = ?", (len(MIGRATIONS),))
        return len(MIGRATIONS)

    # ---- locks across processes -------------------------------------------------------------------------------

    def try_lock(self, name: str) -> Lock | None:
        """A lock named `name` shared by every process using this database, or None if another holds it: a
        PostgreSQL advisory lock on a connection of its own, or a lock file beside the SQLite journal."""
        if self.postgres:
            key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
            try:
                connection = self._psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
                if not connection.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]:
                    connection.close()
                    return None
            except self._errors as error:
                raise DatabaseError(f"{type(error).__name__}: {error}") from error
            return Lock(connection.close)
        handle = open(self.path.with_name(f"{name.replace(':', '-')}.lock"), "a")  # noqa: SIM115 (held open)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        return Lock(handle.close)


def make_private(path: Path, mode: int) -> None:
    try:
        os.chmod(path, mode)
    except OSError as error:  # not ours to change (a mounted volume): say so, and carry on
        logger.warning("Could not restrict %s to mode %o: %s", path, mode, error)
