"""The reading app: `ReaderApp`, its factory `build_app`, and `run_app` for the CLI.

Importing this module reads no files and opens nothing; files load in a thread worker after
the first frame, and reach the UI only through the `ReaderApp.Loaded` message.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from reader.paths import samples_dir, styles_dir
from reader.ui.article_list import ArticleList
from reader.ui.bars import KeyBar, TitleBar
from reader.ui.cached_rows import CachedRows
from reader.ui.reading_pane import ReadingPane
from reader.ui.rows import SummaryRows

if TYPE_CHECKING:
    from textual.widgets import Input

    from reader.config import Config
    from reader.model import Article, ArticleSummary
    from reader.store.state import StateStore
    from reader.ui.indexing import CachedLibrary, LibraryIndexed
    from reader.ui.outline import Outline
    from reader.ui.progress import IndexBar
    from reader.ui.screens import Problem

NARROW_WIDTH = 90
"""Below this many columns the list and the reading pane take turns (Enter / Escape)."""

Loader = Callable[[list[str]], Iterable[object]]
"""Yields an `Article` or a load error (anything with a path and a reason) per input."""


def load_articles(paths: list[str]) -> Iterator[object]:
    """The one place the app asks the core for articles: the bundled samples when no path.

    Runs in a worker thread. Yields `Article`s and load errors as the library produces them.
    """
    from reader.library import iter_articles  # files, folders and globs; never raises per file

    yield from iter_articles(paths or [str(samples_dir())])


def _reader_commands() -> type:
    # Loaded when the palette first opens, not at start-up.
    from reader.ui.commands import ReaderCommands

    return ReaderCommands


def outline_bindings() -> list[BindingType]:
    """The outline's keys, for the help screen."""
    from reader.ui.outline import Outline

    return list(Outline.BINDINGS)


def as_problem(item: object) -> Problem:
    """A load error from the core, whatever its exact class, as a `Problem` for the UI."""
    from reader.formats import display_path  # file names are data: no control characters
    from reader.sanitize import strip_controls
    from reader.ui.screens import Problem

    path = getattr(item, "path", None) or "?"
    reason = getattr(item, "reason", None) or str(item)
    return Problem(display_path(str(path)), strip_controls(str(reason)))


@dataclass
class SessionFlags:
    """Read and bookmark state held in memory for this session.

    The hook for the state store (issue 4): replace it with an object offering the same
    methods backed by SQLite, and the list, header and keys `m` / `b` follow.
    """

    read: set[str] = field(default_factory=set)
    bookmarked: set[str] = field(default_factory=set)

    def is_read(self, article_id: str) -> bool:
        return article_id in self.read

    def is_bookmarked(self, article_id: str) -> bool:
        return article_id in self.bookmarked

    def mark_read(self, article_id: str) -> None:
        self.read.add(article_id)

    def toggle_read(self, article_id: str) -> bool:
        """Flip read state; returns the new state."""
        if article_id in self.read:
            self.read.discard(article_id)
            return False
        self.read.add(article_id)
        return True

    def toggle_bookmark(self, article_id: str) -> bool:
        """Flip the bookmark; returns the new state."""
        if article_id in self.bookmarked:
            self.bookmarked.discard(article_id)
            return False
        self.bookmarked.add(article_id)
        return True


class MainScreen(Screen[None]):
    """The list and the reading pane. Focus is given after the first frame, not before it."""

    # "" turns Textual's auto-focus off for this screen only (other screens keep it): a focus
    # change before the first paint restyles the widgets once more for nothing.
    AUTO_FOCUS = ""


# Actions on the list, the open article and its selection. Their keys are the app's, so they
# would also fire on every other screen (saved quotes, help, the library views) and act, unseen,
# on the main screen behind it (`n` there opened the next article): only the main screen has them.
MAIN_SCREEN_ACTIONS = frozenset(
    """next_article previous_article next_unit previous_unit toggle_outline filter open_link
    back library_views reload save_quote toggle_bookmark toggle_read show_bookmarks mark_all_read
    cycle_read_filter next_sentence previous_sentence extend_sentences shrink_sentences""".split()
)


