"""The app on the parsed-article cache: warm relaunch, indexing progress, search, library views.

Real Markdown files in tmp_path (our own words, invented accounts), a real `library.sqlite3`,
Pilot at a fixed size. Where a test must see the app *while* it indexes, the indexer is held
on an event (the real `index_paths` still does the work, one progress event at a time).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerState

import reader.indexer
from reader.store.cache import ArticleCache
from reader.ui.app import ReaderApp, build_app
from reader.ui.cached_rows import CachedRows, SearchRows
from reader.ui.library_views import LibraryViews

SIZE = (120, 40)

TWEET = """> Low tide at the north pier this morning, the old hull is showing again.
> — Pier Watch (@pierwatch_test) May 3, 2024"""


def article_md(title: str, date: str, body: str, *, tweet: bool = False) -> str:
    parts = [f'---\ntitle: "{title}"\ndate: {date}\n---\n', body]
    if tweet:
        parts.append(TWEET)
    parts.append("The council will meet again next month to discuss the matter further.")
    return "\n\n".join(parts) + "\n"


def write_library(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "harbour": article_md(
            "Harbour wall repairs begin after winter storms",
            "2024-05-04",
            '"The stones have moved further than anyone expected," said Marta Quillon, the '
            "harbour engineer, as the first barges arrived with granite blocks.",
            tweet=True,
        ),
        "pier": article_md(
            "Old wreck reappears beside the north pier",
            "2024-05-03",
            "Walkers gathered on the sand to photograph the timbers of a nineteenth century "
            "schooner uncovered by the spring tides.",
            tweet=True,
        ),
        "orchard": article_md(
            "Community orchard plants forty apple trees",
            "2024-04-20",
            '"Every variety here was grown in this valley a century ago," said Tobin Ashgrove, '
            "who led the volunteers through a wet Saturday of digging.",
        ),
    }
    paths = {}
    for name, text in files.items():
        path = folder / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def make_app(library: Path, data: Path) -> ReaderApp:
    return build_app([str(library)], data_dir=str(data))


async def indexed(pilot: Pilot) -> None:
    """Wait for the indexing worker (and any search) to finish and its messages to land."""
    # Not workers.wait_for_complete(): it raises for a search superseded by the next key.
    app = pilot.app
    assert isinstance(app, ReaderApp)
    for _ in range(3000):
        running = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)
        shown = getattr(app.article_list.rows, "query", "")
        if not running and not app.library_loading and shown == app.filter_query():
            break
        await pilot.pause(0.01)
    await pilot.pause()
    await pilot.pause()


def list_text(app: ReaderApp) -> str:
    article_list = app.article_list
    return "\n".join(article_list.render_line(y).text for y in range(article_list.size.height))


def pane_text(app: ReaderApp) -> str:
    pane = app.pane
    return "\n".join(pane.render_line(y).text for y in range(pane.size.height))


def styled(strips: list, word: str) -> bool:
    """Is `word` drawn in a segment of its own that is underlined (the match style)?"""
    for strip in strips:
        for segment in strip:
            if word.casefold() in segment.text.casefold() and segment.style is not None:
                if segment.style.underline and segment.text.strip().casefold() == word.casefold():
                    return True
    return False


class HeldIndexer:
    """Wraps the real `index_paths`: waits for `release` before letting it run, and records
    every progress event and whether the run was cancelled."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.events: list[reader.indexer.IndexProgress] = []
        self.finished = threading.Event()
        real = reader.indexer.index_paths

        def held(paths, cache, *, cancel=None, **kwargs):
            self.started.set()
            try:
                while not self.release.wait(0.01):
                    if cancel is not None and cancel.is_set():
                        self.events.append(reader.indexer.IndexProgress(phase="cancelled"))
                        yield self.events[-1]
                        return
                for progress in real(paths, cache, cancel=cancel, **kwargs):
                    self.events.append(progress)
                    yield progress
            finally:
                self.finished.set()

        monkeypatch.setattr(reader.indexer, "index_paths", held)


