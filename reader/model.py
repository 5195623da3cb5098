"""The article model: what every input format produces and everything else consumes.

Pure data, no I/O and no textual. Text in these objects is already sanitised (see
`reader.sanitize`); presentation code may trust that it carries no control sequences, but must
still never treat it as markup.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeAlias

from reader.sanitize import utf8_unusual

BlockKind = Literal["paragraph", "tweet", "photo_caption"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of prose. `boilerplate` marks obvious site promos the UI may dim."""

    text: str
    boilerplate: bool = False
    kind: ClassVar[BlockKind] = "paragraph"

    def __init__(self, text: str, boilerplate: bool = False) -> None:
        _set_paragraph_text(self, text)
        _set_paragraph_boilerplate(self, boilerplate)

    def to_dict(self) -> dict[str, Any]:
        # The kinds as literals (the same interned strings as `kind`): `self.kind` is a class
        # attribute read through the instance, a generic lookup that 3.11 does not specialise
        # (with the tweet's inlined `account_url`, 0.4% of `prepare_article`'s instructions).
        data: dict[str, Any] = {"kind": "paragraph", "text": self.text}
        if self.boilerplate:
            data["boilerplate"] = True
        return data


# A tweet's account page is this and the handle.
_ACCOUNT_URL = "https://twitter.com/"


@dataclass(frozen=True, slots=True)
class Tweet:
    """An embedded tweet found again in flattened text.

    `text` is everything before the signature, links included; `links` lists the t.co and
    pic.twitter.com links found in it, in order.
    """

    text: str
    author: str
    handle: str
    date: _dt.date | None
    links: tuple[str, ...] = ()
    kind: ClassVar[BlockKind] = "tweet"

    def __init__(
        self,
        text: str,
        author: str,
        handle: str,
        date: _dt.date | None,
        links: tuple[str, ...] = (),
    ) -> None:
        _set_tweet_text(self, text)
        _set_tweet_author(self, author)
        _set_tweet_handle(self, handle)
        _set_tweet_date(self, date)
        _set_tweet_links(self, links)

    @property
    def account_url(self) -> str:
        return _ACCOUNT_URL + self.handle

    @property
    def url(self) -> str:
        """The best link to the tweet we have: its account (status ids do not survive scraping)."""
        return self.account_url

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "tweet",
            "text": self.text,
            "author": self.author,
            "handle": self.handle,
            "date": self.date.isoformat() if self.date else None,
            "links": list(self.links),
            "url": _ACCOUNT_URL + self.handle,  # `account_url`, without the property call
        }


@dataclass(frozen=True, slots=True)
class PhotoCaption:
    """A photo's caption with its credit kept apart (`credit` may be "" for an uncredited one)."""

    text: str
    credit: str
    kind: ClassVar[BlockKind] = "photo_caption"

    def __init__(self, text: str, credit: str) -> None:
        _set_caption_text(self, text)
        _set_caption_credit(self, credit)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "photo_caption", "text": self.text, "credit": self.credit}


Block: TypeAlias = Paragraph | Tweet | PhotoCaption


@dataclass(frozen=True, slots=True)
class Quote:
    """Quoted speech inside a block: `block` indexes `Article.blocks`, `start:end` its text."""

    text: str
    speaker: str | None
    block: int
    start: int
    end: int

    def __init__(self, text: str, speaker: str | None, block: int, start: int, end: int) -> None:
        _set_quote_text(self, text)
        _set_quote_speaker(self, speaker)
        _set_quote_block(self, block)
        _set_quote_start(self, start)
        _set_quote_end(self, end)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "speaker": self.speaker,
            "block": self.block,
            "start": self.start,
            "end": self.end,
        }


# Paragraph, Tweet, PhotoCaption and Quote are made by the thousand per article: their
# `__init__` sets the slots through the slots' own descriptors, a third cheaper than the
# `object.__setattr__` calls of the one `dataclass(frozen=True)` writes (which keeps an
# `__init__` the class defines).
# Frozen, hashable, equal, picklable as before; tests/test_model_init.py checks the signatures.
def _slot_setters(cls: type, *names: str) -> list[Callable[[object, Any], None]]:
    return [cls.__dict__[name].__set__ for name in names]


_set_paragraph_text, _set_paragraph_boilerplate = _slot_setters(Paragraph, "text", "boilerplate")
_set_tweet_text, _set_tweet_author, _set_tweet_handle, _set_tweet_date, _set_tweet_links = (
    _slot_setters(Tweet, "text", "author", "handle", "date", "links")
)
_set_caption_text, _set_caption_credit = _slot_setters(PhotoCaption, "text", "credit")
_set_quote_text, _set_quote_speaker, _set_quote_block, _set_quote_start, _set_quote_end = (
    _slot_setters(Quote, "text", "speaker", "block", "start", "end")
)