class ReaderApp(App[int]):
    """Article list on the left, reading pane on the right, outline on demand."""

    CSS_PATH = str(styles_dir() / "reader.tcss")
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {_reader_commands}

    BINDINGS: ClassVar[list[BindingType]] = [
        # Footer shows the description; help shows the tooltip.
        Binding(
            "n", "next_article", "Next", tooltip="Open the next article", id="app.next_article"
        ),
        Binding(
            "p",
            "previous_article",
            "Prev",
            tooltip="Open the previous article",
            id="app.previous_article",
        ),
        Binding(
            "right_square_bracket",
            "next_unit",
            "Next unit",
            tooltip="Select the next tweet, caption, quote or paragraph",
            id="app.next_unit",
        ),
        Binding(
            "left_square_bracket",
            "previous_unit",
            "Prev unit",
            show=False,
            tooltip="Select the previous tweet, caption, quote or paragraph",
            id="app.previous_unit",
        ),
        Binding(
            "t",
            "toggle_outline",
            "Outline",
            tooltip="Show or hide the outline",
            id="app.toggle_outline",
        ),
        Binding(
            "slash",
            "filter",
            "Search",
            tooltip="Search the library as you type (titles, text, tweets, captions, quotes)",
            id="app.filter",
        ),
        Binding(
            "o",
            "open_link",
            "Open link",
            show=False,
            tooltip="Open the selected tweet's link, or the article's, in the browser",
            id="app.open_link",
        ),
        Binding("question_mark", "help", "Help", tooltip="This help", id="app.help"),
        Binding("q", "quit", "Quit", tooltip="Quit", id="app.quit"),
        Binding(
            "tab",
            "focus_next",
            "Next pane",
            show=False,
            tooltip="Focus the next pane",
            id="app.focus_next",
        ),
        Binding(
            "shift+tab",
            "focus_previous",
            "Prev pane",
            show=False,
            tooltip="Focus the previous pane",
            id="app.focus_previous",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            tooltip="Close the outline or the filter, or go back to the list",
            id="app.back",
        ),
        Binding(
            "exclamation_mark",
            "problems",
            "Problems",
            show=False,
            tooltip="Files that could not be loaded, and why",
            id="app.problems",
        ),
        Binding(
            "v",
            "library_views",
            "Views",
            show=False,
            tooltip="Across the library: tweets by account, quotes by speaker, shared tweets",
            id="app.library_views",
        ),
        # Saved state (issue 4): reader/ui/state_actions.py does the work.
        Binding(
            "s",
            "save_quote",
            "Save quote",
            show=False,
            tooltip="Save the selected unit",
            id="app.save_quote",
        ),
        Binding(
            "b",
            "toggle_bookmark",
            "Bookmark",
            show=False,
            tooltip="Bookmark the article",
            id="app.toggle_bookmark",
        ),
        Binding(
            "m",
            "toggle_read",
            "Read/unread",
            show=False,
            tooltip="Mark read or unread",
            id="app.toggle_read",
        ),
        Binding(
            "B",
            "show_bookmarks",
            "Bookmarks",
            show=False,
            tooltip="Your saved quotes",
            id="app.show_bookmarks",
        ),
        Binding(
            "M",
            "mark_all_read",
            "All read",
            show=False,
            tooltip="Mark every article in the list, as filtered now, read",
            id="app.mark_all_read",
        ),
        Binding(
            "f",
            "cycle_read_filter",
            "All/unread/bookmarked",
            show=False,
            tooltip="Show all articles, only unread ones, or only bookmarked ones",
            id="app.cycle_read_filter",
        ),
        Binding(
            "r",
            "reload",
            "Reload",
            show=False,
            tooltip="Look at the library's files again: new, changed and removed ones",
            id="app.reload",
        ),
        Binding(
            "full_stop",
            "next_sentence",
            "Next sentence",
            show=False,
            tooltip="Narrow the selected unit to its first sentence, then the next one",
            id="app.next_sentence",
        ),
        Binding(
            "comma",
            "previous_sentence",
            "Prev sentence",
            show=False,
            tooltip="Narrow the selected unit to a sentence, then the previous one",
            id="app.previous_sentence",
        ),
        Binding(
            "greater_than_sign",
            "extend_sentences",
            "Extend",
            show=False,
            tooltip="Add the next sentence to the sentences to save",
            id="app.extend_sentences",
        ),
        Binding(
            "less_than_sign",
            "shrink_sentences",
            "Shrink",
            show=False,
            tooltip="Drop the last sentence from the sentences to save",
            id="app.shrink_sentences",
        ),
    ]

    @dataclass
    class Loaded(Message):
        """A batch from the loading worker; `done` on the last one."""

        articles: list[Article]
        problems: list[Problem]
        done: bool

    def __init__(
        self,
        paths: list[str] | None = None,
        *,
        loader: Loader | None = None,
        flags: SessionFlags | None = None,
        data_dir: str | None = None,
        config: str | None = None,
        store: StateStore | None = None,
        settings: Config | None = None,
        messages: list[str] | None = None,
    ) -> None:
        super().__init__()
        from reader.ui.state_actions import SavedState

        # Read marks, bookmarks, quotes, positions and the theme, kept in `store` (if any).
        self.state = SavedState(self, store, settings, messages)
        if flags is None and store is not None:
            from reader.store.state import ArticleFlags

            flags = ArticleFlags(store)  # type: ignore[assignment]  # SessionFlags-like
        self.paths = list(paths or [])
        self.data_dir = data_dir
        self.config_path = config
        self._loader: Loader = loader or load_articles
        # Anything with SessionFlags' methods works here (a store-backed one, later).
        self.flags = flags if flags is not None else SessionFlags()
        self.rows: SummaryRows | CachedRows = SummaryRows()
        self.problems: list[Problem] = []
        self.library_loading = True
        # Articles parsed in this session, by id: the reading pane's source (see `article`).
        self._articles: dict[str, Article] = {}
        self._outline: Outline | None = None
        self._unread: int | None = None
        self._filter: Input | None = None
        # The parsed-article cache behind the list (None: files load in memory, see loader).
        self.library: CachedLibrary | None = None
        self._index_bar: IndexBar | None = None

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        # Flat on purpose: every container is start-up time. The screen lays these out side
        # by side; the bars are docked; the outline and the filter prompt join on first use.
        yield TitleBar(id="title-bar")
        yield KeyBar(id="key-bar")
        yield ArticleList(self.flags, id="article-list")
        yield ReadingPane(id="reading-pane")

    @property
    def article_list(self) -> ArticleList:
        return self.query_one("#article-list", ArticleList)

    @property
    def pane(self) -> ReadingPane:
        return self.query_one("#reading-pane", ReadingPane)

    # The outline and the filter field are mounted the first time they are asked for: most
    # sessions never open them, and every widget on the first frame costs start-up time.
    @property
    def outline(self) -> Outline | None:
        return self._outline

    @property
    def outline_open(self) -> bool:
        return self._outline is not None and self._outline.display

    @property
    def filter_input(self) -> Input | None:
        return self._filter

    def filter_query(self) -> str:
        """The title filter being typed ("" when none)."""
        return self._filter.value if self._filter is not None else ""

    @property
    def narrow(self) -> bool:
        """True when the panes take turns instead of sitting side by side."""
        return self.screen_stack[0].has_class("-narrow")

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(id="main")

    def on_mount(self) -> None:
        self._apply_width(self.size.width)
        self.article_list.row_view = self.state.row_view
        self._update_summary()
        self.state.start()
        # Focus the list and start reading files once the first frame is on screen: parsing
        # in a thread still competes for the interpreter, and the empty layout paints at once.
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        if self.focused is None:
            self.article_list.focus()
        if self._loader is load_articles and self.open_cached_library():
            return
        self.load_library()

    # ----------------------------------------------------------------- the cache
    def open_cached_library(self) -> bool:
        """Show the cached rows now and index in a worker; False when there is no cache."""
        from reader.ui.indexing import open_library, page_prefetcher

        library, message = open_library(self.paths, self.data_dir)
        if message:
            self.notify(message, title="Article cache", severity="warning", markup=False)
        if library is None:
            return False
        self.library = library
        library.use_prefetcher(page_prefetcher(self, library.data_dir))
        self.use_rows(library.rows)
        self._index(library)
        return True

    def _index(self, library: CachedLibrary) -> None:
        """Bring the cache up to date with the library's paths, in a thread worker."""
        from reader.ui.indexing import index_library

        self.run_worker(
            lambda: index_library(self, library.paths, library.data_dir),
            name="index",
            group="library",
            thread=True,
            exit_on_error=False,
        )

    def action_reload(self) -> None:
        """`r`: look at the library's files again, as at launch; the list follows the changes
        (the cursor stays on its article) and the problems are those of this look."""
        if self.library_loading:
            self.state.say("The library is still loading.")
            return
        self.library_loading = True
        self.problems.clear()
        if self.library is not None:
            self.library.shown_changes = 0
            self._index(self.library)
        else:
            # Without the cache, every file is read again and the list refills as it goes.
            self._articles.clear()
            self.use_rows(SummaryRows())
            self.load_library()
        self._update_summary()

    def on_library_indexed(self, message: LibraryIndexed) -> None:
        """Progress from the indexer: the bar, problems, and the rows once files changed."""
        from reader.ui.progress import IndexBar

        progress = message.progress
        library = self.library
        if library is None:
            return
        if self._index_bar is None:
            self._index_bar = IndexBar(id="index-bar")
            self.screen_stack[0].mount(self._index_bar)
        self._index_bar.show_progress(progress)
        changes = progress.new + progress.changed + progress.removed
        if changes != library.shown_changes or (progress.finished and changes):
            library.shown_changes = changes
            self.use_rows(library.refresh())
        self.on_reader_app_loaded(self.Loaded([], message.problems, done=progress.finished))

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        # The main screen, even while a help or problems screen is on top of it.
        self.screen_stack[0].set_class(width < NARROW_WIDTH, "-narrow")

    def _show_reading(self, reading: bool) -> None:
        """In narrow mode, switch between the list and the reading pane."""
        self.screen_stack[0].set_class(reading, "-reading")

    # ----------------------------------------------------------------- loading
    @work(thread=True, exit_on_error=False, group="library", exclusive=True)
    def load_library(self) -> None:
        """Load every path in a thread, posting batches so the list fills in as it goes."""
        from reader.model import Article  # imported here, after the first frame

        worker = get_current_worker()
        articles: list[Article] = []
        problems: list[Problem] = []
        last = time.monotonic()
        try:
            for item in self._loader(self.paths):
                if worker.is_cancelled:
                    return
                if isinstance(item, Article):
                    articles.append(item)
                else:
                    problems.append(as_problem(item))
                if time.monotonic() - last > 0.05:
                    self.post_message(self.Loaded(articles, problems, done=False))
                    articles, problems, last = [], [], time.monotonic()
        except Exception as error:  # a loader bug must not take the app down
            from reader.ui.screens import Problem

            problems.append(
                Problem(", ".join(self.paths) or "samples", f"loading stopped: {error}")
            )
        self.post_message(self.Loaded(articles, problems, done=True))

    def on_reader_app_loaded(self, message: Loaded) -> None:
        for article in message.articles:
            self._articles[article.id] = article
        if message.articles:
            # Articles arrive this way only when the library is read without the cache.
            assert isinstance(self.rows, SummaryRows)
            self.use_rows(self.rows.with_added(a.summary() for a in message.articles))
        self.problems.extend(message.problems)
        if message.done:
            self.library_loading = False
            # The library is loaded and long-lived: move it out of the garbage collector's
            # sight, or full collections walking 100,000 rows stall key presses (~40 ms).
            gc.freeze()
            if not self.rows.total:
                self.article_list.empty_message = "No articles found."
                self.article_list.refresh()
            if self.problems:
                count = len(self.problems)
                self.notify(
                    f"{count} file{'s' if count != 1 else ''} could not be loaded. "
                    "Press ! to see which and why.",
                    title="Problems",
                    severity="warning",
                    markup=False,
                )
        self._update_summary()

    def use_rows(self, rows: SummaryRows | CachedRows) -> None:
        """Show `rows` as the library (the current title filter re-applied)."""
        self._unread = None
        self.rows = rows
        self.article_list.set_rows(rows.filtered(self.filter_query()))
        self._update_summary()

    def article(self, summary: ArticleSummary) -> Article | None:
        """The full article for a list row: the one loader call the reading pane uses.

        Articles loaded in this session come from memory; otherwise from the cache.
        """
        if self.library is not None:
            return self.library.article(summary.id)
        return self._articles.get(summary.id)

    def unread_count(self) -> int:
        """Unread articles in the library (counted once per change, not per key press)."""
        if self._unread is None and isinstance(self.rows, CachedRows):
            # 100,000 cached rows are not listed to count them: total minus the read ones.
            self._unread = self.rows.unread(getattr(self.flags, "read", ()))
        if self._unread is None:
            self._unread = sum(1 for s in self.rows.all() if not self.flags.is_read(s.id))
        return self._unread

    def flags_changed(
        self, unread_delta: int | None = None, article_id: str | None = None
    ) -> None:
        """Hook: read or bookmark state changed; redraw the markers and the counts.

        `unread_delta` (when known, e.g. -1 after marking one article read) adjusts the
        unread count instead of recounting: a recount walks every row (~40 ms at 100k).
        `article_id`: the one article that changed, if only one did.
        """
        if unread_delta is None or self._unread is None:
            self._unread = None
        else:
            self._unread += unread_delta
        self.article_list.refresh_flags(article_id)
        self._update_summary()

    def _update_summary(self) -> None:
        total = self.rows.total
        parts = [f"{total} article{'s' if total != 1 else ''}", f"{self.unread_count()} unread"]
        if self.library_loading:
            parts.append("loading…")
        if self.problems:
            parts.append(f"{len(self.problems)} not loaded")
        if shown := self.state.summary_part():
            parts.append(shown)
        if query := self.filter_query():
            parts.append(f"{len(self.article_list.rows)} match “{query}”")
        self.sub_title = " · ".join(parts)
        self.query_one("#title-bar", TitleBar).summary = self.sub_title

    # ----------------------------------------------------------------- list and pane
    @on(ArticleList.Highlighted)
    def _preview(self, event: ArticleList.Highlighted) -> None:
        event.stop()
        article = self.article(event.summary) if event.summary else None
        self._show_article(article)

    @on(ArticleList.Selected)
    def _selected(self, event: ArticleList.Selected) -> None:
        event.stop()
        self.open_article(event.summary, focus=True)

    def _show_article(self, article: Article | None) -> None:
        pane = self.pane
        # Search results mark the words found in the article too.
        pane.set_highlight(getattr(self.article_list.rows, "search_query", None))
        if article is not pane.article:
            self.state.leaving()  # remember where the previous article was left
            pane.show(article)
            self.state.shown(article)
            if self._outline is not None:
                self._outline.show_article(article, pane.units)

    def open_article(self, summary: ArticleSummary | None, *, focus: bool) -> None:
        """Show `summary`'s article in the pane, mark it read, and focus the pane if asked."""
        if summary is None:
            return
        article = self.article(summary)
        self._show_article(article)
        if article is not None:
            self.article_opened(article)
        if focus or self.narrow:
            self._show_reading(True)
            self.pane.focus()

    def article_opened(self, article: Article) -> None:
        """Hook: an article was opened. Marks it read per the config's mark-read policy."""
        self.state.article_opened(article)

    @on(ReadingPane.Back)
    async def _pane_back(self, event: ReadingPane.Back) -> None:
        event.stop()
        await self.action_back()

    @on(ReadingPane.Dragged)
    def _dragged(self, event: ReadingPane.Dragged) -> None:
        event.stop()
        self.state.dragged(event.block, event.start, event.end)

    @on(ReadingPane.UnitSelected)
    def _unit_selected(self, event: ReadingPane.UnitSelected) -> None:
        event.stop()
        self.state.unit_changed()
        if self._outline is not None:
            self._outline.follow(self.pane.selected)

    # Handlers by name (not @on) so the outline and input modules load only when used.
    def on_outline_jump(self, event: Outline.Jump) -> None:
        event.stop()
        self.pane.select_unit(event.unit_index)
        if event.focus_pane:
            self.pane.focus()

    async def on_outline_close(self, event: Outline.Close) -> None:
        event.stop()
        await self.action_toggle_outline()

    # ----------------------------------------------------------------- filter
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is not self._filter:
            return
        event.stop()
        if isinstance(self.rows, CachedRows):
            # The cached library: full-text search, in a worker (see reader.ui.search).
            from reader.ui.search import start_search

            start_search(self, event.value)
            return
        # The source decides how: SummaryRows narrows its current view as the query grows.
        self.article_list.set_rows(self.article_list.rows.filtered(event.value))
        self._update_summary()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is not self._filter:
            return
        event.stop()
        if not event.value:
            self.action_clear_filter()
            return
        # Keep the narrowed list; the prompt goes, and the key bar comes back.
        event.input.display = False
        self.screen_stack[0].remove_class("-filtering")
        self.article_list.focus()

    # ----------------------------------------------------------------- actions
    def action_open_article(self) -> None:
        self.open_article(self.article_list.current, focus=True)

    def _step_article(self, delta: int) -> None:
        article_list = self.article_list
        before = article_list.cursor
        article_list.cursor = before + delta
        if article_list.cursor == before:
            self.bell()
            return
        self.open_article(article_list.current, focus=False)

    def action_next_article(self) -> None:
        """Open the next article in the list, from anywhere."""
        self._step_article(+1)

    def action_previous_article(self) -> None:
        """Open the previous article in the list, from anywhere."""
        self._step_article(-1)

    def _reading_pane_in_view(self) -> None:
        if self.narrow and self.pane.article is not None:
            self._show_reading(True)

    def action_next_unit(self) -> None:
        self._reading_pane_in_view()
        self.pane.action_next_unit()

    def action_previous_unit(self) -> None:
        self._reading_pane_in_view()
        self.pane.action_previous_unit()

    def action_page_down(self) -> None:
        self.pane.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.pane.scroll_page_up(animate=False)

    async def action_focus_list(self) -> None:
        if self.outline_open:
            await self.action_toggle_outline()  # the list is hidden while the outline is open
        self._show_reading(False)
        self.article_list.focus()

    def action_focus_pane(self) -> None:
        self._show_reading(True)
        self.pane.focus()

    def action_focus_next(self) -> None:
        if self.narrow:
            self.call_later(self._toggle_narrow_view)  # Tab switches views when they alternate
        else:
            self.screen.focus_next()

    def action_focus_previous(self) -> None:
        if self.narrow:
            self.call_later(self._toggle_narrow_view)
        else:
            self.screen.focus_previous()

    async def _toggle_narrow_view(self) -> None:
        if self.screen_stack[0].has_class("-reading"):
            await self.action_focus_list()
        else:
            self.action_focus_pane()

    async def action_back(self) -> None:
        """Escape: close the outline or the filter, or leave the pane for the list."""
        focused = self.focused
        if self.outline_open and focused is self._outline:
            await self.action_toggle_outline()
        elif focused is self._filter and self._filter is not None:
            self.action_clear_filter()
        elif focused is self.pane:
            await self.action_focus_list()
        elif self.filter_query():
            self.action_clear_filter()

    async def action_toggle_outline(self) -> None:
        if self._outline is None:
            from reader.ui.outline import Outline

            self._outline = Outline(id="outline")
            await self.screen_stack[0].mount(self._outline, after=self.pane)
            self._outline.show_article(self.pane.article, self.pane.units)
        outline = self._outline
        if outline.display:
            had_focus = outline.has_focus
            outline.display = False
            self.screen_stack[0].remove_class("-outline")
            if had_focus:
                self.pane.focus()
        else:
            self._show_reading(True)
            outline.display = True
            self.screen_stack[0].add_class("-outline")
            outline.follow(self.pane.selected)
            outline.focus()

    async def action_filter(self) -> None:
        if self._filter is None:
            from textual.widgets import Input

            # A one-line prompt above the key bar, like `/` in less or vim.
            self._filter = Input(
                placeholder="/ filter titles · Enter: done · Esc: clear",
                id="filter",
                compact=True,
            )
            if self.library is not None:
                self._filter.placeholder = "/ search the library · Enter: done · Esc: clear"
            await self.screen_stack[0].mount(self._filter, before=self.article_list)
        self._show_reading(False)
        self._filter.display = True
        self.screen_stack[0].add_class("-filtering")  # the prompt takes the key bar's line
        self._filter.focus()

    def action_clear_filter(self) -> None:
        if self._filter is not None:
            self._filter.value = ""
            self._filter.display = False
            self.screen_stack[0].remove_class("-filtering")
        self.article_list.set_rows(self.rows)
        self._update_summary()
        self.article_list.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MAIN_SCREEN_ACTIONS and not isinstance(self.screen, MainScreen):
            return False  # not bound on this screen: the key does nothing, the key bar omits it
        return True

    def action_open_link(self) -> None:
        """Open the selected tweet's link, else the article's URL, in the browser."""
        url = self.pane.selected_link()
        if url is None and self.pane.article is not None:
            url = self.pane.article.url
        if not url:
            self.notify(
                "Nothing to open: select a tweet, or open an article with a URL.", markup=False
            )
            return
        self.open_url(url)
        # Said too: with no browser to start (over SSH, say) nothing else happens, and the
        # address is then there to read or copy.
        self.state.say(f"Opening {url}")

    def help_sections(self) -> list[tuple[str, list[BindingType]]]:
        """The bindings shown by `?`, by where they apply, with the user's keymap applied."""
        sections = self._help_sections()
        keymap = self._keymap

        def remapped(binding: BindingType) -> BindingType:
            if isinstance(binding, Binding) and binding.id and binding.id in keymap:
                return replace(binding, key=keymap[binding.id])
            return binding

        return [(title, [remapped(b) for b in bindings]) for title, bindings in sections]

    def _help_sections(self) -> list[tuple[str, list[BindingType]]]:
        return [
            (
                "Anywhere",
                [*self.BINDINGS, Binding("ctrl+p", "command_palette", "Command palette")],
            ),
            ("Article list", ArticleList.BINDINGS),
            ("Reading pane", ReadingPane.BINDINGS),
            ("Outline", outline_bindings()),
        ]

    def keys_markdown(self) -> str:
        """The help screen's key list as a Markdown table."""
        from reader.ui.screens import keys_markdown

        return keys_markdown(self.help_sections(), self.get_key_display)

    def action_help(self) -> None:
        from reader.ui.screens import HelpScreen, help_content

        sections = self.help_sections()
        self.push_screen(
            HelpScreen(lambda width: help_content(sections, self.get_key_display, width))
        )

    def action_problems(self) -> None:
        from reader.ui.screens import ProblemsScreen

        self.push_screen(ProblemsScreen(self.problems))

    def action_library_views(self, start: str = "") -> None:
        """Every tweet by account, every quote by speaker, the articles sharing a tweet."""
        from reader.ui.library_views import VIEWS, ViewName, show_library_views

        names: dict[str, ViewName] = {name: name for name, _, _ in VIEWS}
        show_library_views(self, names.get(start))

    # s, b, m, M, f, B and the sentence keys: saved state, see reader/ui/state_actions.py.
    def current_article(self) -> Article | None:
        """The article being read, else the one under the list cursor."""
        if self.pane.article is not None:
            return self.pane.article
        current = self.article_list.current
        return self.article(current) if current else None

    def action_save_quote(self) -> None:
        """Save the selected unit, or the chosen sentences of it, at once."""
        self.state.save_selected()

    def action_toggle_bookmark(self) -> None:
        article = self.current_article()
        if article is not None:
            self.state.toggle_bookmark(article)

    def action_toggle_read(self) -> None:
        article = self.current_article()
        if article is not None:
            self.state.toggle_read(article)

    def action_mark_all_read(self) -> None:
        """Mark every article in the list as filtered now read."""
        self.state.mark_all_read()

    def action_cycle_read_filter(self) -> None:
        """Show all articles, then unread ones, then bookmarked ones."""
        self.state.cycle_filter()

    def action_next_sentence(self) -> None:
        self._reading_pane_in_view()
        self.state.step_sentence(+1)

    def action_previous_sentence(self) -> None:
        self._reading_pane_in_view()
        self.state.step_sentence(-1)

    def action_extend_sentences(self) -> None:
        self._reading_pane_in_view()
        self.state.step_sentence(+1, extend=True)

    def action_shrink_sentences(self) -> None:
        self._reading_pane_in_view()
        self.state.step_sentence(-1, extend=True)

    def action_show_bookmarks(self) -> None:
        self.state.show_bookmarks()

    def action_export(self, fmt: str = "markdown") -> None:
        """Export saved quotes to a new file in Documents (else home)."""
        self.state.export(fmt)

    async def action_quit(self) -> None:
        self.state.leaving()  # the reading position of the open article
        await super().action_quit()


