"""Typesetting an `Article` into terminal lines for the reading pane.

Pure Rich, no widgets: every line is a `rich.text.Text` built from the model's plain strings
with styles applied by span, so nothing an article contains is ever parsed as markup. The
reading pane turns these lines into strips and owns scrolling, selection and clicks.

Also defines the quotable `Unit`s (`]`/`[` move between them, `s` will save one).
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:  # the model loads with the first article, after the first frame
    from reader.model import Article, Paragraph, PhotoCaption, Tweet

UnitKind = Literal["paragraph", "tweet", "photo_caption", "quote"]

WORDS_PER_MINUTE = 230

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Links, hashtags and @mentions inside a tweet, styled as entities.
_ENTITY = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|(?<![\w@#])[#@]\w+")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Unit:
    """A quotable unit of an article: a whole block, or a piece of quoted speech in one.

    `block` indexes `Article.blocks`; `quote` indexes `Article.quotes` when `kind == "quote"`.
    """

    kind: UnitKind
    block: int
    quote: int | None = None


def article_units(article: Article) -> list[Unit]:
    """Every unit in reading order: each block, then the quotes inside it by position."""
    by_block: dict[int, list[tuple[int, int]]] = {}
    for index, quote in enumerate(article.quotes):
        by_block.setdefault(quote.block, []).append((quote.start, index))
    units: list[Unit] = []
    for index, block in enumerate(article.blocks):
        units.append(Unit(block.kind, index))
        for _start, quote_index in sorted(by_block.get(index, ())):
            units.append(Unit("quote", index, quote_index))
    return units


def format_date(date: _dt.date | None) -> str:
    """`Jul 3, 2018`, independent of the locale; "" for no date."""
    if date is None:
        return ""
    return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at an ordinary pace (at least one)."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def _fit(word: str, width: int) -> int:
    """How many characters of `word` fit in `width` cells (at least one, to make progress)."""
    cells = 0
    for count, char in enumerate(word):
        cells += cell_len(char)
        if cells > width:
            return max(1, count)
    return len(word)


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Word-wrap `text` to `width` cells; return each line's (start, end) offsets in `text`.

    Offsets (rather than wrapped copies) let the pane map a click back to a character and a
    quote's offsets forward to the lines it covers. Hard newlines are kept; words wider than
    the line are folded.
    """
    width = max(1, width)
    # ASCII text is one cell per character: skip the width tables (most prose, 3x faster).
    cells_of = len if text.isascii() else cell_len
    lines: list[tuple[int, int]] = []
    offset = 0
    for hard in text.split("\n"):
        start: int | None = None
        end = 0
        cells = 0
        for match in _WORD.finditer(hard):
            word_start, word_end = offset + match.start(), offset + match.end()
            word_cells = cells_of(match.group())
            if start is not None:
                gap = cells_of(text[end:word_start])
                if cells + gap + word_cells <= width:
                    end, cells = word_end, cells + gap + word_cells
                    continue
                lines.append((start, end))
            # The word starts a new line; fold it while it is wider than a line.
            word = match.group()
            while word_cells > width:
                cut = _fit(word, width)
                lines.append((word_start, word_start + cut))
                word_start += cut
                word = word[cut:]
                word_cells = cells_of(word)
            start, end, cells = word_start, word_end, word_cells
        if start is None:
            lines.append((offset, offset))
        else:
            lines.append((start, end))
        offset += len(hard) + 1
    return lines


def _divide(text: Text, spans: list[tuple[int, int]]) -> list[Text]:
    """Cut `text` into the lines `spans` describe, keeping styles."""
    cuts: list[int] = []
    for start, end in spans:
        cuts.extend((start, end))
    pieces = text.divide(cuts)
    return [pieces[2 * i + 1] for i in range(len(spans))]


@dataclass(slots=True)
class Line:
    """One typeset line of a block.

    `span` is the (start, end) range of the block's text shown on this line, or None for
    decoration (borders, credits, blank lines); `text_x` is where that text starts in `text`.
    """

    text: Text
    span: tuple[int, int] | None = None
    text_x: int = 0


Styles = Mapping[str, Style]
"""Named styles the typesetter uses (see `STYLE_NAMES`); the pane fills it from the theme."""