_WORD = re.compile(r"\w+")
# ASCII word characters as themselves, every other byte as a space (see `split_words`).
_WORD_BYTES = bytes(b if (b < 128 and chr(b).isalnum()) or b == 95 else 32 for b in range(256))


def split_words(text: str) -> list[str]:
    """`_WORD.findall(text)` (the `\\w+` words), four times faster on ASCII text (nearly all).

    On ASCII the words are the runs of `[A-Za-z0-9_]`: bytes operations turn everything else
    into spaces, and `str.split` cuts there, instead of a regex match per word.
    """
    if text.isascii():
        return text.encode("ascii").translate(_WORD_BYTES).decode("ascii").split()
    return _WORD.findall(text)


# The default of `Article.extra`: a marker only, never stored (each article gets a new dict).
_NEW_DICT: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class Article:
    """One article. `id` is derived from its normalised text, so it survives renames and moves."""

    id: str
    source: str
    title: str
    blocks: tuple[Block, ...]
    quotes: tuple[Quote, ...] = ()
    date: _dt.date | None = None
    url: str | None = None
    author: str | None = None
    format: str = "text"
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    def __init__(
        self,
        id: str,
        source: str,
        title: str,
        blocks: tuple[Block, ...],
        quotes: tuple[Quote, ...] = (),
        date: _dt.date | None = None,
        url: str | None = None,
        author: str | None = None,
        format: str = "text",
        extra: dict[str, str] = _NEW_DICT,  # (a fresh dict for each article)
    ) -> None:
        _set_article_id(self, id)
        _set_article_source(self, source)
        _set_article_title(self, title)
        _set_article_blocks(self, blocks)
        _set_article_quotes(self, quotes)
        _set_article_date(self, date)
        _set_article_url(self, url)
        _set_article_author(self, author)
        _set_article_format(self, format)
        _set_article_extra(self, {} if extra is _NEW_DICT else extra)

    @property
    def tweets(self) -> list[Tweet]:
        return [b for b in self.blocks if isinstance(b, Tweet)]

    @property
    def captions(self) -> list[PhotoCaption]:
        return [b for b in self.blocks if isinstance(b, PhotoCaption)]

    @property
    def words(self) -> int:
        return sum(len(split_words(b.text)) for b in self.blocks)

    def to_dict(self) -> dict[str, Any]:
        """The `reader parse` JSON object (a stable contract: extend, never change)."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "url": self.url,
            "author": self.author,
            "format": self.format,
            "blocks": [b.to_dict() for b in self.blocks],
            "quotes": [q.to_dict() for q in self.quotes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Inverse of `to_dict` (used by the parsed-article cache)."""
        return article_from_dict(data)

    def summary(self) -> ArticleSummary:
        """Identity and counts: what a list row (and `reader list`) needs, without the text."""
        return ArticleSummary(
            id=self.id,
            source=self.source,
            title=self.title,
            date=self.date,
            tweets=len(self.tweets),
            captions=len(self.captions),
            quotes=len(self.quotes),
            words=self.words,
        )


# (Set through the slot descriptors like Paragraph's: an article per file indexed or parsed.)
(
    _set_article_id,
    _set_article_source,
    _set_article_title,
    _set_article_blocks,
    _set_article_quotes,
    _set_article_date,
    _set_article_url,
    _set_article_author,
    _set_article_format,
    _set_article_extra,
) = _slot_setters(
    Article, "id", "source", "title", "blocks", "quotes", "date", "url", "author", "format", "extra"
)


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """A list row: small enough to hold 100,000 of in memory or read from the cache."""

    id: str
    source: str
    title: str
    date: _dt.date | None
    tweets: int
    captions: int
    quotes: int
    words: int

    def to_dict(self) -> dict[str, Any]:
        """The `reader list` JSON object."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "tweets": self.tweets,
            "captions": self.captions,
            "quotes": self.quotes,
            "words": self.words,
        }


def block_from_dict(data: dict[str, Any]) -> Block:
    """Rebuild a block from its `to_dict()` JSON (the parsed-article cache stores that form)."""
    kind = data.get("kind")
    if kind == "tweet":
        return Tweet(
            text=data["text"],
            author=data.get("author", ""),
            handle=data.get("handle", ""),
            date=parse_iso_date(data.get("date")),
            links=tuple(data.get("links") or ()),
        )
    if kind == "photo_caption":
        return PhotoCaption(text=data["text"], credit=data.get("credit", ""))
    return Paragraph(text=data["text"], boilerplate=bool(data.get("boilerplate", False)))


def article_from_dict(data: dict[str, Any]) -> Article:
    """Rebuild an `Article` from `Article.to_dict()` output (inverse of it, `extra` aside)."""
    return Article(
        id=data["id"],
        source=data["source"],
        title=data["title"],
        blocks=tuple(block_from_dict(b) for b in data.get("blocks", ())),
        quotes=tuple(
            Quote(
                text=q["text"],
                speaker=q.get("speaker"),
                block=int(q["block"]),
                start=int(q.get("start", 0)),
                end=int(q.get("end", 0)),
            )
            for q in data.get("quotes", ())
        ),
        date=parse_iso_date(data.get("date")),
        url=data.get("url"),
        author=data.get("author"),
        format=data.get("format", "text"),
    )


def list_order_key(article: Article | ArticleSummary) -> tuple[int, int, str, str]:
    """The app's default list order: newest first, undated last, then by title and source."""
    if article.date is None:
        return (1, 0, article.title.casefold(), article.source)
    return (0, -article.date.toordinal(), article.title.casefold(), article.source)


