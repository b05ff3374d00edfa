"""Connecting to the story database, migrating it, and running transactions that survive contention.

``TIMELINE_DATABASE_URL`` names the database (any SQLAlchemy URL); without it, stories go to
the SQLite file ``$XDG_DATA_HOME/timeline/stories.db`` (``~/.local/share/timeline/stories.db``).
SQLite serves one machine: WAL journal (readers never wait for the writer), foreign keys on,
and every write transaction taken with ``BEGIN IMMEDIATE`` so that two writers queue for the
lock instead of failing on a lock upgrade.  PostgreSQL (``postgresql+psycopg://...``) serves
several machines; writers of one story queue on its row (``SELECT ... FOR UPDATE``).
"""
from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

ENVIRONMENT_VARIABLE = "TIMELINE_DATABASE_URL"
MIGRATIONS = "stories:migrations"
#: How often a transaction is tried when the database says it conflicted with another one.
ATTEMPTS = 12
# PostgreSQL's serialization failure and deadlock: the transaction may simply be run again.
_RETRY_SQLSTATES = {"40001", "40P01"}
T = TypeVar("T")


def default_path() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "timeline" / "stories.db"


def database_url(explicit: str | None = None) -> str:
    """The database to use: ``explicit``, else $TIMELINE_DATABASE_URL, else the default SQLite file."""
    url = explicit or os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    return url or f"sqlite:///{default_path()}"


def describe(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


#: SQLite: WAL pages a writer copies back into the database itself, should the background
#: checkpoints (see :class:`Checkpoints`) fall behind (SQLite's default is 1,000).
AUTOCHECKPOINT_PAGES = 16_000


class Checkpoints:
    """SQLite: copies the write-ahead log back into the database in a background thread after
    writes.  Left to SQLite, the writer whose commit crosses 1,000 pages of log does it, in its
    own request: tens of milliseconds, every few writes to a large story.  A passive checkpoint
    waits for no one, and copies what no reader still needs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.again = False

    def request(self) -> None:
        with self.lock:
            if self.thread is not None:
                self.again = True  # the running one checkpoints once more when it is done
                return
            self.thread = threading.Thread(target=self._run, name="stories-checkpoint", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                connection = self.engine.raw_connection()
                try:
                    connection.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    connection.close()
            except Exception:  # noqa: BLE001 - a missed checkpoint is made by the next one, or by SQLite
                logging.getLogger(__name__).exception("checkpointing the story database failed")
            with self.lock:
                if not self.again:
                    self.thread = None
                    return
                self.again = False

    def wait(self) -> None:
        thread = self.thread
        if thread is not None:
            thread.join()


@dataclass
class Database:
    """Two engines on one database: ``reads`` (plain transactions) and ``writes`` (on SQLite,
    ``BEGIN IMMEDIATE``: the write lock from the start); on SQLite, its background checkpoints."""

    url: str
    reads: Engine
    writes: Engine
    checkpoints: Checkpoints | None = None

    @property
    def dialect(self) -> str:
        return self.writes.dialect.name

    def written(self) -> None:
        """A write transaction committed."""
        if self.checkpoints is not None:
            self.checkpoints.request()

    def dispose(self) -> None:
        if self.checkpoints is not None:
            self.checkpoints.wait()
            self.checkpoints.engine.dispose()
        self.reads.dispose()
        self.writes.dispose()


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(connection: Any, record: Any) -> None:
        connection.isolation_level = None  # transactions are begun below, not by the driver
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: a crashed process loses no commit
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def connect(url: str | None = None) -> Database:
    """The database at ``url`` (see :func:`database_url`); a SQLite file's folder is created."""
    url = database_url(url)
    if url.startswith("sqlite"):
        from sqlalchemy.engine import make_url

        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        return Database(url, _sqlite_engine(url, immediate=False), _sqlite_engine(url, immediate=True),
                        Checkpoints(_sqlite_engine(url, immediate=False)))  # its own connection
    engine = create_engine(url, pool_pre_ping=True)
    return Database(url, engine.execution_options(isolation_level="REPEATABLE READ"), engine)


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    return config


def upgrade(database: Database) -> None:
    """Migrate the database to the newest schema (nothing to do when it is there already)."""
    from alembic import command

    with database.writes.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")


def current_revision(database: Database) -> str | None:
    from alembic.migration import MigrationContext

    with database.reads.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_current_head()


def _retryable(error: DBAPIError) -> bool:
    if isinstance(error, IntegrityError):
        return True  # a concurrent insert of the same story or document: the next try sees it
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in _RETRY_SQLSTATES:
        return True
    return isinstance(error, OperationalError) and "locked" in str(error.orig).lower()


def run_transaction(engine: Engine, work: Callable[[Connection], T], attempts: int = ATTEMPTS) -> T:
    """``work(connection)`` in one transaction, run again (after a short random wait) when it
    conflicted with a concurrent transaction; any other error, or the last conflict, is raised."""
    for attempt in range(attempts):
        try:
            with engine.begin() as connection:
                return work(connection)
        except DBAPIError as error:
            if attempt + 1 == attempts or not _retryable(error):
                raise
            time.sleep(random.uniform(0, 0.01 * 2 ** min(attempt, 6)))
    raise AssertionError("unreachable")
