"""Pilot tests of the reading app at a fixed size: every key, mouse selection, narrow mode."""

from __future__ import annotations

import re
from pathlib import Path

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from reader.ui.app import ReaderApp, build_app
from reader.ui.bars import TitleBar
from reader.ui.commands import PALETTE_COMMANDS
from reader.ui.screens import HelpScreen, ProblemsScreen
from reader.ui.typeset import Unit

from .conftest import fixture_loader, until_loaded

SIZE = (120, 40)
FERRY = "a1f0000000000001"  # newest fixture: first row
MARKET = "a1f0000000000002"


def make_app(**kwargs) -> ReaderApp:
    return build_app([], loader=fixture_loader("library.jsonl", **kwargs))


async def loaded(pilot: Pilot) -> None:
    await until_loaded(pilot)


def pane_text(app: ReaderApp) -> str:
    pane = app.pane
    return "\n".join(pane.render_line(y).text for y in range(pane.size.height))


def list_text(app: ReaderApp) -> str:
    article_list = app.article_list
    return "\n".join(article_list.render_line(y).text for y in range(article_list.size.height))


async def test_starts_with_no_arguments_on_the_bundled_samples() -> None:
    app = build_app([])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.rows.total >= 8
        assert app.focused is app.article_list
        assert "articles" in app.sub_title and "unread" in app.sub_title
        await pilot.press("enter")
        assert app.pane.article is not None
        assert app.pane.article.title.split()[0] in pane_text(app)


async def test_list_fills_in_and_first_row_previews() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.rows.total == 4
        assert app.article_list.current.id == FERRY
        assert app.pane.article is not None and app.pane.article.id == FERRY
        assert app.sub_title.startswith("4 articles · 4 unread")
        text = list_text(app)
        assert "Harbour ferry returns" in text
        assert "Mar 14, 2021 · ◆1 ◩1 ❝2" in text
        assert "●" in text  # unread marker


async def test_list_cursor_keys() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        article_list = app.article_list
        await pilot.press("j")
        assert article_list.cursor == 1
        await pilot.press("down")
        assert article_list.cursor == 2
        await pilot.press("k")
        assert article_list.cursor == 1
        await pilot.press("up")
        assert article_list.cursor == 0
        await pilot.press("G")
        assert article_list.cursor == 3
        await pilot.press("g")
        assert article_list.cursor == 0
        await pilot.press("end", "home")
        assert article_list.cursor == 0
        await pilot.press("pagedown")
        assert article_list.cursor == 3
        await pilot.press("pageup")
        assert article_list.cursor == 0
        await pilot.press("k")  # stays at the top
        assert article_list.cursor == 0
        # Moving previews the article without marking it read.
        await pilot.press("j")
        assert app.pane.article.id == MARKET
        assert not app.flags.is_read(MARKET)


async def test_enter_opens_marks_read_and_focuses_pane_escape_goes_back() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j", "enter")
        assert app.focused is app.pane
        assert app.pane.article.id == MARKET
        assert app.flags.is_read(MARKET)
        assert "3 unread" in app.sub_title
        await pilot.press("escape")
        assert app.focused is app.article_list


async def test_tab_and_shift_tab_move_focus() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.focused is app.article_list
        await pilot.press("tab")
        assert app.focused is app.pane
        await pilot.press("shift+tab")
        assert app.focused is app.article_list


async def test_n_and_p_step_through_articles_from_anywhere() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        assert app.pane.article.id == FERRY
        await pilot.press("n")
        assert app.pane.article.id == MARKET
        assert app.focused is app.pane  # focus stays where it was
        assert app.flags.is_read(MARKET)
        await pilot.press("p")
        assert app.pane.article.id == FERRY
        await pilot.press("escape", "n")  # from the list too
        assert app.article_list.cursor == 1
        assert app.pane.article.id == MARKET


