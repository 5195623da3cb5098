"""What a user's search query means, independent of how it is executed.

Pure core (no SQL): splits any text the user types into search terms the same way SQLite's FTS5
`unicode61 remove_diacritics 2` tokenizer splits the library's text, so that the store can quote
every term safely and the UI can highlight exactly the words that matched (`match_spans`), in the
list, a snippet or the reading pane.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# FTS5's unicode61 keeps letters, numbers (and private-use characters) together and splits on
# everything else, underscore included; `[^\W_]` is that class in Python's `re`.
_TOKEN = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r'"([^"]*)"')


def fold(word: str) -> str:
    """Case- and accent-insensitive form of a word (what the FTS tokenizer compares)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: every group of words must match (AND).

    `groups` holds phrases (a tuple of folded words that must appear in sequence; a single word is
    a phrase of one). `prefix` says the last word of the last group is still being typed, so it
    matches as a prefix ("quot" finds "quote").
    """

    groups: tuple[tuple[str, ...], ...]
    prefix: bool

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for g in self.groups for w in g)


def parse_query(text: str, *, prefix: bool = True) -> Query:
    """Any text to a `Query`; never raises. `"a phrase"` in double quotes stays a phrase.

    `prefix` (default on: search as you type) makes the last word a prefix unless the query ends
    with white space or a closing quote, i.e. the user has finished that word.
    """
    groups: list[tuple[str, ...]] = []
    last_end = 0
    for m in _PHRASE.finditer(text):
        groups.extend((w,) for w in _words(text[last_end : m.start()]))
        phrase = _words(m.group(1))
        if phrase:
            groups.append(tuple(phrase))
        last_end = m.end()
    tail = text[last_end:]
    tail_words = _words(tail.replace('"', " "))
    groups.extend((w,) for w in tail_words)
    finished = not text or text[-1].isspace() or text.endswith('"')
    return Query(groups=tuple(groups), prefix=prefix and bool(groups) and not finished)


def _words(text: str) -> list[str]:
    return [f for f in (fold(t) for t in _TOKEN.findall(text)) if f]


def match_spans(text: str, query: Query | str) -> list[tuple[int, int]]:
    """`(start, end)` offsets of the words of `text` that the query matches, in order.

    Word by word (phrases are highlighted word by word too), case- and accent-insensitive, the
    last word as a prefix when the query says so. Offsets index `text` itself, ready for a
    `rich.text.Text.stylize` without touching the text.
    """
    q = parse_query(query) if isinstance(query, str) else query
    if q.empty:
        return []
    exact = set(q.words)
    stem = q.words[-1] if q.prefix else None
    spans = []
    for m in _TOKEN.finditer(text):
        word = fold(m.group())
        if word in exact or (stem is not None and word.startswith(stem)):
            spans.append((m.start(), m.end()))
    return spans


def first_match(text: str, query: Query) -> int | None:
    """Offset of the first word of `text` the query matches, or None. Fast (`str.find` on ASCII
    text, else one regex search), so it suits long texts; it compares case-insensitively but,
    unlike `match_spans`, does not fold accents, so "cafe" does not find "café" here (a snippet
    then starts at the top)."""
    if query.empty:
        return None
    words = query.words
    if text.isascii() and all(w.isascii() for w in words):
        return _first_ascii(text.lower(), words, query.prefix)
    m = _matcher(words, query.prefix).search(text)
    return m.start() if m else None


def _first_ascii(lowered: str, words: tuple[str, ...], prefix: bool) -> int | None:
    """`first_match` for ASCII text and words, with `str.find` on the lowered text: the same
    answer as the case-insensitive regex (ASCII has no case-folding surprises), five to twenty
    times faster on an article body, since `re` cannot search for a literal quickly when it is
    case-insensitive and must be preceded by a lookbehind."""
    last = words[-1] if prefix else None
    best: int | None = None
    for word in dict.fromkeys(words):
        whole = word != last
        at = lowered.find(word)
        while at >= 0 and (best is None or at < best):
            end = at + len(word)
            if (at == 0 or not lowered[at - 1].isalnum()) and (
                not whole or end == len(lowered) or not lowered[end].isalnum()
            ):
                best = at
                break
            at = lowered.find(word, at + 1)
    return best


@functools.lru_cache(maxsize=64)
def _matcher(words: tuple[str, ...], prefix: bool) -> re.Pattern[str]:
    last = words[-1]
    exact = sorted(set(words[:-1] if prefix else words), key=len, reverse=True)
    parts = [re.escape(w) + r"(?![^\W_])" for w in exact]
    if prefix:
        parts.insert(0, re.escape(last))
    return re.compile(r"(?<![^\W_])(?:" + "|".join(parts) + ")", re.IGNORECASE)


def make_snippet(text: str, query: Query | str, *, width: int = 120) -> str:
    """A one-line excerpt of `text` around the first match (or its start), about `width` long."""
    q = parse_query(query) if isinstance(query, str) else query
    return snippet_at(text, q, first_match(text, q), width=width)


def snippet_at(text: str, q: Query, at: int | None, *, width: int = 120) -> str:
    """`make_snippet` for a caller that already knows `at`, `first_match(text, q)`."""
    # Only a window around the match is flattened: texts can be long, snippets are many.
    lo = max(0, (at or 0) - 2 * width)
    hi = (at or 0) + 3 * width
    core = " ".join(text[lo:hi].split())
    head = "… " if lo > 0 else ""
    flat = head + core + (" …" if hi < len(text) else "")
    if len(flat) <= width:
        return flat.replace("… ", "…").replace(" …", "…")
    # Searched in `core`, which is often ASCII (the fast path), unlike `flat`: the same offset,
    # since "… " and " …" hold no word and end a word like the text's edges do.
    at = first_match(core, q)
    at = None if at is None else at + len(head)
    start = max(0, at - width // 3) if at is not None else 0
    # Cut at word boundaries so the excerpt never starts or ends mid-word.
    if start > 0:
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    excerpt = flat[start:end].removeprefix("… ").removesuffix(" …").strip()
    return ("…" if start > 0 or lo > 0 else "") + excerpt + ("…" if end < len(flat) else "")
