"""`CachedRows` / `SearchRows` on a real `library.sqlite3`: pages, lookups, a full scan."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.ui.cached_rows as cached_rows
from reader.indexer import index_paths, scope_of
from reader.store.cache import ArticleCache
from reader.ui.cached_rows import CachedRows, SearchRows


@pytest.fixture
def cache(tmp_path: Path) -> ArticleCache:
    folder = tmp_path / "library"
    folder.mkdir()
    for n in range(7):
        (folder / f"a{n}.md").write_text(
            f'---\ntitle: "Tide table number {n}"\ndate: 2024-03-{n + 1:02}\n---\n\n'
            f"Low water at {n} o'clock{' beside the lighthouse' if n == 4 else ''}.\n",
            encoding="utf-8",
        )
    store = ArticleCache.open(tmp_path / "data")
    for _ in index_paths([str(folder)], store, workers=0):
        pass
    store.scope = scope_of([str(folder)])  # type: ignore[attr-defined]
    return store


def test_pages_read_the_same_rows_as_the_whole_list(
    cache: ArticleCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cached_rows, "PAGE_ROWS", 2)
    rows = CachedRows(cache, cache.scope)  # type: ignore[attr-defined]
    expected = cache.summaries(under=cache.scope)  # type: ignore[attr-defined]
    assert len(rows) == rows.total == 7
    assert [rows[i] for i in range(len(rows))] == expected
    assert rows[-1] == expected[-1]
    with pytest.raises(IndexError):
        rows[7]
    # Newest first: the list order of reader.model.list_order_key.
    assert rows[0].title == "Tide table number 6"
    assert rows.index_of(expected[5].id) == 5


def test_a_walk_over_every_row_switches_to_one_query(
    cache: ArticleCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cached_rows, "PAGE_ROWS", 1)
    monkeypatch.setattr(cached_rows, "SCAN_MISSES", 2)
    rows = CachedRows(cache, cache.scope)  # type: ignore[attr-defined]
    calls: list[int] = []
    real = cache.summaries_page

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs.get("offset", 0))
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "summaries_page", counted)
    titles = [rows[i].title for i in range(len(rows))]
    assert len(titles) == 7
    assert len(calls) == 2  # then the whole list in one query
    assert rows.index_of(rows[6].id) == 6


def test_prefetched_pages_are_used_and_not_read_again(
    cache: ArticleCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cached_rows, "PAGE_ROWS", 2)
    rows = CachedRows(cache, cache.scope)  # type: ignore[attr-defined]
    asked: list[list[int]] = []
    rows.prefetcher = lambda source, numbers: asked.append(numbers)
    rows[2]  # page 1: its neighbours are asked for
    assert asked == [[0, 2]]
    rows.install(0, cache.summaries_page(offset=0, limit=2, under=rows.under))
    monkeypatch.setattr(cache, "summaries_page", lambda **kw: pytest.fail("read again"))
    assert rows[0].title == "Tide table number 6"


def test_search_rows_are_best_first_and_mark_title_words(cache: ArticleCache) -> None:
    rows = CachedRows(cache, cache.scope)  # type: ignore[attr-defined]
    found = rows.filtered("lighthouse")
    assert isinstance(found, SearchRows)
    assert [found[i].title for i in range(len(found))] == ["Tide table number 4"]
    assert found.index_of(found[0].id) == 0
    assert rows.filtered("  ") is rows
    table = rows.filtered("tide tab")
    assert isinstance(table, SearchRows) and len(table) == 7
    assert table.title_spans("Tide table number 4") == [(0, 4), (5, 10)]
    assert len(rows.filtered('"*NEAR(-')) == 0  # FTS syntax is data


def test_ids_follow_the_list_order_in_every_scope(cache: ArticleCache) -> None:
    scope = cache.scope  # type: ignore[attr-defined]
    for under in (None, scope, [scope[0] + "/a3.md", scope[0] + "/a5.md"]):
        assert cache.ids(under=under) == [s.id for s in cache.summaries(under=under)]
    for order in ("title", "source"):
        assert cache.ids(order) == [s.id for s in cache.summaries(order)]  # type: ignore[arg-type]


def test_unread_and_flag_filter_use_ids_and_never_build_every_row(
    cache: ArticleCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.ui.rows import row_ids
    from reader.ui.state_actions import FlaggedRows

    monkeypatch.setattr(cached_rows, "PAGE_ROWS", 2)
    rows = CachedRows(cache, cache.scope)  # type: ignore[attr-defined]
    expected = cache.summaries(under=cache.scope)  # type: ignore[attr-defined]
    # At 100,000 rows building them all costs most of a second: counting and filtering by
    # read marks must not.
    monkeypatch.setattr(cache, "summaries", lambda **kw: pytest.fail("built every row"))
    monkeypatch.setattr(cache, "summaries_by_id", lambda ids: pytest.fail("built every row"))
    read = {expected[1].id, expected[4].id, "not-in-the-library"}
    assert rows.unread(read) == 5
    assert rows.unread(set()) == 7
    unread = FlaggedRows(rows, read, True, pinned=expected[4].id)
    assert [unread[i].id for i in range(len(unread))] == [
        s.id for n, s in enumerate(expected) if n != 1
    ]
    assert row_ids(unread) == [s.id for n, s in enumerate(expected) if n != 1]
    assert unread.index_of(expected[4].id) == 3
