"""The Bookmarks screen on a real state file, driven by Pilot in a minimal host app."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList, Select, Static, TextArea

from reader.saving import SavedQuote
from reader.store.state import StateStore
from reader.ui.bookmarks import BookmarksScreen, QuoteEditScreen

HOSTILE = "[bold red]not markup[/] [@click=app.quit]click[/]"


def seed(store: StateStore) -> None:
    def save(n: int, **fields: object) -> None:
        base: dict[str, object] = {
            "kind": "quote",
            "article_id": "a1",
            "article_title": "The harbour floods",
            "block": n,
            "created": f"2026-01-0{n}T00:00:00.000000Z",
        }
        base.update(fields)
        store.save_quote(SavedQuote(**base))  # type: ignore[arg-type]

    save(1, text="We were not consulted.", speaker="the mayor")
    save(2, kind="tweet", text="Water everywhere #flood", speaker="Port Watch",
         handle="port_watch", article_id="b2", article_title=HOSTILE)  # fmt: skip
    save(3, kind="caption", text="Boats on the quay.", speaker="Ana Ruiz / Invented Press")
    save(4, text=HOSTILE, speaker="[b]Mallory[/b]", article_id="b2", article_title=HOSTILE)


class Host(App[None]):
    """The smallest app that shows the screen and records what it asks for."""

    def __init__(self, store: StateStore) -> None:
        super().__init__()
        self.store = store
        self.results: list[SavedQuote | None] = []
        self.messages: list[SavedQuote] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(BookmarksScreen(self.store), self.results.append)

    def on_bookmarks_screen_open_quote(self, message: BookmarksScreen.OpenQuote) -> None:
        self.messages.append(message.quote)


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    s = StateStore.open(tmp_path)
    seed(s)
    yield s
    s.close()


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown_texts(app: App[None]) -> list[str]:
    screen = app.screen
    assert isinstance(screen, BookmarksScreen)
    return [q.text for q in screen._shown]


def rendered(app: App[None]) -> str:
    option_list = app.screen.query_one("#bm-list", OptionList)
    return "\n".join(str(option_list.get_option_at_index(i).prompt)
                     for i in range(option_list.option_count))  # fmt: skip


async def test_lists_every_quote_newest_first_and_literally(store: StateStore) -> None:
    app = Host(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert shown_texts(app) == [
            HOSTILE,
            "Boats on the quay.",
            "Water everywhere #flood",
            "We were not consulted.",
        ]
        text = rendered(app)
        # Markup-looking text is shown as typed, never interpreted.
        assert HOSTILE in text and "[b]Mallory[/b]" in text
        assert "Saved quotes: 4" in str(app.screen.query_one("#bm-title", Static).render())
        assert app.is_running  # the [@click=app.quit] text did not quit


async def test_filter_as_you_type_and_by_kind_speaker_article(store: StateStore) -> None:
    app = Host(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"QUAY")
        assert shown_texts(app) == ["Boats on the quay."]
        assert "1 of 4" in str(app.screen.query_one("#bm-title", Static).render())
        app.screen.query_one("#bm-filter", Input).value = ""
        await pilot.pause()
        assert len(shown_texts(app)) == 4
        app.screen.query_one("#bm-kind", Select).value = "tweet"
        await pilot.pause()
        assert shown_texts(app) == ["Water everywhere #flood"]
        app.screen.query_one("#bm-kind", Select).clear()
        app.screen.query_one("#bm-speaker", Select).value = "the mayor"
        await pilot.pause()
        assert shown_texts(app) == ["We were not consulted."]
        app.screen.query_one("#bm-speaker", Select).clear()
        app.screen.query_one("#bm-article", Select).value = "b2"
        await pilot.pause()
        assert shown_texts(app) == [HOSTILE, "Water everywhere #flood"]
        # Text typed in the filter does not trigger the screen's letter keys.
        await pilot.press("slash")
        await pilot.press("d", "u", "e")
        assert len(store.list_quotes()) == 4
        assert not isinstance(app.screen, QuoteEditScreen)


async def test_enter_returns_the_quote_to_open(store: StateStore) -> None:
    app = Host(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert [q.text for q in app.results if q] == ["Boats on the quay."]
        assert [q.text for q in app.messages] == ["Boats on the quay."]
        chosen = app.results[0]
        assert chosen is not None and (chosen.article_id, chosen.block) == ("a1", 3)
        assert not isinstance(app.screen, BookmarksScreen)


async def test_escape_returns_none(store: StateStore) -> None:
    app = Host(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None] and app.messages == []


async def test_delete_and_undo(store: StateStore, tmp_path: Path) -> None:
    app = Host(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "d")
        await pilot.pause()
        assert "Boats on the quay." not in shown_texts(app)
        assert store.quote_count() == 3
        # The cursor moved to the next quote down.
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        assert screen.current_quote().text == "Water everywhere #flood"  # type: ignore[union-attr]
        assert any("undo" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert shown_texts(app)[1] == "Boats on the quay."
        assert screen.current_quote().text == "Boats on the quay."  # type: ignore[union-attr]
        await pilot.press("d", "d", "u", "u")
        await settle(pilot)
        assert store.quote_count() == 4
    # The undo landed in the file, not just on screen.
    with StateStore.open(tmp_path) as again:
        assert again.quote_count() == 4


@pytest.mark.parametrize("size", [(64, 20), (100, 40)])
async def test_edit_dialog_buttons_show_on_a_small_terminal(store: StateStore, size) -> None:
    long_text = " ".join(["The ferry crews voted to strike over rosters and pay."] * 6)
    store.save_quote(
        SavedQuote(
            kind="paragraph",
            text=long_text,
            article_id="c3",
            article_title="Ferry strike",
            block=9,
            created="2026-02-01T00:00:00.000000Z",
        )
    )
    app = Host(store)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, QuoteEditScreen)
        for widget_id in ("#edit-note", "#edit-tags", "#edit-save", "#edit-cancel"):
            region = app.screen.query_one(widget_id).region
            assert region.height > 0 and region.bottom <= size[1], widget_id
        await pilot.click("#edit-save")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)


async def test_edit_note_and_tags(store: StateStore) -> None:
    app = Host(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, QuoteEditScreen)
        area = app.screen.query_one("#edit-note", TextArea)
        area.text = "Why [bold]this[/bold] matters"
        app.screen.query_one("#edit-tags", Input).value = "floods, #ports"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        saved = store.list_quotes()[0]
        assert saved.note == "Why [bold]this[/bold] matters"
        assert saved.tags == ("floods", "ports")
        assert "Why [bold]this[/bold] matters" in rendered(app)
        # Cancelling changes nothing.
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#edit-note", TextArea).text = "discarded"
        await pilot.press("escape")
        await settle(pilot)
        assert store.list_quotes()[0].note == "Why [bold]this[/bold] matters"


async def test_an_empty_store_explains_how_to_save(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / "empty") as empty:
        app = Host(empty)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert "press s to save" in rendered(app)
            await pilot.press("d", "e", "enter")  # nothing to act on: no crash
            await pilot.pause()
            assert app.results == []


async def test_read_only_store_reports_instead_of_crashing(tmp_path: Path) -> None:
    import sqlite3

    with StateStore.open(tmp_path) as s:
        seed(s)
    conn = sqlite3.connect(tmp_path / "state.sqlite3")
    conn.execute("UPDATE schema_version SET version = 999")
    conn.commit()
    conn.close()
    with StateStore.open(tmp_path) as ro:
        assert ro.read_only
        app = Host(ro)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            assert len(shown_texts(app)) == 4
            assert "read-only" in str(app.screen.query_one("#bm-title", Static).render())
            await pilot.press("d")
            await pilot.pause()
            assert len(shown_texts(app)) == 4
            assert any("read-only" in str(n.message) for n in app._notifications)


async def test_long_lists_show_a_page_and_more_on_demand(
    store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.ui.bookmarks as bookmarks

    monkeypatch.setattr(bookmarks, "PAGE", 2)
    app = Host(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        option_list = app.screen.query_one("#bm-list", OptionList)
        assert "2 more" in rendered(app)
        assert "We were not consulted." not in rendered(app)
        await pilot.press("j", "j", "enter")  # onto "more"
        await pilot.pause()
        assert "We were not consulted." in rendered(app) and "more" not in rendered(app)
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        # The cursor lands on the first newly shown quote.
        assert screen.current_quote().text == "Water everywhere #flood"  # type: ignore[union-attr]
        assert option_list.option_count == 4  # all four quotes, no "more" entry
        # Typing starts from one page again, and counts every match.
        await pilot.press("slash")
        await pilot.press("e")
        await pilot.pause()
        assert len(screen._shown) == 4 and "2 more" in rendered(app)