async def test_pane_scrolls_by_line_and_by_page() -> None:
    app = make_app()
    async with app.run_test(size=(120, 16)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        pane = app.pane
        assert pane.scroll_offset.y == 0
        await pilot.press("j")
        assert pane.scroll_offset.y == 1
        await pilot.press("down", "down")
        assert pane.scroll_offset.y == 3
        await pilot.press("k")
        assert pane.scroll_offset.y == 2
        await pilot.press("up")
        assert pane.scroll_offset.y == 1
        await pilot.press("space")
        assert pane.scroll_offset.y > 8
        await pilot.press("shift+space")
        assert pane.scroll_offset.y == 1
        await pilot.press("pagedown")
        assert pane.scroll_offset.y > 8
        await pilot.press("pageup")
        assert pane.scroll_offset.y == 1
        await pilot.press("end")
        assert pane.scroll_offset.y == pane.max_scroll_y
        await pilot.press("home")
        assert pane.scroll_offset.y == 0
        await pilot.press("G")
        assert pane.scroll_offset.y == pane.max_scroll_y > 0
        await pilot.press("g")
        assert pane.scroll_offset.y == 0


async def test_unit_cursor_walks_every_unit_and_shows_it() -> None:
    app = make_app()
    async with app.run_test(size=(120, 20)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        pane = app.pane
        seen = []
        for _ in range(9):
            await pilot.press("right_square_bracket")
            seen.append(pane.selected_unit)
            start, end = pane.unit_lines(pane.selected)
            top = pane.scroll_offset.y
            # Scrolled into view, and marked in the margin.
            assert top <= start and end <= top + pane.scrollable_content_region.height
            assert "▌" in pane.render_line(start - top).text
        assert seen == [
            Unit("paragraph", 0),
            Unit("paragraph", 1),
            Unit("quote", 1, 0),
            Unit("quote", 1, 1),
            Unit("tweet", 2),
            Unit("paragraph", 3),
            Unit("photo_caption", 4),
            Unit("paragraph", 5),
            Unit("paragraph", 6),
        ]
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert pane.selected_unit == Unit("photo_caption", 4)
        # Lines outside the selected unit carry no marker.
        start, end = pane.unit_lines(pane.selected)
        top = pane.scroll_offset.y
        assert "▌" in pane.render_line(end - 1 - top).text
        assert "▌" not in pane.render_line(end + 1 - top).text


async def test_o_opens_the_selected_tweet_link_else_the_article_url(monkeypatch) -> None:
    app = make_app()
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "o")
        assert opened == ["https://example.org/news/harbour-ferry"]
        # The address is also said in the title bar (no browser may start at all).
        await pilot.pause()
        assert "Opening https://example.org/news/harbour-ferry" in app.query_one(
            "#title-bar"
        ).render().plain
        for _ in range(5):
            await pilot.press("right_square_bracket")
        assert app.pane.selected_unit.kind == "tweet"
        await pilot.press("o")
        assert opened[-1] == "https://t.co/Fk2mQp81Zx"


async def test_slash_filters_by_title_as_you_type() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"market")
        assert len(app.article_list.rows) == 1
        assert app.article_list.current.id == MARKET
        assert "Night market" in list_text(app)
        assert "Harbour ferry" not in list_text(app)
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        # "m": market, exam, allotment; the ferry title has no m.
        assert len(app.article_list.rows) == 3
        assert "3 match “m”" in app.sub_title
        await pilot.press("enter")
        assert app.focused is app.article_list
        assert len(app.article_list.rows) == 3  # the filter stays; the prompt goes
        assert not app.filter_input.display
        await pilot.press("escape")
        assert len(app.article_list.rows) == 4
        assert "match" not in app.sub_title
        await pilot.press("slash", *"[b]zz")  # no match; the query is shown as typed
        assert len(app.article_list.rows) == 0
        assert "No titles match “[b]zz”" in list_text(app)
        await pilot.press("escape")
        await pilot.press("slash", "x", "escape")  # Escape in the prompt clears it too
        assert len(app.article_list.rows) == 4
        assert not app.filter_input.display and app.focused is app.article_list


