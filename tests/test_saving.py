"""Turning units of an article into SavedQuotes, and splitting paragraphs into sentences."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.model import Article, Paragraph, PhotoCaption, Quote, Tweet
from reader.saving import (
    CONTEXT_CHARS,
    SavedQuote,
    find_in_article,
    normalize_tags,
    quote_for_block,
    quote_for_sentences,
    quote_for_span,
    quote_for_speech,
    quote_for_unit,
    sentence_span,
    split_sentences,
)

SPEECH = '"We were not consulted," the mayor said. "Nobody asked us."'


def article() -> Article:
    blocks = (
        Paragraph("The harbour flooded on Tuesday. Dr. Lee counted the boats. It rained."),
        Tweet(
            "Water everywhere on the quay #flood https://t.co/abc",
            "Port Watch (she/her)",
            "port_watch",
            dt.date(2023, 4, 10),
            ("https://t.co/abc",),
        ),
        PhotoCaption("Boats on the flooded quay.", "Ana Ruiz / Invented Press"),
        Paragraph(SPEECH),
        Paragraph("A closing paragraph."),
    )
    start = SPEECH.index("Nobody")
    quotes = (Quote("Nobody asked us.", "the mayor", 3, start, start + 16),)
    return Article(
        id="a1b2",
        source="/news/harbour.txt",
        title="The harbour floods",
        blocks=blocks,
        quotes=quotes,
        date=dt.date(2023, 4, 11),
        url="https://example.org/harbour",
    )


def test_a_tweet_keeps_its_attribution() -> None:
    q = quote_for_block(article(), 1, created="2026-01-01T00:00:00Z")
    assert q.kind == "tweet"
    assert q.text == "Water everywhere on the quay #flood https://t.co/abc"
    assert (q.speaker, q.handle, q.date) == ("Port Watch (she/her)", "port_watch", "2023-04-10")
    assert q.url == "https://twitter.com/port_watch"
    assert (q.article_id, q.article_title, q.article_source) == (
        "a1b2",
        "The harbour floods",
        "/news/harbour.txt",
    )
    assert (q.article_date, q.article_url) == ("2023-04-11", "https://example.org/harbour")
    assert (q.block, q.start, q.end) == (1, 0, len(article().blocks[1].text))
    assert q.created == "2026-01-01T00:00:00Z"
    assert q.attribution == "Port Watch (she/her) (@port_watch), 2023-04-10"


def test_a_caption_is_credited() -> None:
    q = quote_for_block(article(), 2)
    assert q.kind == "caption" and q.text == "Boats on the flooded quay."
    assert q.speaker == "Ana Ruiz / Invented Press" and q.handle is None


def test_a_paragraph_has_context_on_both_sides() -> None:
    q = quote_for_block(article(), 2)
    assert q.context_before.endswith("#flood https://t.co/abc")
    assert q.context_after.startswith('"We were not consulted,"')
    first = quote_for_block(article(), 0)
    assert first.kind == "paragraph" and first.context_before == ""
    assert first.url == "https://example.org/harbour"


def test_context_is_bounded() -> None:
    long = Article(
        "x", "s", "t", (Paragraph("word " * 500), Paragraph("mid"), Paragraph("z " * 500))
    )
    q = quote_for_block(long, 1)
    assert 0 < len(q.context_before) <= CONTEXT_CHARS and 0 < len(q.context_after) <= CONTEXT_CHARS


def test_quoted_speech_has_its_speaker_and_offsets() -> None:
    a = article()
    q = quote_for_speech(a, a.quotes[0])
    assert (q.kind, q.text, q.speaker) == ("quote", "Nobody asked us.", "the mayor")
    start = SPEECH.index("Nobody")
    assert (q.block, q.start, q.end) == (3, start, start + 16)
    assert q.context_before.endswith('the mayor said. "')
    assert q.context_after == '" A closing paragraph.'
    via_unit = quote_for_unit(a, a.quotes[0])
    assert replace(via_unit, created=q.created) == q


def test_quote_for_unit_dispatches_on_blocks() -> None:
    a = article()
    assert quote_for_unit(a, a.blocks[1]).kind == "tweet"
    assert quote_for_unit(a, a.blocks[4], block_index=4).kind == "paragraph"


def test_a_sentence_range() -> None:
    a = article()
    q = quote_for_sentences(a, 0, 1, 2)
    assert q.kind == "sentence"
    assert q.text == "Dr. Lee counted the boats. It rained."
    assert a.blocks[0].text[q.start : q.end] == q.text
    assert q.context_before == "The harbour flooded on Tuesday."


def test_a_span_of_a_tweet_keeps_the_tweet_attribution() -> None:
    q = quote_for_span(article(), 1, 0, 14)
    assert (q.kind, q.text, q.handle) == ("sentence", "Water everywhe", "port_watch")


def test_the_same_unit_has_the_same_key_and_others_differ() -> None:
    a = article()
    assert quote_for_block(a, 0).key == quote_for_block(a, 0).key
    keys = {
        quote_for_block(a, 0).key,
        quote_for_block(a, 1).key,
        quote_for_sentences(a, 0, 0, 0).key,
        quote_for_sentences(a, 0, 0, 1).key,
        quote_for_speech(a, a.quotes[0]).key,
    }
    assert len(keys) == 5


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two! Three?", ["One.", "Two!", "Three?"]),
        ("Mr. Smith met Dr. Jones. They spoke.", ["Mr. Smith met Dr. Jones.", "They spoke."]),
        ("J. R. R. Tolkien wrote it. Then.", ["J. R. R. Tolkien wrote it.", "Then."]),
        ('He said "no." Then left.', ['He said "no."', "Then left."]),
        ("The U.S. Army came. It left.", ["The U.S. Army came.", "It left."]),
        ("A 3.5 percent rise. Next.", ["A 3.5 percent rise.", "Next."]),
        ("e.g. lower case does not split. Ok", ["e.g. lower case does not split.", "Ok"]),
        ("Line one\nLine two", ["Line one", "Line two"]),
        ("Wait… What?! Yes.", ["Wait…", "What?!", "Yes."]),
        ("  padded.  ", ["padded."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == sentences


def test_sentence_span_clamps() -> None:
    text = "One. Two. Three."
    assert sentence_span(text, 1, 1) == (5, 9)
    assert sentence_span(text, -3, 99) == (0, len(text))
    assert sentence_span("", 0, 0) == (0, 0)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_sentences_cover_every_non_space_character_in_order(text: str) -> None:
    spans = split_sentences(text)
    covered = "".join(text[a:b] for a, b in spans)
    assert "".join(covered.split()) == "".join(text.split())
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))


def test_normalize_tags() -> None:
    assert normalize_tags("climate, #ports  climate,,") == ("climate", "ports")
    assert normalize_tags(["a", " b ", "#a"]) == ("a", "b")
    assert normalize_tags("") == ()


def test_matches_is_case_insensitive_over_the_useful_fields() -> None:
    q = SavedQuote(
        kind="tweet",
        text="Rain",
        article_id="a",
        article_title="Marseille",
        note="N",
        speaker="Ada",
        handle="ada_x",
        tags=("Ports",),
    )
    for needle in ("rain", "MARSEILLE", "n", "ada_x", "ports", ""):
        assert q.matches(needle), needle
    assert not q.matches("snow")


def test_find_in_article_at_the_saved_position() -> None:
    a = article()
    for q in (
        quote_for_block(a, 1),
        quote_for_speech(a, a.quotes[0]),
        quote_for_sentences(a, 0, 1, 1),
    ):
        assert find_in_article(a, q) == (q.block, q.start, q.end)


def test_find_in_article_after_the_file_changed() -> None:
    a = article()
    saved = quote_for_speech(a, a.quotes[0])
    # A paragraph added on top and a line break inside the quote: found in its new place.
    changed = replace(
        a,
        blocks=(
            Paragraph("An editor's note added later."),
            *a.blocks[:3],
            Paragraph(SPEECH.replace("Nobody asked", "Nobody\nasked")),
            *a.blocks[4:],
        ),
    )
    block, start, end = find_in_article(changed, saved)  # type: ignore[misc]
    assert block == 4 and changed.blocks[4].text[start:end] == "Nobody\nasked us."


def test_find_in_article_uses_context_to_choose_between_repeats() -> None:
    first = "Storm warning. Nobody asked us. Later the rain came."
    second = "Council vote. Nobody asked us. The mayor left."
    a = Article("x", "s", "t", (Paragraph(first), Paragraph(second)))
    start = second.index("Nobody")
    saved = quote_for_span(a, 1, start, start + len("Nobody asked us."))
    # Both copies now sit one block away from the saved position: only context tells.
    moved = replace(a, blocks=(Paragraph(first), Paragraph("Filler."), Paragraph(second)))
    assert find_in_article(moved, saved) == (2, start, start + len("Nobody asked us."))


def test_find_in_article_gives_up_when_the_text_is_gone() -> None:
    a = article()
    saved = quote_for_block(a, 2)
    assert find_in_article(replace(a, blocks=a.blocks[:2]), saved) is None