async def test_warm_relaunch_shows_cached_rows_and_reparses_only_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = write_library(tmp_path / "library")
    data = tmp_path / "data"
    app = make_app(tmp_path / "library", data)
    async with app.run_test(size=SIZE) as pilot:
        await indexed(pilot)
        assert app.rows.total == 3
        assert isinstance(app.rows, CachedRows)
        assert "Harbour wall repairs" in list_text(app)

    # Change one file, add nothing else; hold the indexer so the cached rows must show alone.
    text = files["orchard"].read_text(encoding="utf-8").replace("forty", "fifty")
    files["orchard"].write_text(text, encoding="utf-8")
    held = HeldIndexer(monkeypatch)
    app = make_app(tmp_path / "library", data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert held.started.wait(5)
        assert not held.finished.is_set()
        assert app.rows.total == 3  # from library.sqlite3, before any file was read
        assert "Community orchard plants forty" in list_text(app)
        held.release.set()
        await indexed(pilot)
        last = held.events[-1]
        assert last.phase == "done"
        assert (last.changed, last.unchanged, last.new) == (1, 2, 0)
        assert "Community orchard plants fifty" in list_text(app)
        # The reading pane reads full articles from the cache.
        await pilot.press("enter")
        assert app.pane.article is not None
        assert app.pane.article.title.startswith("Harbour wall repairs")


async def test_progress_bar_shows_while_indexing_and_hides_when_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_library(tmp_path / "library")
    held = HeldIndexer(monkeypatch)
    app = make_app(tmp_path / "library", tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert held.started.wait(5)
        assert "loading" in app.sub_title
        held.release.set()
        # Catch a progress event on screen before the last one lands.
        seen_label = ""
        for _ in range(200):
            await pilot.pause(0.005)
            bar = app._index_bar
            if bar is not None and bar.display and bar.label():
                seen_label = bar.label()
                break
            if held.finished.is_set():
                break
        await indexed(pilot)
        bar = app._index_bar
        assert bar is not None
        assert seen_label == "" or "files" in seen_label
        assert bar.progress is not None and bar.progress.finished
        assert bar.display is False
        assert "loading" not in app.sub_title
        assert app.rows.total == 3


async def test_progress_bar_is_visible_during_a_held_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_library(tmp_path / "library")
    release = threading.Event()
    real = reader.indexer.index_paths

    def slow(paths, cache, *, cancel=None, **kwargs):
        for progress in real(paths, cache, cancel=cancel, **kwargs):
            if not progress.finished:
                yield progress
                release.wait(5)  # the UI gets to show this one
            else:
                yield progress

    monkeypatch.setattr(reader.indexer, "index_paths", slow)
    app = make_app(tmp_path / "library", tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            await pilot.pause(0.01)
            if app._index_bar is not None:
                break
        bar = app._index_bar
        assert bar is not None and bar.display
        assert "files" in bar.label()
        assert "loading" in app.sub_title
        release.set()
        await indexed(pilot)
        assert not bar.display


async def test_search_narrows_highlights_and_escape_clears(tmp_path: Path) -> None:
    write_library(tmp_path / "library")
    app = make_app(tmp_path / "library", tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await indexed(pilot)
        await pilot.press("slash", *"granite")
        await indexed(pilot)
        rows = app.article_list.rows
        assert isinstance(rows, SearchRows)
        # "granite" is only in the harbour article's body: full text, not titles.
        assert [rows[i].title for i in range(len(rows))] == [
            "Harbour wall repairs begin after winter storms"
        ]
        assert "1 match" in app.sub_title
        await pilot.press("enter", "enter")  # keep the results, open the article
        assert app.pane.article is not None and "Harbour" in app.pane.article.title
        pane = app.pane
        strips = [pane.render_line(y) for y in range(pane.size.height)]
        assert styled(strips, "granite")
        assert not styled(strips, "barges")  # only the words searched for
        # A title word is marked in the list row.
        await pilot.press("escape", "slash", *"orchard")
        await indexed(pilot)
        article_list = app.article_list
        assert len(article_list.rows) == 1
        strips = [article_list.render_line(y) for y in range(2)]
        assert styled(strips, "orchard")
        await pilot.press("escape")
        assert app.filter_query() == ""
        assert len(app.article_list.rows) == 3


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "-", "NEAR(a b", 'a"b*', "(((", "a:b"])
async def test_hostile_queries_do_not_raise(tmp_path: Path, query: str) -> None:
    write_library(tmp_path / "library")
    app = make_app(tmp_path / "library", tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await indexed(pilot)
        await pilot.press("slash")
        assert app.filter_input is not None
        app.filter_input.value = query
        await indexed(pilot)
        errors = [w for w in app.workers if w.error is not None]
        assert not errors
        assert app.is_running
        rows = app.article_list.rows
        assert isinstance(rows, SearchRows) and rows.query == query
        if not len(rows):
            assert "No articles match" in list_text(app)
    assert app.return_code in (None, 0)


async def test_tweets_by_account_opens_the_article_at_the_tweet(tmp_path: Path) -> None:
    write_library(tmp_path / "library")
    app = make_app(tmp_path / "library", tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await indexed(pilot)
        await pilot.press("v")
        views = app.screen
        assert isinstance(views, LibraryViews)
        await pilot.press("enter")  # Tweets by account
        assert views.entries()[0].startswith("@pierwatch_test")
        await pilot.press("enter")  # the account
        assert views.level_title == "Tweets by @pierwatch_test"
        assert len(views.entries()) == 2
        await pilot.press("down", "enter")
        assert not isinstance(app.screen, LibraryViews)
        article = app.pane.article
        assert article is not None
        unit = app.pane.selected_unit
        assert unit is not None and unit.kind == "tweet"
        assert "old hull is showing" in article.blocks[unit.block].text
        assert app.focused is app.pane
        await pilot.pause()
        await pilot.pause()
        assert "@pierwatch_test" in pane_text(app)  # scrolled into view


async def test_quotes_by_speaker_opens_the_article_at_the_quote(tmp_path: Path) -> None:
    write_library(tmp_path / "library")
    app = make_app(tmp_path / "library", tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await indexed(pilot)
        app.action_library_views("speakers")
        await pilot.pause()
        views = app.screen
        assert isinstance(views, LibraryViews)
        names = views.entries()
        index = next(i for i, name in enumerate(names) if name.startswith("Tobin Ashgrove"))
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        assert views.level_title == "Quotes by Tobin Ashgrove"
        await pilot.press("enter")
        article = app.pane.article
        assert article is not None and article.title.startswith("Community orchard")
        unit = app.pane.selected_unit
        assert unit is not None and unit.kind == "quote" and unit.quote is not None
        assert article.quotes[unit.quote].speaker == "Tobin Ashgrove"


async def test_shared_tweet_lists_both_articles_and_opens_each(tmp_path: Path) -> None:
    write_library(tmp_path / "library")
    app = make_app(tmp_path / "library", tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await indexed(pilot)
        await app.run_action("library_views('shared')")
        await pilot.pause()
        views = app.screen
        assert isinstance(views, LibraryViews)
        assert len(views.entries()) == 1 and "in 2 articles" in views.entries()[0]
        await pilot.press("enter")
        titles = views.entries()
        assert len(titles) == 2
        assert any("Harbour wall" in t for t in titles) and any("Old wreck" in t for t in titles)
        await pilot.press("down", "enter")
        article = app.pane.article
        assert article is not None and article.title == titles[1].split("  ")[0]
        unit = app.pane.selected_unit
        assert unit is not None and unit.kind == "tweet"
        # Escape walks back out of the views without opening anything.
        await pilot.press("v", "enter", "escape", "escape")
        assert not isinstance(app.screen, LibraryViews)


async def test_quitting_during_indexing_cancels_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_library(tmp_path / "library")
    held = HeldIndexer(monkeypatch)
    app = make_app(tmp_path / "library", tmp_path / "data")
    started = 0.0
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert held.started.wait(5)
        started = time.monotonic()
        await pilot.press("q")
    # The held indexer saw the cancel flag (it never got the release) and its thread ended.
    assert held.finished.wait(5)
    assert time.monotonic() - started < 5
    assert held.events and held.events[-1].phase == "cancelled"
    with ArticleCache.open(tmp_path / "data") as cache:
        assert cache.count() == 0  # nothing half-written


async def test_failed_files_reach_the_problems_view(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    write_library(folder)
    (folder / "broken.json").write_text("{ not json", encoding="utf-8")
    app = make_app(folder, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await indexed(pilot)
        assert app.rows.total == 3
        assert [p.path for p in app.problems if p.path.endswith("broken.json")]
        assert "1 not loaded" in app.sub_title


async def test_a_cold_index_large_enough_for_worker_processes_works_in_the_app(
    tmp_path: Path,
) -> None:
    # Past reader.indexer.PARALLEL_MIN_FILES the indexer parses in a process pool, started
    # from the app's worker thread while Textual holds stderr (its fileno() is -1). Enough
    # files that the pool starts while the walk is still going, as for any big library, and
    # no resource tracker running yet, as in a freshly launched app (an earlier test may have
    # started one with pytest's stderr; multiprocessing starts a new one when needed).
    import multiprocessing.resource_tracker

    stop = getattr(multiprocessing.resource_tracker._resource_tracker, "_stop", None)
    if stop is not None:
        stop()
    folder = tmp_path / "many"
    folder.mkdir()
    count = reader.indexer.PARALLEL_MIN_FILES + 100
    for index in range(count):
        (folder / f"a{index:04}.md").write_text(
            article_md(f"Parish notice number {index}", "2024-01-02", "The hall is open."),
            encoding="utf-8",
        )
    app = make_app(folder, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await indexed(pilot)
        assert not app.problems, app.problems
        assert app.rows.total == count


async def test_views_scroll_to_the_tweet_in_a_narrow_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    write_library(folder)
    long_body = "\n\n".join(
        f"Paragraph {n} about the tides, the sand and the timbers." for n in range(30)
    )
    (folder / "long.md").write_text(
        article_md("A long walk to the wreck", "2024-05-05", long_body, tweet=True),
        encoding="utf-8",
    )
    app = make_app(folder, tmp_path / "data")
    async with app.run_test(size=(64, 20)) as pilot:
        await indexed(pilot)
        await app.run_action("library_views('accounts')")
        await pilot.pause()
        await pilot.press("enter")  # @pierwatch_test: three tweets, the long article's first
        views = app.screen
        assert isinstance(views, LibraryViews)
        index = next(i for i, e in enumerate(views.entries()) if "A long walk" in e)
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.pane.article is not None and app.pane.article.title == "A long walk to the wreck"
        assert app.pane.scroll_offset.y > 0
        assert "@pierwatch_test" in pane_text(app)


async def test_an_unwritable_data_dir_still_lists_the_library(tmp_path: Path) -> None:
    # The cache falls back to a temporary file; the list (main thread) and the indexer
    # (a worker thread, its own connection) must share it, or the list stays empty.
    write_library(tmp_path / "library")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")  # no directory can be made under a file, even as root
    app = make_app(tmp_path / "library", blocker / "data")
    async with app.run_test(size=SIZE) as pilot:
        await indexed(pilot)
        shown = list_text(app)
        assert "Harbour wall repairs" in shown and "Community orchard" in shown
        assert len(app.article_list.rows) == 3


async def test_r_reloads_the_library_while_the_app_runs(tmp_path: Path) -> None:
    library, data = tmp_path / "library", tmp_path / "data"
    paths = write_library(library)
    app = make_app(library, data)
    async with app.run_test(size=SIZE) as pilot:
        await indexed(pilot)
        assert app.rows.total == 3 and not app.problems
        await pilot.press("j")  # the cursor on the pier article
        assert "Old wreck" in app.article_list.current.title
        # While the app runs: one file is added, one removed, one cannot be read.
        (library / "lantern.md").write_text(
            article_md("Lantern parade returns to the old town", "2024-05-05", "Paper boats."),
            encoding="utf-8",
        )
        paths["orchard"].unlink()
        (library / "broken.md").write_bytes(b"")
        await pilot.press("r")
        await indexed(pilot)
        titles = list_text(app)
        assert app.rows.total == 3
        assert "Lantern parade" in titles and "Community orchard" not in titles
        assert "Old wreck" in app.article_list.current.title  # the cursor kept its article
        assert [p.path.endswith("broken.md") for p in app.problems] == [True]
        await pilot.press("r")  # again: the same problem, not a second copy of it
        await indexed(pilot)
        assert len(app.problems) == 1 and app.rows.total == 3
        assert "1 not loaded" in app.sub_title
