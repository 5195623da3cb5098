"""The app's saved state: read marks, bookmarks, saved quotes, resume positions, theme, export.

`SavedState` is the one object `ReaderApp` talks to for anything that outlives the session. It
holds the `StateStore` (or None when the app runs without one, as in most UI tests) and the
user's `Config`, and turns each key into one store call. Every write is caught: a read-only
session or a full disk becomes a notification, never a crash. Writes are single small SQLite
transactions (well under a frame, see benchmarks/state_keys.py), so they run on the UI thread
and the key's effect is on the very next frame.

`FlaggedRows` is the list's all / unread / bookmarked filter, layered over whatever row source
the title filter produced.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from textual.timer import Timer

    from reader.config import Config
    from reader.model import Article, ArticleSummary
    from reader.saving import SavedQuote
    from reader.store.state import StateStore
    from reader.ui.app import ReaderApp
    from reader.ui.rows import RowSource

POSITION_SAVE_SECONDS = 5.0
"""How often the open article's reading position is saved while it is read."""

FilterMode = Literal["all", "unread", "bookmarked"]
FILTER_MODES: tuple[FilterMode, ...] = ("all", "unread", "bookmarked")

KIND_NAMES = {
    "tweet": "tweet",
    "caption": "photo caption",
    "quote": "quote",
    "paragraph": "paragraph",
    "sentence": "excerpt",
}


class FlaggedRows:
    """A row source narrowed to unread or bookmarked articles, plus one pinned article.

    The set of rows is fixed when the view is made: marking the article being read as read
    does not make it vanish under the reader (the pin keeps it in any case). `filtered`
    hands back the underlying source's result; the list re-applies the flag filter.
    """

    def __init__(self, base: RowSource, keep: set[str], invert: bool, pinned: str | None) -> None:
        from reader.ui.rows import row_ids

        self.base = base
        # Positions in `base` of the rows shown, ascending (for binary-search lookups); decided
        # on ids alone, so that 100,000 cached rows are not all built to show a screenful.
        self._base_ids = row_ids(base)
        self._view = [
            i
            for i, article_id in enumerate(self._base_ids)
            if ((article_id in keep) != invert) or article_id == pinned
        ]

    def __len__(self) -> int:
        return len(self._view)

    def __getitem__(self, index: int) -> ArticleSummary:
        return self.base[self._view[index]]

    def index_of(self, article_id: str, *, near: int | None = None) -> int | None:
        if near is not None and self._view:
            near = self._view[min(max(near, 0), len(self._view) - 1)]
        position = self.base.index_of(article_id, near=near)
        if position is None:
            return None
        index = bisect_left(self._view, position)
        if index < len(self._view) and self._view[index] == position:
            return index
        return None

    def filtered(self, query: str) -> RowSource:
        return self.base.filtered(query)

    def ids(self) -> list[str]:
        """The article id of every row shown, in order."""
        return [self._base_ids[i] for i in self._view]


def _binding_ids() -> set[str]:
    """Every binding id the app's widgets and screens declare (what a keymap can name)."""
    import importlib

    from textual.binding import Binding

    ids: set[str] = set()
    for name in (
        "app",
        "article_list",
        "reading_pane",
        "outline",
        "bookmarks",
        "library_views",
        "screens",
        "search",
    ):
        module = importlib.import_module(f"reader.ui.{name}")
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                ids.update(
                    b.id for b in getattr(value, "BINDINGS", ()) if isinstance(b, Binding) and b.id
                )
    return ids


@dataclass
class Excerpt:
    """A part of one block chosen with the sentence keys (or found again from a bookmark).

    `unit` is the pane's unit index it belongs to; `sentences` is (first, last) when it was
    built from sentences, else None for a plain character span.
    """

    unit: int
    block: int
    start: int
    end: int
    sentences: tuple[int, int] | None = None


