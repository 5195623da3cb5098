"""Opening SQLite files the same way everywhere: WAL, a busy timeout, versioned migrations."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

BUSY_TIMEOUT_MS = 5000


def connect(path: Path | str, *, read_only: bool = False) -> sqlite3.Connection:
    """Open `path` with the house settings. Autocommit mode: callers use `with conn:` blocks
    (`transaction`) so every user action is one committed transaction."""
    if read_only:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not read_only:
        _enable_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, retrying while another process holds the file.

    Changing the journal mode needs an exclusive lock and SQLite answers "database is locked"
    at once instead of calling the busy handler, so processes opening a new file at the same
    moment would fail without this loop (seen with three at once).
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.002
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorcode", 0) & 0xFF in (5, 6)  # BUSY, LOCKED
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.05)


class transaction:
    """`with transaction(conn):` BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer reader: never downgrade it (a RuntimeError, as before)."""


def schema_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection, migrations: Sequence[str]) -> int:
    """Apply the forward migrations the file has not seen yet, each in its own transaction.

    `migrations[i]` is the SQL script that takes the schema from version i to i + 1. Never edit
    a shipped entry: append a new one.
    """
    current = schema_version(conn)
    if current > len(migrations):
        raise SchemaTooNewError(
            f"this file has schema version {current}, newer than this reader knows "
            f"({len(migrations)}); upgrade reader"
        )
    for version in range(current, len(migrations)):
        with transaction(conn):
            # Another process may have applied this step while we waited for the write lock.
            if schema_version(conn) > version:
                continue
            for statement in _statements(migrations[version]):
                conn.execute(statement)
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version + 1,))
    return len(migrations)


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT our transaction; split on complete statements instead.
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
