"""SVG snapshots of the main screens (pytest-textual-snapshot).

Deterministic by construction: fixture articles (not the bundled samples), no clock in the
header, no notifications, the loading worker awaited before the picture is taken.
Update with `pytest tests/ui/test_snapshots.py --snapshot-update` after checking the diff.
"""

from __future__ import annotations

from textual.pilot import Pilot

from reader.ui.app import ReaderApp, build_app

from .conftest import fixture_loader, until_loaded


def make_app() -> ReaderApp:
    return build_app([], loader=fixture_loader("library.jsonl"))


async def open_ferry_on_tweet(pilot: Pilot) -> None:
    await until_loaded(pilot)
    await pilot.press("enter")
    for _ in range(5):  # paragraph, paragraph, quote, quote, tweet
        await pilot.press("right_square_bracket")
    await pilot.pause()


def test_main_screen_wide(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=open_ferry_on_tweet)


def test_main_screen_narrow(snap_compare) -> None:
    async def caption_in_view(pilot: Pilot) -> None:
        await open_ferry_on_tweet(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")  # paragraph, caption
        await pilot.pause()
        pane = pilot.app.pane
        # Both the tweet card and the caption block are on screen.
        top, height = pane.scroll_offset.y, pane.scrollable_content_region.height
        for kind in ("tweet", "photo_caption"):
            index = next(i for i, u in enumerate(pane.units) if u.kind == kind)
            start, end = pane.unit_lines(index)
            assert top <= start and end <= top + height, kind

    assert snap_compare(make_app(), terminal_size=(64, 20), run_before=caption_in_view)


def test_narrow_list(snap_compare) -> None:
    async def loaded(pilot: Pilot) -> None:
        await until_loaded(pilot)

    assert snap_compare(make_app(), terminal_size=(64, 20), run_before=loaded)


def test_help_screen(snap_compare) -> None:
    async def help_open(pilot: Pilot) -> None:
        await until_loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=help_open)


def test_outline_and_light_theme(snap_compare) -> None:
    async def outline_open(pilot: Pilot) -> None:
        pilot.app.theme = "textual-light"
        await open_ferry_on_tweet(pilot)
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=outline_open)
