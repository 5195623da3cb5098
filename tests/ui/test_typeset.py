"""Typesetting: line counts known ahead, wrapping offsets, units in reading order."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style

from reader.model import Article, Paragraph, PhotoCaption, Quote, Tweet
from reader.sanitize import clean_line
from reader.ui.styling import STYLE_NAMES
from reader.ui.typeset import Unit, article_units, block_height, typeset_block, wrap_offsets

from .conftest import read_fixture

STYLES = {name: Style() for name in STYLE_NAMES}
WIDTHS = (1, 5, 12, 31, 58, 80)

text = st.lists(
    st.sampled_from(list("abc deé\n🌱字#@—") + ["https://t.co/x", "  ", "\t"]), max_size=120
).map("".join)


def check_heights(article: Article) -> None:
    for width in WIDTHS:
        for index in range(len(article.blocks)):
            lines = typeset_block(article, index, width, STYLES)
            assert block_height(article, index, width) == len(lines), (index, width)


def test_heights_match_typesetting_for_the_fixtures() -> None:
    for article in read_fixture("library.jsonl") + read_fixture("hostile.jsonl"):
        check_heights(article)


@settings(max_examples=150, deadline=None)
@given(
    body=text,
    author=st.text(min_size=1, max_size=40),
    credit=st.text(max_size=40),
    dated=st.booleans(),
)
def test_heights_match_typesetting_for_any_text(
    body: str, author: str, credit: str, dated: bool
) -> None:
    date = dt.date(2018, 7, 3) if dated else None
    author, credit = clean_line(author) or "x", clean_line(credit)  # as the core hands them over
    article = Article(
        id="x",
        source="x.txt",
        title="t",
        blocks=(Paragraph(body), Tweet(body, author, "handle_1", date), PhotoCaption(body, credit)),
    )
    check_heights(article)


@settings(max_examples=200, deadline=None)
@given(body=text, width=st.integers(min_value=1, max_value=90))
def test_wrapped_lines_fit_and_keep_every_word(body: str, width: int) -> None:
    from rich.cells import cell_len

    spans = wrap_offsets(body, width)
    for start, end in spans:
        assert cell_len(body[start:end]) <= max(width, 2)  # a wide char alone may overflow 1
    shown = "".join(body[start:end] for start, end in spans)
    assert "".join(body.split()) == "".join(shown.split())


def test_units_follow_reading_order_with_quotes_after_their_block() -> None:
    article = Article(
        id="x",
        source="x.txt",
        title="t",
        blocks=(Paragraph('"One," she said. "Two."'), Tweet("hi", "A", "a", None)),
        quotes=(Quote("Two.", None, 0, 18, 22), Quote("One,", "she", 0, 1, 5)),
    )
    assert article_units(article) == [
        Unit("paragraph", 0),
        Unit("quote", 0, 1),
        Unit("quote", 0, 0),
        Unit("tweet", 1),
    ]


def test_short_path_is_relative_or_from_home(tmp_path, monkeypatch) -> None:
    import os

    from reader.ui.typeset import short_path

    monkeypatch.chdir(tmp_path)
    assert short_path(str(tmp_path / "a" / "b.txt")) == os.path.join("a", "b.txt")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert short_path(str(tmp_path / "home" / "news.txt")) == "~/news.txt"
    assert short_path("/elsewhere/x.txt") == "/elsewhere/x.txt"
    assert short_path("rel/x.txt") == "rel/x.txt"
