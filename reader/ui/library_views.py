"""Views across the library: every tweet by account, every quote by speaker, shared tweets.

One modal screen with one `OptionList` that goes a level deeper on Enter and back on Escape:

    Library views ─ Tweets by account ─ @handle ─ a tweet   -> opens its article at the tweet
                  ─ Quotes by speaker ─ a speaker ─ a quote -> opens its article at the quote
                  ─ Shared tweets ─ a tweet ─ an article     -> opens the article at the tweet

Everything comes from the parsed-article cache (`ArticleCache.accounts`, `tweets_by`,
`speakers`, `quotes_by`, `shared_tweets`, `articles_sharing`, `tweets_in`). Entries are built as
`Content` from plain strings: names and tweet text are data, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from reader.store.cache import ArticleCache
    from reader.ui.app import ReaderApp

ViewName = Literal["accounts", "speakers", "shared"]

VIEWS: tuple[tuple[ViewName, str, str], ...] = (
    ("accounts", "Tweets by account", "every tweet in the library, account by account"),
    ("speakers", "Quotes by speaker", "every quote of one person"),
    ("shared", "Shared tweets", "tweets embedded in more than one article"),
)

MAX_TEXT = 160
"""Characters of a tweet or quote shown per entry (the article shows the rest)."""


@dataclass(frozen=True, slots=True)
class Destination:
    """Where choosing an entry leads: an article, at a block (a tweet) or a quote."""

    article_id: str
    block: int | None = None
    quote: int | None = None


@dataclass
class _Level:
    title: str
    options: list[Option]
    # What choosing option i does: open a deeper level, or leave with a destination.
    choose: Callable[[int], _Level | Destination | None]
    highlighted: int = 0


def _line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _entry(main: str, note: str = "") -> Content:
    if not note:
        return Content(main)
    return Content.assemble(main, ("  " + note, "$text-muted"))


class LibraryViews(ModalScreen[Destination | None]):
    """Choose a view, then an account / speaker / tweet, then the entry to open."""

    DEFAULT_CSS = """
    LibraryViews {
        align: center middle;
    }
    LibraryViews > #views-box {
        width: 90%;
        max-width: 110;
        height: 80%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    LibraryViews #views-title {
        height: 1;
        color: $text-muted;
    }
    LibraryViews OptionList {
        height: 1fr;
        border: none;
        background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "up", "Back", tooltip="Back one level, or close", id="views.up"),
        Binding("q", "close", "Close", show=False, id="views.close"),
    ]

    def __init__(self, cache: ArticleCache, start: ViewName | None = None) -> None:
        super().__init__()
        self.cache = cache
        self._levels: list[_Level] = []
        self._start = start

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        with Vertical(id="views-box"):
            yield Static(id="views-title", markup=False)
            yield OptionList(id="views-list")

    def on_mount(self) -> None:
        self._push(self._top_level())
        if self._start is not None:
            self._choose([name for name, _, _ in VIEWS].index(self._start))

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#views-list", OptionList)

    @property
    def level_title(self) -> str:
        return self._levels[-1].title if self._levels else ""

    def entries(self) -> list[str]:
        """The plain text of the current level's entries (tests read this)."""
        return [str(option.prompt) for option in self._levels[-1].options]

    # ----------------------------------------------------------------- levels
    def _top_level(self) -> _Level:
        options = [Option(_entry(title, note)) for _, title, note in VIEWS]
        openers = (self._accounts, self._speakers, self._shared)
        return _Level("Library views", options, lambda i: openers[i]())

    def _accounts(self) -> _Level:
        accounts = self.cache.accounts()
        options = [
            Option(
                _entry(
                    f"@{a.handle}  {a.author}",
                    f"{a.tweets} tweet{'s' if a.tweets != 1 else ''} in {a.articles}"
                    f" article{'s' if a.articles != 1 else ''}",
                )
            )
            for a in accounts
        ]
        return _Level("Tweets by account", options, lambda i: self._tweets_of(accounts[i].handle))

    def _tweets_of(self, handle: str) -> _Level:
        tweets = self.cache.tweets_by(handle)
        options = [
            Option(_entry(_line(t.text), f"{t.date or 'undated'} · {_line(t.article_title)}"))
            for t in tweets
        ]
        return _Level(
            f"Tweets by @{handle}",
            options,
            lambda i: Destination(tweets[i].article_id, block=tweets[i].block),
        )

    def _speakers(self) -> _Level:
        speakers = self.cache.speakers()
        options = [
            Option(_entry(name, f"{n} quote{'s' if n != 1 else ''}")) for name, n in speakers
        ]
        return _Level("Quotes by speaker", options, lambda i: self._quotes_of(speakers[i][0]))

    def _quotes_of(self, speaker: str) -> _Level:
        quotes = self.cache.quotes_by(speaker)
        options = [Option(_entry(_line(q.text), _line(q.article_title))) for q in quotes]
        return _Level(
            f"Quotes by {speaker}",
            options,
            lambda i: Destination(
                quotes[i].article_id, block=quotes[i].block, quote=quotes[i].position
            ),
        )

    def _shared(self) -> _Level:
        shared = self.cache.shared_tweets()
        options = [
            Option(
                _entry(
                    f"@{s.handle}: {_line(s.text)}",
                    f"in {len(s.article_ids)} articles",
                )
            )
            for s in shared
        ]
        return _Level("Shared tweets", options, lambda i: self._sharing(shared[i].key))

    def _sharing(self, key: str) -> _Level:
        articles = self.cache.articles_sharing(key)
        options = [Option(_entry(_line(a.title), str(a.date or "undated"))) for a in articles]

        def choose(i: int) -> Destination:
            article_id = articles[i].id
            # The tweet's block in that article: the first tweet there with this key.
            block = next((t.block for t in self.cache.tweets_in(article_id) if t.key == key), None)
            return Destination(article_id, block=block)

        return _Level("Articles sharing this tweet", options, choose)

    # ----------------------------------------------------------------- navigation
    def _push(self, level: _Level) -> None:
        if self._levels:
            self._levels[-1].highlighted = self.option_list.highlighted or 0
        self._levels.append(level)
        self._show(level)

    def _show(self, level: _Level) -> None:
        option_list = self.option_list
        option_list.clear_options()
        option_list.add_options(level.options)
        if level.options:
            option_list.highlighted = min(level.highlighted, len(level.options) - 1)
        depth = " › ".join(lv.title for lv in self._levels)
        empty = "  (nothing in the library yet)" if not level.options else ""
        self.query_one("#views-title", Static).update(
            Content(depth + empty + "  ·  Enter: open · Esc: back")
        )
        option_list.focus()

    def _choose(self, index: int) -> None:
        level = self._levels[-1]
        if not 0 <= index < len(level.options):
            return
        result = level.choose(index)
        if isinstance(result, Destination):
            self.dismiss(result)
        elif result is not None:
            self._push(result)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def action_up(self) -> None:
        if len(self._levels) <= 1:
            self.dismiss(None)
            return
        self._levels.pop()
        self._show(self._levels[-1])

    def action_close(self) -> None:
        self.dismiss(None)


