"""The user's state: read marks, bookmarked articles, resume positions and saved quotes.

One SQLite file, `state.sqlite3`, in the data directory (`reader.store.location.data_dir`).
State is keyed by the article's content-derived id, so it follows a file that is renamed, moved
or copied; the last path and title are kept only for display and export.

Guarantees (each has a test on real files and real processes, see tests/store/):

- Every user action is one committed transaction (WAL, synchronous=NORMAL): once a method
  returns, a kill -9 of the process loses nothing.
- Several processes (the app and `reader export`, two apps) may write at once: BEGIN IMMEDIATE
  plus a busy timeout serialises them; none of their writes is lost.
- A damaged state file is moved aside as `state.sqlite3.corrupt-YYYYmmdd-HHMMSS` (never
  deleted), a fresh one is started and `StateStore.messages` says so.
- A data directory that cannot be written gives a read-only session: reads work (from a
  private in-memory copy), writes raise `StoreReadOnlyError` with a clear message.
- Nothing here deletes user data: "deleting" a quote marks it deleted (undo clears the mark);
  no file is ever removed.

Callers catch `StoreError` around every write and show `str(error)` to the user.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.saving import QUOTE_KINDS, SavedQuote, normalize_tags, now_iso
from reader.store.location import STATE_FILENAME, data_dir
from reader.store.sqlite import SchemaTooNewError, connect, migrate, transaction

# Forward migrations: MIGRATIONS[i] takes the schema from version i to i + 1.
# Never edit a shipped entry; append a new one (tests/store/test_migrations.py builds old files).
MIGRATIONS: list[str] = [
    # 1: read / bookmarked articles and saved quotes.
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        read INTEGER NOT NULL DEFAULT 0,
        read_at TEXT,
        bookmarked INTEGER NOT NULL DEFAULT 0,
        path TEXT,
        title TEXT,
        updated TEXT NOT NULL
    );
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        unit_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT,
        handle TEXT,
        tweet_date TEXT,
        url TEXT,
        article_id TEXT NOT NULL,
        article_title TEXT NOT NULL DEFAULT '',
        article_source TEXT NOT NULL DEFAULT '',
        article_date TEXT,
        article_url TEXT,
        context_before TEXT NOT NULL DEFAULT '',
        context_after TEXT NOT NULL DEFAULT '',
        block_index INTEGER NOT NULL DEFAULT 0,
        char_start INTEGER NOT NULL DEFAULT 0,
        char_end INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX quotes_created ON quotes (created);
    """,
    # 2: resume positions, quote tags, undoable deletes; partial indexes for the id sets.
    """
    ALTER TABLE articles ADD COLUMN scroll_y REAL;
    ALTER TABLE articles ADD COLUMN unit_index INTEGER;
    ALTER TABLE quotes ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE quotes ADD COLUMN deleted_at TEXT;
    ALTER TABLE quotes ADD COLUMN updated TEXT;
    CREATE INDEX quotes_article ON quotes (article_id);
    CREATE INDEX articles_read ON articles (id) WHERE read = 1;
    CREATE INDEX articles_bookmarked ON articles (id) WHERE bookmarked = 1;
    """,
    # 3: small settings (the remembered theme).
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)

# SQLite primary result codes that mean "this is not a (healthy) database file".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


class StoreError(Exception):
    """A write could not be saved. `str(error)` is a sentence for the user."""


class StoreReadOnlyError(StoreError):
    """The session is read-only (data dir not writable, file from a newer reader, ...)."""


@dataclass(frozen=True, slots=True)
class Position:
    """Where an article was left: the pane's scroll offset and the selected unit, if any."""

    scroll_y: float = 0.0
    unit: int | None = None


@dataclass(frozen=True, slots=True)
class ArticleState:
    """The stored state of one article (absent from the store means: unread, not bookmarked)."""

    id: str
    read: bool = False
    read_at: str | None = None
    bookmarked: bool = False
    path: str | None = None
    title: str | None = None
    position: Position | None = None
    updated: str | None = None


class _Corrupt(Exception):
    pass


