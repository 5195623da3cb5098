"""The indexing bar: one line over the key bar while the library is being indexed.

`Indexing 1,234 / 100,000 files  ███████░░░░  850 files/s`. One widget rendering one line of
`Content` (Textual's ProgressBar composes three widgets and animates); hidden when indexing ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget

if TYPE_CHECKING:
    from reader.indexer import IndexProgress

BAR_MAX = 40


class IndexBar(Widget):
    """Shows an `IndexProgress`: files done / total, a bar, the rate."""

    DEFAULT_CSS = """
    IndexBar {
        dock: bottom;
        /* Docked widgets on one edge overlap: the margin puts the bar above the key bar. */
        margin-bottom: 1;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.progress: IndexProgress | None = None

    def show_progress(self, progress: IndexProgress) -> None:
        """Display `progress`; hides the bar once indexing has finished."""
        self.progress = progress
        self.display = not progress.finished
        self.refresh()

    def label(self) -> str:
        """The words of the bar, without the bar itself (tests read this)."""
        progress = self.progress
        if progress is None:
            return ""
        if progress.phase == "scanning" or not progress.files_total:
            return f"Scanning files… {progress.files_total:,} found"
        return (
            f"Indexing {progress.files_done:,} / {progress.files_total:,} files"
            f" · {progress.rate:,.0f} files/s"
        )

    def render(self) -> Content:
        progress = self.progress
        if progress is None:
            return Content("")
        label = self.label()
        room = self.size.width - len(label) - 4
        if progress.phase == "scanning" or room < 6:
            return Content(label)
        width = min(BAR_MAX, room)
        filled = round(progress.fraction * width)
        return Content.assemble(
            label,
            "  ",
            ("█" * filled, "$accent"),
            ("░" * (width - filled), "$text-disabled"),
        )
