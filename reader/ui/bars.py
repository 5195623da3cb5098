"""The title bar and the key bar: one widget each, cheap to paint on the first frame.

Textual's Header and Footer compose several widgets (the Footer one per key, recomposed at
every focus change); these render a single line of `Content` instead. The key bar shows the
keys of the focused widget and the app, like the Footer, and a click on a key presses it.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget


class TitleBar(Widget):
    """`reader — 12 articles · 9 unread`: the app name and the library summary.

    It also says, for a few seconds, what a key just did (`Saved quote by Hal Severin.`): a
    line repainted in place costs a fraction of a Textual notification, which mounts widgets
    (a toast took 60 ms to appear on a slow machine; this, under one frame).
    """

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
    }
    """

    summary: reactive[str] = reactive("")
    message: reactive[str] = reactive("")

    FLASH_SECONDS = 4.0

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clear: Timer | None = None

    def flash(self, text: str) -> None:
        """Show `text` (plain, never markup) in place of the summary for a few seconds."""
        self.message = text
        if self._clear is not None:
            self._clear.stop()
        self._clear = self.set_timer(self.FLASH_SECONDS, self._end_flash)

    def _end_flash(self) -> None:
        self.message = ""
        self._clear = None

    def render(self) -> Content:
        parts: list[tuple[str, str] | str] = [(self.app.title, "bold")]
        if self.message:
            parts.extend([("  ·  ", "$text-muted"), (self.message, "bold $accent")])
        elif self.summary:
            parts.extend([("  ·  ", "$text-muted"), (self.summary, "$text-muted")])
        return Content.assemble(*parts)


class KeyBar(Widget):
    """The keys that work now: the focused widget's first, then the app's."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[tuple[int, int, str]] = []  # (start, end, key) for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Content:
        items: list[tuple[str, str, str, str]] = []  # (key, shown, description, action)
        seen: set[str] = set()
        palette_key = None
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if key == self.app.COMMAND_PALETTE_BINDING:
                palette_key = binding
                continue
            if not binding.show or binding.action in seen or not enabled:
                continue
            seen.add(binding.action)
            items.append(
                (key, self.app.get_key_display(binding), binding.description, binding.action)
            )
        tail = Content("")
        if palette_key is not None:
            tail = Content.assemble(
                (f" {self.app.get_key_display(palette_key)} ", "bold $footer-key-foreground"),
                ("palette ", "$footer-description-foreground"),
            )

        def width_of(entries: list[tuple[str, str, str, str]]) -> int:
            return sum(len(shown) + len(description) + 3 for _, shown, description, _ in entries)

        # On a narrow terminal drop keys from the end, but keep the way to the help screen.
        budget = self.size.width - (tail.cell_length + 1 if tail.cell_length else 0)
        while len(items) > 1 and width_of(items) > budget:
            drop = next((i for i in range(len(items) - 1, -1, -1) if items[i][3] != "help"), None)
            if drop is None:
                break
            del items[drop]
        parts: list[tuple[str, str] | str] = []
        self._keys = []
        x = 0
        for key, shown, description, _action in items:
            label = f" {shown} "
            parts.append((label, "bold $footer-key-foreground"))
            parts.append((f"{description} ", "$footer-description-foreground"))
            self._keys.append((x, x + len(label) + len(description) + 1, key))
            x += len(label) + len(description) + 1
        content = Content.assemble(*parts)
        gap = self.size.width - content.cell_length - tail.cell_length
        if tail.cell_length and gap >= 1 and palette_key is not None:
            start = self.size.width - tail.cell_length
            self._keys.append((start, self.size.width, palette_key.key))
            content = Content.assemble(content, " " * gap, tail)
        return content

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._keys:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
