"""The one place hostile bytes are stopped: escape sequences, controls, bidi overrides."""

from __future__ import annotations

import pytest

from reader.sanitize import clean_line, clean_text, strip_controls

OSC52 = "\x1b]52;c;aGVsbG8=\x07"


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        (f"Title{OSC52} end", "Title end"),
        ("Title\x1b]52;c;aGVsbG8=\x1b\\ end", "Title end"),
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("\x9b31mred", "red"),
        ("bell\x07 nul\x00 del\x7f c1\x85", "bell nul del c1"),
        ("abc\u202edcba\u202c ok", "abcdcba ok"),
        ("isolate\u2066x\u2069", "isolatex"),
        ("\x1bcreset", "reset"),
        ("keep\ttab\nnewline", "keep\ttab\nnewline"),
    ],
)
def test_strip_controls_removes_terminal_sequences(dirty: str, clean: str) -> None:
    assert strip_controls(dirty) == clean


def test_unterminated_osc_does_not_swallow_the_rest_of_the_document() -> None:
    text = "Before \x1b]52;c;payload\nThe next paragraph survives."
    assert strip_controls(text) == "Before \nThe next paragraph survives."


def test_clean_text_normalises_line_endings_entities_and_nfc() -> None:
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("Tom &amp; Jerry &mdash; live") == "Tom & Jerry \u2014 live"
    assert clean_text("Cafe\u0301") == "Caf\u00e9"
    # An entity that decodes to a control character is stripped too.
    assert clean_text("x&#27;[31my") == "x[31my"
    assert "\x1b" not in clean_text("x&#27;]52;c;aGk=&#7;y")


def test_markup_is_left_as_literal_text() -> None:
    # Markup is not ours to interpret: the core keeps it verbatim, the UI renders it as text.
    markup = "[bold]Loud[/bold] [@click=app.quit]x[/]"
    assert clean_line(markup) == markup


def test_clean_line_folds_whitespace() -> None:
    assert clean_line("  A\u00a0title\n  on\ttwo lines ") == "A title on two lines"


def test_control_check_agrees_with_the_regex_for_every_character() -> None:
    from reader.sanitize import _CONTROL, _has_controls

    for cp in range(0x110000):
        text = f"a{chr(cp)}\n"
        assert _has_controls(text) == (_CONTROL.search(text) is not None), hex(cp)
    assert not _has_controls("plain\ttext\n“curly” — 🌊")
    assert _has_controls("x\ud800y\u202e")  # a lone surrogate does not hide what follows
