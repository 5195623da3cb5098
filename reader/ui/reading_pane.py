"""The reading pane: one article, typeset line by line, with a quotable-unit cursor.

A Line-API widget (`ScrollView.render_line`) rather than a widget per block: opening an article
costs one layout pass, only visible lines are turned into strips, and the pane knows exactly
which lines each tweet, caption, paragraph and quote occupies (for `]`/`[`, clicks and the
outline).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.ui.styling import MEASURE, STYLE_NAMES, span_style, text_segments

if TYPE_CHECKING:
    from reader.model import Article
    from reader.query import Query
    from reader.ui.typeset import Line, Unit

HEADER = -1
GAP = -2
# A sentence range being chosen for saving: reversed, so it shows in every theme.
_EXCERPT = Style(reverse=True)


class ReadingPane(ScrollView, can_focus=True, inherit_bindings=False):
    """Shows one `Article`; `selected_unit` is the unit `s` will save."""

    COMPONENT_CLASSES = {f"reading-pane--{name}" for name in STYLE_NAMES} | {
        "reading-pane--marker",
        "reading-pane--empty",
        "reading-pane--match",
    }

    highlight: Query | None = None
    """Search words marked wherever they appear (set with `set_highlight`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="pane.scroll_down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="pane.scroll_up"),
        Binding("space,pagedown", "page_down", "Page down", id="pane.page_down"),
        Binding("shift+space,pageup", "page_up", "Page up", show=False, id="pane.page_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="pane.scroll_home"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="pane.scroll_end"),
        Binding("escape", "back", "Back", tooltip="Back to the list", id="pane.back"),
    ]

    @dataclass
    class UnitSelected(Message):
        """The selected unit changed (None: no selection)."""

        pane: ReadingPane
        unit: Unit | None

    @dataclass
    class Back(Message):
        """The reader asked to leave the pane (Escape)."""

        pane: ReadingPane

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._base = Style()
        self.article: Article | None = None
        self.units: list[Unit] = []
        self.selected: int | None = None
        self._width = -1
        self._styles: dict[str, Style] | None = None
        # One entry per virtual line: (block index | HEADER | GAP, line within the block).
        self._rows: list[tuple[int, int]] = []
        self._block_start: list[int] = []
        self._header: list[Line] = []
        self._blocks: dict[tuple[int, bool, int | None], list[Line]] = {}
        self._strips: LRUCache[tuple[int, int, bool, int | None, bool], Strip] = LRUCache(1024)
        self._pending_unit: int | None = None
        # (block, start, end): a sentence range chosen inside the selected unit (see set_excerpt).
        self._excerpt: tuple[int, int, int] | None = None
        self._drag_from: tuple[int, int] | None = None
        self._dragged = False

    # ----------------------------------------------------------------- public API
    @property
    def selected_unit(self) -> Unit | None:
        """The selected unit (kind, block index, quote index) or None."""
        if self.selected is None or self.article is None:
            return None
        return self.units[self.selected]

    def set_highlight(self, query: Query | None) -> None:
        """Mark the words of a search `query` in the text (None: no marks)."""
        if query == self.highlight:
            return
        self.highlight = query
        self._strips.clear()  # cached strips carry the old marks
        self.refresh()

    def show(self, article: Article | None) -> None:
        """Display `article` from its top, with no unit selected."""
        if article is self.article:
            return
        self.article = article
        from reader.ui.typeset import article_units  # with the first article, not at start-up

        self.units = article_units(article) if article is not None else []
        self.selected = None
        self._pending_unit = None
        self._invalidate()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.post_message(self.UnitSelected(self, None))

    def select_unit(self, index: int | None, *, scroll: bool = True) -> None:
        """Select unit `index` (into `units`) and bring it into view."""
        if index is not None and not 0 <= index < len(self.units):
            return
        previous = self.selected
        self.selected = index
        if previous != index:
            self._refresh_unit(previous)
            self._refresh_unit(index)
            self.post_message(self.UnitSelected(self, self.selected_unit))
        if scroll and index is not None:
            if self._ensure_layout():
                self._scroll_to_unit(index)
            else:
                self._pending_unit = index

    def select(self, unit: Unit) -> bool:
        """Select `unit` (say a saved quote's) and scroll to it; False if the article lacks it."""
        try:
            index = self.units.index(unit)
        except ValueError:
            return False
        self.select_unit(index)
        return True

    def top_block(self) -> int:
        """Index of the first block on screen: a width-independent reading position to save."""
        if not self._ensure_layout() or not self._block_start:
            return 0
        top = self.scroll_offset.y
        for index, start in enumerate(self._block_start):
            if start >= top:
                return index
        return len(self._block_start) - 1

    def scroll_to_block(self, block: int) -> None:
        """Scroll so block `block` is at the top (resuming a saved position)."""
        if not self._ensure_layout() or not 0 <= block < len(self._block_start):
            return
        self.scroll_to(y=max(0, self._block_start[block] - 1), animate=False, immediate=True)

    def reading_position(self) -> float:
        """Where the reader is, independent of the width: block index plus the fraction of
        that block above the top edge (-1..0 inside the header). Saved to resume an article."""
        if not self._ensure_layout() or not self._block_start:
            return -1.0
        top = self.scroll_offset.y
        starts = self._block_start
        if top < starts[0]:
            return -1.0 + top / max(1, starts[0])
        block = bisect_right(starts, top) - 1
        end = starts[block + 1] - 1 if block + 1 < len(starts) else len(self._rows)
        return block + (top - starts[block]) / max(1, end - starts[block])

    def scroll_to_reading_position(self, position: float) -> int | None:
        """Scroll back to a `reading_position()` (at any width); returns the line aimed at
        (None before the pane has a width)."""
        if not self._ensure_layout() or not self._block_start:
            return None
        starts = self._block_start
        if position < 0:
            y = (position + 1.0) * starts[0]
        else:
            block = min(int(position), len(starts) - 1)
            end = starts[block + 1] - 1 if block + 1 < len(starts) else len(self._rows)
            y = starts[block] + (position - block) * (end - starts[block])
        target = max(0, round(y))
        self.scroll_to(y=target, animate=False, immediate=True)
        return target

    def set_excerpt(self, span: tuple[int, int, int] | None) -> None:
        """Highlight characters `start:end` of block `block` (a sentence range), or nothing."""
        if span == self._excerpt:
            return
        self._excerpt = span
        self._strips.clear()  # cached strips carry the old highlight
        self.refresh()

    def _with_excerpt(self, block: int, line: Line) -> Text:
        """`line`'s text with the excerpt, if it falls on this line, shown reversed."""
        excerpt = self._excerpt
        if excerpt is None or excerpt[0] != block or line.span is None:
            return line.text
        first, last = line.span
        start, end = max(excerpt[1], first), min(excerpt[2], last)
        if start >= end:
            return line.text
        text = line.text.copy()
        text.stylize(_EXCERPT, line.text_x + start - first, line.text_x + end - first)
        return text

    def unit_lines(self, index: int) -> tuple[int, int]:
        """Virtual lines [start, end) that unit `index` covers (layout must exist)."""
        unit = self.units[index]
        start = self._block_start[unit.block]
        lines = self._lines(unit.block, False, None)
        if unit.quote is None or self.article is None:
            return start, start + len(lines)
        quote = self.article.quotes[unit.quote]
        covered = [
            n
            for n, line in enumerate(lines)
            if line.span is not None and line.span[0] < quote.end and line.span[1] > quote.start
        ]
        if not covered:
            return start, start + len(lines)
        return start + covered[0], start + covered[-1] + 1

    # ----------------------------------------------------------------- actions
    def action_next_unit(self) -> None:
        """Select the next quotable unit (the first on screen when none is selected)."""
        if not self.units:
            return
        if self.selected is None:
            self.select_unit(self._first_visible_unit())
        elif self.selected + 1 < len(self.units):
            self.select_unit(self.selected + 1)
        else:
            self.app.bell()

    def action_previous_unit(self) -> None:
        """Select the previous quotable unit."""
        if not self.units:
            return
        if self.selected is None:
            self.select_unit(self._first_visible_unit())
        elif self.selected > 0:
            self.select_unit(self.selected - 1)
        else:
            self.app.bell()

    # Scrolling is immediate, like a pager: an animation would lag behind held-down keys and
    # take a second to cross a long article.
    def action_scroll_down(self) -> None:
        self.scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)

    def action_back(self) -> None:
        self.post_message(self.Back(self))

    # ----------------------------------------------------------------- layout
    def notify_style_update(self) -> None:
        # Theme changed: every cached strip carries old colours.
        super().notify_style_update()
        self._styles = None
        self._invalidate()

    def on_resize(self, event: events.Resize) -> None:
        if self._ensure_layout() and self._pending_unit is not None:
            unit, self._pending_unit = self._pending_unit, None
            self.call_after_refresh(self._scroll_to_unit, unit)

    def _invalidate(self) -> None:
        self._width = -1
        self._blocks.clear()
        self._strips.clear()
        self.refresh()

    def _style_map(self) -> dict[str, Style]:
        if self._styles is None:
            self._styles = {
                name: span_style(self, f"reading-pane--{name}")
                for name in (*STYLE_NAMES, "marker", "empty")
            }
        return self._styles

    def _geometry(self) -> tuple[int, int]:
        """(left margin, measure) for the current width: the text column, centred when wide."""
        width = self._width
        measure = max(10, min(MEASURE, width - 4))
        left = max(2, (width - measure) // 2)
        return left, measure

    def _ensure_layout(self) -> bool:
        width = self.scrollable_content_region.width
        if width <= 0:
            return False
        if width == self._width:
            return True
        self._width = width
        self._blocks.clear()
        self._strips.clear()
        rows: list[tuple[int, int]] = []
        self._block_start = []
        article = self.article
        if article is not None:
            _left, measure = self._geometry()
            from reader.ui.typeset import typeset_header

            self._header = typeset_header(article, measure, self._style_map())
            rows.append((GAP, 0))
            rows.extend((HEADER, n) for n in range(len(self._header)))
            from reader.ui.typeset import block_height

            # Heights only: blocks are typeset when they first come into view.
            for index in range(len(article.blocks)):
                rows.append((GAP, 0))
                self._block_start.append(len(rows))
                rows.extend((index, n) for n in range(block_height(article, index, measure)))
            rows.extend([(GAP, 0), (GAP, 0)])
        self._rows = rows
        self.virtual_size = Size(width, len(rows))
        return True

    def _lines(self, block: int, selected: bool, quote: int | None) -> list[Line]:
        key = (block, selected, quote)
        lines = self._blocks.get(key)
        if lines is None:
            assert self.article is not None
            _left, measure = self._geometry()
            from reader.ui.typeset import typeset_block

            lines = typeset_block(
                self.article,
                block,
                measure,
                self._style_map(),
                selected=selected,
                selected_quote=quote,
            )
            self._blocks[key] = lines
        return lines

    def _selection_for(self, block: int) -> tuple[bool, int | None]:
        unit = self.selected_unit
        if unit is None or unit.block != block:
            return False, None
        if unit.quote is not None:
            return False, unit.quote
        return True, None

    def _refresh_unit(self, index: int | None) -> None:
        if index is None or self._width < 0 or index >= len(self.units):
            return
        block = self.units[index].block
        start = self._block_start[block]
        self.refresh_lines(start, len(self._lines(block, False, None)))

    def _scroll_to_unit(self, index: int) -> None:
        if not self._ensure_layout() or index >= len(self.units):
            return
        start, end = self.unit_lines(index)
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if start >= top and end <= top + height:
            return
        if end - start + 2 > height:
            target = start  # taller than the screen: show its top
        elif start < top:
            target = start - 1  # going back: a line of context above
        else:
            target = end - height + 1  # going on: the unit lands just above the bottom edge
        self.scroll_to(y=max(0, target), animate=False)

    def _first_visible_unit(self) -> int:
        if not self._ensure_layout():
            return 0
        top = self.scroll_offset.y
        for index, unit in enumerate(self.units):
            if unit.kind != "quote" and self._block_start[unit.block] >= top:
                return index
        return len(self.units) - 1

    # ----------------------------------------------------------------- rendering
    def render_lines(self, crop: Region) -> list[Strip]:
        # `rich_style` walks the DOM: compute it once per refresh, not once per line.
        self._base = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        self._ensure_layout()
        width = self.scrollable_content_region.width
        base = self._base
        index = y + self.scroll_offset.y
        if self.article is None:
            return self._empty_line(y, width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        block, n = self._rows[index]
        if block == GAP:
            return Strip.blank(width, base)
        selected, quote = (False, None) if block == HEADER else self._selection_for(block)
        marked = self._is_marked(block, n)
        key = (block, n, selected, quote, marked)
        strip = self._strips.get(key)
        if strip is None:
            if block == HEADER:
                line = self._header[n]
            else:
                line = self._lines(block, selected, quote)[n]
            text = line.text if block == HEADER else self._with_excerpt(block, line)
            strip = self._line_strip(text, marked, width, base)
            self._strips[key] = strip
        return strip

    def _is_marked(self, block: int, n: int) -> bool:
        """Does line `n` of `block` belong to the selected unit (gutter marker)?"""
        unit = self.selected_unit
        if unit is None or unit.block != block or self.article is None:
            return False
        if unit.quote is None:
            return True
        quote = self.article.quotes[unit.quote]
        span = self._lines(block, False, None)[n].span
        return span is not None and span[0] < quote.end and span[1] > quote.start

    def _line_strip(self, text: Text, marked: bool, width: int, base: Style) -> Strip:
        left, _measure = self._geometry()
        styles = self._style_map()
        segments = [Segment(" " * (left - 2))]
        segments.append(Segment("▌ ", styles["marker"]) if marked else Segment("  "))
        if self.highlight is not None:
            text = self._with_matches(text)
        segments.extend(text_segments(text, self.app.console))
        strip = Strip(segments).apply_style(base)
        return strip.adjust_cell_length(width, base)

    def _with_matches(self, text: Text) -> Text:
        """`text` with the search words marked (a word wrapped over two lines is not)."""
        from reader.query import match_spans

        assert self.highlight is not None
        spans = match_spans(text.plain, self.highlight)
        if not spans:
            return text
        text = text.copy()
        style = span_style(self, "reading-pane--match")
        for start, end in spans:
            text.stylize(style, start, end)
        return text

    def _empty_line(self, y: int, width: int, base: Style) -> Strip:
        height = self.scrollable_content_region.height
        messages = [
            "No article open",
            "",
            "Choose one in the list and press Enter.",
            "? shows every key.",
        ]
        start = max(0, height // 2 - len(messages) // 2)
        if not start <= y < start + len(messages):
            return Strip.blank(width, base)
        text = Text(messages[y - start], style=span_style(self, "reading-pane--empty"))
        text.align("center", width)
        return (
            Strip(text_segments(text, self.app.console))
            .apply_style(base)
            .adjust_cell_length(width, base)
        )

    # ----------------------------------------------------------------- mouse
    @dataclass
    class Dragged(Message):
        """The reader dragged across the text of one block: characters `start:end`, whole
        words, which `s` then saves (the block's unit is selected first)."""

        pane: ReadingPane
        block: int
        start: int
        end: int

    def _char_under(self, event: events.MouseEvent) -> tuple[int, int] | None:
        """(block, character offset) under the pointer, or None off the text."""
        offset = event.get_content_offset(self)
        if offset is None or self.article is None or not self._ensure_layout():
            return None
        index = offset.y + self.scroll_offset.y
        if not 0 <= index < len(self._rows):
            return None
        block, n = self._rows[index]
        if block < 0:
            return None
        line = self._lines(block, False, None)[n]
        if line.span is None:
            return None
        left, _measure = self._geometry()
        column = offset.x + self.scroll_offset.x - left - line.text_x
        plain = self._block_text(block)
        at, cells = line.span[0], 0
        while at < line.span[1] - 1 and cells + cell_len(plain[at]) <= column:
            cells += cell_len(plain[at])
            at += 1
        return block, at

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._drag_from = self._char_under(event)
        self._dragged = False
        if self._drag_from is not None:
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is None:  # the mouse is captured from press to release
            return
        span = self._drag_span(event)
        if span is not None:
            self._dragged = True
            self.set_excerpt(span)  # live feedback; the app takes it over on release

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_from is None:
            return
        self.release_mouse()
        span = self._drag_span(event) if self._dragged else None
        self._drag_from = None
        if span is None:
            return
        block, start, end = span
        unit = next(i for i, u in enumerate(self.units) if u.block == block and u.quote is None)
        self.select_unit(unit, scroll=False)
        self.post_message(self.Dragged(self, block, start, end))

    def _drag_span(self, event: events.MouseEvent) -> tuple[int, int, int] | None:
        """Whole words from where the drag started to the pointer, within one block."""
        here = self._char_under(event)
        if here is None or self._drag_from is None or here[0] != self._drag_from[0]:
            return None
        block = here[0]
        start, end = sorted((self._drag_from[1], here[1]))
        if start == end:
            return None
        text = self._block_text(block)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        return block, start, end

    def on_click(self, event: events.Click) -> None:
        if self._dragged:
            self._dragged = False  # the end of a drag, not a click
            return
        offset = event.get_content_offset(self)
        if offset is None or self.article is None or not self._ensure_layout():
            return
        index = offset.y + self.scroll_offset.y
        if not 0 <= index < len(self._rows):
            return
        block, n = self._rows[index]
        if block < 0:
            return
        unit = self._unit_at(block, n, offset.x + self.scroll_offset.x)
        if unit is not None:
            self.select_unit(unit, scroll=False)

    def _unit_at(self, block: int, n: int, x: int) -> int | None:
        """The unit under cell `x` of line `n` of `block`: a quote if the click hits one."""
        assert self.article is not None
        line = self._lines(block, False, None)[n]
        block_unit = next(
            i for i, u in enumerate(self.units) if u.block == block and u.quote is None
        )
        if line.span is None:
            return block_unit
        left, _measure = self._geometry()
        column = x - left - line.text_x
        start, end = line.span
        plain = self._block_text(block)
        offset = start
        cells = 0
        while offset < end and cells + cell_len(plain[offset]) <= column:
            cells += cell_len(plain[offset])
            offset += 1
        for i, unit in enumerate(self.units):
            if unit.block == block and unit.quote is not None:
                quote = self.article.quotes[unit.quote]
                if quote.start <= offset < quote.end:
                    return i
        return block_unit

    def _block_text(self, block: int) -> str:
        assert self.article is not None
        return self.article.blocks[block].text

    def selected_link(self) -> str | None:
        """The link `o` opens: the selected tweet's first link, else its account, else None."""
        unit = self.selected_unit
        if unit is None or self.article is None:
            return None
        block = self.article.blocks[unit.block]
        if block.kind == "tweet":
            for link in block.links:  # type: ignore[union-attr]
                if link.startswith("http"):
                    return link
            return block.url  # type: ignore[union-attr]
        return None
