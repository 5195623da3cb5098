"""Turning a quotable unit of an article into a `SavedQuote` (pure core: no SQL, no textual).

A saved quote must stand on its own: it carries its attribution (speaker or tweet author,
handle, date, url), the article it came from, where it sat (block index and character span)
and some text around it, so it can be found again even if the file later changes and its
content id with it. The store (`reader.store.state`) persists these; the UI only asks for them.

Units a reader can save, and the `kind` each gets:

- a `Tweet` block            -> "tweet"     (speaker = display name, handle, date, url)
- a `PhotoCaption` block     -> "caption"   (speaker = the credit)
- a `Quote` (quoted speech)  -> "quote"     (speaker = who said it, if named)
- a `Paragraph` block        -> "paragraph"
- sentences i..j of a block  -> "sentence"  (see `split_sentences`)
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:
    from reader.model import Article, Block, Quote

# The model's classes are imported where they are needed: the state store imports this module
# before the app's first frame, and the model is not needed until an article is open.

QuoteKind: TypeAlias = Literal["tweet", "caption", "quote", "paragraph", "sentence"]
QUOTE_KINDS: tuple[QuoteKind, ...] = ("tweet", "caption", "quote", "paragraph", "sentence")

# How much surrounding text is kept to find a quote again (characters, each side).
CONTEXT_CHARS = 200


@dataclass(frozen=True, slots=True)
class SavedQuote:
    """A saved unit of an article, with everything needed to show, export and re-find it.

    `id` is the store's row id (None until saved). `block`, `start`, `end` locate the text in
    `Article.blocks[block].text[start:end]` of the article as it was when saved.
    `created` is an ISO-8601 UTC timestamp.
    """

    kind: QuoteKind
    text: str
    article_id: str
    article_title: str = ""
    article_source: str = ""
    article_date: str | None = None
    article_url: str | None = None
    speaker: str | None = None
    handle: str | None = None
    date: str | None = None
    url: str | None = None
    context_before: str = ""
    context_after: str = ""
    block: int = 0
    start: int = 0
    end: int = 0
    created: str = ""
    note: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    id: int | None = None

    @property
    def key(self) -> str:
        """Identity of the unit: saving the same unit of the same article twice gives one row."""
        raw = f"{self.article_id}\x1f{self.kind}\x1f{self.block}\x1f{self.start}\x1f{self.end}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]

    @property
    def attribution(self) -> str:
        """One line naming who said it: `Name (@handle), 2018-07-03`, a credit, or ""."""
        parts: list[str] = []
        if self.speaker:
            parts.append(self.speaker)
        if self.handle:
            parts.append(f"(@{self.handle})" if parts else f"@{self.handle}")
        who = " ".join(parts)
        if self.date:
            who = f"{who}, {self.date}" if who else self.date
        return who

    def matches(self, needle: str) -> bool:
        """Case-insensitive substring match over text, note, speaker, handle, tags and title.

        The Bookmarks screen filters in memory with this as the user types.
        """
        if not needle:
            return True
        needle = needle.casefold()
        hay = "\x1f".join(
            (
                self.text,
                self.note,
                self.speaker or "",
                self.handle or "",
                " ".join(self.tags),
                self.article_title,
            )
        )
        return needle in hay.casefold()


def now_iso() -> str:
    """The current UTC time as the store writes it (sortable text, microseconds)."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def normalize_tags(tags: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Tags from user input: split on commas/whitespace, drop `#`, empties and duplicates."""
    if isinstance(tags, str):
        items = re.split(r"[,\s]+", tags)
    else:
        items = list(tags)
    out: list[str] = []
    for item in items:
        tag = item.strip().lstrip("#").strip()
        if tag and tag not in out:
            out.append(tag)
    return tuple(out)


# --- sentences -------------------------------------------------------------------------------

