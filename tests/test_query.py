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


def reference_snippet(text: str, q: Query, width: int) -> str:
    """make_snippet as first written: the excerpt's match searched for in the flattened window
    with its "… " marks (the regex path, whatever the text)."""
    at = regex_first(text, q)
    lo = max(0, (at or 0) - 2 * width)
    hi = (at or 0) + 3 * width
    flat = ("… " if lo > 0 else "") + " ".join(text[lo:hi].split())
    flat += " …" if hi < len(text) else ""
    if len(flat) <= width:
        return flat.replace("… ", "…").replace(" …", "…")
    at = regex_first(flat, q)
    start = max(0, at - width // 3) if at is not None else 0
    if start > 0:
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    excerpt = flat[start:end].removeprefix("… ").removesuffix(" …").strip()
    return ("…" if start > 0 or lo > 0 else "") + excerpt + ("…" if end < len(flat) else "")


@given(
    text=st.text(alphabet="ab AB\n.é", max_size=200),
    words=st.lists(st.text(alphabet="abé", min_size=1, max_size=2), min_size=1, max_size=2),
    prefix=st.booleans(),
    width=st.integers(min_value=4, max_value=40),
)
def test_snippets_are_the_same_as_before_the_fast_paths(
    text: str, words: list[str], prefix: bool, width: int
) -> None:
    q = Query(groups=tuple((w,) for w in words), prefix=prefix)
    assert make_snippet(text, q, width=width) == reference_snippet(text, q, width)