class StateStore:
    """The state file. Open with `StateStore.open(...)`; use from any thread (calls are locked).

    After opening, show `store.messages` to the user (stderr in the CLI, a notification in the
    app): they say when a damaged file was moved aside or the session is read-only.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        read_only_reason: str | None = None,
        messages: list[str] | None = None,
    ) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        # Bulk reads (id sets, every quote) use a second connection, so a worker loading
        # 10k quotes never makes a key press wait for the writer's lock (WAL lets both run).
        self._reader: sqlite3.Connection | None = None
        self._read_lock = threading.RLock()
        self.path = path
        #: Why writes are refused, or None in a normal session.
        self.read_only_reason = read_only_reason
        #: Sentences for the user about what happened while opening (empty when all is well).
        self.messages: list[str] = list(messages or [])

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        directory: str | os.PathLike[str] | None = None,
        *,
        environ: dict[str, str] | None = None,
    ) -> StateStore:
        """Open (creating if needed) the state in `directory`, or the default data dir.

        `directory` is the `--data-dir` value; None falls back to `READER_DATA_DIR`, then
        platformdirs. Never raises for a damaged file or an unwritable directory: see
        `messages` and `read_only`.
        """
        folder = data_dir(directory, environ)
        path = folder / STATE_FILENAME
        messages: list[str] = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = f"cannot create the data directory {folder} ({exc.strerror or exc})"
            return cls._read_only_session(path, reason, messages)
        try:
            conn = _open_writable(path)
        except _Corrupt as exc:
            try:
                moved = _move_aside(path)
            except OSError as move_exc:
                reason = (
                    f"the state file {path} is damaged ({exc}) and could not be moved aside "
                    f"({move_exc.strerror or move_exc})"
                )
                return cls._read_only_session(path, reason, messages, copy=False)
            messages.append(
                f"the state file {path} was damaged ({exc}); it was kept as {moved.name} "
                "and a fresh state file was started"
            )
            try:
                conn = _open_writable(path)
            except (sqlite3.Error, _Corrupt, SchemaTooNewError) as exc2:
                reason = f"cannot start a fresh state file {path} ({exc2})"
                return cls._read_only_session(path, reason, messages, copy=False)
        except SchemaTooNewError as exc:
            return cls._read_only_session(path, f"{path}: {exc}", messages, migrate_copy=False)
        except (sqlite3.Error, OSError) as exc:
            return cls._read_only_session(
                path, f"cannot write the state file {path} ({exc})", messages
            )
        return cls(conn, path, messages=messages)

    @classmethod
    def _read_only_session(
        cls,
        path: Path,
        reason: str,
        messages: list[str],
        *,
        copy: bool = True,
        migrate_copy: bool = True,
    ) -> StateStore:
        # Work on a private in-memory copy: reads behave as usual, the file is never touched.
        mem = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        if copy and path.exists():
            if not _copy_into(path, mem):
                messages.append(f"could not read the existing state in {path}")
        try:
            if migrate_copy:
                migrate(mem, MIGRATIONS)
        except (sqlite3.Error, SchemaTooNewError) as exc:
            messages.append(f"could not read the existing state in {path} ({exc})")
        messages.append(
            f"{reason}: this session is read-only, read marks, bookmarks and saved quotes "
            "will not be saved"
        )
        return cls(mem, path, read_only_reason=reason, messages=messages)

    @property
    def read_only(self) -> bool:
        """True when writes are refused (see `read_only_reason`)."""
        return self.read_only_reason is not None

    def close(self) -> None:
        """Close the file (everything is already committed)."""
        with self._read_lock:
            if self._reader is not None:
                self._reader.close()
        with self._lock:
            self._conn.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals ---------------------------------------------------------------------------

    @contextmanager
    def _writing(self, action: str) -> Iterator[sqlite3.Connection]:
        """One user action = one transaction; failures become a StoreError for the user."""
        if self.read_only_reason is not None:
            raise StoreReadOnlyError(f"read-only: {action} was not saved ({self.read_only_reason})")
        with self._lock:
            try:
                with transaction(self._conn) as conn:
                    yield conn
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise StoreError(f"{action} was not saved: {exc}") from exc

    @contextmanager
    def _bulk(self) -> Iterator[sqlite3.Connection]:
        """A connection for long reads: the second one, or the only one in memory sessions."""
        if self.read_only_reason is not None:
            with self._lock:
                yield self._conn
            return
        with self._read_lock:
            if self._reader is None:
                try:
                    self._reader = connect(self.path)
                except sqlite3.Error:
                    self._reader = None
            if self._reader is None:
                with self._lock:
                    yield self._conn
            else:
                yield self._reader

    def _read(self, sql: str, params: Iterable[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cur = self._conn.execute(sql, tuple(params))
            cur.row_factory = sqlite3.Row
            return cur.fetchall()

    # --- articles ----------------------------------------------------------------------------

    def article(self, article_id: str) -> ArticleState | None:
        """The stored state of one article, or None if it never had any."""
        rows = self._read("SELECT * FROM articles WHERE id = ?", (article_id,))
        return _article_from_row(rows[0]) if rows else None

    def articles(self) -> list[ArticleState]:
        """Every article that has stored state (for export)."""
        return [_article_from_row(r) for r in self._read("SELECT * FROM articles ORDER BY id")]

    def read_ids(self) -> set[str]:
        """Ids of the articles marked read (one query; ~tens of ms at 100k rows)."""
        with self._bulk() as conn:
            return {r[0] for r in conn.execute("SELECT id FROM articles WHERE read = 1")}

    def bookmarked_ids(self) -> set[str]:
        """Ids of the bookmarked articles."""
        with self._bulk() as conn:
            sql = "SELECT id FROM articles WHERE bookmarked = 1"
            return {r[0] for r in conn.execute(sql)}

    def is_read(self, article_id: str) -> bool:
        """True if the article is marked read."""
        state = self.article(article_id)
        return bool(state and state.read)

    def is_bookmarked(self, article_id: str) -> bool:
        """True if the article is bookmarked."""
        state = self.article(article_id)
        return bool(state and state.bookmarked)

    def mark_read(
        self, article_id: str, path: str | None = None, title: str | None = None, read: bool = True
    ) -> ArticleState:
        """Mark one article read (or unread with `read=False`); returns its new state."""
        now = now_iso()
        with self._writing("the read mark") as conn:
            self._upsert(conn, article_id, path, title, now)
            conn.execute(
                "UPDATE articles SET read = ?, read_at = ?, updated = ? WHERE id = ?",
                (int(read), now if read else None, now, article_id),
            )
        return self.article(article_id) or ArticleState(article_id)

    def toggle_read(
        self, article_id: str, path: str | None = None, title: str | None = None
    ) -> bool:
        """Flip the read mark; returns the new value."""
        now = now_iso()
        with self._writing("the read mark") as conn:
            self._upsert(conn, article_id, path, title, now)
            row = conn.execute("SELECT read FROM articles WHERE id = ?", (article_id,)).fetchone()
            new = not bool(row[0])
            conn.execute(
                "UPDATE articles SET read = ?, read_at = ?, updated = ? WHERE id = ?",
                (int(new), now if new else None, now, article_id),
            )
        return new

    def mark_all_read(self, article_ids: Iterable[str], read: bool = True) -> int:
        """Mark many articles read (the current filter) in one transaction; returns how many
        changed."""
        now = now_iso()
        ids = list(dict.fromkeys(article_ids))
        with self._writing("mark all read") as conn:
            before = conn.total_changes
            if not read:
                # Unread is the default: clear existing marks, create no rows.
                conn.executemany(
                    "UPDATE articles SET read = 0, read_at = NULL, updated = ? "
                    "WHERE id = ? AND read = 1",
                    [(now, i) for i in ids],
                )
                return conn.total_changes - before
            conn.executemany(
                "INSERT INTO articles (id, read, read_at, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET read = excluded.read, read_at = excluded.read_at, "
                "updated = excluded.updated WHERE articles.read != excluded.read",
                [(i, int(read), now if read else None, now) for i in ids],
            )
            changed = conn.total_changes - before
        return changed

    def set_bookmarked(
        self,
        article_id: str,
        bookmarked: bool = True,
        path: str | None = None,
        title: str | None = None,
    ) -> ArticleState:
        """Bookmark (or un-bookmark) an article; returns its new state."""
        now = now_iso()
        with self._writing("the bookmark") as conn:
            self._upsert(conn, article_id, path, title, now)
            conn.execute(
                "UPDATE articles SET bookmarked = ?, updated = ? WHERE id = ?",
                (int(bookmarked), now, article_id),
            )
        return self.article(article_id) or ArticleState(article_id)

    def toggle_bookmark(
        self, article_id: str, path: str | None = None, title: str | None = None
    ) -> bool:
        """Flip the article bookmark; returns the new value."""
        now = now_iso()
        with self._writing("the bookmark") as conn:
            self._upsert(conn, article_id, path, title, now)
            row = conn.execute(
                "SELECT bookmarked FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            new = not bool(row[0])
            conn.execute(
                "UPDATE articles SET bookmarked = ?, updated = ? WHERE id = ?",
                (int(new), now, article_id),
            )
        return new

    def set_position(
        self,
        article_id: str,
        scroll_y: float,
        unit: int | None = None,
        path: str | None = None,
        title: str | None = None,
    ) -> None:
        """Remember where the reader left the article (call on leaving it / on quit)."""
        now = now_iso()
        with self._writing("the reading position") as conn:
            self._upsert(conn, article_id, path, title, now)
            conn.execute(
                "UPDATE articles SET scroll_y = ?, unit_index = ?, updated = ? WHERE id = ?",
                (float(scroll_y), unit, now, article_id),
            )

    def get_position(self, article_id: str) -> Position | None:
        """Where the article was left, or None if never recorded."""
        state = self.article(article_id)
        return state.position if state else None

    def remember_article(self, article_id: str, path: str | None, title: str | None) -> None:
        """Record the last path and title of an article (display only; no state changes)."""
        with self._writing("the article path") as conn:
            self._upsert(conn, article_id, path, title, now_iso())

    @staticmethod
    def _upsert(
        conn: sqlite3.Connection, article_id: str, path: str | None, title: str | None, now: str
    ) -> None:
        conn.execute(
            "INSERT INTO articles (id, path, title, updated) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET path = coalesce(excluded.path, articles.path), "
            "title = coalesce(excluded.title, articles.title)",
            (article_id, path, title, now),
        )

    # --- saved quotes ------------------------------------------------------------------------

    def save_quote(self, quote: SavedQuote) -> tuple[SavedQuote, bool]:
        """Save a unit. Returns `(row, created)`: saving the same unit again returns the
        existing row with `created=False`. A unit deleted earlier comes back (note and tags
        kept unless the new one has its own), newest, with `created=True`."""
        if quote.kind not in QUOTE_KINDS:
            raise ValueError(f"unknown quote kind {quote.kind!r}")
        now = now_iso()
        created_at = quote.created or now
        with self._writing("the quote") as conn:
            row = conn.execute(
                "SELECT id, deleted_at FROM quotes WHERE unit_key = ?", (quote.key,)
            ).fetchone()
            if row is not None and row[1] is None:
                quote_id, created = int(row[0]), False
            elif row is not None:
                quote_id, created = int(row[0]), True
                conn.execute(
                    "UPDATE quotes SET deleted_at = NULL, created = ?, updated = ?, "
                    "note = CASE WHEN ? != '' THEN ? ELSE note END, "
                    "tags = CASE WHEN ? != '[]' THEN ? ELSE tags END WHERE id = ?",
                    (
                        created_at,
                        now,
                        quote.note,
                        quote.note,
                        _tags_json(quote.tags),
                        _tags_json(quote.tags),
                        quote_id,
                    ),
                )
            else:
                cur = conn.execute(_INSERT_QUOTE, _quote_params(quote, None, created_at, now))
                quote_id, created = int(cur.lastrowid or 0), True
        saved = self.get_quote(quote_id)
        assert saved is not None
        return saved, created

    def get_quote(self, quote_id: int) -> SavedQuote | None:
        """One live (not deleted) quote by its row id."""
        rows = self._read(
            f"SELECT {_QUOTE_SELECT} FROM quotes WHERE id = ? AND deleted_at IS NULL", (quote_id,)
        )
        return _quote_from_row(rows[0]) if rows else None

    def list_quotes(
        self,
        text: str | None = None,
        *,
        kind: str | None = None,
        speaker: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
    ) -> list[SavedQuote]:
        """Live saved quotes, newest first, filtered by kind / speaker (or tweet handle) /
        article id in SQL, and by `text` (case-insensitive, see `SavedQuote.matches`)."""
        where = ["deleted_at IS NULL"]
        params: list[object] = []
        if kind:
            where.append("kind = ?")
            params.append(kind)
        if speaker:
            where.append("(speaker = ? OR handle = ?)")
            params.extend([speaker, speaker.lstrip("@")])
        if article_id:
            where.append("article_id = ?")
            params.append(article_id)
        sql = (
            f"SELECT {_QUOTE_SELECT} FROM quotes WHERE {' AND '.join(where)} "
            "ORDER BY created DESC, id DESC"
        )
        with self._bulk() as conn:
            quotes = [_quote_from_row(r) for r in conn.execute(sql, params)]
        if text:
            quotes = [q for q in quotes if q.matches(text)]
        return quotes[:limit] if limit is not None else quotes

    def quote_count(self) -> int:
        """How many live saved quotes there are."""
        with self._lock:
            row = self._conn.execute(
                "SELECT count(*) FROM quotes WHERE deleted_at IS NULL"
            ).fetchone()
        return int(row[0])

    def saved_quote_for(self, quote: SavedQuote) -> SavedQuote | None:
        """The live saved row for the same unit as `quote`, if it was saved (to mark it)."""
        rows = self._read(
            f"SELECT {_QUOTE_SELECT} FROM quotes WHERE unit_key = ? AND deleted_at IS NULL",
            (quote.key,),
        )
        return _quote_from_row(rows[0]) if rows else None

    def update_note(self, quote_id: int, note: str) -> SavedQuote:
        """Replace a quote's note; returns the updated row."""
        with self._writing("the note") as conn:
            self._require_live(conn, quote_id)
            conn.execute(
                "UPDATE quotes SET note = ?, updated = ? WHERE id = ?", (note, now_iso(), quote_id)
            )
        return self._must_get(quote_id)

    def update_tags(self, quote_id: int, tags: str | Iterable[str]) -> SavedQuote:
        """Replace a quote's tags (a list, or user text "a, b #c"); returns the updated row."""
        clean = normalize_tags(tags if isinstance(tags, str) else tuple(tags))
        with self._writing("the tags") as conn:
            self._require_live(conn, quote_id)
            conn.execute(
                "UPDATE quotes SET tags = ?, updated = ? WHERE id = ?",
                (_tags_json(clean), now_iso(), quote_id),
            )
        return self._must_get(quote_id)

    def delete_quote(self, quote_id: int) -> SavedQuote | None:
        """Delete a quote at the user's request; returns the row, for `restore_quote` (undo).

        The row is only marked deleted, so undo is exact and nothing is ever lost.
        """
        row = self.get_quote(quote_id)
        if row is None:
            return None
        with self._writing("the deletion") as conn:
            conn.execute(
                "UPDATE quotes SET deleted_at = ?, updated = ? WHERE id = ? AND deleted_at IS NULL",
                (now_iso(), now_iso(), quote_id),
            )
        return row

    def restore_quote(self, quote: SavedQuote) -> SavedQuote:
        """Undo a delete: bring back the row exactly as `delete_quote` returned it."""
        now = now_iso()
        with self._writing("the undo") as conn:
            existing = None
            if quote.id is not None:
                existing = conn.execute(
                    "SELECT id FROM quotes WHERE id = ? AND unit_key = ?", (quote.id, quote.key)
                ).fetchone()
            if existing is None:
                existing = conn.execute(
                    "SELECT id FROM quotes WHERE unit_key = ?", (quote.key,)
                ).fetchone()
            if existing is not None:
                quote_id = int(existing[0])
                conn.execute(
                    "UPDATE quotes SET deleted_at = NULL, note = ?, tags = ?, created = ?, "
                    "updated = ? WHERE id = ?",
                    (quote.note, _tags_json(quote.tags), quote.created or now, now, quote_id),
                )
            else:
                cur = conn.execute(
                    _INSERT_QUOTE, _quote_params(quote, quote.id, quote.created or now, now)
                )
                quote_id = int(cur.lastrowid or 0)
        return self._must_get(quote_id)

    def _must_get(self, quote_id: int) -> SavedQuote:
        saved = self.get_quote(quote_id)
        if saved is None:
            raise StoreError(f"quote {quote_id} no longer exists")
        return saved

    @staticmethod
    def _require_live(conn: sqlite3.Connection, quote_id: int) -> None:
        row = conn.execute(
            "SELECT 1 FROM quotes WHERE id = ? AND deleted_at IS NULL", (quote_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"quote {quote_id} no longer exists")

    # --- settings ----------------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A small remembered value (e.g. "theme")."""
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: str) -> None:
        """Remember a small value."""
        with self._writing(f"the {key} setting") as conn:
            self._set_setting(conn, key, value)

    @staticmethod
    def _set_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute(
            "INSERT INTO settings (key, value, updated) VALUES (?, ?, ?) ON CONFLICT (key) "
            "DO UPDATE SET value = excluded.value, updated = excluded.updated",
            (key, value, now_iso()),
        )

    def remembered_theme(self) -> str | None:
        """The theme last chosen in the app, or None (see `reader.config.effective_theme`)."""
        return self.get_setting("theme")

    def remembered_theme_config(self) -> str | None:
        """config.toml's `theme` at the moment the app theme was chosen (None if unset)."""
        return self.get_setting("theme.config") or None

    def remember_theme(self, theme: str, config_theme: str | None = None) -> None:
        """Remember the theme the user just chose in the app, with config.toml's `theme`
        at that moment (so a later edit of the file can be told apart)."""
        with self._writing("the theme") as conn:
            self._set_setting(conn, "theme", theme)
            self._set_setting(conn, "theme.config", config_theme or "")