def _pad(text: Text, width: int) -> Text:
    """`text` cut or padded to exactly `width` cells."""
    text = text.copy()
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


def typeset_header(article: Article, width: int, styles: Styles) -> list[Line]:
    """Title; date · author · reading time · counts; the source file; then a short rule."""
    lines: list[Line] = []
    title = Text(article.title or "Untitled", style=styles["title"])
    lines.extend(Line(t) for t in _divide(title, wrap_offsets(title.plain, width)))
    lines.append(Line(Text("")))
    facts = [format_date(article.date), article.author or ""]
    facts += [f"{reading_minutes(article.words)} min read", _counts_text(article)]
    meta = Text(" · ".join(part for part in facts if part), style=styles["meta"])
    lines.extend(Line(t) for t in _divide(meta, wrap_offsets(meta.plain, width)))
    from reader.formats import display_path  # loaded with the first article, not at start-up

    source = short_path(display_path(article.source))  # file names are data: no controls
    if cell_len(source) > width:
        source = "…" + source[-(width - 1) :]  # the file name matters more than its folders
    lines.append(Line(Text(source, style=styles["source"])))
    lines.append(Line(Text("")))
    lines.append(Line(Text("━" * min(width, 8), style=styles["rule"])))
    return lines


def short_path(path: str) -> str:
    """`path` as a reader would write it: relative to the current folder, or from `~`."""
    if not os.path.isabs(path):
        return path
    cwd = os.getcwd()
    if path.startswith(cwd + os.sep):
        return path[len(cwd) + 1 :]
    home = os.path.expanduser("~")
    if home != "/" and path.startswith(home + os.sep):
        return "~" + path[len(home) :]
    return path


def _counts_text(article: Article) -> str:
    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    parts = []
    if tweets := len(article.tweets):
        parts.append(plural(tweets, "tweet"))
    if captions := len(article.captions):
        parts.append(plural(captions, "photo"))
    if quotes := len(article.quotes):
        parts.append(plural(quotes, "quote"))
    return " · ".join(parts)


def _display(text: str) -> str:
    # Tabs would expand to a variable width and break the offset bookkeeping.
    return text.replace("\t", " ")


def _stylize_quotes(
    text: Text,
    article: Article,
    block_index: int,
    styles: Styles,
    selected_quote: int | None,
) -> None:
    length = len(text.plain)
    for index, quote in enumerate(article.quotes):
        if quote.block != block_index:
            continue
        start, end = max(0, quote.start), min(length, quote.end)
        if start < end:
            name = "quote-selected" if index == selected_quote else "quote"
            text.stylize(styles[name], start, end)


def typeset_block(
    article: Article,
    index: int,
    width: int,
    styles: Styles,
    *,
    selected: bool = False,
    selected_quote: int | None = None,
) -> list[Line]:
    """Lines for block `index` at `width` cells.

    The number of lines depends only on the article and the width, never on the selection,
    so selecting a unit re-styles lines without moving anything.
    """
    block = article.blocks[index]
    if block.kind == "tweet":
        return _typeset_tweet(article, index, block, width, styles, selected, selected_quote)  # type: ignore[arg-type]
    if block.kind == "photo_caption":
        return _typeset_caption(article, index, block, width, styles, selected, selected_quote)  # type: ignore[arg-type]
    return _typeset_paragraph(article, index, block, width, styles, selected, selected_quote)  # type: ignore[arg-type]


def block_height(article: Article, index: int, width: int) -> int:
    """How many lines `typeset_block` gives block `index` at `width`, without building them.

    Lets the pane size a long article at once and typeset only the blocks that are shown;
    a test holds it equal to `len(typeset_block(...))`.
    """
    block = article.blocks[index]
    plain = _display(block.text)
    if block.kind == "tweet":
        inner = max(1, width - 4)
        tail = f"@{block.handle}"  # type: ignore[union-attr]
        if block.date is not None:  # type: ignore[union-attr]
            tail += f" · {format_date(block.date)}"  # type: ignore[union-attr]
        header = 1 if cell_len(block.author) + 1 + cell_len(tail) <= inner else 2  # type: ignore[union-attr]
        body = len(wrap_offsets(plain, inner)) if plain.strip() else 0
        return 1 + header + 1 + body + 1
    if block.kind == "photo_caption":
        inner = max(1, width - 3)
        body = len(wrap_offsets(plain, inner)) if plain.strip() else 0
        credit = "◩ " + (block.credit or "Photo")  # type: ignore[union-attr]
        return 1 + body + len(wrap_offsets(credit, inner)) + 1
    return len(wrap_offsets(plain, width))


