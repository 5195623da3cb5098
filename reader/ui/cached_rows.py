"""Row sources read from the parsed-article cache: the whole library, and search results.

`CachedRows` pages `ArticleSummary` rows out of `library.sqlite3` as the list asks for them
(a few pages are held, never 100,000 objects), so a warm launch shows the list without reading
every row. `SearchRows` is what `/` narrows it to: the best full-text matches, bm25 order.
Both satisfy `reader.ui.rows.RowSource`, so `ArticleList` does not know where rows come from.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.model import ArticleSummary
    from reader.query import Query
    from reader.store.cache import ArticleCache

PAGE_ROWS = 200
"""Rows fetched per query: a screen or two, a few milliseconds at any offset."""

KEPT_PAGES = 32

SCAN_MISSES = 24
"""Pages read on demand (not prefetched) after which the rows are read all at once."""

SEARCH_LIMIT = 200
"""Best matches the search list shows (ranking more costs time on every key typed)."""


class CachedRows:
    """Every cached article at or below `under`, in the app's list order, paged from SQLite.

    Built on the UI thread's `ArticleCache`; a new instance is made when the indexer changes
    the cache (the count and pages are a snapshot).
    """

    def __init__(self, cache: ArticleCache, under: Sequence[str] | None) -> None:
        self._cache = cache
        self._under = list(under) if under is not None else None
        self._total = cache.count(under=self._under)
        self._pages: OrderedDict[int, list[ArticleSummary]] = OrderedDict()
        #: Reads pages in the background (set by the app): the neighbours of a page read now,
        #: so paging on rarely waits for SQLite, whose OFFSET costs ~60 ms at row 100,000.
        self.prefetcher: Callable[[CachedRows, list[int]], None] | None = None
        # A caller walking every row (a filter over the whole list) would read page after page
        # at a growing OFFSET cost: after SCAN_MISSES pages read on demand, read all at once.
        self._misses = 0
        self._all: list[ArticleSummary] | None = None
        self._ids: list[str] | None = None

    query = ""
    """No filter: the whole library."""

    @property
    def total(self) -> int:
        return self._total

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, index: int) -> ArticleSummary:
        if index < 0:
            index += self._total
        if not 0 <= index < self._total:
            raise IndexError(index)
        if self._all is not None:
            return self._all[index]
        number, offset = divmod(index, PAGE_ROWS)
        page = self._page(number)
        if offset >= len(page):  # the cache shrank under us; show the last row we have
            raise IndexError(index)
        return page[offset]

    def _page(self, number: int) -> list[ArticleSummary]:
        page = self._pages.get(number)
        if page is None:
            self._misses += 1
            if self._misses > SCAN_MISSES:
                self._all = self._cache.summaries(under=self._under)
                self._total = len(self._all)
                return self._all[number * PAGE_ROWS : (number + 1) * PAGE_ROWS]
            page = self._cache.summaries_page(
                offset=number * PAGE_ROWS, limit=PAGE_ROWS, under=self._under
            )
            self.install(number, page)
            self.prefetch(number - 1, number + 1)
        else:
            self._pages.move_to_end(number)
        return page

    @property
    def pages(self) -> int:
        return -(-self._total // PAGE_ROWS)

    def prefetch(self, *numbers: int) -> None:
        """Ask the prefetcher for these pages unless they are read already."""
        wanted = [n for n in numbers if 0 <= n < self.pages and n not in self._pages]
        if wanted and self.prefetcher is not None:
            self.prefetcher(self, wanted)

    def install(self, number: int, page: list[ArticleSummary]) -> None:
        """Keep `page` (read here or by the prefetcher) as page `number`."""
        if number in self._pages:
            return
        self._pages[number] = page
        if len(self._pages) > KEPT_PAGES:
            self._pages.popitem(last=False)

    def index_of(self, article_id: str, *, near: int | None = None) -> int | None:
        """Position of an article among the pages read so far (and those around `near`).

        The cache has no position index, and reading every row to find one would cost what
        paging saves: callers keep the cursor on the same index when this says None.
        """
        if self._all is not None:
            return next((i for i, s in enumerate(self._all) if s.id == article_id), None)
        numbers = list(self._pages)
        if near is not None:
            centre = near // PAGE_ROWS
            numbers += [n for n in (centre, centre - 1, centre + 1) if n >= 0]
        for number in dict.fromkeys(numbers):
            if number * PAGE_ROWS >= self._total:
                continue
            for offset, summary in enumerate(self._page(number)):
                if summary.id == article_id:
                    return number * PAGE_ROWS + offset
        return None

    def filtered(self, query: str) -> CachedRows | SearchRows:
        """Full-text search results for `query` (the whole library for a blank one)."""
        if not query.strip():
            return self
        return SearchRows(self, query)

    def all(self) -> Sequence[ArticleSummary]:
        """Every row (reads the whole list: for exports, not for the screen)."""
        return self._cache.summaries(under=self._under)

    def ids(self) -> list[str]:
        """Every row's article id, in list order (one query of ids, read once per snapshot:
        ~40 ms at 100,000 rows, where building the rows costs most of a second)."""
        if self._ids is None:
            if self._all is not None:
                self._ids = [summary.id for summary in self._all]
            else:
                self._ids = self._cache.ids(under=self._under)
            self._total = len(self._ids)
        return self._ids

    def unread(self, read_ids: Iterable[str]) -> int:
        """Rows whose article is not in `read_ids`, counted without building the rows."""
        read = read_ids if isinstance(read_ids, (set, frozenset)) else set(read_ids)
        if not read:
            return self._total
        return sum(1 for article_id in self.ids() if article_id not in read)

    @property
    def under(self) -> list[str] | None:
        return self._under

    def search(self, query: str) -> list[ArticleSummary]:
        """The best matches for `query`, best first (on this thread's connection)."""
        return search_summaries(self._cache, query, self._under)


def search_summaries(
    cache: ArticleCache, query: str, under: Sequence[str] | None
) -> list[ArticleSummary]:
    """The list rows of the best `SEARCH_LIMIT` matches for `query`, best first."""
    hits = cache.search(query, limit=SEARCH_LIMIT, under=under, snippets=False)
    found = cache.summaries_by_id(hit.article_id for hit in hits)
    return [found[hit.article_id] for hit in hits if hit.article_id in found]


class SearchRows:
    """The articles matching a full-text query, best first; highlights the matched words."""

    def __init__(
        self, base: CachedRows, query: str, rows: list[ArticleSummary] | None = None
    ) -> None:
        """`rows`: the matches when already searched (by a worker); else searched here."""
        from reader.query import parse_query  # first needed with the first search

        self._base = base
        self._query = query
        self._parsed: Query = parse_query(query)
        self._rows = rows if rows is not None else base.search(query)
        self._positions: dict[str, int] | None = None

    @property
    def query(self) -> str:
        return self._query

    @property
    def search_query(self) -> Query:
        """The parsed query, for highlighting matches in the reading pane."""
        return self._parsed

    @property
    def total(self) -> int:
        return self._base.total

    empty_message_prefix = "No articles match"
    """How the list says that nothing matched (the title filter says "No titles match")."""

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index: int) -> ArticleSummary:
        return self._rows[index]

    def ids(self) -> list[str]:
        """Every match's article id, best first."""
        return [row.id for row in self._rows]

    def index_of(self, article_id: str, *, near: int | None = None) -> int | None:
        if self._positions is None:
            self._positions = {row.id: i for i, row in enumerate(self._rows)}
        return self._positions.get(article_id)

    def filtered(self, query: str) -> CachedRows | SearchRows:
        return self._base.filtered(query)

    def title_spans(self, title: str) -> list[tuple[int, int]]:
        """Where the query's words are in `title` (for the list's match style)."""
        from reader.query import match_spans

        return match_spans(title, self._parsed)
