"""Bytes to text: BOMs honoured, invalid UTF-8 tolerated, binary and empty files refused."""

from __future__ import annotations

import codecs
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.decode import DecodeError, decode_bytes, decode_bytes_utf8, looks_binary, sniff_bom
from reader.sanitize import clean_text_utf8, utf8_unusual

TEXT = "Storm Elin — gusts of 141\u00a0km/h at Pelham Point. 🌊 Café"


def test_plain_utf8_round_trips() -> None:
    assert decode_bytes(TEXT.encode("utf-8")) == TEXT


def test_utf8_bom_is_removed() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8")) == TEXT


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_with_bom_are_honoured(encoding: str) -> None:
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[encoding]
    data = bom + TEXT.encode(encoding)
    assert sniff_bom(data) == (encoding, len(bom))
    # UTF-16 is full of NUL bytes: the BOM must win over the binary check.
    assert decode_bytes(data) == TEXT


def test_invalid_utf8_is_replaced_not_refused() -> None:
    data = b"Caf\xe9 au lait \xff\xfe\xfd and \xc3\xa9 still fine"
    text = decode_bytes(data)
    assert text.startswith("Caf\ufffd au lait")
    assert text.endswith("and \u00e9 still fine")


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t  ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_empty_files_are_refused(data: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.reason == "empty file"


def test_utf16_bom_with_only_spaces_is_empty() -> None:
    with pytest.raises(DecodeError, match="empty file"):
        decode_bytes(codecs.BOM_UTF16_LE + "   \n".encode("utf-16-le"))


def test_binary_files_are_refused() -> None:
    rng = random.Random(4)
    noise = bytes(rng.randrange(256) for _ in range(4000))
    png_like = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise
    with pytest.raises(DecodeError) as info:
        decode_bytes(png_like)
    assert info.value.reason == "binary file"


def test_control_heavy_data_without_nuls_is_binary() -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 0x41, 0x42] * 200)
    assert looks_binary(data)


def test_a_stray_nul_in_an_article_is_tolerated() -> None:
    article = ("A long paragraph of ordinary article text. " * 40).encode()
    data = article + b"\x00" + article
    assert not looks_binary(data)
    assert "ordinary article text" in decode_bytes(data)


def test_escape_sequences_are_text_not_binary() -> None:
    # Hostile articles carry ESC sequences; the sanitiser removes them later, decoding keeps them.
    data = b"Red \x1b[31mtext\x1b[0m and a clipboard grab \x1b]52;c;aGk=\x07 in prose. " * 5
    assert "\x1b[31m" in decode_bytes(data)


def test_utf16_without_bom_is_treated_as_binary() -> None:
    # No BOM means no promise of UTF-16; its NULs make it look binary, which is the safe answer.
    assert looks_binary(("Hello world, this is text. " * 20).encode("utf-16-le"))


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_decode_or_get_a_reason(data: bytes) -> None:
    # Whatever a library folder holds, decoding gives text or one of two reasons, nothing else.
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        assert exc.reason in {"empty file", "binary file"}
    else:
        assert text.strip()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", min_codepoint=0x20), max_size=500))
def test_utf8_text_round_trips(text: str) -> None:
    # Any printable text, in any script, comes back unchanged (a leading BOM is the one thing
    # dropped on purpose); whitespace-only text is "empty".
    expected = text.removeprefix("\ufeff")
    if not expected.strip():
        with pytest.raises(DecodeError, match="empty file"):
            decode_bytes(text.encode("utf-8"))
        return
    assert decode_bytes(text.encode("utf-8")) == expected


_PIECES = [
    "a",
    " ",
    "\n",
    "\r\n",
    "\r",
    "&amp;",
    "&#27;",
    "—",
    "é",
    "e\u0301",
    "\t",
    "\x00",
    "\x01",
    "\x1b[1m",
    "\x85",
    "\u202e",
    "🌊",
    "\ufeff",
]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=40),
    st.sampled_from([b"", b"\xff", b"\xed\xa0\x80", codecs.BOM_UTF8]),
)
def test_decoding_hands_on_the_text_utf8_only_when_it_is_the_files(
    pieces: list[str], extra: bytes
) -> None:
    # The UTF-8 and unusual characters decoding passes to the parser are exactly what it would
    # compute from the text (none for a BOM or invalid UTF-8), and sanitising with them gives
    # what it gives without (line endings and entities change the text: they are not used).
    data = "".join(pieces).encode("utf-8")
    data = extra + data if extra == codecs.BOM_UTF8 else data + extra
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        with pytest.raises(DecodeError, match=exc.reason):
            decode_bytes_utf8(data)
        return
    same, utf8 = decode_bytes_utf8(data)
    assert same == text
    valid_without_bom = extra == b"" and not data.startswith(codecs.BOM_UTF8)
    assert utf8 == (utf8_unusual(text) if valid_without_bom else None)
    for unescape in (True, False):
        assert clean_text_utf8(text, unescape_entities=unescape, utf8=utf8) == clean_text_utf8(
            text, unescape_entities=unescape
        )