async def test_question_mark_shows_help_generated_from_bindings() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        text = str(app.screen.query_one("#help-text").render())
        flat = " ".join(text.split())
        for binding in ReaderApp.BINDINGS:
            assert " ".join((binding.tooltip or binding.description).split()) in flat
        assert "Saving quotes" in text and "s to save" in text
        assert re.search(r"^  \] +Select the next tweet", text, re.M)
        # A description too long for its line goes on under the description column.
        assert re.search(r"^  / +Search the library as you type.*\n {18}\S", text, re.M)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_main_screen_keys_do_nothing_on_other_screens(tmp_path) -> None:
    # `n`, `t`, `b`... are the app's keys: on the saved quotes or help screen they must not act
    # on the main screen hidden behind it, nor be offered in that screen's key bar.
    from reader.store.state import StateStore
    from reader.ui.bookmarks import BookmarksScreen

    store = StateStore.open(tmp_path)
    app = build_app([], loader=fixture_loader("library.jsonl"), store=store)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        opened = app.pane.article.id
        for key, screen_type in (("B", BookmarksScreen), ("question_mark", HelpScreen)):
            await pilot.press(key)
            assert isinstance(app.screen, screen_type)
            await pilot.press("n", "p", "t", "b", "m", "s", "f", "v")
            assert isinstance(app.screen, screen_type)
            offered = {b.binding.action for b in app.screen.active_bindings.values()}
            assert not offered & {"next_article", "toggle_outline", "toggle_bookmark"}
            await pilot.press("escape")
            assert not isinstance(app.screen, screen_type)
            assert app.pane.article.id == opened
            assert not app.screen.has_class("-outline")
            assert store.quote_count() == 0 and not store.is_bookmarked(opened)
        await pilot.press("n")  # back on the main screen the keys work again
        assert app.pane.article.id != opened


async def test_help_rewraps_to_the_terminal_width() -> None:
    app = make_app()
    async with app.run_test(size=(64, 20)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = app.screen.query_one("#help-text")
        width = help_text.content_region.width
        text = str(help_text.render())
        lines = text[: text.index("\nMouse\n")].splitlines()
        keys = [line for line in lines if re.match(r"  \S|\s{18}\S", line)]
        assert len(keys) > 20 and max(len(line) for line in keys) <= width
        assert re.search(r"^  \[ +Select the previous tweet.*\n {18}\S", "\n".join(lines), re.M)


async def test_list_rows_fit_the_list_without_a_horizontal_scrollbar() -> None:
    # The bundled samples are more rows than fit: the vertical scrollbar takes a column.
    for size in ((64, 20), (90, 30)):
        app = build_app([])
        async with app.run_test(size=size) as pilot:
            await loaded(pilot)
            article_list = app.article_list
            assert article_list.max_scroll_y > 0
            assert not article_list.show_horizontal_scrollbar
            assert article_list.max_scroll_x == 0


async def test_q_quits() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_command_palette_runs_reader_actions() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"toggle outline")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.outline.display


def test_every_bound_action_is_in_the_palette() -> None:
    palette = {action for _title, _help, action in PALETTE_COMMANDS}
    skipped = {"focus_next", "focus_previous"}  # Tab itself is the command
    for binding in ReaderApp.BINDINGS:
        if binding.action not in skipped:
            assert binding.action in palette, binding.action


async def test_outline_toggles_and_jumps_to_a_unit() -> None:
    app = make_app()
    async with app.run_test(size=(120, 16)) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "t")
        outline = app.outline
        assert outline.display and app.focused is outline
        labels = [str(outline.get_option_at_index(i).prompt) for i in range(outline.option_count)]
        assert len(labels) == 4  # two quotes, a tweet, a caption
        assert labels[2].startswith("◆ @portlanternferry")
        assert labels[3].startswith("◩ photo")
        await pilot.press("g")
        assert outline.highlighted == 0
        await pilot.press("j", "down")
        assert outline.highlighted == 2
        assert app.pane.selected_unit == Unit("tweet", 2)  # the pane follows the highlight
        await pilot.press("k", "up")
        assert outline.highlighted == 0
        await pilot.press("G", "enter")
        assert app.pane.selected_unit == Unit("photo_caption", 4)
        assert app.focused is app.pane
        start, end = app.pane.unit_lines(app.pane.selected)
        assert app.pane.scroll_offset.y <= start < app.pane.scroll_offset.y + 16
        await pilot.press("t")
        assert not outline.display


async def test_outline_takes_the_whole_width_on_a_narrow_terminal() -> None:
    app = make_app()
    async with app.run_test(size=(64, 20)) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "t")
        await pilot.pause()
        assert app.outline.display and app.outline.region.width == 64
        assert app.pane.size.width == 0 and app.article_list.size.width == 0
        await pilot.press("t")
        await pilot.pause()
        assert app.pane.region.width == 64


