"""Properties: the Markdown, HTML, feed and JSON parsers never raise on arbitrary input and never
let a control character or escape sequence into the model."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.formats import PartialLoad
from reader.formats.feed import parse as parse_feed
from reader.formats.html import parse as parse_html
from reader.formats.jsonl import parse as parse_json
from reader.formats.markdown import parse as parse_markdown
from reader.model import Article

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Text biased towards the syntax each parser reacts to.
PIECES = st.sampled_from(
    [
        "---\n", "+++\n", "# ", "> ", "- ", "![a](b)\n", "**", "_", "`", "\\", "[x](y)", "\n\n",
        "<p>", "</p>", "<blockquote class=\"twitter-tweet\">", "</blockquote>", "<figure>",
        "<figcaption>", "&mdash;", "&amp;", "<script>", "<br>", "\x1b[31m", "\x1b]52;c;x\x07",
        "\u202e", "— A (@b) May 1, 2020", "(Photo: X / Y)", '{"title": "t", "text": "',
        '"}', "\n", "<rss><channel><item><title>", "</item>", "<feed><entry>", "</entry>",
        "title: x\n", "date: 2020-01-02\n",
    ]
)  # fmt: skip
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=30).map("".join)


def check(articles: list[Article]) -> None:
    for article in articles:
        for text in [article.title, *(b.text for b in article.blocks)]:
            assert not CONTROL.search(text), text
        for quote in article.quotes:
            assert 0 <= quote.block < len(article.blocks)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_markdown_never_raises(text: str) -> None:
    check(parse_markdown(text, "x.md"))


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_html_never_raises(text: str) -> None:
    check(parse_html(text, "x.html"))


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_feed_raises_only_value_error(text: str) -> None:
    try:
        check(parse_feed(text, "x.rss"))
    except ValueError:
        pass  # "no entries": reported by load_file as a LoadError


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_json_raises_only_value_error(text: str) -> None:
    try:
        check(parse_json(text, "x.jsonl"))
    except PartialLoad as partial:
        check(partial.articles)
    except ValueError:
        pass