class ArticleFlags:
    """Read and bookmark marks for the UI: in-memory id sets (O(1) membership for 100k list
    rows) kept in step with the store. Same methods as the app's in-memory `SessionFlags`.

    Each change is applied to the sets and then saved. If saving fails (a read-only session,
    a full disk) the change still holds for this session and `StoreError` is raised *after*
    it, so the UI can say "not saved" while the list stays consistent with what was pressed.
    """

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self.read: set[str] = store.read_ids()
        self.bookmarked: set[str] = store.bookmarked_ids()

    def is_read(self, article_id: str) -> bool:
        """True if the article is marked read."""
        return article_id in self.read

    def is_bookmarked(self, article_id: str) -> bool:
        """True if the article is bookmarked."""
        return article_id in self.bookmarked

    def mark_read(self, article_id: str, path: str | None = None, title: str | None = None) -> None:
        """Mark read (the open policy); saves only if it was not read already."""
        if article_id in self.read:
            return
        self.read.add(article_id)
        self.store.mark_read(article_id, path, title)

    def toggle_read(
        self, article_id: str, path: str | None = None, title: str | None = None
    ) -> bool:
        """Flip the read mark; returns the new value."""
        new = article_id not in self.read
        self.read.symmetric_difference_update({article_id})
        self.store.mark_read(article_id, path, title, read=new)
        return new

    def toggle_bookmark(
        self, article_id: str, path: str | None = None, title: str | None = None
    ) -> bool:
        """Flip the bookmark; returns the new value."""
        new = article_id not in self.bookmarked
        self.bookmarked.symmetric_difference_update({article_id})
        self.store.set_bookmarked(article_id, new, path, title)
        return new

    def mark_all_read(self, article_ids: Iterable[str]) -> int:
        """Mark every given article read (the current filter); returns how many changed."""
        ids = [i for i in article_ids if i not in self.read]
        self.read.update(ids)
        self.store.mark_all_read(ids)
        return len(ids)


