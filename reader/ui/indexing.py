"""The app's library through the parsed-article cache: warm rows at once, indexing behind them.

On launch `open_library` opens `library.sqlite3` on the UI thread and the list shows what it
holds (paged, see `reader.ui.cached_rows`); `index_library` then runs `reader.indexer.index_paths`
in a thread worker with its own `ArticleCache` (one connection per thread; WAL lets the UI read
while it writes). The worker reports only by posting `LibraryIndexed`; quitting cancels the
worker, whose `cancelled_event` is the indexer's cancel flag, so it stops between two files.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.worker import get_current_worker

from reader.ui.cached_rows import CachedRows

if TYPE_CHECKING:
    from textual.app import App

    from reader.indexer import IndexProgress
    from reader.model import Article
    from reader.store.cache import ArticleCache
    from reader.ui.screens import Problem

KEPT_ARTICLES = 16


@dataclass
class LibraryIndexed(Message, bubble=False):
    """Progress from the indexing worker, with the files that failed since the last one."""

    progress: IndexProgress
    problems: list[Problem]

    def can_replace(self, message: Message) -> bool:
        # High-rate progress: a newer event stands for an older one, unless the older one
        # carries problems or the end of the run.
        return (
            isinstance(message, LibraryIndexed)
            and not message.problems
            and not message.progress.finished
        )


class CachedLibrary:
    """The UI thread's view of the cache: rows, full articles, the library-wide views."""

    def __init__(self, cache: ArticleCache, paths: list[str], data_dir: Path) -> None:
        from reader.indexer import scope_of

        self.cache = cache
        self.paths = paths
        self.data_dir = data_dir
        self.scope = scope_of(paths)
        self.rows = CachedRows(cache, self.scope)
        #: Given to every `CachedRows` made here (see `CachedRows.prefetcher`).
        self.prefetcher: Callable[[CachedRows, list[int]], None] | None = None
        self._articles: OrderedDict[str, Article | None] = OrderedDict()
        # Changes (new + changed + removed) already shown; more means the rows must be re-read.
        self.shown_changes = 0

    def use_prefetcher(self, prefetcher: Callable[[CachedRows, list[int]], None]) -> None:
        """Read pages in the background from now on, starting with the top and the end."""
        self.prefetcher = prefetcher
        self.rows.prefetcher = prefetcher
        self.rows.prefetch(1, self.rows.pages - 1)

    def refresh(self) -> CachedRows:
        """Re-read the count after the indexer changed the cache (pages load on demand)."""
        self._articles.clear()
        self.rows = CachedRows(self.cache, self.scope)
        self.rows.prefetcher = self.prefetcher
        self.rows.prefetch(0, 1, self.rows.pages - 1)  # the top, and the end for End / G
        return self.rows

    def article(self, article_id: str) -> Article | None:
        """The full article, parsed from its cached JSON (the last few are kept, so moving
        the cursor back and forth returns the same object and the pane does not re-typeset)."""
        if article_id in self._articles:
            self._articles.move_to_end(article_id)
            return self._articles[article_id]
        article = self.cache.article(article_id)
        self._articles[article_id] = article
        if len(self._articles) > KEPT_ARTICLES:
            self._articles.popitem(last=False)
        return article

    def close(self) -> None:
        self.cache.close()


def open_library(paths: list[str], data_dir: str | None) -> tuple[CachedLibrary | None, str]:
    """The cache for `paths` (the bundled samples when empty), or None and why not."""
    from reader.paths import samples_dir
    from reader.store.cache import ArticleCache
    from reader.store.location import data_dir as resolve_data_dir

    folder = resolve_data_dir(data_dir)
    try:
        cache = ArticleCache.open(folder)
    except Exception as error:  # no cache: the app falls back to loading files in memory
        return None, f"the article cache could not be opened: {error}"
    library = CachedLibrary(cache, list(paths) or [str(samples_dir())], folder)
    return library, "; ".join(cache.messages)


def index_library(app: App[Any], paths: list[str], data_dir: Path) -> None:
    """Bring the cache up to date with `paths`, posting `LibraryIndexed` to `app`.

    Runs in a thread worker (`app.run_worker(..., thread=True)`); opens its own cache.
    """
    from reader.indexer import IndexProgress, index_paths
    from reader.store.cache import ArticleCache
    from reader.ui.app import as_problem
    from reader.ui.screens import Problem

    worker = get_current_worker()
    last: IndexProgress | None = None
    try:
        with ArticleCache.open(data_dir) as cache:
            # The worker's cancelled_event is set when the app quits: the indexer stops
            # between two files and the thread ends.
            # (Its process pool works under Textual's captured stderr: see
            # reader.indexer._start_resource_tracker.)
            for progress in index_paths(paths, cache, cancel=worker.cancelled_event):
                last = progress
                problems = [as_problem(error) for error in progress.errors]
                app.post_message(LibraryIndexed(progress, problems))
    except Exception as error:  # an indexing bug must not take the app down
        base = last or IndexProgress(phase="done")
        failed = IndexProgress(
            phase="cancelled",
            files_done=base.files_done,
            files_total=base.files_total,
            articles=base.articles,
            new=base.new,
            changed=base.changed,
            removed=base.removed,
            error_count=base.error_count + 1,
            elapsed=base.elapsed,
        )
        where = ", ".join(paths)
        app.post_message(LibraryIndexed(failed, [Problem(where, f"indexing stopped: {error}")]))


def page_prefetcher(app: App[Any], data_dir: Path) -> Callable[[CachedRows, list[int]], None]:
    """A `CachedRows.prefetcher` reading pages in a thread worker (its own connection)."""
    from reader.ui.cached_rows import PAGE_ROWS

    def prefetch(rows: CachedRows, numbers: list[int]) -> None:
        def read() -> None:
            from reader.ui.search import thread_cache

            cache = thread_cache(data_dir)
            pages = {
                n: cache.summaries_page(offset=n * PAGE_ROWS, limit=PAGE_ROWS, under=rows.under)
                for n in numbers
            }
            if get_current_worker().is_cancelled:
                return

            def install() -> None:
                for number, page in pages.items():
                    rows.install(number, page)

            try:
                app.call_from_thread(install)
            except RuntimeError:  # the app has gone
                pass

        app.run_worker(read, name="pages", group="pages", thread=True, exit_on_error=False)

    return prefetch
