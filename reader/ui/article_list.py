"""The article list: a virtual list of `ArticleSummary` rows (toolong-style Line API).

Only the rows on screen are ever rendered: `render_line(y)` maps a screen line to a row of the
`RowSource` and builds a strip, cached by what it shows. A key press changes the cursor and
refreshes two rows, so the cost per key does not grow with the number of articles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.ui.rows import RowSource, SummaryRows
from reader.ui.styling import span_style, text_segments

if TYPE_CHECKING:
    from reader.model import ArticleSummary

ROW_HEIGHT = 2
"""Lines per article: title, then date and counts."""


class ArticleFlags(Protocol):
    """Per-article state the list shows. The state store (issue 4) provides a persistent one."""

    def is_read(self, article_id: str) -> bool: ...

    def is_bookmarked(self, article_id: str) -> bool: ...


class ArticleList(ScrollView, can_focus=True, inherit_bindings=False):
    """Articles, two lines each, with a cursor. Posts `Highlighted` and `Selected`."""

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--cursor-blurred",
        "article-list--unread",
        "article-list--read",
        "article-list--marker",
        "article-list--bookmark",
        "article-list--meta",
        "article-list--count",
        "article-list--match",
        "article-list--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.cursor_down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.cursor_up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("enter", "open", "Open", id="list.open"),
        # Read on without leaving the list: space pages the article beside it.
        Binding("space", "app.page_down", "Page article", show=False, id="list.page_down"),
        Binding("shift+space", "app.page_up", "Page article up", show=False, id="list.page_up"),
    ]

    cursor: reactive[int] = reactive(0, repaint=False, init=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another article (or None when the list is empty)."""

        article_list: ArticleList
        summary: ArticleSummary | None

    @dataclass
    class Selected(Message):
        """The reader chose an article (Enter or a click on the cursor row)."""

        article_list: ArticleList
        summary: ArticleSummary

    def __init__(
        self,
        flags: ArticleFlags,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._base = Style()
        self.flags = flags
        self.rows: RowSource = SummaryRows()
        self.empty_message = "Loading articles…"
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(2048)
        self._last_highlighted: str | None = None
        self._styles: dict[str, Style] = {}
        self.user_moved = False
        #: Applied to every row source shown (the unread / bookmarked filter plugs in here).
        self.row_view: Callable[[RowSource], RowSource] | None = None

    # ----------------------------------------------------------------- data
    def set_rows(self, rows: RowSource, *, keep: str | None = None) -> None:
        """Show `rows`; keep the cursor on article `keep` (default: the current one) if present.

        Until the reader has moved the cursor, it stays on the first row: rows arriving while
        files load must not drag it around.
        """
        implicit = keep is None and self.current is not None and self.user_moved
        if implicit:
            assert self.current is not None
            keep = self.current.id
        if self.row_view is not None:
            rows = self.row_view(rows)
        self.rows = rows
        self._strips.clear()
        self.virtual_size = Size(self._content_width(), len(rows) * ROW_HEIGHT)
        # Rows from the cache are found only where they are looked for: near the cursor (the
        # rows that change while a library is indexed are seldom far off).
        index = rows.index_of(keep, near=self.cursor) if keep is not None else None
        if index is None and implicit:
            index = self.cursor  # not found near: the cursor stays where it was, not at the top
        self.set_reactive(ArticleList.cursor, self._clamp(index if index is not None else 0))
        self.refresh()
        self._scroll_cursor_into_view()
        self._post_highlight()

    def refresh_flags(self, article_id: str | None = None) -> None:
        """Read or bookmark state changed: redraw rows with the new markers.

        For one article under the cursor (the usual `m` or `b`), just its row: cached strips
        are keyed by the markers, so the others stay right, and a whole-list repaint would cost
        a frame of its own.
        """
        current = self.current
        if article_id is not None and current is not None and current.id == article_id:
            self.refresh_lines(self.cursor * ROW_HEIGHT, ROW_HEIGHT)
            return
        self._strips.clear()
        self.refresh()

    @property
    def current(self) -> ArticleSummary | None:
        """The summary under the cursor."""
        if not len(self.rows):
            return None
        return self.rows[self._clamp(self.cursor)]

    def move_to(self, article_id: str) -> bool:
        """Put the cursor on `article_id`; False when it is not in the (filtered) list."""
        index = self.rows.index_of(article_id)
        if index is None:
            return False
        self.cursor = index
        return True

    # ----------------------------------------------------------------- cursor
    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self.rows) - 1))

    def validate_cursor(self, cursor: int) -> int:
        return self._clamp(cursor)

    def watch_cursor(self, old: int, new: int) -> None:
        self.user_moved = True
        self.refresh_lines(old * ROW_HEIGHT, ROW_HEIGHT)
        self.refresh_lines(new * ROW_HEIGHT, ROW_HEIGHT)
        self._scroll_cursor_into_view()
        self._post_highlight()

    def _post_highlight(self) -> None:
        current = self.current
        key = current.id if current else None
        if key != self._last_highlighted:
            self._last_highlighted = key
            self.post_message(self.Highlighted(self, current))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = self.cursor * ROW_HEIGHT
        if top < self.scroll_offset.y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + ROW_HEIGHT > self.scroll_offset.y + height:
            self.scroll_to(y=top + ROW_HEIGHT - height, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_HEIGHT - 1)

    def action_page_down(self) -> None:
        self.cursor += self._page()

    def action_page_up(self) -> None:
        self.cursor -= self._page()

    def action_open(self) -> None:
        current = self.current
        if current is not None:
            self.post_message(self.Selected(self, current))

    def _content_width(self) -> int:
        # The width rows are drawn in: the widget's own width would leave the rows one column
        # (the scrollbar's) wider than the view, and a horizontal scrollbar would appear.
        return self.scrollable_content_region.width

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self._content_width(), len(self.rows) * ROW_HEIGHT)
        self._strips.clear()
        self._scroll_cursor_into_view()

    def on_focus(self) -> None:
        self.refresh_lines(self.cursor * ROW_HEIGHT, ROW_HEIGHT)

    def on_blur(self) -> None:
        self.refresh_lines(self.cursor * ROW_HEIGHT, ROW_HEIGHT)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    # ----------------------------------------------------------------- mouse
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (offset.y + self.scroll_offset.y) // ROW_HEIGHT
        if not 0 <= index < len(self.rows):
            return
        if index == self.cursor and event.chain >= 2:
            self.action_open()
        self.cursor = index
        if event.chain < 2:
            self.focus()

    # ----------------------------------------------------------------- rendering
    def render_lines(self, crop: Region) -> list[Strip]:
        # `rich_style` walks the DOM: compute it once per refresh, not once per line.
        self._base = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base
        line = y + self.scroll_offset.y
        index, part = divmod(line, ROW_HEIGHT)
        if not len(self.rows):
            return self._empty_line(y, width, base)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        summary = self.rows[index]
        is_cursor = index == self.cursor
        read = self.flags.is_read(summary.id)
        bookmarked = self.flags.is_bookmarked(summary.id)
        query = getattr(self.rows, "query", "")
        focused = self.has_focus
        key = (summary.id, part, is_cursor, focused and is_cursor, read, bookmarked, query, width)
        strip = self._strips.get(key)
        if strip is None:
            cursor = None
            if is_cursor:
                cursor = "article-list--cursor" if focused else "article-list--cursor-blurred"
            strip = self._render_row(summary, part, cursor, read, bookmarked, query, width, base)
            self._strips[key] = strip
        return strip

    def _render_row(
        self,
        summary: ArticleSummary,
        part: int,
        cursor: str | None,
        read: bool,
        bookmarked: bool,
        query: str,
        width: int,
        base: Style,
    ) -> Strip:
        styles = self._styles
        if not styles:
            styles.update((name, span_style(self, name)) for name in self.COMPONENT_CLASSES)

        def style(name: str) -> Style:
            return styles[name]

        row_style = base + self.get_component_rich_style(cursor) if cursor else base
        inner = max(1, width - 5)
        if part == 0:
            marker = Text("● " if not read else "  ", style=style("article-list--marker"))
            title = Text(
                summary.title or "Untitled",
                style=style("article-list--read" if read else "article-list--unread"),
            )
            title_spans = getattr(self.rows, "title_spans", None)
            if query and title_spans is not None:
                # Full-text search: every matched word, as the search tokenizes them.
                for start, end in title_spans(summary.title):
                    title.stylize(style("article-list--match"), start, end)
            elif query:
                start = summary.title.casefold().find(query.casefold().strip())
                if start >= 0:
                    title.stylize(style("article-list--match"), start, start + len(query.strip()))
            title.truncate(inner - 2, overflow="ellipsis", pad=True)
            star = Text(" ★" if bookmarked else "  ", style=style("article-list--bookmark"))
            body = Text.assemble(" ", marker, title, star, " ")
        else:
            # One form for the whole list: short glyphs unless every row can spell counts out.
            meta = self._meta_line(summary, style, compact=inner < 48)
            if meta.cell_len > inner:
                meta = self._meta_line(summary, style, compact=True)
            meta.truncate(inner, overflow="ellipsis", pad=True)
            body = Text.assemble(" ", meta, " ")
        segments = text_segments(body, self.app.console)
        strip = Strip(segments).apply_style(row_style)
        return strip.adjust_cell_length(width, row_style)

    @staticmethod
    def _meta_line(
        summary: ArticleSummary, style: Callable[[str], Style], *, compact: bool
    ) -> Text:
        """Date and counts: `2 tweets · 1 photo`, or `◆2 ◩1 ❝3` when space is short."""
        from reader.ui.typeset import format_date  # first needed with the first row

        meta = Text("  ")
        meta.append(format_date(summary.date) or "undated", style=style("article-list--meta"))
        counts = (
            (summary.tweets, "tweet", "◆"),
            (summary.captions, "photo", "◩"),
            (summary.quotes, "quote", "❝"),
        )
        separator = " · "
        for count, word, glyph in counts:
            if not count:
                continue
            meta.append(separator, style=style("article-list--meta"))
            if compact:
                meta.append(f"{glyph}{count}", style=style("article-list--count"))
                separator = " "
            else:
                plural = word if count == 1 else word + "s"
                meta.append(f"{count} {plural}", style=style("article-list--count"))
        return meta

    def _empty_line(self, y: int, width: int, base: Style) -> Strip:
        if y != 1:
            return Strip.blank(width, base)
        query = getattr(self.rows, "query", "")
        prefix = getattr(self.rows, "empty_message_prefix", "No titles match")
        message = f"{prefix} “{query}”" if query else self.empty_message
        text = Text(message, style=self.get_component_rich_style("article-list--empty"))
        text.truncate(max(1, width - 2), overflow="ellipsis")
        return (
            Strip([Segment("  "), *text_segments(text, self.app.console)])
            .apply_style(base)
            .adjust_cell_length(width, base)
        )
