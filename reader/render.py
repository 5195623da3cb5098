"""An article formatted for a plain terminal with Rich: what `reader show` prints.

The reading experience without the TUI, for pagers, pipes and screen readers. Every piece of
article text goes into a `rich.text.Text` (never markup, never `Console.print(str)`), so a title
like `[bold]` or `[@click=app.quit]` is printed literally. Text in the model is already
sanitised; file names are passed through `display_path` here because they come from the disk.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import IO, Literal

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from reader.formats import display_path
from reader.model import Article, Block, Paragraph, PhotoCaption, Quote, Tweet

ColorMode = Literal["auto", "always", "never"]

# A comfortable reading measure; wider terminals get margins, not longer lines.
MAX_WIDTH = 88
WORDS_PER_MINUTE = 230

# Styles, named so the look is decided in one place. Plain terminals fall back to layout alone
# (panels, indentation, labels), which is why every styled element also has a visible shape.
TITLE_STYLE = "bold"
META_STYLE = "dim"
TWEET_BORDER = "cyan"
AUTHOR_STYLE = "bold"
HANDLE_STYLE = "cyan"
TWEET_DATE_STYLE = "dim"
ENTITY_STYLES = {"hashtag": "bold cyan", "mention": "cyan", "link": "underline blue"}
CAPTION_LABEL_STYLE = "bold"
CAPTION_STYLE = "italic"
CREDIT_STYLE = "dim"
QUOTE_STYLE = "italic"
BOILERPLATE_STYLE = "dim"

_ENTITIES = re.compile(
    r"(?P<link>(?:https?://|pic\.twitter\.com/)\S+)"
    r"|(?<![\w@])(?P<hashtag>#\w+)"
    r"|(?<![\w@])(?P<mention>@\w{1,15})"
)


def short_date(date: _dt.date) -> str:
    """`Jul 3, 2018`: the date as a tweet card shows it (locale-independent)."""
    return f"{date:%b} {date.day}, {date.year}"


def reading_minutes(article: Article) -> int:
    """Minutes to read the article at an unhurried pace (at least one)."""
    return max(1, math.ceil(article.words / WORDS_PER_MINUTE))


def tweet_header(tweet: Tweet) -> Text:
    """`Display Name @handle · Jul 3, 2018` as styled Text."""
    header = Text()
    header.append(tweet.author or f"@{tweet.handle}", AUTHOR_STYLE)
    if tweet.handle and tweet.author:  # live-blog widgets keep a name but no handle
        header.append(" ")
        header.append(f"@{tweet.handle}", HANDLE_STYLE)
    if tweet.date is not None:
        header.append(" · ", TWEET_DATE_STYLE)
        header.append(short_date(tweet.date), TWEET_DATE_STYLE)
    return header


def tweet_body(text: str) -> Text:
    """A tweet's text with hashtags, @mentions and links styled."""
    body = Text(text)
    for match in _ENTITIES.finditer(text):
        kind = match.lastgroup
        if kind is not None:
            body.stylize(ENTITY_STYLES[kind], match.start(), match.end())
    return body


def _paragraph(paragraph: Paragraph, quotes: list[Quote]) -> Text:
    text = Text(paragraph.text, style=BOILERPLATE_STYLE if paragraph.boilerplate else "")
    for quote in quotes:
        start, end = max(0, quote.start), min(len(paragraph.text), quote.end)
        if start < end:
            text.stylize(QUOTE_STYLE, start, end)
    return text


def _caption(caption: PhotoCaption) -> RenderableType:
    lines = Text()
    lines.append("Photo:", CAPTION_LABEL_STYLE)
    if caption.text:
        lines.append(" ")
        lines.append(caption.text, CAPTION_STYLE)
    if caption.credit:
        # A credit-only line ("Featured image via ...") goes on the label's line.
        lines.append("\n" if caption.text else " ")
        lines.append(caption.credit, CREDIT_STYLE)
    return Padding(lines, (0, 0, 0, 2), expand=False)


def _tweet(tweet: Tweet) -> RenderableType:
    # The title must be a Text: Panel parses a str title as markup.
    return Panel(
        tweet_body(tweet.text),
        title=tweet_header(tweet),
        title_align="left",
        border_style=TWEET_BORDER,
        padding=(0, 1),
    )


def block_renderable(block: Block, quotes: list[Quote]) -> RenderableType:
    """One block of an article: a paragraph, a tweet card or a photo caption."""
    if isinstance(block, Tweet):
        return _tweet(block)
    if isinstance(block, PhotoCaption):
        return _caption(block)
    return _paragraph(block, quotes)


def article_header(article: Article) -> RenderableType:
    """Title; date · author · reading time; the source file; the URL when there is one.

    The source and URL get lines of their own: long paths and links fold there instead of
    breaking the line above in odd places.
    """
    title = Text(article.title or "(untitled)", style=TITLE_STYLE)
    parts = []
    if article.date is not None:
        parts.append(short_date(article.date))
    if article.author:
        parts.append(article.author)
    parts.append(f"{reading_minutes(article)} min read")
    lines: list[RenderableType] = [title, Text(" · ".join(parts), style=META_STYLE)]
    lines.append(Text(display_path(article.source), style=META_STYLE, overflow="fold"))
    if article.url:
        lines.append(Text(article.url, style=META_STYLE, overflow="fold"))
    return Group(*lines)


def article_renderables(article: Article) -> list[RenderableType]:
    """The whole article as a list of renderables, separated by blank lines when printed."""
    by_block: dict[int, list[Quote]] = {}
    for quote in article.quotes:
        by_block.setdefault(quote.block, []).append(quote)
    items: list[RenderableType] = [article_header(article), Rule(style=META_STYLE)]
    for index, block in enumerate(article.blocks):
        items.append(block_renderable(block, by_block.get(index, [])))
    return items


def make_console(
    file: IO[str] | None = None, *, color: ColorMode = "auto", width: int | None = None
) -> Console:
    """A console for printing articles.

    `auto` colours only a terminal (never a pipe or file) and honours NO_COLOR; `always` forces
    styles for a pager such as `less -R`; `never` writes plain text. The width defaults to the
    terminal's, capped at a comfortable reading measure.
    """
    force_terminal = {"auto": None, "always": True, "never": False}[color]
    console = Console(
        file=file,
        force_terminal=force_terminal,
        no_color=True if color == "never" else None,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )
    console.width = width if width else min(console.width, MAX_WIDTH)
    return console


def _print_items(article: Article, console: Console) -> None:
    for index, item in enumerate(article_renderables(article)):
        if index > 1:  # no gap between the header and its rule
            console.print()
        console.print(item)


def print_article(article: Article, console: Console) -> None:
    """Print one article, blocks separated by blank lines.

    Off a terminal (a pipe, a file) the lines lose the trailing spaces Rich pads them with, so
    the text diffs, greps and reads cleanly in a pager or a screen reader.
    """
    if console.is_terminal:
        _print_items(article, console)
        return
    with console.capture() as capture:
        _print_items(article, console)
    lines = capture.get().split("\n")
    console.file.write("\n".join(line.rstrip() for line in lines))