def _typeset_paragraph(
    article: Article,
    index: int,
    block: Paragraph,
    width: int,
    styles: Styles,
    selected: bool,
    selected_quote: int | None,
) -> list[Line]:
    plain = _display(block.text)
    text = Text(plain, style=styles["boilerplate" if block.boilerplate else "text"])
    _stylize_quotes(text, article, index, styles, selected_quote)
    spans = wrap_offsets(plain, width)
    lines = []
    for span, line in zip(spans, _divide(text, spans), strict=True):
        if selected:
            line = _pad(line, width)
            line.stylize_before(styles["selected"])
        lines.append(Line(line, span, 0))
    return lines


def tweet_header(tweet: Tweet, width: int, styles: Styles) -> list[Text]:
    """`Display Name @handle · Jul 3, 2018` on one line, or on two when the card is narrow."""
    name = Text(tweet.author, style=styles["tweet-name"])
    tail = Text(f"@{tweet.handle}", style=styles["tweet-handle"])
    if tweet.date is not None:
        tail.append(f" · {format_date(tweet.date)}", style=styles["tweet-date"])
    if name.cell_len + 1 + tail.cell_len <= width:
        return [Text.assemble(name, " ", tail)]
    name.truncate(width, overflow="ellipsis")
    tail.truncate(width, overflow="ellipsis")
    return [name, tail]


def _typeset_tweet(
    article: Article,
    index: int,
    tweet: Tweet,
    width: int,
    styles: Styles,
    selected: bool,
    selected_quote: int | None,
) -> list[Line]:
    inner = max(1, width - 4)
    border = styles["tweet-border-selected" if selected else "tweet-border"]
    fill = styles["selected"] if selected else None

    def framed(content: Text, span: tuple[int, int] | None = None) -> Line:
        body = _pad(content, inner)
        if fill is not None:
            body.stylize_before(fill)
        line = Text.assemble(Text("│ ", style=border), body, Text(" │", style=border))
        return Line(line, span, 2)

    lines = [Line(Text("╭" + "─" * (width - 2) + "╮", style=border))]
    lines.extend(framed(part) for part in tweet_header(tweet, inner, styles))
    lines.append(framed(Text("")))
    plain = _display(tweet.text)
    text = Text(plain, style=styles["text"])
    for match in _ENTITY.finditer(plain):
        text.stylize(styles["tweet-entity"], match.start(), match.end())
    _stylize_quotes(text, article, index, styles, selected_quote)
    spans = wrap_offsets(plain, inner) if plain.strip() else []
    for span, line in zip(spans, _divide(text, spans), strict=True):
        lines.append(framed(line, span))
    lines.append(Line(Text("╰" + "─" * (width - 2) + "╯", style=border)))
    return lines


def _typeset_caption(
    article: Article,
    index: int,
    caption: PhotoCaption,
    width: int,
    styles: Styles,
    selected: bool,
    selected_quote: int | None,
) -> list[Line]:
    inner = max(1, width - 3)
    background = styles["selected"] if selected else styles["caption"]
    bar = Text("▍ ", style=styles["caption-bar"])

    def boxed(content: Text, span: tuple[int, int] | None = None) -> Line:
        line = Text.assemble(bar, _pad(content, inner), " ")
        line.stylize_before(background)
        return Line(line, span, 2)

    plain = _display(caption.text)
    text = Text(plain, style=styles["caption-text"])
    _stylize_quotes(text, article, index, styles, selected_quote)
    lines = [boxed(Text(""))]
    spans = wrap_offsets(plain, inner) if plain.strip() else []
    for span, line in zip(spans, _divide(text, spans), strict=True):
        lines.append(boxed(line, span))
    credit = Text("◩ " + (caption.credit or "Photo"), style=styles["caption-credit"])
    for line in _divide(credit, wrap_offsets(credit.plain, inner)):
        lines.append(boxed(line))
    lines.append(boxed(Text("")))
    return lines
