"""Opening the database: one connection per thread, WAL, foreign keys, migrations.

A thread's connection is found by the thread's id, not in a `threading.local`: Qt's pool threads
run each task under a new Python thread state, so a thread-local would be empty at every task,
and each task would open (and leave open) a connection of its own: two file descriptors each,
until the process ran out of them.

Connections are plain sqlite3; sqlite-utils (imported here and nowhere else) wraps one on demand
for bulk work. It is imported lazily because it costs 70 ms of start-up (it pulls in numpy).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from app.errors import StoreError


def _migration_scripts() -> list[tuple[int, str]]:
    """(version, sql) for every numbered file in migrations/, in order."""
    scripts = []
    for entry in resources.files("app.store.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            scripts.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(scripts)


SCHEMA_VERSION = max(version for version, _ in _migration_scripts())


class Database:
    """A SQLite file shared by all threads; each thread gets its own connection."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._by_thread: dict[int, sqlite3.Connection] = {}  # thread id -> its connection
        self._lock = threading.Lock()
        self._migrate()

    # -- connections --------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            # FULL: a committed play survives even power loss, and commits here are few and small.
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"{self.path} could not be opened: it is not a Prelude database or is damaged "
                f"({error})."
            ) from error
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (a thread that ended leaves its id, and connection, to the
        next thread given that id)."""
        thread = threading.get_ident()
        conn = self._by_thread.get(thread)
        if conn is None:
            conn = self._open()
            with self._lock:
                self._by_thread[thread] = conn
        return conn

    @property
    def open_connections(self) -> int:
        return len(self._by_thread)

    @property
    def utils(self):
        """This thread's connection wrapped by sqlite-utils."""
        import sqlite_utils  # noqa: PLC0415 - see the module docstring

        # Leaves the connection as it is: no recursive triggers (they would change how the
        # search index's triggers behave), no plugins.
        return sqlite_utils.Database(self.conn, recursive_triggers=False, execute_plugins=False)

    def close_thread(self) -> None:
        """Close this thread's connection (a worker thread that is about to end)."""
        with self._lock:
            conn = self._by_thread.pop(threading.get_ident(), None)
        if conn is not None:
            conn.close()

    def close(self) -> None:
        with self._lock:
            connections, self._by_thread = list(self._by_thread.values()), {}
        for conn in connections:
            try:
                conn.close()
            except sqlite3.Error:
                pass

    # -- statements ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            # SQLite may have rolled back already (a full disk does that): never let a second
            # error hide the first.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def query(self, sql: str, params: Iterable | dict = ()) -> list[sqlite3.Row]:
        cursor = self.conn.execute(sql, params)
        columns = [d[0] for d in cursor.description or ()]
        return [dict(zip(columns, row, strict=False)) for row in cursor.fetchall()]

    def query_one(self, sql: str, params: Iterable | dict = ()) -> dict | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Iterable | dict = ()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def insert_rows(self, table: str, rows: Iterable[dict], batch_size: int = 1000,
                    ignore: bool = False) -> None:
        """Bulk insert through sqlite-utils (inside the caller's transaction); with `ignore`,
        a row a unique key already has is left out."""
        self.utils[table].insert_all(rows, batch_size=batch_size, ignore=ignore)

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file, leaving the log empty."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def schema_version(self) -> int:
        return self.scalar("PRAGMA user_version")

    def integrity_check(self) -> str:
        return self.scalar("PRAGMA integrity_check")

    # -- schema -------------------------------------------------------------------------------
    def _migrate(self) -> None:
        conn = self.conn
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"{self.path} is not a Prelude database or is damaged ({error})."
            ) from error
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer Prelude (schema {current}, this one knows "
                f"{SCHEMA_VERSION}); update Prelude or use another --data-dir."
            )
        for version, sql in _migration_scripts():
            if version <= current:
                continue
            # executescript commits on its own, so wrap the script and the version bump in one
            # explicit transaction: a migration is applied whole or not at all.
            try:
                conn.executescript(
                    f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version={version};\nCOMMIT;"
                )
            except sqlite3.Error as error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise StoreError(f"Upgrading {self.path} to schema {version} failed: {error}") from error
