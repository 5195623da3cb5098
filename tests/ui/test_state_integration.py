"""Pilot tests of the app wired to a real state store (SQLite files in tmp_path).

Every key of issue 4 (s on each unit kind and on a sentence range, b, m, M, f, B + Enter),
the mark-read policy, state and resume positions across restarts, the remembered theme,
keymap and bad config values, a damaged state file, a read-only data dir, export.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.config import Config, MarkReadPolicy
from reader.saving import split_sentences
from reader.store.location import STATE_FILENAME
from reader.store.state import StateStore
from reader.ui.app import ReaderApp, build_app
from reader.ui.bars import TitleBar
from reader.ui.bookmarks import BookmarksScreen
from reader.ui.state_actions import open_saved_state
from reader.ui.typeset import Unit

from .conftest import fixture_loader, read_fixture, until_loaded

SIZE = (120, 40)
SHORT = (100, 18)  # wide layout, but articles need scrolling
FERRY = "a1f0000000000001"  # first row
MARKET = "a1f0000000000002"  # second row
LIBRARY = "a1f0000000000003"
# FERRY's units: P0, P1, quote, quote, tweet, P3, caption, P5, P6.
FERRY_TWEET, FERRY_CAPTION, FERRY_QUOTE = 4, 6, 2


class Session:
    """Opens apps on one data dir, closing every store it opened."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.stores: list[StateStore] = []

    def store(self) -> StateStore:
        store = StateStore.open(self.folder)
        self.stores.append(store)
        return store

    def app(self, settings: Config | None = None, messages: list[str] | None = None) -> ReaderApp:
        store = self.store()
        return build_app(
            [],
            loader=fixture_loader("library.jsonl"),
            store=store,
            settings=settings,
            messages=[*(messages or []), *store.messages],
        )


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    s = Session(tmp_path / "data")
    yield s
    for store in s.stores:
        store.close()


async def loaded(pilot: Pilot) -> None:
    await until_loaded(pilot)


def messages(app: ReaderApp) -> list[str]:
    """Notifications (start-up problems among them), then what the state keys said (most of
    it in the title bar; warnings and errors are in both lists)."""
    return [n.message for n in app._notifications] + app.state.said


def last_message(app: ReaderApp) -> str:
    return app.state.said[-1]


async def press_unit(pilot: Pilot, index: int) -> None:
    """Select unit `index` of the open article with `]` (the first press selects unit 0)."""
    app = pilot.app
    assert isinstance(app, ReaderApp)
    await pilot.press("right_square_bracket")
    while app.pane.selected is not None and app.pane.selected < index:
        await pilot.press("right_square_bracket")
    assert app.pane.selected == index


def list_ids(app: ReaderApp) -> list[str]:
    rows = app.article_list.rows
    return [rows[i].id for i in range(len(rows))]


# --------------------------------------------------------------------------- s: saving
async def test_s_saves_every_unit_kind_once(session: Session) -> None:
    app = session.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await press_unit(pilot, 0)
        await pilot.press("s")
        assert last_message(app).startswith("Saved paragraph")
        await pilot.press("s")  # the same unit again: no duplicate
        assert last_message(app).startswith("Already saved")
        await press_unit(pilot, FERRY_QUOTE)
        await pilot.press("s")
        assert "Saved quote by Ines Marlow" in last_message(app)
        await press_unit(pilot, FERRY_TWEET)
        await pilot.press("s")
        assert last_message(app).startswith("Saved tweet by ")
        await press_unit(pilot, FERRY_CAPTION)
        await pilot.press("s")
        assert last_message(app).startswith("Saved photo caption")
    # In the file, with what the issue asks for.
    quotes = {q.kind: q for q in session.store().list_quotes()}
    assert sorted(quotes) == ["caption", "paragraph", "quote", "tweet"]
    assert quotes["quote"].speaker == "Ines Marlow"
    assert quotes["tweet"].handle and quotes["tweet"].speaker
    assert all(q.article_id == FERRY and q.context_after for q in quotes.values())
    assert quotes["paragraph"].block == 0 and quotes["caption"].block == 4