# White space other than " " and "\n" that survives NFKC (NFKC turns the rest into " "). Text
# without any keeps single-spaced lines as they are (see `_id_text`).
_ID_ODD_SPACE = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u1680\u2028\u2029"


def _id_text(text: str) -> str:
    """`" ".join(unicodedata.normalize("NFKC", text).casefold().split())`, faster.

    Line by line: a line break is a normalisation boundary (nothing composes with it) and case
    folding maps each character on its own, so both can run per line, and the many ASCII lines
    of a text with one emoji or dash skip NFKC and take casefold's ASCII fast path. A line that
    is already single-spaced needs no split and join.
    """
    odd = any(c in text for c in _ID_ODD_SPACE)
    parts: list[str] = []
    for line in text.split("\n"):
        if not line:
            continue
        if not line.isascii():
            line = unicodedata.normalize("NFKC", line)
        line = line.casefold()
        if odd or "  " in line or line[0] == " " or line[-1] == " ":
            line = " ".join(line.split())
            if not line:
                continue
        parts.append(line)
    return " ".join(parts)


_ID_ODD = frozenset(_ID_ODD_SPACE)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _id_bytes(text: str, data: bytes, unusual: str) -> bytes:
    """`_id_text(text).encode("utf-8")`, faster on usual text, given `utf8_unusual(text)`.

    Usual text has no odd space, and its unusual characters (dashes, curly quotes, emoji,
    accented small letters) are their own NFKC and case folding: then only its ASCII capitals
    change, which `bytes.lower` does on the UTF-8 directly, and the words (split at spaces and
    line breaks only) are joined by single spaces. Other text takes `_id_text`.
    """
    # The whole text passes NFKC's quick check when its unusual characters alone pass it (see
    # `reader.sanitize.clean_text_utf8`); case folding maps characters one by one.
    if unusual and (
        unicodedata.normalize("NFKC", unusual) is not unusual
        or unusual.casefold() != unusual
        or not _ID_ODD.isdisjoint(unusual)
        or _SURROGATE.search(unusual) is not None  # `_id_text`'s encoding fails as it always did
    ):
        return _id_text(text).encode("utf-8")
    # The words (split at spaces and line breaks only) with single spaces, without splitting at
    # every word: with the line breaks made spaces (`replace`, at memchr speed), the pieces
    # between double spaces hold no double space, so each is its words joined by single spaces
    # once stripped (of at most one space at either end); an empty one (from a run of spaces)
    # adds nothing. Pieces are paragraphs, mostly: few. (One search for two bytes, which looks
    # at every byte, instead of a split at line breaks and a search for double spaces.)
    pieces = data.lower().replace(b"\n", b" ").split(b"  ")
    return b" ".join(filter(None, map(bytes.strip, pieces)))  # (no other white space in it)


def content_id(text: str) -> str:
    """A stable article id from its body text.

    Normalised (NFKC, case-folded, white space collapsed) so that re-saving a file with other
    line endings, NBSPs or trailing spaces, renaming or moving it, keeps the same id.
    """
    return hashlib.sha256(_id_bytes(text, *utf8_unusual(text))).hexdigest()[:16]


def content_id_utf8(text: str, data: bytes, unusual: str, start: int = 0) -> str:
    """`content_id(text[start:])`, given `utf8_unusual(text)` (as `clean_text_utf8` returns it
    with the text it cleaned): the body of a document is not encoded a second time."""
    if start:
        head_data, head_unusual = utf8_unusual(text[:start])
        text, data, unusual = text[start:], data[len(head_data) :], unusual[len(head_unusual) :]
    return hashlib.sha256(_id_bytes(text, data, unusual)).hexdigest()[:16]


_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_iso_date(value: str | None) -> _dt.date | None:
    """`YYYY-MM-DD` (optionally followed by a time) to a date, or None."""
    if not value:
        return None
    m = _ISO_DATE.match(value)
    if not m:
        return None
    year, month, day = m.groups()
    try:
        return _dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
