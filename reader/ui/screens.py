"""Modal screens: keyboard help (generated from the bindings) and the problems view."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.bars import KeyBar


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that could not be loaded, and why."""

    path: str
    reason: str


SAVING_QUOTES = (
    "In the reading pane, ] and [ walk through the article's quotable units: "
    "tweets, photo captions, pieces of quoted speech and paragraphs. The selected unit is "
    "marked with a bar in the margin (click a unit to select it too). Press s to save it to "
    "your quotes, with who said it and where; B lists everything you saved. To save part "
    "of a paragraph, . narrows the selection to its first sentence and moves on, , moves "
    "back, > adds the next sentence and < drops the last; the chosen sentences are shown "
    "reversed and s saves just them. Saving, bookmarks (b), read state (m, M for the "
    "whole list as filtered, f to show unread or bookmarked only) and where you left each "
    "article are kept in the local state store; export them from the command palette."
)

MOUSE = "Click a row to move to it, click it again to open it; click a unit to select it."


def _keys(app_key_display: object, binding: Binding) -> str:
    keys = []
    for key in binding.key.split(","):
        single = Binding(key.strip(), binding.action, binding.description)
        keys.append(app_key_display(single))  # type: ignore[operator]
    return " / ".join(keys)


_KEY_COLUMN = 18  # two spaces, the keys padded to 16


def help_content(
    sections: Sequence[tuple[str, Iterable[BindingType]]],
    key_display: object,
    width: int | None = None,
) -> Content:
    """The help text: one section per widget, a line per binding, then mouse and quotes.

    With `width`, a description too long for its line wraps under the description column
    (a hanging indent) instead of back to the keys' column.
    """
    parts: list[tuple[str, str] | str] = [("Saving quotes\n", "bold $accent")]
    parts.append((SAVING_QUOTES + "\n\n", "$text"))
    for title, bindings in sections:
        parts.append((f"{title}\n", "bold $accent"))
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            keys = _keys(key_display, binding)
            column = max(_KEY_COLUMN, len(keys) + 3)
            description = binding.tooltip or binding.description
            if width is not None and width - column >= 20:
                lines = textwrap.wrap(description, width - column) or [""]
                description = ("\n" + " " * column).join(lines)
            parts.append((f"  {keys}".ljust(column), "bold $text"))
            parts.append((f"{description}\n", "$text"))
        parts.append("\n")
    parts.append(("Mouse\n", "bold $accent"))
    parts.append(("  " + MOUSE + "\n", "$text"))
    return Content.assemble(*parts)


_MODAL_CSS = """
    {screen} {
        align: center middle;
    }
    {screen} > Vertical {
        width: 84;
        max-width: 100%;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    {screen} .modal-title {
        color: $accent;
        margin-bottom: 1;
    }
    {screen} VerticalScroll {
        height: 1fr;
    }
"""


class _HelpText(Static):
    """The help text, laid out again for each width it is given."""

    def __init__(self, content: Callable[[int | None], Content]) -> None:
        super().__init__(content(None), id="help-text")
        self._content = content
        self._width: int | None = None

    def on_resize(self, event: events.Resize) -> None:
        width = self.content_region.width
        if width > 0 and width != self._width:
            self._width = width
            self.update(self._content(width))


class HelpScreen(ModalScreen[None]):
    """Every key, generated from the live bindings, plus how saving quotes works."""

    DEFAULT_CSS = _MODAL_CSS.replace("{screen}", "HelpScreen")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False),
        Binding("k,up", "scroll('up')", "Scroll up", show=False),
    ]

    def __init__(self, content: Callable[[int | None], Content]) -> None:
        """`content(width)`: the help text laid out for a width (None: not known yet)."""
        super().__init__()
        self._content = content

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Content.styled("Keys", "bold"), id="help-title", classes="modal-title")
            with VerticalScroll(id="help-scroll"):
                yield _HelpText(self._content)
        yield KeyBar()

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        if direction == "down":
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


def problems_content(problems: Sequence[Problem]) -> Content:
    """File and reason for each problem; paths are data, assembled without markup."""
    if not problems:
        return Content.styled("Every file loaded.", "$text-muted")
    parts: list[tuple[str, str] | str] = []
    for problem in problems:
        parts.append((problem.path + "\n", "bold $text"))
        parts.append(("  " + problem.reason + "\n\n", "$text-muted"))
    return Content.assemble(*parts)


class ProblemsScreen(ModalScreen[None]):
    """The files that failed to load, and why."""

    DEFAULT_CSS = _MODAL_CSS.replace("{screen}", "ProblemsScreen")

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__()
        self._problems = list(problems)

    def compose(self) -> ComposeResult:
        with Vertical(id="problems-box"):
            count = len(self._problems)
            title = f"{count} file{'s' if count != 1 else ''} could not be loaded"
            yield Static(Content.styled(title, "bold"), id="problems-title", classes="modal-title")
            with VerticalScroll(id="problems-scroll"):
                yield Static(problems_content(self._problems), id="problems-text")
        yield KeyBar()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


def keys_markdown(
    sections: Sequence[tuple[str, Iterable[BindingType]]], key_display: object
) -> str:
    """The same key list as the help screen, as a Markdown table (for the README).

    `python -c "from reader.ui.app import build_app; print(build_app().keys_markdown())"`
    """
    rows = ["| Where | Keys | What it does |", "|---|---|---|"]
    for title, bindings in sections:
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                keys = _keys(key_display, binding).replace("|", "\\|")
                rows.append(f"| {title} | `{keys}` | {binding.tooltip or binding.description} |")
    return "\n".join(rows)