async def test_what_a_key_did_is_said_in_the_title_bar_then_the_summary_returns(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(TitleBar, "FLASH_SECONDS", 0.2)
    app = session.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        bar = app.query_one(TitleBar)
        summary = str(bar.render())
        await pilot.press("enter")
        await press_unit(pilot, FERRY_QUOTE)
        await pilot.press("s")
        await pilot.pause()
        assert "Saved quote by Ines Marlow" in str(bar.render())
        assert not app._notifications  # no toast: the bar says it (see TitleBar)
        await pilot.pause(0.4)
        assert str(bar.render()) == summary.replace("4 unread", "3 unread")


async def test_sentence_keys_narrow_move_extend_and_save_a_range(session: Session) -> None:
    market = next(a for a in read_fixture("library.jsonl") if a.id == MARKET)
    text = market.blocks[4].text
    (s0, e0), (s1, e1) = split_sentences(text)[:2]
    app = session.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j", "enter")
        pane = app.pane
        await press_unit(pilot, 4)
        assert pane.selected_unit == Unit("paragraph", 4)
        await pilot.press("full_stop")  # narrow to the first sentence
        assert pane._excerpt == (4, s0, e0)
        # Visible: the excerpt's cells are drawn reversed, the rest of the line is not.
        top = pane.scroll_offset.y
        start, end = pane.unit_lines(pane.selected)
        strip = pane.render_line(start - top)
        reversed_text = "".join(s.text for s in strip if s.style and s.style.reverse)
        assert reversed_text and reversed_text in text[s0:e0]
        await pilot.press("full_stop")  # move to the next sentence
        assert pane._excerpt == (4, s1, e1)
        await pilot.press("comma")  # and back
        assert pane._excerpt == (4, s0, e0)
        await pilot.press("greater_than_sign")  # extend to two sentences
        assert pane._excerpt == (4, s0, e1)
        await pilot.press("s")
        assert last_message(app).startswith("Saved excerpt")
        await pilot.press("less_than_sign", "s")  # shrink back to one, save that too
        assert last_message(app).startswith("Saved excerpt")
        await pilot.press("right_square_bracket")  # another unit: the excerpt goes
        await pilot.pause()
        assert pane._excerpt is None
        assert not any(
            s.style and s.style.reverse for s in pane.render_line(start - pane.scroll_offset.y)
        )
    saved = sorted(session.store().list_quotes(), key=lambda q: len(q.text))
    assert [q.kind for q in saved] == ["sentence", "sentence"]
    assert saved[0].text == text[s0:e0].strip()
    assert saved[1].text == text[s0:e1].strip()


# --------------------------------------------------------------------------- b, m, M, f
async def test_b_and_m_persist_across_restarts(session: Session) -> None:
    app = session.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert "4 unread" in app.sub_title  # highlighting is not opening
        await pilot.press("b")
        assert "★" in app.article_list.render_line(0).text
        await pilot.press("m")
        assert "3 unread" in app.sub_title
        await pilot.press("j", "b", "b")  # bookmark and un-bookmark MARKET
    app = session.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.flags.is_read(FERRY) and app.flags.is_bookmarked(FERRY)
        assert not app.flags.is_bookmarked(MARKET)
        assert "3 unread" in app.sub_title
        assert "★" in app.article_list.render_line(0).text
        await pilot.press("m")  # unread again, saved at once
        assert "4 unread" in app.sub_title
        assert FERRY not in session.store().read_ids()


async def test_f_cycles_all_unread_bookmarked_keeping_the_open_article(session: Session) -> None:
    app = session.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("b", "j", "enter")  # FERRY bookmarked; MARKET opened: read
        assert app.flags.is_read(MARKET)
        await pilot.press("escape", "f")
        # Unread only, but MARKET is being read: it stays, and stays under the cursor.
        assert set(list_ids(app)) == {FERRY, MARKET, LIBRARY, "a1f0000000000004"}
        assert app.article_list.current is not None and app.article_list.current.id == MARKET
        assert "unread only: 4 shown" in app.sub_title
        await pilot.press("k", "enter")  # open FERRY: now it is the one kept
        await pilot.press("escape", "f", "f", "f")  # bookmarked, all, unread again
        assert set(list_ids(app)) == {FERRY, LIBRARY, "a1f0000000000004"}  # MARKET hidden
        await pilot.press("f")  # bookmarked: FERRY only (it is also the open one)
        assert list_ids(app) == [FERRY]
        await pilot.press("f")
        assert len(list_ids(app)) == 4
        assert "shown" not in app.sub_title


async def test_M_marks_only_the_current_filter_read(session: Session) -> None:
    app = session.app(settings=Config(mark_read=MarkReadPolicy("manual")))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"market", "enter")
        assert list_ids(app) == [MARKET]
        await pilot.press("M")
        assert "Marked 1 article read in this view" in last_message(app)
        assert app.flags.read == {MARKET}
        await pilot.press("escape")  # clear the title filter
        assert len(list_ids(app)) == 4
        await pilot.press("b", "f", "f")  # bookmarked view: FERRY (and the open article)
        await pilot.press("M")
        assert session.store().read_ids() == {MARKET, FERRY}
        assert "2 unread" in app.sub_title