async def test_outline_escape_closes_it() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "t", "escape")
        assert not app.outline.display
        assert app.focused is app.pane


async def test_click_a_row_then_click_again_to_open() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        # Row 2 (third article) occupies list lines 4-5; the list starts below the header.
        await pilot.click("#article-list", offset=(10, 4))
        assert app.article_list.cursor == 2
        assert app.focused is app.article_list
        await pilot.click("#article-list", offset=(10, 5), times=2)
        assert app.focused is app.pane
        assert app.pane.article.id == app.article_list.current.id


async def test_click_a_unit_selects_it() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        pane = app.pane
        pane._ensure_layout()
        tweet = next(i for i, u in enumerate(pane.units) if u.kind == "tweet")
        start, end = pane.unit_lines(tweet)
        await pilot.click("#reading-pane", offset=(20, start + 3))
        assert pane.selected_unit == Unit("tweet", 2)
        # A click on the words of a quote selects the quote, elsewhere the paragraph.
        quote_unit = pane.units.index(Unit("quote", 1, 0))
        q_start, _ = pane.unit_lines(quote_unit)
        left, _measure = pane._geometry()
        await pilot.click("#reading-pane", offset=(left + 3, q_start))
        assert pane.selected_unit == Unit("quote", 1, 0)
        para_lines = pane.unit_lines(pane.units.index(Unit("paragraph", 0)))
        await pilot.click("#reading-pane", offset=(left + 3, para_lines[0]))
        assert pane.selected_unit == Unit("paragraph", 0)


async def test_reserved_keys_use_the_flag_hooks() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("b")
        assert app.flags.is_bookmarked(FERRY)
        assert "★" in list_text(app).splitlines()[0]
        await pilot.press("b")
        assert not app.flags.is_bookmarked(FERRY)
        await pilot.press("m")
        assert app.flags.is_read(FERRY)
        assert "3 unread" in app.sub_title
        await pilot.press("m")
        assert not app.flags.is_read(FERRY)
        await pilot.press("enter", "s")  # nothing selected yet: says how to select
        await pilot.pause()
        assert "] or [" in app.state.said[-1]
        assert "] or [" in str(app.query_one(TitleBar).render())  # said where it is seen
        await pilot.press("right_square_bracket", "s", "B")
        await pilot.pause()
        messages = app.state.said  # everything the keys said, wherever it was shown
        # Without a state store (tests/ui/test_state_integration.py has one) both say so.
        assert sum("no state store" in m for m in messages) == 2


async def test_failed_files_notify_and_list_in_problems_view() -> None:
    app = make_app(problems=(("broken/one.txt", "empty file"), ("two.bin", "binary file")))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.rows.total == 4  # the rest still load
        assert [n.title for n in app._notifications] == ["Problems"]
        assert "2 not loaded" in app.sub_title
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, ProblemsScreen)
        text = str(app.screen.query_one("#problems-text").render())
        assert "broken/one.txt" in text and "empty file" in text
        assert "two.bin" in text and "binary file" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, ProblemsScreen)


async def test_narrow_terminal_alternates_list_and_pane() -> None:
    app = make_app()
    async with app.run_test(size=(64, 20)) as pilot:
        await loaded(pilot)
        assert app.narrow
        assert app.article_list.display and app.article_list.size.width > 50
        assert app.pane.size.width == 0  # hidden
        await pilot.press("enter")
        assert app.focused is app.pane
        assert app.pane.size.width > 50
        assert app.article_list.size.width == 0
        assert "Harbour ferry" in pane_text(app)
        await pilot.press("escape")
        assert app.focused is app.article_list
        assert app.pane.size.width == 0
        await pilot.press("tab")
        assert app.focused is app.pane
        await pilot.press("shift+tab")
        assert app.focused is app.article_list


async def test_resizing_switches_layout() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert not app.narrow
        await pilot.resize_terminal(70, 24)
        await pilot.pause()
        assert app.narrow
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not app.narrow and app.pane.size.width > 0


async def test_space_pages_the_article_from_the_list_too() -> None:
    app = make_app()
    async with app.run_test(size=(120, 16)) as pilot:
        await loaded(pilot)
        assert app.focused is app.article_list
        await pilot.press("space")
        assert app.pane.scroll_offset.y > 5
        assert app.focused is app.article_list
        await pilot.press("shift+space")
        assert app.pane.scroll_offset.y == 0


