"""The tweet-start shortcut (`_quick_start`) decides exactly as the general scorer would.

`_tweet_start` first tries `_quick_start`, which settles the common case (the signature's line a
plain short line, and nothing before it that could join it) without building candidate units.
It mirrors the first steps of `_units_before` and `_tweet_start`; if the two ever drift apart,
tweets would start in different places depending on which path ran. Here every input is parsed
twice, once with the shortcut switched off, and the blocks must be identical.
"""

from __future__ import annotations

from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.formats import scraped

_SIGNATURE = "— Harbour Watch (@harbourwatch) March 3, 2021"
# Pieces the shortcut looks at: short and long lines, colons, blank-looking lines, glued text,
# reporting verbs, quotes, links, hashtags, NBSP, and signatures in every position.
_PIECES = st.sampled_from(
    [
        "Ferries are back on the morning timetable.",
        "The council said in a statement: ",
        "Crews were out all night 🌊 #storm",
        "pic.twitter.com/AbC123xyz",
        "https://t.co/Xy12Ab",
        '"Roads are closed until noon," the mayor said.',
        "The harbour master wrote on Twitter:",
        "We are open again!",
        "Read more",
        "x" * 150,
        "Long prose about the harbour, the ferry and the weather. " * 6,
        "It was late.Then the ferry left.Nobody waited.",
        "10h24 : update",
        " ",
        "\u00a0",
        ":",
        "\n",
        "\n\n",
        "\n\n\n\n",
        " \n \n",
        _SIGNATURE,
        " " + _SIGNATURE,
        "\n" + _SIGNATURE,
        "\n\n" + _SIGNATURE,
    ]
)
_TEXTS = st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=14).map("".join)


def _without_shortcut(text: str) -> tuple[scraped.Block, ...]:
    with mock.patch.object(scraped, "_quick_start", lambda *args: -1):
        return scraped.split_blocks(text)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXTS)
def test_the_shortcut_decides_as_the_scorer_does(text: str) -> None:
    assert scraped.split_blocks(text) == _without_shortcut(text)


def test_the_shortcut_is_taken_and_can_fail() -> None:
    """The property above compares two paths only if both run: the shortcut settles a plain
    tweet, and declines a line that the line before it could join."""
    calls: list[int] = []
    real = scraped._quick_start

    def spy(*args: object) -> int:
        result = real(*args)  # type: ignore[arg-type]
        calls.append(result)
        return result

    with mock.patch.object(scraped, "_quick_start", spy):
        scraped.split_blocks("Long prose. " * 40 + "\n\nFerries are back.\n" + _SIGNATURE)
        scraped.split_blocks("Crews out all night.\nWe are open again!\n" + _SIGNATURE)
    assert calls[0] >= 0 and calls[1] == -1