# Words whose trailing period does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr gen gov sen rep col lt sgt capt mt vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec fig al approx dept est univ".split()
)
# A candidate end: terminal punctuation, then closing quotes/brackets, then white space.
_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f]+[\"'\u201d\u2019)\]\u00bb]*(?=\s)|\n+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentences, as `(start, end)` spans into `text` without outer spaces.

    Heuristic but careful: a period after a known abbreviation (`Mr.`, `Dr.`), a single
    initial (`J.`) or inside `U.S.` does not end a sentence, nor does one followed by a
    lower-case word. A newline always ends one. Every non-space character lands in a span.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if not m.group().startswith("\n") and not _is_sentence_end(text, m.start(), end):
            continue
        _add_span(text, start, end, spans)
        start = end
    _add_span(text, start, len(text), spans)
    return spans


def _is_sentence_end(text: str, punct_at: int, end: int) -> bool:
    if text[punct_at] == ".":
        word = re.search(r"(\w+)(?:\.\w+)*$", text[:punct_at])
        if word:
            token = word.group(1) if "." not in word.group() else word.group()
            if token.casefold() in _ABBREVIATIONS:
                return False
            if len(word.group(1)) == 1 and word.group(1).isalpha() and word.group(1).isupper():
                return False  # an initial, or the last letter of U.S.
    nxt = re.match(r"\s*(\S)", text[end:])
    if nxt and nxt.group(1).islower():
        return False
    return True


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def sentence_span(text: str, first: int, last: int) -> tuple[int, int]:
    """The character span covering sentences `first..last` (inclusive, clamped) of `text`."""
    spans = split_sentences(text)
    if not spans:
        return (0, len(text))
    first = max(0, min(first, len(spans) - 1))
    last = max(first, min(last, len(spans) - 1))
    return (spans[first][0], spans[last][1])


# --- building saved quotes -------------------------------------------------------------------


def quote_for_block(
    article: Article, block_index: int, *, created: str | None = None
) -> SavedQuote:
    """Save a whole block: a tweet, a photo caption or a paragraph."""
    from reader.model import PhotoCaption, Tweet

    block = article.blocks[block_index]
    base = _base(article, block_index, 0, len(block.text), created)
    if isinstance(block, Tweet):
        return replace(
            base,
            kind="tweet",
            speaker=block.author or None,
            handle=block.handle or None,
            date=block.date.isoformat() if block.date else None,
            url=block.url,
        )
    if isinstance(block, PhotoCaption):
        return replace(base, kind="caption", speaker=block.credit or None)
    return replace(base, kind="paragraph")


def quote_for_speech(article: Article, quote: Quote, *, created: str | None = None) -> SavedQuote:
    """Save a piece of quoted speech found by the parser, with its speaker when named."""
    base = _base(article, quote.block, quote.start, quote.end, created)
    # The parser's `text` is authoritative (it may drop the quotation marks of the span).
    return replace(base, kind="quote", text=quote.text, speaker=quote.speaker)


def quote_for_sentences(
    article: Article, block_index: int, first: int, last: int, *, created: str | None = None
) -> SavedQuote:
    """Save sentences `first..last` (inclusive, see `split_sentences`) of one block."""
    block = article.blocks[block_index]
    start, end = sentence_span(block.text, first, last)
    return quote_for_span(article, block_index, start, end, created=created)


def quote_for_span(
    article: Article, block_index: int, start: int, end: int, *, created: str | None = None
) -> SavedQuote:
    """Save an arbitrary character span of one block (a mouse selection) as a "sentence"."""
    from reader.model import Tweet

    block = article.blocks[block_index]
    start = max(0, min(start, len(block.text)))
    end = max(start, min(end, len(block.text)))
    base = _base(article, block_index, start, end, created)
    if isinstance(block, Tweet):
        # A part of a tweet keeps the tweet's attribution.
        base = replace(
            base,
            speaker=block.author or None,
            handle=block.handle or None,
            date=block.date.isoformat() if block.date else None,
            url=block.url,
        )
    return replace(base, kind="sentence")


def quote_for_unit(
    article: Article, unit: Block | Quote, *, block_index: int | None = None
) -> SavedQuote:
    """Dispatch on the unit the reading pane has selected.

    A `Quote` knows its block; for a block pass `block_index` (blocks are values, so two
    identical paragraphs cannot be told apart by equality); without it, the first equal block.
    """
    from reader.model import Quote

    if isinstance(unit, Quote):
        return quote_for_speech(article, unit)
    if block_index is None:
        block_index = article.blocks.index(unit)
    return quote_for_block(article, block_index)


def _base(
    article: Article, block_index: int, start: int, end: int, created: str | None
) -> SavedQuote:
    block = article.blocks[block_index]
    before, after = _context(article, block_index, start, end)
    return SavedQuote(
        kind="paragraph",
        text=block.text[start:end].strip(),
        article_id=article.id,
        article_title=article.title,
        article_source=article.source,
        article_date=article.date.isoformat() if article.date else None,
        article_url=article.url,
        url=article.url,
        context_before=before,
        context_after=after,
        block=block_index,
        start=start,
        end=end,
        created=created or now_iso(),
    )


_WS = re.compile(r"\s+")


def _context(article: Article, block_index: int, start: int, end: int) -> tuple[str, str]:
    """Up to CONTEXT_CHARS of text either side, across block boundaries, spaces collapsed."""
    texts = [b.text for b in article.blocks]
    own = texts[block_index]
    before = "\n".join([*texts[max(0, block_index - 3) : block_index], own[:start]])
    after = "\n".join([own[end:], *texts[block_index + 1 : block_index + 4]])
    before = _WS.sub(" ", before).strip()[-CONTEXT_CHARS:]
    after = _WS.sub(" ", after).strip()[:CONTEXT_CHARS]
    return before, after


# --- finding a saved quote again -------------------------------------------------------------


def find_in_article(article: Article, quote: SavedQuote) -> tuple[int, int, int] | None:
    """Where `quote` sits in `article` now, as `(block, start, end)`, or None if it is gone.

    The saved position is tried first; if the file changed since (blocks moved, text edited
    around it), the text is searched for, exactly and then with any white space, and among
    several matches the one whose surroundings best agree with the saved context wins.
    """
    text = quote.text.strip()
    if not text:
        return None
    if 0 <= quote.block < len(article.blocks):
        own = article.blocks[quote.block].text
        if text in own[quote.start : quote.end] or own[quote.start : quote.end].strip() == text:
            at = own.find(text, quote.start, max(quote.end, quote.start + len(text)))
            if at >= 0:
                return (quote.block, at, at + len(text))
    words = text.split()
    loose = re.compile(r"\s+".join(re.escape(w) for w in words))
    for pattern in (re.compile(re.escape(text)), loose):
        hits = [
            (index, m.start(), m.end())
            for index, block in enumerate(article.blocks)
            for m in pattern.finditer(block.text)
        ]
        if hits:
            return max(hits, key=lambda hit: _context_score(article, hit, quote))
    return None


def _context_score(
    article: Article, hit: tuple[int, int, int], quote: SavedQuote
) -> tuple[int, int]:
    block, start, end = hit
    before, after = _context(article, block, start, end)
    return (
        _common_suffix(before, quote.context_before) + _common_prefix(after, quote.context_after),
        -abs(block - quote.block),  # then the one nearest to where it was
    )


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
