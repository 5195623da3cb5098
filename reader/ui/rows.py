"""Where the article list gets its rows from.

The list never holds `Article`s, only `ArticleSummary` rows reached by index, so a later source
can page 100,000 rows out of a SQLite cache without the widget changing. `SummaryRows` is the
in-memory source used while files are loaded in the session.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from reader.model import ArticleSummary


class RowSource(Protocol):
    """What `ArticleList` needs from its rows: length, random access, lookup and a filter."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> ArticleSummary: ...

    def index_of(self, article_id: str, *, near: int | None = None) -> int | None:
        """Position of an article in this source, or None when it is not in it.

        `near`: where it is likely to be (a source that cannot look everywhere looks there)."""
        ...

    def filtered(self, query: str) -> RowSource:
        """The rows whose title matches `query` (the whole source for an empty query)."""
        ...


def row_ids(rows: RowSource) -> Sequence[str]:
    """The article id of every row of `rows`, in order.

    Sources that can list ids without building rows (the cache's 100,000 rows) say so with an
    `ids()` method; the others are walked.
    """
    ids = getattr(rows, "ids", None)
    if ids is not None:
        return ids()  # type: ignore[no-any-return]
    return [rows[i].id for i in range(len(rows))]


class _Table:
    """The rows every view of one source shares: summaries in list order and their keys."""

    def __init__(self, summaries: Iterable[ArticleSummary]) -> None:
        self._positions: dict[str, int] | None = None
        items = list(summaries)
        if not items:  # the empty list the app starts with costs nothing
            self.keys: list[Any] = []
            self.rows: list[ArticleSummary] = []
            self.folded: list[str] = []
            return
        from reader.model import list_order_key  # not at start-up: the first rows bring it

        pairs = sorted(((list_order_key(s), s) for s in items), key=lambda p: p[0])
        self.keys = [key for key, _ in pairs]
        self.rows = [row for _, row in pairs]
        self.folded = [row.title.casefold() for row in self.rows]

    def position(self, article_id: str) -> int | None:
        if self._positions is None:
            # Built once per source, on the first lookup.
            self._positions = {row.id: index for index, row in enumerate(self.rows)}
        return self._positions.get(article_id)


class SummaryRows:
    """Summaries held in memory, in the app's default list order, optionally narrowed.

    A filtered view shares the table and keeps only a sorted vector of row indices, so
    narrowing 100,000 rows costs one pass over case-folded titles, and looking an article up
    in a view is a dictionary lookup plus a binary search.
    """

    def __init__(
        self,
        summaries: Iterable[ArticleSummary] = (),
        *,
        _table: _Table | None = None,
        _view: list[int] | None = None,
        _query: str = "",
    ) -> None:
        self._table = _table if _table is not None else _Table(summaries)
        self._view = _view
        self._query = _query

    @property
    def query(self) -> str:
        """The title filter this view applies ("" for none)."""
        return self._query

    @property
    def total(self) -> int:
        """Rows in the whole source, whatever the filter."""
        return len(self._table.rows)

    def __len__(self) -> int:
        return len(self._table.rows) if self._view is None else len(self._view)

    def __getitem__(self, index: int) -> ArticleSummary:
        if self._view is None:
            return self._table.rows[index]
        return self._table.rows[self._view[index]]

    def all(self) -> Sequence[ArticleSummary]:
        """Every summary, unfiltered, in list order."""
        return self._table.rows

    def index_of(self, article_id: str, *, near: int | None = None) -> int | None:
        position = self._table.position(article_id)
        if position is None or self._view is None:
            return position
        index = bisect_left(self._view, position)
        if index < len(self._view) and self._view[index] == position:
            return index
        return None

    def filtered(self, query: str) -> SummaryRows:
        needle = query.casefold().strip()
        if not needle:
            return SummaryRows(_table=self._table)
        folded = self._table.folded
        # Typing extends the query one key at a time: narrow the current view instead of
        # scanning everything again.
        previous = self._query.casefold().strip()
        if previous and needle.startswith(previous) and self._view is not None:
            candidates: Iterable[int] = self._view
        else:
            candidates = range(len(folded))
        view = [i for i in candidates if needle in folded[i]]
        return SummaryRows(_table=self._table, _view=view, _query=query)

    def with_added(self, summaries: Iterable[ArticleSummary]) -> SummaryRows:
        """A source with `summaries` merged in, in list order (the same filter re-applied)."""
        from reader.model import list_order_key

        added = list(summaries)
        table = self._table
        if len(added) * 8 < len(table.rows):
            # A small batch into a large list: insert in place of re-sorting everything.
            merged = _Table(())
            merged.keys, merged.rows, merged.folded = (
                list(table.keys),
                list(table.rows),
                list(table.folded),
            )
            for summary in added:
                key = list_order_key(summary)
                index = bisect_left(merged.keys, key)
                merged.keys.insert(index, key)
                merged.rows.insert(index, summary)
                merged.folded.insert(index, summary.title.casefold())
        else:
            merged = _Table([*table.rows, *added])
        source = SummaryRows(_table=merged)
        return source.filtered(self._query) if self._query else source
