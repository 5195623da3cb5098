"""Forward migrations: a file written by an older reader opens with its data intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.saving import SavedQuote
from reader.store.location import STATE_FILENAME
from reader.store.state import SCHEMA_VERSION, Position, StateStore

# The version-1 layout, written out by hand as the first release created it (not imported
# from the code: the point is to catch a migration list that no longer fits old files).
VERSION_1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (1);
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
INSERT INTO articles VALUES ('art1', 1, '2020-01-01T00:00:00Z', 1, '/old/a.txt', 'Old A',
                             '2020-01-01T00:00:00Z');
INSERT INTO articles VALUES ('art2', 0, NULL, 1, '/old/b.txt', 'Old B', '2020-01-01T00:00:00Z');
INSERT INTO quotes (id, unit_key, kind, text, speaker, article_id, article_title, block_index,
                    char_start, char_end, created, note)
VALUES (7, 'k1', 'quote', 'Nobody asked us.', 'the mayor', 'art1', 'Old A', 3, 10, 26,
        '2020-01-02T00:00:00Z', 'from version 1');
"""


def build_v1(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / STATE_FILENAME
    conn = sqlite3.connect(path)
    conn.executescript(VERSION_1)
    conn.commit()
    conn.close()
    return path


def test_a_version_1_file_is_upgraded_with_its_data(tmp_path: Path) -> None:
    path = build_v1(tmp_path)
    with StateStore.open(tmp_path) as store:
        assert store.messages == [] and not store.read_only
        assert store.read_ids() == {"art1"}
        assert store.bookmarked_ids() == {"art1", "art2"}
        assert store.article("art2").path == "/old/b.txt"  # type: ignore[union-attr]
        [quote] = store.list_quotes()
        assert (quote.id, quote.text, quote.speaker, quote.note, quote.tags) == (
            7,
            "Nobody asked us.",
            "the mayor",
            "from version 1",
            (),
        )
        assert (quote.block, quote.start, quote.end) == (3, 10, 26)
        # The new columns work on the upgraded file.
        store.update_tags(7, "old, kept")
        store.set_position("art1", 10.0, 2)
        store.remember_theme("nord")
        new, created = store.save_quote(SavedQuote(kind="paragraph", text="new", article_id="x"))
        assert created and new.id == 8
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    with StateStore.open(tmp_path) as store:
        assert store.get_quote(7).tags == ("old", "kept")  # type: ignore[union-attr]
        assert store.get_position("art1") == Position(10.0, 2)
        assert store.remembered_theme() == "nord"


def test_an_empty_file_is_a_fresh_store(tmp_path: Path) -> None:
    (tmp_path / STATE_FILENAME).write_bytes(b"")
    with StateStore.open(tmp_path) as store:
        assert store.messages == []
        store.mark_read("a")
        assert store.read_ids() == {"a"}


def test_a_file_from_a_newer_reader_is_opened_read_only_and_left_alone(tmp_path: Path) -> None:
    path = build_v1(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    before = list(sqlite3.connect(path).iterdump())
    with StateStore.open(tmp_path) as store:
        assert store.read_only
        assert any("newer" in m for m in store.messages)
        assert store.read_ids() == {"art1"}  # reads still work on the copy
    # Not migrated, not written: the newer reader finds its file as it left it.
    assert list(sqlite3.connect(path).iterdump()) == before
