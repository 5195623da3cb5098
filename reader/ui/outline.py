"""The side outline: the article's tweets, captions and quotes, one line each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.model import Article, PhotoCaption, Tweet
from reader.ui.typeset import Unit

_SNIPPET = 44


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1].rstrip() + "…"


def outline_entry(article: Article, unit: Unit) -> Content | None:
    """One outline line for `unit` (None for plain paragraphs, which are not listed).

    Built with `Content.assemble` from plain strings: article text is never markup.
    """
    if unit.kind == "quote" and unit.quote is not None:
        quote = article.quotes[unit.quote]
        parts: list[tuple[str, str] | str] = [("❝ ", "$secondary"), _snippet(quote.text)]
        if quote.speaker:
            parts.append((f" — {quote.speaker}", "$text-muted"))
        return Content.assemble(*parts)
    block = article.blocks[unit.block]
    if isinstance(block, Tweet):
        return Content.assemble(
            ("◆ ", "$accent"), (f"@{block.handle} ", "bold $accent"), _snippet(block.text)
        )
    if isinstance(block, PhotoCaption):
        return Content.assemble(
            ("◩ ", "$primary"), ("photo ", "bold $primary"), _snippet(block.text)
        )
    return None


class Outline(OptionList, inherit_bindings=False):
    """Lists the units worth jumping to; each option's id is the unit's index in the pane."""

    DEFAULT_CSS = """
    Outline {
        display: none;
        width: 36;
        height: 1fr;
        border: none;
        border-left: vkey $panel-lighten-1;
        background: $surface;
        padding: 0 1;
    }
    Outline:focus {
        border: none;
        border-left: vkey $accent;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="outline.cursor_down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="outline.cursor_up"),
        Binding("g,home", "first", "First", show=False, id="outline.first"),
        Binding("G,end", "last", "Last", show=False, id="outline.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="outline.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="outline.page_up"),
        Binding("enter", "select", "Go to", id="outline.select"),
        Binding("escape", "close", "Close outline", id="outline.close"),
    ]

    @dataclass
    class Jump(Message):
        """Scroll the pane to unit `unit_index`; `focus_pane` when the reader chose it."""

        outline: Outline
        unit_index: int
        focus_pane: bool

    @dataclass
    class Close(Message):
        outline: Outline

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._syncing = False

    def show_article(self, article: Article | None, units: list[Unit]) -> None:
        """Fill the outline from `units` (the pane's list, so indices match)."""
        self.clear_options()
        if article is None:
            return
        options = []
        for index, unit in enumerate(units):
            entry = outline_entry(article, unit)
            if entry is not None:
                options.append(Option(entry, id=str(index)))
        if not options:
            options.append(Option(Content("No tweets, photos or quotes here"), disabled=True))
        self.add_options(options)

    def follow(self, unit_index: int | None) -> None:
        """Highlight the entry for the pane's selected unit, without jumping back to it."""
        if unit_index is None:
            return
        try:
            position = self.get_option_index(str(unit_index))
        except Exception:
            return
        if self.highlighted != position:
            self._syncing = True
            self.highlighted = position

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self._syncing:
            self._syncing = False
            return
        if event.option.id is not None and self.has_focus:
            self.post_message(self.Jump(self, int(event.option.id), focus_pane=False))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Jump(self, int(event.option.id), focus_pane=True))

    def action_close(self) -> None:
        self.post_message(self.Close(self))
