"""`content_id` must never change: the fast normalisation equals the plain formula."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.model import _ID_ODD_SPACE, _id_bytes, _id_text, content_id, content_id_utf8
from reader.sanitize import utf8_unusual


def reference(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def test_odd_space_list_is_every_white_space_nfkc_keeps() -> None:
    kept = {
        c
        for c in map(chr, range(sys.maxunicode + 1))
        if c.isspace() and c not in " \n" and unicodedata.normalize("NFKC", c) == c
    }
    assert kept == set(_ID_ODD_SPACE)


def test_normalisation_never_makes_white_space_or_line_breaks() -> None:
    # The per-line shortcut relies on it: only a white space character normalises to one.
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or c.isspace():
            continue
        out = unicodedata.normalize("NFKC", c).casefold()
        assert not any(ch.isspace() and ch != " " for ch in out), hex(cp)


TRICKY = [
    "\n",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "\u2028",
    "\x85",
    "\u3000",
    "\u0301",  # combining acute: composes with what precedes it
    "e",
    "\u1100",
    "\u1161",
    "\u11a8",  # Hangul jamo compose across characters
    "ß",
    "İ",
    "Σ",
    "ﬁ",
    "\u00a8",  # NFKC: space + combining diaeresis
    "①",
    "Å",
    "A",
    "a",
    "\u2014",
    "é",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(TRICKY) | st.text(max_size=3), max_size=40))
def test_id_text_equals_reference(parts: list[str]) -> None:
    text = "".join(parts)
    assert _id_text(text) == reference(text)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(TRICKY) | st.text(max_size=3), max_size=40))
def test_id_bytes_equals_reference(parts: list[str]) -> None:
    text = "".join(parts)
    try:
        expected = reference(text).encode("utf-8")
    except UnicodeEncodeError:
        return
    assert _id_bytes(text, *utf8_unusual(text)) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30))
def test_content_id_utf8_of_a_suffix(head: str, body: str) -> None:
    text = head + body
    try:
        expected = content_id(body)
    except UnicodeEncodeError:
        return
    assert content_id_utf8(text, *utf8_unusual(text), len(head)) == expected
