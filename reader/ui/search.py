"""Search as you type: `/` narrows the list to full-text matches, best first.

Most queries take a few milliseconds at 100,000 articles, but a two-letter prefix of a common
word can take a hundred or more, so every query runs in a thread worker (one `ArticleCache`
per thread), after a short pause that lets fast typing skip the intermediate prefixes. Only the
latest query's result reaches the list: the worker group is exclusive, and a result is dropped
when the prompt no longer says what it was searched for.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from reader.ui.cached_rows import CachedRows, SearchRows, search_summaries

if TYPE_CHECKING:
    from reader.store.cache import ArticleCache
    from reader.ui.app import ReaderApp

DEBOUNCE = 0.04
"""Seconds a query waits for the next key before it is searched."""

_thread = threading.local()


def thread_cache(data_dir: Path) -> ArticleCache:
    """This worker thread's connection to the cache (opened on its first search)."""
    from reader.store.cache import ArticleCache

    cache: ArticleCache | None = getattr(_thread, "cache", None)
    if cache is None or getattr(_thread, "data_dir", None) != data_dir:
        if cache is not None:
            cache.close()
        cache = ArticleCache.open(data_dir)
        _thread.cache, _thread.data_dir = cache, data_dir
    return cache


def start_search(app: ReaderApp, query: str) -> None:
    """Show the matches for `query` (the whole library when blank) once they are found."""
    library = app.library
    base = app.rows
    if library is None or not isinstance(base, CachedRows):
        return
    if not query.strip():
        app.workers.cancel_group(app, "search")
        app.article_list.set_rows(base)
        app._update_summary()
        return
    data_dir = library.data_dir

    def search() -> None:
        worker = get_current_worker()
        time.sleep(DEBOUNCE)
        if worker.is_cancelled:
            return
        rows = search_summaries(thread_cache(data_dir), query, base.under)
        if worker.is_cancelled:
            return
        app.call_from_thread(show_results, app, base, query, rows)

    app.run_worker(
        search, name="search", group="search", exclusive=True, thread=True, exit_on_error=False
    )


def show_results(app: ReaderApp, base: CachedRows, query: str, rows: list) -> None:
    """Put a search's rows in the list, if the prompt still asks for them."""
    if app.filter_query() != query or app.rows is not base:
        return
    app.article_list.set_rows(SearchRows(base, query, rows))
    app._update_summary()
