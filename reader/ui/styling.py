"""Theme styles for Line-API widgets, usable as spans over other styles."""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

MEASURE = 80
"""Widest text column, in cells: a comfortable line length for prose."""

STYLE_NAMES = (
    "text",
    "title",
    "meta",
    "source",
    "rule",
    "boilerplate",
    "quote",
    "quote-selected",
    "tweet-border",
    "tweet-border-selected",
    "tweet-name",
    "tweet-handle",
    "tweet-date",
    "tweet-entity",
    "caption",
    "caption-bar",
    "caption-text",
    "caption-credit",
    "selected",
)
"""Named styles the typesetter uses; the reading pane maps each to a component class."""


def span_style(widget: Widget, component: str) -> Style:
    """The Rich style of `component`, without a background unless the component sets one.

    `get_component_rich_style` fills in the widget's background; as a span inside a
    highlighted row or a caption box that would paint over the highlight. Colours with alpha
    (`$accent 40%`) stay blended against the widget's background.
    """
    style = widget.get_component_rich_style(component)
    if widget.get_component_styles(component).has_rule("background"):
        return style
    return Style(
        color=style.color,
        bold=style.bold,
        dim=style.dim,
        italic=style.italic,
        underline=style.underline,
        strike=style.strike,
        reverse=style.reverse,
    )


def text_segments(text: Text, console: Console) -> list[Segment]:
    """`text` as segments with its own base style kept.

    `Text.render` drops the base style of a text without spans (Rich applies it elsewhere when
    printing), so it is applied here explicitly.
    """
    base = console.get_style(text.style) if text.style else None
    segments = list(text.render(console))
    if base is None:
        return segments
    return list(Segment.apply_style(segments, base))
