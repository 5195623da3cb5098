"""Every built-in theme keeps tweets, captions, quotes, the selection and the cursor visible."""

from __future__ import annotations

from rich.color import Color

from reader.ui.app import build_app

from .conftest import fixture_loader, until_loaded


def rgb(color: Color | None) -> tuple[int, int, int]:
    assert color is not None
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True))


async def test_every_builtin_theme_keeps_the_reading_pane_legible() -> None:
    app = build_app([], loader=fixture_loader("library.jsonl"))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_loaded(pilot)
        await pilot.press("enter")
        themes = sorted(app.available_themes)
        checked = 0
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            pane = app.pane
            if pane.rich_style.bgcolor is None or pane.rich_style.bgcolor.is_default:
                [pane.render_line(y) for y in range(pane.size.height)]  # still renders
                continue  # ANSI themes use the terminal's own colours
            checked += 1
            styles = pane._style_map()
            background = rgb(pane.rich_style.bgcolor)
            # Text, tweet borders and handles, and the selection marker stand out.
            for name in ("text", "title", "tweet-border", "tweet-handle", "marker"):
                assert distance(rgb(styles[name].color), background) > 120, (theme, name)
            # Meta and boilerplate are dimmer than text, but still readable.
            for name in ("meta", "boilerplate", "caption-credit"):
                assert distance(rgb(styles[name].color), background) > 60, (theme, name)
            # Captions, quotes and the selected unit have their own background.
            for name in ("caption", "quote", "selected"):
                assert distance(rgb(styles[name].bgcolor), background) > 8, (theme, name)
            assert rgb(styles["caption"].bgcolor) != rgb(styles["selected"].bgcolor), theme
            # The strips render with this theme's colours (caches were dropped).
            strips = [pane.render_line(y) for y in range(pane.size.height)]
            colours = {
                rgb(seg.style.bgcolor)
                for s in strips
                for seg in s
                if seg.style and seg.style.bgcolor
            }
            assert background in colours and rgb(styles["caption"].bgcolor) in colours, theme
            cursor = app.article_list.get_component_rich_style("article-list--cursor-blurred")
            list_bg = rgb(app.article_list.rich_style.bgcolor)
            assert distance(rgb(cursor.bgcolor), list_bg) > 8, theme
        assert checked >= 10
