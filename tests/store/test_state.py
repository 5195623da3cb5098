"""The state store's API on real SQLite files: read marks, bookmarks, positions, saved quotes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.saving import SavedQuote
from reader.store.location import ENV_DATA_DIR, STATE_FILENAME, data_dir, state_path
from reader.store.state import (
    SCHEMA_VERSION,
    ArticleFlags,
    Position,
    StateStore,
    StoreError,
    StoreReadOnlyError,
)


def make_quote(n: int = 0, **changes: object) -> SavedQuote:
    fields: dict[str, object] = {
        "kind": "quote",
        "text": f"We were not consulted, number {n}.",
        "article_id": f"article{n % 7}",
        "article_title": f"Title {n % 7}",
        "speaker": "the mayor",
        "block": n,
        "start": 0,
        "end": 30,
    }
    fields.update(changes)
    return SavedQuote(**fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    s = StateStore.open(tmp_path)
    yield s
    s.close()


def test_open_creates_the_file_with_wal_and_current_schema(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / "nested" / "dir") as s:
        assert s.messages == []
        assert not s.read_only
    path = tmp_path / "nested" / "dir" / STATE_FILENAME
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def test_data_dir_precedence(tmp_path: Path) -> None:
    env = {ENV_DATA_DIR: str(tmp_path / "env")}
    assert data_dir(tmp_path / "flag", env) == tmp_path / "flag"
    assert data_dir(None, env) == tmp_path / "env"
    default = data_dir(None, {})
    assert default.name == "reader" and default != tmp_path / "env"
    assert state_path(None, env) == tmp_path / "env" / "state.sqlite3"


def test_open_honours_the_environment_variable(tmp_path: Path) -> None:
    with StateStore.open(environ={ENV_DATA_DIR: str(tmp_path / "fromenv")}) as s:
        s.mark_read("x")
    assert (tmp_path / "fromenv" / STATE_FILENAME).exists()


def test_read_marks(store: StateStore) -> None:
    assert store.article("a") is None and not store.is_read("a")
    state = store.mark_read("a", "/news/a.txt", "A title")
    assert state.read and state.read_at and state.path == "/news/a.txt"
    assert store.toggle_read("a") is False
    assert store.article("a").read_at is None  # type: ignore[union-attr]
    assert store.toggle_read("b", "/b.txt", "B") is True
    store.mark_read("c", read=False)
    assert store.read_ids() == {"b"}
    # The path follows a rename; a call without path keeps the last one.
    store.mark_read("b", "/moved/b.txt")
    store.mark_read("b")
    assert store.article("b").path == "/moved/b.txt"  # type: ignore[union-attr]
    assert store.article("b").title == "B"  # type: ignore[union-attr]


def test_mark_all_read_counts_changes_only(store: StateStore) -> None:
    store.mark_read("a")
    assert store.mark_all_read(["a", "b", "c", "c"]) == 2
    assert store.read_ids() == {"a", "b", "c"}
    assert store.mark_all_read(["a", "z"], read=False) == 1  # z had no state and stays unread
    assert store.read_ids() == {"b", "c"}


def test_bookmarks(store: StateStore) -> None:
    assert store.toggle_bookmark("a", "/a.txt", "A") is True
    store.set_bookmarked("b", True)
    store.set_bookmarked("c", False)
    assert store.bookmarked_ids() == {"a", "b"}
    assert store.toggle_bookmark("a") is False
    assert store.bookmarked_ids() == {"b"}
    assert store.is_bookmarked("b") and not store.is_bookmarked("a")
    # Bookmarking does not touch the read mark.
    assert store.read_ids() == set()


def test_positions(store: StateStore) -> None:
    assert store.get_position("a") is None
    store.set_position("a", 42.0, 5, "/a.txt", "A")
    assert store.get_position("a") == Position(42.0, 5)
    store.set_position("a", 3.5)
    assert store.get_position("a") == Position(3.5, None)
    store.mark_read("a")
    assert store.get_position("a") == Position(3.5, None)


def test_state_survives_reopening(tmp_path: Path) -> None:
    with StateStore.open(tmp_path) as s:
        s.mark_read("a")
        s.toggle_bookmark("b")
        s.save_quote(make_quote(1, note="keep me"))
        s.remember_theme("gruvbox")
    with StateStore.open(tmp_path) as s:
        assert s.read_ids() == {"a"}
        assert s.bookmarked_ids() == {"b"}
        assert [q.note for q in s.list_quotes()] == ["keep me"]
        assert s.remembered_theme() == "gruvbox"


def test_saving_the_same_unit_twice_returns_the_existing_row(store: StateStore) -> None:
    first, created = store.save_quote(make_quote(1))
    assert created and first.id is not None
    again, created_again = store.save_quote(make_quote(1, text="other text, same unit"))
    assert not created_again
    assert again.id == first.id and again.text == first.text
    other, created_other = store.save_quote(make_quote(1, kind="sentence"))
    assert created_other and other.id != first.id
    assert store.quote_count() == 2


def test_quote_round_trip_keeps_every_field(store: StateStore) -> None:
    q = SavedQuote(
        kind="tweet",
        text="Line one\nline two [bold]not markup[/bold]",
        article_id="abc",
        article_title="A title",
        article_source="/news/a.txt",
        article_date="2018-07-03",
        article_url="https://example.org/a",
        speaker="Ada (she/her) 🏳️‍🌈",
        handle="ada_1",
        date="2018-07-02",
        url="https://twitter.com/ada_1",
        context_before="before text",
        context_after="after text",
        block=4,
        start=0,
        end=41,
        created="2026-01-02T03:04:05.000000Z",
        note="a note",
        tags=("x", "y"),
    )
    saved, _ = store.save_quote(q)
    assert saved.id is not None
    for name in SavedQuote.__slots__:
        if name != "id":
            assert getattr(saved, name) == getattr(q, name), name


def test_list_quotes_newest_first_and_filters(store: StateStore) -> None:
    a, _ = store.save_quote(make_quote(1, created="2026-01-01T00:00:00.000000Z"))
    b, _ = store.save_quote(
        make_quote(
            2,
            kind="tweet",
            speaker="Ada",
            handle="ada",
            text="Rain in Marseille",
            created="2026-01-03T00:00:00.000000Z",
        )
    )
    c, _ = store.save_quote(make_quote(3, created="2026-01-02T00:00:00.000000Z", note="Ferry"))
    assert [q.id for q in store.list_quotes()] == [b.id, c.id, a.id]
    assert [q.id for q in store.list_quotes(kind="tweet")] == [b.id]
    assert [q.id for q in store.list_quotes(speaker="@ada")] == [b.id]
    assert [q.id for q in store.list_quotes(speaker="the mayor")] == [c.id, a.id]
    assert [q.id for q in store.list_quotes("MARSEILLE")] == [b.id]
    assert [q.id for q in store.list_quotes("ferry")] == [c.id]  # the note is searched too
    assert [q.id for q in store.list_quotes(article_id="article1")] == [a.id]
    assert len(store.list_quotes(limit=2)) == 2


def test_note_and_tags(store: StateStore) -> None:
    q, _ = store.save_quote(make_quote(1))
    assert q.id is not None
    assert store.update_note(q.id, "why it matters").note == "why it matters"
    assert store.update_tags(q.id, "climate, #ports  climate").tags == ("climate", "ports")
    assert store.update_tags(q.id, ["a"]).tags == ("a",)
    with pytest.raises(StoreError):
        store.update_note(9999, "nope")


def test_delete_and_undo_restore_the_exact_row(tmp_path: Path, store: StateStore) -> None:
    q, _ = store.save_quote(make_quote(1, note="n", tags=("t",)))
    keep, _ = store.save_quote(make_quote(2))
    assert q.id is not None
    removed = store.delete_quote(q.id)
    assert removed == q
    assert [x.id for x in store.list_quotes()] == [keep.id]
    assert store.get_quote(q.id) is None
    assert store.delete_quote(q.id) is None  # already gone: nothing to undo
    # Nothing is erased: the row is still in the file.
    raw = sqlite3.connect(tmp_path / STATE_FILENAME)
    assert raw.execute("SELECT count(*) FROM quotes").fetchone()[0] == 2
    restored = store.restore_quote(removed)
    assert restored == q
    assert {x.id for x in store.list_quotes()} == {q.id, keep.id}


def test_saving_a_deleted_unit_again_brings_it_back(store: StateStore) -> None:
    q, _ = store.save_quote(make_quote(1, note="old note"))
    assert q.id is not None
    store.delete_quote(q.id)
    again, created = store.save_quote(make_quote(1))
    assert created and again.id == q.id and again.note == "old note"
    assert store.quote_count() == 1


def test_restore_into_a_store_that_never_had_the_row(tmp_path: Path, store: StateStore) -> None:
    q, _ = store.save_quote(make_quote(1))
    with StateStore.open(tmp_path / "other") as other:
        restored = other.restore_quote(q)
        assert restored.text == q.text and restored.created == q.created
        assert other.quote_count() == 1


def test_unknown_kind_is_refused(store: StateStore) -> None:
    with pytest.raises(ValueError):
        store.save_quote(make_quote(1, kind="poem"))
    assert store.quote_count() == 0


def test_settings(store: StateStore) -> None:
    assert store.get_setting("theme") is None
    assert store.remembered_theme() is None
    store.remember_theme("nord")
    store.remember_theme("dracula")
    assert store.remembered_theme() == "dracula"
    assert store.get_setting("missing", "dflt") == "dflt"


def test_articles_lists_everything_with_state(store: StateStore) -> None:
    store.mark_read("a", "/a.txt", "A")
    store.toggle_bookmark("b")
    assert [(s.id, s.read, s.bookmarked) for s in store.articles()] == [
        ("a", True, False),
        ("b", False, True),
    ]


def test_article_flags_keep_sets_and_file_in_step(tmp_path: Path) -> None:
    with StateStore.open(tmp_path) as s:
        s.mark_read("old")
        flags = ArticleFlags(s)
        assert flags.is_read("old") and not flags.is_bookmarked("old")
        flags.mark_read("a", "/a.txt", "A")
        assert flags.toggle_read("old") is False
        assert flags.toggle_bookmark("b") is True
        assert flags.mark_all_read(["a", "c", "d"]) == 2
        assert flags.read == {"a", "c", "d"} and flags.bookmarked == {"b"}
    with StateStore.open(tmp_path) as again:
        assert again.read_ids() == {"a", "c", "d"} and again.bookmarked_ids() == {"b"}
        assert again.article("a").path == "/a.txt"  # type: ignore[union-attr]


def test_article_flags_in_a_read_only_session_hold_for_the_session(tmp_path: Path) -> None:
    with StateStore.open(tmp_path) as s:
        s.mark_read("a")
    raw = sqlite3.connect(tmp_path / STATE_FILENAME)
    raw.execute("UPDATE schema_version SET version = 500")
    raw.commit()
    raw.close()
    with StateStore.open(tmp_path) as ro:
        flags = ArticleFlags(ro)
        with pytest.raises(StoreReadOnlyError, match="read-only"):
            flags.toggle_bookmark("a")
        assert flags.is_bookmarked("a")  # pressed, shown, but reported as not saved
        assert ro.bookmarked_ids() == set()