async def test_quitting_while_files_load_cancels_the_worker() -> None:
    import threading
    import time

    from .conftest import read_fixture

    stopped = threading.Event()
    produced = []

    def endless(paths: list[str]):
        article = read_fixture("library.jsonl")[0]
        try:
            while True:
                time.sleep(0.005)
                produced.append(1)
                yield article
        finally:
            stopped.set()

    app = build_app([], loader=endless)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert produced  # loading is under way
        assert app.library_loading
        await pilot.press("down")  # the UI answers while it loads
        await pilot.press("q")
    assert stopped.wait(5), "the loading thread kept going after quit"


async def test_pane_hooks_for_saved_quotes_and_resume() -> None:
    app = make_app()
    async with app.run_test(size=(120, 16)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        pane = app.pane
        assert pane.select(Unit("photo_caption", 4))
        assert pane.selected_unit == Unit("photo_caption", 4)
        assert not pane.select(Unit("tweet", 0))  # block 0 is a paragraph
        pane.scroll_to_block(3)
        await pilot.pause()
        assert pane.top_block() == 3
        pane.scroll_to_block(0)
        await pilot.pause()
        assert pane.top_block() == 0


async def test_user_keymap_rebinds_keys_and_help_follows() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        app.update_keymap({"app.next_article": "x", "list.cursor_down": "ctrl+j"})
        await pilot.press("x")
        assert app.article_list.cursor == 1
        await pilot.press("ctrl+j")
        assert app.article_list.cursor == 2
        await pilot.press("question_mark")
        text = str(app.screen.query_one("#help-text").render())
        assert re.search(r"^  x +Open the next article", text, re.M)


def test_keys_markdown_lists_every_key_for_the_readme() -> None:
    table = build_app([]).keys_markdown()
    assert "| Anywhere | `n` | Open the next article |" in table
    assert "| Reading pane | `space / pgdn` | Page down |" in table
    assert table.count("\n") > 30
    # The README's key table is this table, kept in step with the bindings.
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert table.strip() in readme


async def test_resizing_under_a_modal_screen_still_switches_layout() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.resize_terminal(64, 20)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.narrow and app.pane.size.width == 0


async def test_flags_from_outside_drive_markers_and_counts() -> None:
    from reader.ui.app import SessionFlags

    flags = SessionFlags(read={FERRY}, bookmarked={MARKET})
    app = build_app([], loader=fixture_loader("library.jsonl"), flags=flags)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.sub_title.startswith("4 articles · 3 unread")
        lines = list_text(app).splitlines()
        assert "●" not in lines[0] and "●" in lines[2]  # ferry read, market unread
        assert "★" in lines[2] and "★" not in lines[0]


async def test_clicking_a_key_in_the_key_bar_presses_it() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        bar = app.query_one("#key-bar")
        text = str(bar.render())
        x = text.index("Next")  # " n Next " : the label of the n key
        await pilot.click("#key-bar", offset=(x, 0))
        await pilot.pause()
        assert app.article_list.cursor == 1
        assert app.pane.article.id == MARKET


async def test_narrow_key_bar_keeps_the_help_key() -> None:
    app = make_app()
    async with app.run_test(size=(64, 20)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await pilot.pause()
        bar = str(app.query_one("#key-bar").render())
        assert "? Help" in bar and "^p palette" in bar
        assert len(bar) <= 64


async def test_click_an_outline_entry_jumps_to_it() -> None:
    app = make_app()
    async with app.run_test(size=(120, 16)) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "t")
        outline = app.outline
        # Entries: two quotes (two lines each at this width), the tweet, the caption.
        caption_row = next(
            y for y in range(outline.size.height) if "photo" in outline.render_line(y).text
        )
        await pilot.click("#outline", offset=(4, caption_row))
        await pilot.pause()
        assert app.pane.selected_unit == Unit("photo_caption", 4)
        assert app.focused is app.pane


async def test_o_on_a_tweet_without_web_links_opens_the_account(monkeypatch) -> None:
    app = make_app()
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j", "enter", "right_square_bracket", "right_square_bracket", "o")
        assert app.pane.selected_unit == Unit("tweet", 1)
        assert opened == ["https://twitter.com/depotnights"]
