"""A throwaway PostgreSQL server for tests and the benchmark, from the machine's own binaries (Debian's
`postgresql` package), in a temporary folder, on a free loopback port.

PostgreSQL refuses to run as root, and tests and CI run as root: then the server runs as the `postgres` user
(which Debian's package creates) through `runuser`. Nothing is installed or configured system-wide.

    with TemporaryPostgres() as server:          # raises PostgresUnavailable if there are no binaries
        url = server.create_database("test1")    # postgresql://postgres@127.0.0.1:<port>/test1
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SERVER_USER = "postgres"
START_TIMEOUT_S = 60


class PostgresUnavailable(Exception):
    """No PostgreSQL binaries here, or no unprivileged user to run them as: the reason, for a skip."""


def find_binaries() -> Path:
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    if shutil.which("pg_ctl"):
        candidates.append(str(Path(os.path.realpath(shutil.which("pg_ctl"))).parent))
    for folder in filter(None, candidates):
        if all((Path(folder) / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    raise PostgresUnavailable("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def available() -> str | None:
    """None if a server can be started here, else why not."""
    try:
        TemporaryPostgres()
    except PostgresUnavailable as reason:
        return str(reason)
    return None


class TemporaryPostgres:
    def __init__(self) -> None:
        self.bin = find_binaries()
        self.as_user: list[str] = []
        self._owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self._owner = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise PostgresUnavailable(f"running as root and there is no {SERVER_USER!r} user to run "
                                          "PostgreSQL as (Debian's postgresql package creates it)") from None
            if not shutil.which("runuser"):
                raise PostgresUnavailable("running as root without runuser (util-linux) to drop privileges")
            self.as_user = ["runuser", "-u", SERVER_USER, "--"]
        self.folder: Path | None = None
        self.port = 0
        self.started = False

    def _run(self, *command: str, timeout: float = START_TIMEOUT_S) -> None:
        result = subprocess.run([*self.as_user, *command], capture_output=True, text=True, timeout=timeout,
                                cwd=self.folder)
        if result.returncode != 0:
            raise RuntimeError(f"{Path(command[0]).name} failed: {result.stdout[-1500:]}{result.stderr[-1500:]}")

    def start(self) -> TemporaryPostgres:
        self.folder = Path(tempfile.mkdtemp(prefix="tanya-pg-"))
        self.port = free_port()
        if self._owner:
            os.chown(self.folder, self._owner.pw_uid, self._owner.pw_gid)
        data = self.folder / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--locale=C")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.folder / "server.log"),
                  "-w", "-t", str(START_TIMEOUT_S), "start")
        self.started = True
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.started:
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop")
            finally:
                self.started = False
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> TemporaryPostgres:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()