def build_app(
    paths: list[str] | None = None,
    *,
    data_dir: str | None = None,
    config: str | None = None,
    loader: Loader | None = None,
    flags: SessionFlags | None = None,
    store: StateStore | None = None,
    settings: Config | None = None,
    messages: list[str] | None = None,
) -> ReaderApp:
    """The one factory for the CLI and the tests.

    `loader` replaces file loading (tests); `flags` supplies read and bookmark state;
    `store` the state store (saved quotes, positions, theme) and `settings` the config.
    With neither `store` nor `flags`, state lives in memory for the session.
    """
    return ReaderApp(
        paths,
        loader=loader,
        flags=flags,
        data_dir=data_dir,
        config=config,
        store=store,
        settings=settings,
        messages=messages,
    )


def run_app(paths: list[str], data_dir: str | None = None, config: str | None = None) -> int:
    """Run the app on `paths` (else the config's library, else the bundled samples).

    Opens the config and the state store first; what they report goes to stderr and, once
    the app is up, into a notification.
    """
    import sys

    from reader.ui.state_actions import open_saved_state

    store, settings, messages = open_saved_state(data_dir, config)
    for message in messages:
        print(f"reader: {message}", file=sys.stderr)
    app = build_app(
        paths or list(settings.library),
        data_dir=data_dir,
        config=config,
        store=store,
        settings=settings,
        messages=messages,
    )
    try:
        app.run()
    finally:
        store.close()
    return app.return_code or 0
