"""Sanitising text once, in the core, before anything reaches a model object or a widget.

Article text, titles, names, credits and file names are data. Terminal control sequences
(ESC/CSI/OSC/DCS...), C0 and C1 control characters, DEL and bidi overrides must never reach the
terminal, so they are removed here and nowhere else needs to care.
"""

from __future__ import annotations

import html
import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC / DCS / SOS / PM / APC (ESC ] ... BEL or ST),
# and two-character escapes (ESC + one char). Their 8-bit C1 forms are handled the same way.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?             # CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])      # OSC, DCS, SOS, PM, APC ...
      [^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?      # ... up to BEL or ST (never past a line)
    | \x1b[ -/]*[0-~]?                            # other ESC sequences (ESC c, ESC ( B ...)
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 except tab and newline, DEL, C1; bidi embeddings, overrides and isolates; BOM; annotations.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


# Newline and printable ASCII: no `_CONTROL` character is among them. (Tab is unusual: not a
# control, but odd white space to `reader.model.content_id`.)
PLAIN_BYTES = bytes([10, *range(32, 127)])


def utf8_unusual(text: str) -> tuple[bytes, str]:
    """The UTF-8 of `text` (lone surrogates passed through), and its characters other than
    newline and printable ASCII, in order.

    Encoding and deleting bytes run at memory speed (UTF-8 never puts an ASCII byte inside a
    longer sequence), so checks that only care about the unusual characters run on them instead
    of on every character of the text.
    """
    data = text.encode("utf-8", "surrogatepass")
    rest = data.translate(None, PLAIN_BYTES)
    return data, rest.decode("utf-8", "surrogatepass") if rest else ""


def _has_controls(text: str) -> bool:
    """`_CONTROL.search(text) is not None`, about four times faster (see `utf8_unusual`)."""
    rest = utf8_unusual(text)[1]
    return bool(rest) and _CONTROL.search(rest) is not None


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences, control characters and bidi overrides.

    Newlines and tabs are kept. CR is removed here, so callers that care about line
    structure normalise line endings first (see `clean_text`).
    """
    # Every escape sequence starts with a character `_CONTROL` matches: text without any (nearly
    # all text) is returned after one fast scan instead of two substitutions.
    if not text or not _has_controls(text):
        return text
    return _remove_controls(text)


def _remove_controls(text: str) -> str:
    """The substitutions of `strip_controls`, for text known to hold a control character."""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def unix_newlines(text: str) -> str:
    """CRLF and lone CR as "\n" (one scan when there is no CR, which is nearly always)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def clean_text(text: str, *, unescape_entities: bool = True) -> str:
    """Normalise a whole document: line endings, HTML entities, NFC, then `strip_controls`."""
    return clean_text_utf8(text, unescape_entities=unescape_entities)[0]


def clean_text_utf8(
    text: str, *, unescape_entities: bool = True, utf8: tuple[bytes, str] | None = None
) -> tuple[str, bytes, str]:
    """`clean_text(text)`, with its `utf8_unusual` (computed on the way) for the caller.

    `utf8`: `utf8_unusual(text)` if the caller has it (`reader.decode.decode_bytes_utf8`), used
    unless line endings or entities change the text.
    """
    if "\r" in text or (unescape_entities and "&" in text):
        utf8 = None
        text = unix_newlines(text)
        if unescape_entities and "&" in text:
            text = unix_newlines(html.unescape(text))
    data, rest = utf8 if utf8 is not None else utf8_unusual(text)
    # NFC's quick check looks at each character's own properties and at the order of adjacent
    # combining marks. ASCII always passes it (combining class 0, composes with nothing before
    # it), so when the unusual characters alone pass it (normalize then returns its argument
    # itself, not a copy) the text does too and NFC would return it unchanged.
    if rest and unicodedata.normalize("NFC", rest) is not rest:
        text = unicodedata.normalize("NFC", text)
        data, rest = utf8_unusual(text)
    if rest and _CONTROL.search(rest) is not None:
        text = _remove_controls(text)
        data, rest = utf8_unusual(text)
    return text, data, rest


def clean_line(text: str) -> str:
    """Sanitise a one-line field (title, name, credit, file name): no newlines, single spaces."""
    text = clean_text(text)
    return _SPACES.sub(" ", text.replace("\n", " ").replace("\t", " ")).strip()


def collapse_spaces(text: str) -> str:
    """Fold runs of horizontal white space (NBSP included) into one space."""
    return _SPACES.sub(" ", text)
