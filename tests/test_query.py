"""reader.query: where a query first matches a text (what snippets are cut around)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.query import Query, _matcher, first_match, make_snippet, parse_query


def regex_first(text: str, q: Query) -> int | None:
    """The reference: one case-insensitive regex over the text."""
    m = _matcher(q.words, q.prefix).search(text)
    return m.start() if m else None


@given(
    text=st.text(alphabet="abcAB1 _-.\n", max_size=60),
    words=st.lists(st.text(alphabet="abc1", min_size=1, max_size=3), min_size=1, max_size=3),
    prefix=st.booleans(),
)
def test_the_ascii_fast_path_agrees_with_the_regex(
    text: str, words: list[str], prefix: bool
) -> None:
    q = Query(groups=tuple((w,) for w in words), prefix=prefix)
    assert first_match(text, q) == regex_first(text, q)


def test_first_match_respects_word_boundaries() -> None:
    q = parse_query("boat")  # a prefix while typing
    assert first_match("Steamboat, then BOATS", q) == 16
    finished = parse_query("boat ")
    assert first_match("boats, a_boat, boat", finished) == 9  # "_" separates words
    assert first_match("boats", finished) is None
    assert first_match("Ünïcode boat", q) == 8  # non-ASCII text takes the regex


def test_a_snippet_is_cut_around_the_first_match() -> None:
    text = "filler " * 60 + "The Lighthouse reopens today. " + "more " * 60
    snippet = make_snippet(text, parse_query("lighth"), width=60)
    assert "Lighthouse reopens" in snippet and snippet.startswith("…")
