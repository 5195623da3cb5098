"""Where the article list gets its rows from.

The list never holds `Article`s, only `ArticleSummary` rows reached by index, so a later source
can page 100,000 rows out of a SQLite cache without the widget changing. `SummaryRows` is the
in-memory source used while files are loaded in the session.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from reader.model import ArticleSummary, list_order_key


class RowSource(Protocol):
    """What `ArticleList` needs from its rows: length, random access, lookup and a filter."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> ArticleSummary: ...

    def index_of(self, article_id: str) -> int | None:
        """Position of an article in this source, or None when it is not in it."""
        ...

    def filtered(self, query: str) -> RowSource:
        """The rows whose title matches `query` (the whole source for an empty query)."""
        ...


class SummaryRows:
    """Summaries held in memory, in the app's default list order, optionally narrowed.

    A filtered view shares the parent's lists and keeps only an index vector, so narrowing
    100,000 rows costs one pass over case-folded titles and no copies of the summaries.
    """

    def __init__(
        self,
        summaries: Iterable[ArticleSummary] = (),
        *,
        _parent: SummaryRows | None = None,
        _view: list[int] | None = None,
        _query: str = "",
    ) -> None:
        if _parent is None:
            self._all: list[ArticleSummary] = sorted(summaries, key=list_order_key)
            self._folded: list[str] = [s.title.casefold() for s in self._all]
        else:
            self._all = _parent._all
            self._folded = _parent._folded
        self._view = _view
        self._query = _query
        self._positions: dict[str, int] | None = None

    @property
    def query(self) -> str:
        """The title filter this view applies ("" for none)."""
        return self._query

    @property
    def total(self) -> int:
        """Rows in the whole source, whatever the filter."""
        return len(self._all)

    def __len__(self) -> int:
        return len(self._all) if self._view is None else len(self._view)

    def __getitem__(self, index: int) -> ArticleSummary:
        if self._view is None:
            return self._all[index]
        return self._all[self._view[index]]

    def all(self) -> Sequence[ArticleSummary]:
        """Every summary, unfiltered, in list order."""
        return self._all

    def index_of(self, article_id: str) -> int | None:
        if self._positions is None:
            # Built lazily: most views are thrown away before anyone looks an id up.
            self._positions = {self[i].id: i for i in range(len(self))}
        return self._positions.get(article_id)

    def filtered(self, query: str) -> SummaryRows:
        needle = query.casefold().strip()
        if not needle:
            return SummaryRows(_parent=self, _view=None, _query="")
        folded = self._folded
        # Typing extends the query one key at a time: narrow the current view instead of
        # scanning everything again.
        if self._query and needle.startswith(self._query.casefold().strip()):
            candidates: Iterable[int] = self._view if self._view is not None else range(len(folded))
        else:
            candidates = range(len(folded))
        view = [i for i in candidates if needle in folded[i]]
        return SummaryRows(_parent=self, _view=view, _query=query)

    def with_added(self, summaries: Iterable[ArticleSummary]) -> SummaryRows:
        """A new source with `summaries` merged in (same filter re-applied)."""
        merged = SummaryRows([*self._all, *summaries])
        return merged.filtered(self._query) if self._query else merged
