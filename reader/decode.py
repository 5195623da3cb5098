"""Turning a file's bytes into text, or refusing it with a one-line reason.

Scraped articles are usually UTF-8, but arrive with BOMs, in UTF-16, or with a few invalid
bytes. Invalid UTF-8 is never a reason to refuse a file: the bad bytes become U+FFFD and the
rest of the article is still readable. Binary files (images, archives, executables that ended up
in a library folder) and empty files are refused, because parsing them only produces noise.
"""

from __future__ import annotations

import codecs

from reader.sanitize import PLAIN_BYTES

# How much of a file the binary check looks at: enough to be sure, cheap for a 50 MB file.
_SNIFF_BYTES = 64 * 1024

# C0 controls that never appear in text files. Tab, LF, VT, FF, CR and ESC are excluded:
# ESC shows up in hostile or terminal-captured text, which is text (the sanitiser cleans it).
_BINARY_CONTROLS = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
_BINARY_CONTROL_BYTES = bytes(sorted(_BINARY_CONTROLS))

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class DecodeError(ValueError):
    """The bytes are not an article's text; `reason` is a short phrase such as "binary file"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sniff_bom(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces and the BOM's length, or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control bytes in its first 64 KiB.

    A single stray NUL in an otherwise normal article is tolerated (scrapes do contain them);
    real binary formats have NULs every few hundred bytes or control bytes everywhere.
    """
    sample = data[:_SNIFF_BYTES]
    return _binary_sample(sample, sample)


def _binary_sample(sample: bytes, with_controls: bytes) -> bool:
    """`looks_binary(sample)`, given `sample` or a copy of it without some of its other bytes
    (every control byte kept): its unusual bytes, short, are counted faster."""
    if not sample:
        return False
    # (`in` runs memchr, several times cheaper than `count`, and text files have no NUL.)
    nuls = sample.count(0) if 0 in sample else 0
    if nuls > max(1, len(sample) // 1000):
        return True
    # bytes.translate deletes the control bytes in C: a Python loop here cost more than parsing
    # for a library of small files.
    controls = len(with_controls) - len(with_controls.translate(None, _BINARY_CONTROL_BYTES))
    return controls * 20 > len(sample)  # more than 5% control bytes


def decode_bytes(data: bytes) -> str:
    """Decode a file's bytes to text, honouring BOMs and replacing invalid UTF-8.

    Raises DecodeError("empty file") for files with no visible text and
    DecodeError("binary file") for data that is not text.
    """
    return decode_bytes_utf8(data)[0]


def decode_bytes_utf8(data: bytes) -> tuple[str, tuple[bytes, str] | None]:
    """`decode_bytes(data)`, with the text's `reader.sanitize.utf8_unusual` when it comes for
    free: when `data` is valid UTF-8 without a BOM, it is the text's UTF-8 (strict decoding
    and encoding are inverses), and its unusual bytes, needed for the binary check anyway,
    are the text's unusual characters: the parser need not encode the text again, nor look
    for them (on 2,000 generated articles, most with a dash: -7% of the instructions loading
    them took). None otherwise.
    """
    # `isspace()`, not `strip()`: the same test without copying the file (it stops at the first
    # visible character; a strip copies, and for text scans the copy again for its widest
    # character: 5 of the 8 microseconds decoding a 3 KB article took).
    if not data or data.isspace():
        raise DecodeError("empty file")
    bom = sniff_bom(data)
    utf8: tuple[bytes, str] | None = None
    if bom is not None:
        encoding, skip = bom
        # A BOM is a strong statement: UTF-16 is full of NULs, so it skips the binary check.
        text = data[skip:].decode(encoding, errors="replace")
    else:
        # The bytes other than newline and printable ASCII (every control byte is one), when
        # the binary check looks at the whole file.
        unusual = data.translate(None, PLAIN_BYTES) if len(data) <= _SNIFF_BYTES else None
        if looks_binary(data) if unusual is None else _binary_sample(data, unusual):
            raise DecodeError("binary file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
        else:
            if unusual is None:
                unusual = data.translate(None, PLAIN_BYTES)
            # (UTF-8 never puts an ASCII byte inside a longer sequence: valid UTF-8 still.)
            utf8 = (data, unusual.decode("utf-8") if unusual else "")
    if not text or text.isspace():
        raise DecodeError("empty file")
    return text, utf8