class SavedState:
    """Everything `ReaderApp` keeps between sessions, behind the app's keys and commands."""

    def __init__(
        self,
        app: ReaderApp,
        store: StateStore | None,
        config: Config | None = None,
        messages: list[str] | None = None,
    ) -> None:
        self.app = app
        self.store = store
        if config is None:
            from reader.config import Config

            config = Config()
        self.config = config
        #: Shown as notifications once the app is up (config and store messages).
        self.messages = list(messages or [])
        self.mode: FilterMode = "all"
        self.excerpt: Excerpt | None = None
        #: Where "export" writes; None: the user's Documents folder, else home.
        self.export_dir: Path | None = None
        self._read_timer: Timer | None = None
        self._positions: dict[str, tuple[float, int | None]] = {}
        self._skip_resume = False
        self._warned_read_only = False
        # What the keys said lately (title bar or notification), oldest first.
        self.said: list[str] = []

    # ----------------------------------------------------------------- start-up
    def start(self) -> None:
        """On mount: keymap, theme, start-up messages; then follow theme changes."""
        app = self.app
        keymap = self._keymap()
        if keymap:
            app.set_keymap(keymap)
        if self.store is not None:
            from reader.config import effective_theme

            theme, problem = effective_theme(
                self.config.theme,
                self.store.remembered_theme(),
                self.store.remembered_theme_config(),
                available=app.available_themes,
            )
            if problem:
                self.messages.append(problem)
            if theme and theme != app.theme:
                app.theme = theme
            app.watch(app, "theme", self._theme_changed, init=False)
            # The open article's place is also kept every few seconds, not only when another
            # article opens or the app quits: a killed terminal loses at most that much
            # reading. A check costs nothing when the place is unchanged (no write).
            app.set_interval(POSITION_SAVE_SECONDS, self.leaving, name="keep reading position")
        for message in self.messages:
            app.notify(message, title="reader", severity="warning", timeout=12, markup=False)

    def _keymap(self) -> dict[str, str]:
        # The config may name a binding by its action ("toggle_read") or by its full id
        # ("app.toggle_read"): both work.
        if not self.config.keymap:
            return {}
        known = _binding_ids()
        keymap: dict[str, str] = {}
        for binding_id, keys in self.config.keymap.items():
            if binding_id not in known and f"app.{binding_id}" in known:
                binding_id = f"app.{binding_id}"
            if binding_id not in known:
                # A typo must not pass silently: say which entry does nothing.
                where = self.config.path or "config"
                self.messages.append(
                    f"{where}: keymap.{binding_id}: no such binding (the README's Configuration "
                    "section lists the ids); the other keys apply"
                )
                continue
            keymap[binding_id] = keys
        return keymap

    def _theme_changed(self, theme: str) -> None:
        if self.store is None or self.store.read_only:
            return
        from reader.store.state import StoreError

        try:
            self.store.remember_theme(theme, self.config.theme)
        except StoreError as error:
            self._not_saved(error)

    # ----------------------------------------------------------------- feedback
    def say(self, text: str, **kwargs: object) -> None:
        """Say what a key did (the app's own keys use it too): in the title bar when the main
        screen shows it (a plain line, repainted within the frame), else, and for warnings and
        errors, as a notification."""
        app = self.app
        self.said.append(text)
        del self.said[:-50]
        if not kwargs and len(app.screen_stack) == 1:
            from reader.ui.bars import TitleBar

            bars = app.screen.query(TitleBar)
            if bars:
                bars.first().flash(text)
                return
        app.notify(text, markup=False, **kwargs)  # type: ignore[arg-type]

    def _not_saved(self, error: Exception, *, quiet_if_read_only: bool = False) -> None:
        from reader.store.state import StoreReadOnlyError

        if quiet_if_read_only and isinstance(error, StoreReadOnlyError):
            if self._warned_read_only:
                return
            self._warned_read_only = True
        self.say(str(error), title="Not saved", severity="error")

    def _no_store(self) -> bool:
        if self.store is None:
            self.say("There is no state store in this session.", severity="warning")
            return True
        return False

    # ----------------------------------------------------------------- read marks
    def article_opened(self, article: Article) -> None:
        """Apply the mark-read policy: at once, after N seconds still on it, or never."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        delay = self.config.mark_read.delay
        if delay is None or self.app.flags.is_read(article.id):
            return
        if delay <= 0:
            self._mark_read(article)
        else:
            self._read_timer = self.app.set_timer(delay, lambda: self._mark_if_open(article))

    def _mark_if_open(self, article: Article) -> None:
        self._read_timer = None
        if self.app.pane.article is article:
            self._mark_read(article)

    def _mark_read(self, article: Article) -> None:
        from reader.store.state import StoreError

        flags = self.app.flags
        was_read = flags.is_read(article.id)
        try:
            if self.store is not None:
                flags.mark_read(article.id, article.source, article.title)  # type: ignore[call-arg]
            else:
                flags.mark_read(article.id)
        except StoreError as error:
            self._not_saved(error, quiet_if_read_only=True)
        self.app.flags_changed(self._delta(article, was_read), article.id)

    def toggle_read(self, article: Article) -> None:
        """`m`: flip the read mark of `article`."""
        from reader.store.state import StoreError

        if self._read_timer is not None:  # a manual choice beats a pending timer
            self._read_timer.stop()
            self._read_timer = None
        flags = self.app.flags
        was_read = flags.is_read(article.id)
        error: StoreError | None = None
        try:
            if self.store is not None:
                state = flags.toggle_read(article.id, article.source, article.title)  # type: ignore[call-arg]
            else:
                state = flags.toggle_read(article.id)
        except StoreError as exc:
            state, error = flags.is_read(article.id), exc
        self.app.flags_changed(self._delta(article, was_read), article.id)
        if error is not None:
            self._not_saved(error)
        else:
            self.say("Marked read." if state else "Marked unread.")

    def _delta(self, article: Article, was_read: bool) -> int | None:
        """How the unread count moved for `article` (None: unknown, recount)."""
        if self.app.rows.index_of(article.id) is None:
            return None  # not in the library's rows (cannot happen from the UI): recount
        return int(was_read) - int(self.app.flags.is_read(article.id))

    def toggle_bookmark(self, article: Article) -> None:
        """`b`: bookmark or un-bookmark `article`."""
        from reader.store.state import StoreError

        flags = self.app.flags
        error: StoreError | None = None
        try:
            if self.store is not None:
                state = flags.toggle_bookmark(article.id, article.source, article.title)  # type: ignore[call-arg]
            else:
                state = flags.toggle_bookmark(article.id)
        except StoreError as exc:
            state, error = flags.is_bookmarked(article.id), exc
        self.app.flags_changed(0, article.id)  # the unread count is unchanged
        if error is not None:
            self._not_saved(error)
        else:
            self.say("Bookmarked." if state else "Bookmark removed.")

    def mark_all_read(self) -> None:
        """`M`: mark every article in the current list (filters applied) read."""
        from reader.store.state import StoreError
        from reader.ui.rows import row_ids

        ids = row_ids(self.app.article_list.rows)
        flags = self.app.flags
        error: StoreError | None = None
        try:
            if hasattr(flags, "mark_all_read"):
                changed = flags.mark_all_read(ids)
            else:
                unread = [i for i in ids if not flags.is_read(i)]
                for article_id in unread:
                    flags.mark_read(article_id)
                changed = len(unread)
        except StoreError as exc:
            changed, error = 0, exc
        self.app.flags_changed()
        if error is not None:
            self._not_saved(error)
            return
        scope = "in this view" if self.mode != "all" or self.app.filter_query() else "in the list"
        self.say(f"Marked {changed} article{'s' if changed != 1 else ''} read {scope}.")

    # ----------------------------------------------------------------- list filter
    def cycle_filter(self) -> None:
        """`f`: show all articles, then only unread ones, then only bookmarked ones."""
        self.mode = FILTER_MODES[(FILTER_MODES.index(self.mode) + 1) % len(FILTER_MODES)]
        self.apply_filter()
        labels = {"all": "all articles", "unread": "unread articles", "bookmarked": "bookmarks"}
        self.say(f"Showing {labels[self.mode]}.")

    def apply_filter(self, mode: FilterMode | None = None) -> None:
        """Re-narrow the list to the filter mode, keeping the article being read on it."""
        if mode is not None:
            self.mode = mode
        app = self.app
        pinned = app.pane.article.id if app.pane.article is not None else None
        app.article_list.set_rows(app.article_list.rows, keep=pinned)
        app.flags_changed()

    def row_view(self, rows: RowSource) -> RowSource:
        """The list's hook: `rows` (after the title filter) narrowed by the flag filter."""
        if isinstance(rows, FlaggedRows):
            rows = rows.base
        if self.mode == "all":
            return rows
        flags = self.app.flags
        pane_article = self.app.pane.article
        pinned = pane_article.id if pane_article is not None else None
        if self.mode == "unread":
            return FlaggedRows(rows, flags.read, True, pinned)  # type: ignore[attr-defined]
        return FlaggedRows(rows, flags.bookmarked, False, pinned)  # type: ignore[attr-defined]

    def summary_part(self) -> str | None:
        """The header's note about the flag filter, if one is on."""
        if self.mode == "all":
            return None
        shown = len(self.app.article_list.rows)
        return f"{self.mode} only: {shown} shown"

    # ----------------------------------------------------------------- sentences
    def step_sentence(self, delta: int, *, extend: bool = False) -> None:
        """`.`/`,` narrow the selected block to one sentence and move; `>`/`<` grow/shrink."""
        from reader.saving import sentence_span, split_sentences

        pane = self.app.pane
        article, unit = pane.article, pane.selected_unit
        if article is None or unit is None or pane.selected is None:
            self.say("Select a paragraph, tweet or caption with ] or [ first.")
            return
        text = article.blocks[unit.block].text
        spans = split_sentences(text) or [(0, len(text))]
        excerpt = self.excerpt
        if excerpt is None or excerpt.unit != pane.selected or excerpt.sentences is None:
            # First press: the first sentence (or the one a selected quote starts in).
            first = 0
            if unit.quote is not None:
                start = article.quotes[unit.quote].start
                first = next((i for i, (_s, e) in enumerate(spans) if e > start), 0)
            first = last = first
        else:
            first, last = excerpt.sentences
            if extend:
                last += delta
                if last < first or last >= len(spans):
                    self.app.bell()
                    return
            else:
                target = (last + 1) if delta > 0 else (first - 1)
                if not 0 <= target < len(spans):
                    self.app.bell()
                    return
                first = last = target
        start, end = sentence_span(text, first, last)
        self.set_excerpt(Excerpt(pane.selected, unit.block, start, end, (first, last)))

    def set_excerpt(self, excerpt: Excerpt | None) -> None:
        """Show (or clear) the excerpt highlight in the pane."""
        self.excerpt = excerpt
        self.app.pane.set_excerpt(
            None if excerpt is None else (excerpt.block, excerpt.start, excerpt.end)
        )

    def dragged(self, block: int, start: int, end: int) -> None:
        """A mouse drag chose characters `start:end` of `block`: `s` saves just those."""
        pane = self.app.pane
        if pane.selected is None or pane.article is None:
            return
        self.set_excerpt(Excerpt(pane.selected, block, start, end))

    def unit_changed(self) -> None:
        """The pane's selection moved: an excerpt of another unit no longer applies."""
        if self.excerpt is not None and self.excerpt.unit != self.app.pane.selected:
            self.set_excerpt(None)

    # ----------------------------------------------------------------- saving quotes
    def selected_quote(self) -> SavedQuote | None:
        """The `SavedQuote` `s` would save now, or None when nothing is selected."""
        from reader.saving import (
            quote_for_block,
            quote_for_sentences,
            quote_for_span,
            quote_for_speech,
        )

        pane = self.app.pane
        article, unit = pane.article, pane.selected_unit
        if article is None or unit is None:
            return None
        excerpt = self.excerpt
        if excerpt is not None and excerpt.unit == pane.selected:
            if excerpt.sentences is not None:
                first, last = excerpt.sentences
                return quote_for_sentences(article, excerpt.block, first, last)
            return quote_for_span(article, excerpt.block, excerpt.start, excerpt.end)
        if unit.quote is not None:
            return quote_for_speech(article, article.quotes[unit.quote])
        return quote_for_block(article, unit.block)

    def save_selected(self) -> None:
        """`s`: save the selected unit (or sentence range) at once; say what happened."""
        from reader.store.state import StoreError

        quote = self.selected_quote()
        if quote is None:
            self.say(
                "Select a tweet, caption, quote or paragraph with ] or [ first "
                "(. and , narrow it to sentences)."
            )
            return
        if self._no_store():
            return
        assert self.store is not None
        try:
            row, created = self.store.save_quote(quote)
        except StoreError as error:
            self._not_saved(error)
            return
        kind = KIND_NAMES.get(row.kind, row.kind)
        name = " ".join(p for p in (row.speaker, f"@{row.handle}" if row.handle else None) if p)
        who = f" by {name}" if name else ""
        # One short line: it is said in the title bar (see `say`), where it must fit.
        if created:
            self.say(f"Saved {kind}{who}.")
        else:
            self.say(f"Already saved ({kind}).")

    # ----------------------------------------------------------------- bookmarks screen
    def show_bookmarks(self) -> None:
        """`B`: the saved quotes; Enter opens one in its article."""
        if self._no_store():
            return
        from reader.ui.bookmarks import BookmarksScreen

        assert self.store is not None
        self.app.push_screen(BookmarksScreen(self.store), self.open_quote)

    def open_quote(self, quote: SavedQuote | None) -> None:
        """Open `quote`'s article scrolled to it, selected and highlighted."""
        if quote is None:
            return
        from reader.saving import find_in_article

        app = self.app
        index = app.rows.index_of(quote.article_id)
        summary = app.rows[index] if index is not None else None
        article = app.article(summary) if summary is not None else None
        if summary is None or article is None:
            self.say(
                f"“{_snippet(quote.article_title, 60)}” is not in the library open now.",
                severity="warning",
            )
            return
        if app.article_list.rows.index_of(summary.id) is None:
            # Hidden by a filter: show everything so the list and the pane agree.
            self.mode = "all"
            app.action_clear_filter()
        app.article_list.move_to(summary.id)
        self._skip_resume = True
        try:
            app.open_article(summary, focus=True)
        finally:
            self._skip_resume = False
        found = find_in_article(article, quote)
        if found is None:
            self.say(
                "The quote is no longer in this article (the file changed); opened at the top.",
                severity="warning",
            )
            return
        block, start, end = found
        pane = app.pane
        units = pane.units
        unit_index = next(
            (
                i
                for i, u in enumerate(units)
                if u.quote is not None
                and u.block == block
                and article.quotes[u.quote].start <= start < article.quotes[u.quote].end
            ),
            None,
        )
        if quote.kind != "quote" or unit_index is None:
            unit_index = next(
                i for i, u in enumerate(units) if u.block == block and u.quote is None
            )
        pane.select_unit(unit_index)
        whole = article.blocks[block].text.strip() == quote.text.strip()
        if quote.kind == "sentence" or (quote.kind != "quote" and not whole):
            self.set_excerpt(Excerpt(unit_index, block, start, end))

    # ----------------------------------------------------------------- resume
    def leaving(self) -> None:
        """The pane is about to show another article (or the app quits): keep its place."""
        pane = self.app.pane
        article = pane.article
        if article is None or self.store is None or self.store.read_only:
            return
        position = (round(pane.reading_position(), 3), pane.selected)
        if position == self._positions.get(article.id, (-1.0, None)):
            return  # unchanged (an article only previewed): no write
        from reader.store.state import StoreError

        try:
            self.store.set_position(
                article.id, position[0], position[1], article.source, article.title
            )
        except StoreError as error:
            self._not_saved(error, quiet_if_read_only=True)
            return
        self._positions[article.id] = position

    def shown(self, article: Article | None) -> None:
        """The pane now shows `article`: drop the excerpt, and put it back where it was left."""
        if self.excerpt is not None:
            self.set_excerpt(None)
        if article is None or self.store is None or self._skip_resume:
            return
        if article.id not in self._positions:
            saved = self.store.get_position(article.id)
            self._positions[article.id] = (
                (saved.scroll_y, saved.unit) if saved is not None else (-1.0, None)
            )
        y, unit = self._positions[article.id]
        if y > -1.0 or unit is not None:
            self.app.call_after_refresh(self._resume, article, y, unit)

    def _resume(self, article: Article, y: float, unit: int | None, tries: int = 3) -> None:
        pane = self.app.pane
        if pane.article is not article:
            return
        target = pane.scroll_to_reading_position(y)
        if target is None or pane.scroll_offset.y != target:
            # Not laid out yet (the first article, or a hidden pane): the scroll range is
            # still that of the previous one. Try again after the next refresh.
            if tries > 0:
                self.app.call_after_refresh(self._resume, article, y, unit, tries - 1)
                return
        if unit is not None and unit < len(pane.units):
            pane.select_unit(unit, scroll=False)

    # ----------------------------------------------------------------- export
    def export(self, fmt: str) -> None:
        """Write every saved quote to a new file in Documents (else home); say where."""
        if self._no_store():
            return
        from reader.export import ExportExistsError, collect, default_filename, render, write_export

        assert self.store is not None
        folder = self.export_dir or _documents_dir()
        quotes, articles = collect(self.store)
        text = render(fmt, quotes, articles)
        name = default_filename(fmt)
        stem, dot, ext = name.rpartition(".")
        for attempt in range(100):
            target = folder / (name if attempt == 0 else f"{stem}-{attempt}{dot}{ext}")
            try:
                path = write_export(text, target)
                break
            except ExportExistsError:
                continue  # never overwrite: try the next free name
            except OSError as error:
                self.say(
                    f"Could not write {target}: {error.strerror or error}", severity="error"
                )
                return
        else:
            self.say(f"Could not find a free file name in {folder}.", severity="error")
            return
        count = len(quotes)
        self.say(f"Exported {count} quote{'s' if count != 1 else ''} to {path}", title="Export")


def _snippet(text: str, limit: int = 48) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _documents_dir() -> Path:
    from platformdirs import user_documents_dir

    documents = Path(user_documents_dir())
    return documents if documents.is_dir() else Path(os.path.expanduser("~"))


def open_saved_state(
    data_dir: str | None, config_path: str | None
) -> tuple[StateStore, Config, list[str]]:
    """For `run_app`: load the config and open the store; returns the messages for the user."""
    from reader.config import load_config
    from reader.store.state import StateStore

    config, messages = load_config(config_path)
    store = StateStore.open(data_dir)
    return store, config, [*messages, *store.messages]