# --------------------------------------------------------------------------- mark-read policy
@pytest.mark.parametrize(
    ("policy", "read_at_once", "read_later"),
    [("open", True, True), ("manual", False, False), ("after:0.3", False, True)],
)
async def test_mark_read_policy(
    session: Session, policy: str, read_at_once: bool, read_later: bool
) -> None:
    app = session.app(settings=Config(mark_read=MarkReadPolicy.parse(policy)))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        assert app.flags.is_read(FERRY) is read_at_once
        await pilot.pause(0.5)
        assert app.flags.is_read(FERRY) is read_later
        assert (FERRY in session.store().read_ids()) is read_later


async def test_after_n_seconds_does_not_mark_an_article_left_before(session: Session) -> None:
    app = session.app(settings=Config(mark_read=MarkReadPolicy.parse("after:0.3")))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "n")  # FERRY opened, then MARKET at once
        await pilot.pause(0.5)
        assert not app.flags.is_read(FERRY)
        assert app.flags.is_read(MARKET)


# --------------------------------------------------------------------------- B + Enter
async def test_B_then_enter_opens_the_article_at_the_quote_highlighted(session: Session) -> None:
    market = next(a for a in read_fixture("library.jsonl") if a.id == MARKET)
    text = market.blocks[4].text
    (s0, e0), (s1, e1) = split_sentences(text)[:2]
    app = session.app()
    async with app.run_test(size=SHORT) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await press_unit(pilot, FERRY_CAPTION)
        await pilot.press("s", "n")  # caption saved; on to MARKET
        await press_unit(pilot, 4)
        await pilot.press("full_stop", "full_stop", "s")  # its second sentence
        await pilot.press("n")  # away to another article
        assert app.pane.article is not None and app.pane.article.id == LIBRARY
        await pilot.press("B")
        await loaded(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        # On screen, full width (not pushed aside by the main screen's horizontal layout).
        shown = app.screen.query_one("#bm-list").region
        assert shown.x == 0 and shown.width == SHORT[0] and shown.height > 5
        await pilot.press("enter")  # newest first: the sentence
        await pilot.pause()
        assert not isinstance(app.screen, BookmarksScreen)
        pane = app.pane
        assert pane.article is not None and pane.article.id == MARKET
        assert app.article_list.current is not None and app.article_list.current.id == MARKET
        assert pane.selected_unit == Unit("paragraph", 4)
        assert pane._excerpt == (4, s1, e1)
        top, height = pane.scroll_offset.y, pane.scrollable_content_region.height
        start, end = pane.unit_lines(pane.selected)
        assert top <= start and end <= top + height  # scrolled into view
        # The caption: the whole block is selected, nothing narrowed.
        await pilot.press("B")
        await loaded(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert pane.article is not None and pane.article.id == FERRY
        assert pane.selected_unit == Unit("photo_caption", 4)
        assert pane._excerpt is None
        start, end = pane.unit_lines(pane.selected)
        top = pane.scroll_offset.y
        assert top <= start and end <= top + pane.scrollable_content_region.height


# --------------------------------------------------------------------------- resume, theme
async def test_each_article_reopens_where_it_was_left(session: Session) -> None:
    app = session.app()
    async with app.run_test(size=SHORT) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "space")
        await press_unit(pilot, FERRY_CAPTION)
        await pilot.pause()
        ferry_y, ferry_unit = app.pane.scroll_offset.y, app.pane.selected
        assert ferry_y > 0
        await pilot.press("n")  # leave FERRY for MARKET: FERRY's place is saved
        await pilot.pause()
        assert app.pane.scroll_offset.y == 0
        await pilot.press("space")
        await pilot.pause()
        market_y = app.pane.scroll_offset.y
        await pilot.press("p")  # back to FERRY in the same session
        await pilot.pause()
        assert (app.pane.scroll_offset.y, app.pane.selected) == (ferry_y, ferry_unit)
        await pilot.press("n")
        await pilot.pause()
        assert app.pane.scroll_offset.y == market_y
        await pilot.press("q")  # quitting saves MARKET's place
    app = session.app()
    async with app.run_test(size=SHORT) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert (app.pane.scroll_offset.y, app.pane.selected) == (ferry_y, ferry_unit)
        await pilot.press("n")
        await pilot.pause()
        assert app.pane.scroll_offset.y == market_y
        await pilot.press("n")  # never scrolled: opens at the top
        await pilot.pause()
        assert app.pane.scroll_offset.y == 0


async def test_the_reading_place_is_kept_while_reading_not_only_on_leaving(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A terminal closed or killed mid-article must not lose the place: it is saved every few
    # seconds (here shortened) while the article stays open.
    monkeypatch.setattr("reader.ui.state_actions.POSITION_SAVE_SECONDS", 0.05)
    app = session.app()
    async with app.run_test(size=SHORT) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "space")
        await press_unit(pilot, FERRY_CAPTION)
        await pilot.pause(0.3)
        y = app.pane.reading_position()
        assert y > 0
        with StateStore.open(session.folder) as other:  # what a crash now would leave
            saved = other.get_position(FERRY)
        assert saved is not None
        assert (saved.scroll_y, saved.unit) == (round(y, 3), FERRY_CAPTION)


async def test_the_chosen_theme_is_remembered(session: Session) -> None:
    app = session.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.theme != "nord"
        app.theme = "nord"
        await pilot.pause()
    assert session.store().remembered_theme() == "nord"
    app = session.app(settings=Config(theme="gruvbox"))  # the file changed since: it wins
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.theme == "gruvbox"
    app = session.app()  # no file theme: the one chosen in the app (gruvbox came from the file)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.theme == "nord"


# --------------------------------------------------------------------------- config
async def test_keymap_from_the_config_rebinds_a_key(session: Session) -> None:
    app = session.app(settings=Config(keymap={"toggle_read": "x", "app.toggle_bookmark": "z"}))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("x", "z")
        assert app.flags.is_read(FERRY) and app.flags.is_bookmarked(FERRY)
        await pilot.press("m")  # the old key no longer does it
        assert app.flags.is_read(FERRY)
        assert "X" in app.keys_markdown() or "x" in app.keys_markdown()


async def test_a_keymap_entry_naming_no_binding_is_reported_and_the_rest_apply(
    session: Session,
) -> None:
    app = session.app(
        settings=Config(
            keymap={"toggle_raed": "x", "list.cursor_down": "J", "app.toggle_bookmark": "z"}
        )
    )
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        shown = messages(app)
        assert any("keymap.toggle_raed" in m and "no such binding" in m for m in shown)
        assert not any("cursor_down" in m or "toggle_bookmark" in m for m in shown)
        await pilot.press("J", "z")  # a widget's binding id works as well as the app's
        assert app.flags.is_bookmarked(MARKET)


async def test_a_bad_config_value_is_named_and_the_app_starts_with_defaults(
    tmp_path: Path, session: Session
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('mark_read = "sometimes"\ntheme = 7\n', encoding="utf-8")
    store, settings, found = open_saved_state(str(tmp_path / "data"), str(config_file))
    store.close()
    assert settings.mark_read == MarkReadPolicy()
    app = session.app(settings=settings, messages=found)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        shown = messages(app)
        assert any("mark_read" in m and "sometimes" in m for m in shown)
        assert any("theme" in m for m in shown)
        await pilot.press("enter")  # the default policy applies: read on open
        assert app.flags.is_read(FERRY)


def test_no_path_opens_the_configured_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.ui import app as app_module

    config_file = tmp_path / "config.toml"
    config_file.write_text('library = ["/some/articles"]\n', encoding="utf-8")
    seen: list[list[str]] = []

    def fake_run(self: ReaderApp, *args: object, **kwargs: object) -> None:
        seen.append(list(self.paths))

    monkeypatch.setattr(ReaderApp, "run", fake_run)
    assert app_module.run_app([], str(tmp_path / "data"), str(config_file)) == 0
    assert app_module.run_app(["given.txt"], str(tmp_path / "data"), str(config_file)) == 0
    assert seen == [["/some/articles"], ["given.txt"]]


# --------------------------------------------------------------------------- damage, read-only
async def test_a_damaged_state_file_is_moved_aside_and_the_app_says_so(
    tmp_path: Path, session: Session
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / STATE_FILENAME).write_bytes(b"this is not a database" * 200)
    app = session.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert any("damaged" in m for m in messages(app))
        await pilot.press("b")  # the fresh store works
        assert last_message(app) == "Bookmarked."
    assert list(folder.glob(f"{STATE_FILENAME}.corrupt-*"))
    assert session.store().bookmarked_ids() == {FERRY}


async def test_a_read_only_data_dir_gives_a_working_session_that_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")  # the data dir cannot be created under a file, even as root
    store = StateStore.open(blocker / "data")
    assert store.read_only
    app = build_app(
        [], loader=fixture_loader("library.jsonl"), store=store, messages=store.messages
    )
    try:
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            assert any("read-only" in m for m in messages(app))
            await pilot.press("enter")  # marked read for the session, said once
            assert app.flags.is_read(FERRY)
            await press_unit(pilot, 0)
            await pilot.press("s")
            assert "read-only" in last_message(app) and "quote was not saved" in last_message(app)
            await pilot.press("b")
            assert "read-only" in last_message(app)
            assert app.flags.is_bookmarked(FERRY)  # still shown for this session
            await pilot.press("m", "M", "f", "n", "q")
    finally:
        store.close()


# --------------------------------------------------------------------------- export
async def test_export_from_the_app_writes_new_files_and_never_overwrites(
    tmp_path: Path, session: Session
) -> None:
    app = session.app()
    out = tmp_path / "docs"
    out.mkdir()
    app.state.export_dir = out
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await press_unit(pilot, FERRY_TWEET)
        await pilot.press("s")
        await app.run_action("export('markdown')")
        await app.run_action("export('markdown')")  # same second: a second name
        await app.run_action("export('json')")
        files = sorted(out.iterdir())
        assert len(files) == 3
        await pilot.pause()
        assert all(str(f) in " ".join(messages(app)) for f in files)
        md = next(f for f in files if f.suffix == ".md").read_text(encoding="utf-8")
        assert "> " in md and "Harbour ferry" in md
        assert '"quotes"' in next(f for f in files if f.suffix == ".json").read_text()


def test_run_app_reports_store_and_config_problems_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.ui import app as app_module

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / STATE_FILENAME).write_bytes(b"garbage, not SQLite" * 100)
    config_file = tmp_path / "config.toml"
    config_file.write_text('mark_read = "later"\n', encoding="utf-8")
    handed: list[list[str]] = []

    def fake_run(self: ReaderApp, *args: object, **kwargs: object) -> None:
        handed.append(self.state.messages)

    monkeypatch.setattr(ReaderApp, "run", fake_run)
    assert app_module.run_app([], str(folder), str(config_file)) == 0
    err = capsys.readouterr().err
    assert "mark_read" in err and "damaged" in err
    assert any("damaged" in m for m in handed[0]) and any("mark_read" in m for m in handed[0])


async def test_dragging_the_mouse_over_words_saves_just_those(session: Session) -> None:
    app = session.app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        pane = app.pane
        first, _end = pane.unit_lines(0)  # FERRY's first paragraph
        left, _measure = pane._geometry()
        y = first - pane.scroll_offset.y
        # From inside "little" to inside "ferry": whole words are taken.
        await pilot.mouse_down("#reading-pane", offset=(left + 6, y))
        await pilot.hover("#reading-pane", offset=(left + 19, y))
        await pilot.mouse_up("#reading-pane", offset=(left + 19, y))
        await pilot.pause()
        assert pane.selected_unit == Unit("paragraph", 0)
        text = pane.article.blocks[0].text if pane.article else ""
        assert pane._excerpt is not None
        _block, start, end = pane._excerpt
        assert text[start:end] == "little blue ferry"
        await pilot.press("s")
        assert last_message(app).startswith("Saved excerpt")
    (saved,) = session.store().list_quotes()
    assert saved.kind == "sentence" and saved.text == "little blue ferry"
