"""Shared fixtures: the story databases the store tests run on.

``story_database`` gives each test a fresh, empty database URL, once on SQLite (a file in the
test's temporary folder) and once on PostgreSQL: a server this test session starts itself
from the ``initdb`` and ``pg_ctl`` binaries (PostgreSQL refuses to run as root, so as root the
server runs as the unprivileged user ``nobody``), reached on a Unix socket only, stopped at
the end of the session.  Without the binaries or psycopg, the PostgreSQL runs skip and say why.
"""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

POSTGRES_USER = "nobody"


def _postgres_binaries() -> Path | None:
    for folder in [Path(shutil.which("pg_ctl") or "/nonexistent").parent,
                   *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


class PostgresServer:
    """One PostgreSQL server in a temporary folder, for the whole session."""

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.root = Path(tempfile.mkdtemp(prefix="timeline-pg-"))
        self.data = self.root / "data"
        self.socket = self.root / "socket"
        self.run_as: dict[str, Any] = {}
        self.root.chmod(0o755)
        self.socket.mkdir()
        if os.geteuid() == 0:
            import pwd

            user = pwd.getpwnam(POSTGRES_USER)
            self.run_as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
            os.chown(self.socket, user.pw_uid, user.pw_gid)
            self.data.mkdir()
            os.chown(self.data, user.pw_uid, user.pw_gid)
        self.databases = itertools.count(1)

    def _run(self, *command: str) -> None:
        result = subprocess.run([str(self.binaries / command[0]), *command[1:]], capture_output=True, text=True,
                                cwd=self.root, **self.run_as)
        if result.returncode:
            raise RuntimeError(f"{command[0]} failed ({result.returncode}): {result.stderr or result.stdout}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = (f"-c listen_addresses='' -k {self.socket} -p 5432 -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=60")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.socket / "postgres.log"),
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket}&port=5432"

    def new_database(self) -> str:
        from sqlalchemy import create_engine, text

        name = f"test{next(self.databases)}"
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        engine.dispose()
        return self.url(name)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[test]'")
    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL's initdb and pg_ctl are not on this machine (apt-get install postgresql): "
                    "the store tests ran on SQLite only")
    server = PostgresServer(binaries)
    try:
        server.start()
    except (RuntimeError, OSError) as error:
        server.stop()
        pytest.skip(f"could not start PostgreSQL: {error}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def story_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty story database URL: SQLite, then PostgreSQL."""
    pytest.importorskip("sqlalchemy")
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stories.db'}"
    return request.getfixturevalue("postgres").new_database()