# --- rows ------------------------------------------------------------------------------------

_QUOTE_COLUMNS = (
    "id, unit_key, kind, text, speaker, handle, tweet_date, url, article_id, article_title, "
    "article_source, article_date, article_url, context_before, context_after, block_index, "
    "char_start, char_end, created, note, tags, updated"
)
_INSERT_QUOTE = f"INSERT INTO quotes ({_QUOTE_COLUMNS}) VALUES ({', '.join('?' * 22)})"


def _tags_json(tags: Iterable[str]) -> str:
    return json.dumps(list(tags), ensure_ascii=False)


def _quote_params(
    q: SavedQuote, quote_id: int | None, created: str, now: str
) -> tuple[object, ...]:
    return (
        quote_id,
        q.key,
        q.kind,
        q.text,
        q.speaker,
        q.handle,
        q.date,
        q.url,
        q.article_id,
        q.article_title,
        q.article_source,
        q.article_date,
        q.article_url,
        q.context_before,
        q.context_after,
        q.block,
        q.start,
        q.end,
        created,
        q.note,
        _tags_json(q.tags),
        now,
    )


# Column order of `_QUOTE_SELECT` is the field order `_quote_from_row` reads (tuples are
# several times faster than sqlite3.Row for the 10k-quote Bookmarks load).
_QUOTE_SELECT = (
    "id, kind, text, speaker, handle, tweet_date, url, article_id, article_title, "
    "article_source, article_date, article_url, context_before, context_after, block_index, "
    "char_start, char_end, created, note, tags"
)