def show_library_views(app: ReaderApp, start: ViewName | None = None) -> None:
    """Open the views (at `start`, if given); the chosen entry opens in the reading pane."""
    library = app.library
    if library is None:
        app.notify(
            "The library views read the article cache, which is not in use.",
            severity="warning",
            markup=False,
        )
        return

    def chosen(destination: Destination | None) -> None:
        if destination is not None:
            open_destination(app, destination)

    app.push_screen(LibraryViews(library.cache, start), chosen)


def open_destination(app: ReaderApp, destination: Destination) -> None:
    """Open the destination's article in the pane and select its tweet or quote."""
    assert app.library is not None
    found = app.library.cache.summaries_by_id([destination.article_id])
    summary = found.get(destination.article_id)
    if summary is None:
        app.notify("That article is no longer in the library.", markup=False)
        return
    app.article_list.move_to(summary.id)  # False when the list does not show it now
    # Open at the tweet or quote, not where the article was left last time (the saved-state
    # layer resumes reading positions unless told otherwise, as for a saved quote).
    state = getattr(app, "state", None)
    resumes = state is not None and hasattr(state, "_skip_resume")
    if resumes:
        state._skip_resume = True  # type: ignore[union-attr]
    try:
        app.open_article(summary, focus=True)
    finally:
        if resumes:
            state._skip_resume = False  # type: ignore[union-attr]
    pane = app.pane
    for index, unit in enumerate(pane.units):
        if destination.quote is not None:
            here = unit.quote == destination.quote
        else:
            here = unit.block == destination.block and unit.quote is None
        if here:
            pane.select_unit(index)
            # A pane that was hidden (narrow terminals) has the previous scroll range until
            # it is laid out: scroll again after the next refreshes until the unit shows.
            app.call_after_refresh(_bring_into_view, app, index, 5)
            return


def _bring_into_view(app: ReaderApp, index: int, tries: int) -> None:
    pane = app.pane
    if pane.selected != index:
        return  # the reader has moved on
    try:
        start, _end = pane.unit_lines(index)
    except (IndexError, ValueError):
        start = -1  # not laid out yet
    top, height = pane.scroll_offset.y, pane.scrollable_content_region.height
    if 0 <= start and top <= start < top + height:
        return
    pane.select_unit(index)
    if tries > 0:
        app.call_after_refresh(_bring_into_view, app, index, tries - 1)
