"""The Bookmarks screen: every saved quote across articles, newest first.

Self-contained over a `StateStore`. How the app uses it::

    def action_bookmarks(self) -> None:                       # bound to `B`
        self.push_screen(BookmarksScreen(self.store), self._open_saved_quote)

    def _open_saved_quote(self, quote: SavedQuote | None) -> None:
        if quote is not None:   # Enter was pressed on `quote`: open its article at
            ...                 # quote.article_id, block quote.block, chars quote.start:end

The screen dismisses itself with the chosen `SavedQuote` (or None on Escape) and, for apps that
prefer messages, also posts `BookmarksScreen.OpenQuote` to the app just before. Keys: type to
filter (text, note, speaker, tags, title), Tab to the kind / speaker / article selectors, `e`
edit note and tags, `d` delete, `u` or ctrl+z undo the last delete, Escape back.

All text from quotes and articles is rendered through `Content` / `Text` objects, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from reader.saving import SavedQuote, normalize_tags
from reader.store.state import StateStore, StoreError

KIND_LABELS = {
    "tweet": "Tweet",
    "caption": "Photo caption",
    "quote": "Quote",
    "paragraph": "Paragraph",
    "sentence": "Excerpt",
}
_SNIPPET = 400
PAGE = 200  # quotes shown before a "more" entry
_MORE = "more"


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quote_entry(quote: SavedQuote) -> Content:
    """The list entry for one saved quote: kind and attribution, the text, the article, the
    note and tags. Built from plain strings with `Content.assemble`: nothing is markup."""
    head: list[tuple[str, str] | str] = [(KIND_LABELS.get(quote.kind, quote.kind), "bold $accent")]
    if quote.attribution:
        head += ["  ", (_one_line(quote.attribution, 80), "$text-secondary")]
    head += ["  ", (quote.created[:10], "$text-muted")]
    parts: list[tuple[str, str] | str] = [*head, "\n", _one_line(quote.text, _SNIPPET), "\n"]
    parts.append(
        (f"in {_one_line(quote.article_title or quote.article_source, 90)}", "italic $text-muted")
    )
    if quote.note:
        parts += ["\n", ("✎ ", "$text-primary"), (_one_line(quote.note, 200), "$text-primary")]
    if quote.tags:
        parts += ["\n", (" ".join(f"#{t}" for t in quote.tags), "$text-muted")]
    return Content.assemble(*parts)


def _label(text: str) -> Text:
    # Select prompts: a Text object is shown as-is (a plain str could be read as markup).
    return Text(_one_line(text, 60), no_wrap=True, overflow="ellipsis")


@dataclass(frozen=True)
class QuoteEdit:
    """What the edit dialog returns: the new note and the tags as the user typed them."""

    note: str
    tags: str


# Under this many rows the edit dialog tightens (its full layout needs 25).
_SHORT_SCREEN = 26


class QuoteEditScreen(ModalScreen[QuoteEdit | None]):
    """A small dialog to edit a saved quote's note and tags (ctrl+s saves, Escape cancels)."""

    DEFAULT_CSS = """
    QuoteEditScreen { align: center middle; }
    QuoteEditScreen > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    QuoteEditScreen #edit-quote { color: $text-muted; height: auto; max-height: 4; }
    QuoteEditScreen TextArea { height: 6; }
    QuoteEditScreen #edit-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    QuoteEditScreen Button { margin-left: 1; }
    /* A short terminal (64x20): tighter, so that the buttons still show. */
    QuoteEditScreen.-short > Vertical { padding: 0 1; }
    QuoteEditScreen.-short #edit-quote { max-height: 2; }
    QuoteEditScreen.-short TextArea { height: 4; }
    QuoteEditScreen.-short #edit-buttons { margin-top: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, quote: SavedQuote) -> None:
        super().__init__()
        self.quote = quote

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_one_line(self.quote.text, 240)), id="edit-quote")
            yield Label("Note")
            yield TextArea(self.quote.note, id="edit-note", soft_wrap=True)
            yield Label("Tags (comma or space separated)")
            yield Input(" ".join(self.quote.tags), id="edit-tags", placeholder="climate, ports")
            with Horizontal(id="edit-buttons"):
                yield Button("Cancel", id="edit-cancel")
                yield Button("Save", id="edit-save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#edit-note", TextArea).focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < _SHORT_SCREEN, "-short")

    def action_save(self) -> None:
        note = self.query_one("#edit-note", TextArea).text
        tags = self.query_one("#edit-tags", Input).value
        self.dismiss(QuoteEdit(note.strip(), tags))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#edit-tags")
    @on(Button.Pressed, "#edit-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#edit-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class BookmarksScreen(Screen[SavedQuote | None]):
    """Every saved quote, newest first, filterable; dismisses with the quote to open."""

    DEFAULT_CSS = """
    BookmarksScreen { layout: vertical; }
    BookmarksScreen #bm-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    BookmarksScreen #bm-filters { height: 1; margin: 1 0 0 0; }
    BookmarksScreen #bm-filter { width: 2fr; margin-right: 1; }
    BookmarksScreen #bm-filters Select { width: 1fr; max-width: 28; margin-left: 1; }
    BookmarksScreen #bm-list { height: 1fr; }
    BookmarksScreen #bm-list > .option-list--option { padding: 0 1; }
    BookmarksScreen #bm-empty { padding: 1 2; color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("slash", "focus_filter", "Filter"),
        Binding("e", "edit", "Note & tags"),
        Binding("d,delete", "delete", "Delete"),
        Binding("u,ctrl+z", "undo", "Undo delete"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]

    @dataclass
    class OpenQuote(Message):
        """Posted to the app when the reader presses Enter on a quote: open
        `quote.article_id` scrolled to block `quote.block` (chars `start:end`), highlighted."""

        quote: SavedQuote

    def __init__(
        self,
        store: StateStore,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = store
        self._quotes: list[SavedQuote] = []
        self._haystacks: dict[int, str] = {}
        self._shown: list[SavedQuote] = []
        self._deleted: list[SavedQuote] = []  # undo stack, newest last
        self._loaded = False
        self._limit = PAGE

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Content("Saved quotes"), id="bm-title")
        with Horizontal(id="bm-filters"):
            # Compact (one line each) so the list keeps its room on a 20-line terminal.
            yield Input(placeholder="/ filter saved quotes…", id="bm-filter", compact=True)
            yield Select[str]([], prompt="Any kind", id="bm-kind", compact=True)
            yield Select[str]([], prompt="Any speaker", id="bm-speaker", compact=True)
            yield Select[str]([], prompt="Any article", id="bm-article", compact=True)
        yield OptionList(id="bm-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#bm-list", OptionList).focus()
        self.reload()

    # --- loading -----------------------------------------------------------------------------

    def reload(self, highlight: int | None = None) -> None:
        """Re-read every quote from the store (in a thread: 10k rows take tens of ms)."""
        self._load(highlight)

    @work(thread=True, exit_on_error=False, exclusive=True, group="bookmarks-load")
    def _load(self, highlight: int | None) -> None:
        try:
            quotes = self.store.list_quotes()
        except Exception as exc:  # a damaged file mid-session: say so, keep the screen
            self.app.call_from_thread(
                self.notify, f"Could not read saved quotes: {exc}", severity="error", markup=False
            )
            quotes = []
        self.app.call_from_thread(self._show_loaded, quotes, highlight)

    def _show_loaded(self, quotes: list[SavedQuote], highlight: int | None) -> None:
        self._quotes = quotes
        self._haystacks = {
            q.id or 0: "\x1f".join(
                (q.text, q.note, q.speaker or "", q.handle or "", " ".join(q.tags),
                 q.article_title)
            ).casefold()
            for q in quotes
        }  # fmt: skip
        self._loaded = True
        self._fill_selects()
        self._refilter(highlight)

    def _fill_selects(self) -> None:
        kinds = sorted({q.kind for q in self._quotes}, key=list(KIND_LABELS).index)
        speakers: dict[str, int] = {}
        articles: dict[str, str] = {}
        for q in self._quotes:
            who = q.speaker or (f"@{q.handle}" if q.handle else "")
            if who and q.kind != "caption":
                speakers[who] = speakers.get(who, 0) + 1
            articles.setdefault(q.article_id, q.article_title or q.article_source or q.article_id)
        self._set_options("#bm-kind", [(_label(KIND_LABELS[k]), k) for k in kinds])
        ordered = sorted(speakers, key=lambda s: (-speakers[s], s.casefold()))
        self._set_options("#bm-speaker", [(_label(s), s) for s in ordered])
        self._set_options(
            "#bm-article",
            [(_label(t), a) for a, t in sorted(articles.items(), key=lambda i: i[1].casefold())],
        )

    def _set_options(self, selector: str, options: list[tuple[Text, str]]) -> None:
        select: Select[str] = self.query_one(selector, Select)
        current = select.value
        with select.prevent(Select.Changed):
            select.set_options(options)
            if current != Select.NULL and any(value == current for _, value in options):
                select.value = current

    # --- filtering ---------------------------------------------------------------------------

    def _filters(self) -> tuple[str, str | None, str | None, str | None]:
        def value(selector: str) -> str | None:
            v = self.query_one(selector, Select).value
            return None if v == Select.NULL else str(v)

        text = self.query_one("#bm-filter", Input).value.strip().casefold()
        return text, value("#bm-kind"), value("#bm-speaker"), value("#bm-article")

    def matching(self) -> list[SavedQuote]:
        """The quotes the current filters let through, newest first."""
        text, kind, speaker, article = self._filters()
        out = []
        for q in self._quotes:
            if kind and q.kind != kind:
                continue
            if speaker and speaker not in (q.speaker, f"@{q.handle}" if q.handle else None):
                continue
            if article and q.article_id != article:
                continue
            if text and text not in self._haystacks.get(q.id or 0, ""):
                continue
            out.append(q)
        return out

    def _refilter(self, highlight: int | None = None) -> None:
        option_list = self.query_one("#bm-list", OptionList)
        previous = self.current_quote()
        keep = highlight if highlight is not None else (previous.id if previous else None)
        self._shown = self.matching()
        index = next((i for i, q in enumerate(self._shown) if q.id == keep), 0)
        if index >= self._limit:
            if highlight is not None:  # e.g. undo of a quote far down the list: show it
                self._limit = (index // PAGE + 1) * PAGE
            else:  # a new filter: start from the top of the first page
                index = 0
        option_list.clear_options()
        if self._shown:
            # OptionList measures every option it is given, so show a page at a time: typing
            # stays fast with 10k quotes, and "more" extends the page.
            options: list[Option | None] = []
            for q in self._shown[: self._limit]:
                if options:
                    options.append(None)  # a separator line between entries
                options.append(Option(quote_entry(q), id=str(q.id)))
            rest = len(self._shown) - self._limit
            if rest > 0:
                more = f"… {rest:,} more: press Enter to show {min(rest, PAGE)} more, or filter"
                options += [None, Option(Content.styled(more, "$text-muted"), id=_MORE)]
            option_list.add_options(options)
            option_list.highlighted = option_list.get_option_index(str(self._shown[index].id))
        elif self._loaded:
            message = (
                "No saved quotes match."
                if self._quotes
                else (
                    "No saved quotes yet. In an article, select a tweet, caption, quote or "
                    "paragraph with ] and [ and press s to save it."
                )
            )
            option_list.add_option(Option(Content(message), disabled=True))
        total = len(self._quotes)
        shown = len(self._shown)
        title = f"Saved quotes: {total}" if shown == total else f"Saved quotes: {shown} of {total}"
        if self.store.read_only:
            title += "  (read-only session)"
        self.query_one("#bm-title", Static).update(Content(title))

    @on(Input.Changed, "#bm-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._limit = PAGE
        self._refilter()

    @on(Input.Submitted, "#bm-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#bm-list", OptionList).focus()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._limit = PAGE
        self._refilter()

    # --- the highlighted quote -----------------------------------------------------------------

    def current_quote(self) -> SavedQuote | None:
        """The highlighted quote, if any."""
        option_list = self.query_one("#bm-list", OptionList)
        index = option_list.highlighted
        if index is None or not self._shown:
            return None
        option_id = option_list.get_option_at_index(index).id
        return next((q for q in self._shown if str(q.id) == option_id), None)

    @on(OptionList.OptionSelected, "#bm-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == _MORE:
            first_new = self._shown[self._limit].id if len(self._shown) > self._limit else None
            self._limit += PAGE
            self._refilter(first_new)
            return
        quote = self.current_quote()
        if quote is not None:
            self.app.post_message(self.OpenQuote(quote))
            self.dismiss(quote)

    # --- actions -------------------------------------------------------------------------------

    def action_back(self) -> None:
        filter_input = self.query_one("#bm-filter", Input)
        if filter_input.has_focus and filter_input.value:
            filter_input.value = ""
            return
        if filter_input.has_focus:
            self.query_one("#bm-list", OptionList).focus()
            return
        self.dismiss(None)

    def action_focus_filter(self) -> None:
        self.query_one("#bm-filter", Input).focus()

    def action_cursor(self, direction: str) -> None:
        option_list = self.query_one("#bm-list", OptionList)
        if direction == "down":
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Letters typed into the filter or the note belong to the text, not to our keys.
        if action in ("edit", "delete", "undo", "cursor", "focus_filter"):
            focused = self.focused
            if isinstance(focused, Input | TextArea):
                return False
        return True

    def action_edit(self) -> None:
        quote = self.current_quote()
        if quote is None or quote.id is None:
            return
        quote_id = quote.id

        def done(edit: QuoteEdit | None) -> None:
            if edit is None:
                return
            try:
                self.store.update_note(quote_id, edit.note)
                self.store.update_tags(quote_id, normalize_tags(edit.tags))
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify("Note and tags saved.", markup=False)
            self.reload(highlight=quote_id)

        self.app.push_screen(QuoteEditScreen(quote), done)

    def action_delete(self) -> None:
        quote = self.current_quote()
        if quote is None or quote.id is None:
            return
        try:
            removed = self.store.delete_quote(quote.id)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if removed is None:
            return
        self._deleted.append(removed)
        # Keep the cursor where it was: on the next quote down the list.
        index = self._shown.index(quote)
        neighbour = (
            self._shown[index + 1]
            if index + 1 < len(self._shown)
            else (self._shown[index - 1] if index else None)
        )
        self._quotes = [q for q in self._quotes if q.id != removed.id]
        self._fill_selects()
        self._refilter(neighbour.id if neighbour else None)
        self.notify(
            f"Deleted: {_one_line(removed.text, 60)}\nPress u to undo.",
            title="Quote deleted",
            markup=False,
        )

    def action_undo(self) -> None:
        if not self._deleted:
            self.notify("Nothing to undo.", markup=False)
            return
        row = self._deleted[-1]
        try:
            restored = self.store.restore_quote(row)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._deleted.pop()
        self.notify(f"Restored: {_one_line(restored.text, 60)}", markup=False)
        self.reload(highlight=restored.id)