def _quote_from_row(r: tuple[Any, ...] | sqlite3.Row) -> SavedQuote:
    tags: tuple[str, ...] = ()
    if r[19] and r[19] != "[]":
        try:
            tags = tuple(str(t) for t in json.loads(r[19]))
        except (ValueError, TypeError):
            tags = ()
    return SavedQuote(
        r[1], r[2], r[7], r[8], r[9], r[10], r[11], r[3], r[4], r[5], r[6], r[12], r[13],
        int(r[14]), int(r[15]), int(r[16]), r[17], r[18], tags, int(r[0]),
    )  # fmt: skip


def _article_from_row(r: sqlite3.Row) -> ArticleState:
    position = None
    if r["scroll_y"] is not None or r["unit_index"] is not None:
        position = Position(float(r["scroll_y"] or 0.0), r["unit_index"])
    return ArticleState(
        id=r["id"],
        read=bool(r["read"]),
        read_at=r["read_at"],
        bookmarked=bool(r["bookmarked"]),
        path=r["path"],
        title=r["title"],
        position=position,
        updated=r["updated"],
    )


# --- opening helpers -------------------------------------------------------------------------


def _is_corrupt(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def _open_writable(path: Path) -> sqlite3.Connection:
    """Open, migrate and prove the file writable (a tiny write), or raise."""
    try:
        conn = connect(path)
    except sqlite3.DatabaseError as exc:
        if _is_corrupt(exc):
            raise _Corrupt(str(exc)) from exc
        raise
    try:
        migrate(conn, MIGRATIONS)
        # Proves we can write now rather than on the user's first bookmark.
        with transaction(conn):
            conn.execute(
                "INSERT INTO settings (key, value, updated) VALUES ('last_opened', ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (now_iso(), now_iso()),
            )
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _is_corrupt(exc):
            raise _Corrupt(str(exc)) from exc
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def _move_aside(path: Path) -> Path:
    """Rename a damaged file (and its -wal/-shm companions) to `NAME.corrupt-YYYYmmdd-HHMMSS`."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():  # two damaged files in one second: never overwrite the first
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    return target


def _copy_into(path: Path, mem: sqlite3.Connection) -> bool:
    """Copy a file we may not write into memory; True on success."""
    base = path.resolve().as_uri()
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        try:
            src = sqlite3.connect(base + query, uri=True)
            try:
                src.backup(mem)
            finally:
                src.close()
            return True
        except sqlite3.Error:
            continue
    return False
