"""Scraped plain-text articles: find the tweets, photo captions and quotes again.

Scrapers flatten rich pages into text. An embedded tweet becomes its text followed by a
signature (`— Name (@handle) Month D, YYYY`), a photo becomes a short paragraph ending in a
credit. This module recovers that structure (see FORMAT.md in the project notes).

The hard part is where a tweet *starts*: the signature marks its end, but the text before it may
be several paragraphs of the tweet, or article prose that introduces or repeats it. Rather than a
pile of special cases, every candidate start is scored from a handful of kinds of evidence (the
gap before each piece, the 280-character limit, prose that quotes or introduces the tweet,
"said"/"tweeted", hashtags, mentions and emoji) and the best-scoring start wins.

Everything here is linear in the input: regular expressions are anchored or bounded, and the
backward search for a tweet's start never looks further than a tweet can be long.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from reader.model import (
    Article,
    Block,
    Paragraph,
    PhotoCaption,
    Tweet,
    content_id_utf8,
    parse_iso_date,
    split_words,
)
from reader.quotes import find_quotes
from reader.sanitize import (
    clean_line,
    clean_text_utf8,
    collapse_spaces,
    strip_controls,
    unix_newlines,
)

__all__ = ["derive_title", "parse", "parse_text", "split_blocks"]

# ---------------------------------------------------------------------------------------------
# Signatures

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_HS = r"[ \t\u00a0\u2009\u202f]"  # horizontal space, NBSP included
# The fixed end of a signature: `(@handle) Month D, YYYY`. Searched first (it starts with a
# literal, so the regex engine skips quickly); the dash and display name are found backwards.
_ANCHOR = re.compile(
    r"\(@([A-Za-z0-9_]{1,15})\)" + _HS + r"*(?:\n" + _HS + r"*)?"
    r"(" + _MONTH_RE + r")" + _HS + r"+(\d{1,2}),?" + _HS + r"*(\d{4})(?!\d)"
)
_NAME_WINDOW = 90  # display names are at most 50 characters; emoji sequences take more
_NAME_MAX = 80


@dataclass(slots=True)
class _Signature:
    start: int  # where the dash (or the name, for a dash-less signature) starts
    end: int  # just after the year
    author: str
    handle: str
    date: _dt.date | None
    glued_tail: bool  # text continues right after the year (a one-line scrape)


# The month tokens `_ANCHOR` matches (`Sept.`, `March`), looked up as they are.
_MONTH_TOKENS = {
    name.capitalize() + dot: number for name, number in _MONTHS.items() for dot in ("", ".")
}


def _make_date(month: str, day: str, year: str) -> _dt.date | None:
    number = _MONTH_TOKENS.get(month)
    if number is None:
        number = _MONTHS.get(month.rstrip(".").lower())
        if number is None:
            return None
    try:
        return _dt.date(int(year), number, int(day))
    except ValueError:
        return None


def _find_signatures(text: str) -> list[_Signature]:
    sigs: list[_Signature] = []
    floor = 0  # a signature never reaches back past the previous one
    for m in _ANCHOR.finditer(text):
        at = m.start()
        # Only look back as far as a name can reach (never the whole line: linear time).
        # (Conditional expressions, not max(): a builtin call parses its arguments slowly.)
        floor_or_window = floor if floor > at - _NAME_WINDOW - 1 else at - _NAME_WINDOW - 1
        nl = text.rfind("\n", floor_or_window, at)
        if nl >= 0:
            line_start = nl + 1
        elif floor_or_window == floor:
            line_start = floor
        else:
            line_start = -1  # somewhere further back; the window does not reach it
        lo = line_start if line_start > at - _NAME_WINDOW else at - _NAME_WINDOW
        window = text[lo:at]
        if "\u2013" in window or "\u2015" in window:
            cut = max(window.rfind("\u2014"), window.rfind("\u2013"), window.rfind("\u2015"))
        else:
            cut = window.rfind("\u2014")  # the usual dash: the only one to look for
        if cut >= 0:
            dash = lo + cut
            name_start = dash + 1
        else:
            # A hyphen used as the dash needs space (or a line start) before it: names have
            # hyphens of their own.
            hy = max(window.rfind(" - "), window.rfind(" -- ") + 1 if " -- " in window else -1)
            if hy < 0 and window.startswith("- ") and lo == line_start:
                hy = -1
                dash, name_start = lo, lo + 1
            elif hy >= 0:
                dash, name_start = lo + hy + 1, lo + hy + 2
            elif lo == line_start and len(window.strip()) > 0:
                # `Name (@handle) Date` alone on its line: a signature without a dash.
                if text[lo - 1 : lo] not in ("\n", "") and lo != floor:
                    continue
                dash, name_start = lo, lo
            else:
                continue
        # `&mdash;` arrives as a dash; `--` as two hyphens.
        if cut < 0 and text[dash - 1 : dash] == "-":
            dash -= 1
        name = text[name_start:at].strip(" \t\u00a0\u2009\u202f")
        if not _plausible_name(name):
            continue
        end = m.end()
        glued = False
        # Usually the line ends right after the date: no tail to look at.
        tail = "" if text[end : end + 1] in ("\n", "") else None
        if tail is None:
            nl_after = text.find("\n", end, end + 400)
            tail = text[end : nl_after if nl_after >= 0 else end + 400]
        if tail and not tail.isspace():
            first = tail[0]
            if first in " \t":
                # Prose going on after the date ("... May 5, 2019, which") is a near miss;
                # a new capitalised sentence after a space is a line-less scrape.
                rest = tail.lstrip(" \t")
                if not rest[:1].isupper() and rest[:1] not in '"“«#@(':
                    continue
                glued = True
            elif first in ",.;:" and not tail[1:2].isupper():
                continue
            else:
                glued = True
        handle, month, day, year = m.groups()
        sigs.append(
            _Signature(  # (positional: a class called with keywords builds a dict for them)
                dash,
                end,
                collapse_spaces(name).strip() if "  " in name or "\u00a0" in name else name,
                handle,
                _make_date(month, day, year),
                glued,
            )
        )
        floor = end
    return sigs


_URLISH = re.compile(r"https?://|pic\.twitter\.com|www\.", re.IGNORECASE)
_NAME_PROSE = re.compile(
    r"\b(?:said|says|wrote|tweeted|told|according|posted|which|who|that)\b", re.IGNORECASE
)


def _plausible_name(name: str) -> bool:
    if not name or len(name) > _NAME_MAX or "\n" in name:
        return False
    if ("http" in name or "pic.twitter" in name or "www." in name) and _URLISH.search(name):
        return False
    spaces = name.count(" ")
    if spaces > 8:
        return False
    # A run of lower-case prose words is a sentence, not a display name.
    return not (spaces > 3 and _NAME_PROSE.search(name))


# ---------------------------------------------------------------------------------------------
# Links and tweet length

_LINK = re.compile(
    r"https?://t\.co/(?:(?!pic\.twitter\.com)[A-Za-z0-9]){1,12}"
    r"|pic\.twitter\.com/(?:(?!https?://)[A-Za-z0-9]){1,12}"
)
_ANY_URL = re.compile(r"(?:https?://|pic\.twitter\.com/)\S+")
_WIDE = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uffef\U0001f000-\U0001faff]"
)
TWEET_LIMIT = 280


def tweet_length(text: str) -> int:
    """Twitter's weighted length: links count 23, attached media (pic.twitter.com) nothing,
    CJK and emoji count 2."""
    n = len(text)
    # (`"/" in text` first: one character is looked for with memchr, a word is not.)
    if "/" in text and ("http" in text or "pic.twitter" in text):
        for m in _ANY_URL.finditer(text):
            n -= len(m.group()) if m.group().startswith("pic.") else len(m.group()) - 23
    return n if text.isascii() else n + len(_WIDE.findall(text))


# ---------------------------------------------------------------------------------------------
# Units: the pieces a tweet's start is chosen among

# Where a line-less scrape lost a line break: sentence punctuation glued to a capital, a quote
# glued to a capital or emoji, a colon glued to a capital, NBSP before a capital, a live blog's
# `10h24 :` time glued to the previous word.
_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_AFTER_GLUE = r"[" + _UPPER + r"«\"“#@\U0001f300-\U0001faff]"
# Each alternative consumes the punctuation first (one character class the regex engine can
# scan for quickly) and checks what comes before with a lookbehind; the cut is after the match.
_GLUE = re.compile(
    r"[.!?…:\"”»\u00a0)](?:"
    r"(?<=[^\s.][.!?…])(?=[\"“«]?[" + _UPPER + r"#@\U0001f300-\U0001faff])"
    r"|(?<=[\w.!?…][\"”»])(?=" + _AFTER_GLUE + r")"
    r"|(?<=[.!?…][ \u00a0][»”])(?=" + _AFTER_GLUE + r")"
    r"|(?<=[a-zà-ÿ]:)(?=[" + _UPPER + r"])"
    r"|(?<=[\w.]\))(?=[" + _UPPER + r"][a-zà-ÿ])"
    r"|(?<=[^«\s]\u00a0)\u00a0*(?=[" + _UPPER + r"])"
    r")"
)
# A live blog's `10h24 : ` time glued to the word before it.
_GLUE_TIME = re.compile(r"h(?:(?<=[^\s\d]\dh)|(?<=[^\s\d]\d\dh))\d\d ?: ")
# Between paragraphs (never inside a tweet) a glued heading also splits: `...du jourUne centaine`.
_GLUE_CAMEL = re.compile(r"[" + _UPPER + r"](?<=[a-zà-ÿ]{3}[" + _UPPER + r"])(?=[a-zà-ÿ]{2})")


def _glue_cuts(line: str, lo: int = 0, camel: bool = False) -> list[int]:
    """Offsets in `line` (from `lo`) where a scraper lost a line break, sorted."""
    cuts = [m.end() for m in _GLUE.finditer(line, lo)]
    if "h" in line:
        for m in _GLUE_TIME.finditer(line, lo):
            k = m.start()
            while k > lo and line[k - 1].isdigit():
                k -= 1
            cuts.append(k)
    if camel:
        cuts.extend(m.start() for m in _GLUE_CAMEL.finditer(line, lo))
    cuts.sort()
    out: list[int] = []
    for c in cuts:
        # Two patterns can fire a character apart (`"."Le`): keep the first cut.
        if not out or c > out[-1] + 2:
            out.append(c)
    return out


_GLUED_LINE_MIN = 600
_GLUE_QUICK = re.compile(r"[.!?…:\"”»\u00a0][\"“«]?[" + _UPPER + r"]")


def _is_glued(line: str) -> bool:
    """A line that is really several paragraphs whose line breaks a scraper dropped."""
    if len(line) < _GLUED_LINE_MIN:
        return False
    # A cheap necessary condition first: real prose puts a space after its full stops.
    if len(_GLUE_QUICK.findall(line, 0, 20000)) < 3:
        return False
    hits = 0
    for _ in _GLUE.finditer(line, 0, 20000):
        hits += 1
        if hits >= 3:
            return True
    return False


@dataclass(slots=True)
class _Unit:
    text: str
    start: int  # offset in the article text
    gap: str  # what separates it from the unit after it: line, para, wide, glue, sentence


def _gap_kind(sep: str) -> str:
    n = sep.count("\n")
    if n >= 4:
        return "wide"
    if n >= 2:
        return "para"
    return "line"


_LINE_PROBE = 8000


def _line_is_glued(text: str, pos: int, cache: dict[int, bool]) -> bool:
    """Whether the physical line around `pos` is a glued one (cached per line: linear time)."""
    start = text.rfind("\n", max(0, pos - _LINE_PROBE), pos) + 1
    if start == 0 and pos > _LINE_PROBE:
        # Deep inside a very long line: judge it by the stretch around `pos`, cached per stretch.
        key = -1 - pos // _LINE_PROBE
        hit = cache.get(key)
        if hit is None:
            a = (pos // _LINE_PROBE) * _LINE_PROBE
            hit = cache[key] = _is_glued(text[a - _LINE_PROBE : a + _LINE_PROBE])
        return hit
    hit = cache.get(start)
    if hit is None:
        end = text.find("\n", start)
        hit = _is_glued(text[start : end if end >= 0 else len(text)])
        cache[start] = hit
    return hit


def _units_before(
    text: str, lo: int, hi: int, budget: int, cache: dict[int, bool]
) -> Iterator[_Unit]:
    """Units of text[lo:hi], last first, going back until `budget` characters are covered.

    A unit is a line, or in a glued line a piece between two lost line breaks. Each unit's
    `gap` is the separator between it and the unit after it (for the last one: the signature).
    Lazy: the caller usually needs only the first one or two.
    """
    seg = text[max(lo, hi - 50) : hi]
    trailing = seg[len(seg.rstrip(" \t\u00a0\n")) :]
    following = _gap_kind(trailing) if "\n" in trailing else "line"
    pos = hi - len(trailing)
    covered = 0
    while pos > lo and covered <= budget:
        nl = text.rfind("\n", lo, pos)
        line_start = nl + 1 if nl >= 0 else lo
        after_signature = line_start == lo and lo > 0 and text[lo - 1] != "\n"
        # Never more of a long line than a tweet could use (keeps one-line scrapes linear).
        cut_start = max(line_start, pos - budget - 600)
        line = text[cut_start:pos]
        inner = "glue"
        short = nl >= 0 and text.find("\n", pos, line_start + _GLUED_LINE_MIN) >= 0
        if not short and _line_is_glued(text, pos, cache):
            pieces = _glue_split_backward(line, cut_start, budget - covered)
        elif after_signature or (
            # Only the signature's own line: a long paragraph further back is prose whole.
            covered == 0 and len(line) > TWEET_LIMIT + 12 and tweet_length(line) > TWEET_LIMIT + 12
        ):
            # Longer than any tweet, or going on after the previous signature: prose and tweet
            # share the line (a scrape that turned line breaks into spaces). Its sentences are
            # the candidate starts.
            pieces = _sentence_split_backward(line, cut_start, budget - covered)
            inner = "sentence"
        else:
            pieces = [(cut_start, line)]
        if covered == 0 and ":" in line:
            # Only in the signature's own line: an introduction further back is a paragraph
            # of its own already, and its colon may head a quotation, not the tweet.
            pieces = _split_intro_colons(pieces)
        gap_after = following
        for p_start, p_text in reversed(pieces):
            if p_text and not p_text.isspace():
                yield _Unit(p_text, p_start, gap_after)
                covered += len(p_text)
            gap_after = inner
            if covered > budget:
                break
        if nl < 0:
            break
        # Walk back over the run of newlines (and blank-looking lines) before this line.
        k = line_start - 1
        while k >= lo and text[k] in "\n \t\u00a0":
            k -= 1
        sep = text[k + 1 : line_start]
        following = _gap_kind(sep)
        pos = k + 1


# `The mayor tweeted: Roads are closed.`: a colon ending an introduction inside the tweet's
# own line. Only a colon with a reporting verb before it cuts (tweets have colons of their own).
_INTRO_COLON = re.compile(r":[ \t\u00a0]+(?=[\"“«]?[" + _UPPER + r"0-9#@\U0001f300-\U0001faff])")


def _split_intro_colons(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Cut each piece after a colon that ends an introduction (`... posted: Text`)."""
    out: list[tuple[int, str]] = []
    for p_start, p_text in pieces:
        m = _INTRO_COLON.search(p_text) if ":" in p_text else None
        if m is not None and m.start() >= 12:
            head = split_words(p_text[: m.start()].casefold())
            if len(head) >= 3 and not set(head).isdisjoint(_INTRO_VERBS):
                out.append((p_start, p_text[: m.end()]))
                out.append((p_start + m.end(), p_text[m.end() :]))
                continue
        out.append((p_start, p_text))
    return out


_SENTENCE_GAP = re.compile(
    r"[.!?…][\"”»’)]*[ \t\u00a0]+(?=[\"“«(]?[" + _UPPER + r"0-9#@\U0001f300-\U0001faff])"
)


def _sentence_split_backward(line: str, offset: int, budget: int) -> list[tuple[int, str]]:
    """Split an over-long line into sentences, only looking at its last `budget` characters."""
    lo = max(0, len(line) - budget - 400)
    cuts = [lo] + [m.end() for m in _SENTENCE_GAP.finditer(line, lo)] + [len(line)]
    return [(offset + a, line[a:b]) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _glue_split_backward(line: str, offset: int, budget: int) -> list[tuple[int, str]]:
    """Split a glued line into pieces, only looking at its last `budget` characters (+slack)."""
    lo = max(0, len(line) - budget - 400)
    cuts = [lo, *(c for c in _glue_cuts(line, lo) if c > lo + 2)]
    cuts.append(len(line))
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if b > a:
            pieces.append((offset + a, line[a:b]))
    return pieces


# ---------------------------------------------------------------------------------------------
# Evidence

# Reporting verbs: prose that introduces or attributes words. (Not `asked`, `say`, `read`:
# tweets use those too.) Word sets, not regexes: a set lookup per word is far cheaper than an
# alternation tried at every position.
_SAYS_WORDS = frozenset(
    "said says saying tweeted tweeting wrote writes writing posted posting told explained "
    "replied responded announced quipped declared stated reads insisted claimed selon souligne "
    "dijo escribió sagte schrieb".split()
)
_SAYS_PHRASES = (
    "according to",
    "took to",
    "in a statement",
    "a déclaré",
    "a-t-il",
    "a-t-elle",
    "a tweeté",
    "a écrit",
    "a réagi",
)
_INTRO_WORDS = frozenset(
    "shared reacted react posted responded respond replied reply wrote tweeted".split()
)
_INTRO_PHRASES = ("summed up", "put it")
# (Case-folded ASCII text, most of it, can only hold these.)
_SAYS_PHRASES_ASCII = tuple(p for p in _SAYS_PHRASES if p.isascii())
# A word every phrase above contains: the phrases are only looked for when one is present.
_PHRASE_KEYS = frozenset(
    "according took statement déclaré il elle tweeté écrit réagi summed put".split()
)
# Verbs that make a colon after them end an introduction.
_INTRO_VERBS = _SAYS_WORDS | _INTRO_WORDS | frozenset("explained tweet post statement".split())
_PERSONAL_WORDS = frozenset("i my we our you your".split())
# Every word the sets above look for: a unit's words are looked up in this one set (most have
# none of them), instead of making a set of its words to compare with each.
_KEY_WORDS = _SAYS_WORDS | _INTRO_WORDS | _PHRASE_KEYS | _PERSONAL_WORDS
# A hashtag or mention at the start or after a space, bracket or quote. Written to start with
# the `#@` class (the lookbehind checks what precedes) so the regex engine skips to those
# characters instead of trying `^|...` at every position: four times faster, same matches.
_HASH_MENTION = re.compile(r"[#@](?<![^\s(\"“][#@])\w")
_EMOJI = re.compile(r"[\U0001f300-\U0001faff\u2600-\u27bf]")
_QUOTED_ANY = re.compile(r"[\"“«„][^\"“”«»„\n]*[\"”»“]")
_DATELINE = re.compile(
    r"\s*(?:\([A-Z][A-Za-z ]{1,20}\)|\d{1,2}[.:h]\d{2}(?:\s?:)?\s"
    r"|[A-Z]{3,}(?:,\s[A-Z][a-z]+)*\s[-—–]\s)"
)
_BARE = re.compile(r"(?:https?://|pic\.twitter\.com/)\S+|[#@]\w+")
_BARE_PUNCT = " \t\n.,:;!?-—–"


def _is_bare(text: str) -> bool:
    """Whether `text` is only links, hashtags or mentions (and punctuation)."""
    # Every other character must be inside a match, and a match starts with h, p, # or @: the
    # first character that is not punctuation settles most texts without the regex (which
    # tries its alternation at every position).
    rest = text.lstrip(_BARE_PUNCT)
    return not rest or (rest[0] in "hp#@" and not _BARE.sub("", rest).strip(_BARE_PUNCT))


@dataclass(slots=True)
class _Features:
    """What the start scorer knows about one unit, computed once."""

    text: str  # stripped
    words: list[str]  # case-folded
    says: bool  # a reporting verb
    intro: bool  # a verb that introduces a post (shared, reacted, ...)
    tweetish: bool  # hashtag, mention, tweet link or emoji
    personal: bool  # I / we / you outside quotation marks
    dateline: bool  # `(CNN)`, a live blog's `10.52`
    colon: bool  # ends with a colon
    quoted: tuple[str, ...]  # the first words of each quoted span, space-joined
    length: int  # weighted tweet length


def _has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    # (A loop: `any()` over a generator costs more than the few searches it makes.)
    for p in phrases:
        if p in text:
            return True
    return False


def _features(text: str, length: int) -> _Features:
    t = text.strip()
    low = t.casefold()
    words = split_words(low)
    found = _KEY_WORDS.intersection(words)
    says = intro = personal = False
    if found:
        says = not found.isdisjoint(_SAYS_WORDS) or (
            not found.isdisjoint(_PHRASE_KEYS)
            and _has_phrase(low, _SAYS_PHRASES_ASCII if low.isascii() else _SAYS_PHRASES)
        )
        intro = not found.isdisjoint(_INTRO_WORDS) or (
            not found.isdisjoint(_PHRASE_KEYS) and _has_phrase(low, _INTRO_PHRASES)
        )
        personal = not found.isdisjoint(_PERSONAL_WORDS)
    quoted: tuple[str, ...] = ()
    if '"' in t or "“" in t or "«" in t or "„" in t:
        spans = []
        for m in _QUOTED_ANY.finditer(low):
            q = split_words(m.group())
            if len(q) >= 3:
                spans.append(" ".join(q[:6]))
        quoted = tuple(spans)
        if personal:  # only counts outside quotation marks
            personal = not set(split_words(_QUOTED_ANY.sub("", low))).isdisjoint(_PERSONAL_WORDS)
    tweetish = (
        (("#" in t or "@" in t) and _HASH_MENTION.search(t) is not None)
        or ("/" in t and ("t.co/" in t or "pic.twitter.com/" in t))
        or (not t.isascii() and _EMOJI.search(t) is not None)
    )
    return _Features(
        t,
        words,
        says,
        intro,
        tweetish,
        personal,
        # (t is stripped: a dateline starts with a bracket, a digit or three capitals.)
        (t[:1] in "(0123456789" or t[:3].isupper()) and _DATELINE.match(t) is not None,
        t.endswith((":", "：", "👇", "⬇️", "⬇")),  # `Reaction was swift 👇` introduces too
        quoted,
        length,
    )


def _may_quote(prose: _Features) -> bool:
    """Whether `_quotes_into` could find anything in `prose` (without the tweet's words)."""
    return bool(prose.quoted) or (prose.says and len(prose.words) >= 6)


def _quotes_into(prose: _Features, tweet_words: str) -> bool:
    """True if `prose` repeats words of the tweet: a quoted span of it, or a long shared run.

    `tweet_words` is the tweet's case-folded words, space-joined with a space at both ends.
    """
    for q in prose.quoted:
        if f" {q} " in tweet_words:
            return True
    if prose.says and len(prose.words) >= 6:
        pw = prose.words
        for i in range(0, len(pw) - 5, 3):
            if " " + " ".join(pw[i : i + 6]) + " " in tweet_words:
                return True
    return False


_FINAL_PUNCT = frozenset(".!?:;,\"”’')»…。！？")
_GAP_SCORE = {"wide": 2.0, "para": -2.5, "glue": -1.0, "sentence": -0.5}


def _join_score(f: _Features, gap: str, quotes: bool, bare: bool, blank_doc: bool) -> float:
    """How strongly a unit (just before the current tweet text) belongs to the tweet.

    `quotes`: whether the unit repeats words of the tweet (`_quotes_into`).
    """
    t = f.text
    if gap == "line":
        score = 2.5 if blank_doc else -2.0
    else:
        score = _GAP_SCORE[gap]
    if f.colon:
        score -= 2.5 if (gap == "line" and len(t) < 40) else 5.0
    if f.says:
        score -= 2.5
    elif f.intro:  # `Critics were quick to respond.` introduces the next post
        # A paragraph of its own that introduces a post is a strong boundary: crossing it
        # would make one tweet of two introductions' worth of text.
        score -= 3.0 if gap in ("para", "wide") and t.endswith((".", ":")) else 1.5
    if f.dateline:
        score -= 3.0
    if f.tweetish:
        score += 1.5
    if t.endswith("!"):
        score += 0.5
    if f.personal:
        # I / we / you outside quotation marks: rare in reporting, common in tweets. A short
        # first-person line with no reporting verb and no quotation is the poster's own voice.
        score += 0.8
        if len(t) <= 140 and not f.says and not f.quoted and not f.colon:
            score += 1.0
    if len(t) > 200:
        score -= 1.0
    if t[-1:] not in _FINAL_PUNCT and gap != "glue":
        # No final punctuation; with a hashtag, mention or emoji that is a tweet's line.
        score += 1.5 if f.tweetish else 0.5
    if quotes:
        score -= 6.0
    if bare:
        # The text so far is only links, hashtags or mentions: a tweet rarely is; its words are
        # just before.
        score += 2.0
    return score


def _intro_strength(f: _Features | None, gap: str, quotes: bool) -> float:
    """How good a place to stop the unit before a candidate start is (prose introducing it).

    `quotes`: whether the unit repeats words of the tweet (`_quotes_into`).
    """
    if f is None:
        return 0.5
    s = 0.0
    if f.colon:
        # `Senate resolves to:` + line break inside a paragraph heads a list in the tweet; a
        # paragraph ending in a colon introduces what follows.
        s += 1.0 if gap == "line" else 5.0
    if quotes:
        s += 5.0
    if f.says or f.intro:
        s += 1.0
    return s


def _whole_line_start(text: str, lo: int, pos: int, cache: dict[int, bool]) -> int:
    """Where the line ending at `pos` starts, if `_units_before` would take it whole (not a glued
    line, not the rest of the previous signature's line); -1 otherwise."""
    nl = text.rfind("\n", lo, pos)
    if nl < 0 and lo > 0:
        return -1
    start = nl + 1  # lo (0) when there is no line break
    if (nl < 0 or text.find("\n", pos, start + _GLUED_LINE_MIN) < 0) and _line_is_glued(
        text, pos, cache
    ):
        return -1
    return start


def _quick_start(text: str, lo: int, hi: int, cache: dict[int, bool]) -> int:
    """`_tweet_start`'s common case, decided without building units; -1 when it is not.

    The common case: the signature's own line is a plain short line (what `_units_before` would
    yield as it is: no colon, no glue, not after a signature) and nothing before it, or the
    line before it taken whole, cannot join it in one tweet. The tweet is then that line.
    Mirrors the first two steps of `_units_before` and of `_tweet_start`; anything else goes
    the long way.
    """
    limit = TWEET_LIMIT + 12
    seg = text[lo if lo > hi - 50 else hi - 50 : hi]  # (not max(): see _find_signatures)
    pos = hi - (len(seg) - len(seg.rstrip(" \t\u00a0\n")))
    line_start = _whole_line_start(text, lo, pos, cache)
    if line_start < 0 or not 0 < pos - line_start <= limit:
        return -1
    line = text[line_start:pos]
    if ":" in line or line.isspace():
        return -1
    len_first = tweet_length(line.strip())
    if len_first + 2 > limit or line_start == lo:
        return line_start  # a full tweet already, or nothing before it
    # The unit before: the line ending before the run of blank lines above this one.
    head = text[lo if lo > line_start - 51 else line_start - 51 : line_start]
    body_end = len(head.rstrip(" \t\u00a0\n"))
    if body_end == 0:
        return line_start if line_start - len(head) == lo else -1
    pos = line_start - len(head) + body_end
    start = _whole_line_start(text, lo, pos, cache)
    if start < 0:
        return -1
    # (`_units_before` takes at most the last budget + 600 characters of a line.)
    cut = pos - TWEET_LIMIT - 640
    before = text[start if start > cut else cut : pos]
    if len_first + 1 + tweet_length(before.strip()) > limit:
        return line_start  # nothing more fits
    return -1


def _tweet_start(
    text: str, lo: int, sig: _Signature, blank_doc: bool, cache: dict[int, bool]
) -> int:
    """Offset where the tweet signed by `sig` starts (text[lo:sig.start] is what it may use).

    Candidate starts are the unit boundaries going back from the signature while the text still
    fits in a tweet. Stopping after n units scores the evidence that units 2..n belong to the
    tweet (`_join_score`) plus the evidence that unit n+1 introduces it (`_intro_strength`); the
    best n wins, ties going to the shorter tweet.
    """
    quick = _quick_start(text, lo, sig.start, cache)
    if quick >= 0:
        return quick
    more = _units_before(text, lo, sig.start, TWEET_LIMIT + 40, cache)
    first = next(more, None)
    if first is None:
        return sig.start
    limit = TWEET_LIMIT + 12  # scrapes add or lose a few characters (spaces, line breaks)
    t_first = first.text.strip()
    len_first = tweet_length(t_first)
    if len_first + 2 > limit:
        return first.start  # a full tweet already: nothing before it can fit
    second = next(more, None)
    if second is None:
        return first.start
    len_second = tweet_length(second.text.strip())
    if len_first + 1 + len_second > limit:
        return first.start  # nothing more fits: no evidence needed (the common case)
    f_second = _features(second.text, len_second)
    units = [first, second, *more]
    # The first unit is in the tweet whatever the scores say: of it, only its words, text and
    # length count (no features, the scorer never looks at unit 0's).
    feats: list[_Features | None] = [None, f_second] + [None] * (len(units) - 2)

    def feat(i: int) -> _Features | None:
        if i >= len(units):
            return None
        f = feats[i]
        if f is None:
            f = feats[i] = _features(units[i].text, tweet_length(units[i].text.strip()))
        return f

    # The tweet's words, made only when a unit could quote them (few can): the words of the
    # units joined so far (units 1 .. n-1, in that order in `joined`), then the first unit's.
    joined: list[list[str]] = []
    first_words: list[str] | None = None
    tweet_words, made_for = "", -1  # made for len(joined) == made_for

    def quotes(f: _Features | None) -> bool:
        nonlocal first_words, tweet_words, made_for
        if f is None or not _may_quote(f):
            return False
        if made_for != len(joined):
            if first_words is None:
                first_words = split_words(t_first.casefold())
            words = [w for unit_words in reversed(joined) for w in unit_words]
            tweet_words = " " + " ".join(words + first_words) + " "
            made_for = len(joined)
        return _quotes_into(f, tweet_words)

    bare = _is_bare(t_first)
    length = len_first
    n = 1
    best_n, best_score = 1, _intro_strength(f_second, second.gap, quotes(f_second))
    running = 0.0
    while n < len(units):
        f = feat(n)
        assert f is not None
        if length + 1 + f.length > limit:
            break
        running += _join_score(f, units[n].gap, quotes(f), bare, blank_doc)
        length += 1 + f.length
        joined.append(f.words)
        bare = bare and _is_bare(f.text)
        n += 1
        f_next = feat(n)
        total = running + _intro_strength(
            f_next, units[n].gap if n < len(units) else "", quotes(f_next)
        )
        if total > best_score:
            best_n, best_score = n, total
    return units[best_n - 1].start


# ---------------------------------------------------------------------------------------------
# Paragraph-level recognisers: captions, credit lines, widgets, boilerplate

_AGENCY = (
    r"AP|AFP|EPA|EPA-EFE|PA|Reuters|REUTERS|Getty|Getty Images|Shutterstock|Alamy|Bloomberg|"
    r"Xinhua|ANSA|dpa|DPA|Sipa|SIPA|Abaca|ABACA|IANS|PTI|ANI|UPI|Pool|POOL|AAP|Rex|REX|"
    r"Corbis|NurPhoto|Anadolu|TASS|Kyodo|Yonhap|WireImage|Splash|Handout|HANDOUT|Twitter|"
    r"Instagram|Facebook|YouTube|file|File|Courtesy|NASA|Wikimedia|Wikipedia|CNN|BBC|"
    r"MAXPPP|Maxppp|Belga|BELGA|Keystone|KEYSTONE|Lusa|LUSA|APA|Ritzau|NTB|TT|Scanpix|"
    r"EFE|Europa Press|ANP|Agencia|AGI|Ansa|Photononstop|Imago|IMAGO|SOPA Images|Zuma|ZUMA"
)
_CREDIT_WORD = re.compile(
    r"\b(?:photo|photos|photograph|picture|image|images|credit|courtesy|via|illustration|"
    r"file photo|handout|screengrab|screenshot|foto|crédit|bild|press office|archives?|"
    r"collection|(?:" + _AGENCY + r"))\b",
    re.IGNORECASE,
)
_AGENCY_ONLY = re.compile(r"^(?:" + _AGENCY + r")(?:\s*/\s*(?:" + _AGENCY + r"))*$")
# In a `Name / Agency` credit agencies come in any case (`dpa`, `efe`); `X via Y` credits the
# agency that distributed another's photo (`Markus Baier/dpa via AP`).
_AGENCY_ANY_CASE = re.compile(r"(?:" + _AGENCY + r")", re.IGNORECASE)
_VIA_TAIL = re.compile(r"\s+via\s+(\S.*)$")
_PAREN_CREDIT = re.compile(r"[(（]([^()（）\n]{1,90})[)）]\s*$")
_PIPE_CREDIT = re.compile(r"\s\|\s*([^|\n]{3,90})\s*$")
_LABEL_CREDIT = re.compile(
    r"(?:^|(?<=[\s.!?]))((?:Photo(?:graph)?s?|Pictures?|Images?|Credit|Foto|Crédits?(?: photo)?)"
    r"(?: credit)?\s?:\s?[^\n:]{2,90}(?<![.!?]))\s*$"  # a credit is not a sentence
)
_MANDATORY_CREDIT = re.compile(
    r"(?:^|(?<=\s))(Mandatory Credit\s*:[^\n]{2,120})\s*$", re.IGNORECASE
)
_DASH_CREDIT = re.compile(
    r"(?<=[.!?)])\s+[-–—]\s+((?:[A-ZÀ-Þ][A-ZÀ-Þ'.\-]+\s)+[A-ZÀ-Þ][A-ZÀ-Þ'.\-]+"
    r"(?:\s*/\s*[\w .\-]{2,30})?)\s*$"
)
# A line that is only a credit: `Featured image via ...`, `Photo by ...`, `Image credit: ...`,
# or `Photo: Name / Agency` (short, no sentence: `Photo: the crowd cheers.` is a caption label).
_CREDIT_LINE = re.compile(
    r"(?:(?:featured|top|header|lead|main|cover|hero)\s+)?(?:image|photo|picture|illustration|"
    r"photograph)s?(?:\s+credits?)?\s*(?:(?:via|by|courtesy of|credit|source)\s*:?\s*\S[^\n]{0,120}"
    r"|:\s*(?:\S+\s+){0,7}\S+(?<![.!?]))",
    re.IGNORECASE,
)
_CAPTION_MAX = 600
_WIDGET = re.compile(r"^Twitter\s*:\s*([^\n]{1,60}?)\s+[-–—]\s+(\S[\s\S]*)$")


_PROPER_WORD = r"(?:[A-ZÀ-Þ][\w'’&.-]*|of|and|for|de|du|des|la|le|the|/)"
_PROPER_CREDIT = re.compile(r"[A-ZÀ-Þ][\w'’&.-]*(?:\s+" + _PROPER_WORD + r"){0,4}")
_NOT_CREDIT = re.compile(r"(?i)(related|see|read|updated?|correction|editor|pdf|video|audio)\b")


_PERSON_NAME = re.compile(r"[A-ZÀ-Þ][\w'’.-]+(?:\s+[A-ZÀ-Þ][\w'’.-]+){1,3}")
_SHORT_LOWER = re.compile(r"[a-z]{2,5}")


def _credit_part(part: str) -> bool:
    """One `/`-separated part of a credit: a name or an agency, maybe `... via Agency`."""
    if " via " in part:
        m = _VIA_TAIL.search(part)
        if m is None or not _credit_part(m.group(1)):
            return False
        part = part[: m.start()]
    return part[:1].isupper() or part[:1].isdigit() or _AGENCY_ANY_CASE.fullmatch(part) is not None


_CJK = re.compile(r"[\u3400-\u9fff]")


def _credit_like(credit: str) -> bool:
    c = credit.strip()
    if not c or len(c) > 90:
        return False
    if _AGENCY_ONLY.match(c):
        return True
    if not c.isascii() and _CJK.search(c):  # （路透）, （湯森路透）, （法新社）
        return len(c) <= 12
    if c.count(".") > 1 and "/" not in c:
        return False
    if _NOT_CREDIT.match(c):
        return False
    if "/" in c:
        parts = [p.strip() for p in c.split("/")]
        if len(c.split()) > 10:
            return False
        # After a photographer's name (two capitalised words), a short lower-case word is an
        # agency's acronym we do not list (`Jan Nowak / pap`); `(Yes/no)` names nobody.
        named = _PERSON_NAME.fullmatch(parts[0]) is not None
        return all(
            _credit_part(p) or (named and i > 0 and _SHORT_LOWER.fullmatch(p) is not None)
            for i, p in enumerate(parts)
            if p
        )
    words = c.split()
    # Credits name someone (`via Getty`, `Courtesy of the family`); `(via email)` is prose.
    return (
        len(words) <= 10
        and any(w[:1].isupper() for w in words)
        and _CREDIT_WORD.search(c) is not None
    )


def _caption(para: str) -> PhotoCaption | None:
    """A short paragraph whose end carries a photo credit, or a line that is only a credit."""
    n = len(para)
    if n > _CAPTION_MAX:
        return None
    off = max(0, n - 140)  # credits sit at the end: end-anchored patterns search only there
    tail = para[off:]
    last = tail[-1:]
    if n <= 140 and "\n" not in para and _CREDIT_LINE.fullmatch(para):
        return PhotoCaption(text="", credit=para)
    if last in ")）":
        m = _PAREN_CREDIT.search(para, off)
        if m:
            text = para[: m.start()].strip()
            credit = m.group(1).strip()
            if (_credit_like(credit) and text and not text.endswith((",", ";"))) or (
                # `... on Tuesday evening. (Shore Council)`: a complete sentence, then a short
                # proper name in brackets.
                n <= 300
                and text.endswith((".", "!", "?"))
                and text.count(" ") >= 3
                and _PROPER_CREDIT.fullmatch(credit) is not None
                and not _NOT_CREDIT.match(credit)
            ):
                return PhotoCaption(text=text, credit=credit)
    if "|" in tail:
        m = _PIPE_CREDIT.search(para, off)
        if m and _credit_like(m.group(1)):
            return PhotoCaption(text=para[: m.start()].strip(), credit=m.group(1).strip())
    if ":" in tail:
        if "redit" in tail or "REDIT" in tail:
            m = _MANDATORY_CREDIT.search(para, off)
            if m:
                text = para[: m.start(1)].strip()
                return PhotoCaption(text=text, credit=m.group(1).strip())
        # A label credit's colon is the last one (none in the credit after it), its label
        # (`Crédits photo credit :`, at most 21 characters) just before it: look only there.
        colon = para.rfind(":")
        label_from = max(off, colon - 21)
        if _LABEL_HINT.search(para, label_from, colon):
            m = _LABEL_CREDIT.search(para, label_from)
            if m and len(m.group(1)) <= 90:
                text = para[: m.start(1)].strip()
                return PhotoCaption(text=text, credit=m.group(1).strip())
    if last.isupper() and n <= 400 and (" - " in tail or " – " in tail or " — " in tail):
        m = _DASH_CREDIT.search(para, off)
        if m:
            return PhotoCaption(text=para[: m.start()].strip(), credit=m.group(1).strip())
    return None


_LABEL_HINT = re.compile(r"(?i:photo|picture|image|credit|foto|crédit)")
# The alternatives of `_BOILERPLATE`, each with the (ASCII) characters it can start with.
_BOILERPLATE_ALTERNATIVES = (
    ("Rr", r"read more\.?|related"),
    ("Aa", r"advertisement|authors?:?|a voir(?:a lire)?"),
    ("Ss", r"story continued below|see also: [^\n]{0,150}|subscribe to [^\n]{0,200}"),
    ("Ss", r"sign up for [^\n]{0,200}|share this(?: article| story)?"),
    ("Ff", r"follow [^\n]{1,60} on (?:twitter|facebook|instagram)\.?|ftc: [^\n]*"),
    ("Hh", r"have something to add to this story\?[^\n]*"),
    ("(Rr", r"\(?related: [^\n]{0,150}\)?"),
    ("0123456789", r"\d{5,}"),
    ("*", r"\*{3,}[\s\S]*\*{3,}|\*\*subscribe[^\n]*"),
    ("Pp", r"posted by [^\n]{1,60} on [^\n]{1,40}"),
    ("Cc", r"culture: your hub for[^\n]*|click here[^\n]{0,150}"),
    ("Ii", r"image \d+ of \d+"),
    ("", r"à lire aussi[^\n]{0,150}"),  # (a non-ASCII first letter tries every alternative)
)
_BOILERPLATE = re.compile(
    "(?:" + "|".join(alt for _, alt in _BOILERPLATE_ALTERNATIVES) + ")", re.IGNORECASE
)
# A paragraph starting with an ASCII character tries only the alternatives that can start with
# it (None: no alternative can); other first characters try them all (case-insensitive
# matching folds some of them into ASCII letters: `ſ`, `K`).
_BOILERPLATE_BY_FIRST: dict[str, re.Pattern[str] | None] = {
    c: re.compile("(?:" + "|".join(alts) + ")", re.IGNORECASE) if alts else None
    for c in map(chr, range(128))
    for alts in [[alt for starts, alt in _BOILERPLATE_ALTERNATIVES if c in starts]]
}
# Consent banners and copyright lines: recognised by a phrase near their start.
_BOILERPLATE_PHRASE = re.compile(
    r"all rights reserved|accès à ce contenu a été bloqué|we use cookies"
    r"|cookie (?:policy|settings)",
    re.IGNORECASE,
)


def _is_boilerplate(para: str) -> bool:
    n = len(para)
    if n > 900:
        return False
    first = para[:1]
    # Past 300 characters only the `*`, `f`, `h` and `c` alternatives are tried (the long ones).
    if n <= 300 or first in "*FfHhCc":
        pattern = _BOILERPLATE_BY_FIRST.get(first, _BOILERPLATE)
        if pattern is not None and pattern.fullmatch(para) is not None:
            return True
    head = para[:120]
    return (
        "ookie" in head or "eserved" in head or (not para.isascii() and "accès à ce" in head)
    ) and (_BOILERPLATE_PHRASE.search(head) is not None)


# ---------------------------------------------------------------------------------------------
# Blocks


_PARA_SPLIT = re.compile(r"\n(?:[ \t\u00a0]*\n)+")


_STRIP = " \t\u00a0\n"


def _glued_parts(para: str) -> list[str]:
    """A glued paragraph cut at its glue points, stripped, non-empty."""
    out: list[str] = []
    cut_from = 0
    for cut in _glue_cuts(para, camel=True):
        piece = para[cut_from:cut].strip(_STRIP)
        if piece:
            out.append(piece)
        cut_from = cut
    piece = para[cut_from:].strip(_STRIP)
    if piece:
        out.append(piece)
    return out


def _add_paragraphs(
    text: str, lo: int, hi: int, glued_lines: set[int], handles: dict[str, str], blocks: list[Block]
) -> None:
    """Append the blocks of the paragraphs of text[lo:hi] (non-tweet text): blank-line
    separated, glued lines split.

    `glued_lines` holds the starts of lines known to be glued (next to a glued signature): a
    paragraph on one of them is split even when it is too short to tell on its own.
    """
    if not glued_lines:
        # Every "\n\n" lies in a `_PARA_SPLIT` separator, and separators are made of `_STRIP`
        # characters: the pieces between "\n\n"s are the paragraphs, stripped. Only a piece
        # with a line break left can hold a blank-looking line (` \n`) to split at too.
        for piece in text[lo:hi].split("\n\n"):
            for para in _PARA_SPLIT.split(piece) if "\n" in piece else (piece,):
                para = para.strip(_STRIP)
                if not para:
                    continue
                n = len(para)
                if n >= _GLUED_LINE_MIN and _is_glued(para):
                    for part in _glued_parts(para):
                        _classify_into(part, handles, blocks)
                # The fast path of `_classify_into`, inline (most paragraphs take it).
                elif n > _CAPTION_MAX or not (
                    (last := para[-1]) in ")）"
                    or n <= 140
                    or last.isupper()
                    or "|" in (tail := para[-140:])
                    or ":" in tail
                    or para.startswith("Twitter")
                ):
                    blocks.append(Paragraph(para, n <= 900 and _is_boilerplate(para)))
                else:
                    _classify_into(para, handles, blocks)
        return
    start = lo
    for sep in [*_PARA_SPLIT.finditer(text, lo, hi), None]:
        end = sep.start() if sep is not None else hi
        para = text[start:end].strip(_STRIP)
        if para:
            line = text.rfind("\n", max(0, start - _LINE_PROBE), start) + 1
            if ("\n" not in para and line in glued_lines) or (
                len(para) >= _GLUED_LINE_MIN and _is_glued(para)
            ):
                for part in _glued_parts(para):
                    _classify_into(part, handles, blocks)
            else:
                _classify_into(para, handles, blocks)
        start = sep.end() if sep is not None else hi


# A live blog's time at the start of a caption paragraph (`22.02 `, `14:05 `): an entry's
# time, not the caption's words.
_ENTRY_TIME = re.compile(r"(?:[01]?\d|2[0-3])[.:h][0-5]\d(?=[ \t\u00a0]+\S)")


def _classify_into(para: str, handles: dict[str, str], blocks: list[Block]) -> None:
    """Append the block(s) one paragraph of non-tweet text makes."""
    n = len(para)
    last = para[-1]
    # Fast path, most paragraphs: prose too long for a caption, or ending without anything a
    # credit or widget could end with.
    if n > _CAPTION_MAX or not (
        last in ")）"
        or n <= 140
        or last.isupper()
        or "|" in (tail := para[-140:])  # (`find` parses its arguments slowly)
        or ":" in tail
        or para.startswith("Twitter")
    ):
        blocks.append(Paragraph(para, n <= 900 and _is_boilerplate(para)))
        return
    block = _classify(para, handles)
    if isinstance(block, PhotoCaption) and block.text[:1].isdigit():
        m = _ENTRY_TIME.match(block.text)
        if m is not None:
            # The time stays a paragraph of its own (no text is lost), the caption is the rest.
            blocks.append(Paragraph(m.group(), False))
            block = PhotoCaption(text=block.text[m.end() :].lstrip(_STRIP), credit=block.credit)
    blocks.append(block)


def _classify(para: str, handles: dict[str, str]) -> Block:
    m = _WIDGET.match(para) if para.startswith("Twitter") else None
    if m:
        name = clean_line(m.group(1))
        return Tweet(
            text=m.group(2).strip(),
            author=name,
            handle=handles.get(name.casefold(), ""),
            date=None,
            links=_links(m.group(2)),
        )
    # (`_classify_into` has already ruled out what cannot end in a credit, but for a paragraph
    # starting with `Twitter`; `_caption` rules those out itself, quickly.)
    cap = _caption(para)
    if cap is not None:
        return cap
    return Paragraph(para, len(para) <= 900 and _is_boilerplate(para))


_BLANK_RUN = re.compile(r"[ \t\u00a0]*\n(?:[ \t\u00a0]*\n)+[ \t\u00a0]*")


def _tidy_tweet_text(text: str) -> str:
    text = text.strip(_STRIP)
    # Keep the tweet's own line breaks, but no wider than a blank line.
    return _BLANK_RUN.sub("\n\n", text) if "\n" in text else text


def _links(text: str) -> tuple[str, ...]:
    if "t.co/" not in text and "pic.twitter.com/" not in text:
        return ()
    # Links start with `http` or `pic.`: jump between those with str.find and match there,
    # instead of letting the regex try every position (same result as `_LINK.findall`).
    out: list[str] = []
    pos = 0
    i = j = -2  # next `http` / `pic.` at or after pos; -1 when none is left
    while True:
        # Each search resumes only once passed (never re-scans: linear on hostile input).
        if -1 < i < pos or i == -2:
            i = text.find("http", pos)
        if -1 < j < pos or j == -2:
            j = text.find("pic.twitter.com/", pos)
        if i < 0 and j < 0:
            return tuple(out)
        k = i if j < 0 or 0 <= i < j else j
        m = _LINK.match(text, k)
        if m is not None:
            out.append(m.group())
            pos = m.end()
        else:
            pos = k + 1


def split_blocks(text: str) -> tuple[Block, ...]:
    """Split an article body into paragraphs, tweets and photo captions.

    `text` should already be sanitised (`reader.sanitize.clean_text`); control characters are
    stripped again here so that callers cannot leak them into the model by mistake.
    """
    return _split_clean(strip_controls(unix_newlines(text)))


def _split_clean(text: str) -> tuple[Block, ...]:
    # (No `"(@" in text` test first: the anchor's search scans text without one as fast.)
    sigs = _find_signatures(text)
    blocks: list[Block] = []
    if not sigs:  # (most articles: none of the set-up below for tweets)
        _add_paragraphs(text, 0, len(text), set(), {}, blocks)
        return tuple(blocks)
    # Two blank-line gaps (non-overlapping, as str.count would see them), found without
    # counting them all.
    first_gap = text.find("\n\n")
    blank_doc = (first_gap >= 0 and text.find("\n\n", first_gap + 2) >= 0) or (
        "\n" not in text.strip("\n")
    )
    # Display name -> handle, for live-blog widgets that name an account signing elsewhere
    # (made from the few signatures, cheaper than scanning the text for a `Twitter` widget).
    handles = {s.author.casefold(): s.handle for s in sigs}
    glued_cache: dict[int, bool] = {}
    for sig in sigs:
        if sig.glued_tail:
            # Text glued to a signature's date is a lost line break: a short line with one more
            # glue point is a glued line too.
            line_start = text.rfind("\n", max(0, sig.start - _LINE_PROBE), sig.start) + 1
            if line_start or sig.start <= _LINE_PROBE:
                glued_cache.setdefault(
                    line_start, _GLUE.search(text, line_start, sig.start) is not None
                )
    glued_lines = {k for k, v in glued_cache.items() if v}
    pos = 0
    for sig in sigs:
        start = _tweet_start(text, pos, sig, blank_doc, glued_cache)
        _add_paragraphs(text, pos, start, glued_lines, handles, blocks)
        tweet_text = _tidy_tweet_text(text[start : sig.start])
        # (Positional: a class called with keywords builds a dict for them.)
        blocks.append(Tweet(tweet_text, sig.author, sig.handle, sig.date, _links(tweet_text)))
        pos = sig.end
    _add_paragraphs(text, pos, len(text), glued_lines, handles, blocks)
    return tuple(blocks)


# ---------------------------------------------------------------------------------------------
# Metadata header and title

_DATE_PREFIX = re.compile(r"\A[ \t\u00a0]*date[ \t]+(\d{4}-\d{1,2}-\d{1,2})(?:[ \t]+|\n|\Z)")
_HEADER_KEYS = {"title", "date", "url", "author", "source", "link", "published", "byline"}
_HEADER_LINE = re.compile(r"^[ \t]*([A-Za-z_]{2,12})[ \t]*:[ \t]*(.*?)[ \t]*$")


def _split_header(text: str) -> tuple[dict[str, str], str, _dt.date | None]:
    """Metadata (`key: value` header, `---` front matter) and body; for a ` date YYYY-MM-DD `
    prefix instead, no fields and the parsed date (most texts: nothing to clean or keep)."""
    meta: dict[str, str] = {}
    m = _DATE_PREFIX.match(text)
    if m:
        date = parse_iso_date(m.group(1))
        if date is not None:
            return meta, text[m.end() :], date
    stripped = text.lstrip("\n \t")
    fenced = stripped.startswith("---\n")
    if fenced:
        end = stripped.find("\n---", 4)
        if end < 0 or end > 4000 or stripped[end + 4 : end + 5] not in ("\n", ""):
            return meta, text, None
        lines = stripped[4:end].split("\n")
        body_start = end + 5
    else:
        head_end = stripped.find("\n\n")
        if head_end < 0 or head_end > 2000:
            return meta, text, None
        head = stripped[:head_end]
        if ":" not in head:  # (no `key: value` line: most texts)
            return meta, text, None
        lines = head.split("\n")
        body_start = head_end + 2
    found: dict[str, str] = {}
    for line in lines:
        if not line.strip():
            continue
        hm = _HEADER_LINE.match(line)
        if not hm:
            return meta, text, None
        key = hm.group(1).lower()
        if (key not in _HEADER_KEYS and not fenced) or key in found:
            return meta, text, None
        found[key] = hm.group(2).strip().strip("\"'")
    if not found:
        return meta, text, None
    return found, stripped[body_start:], None  # (copied only now: most texts have no header)


# `[.!?…]` + closing marks before a capitalised word, or a CJK full stop. One leading class
# (the CJK case is told apart by a lookbehind) lets the regex engine skip to punctuation.
_SENTENCE_END = re.compile(r"[.!?…。！？](?:(?<=[。！？])|[\"”’»)]*(?=\s+[\"“«(]?[A-Z0-9À-Þ]))")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Col|Lt|Sgt|St|Jr|Sr|Inc|Co|Corp|Ltd|vs|No|"
    r"U\.S|U\.K|U\.N|a\.m|p\.m|e\.g|i\.e|Jan|Feb|Aug|Sept|Oct|Nov|Dec)|\b[A-Z])\.$"
)
_TITLE_PREFIX = re.compile(
    r"^\s*(?:\([A-Z][A-Za-z ]{1,20}\)\s*[-—–]?\s*|\d{1,2}[.:h]\d{2}\s?:?\s+|story highlights\s+)",
    re.IGNORECASE,
)
TITLE_MAX = 100


def derive_title(text: str) -> str:
    """A title from text: its first sentence, cut at a word boundary near 100 characters."""
    # Only the first 400 characters after the prefix (at most 26) are looked at: collapsing
    # the white space of a head of the text is enough when it leaves 430 of them.
    head = text[:600]
    # A head whose only white space is single spaces is collapsed already (every other white
    # space character is unprintable): no split and join.
    head = head.strip(" ") if head.isprintable() and "  " not in head else " ".join(head.split())
    text = head if len(head) >= 430 or len(text) <= 600 else " ".join(text.split())
    prefix = _TITLE_PREFIX.match(text)
    if prefix is not None:
        text = text[prefix.end() :]
    end = len(text)
    # (finditer clips its end at the text's; `_ABBREV` ends with `\.`: no other mark can be one.)
    for m in _SENTENCE_END.finditer(text, 0, 400):
        dot = m.start()
        if text[dot] != "." or not _ABBREV.search(text[dot - 6 if dot > 6 else 0 : dot + 1]):
            end = m.end()
            break
    sentence = text[:end].strip()
    if len(sentence) <= TITLE_MAX:
        return sentence
    cut = sentence.rfind(" ", 0, TITLE_MAX)
    if cut < TITLE_MAX // 2:
        cut = TITLE_MAX
    return sentence[:cut].rstrip(" ,;:-—–") + "…"


def _title_from_blocks(blocks: tuple[Block, ...]) -> str:
    for b in blocks:
        if isinstance(b, Paragraph) and not b.boilerplate and b.text.count(" ") >= 3:
            return derive_title(b.text)
    for b in blocks:
        if b.text.strip():
            return derive_title(b.text)
    return ""


# ---------------------------------------------------------------------------------------------
# Entry points


def _clean_field(value: str | None) -> str | None:
    """A header value as a one-line field, or None when it is missing or blank."""
    return (clean_line(value) or None) if value else None


def parse_text(text: str, *, source: str, utf8: tuple[bytes, str] | None = None) -> Article:
    """Parse one scraped article (already decoded text) into an `Article`.

    `utf8`: `reader.sanitize.utf8_unusual(text)`, if the caller has it (saves encoding again)."""
    clean, utf8_data, unusual = clean_text_utf8(text, utf8=utf8)
    meta, body, date = _split_header(clean)
    blocks = _split_clean(body)  # clean_text has sanitised it
    url = author = None
    extra: dict[str, str] = {}
    title = ""
    if meta:
        title = _clean_field(meta.get("title")) or ""
        date = parse_iso_date(meta.get("date") or meta.get("published"))
        url = _clean_field(meta.get("url") or meta.get("link"))
        author = _clean_field(meta.get("author") or meta.get("byline"))
        used = {"title", "url", "author"} | ({"date"} if date is not None else set())
        # Everything else the header said (an unparsable date included) is kept, not dropped.
        extra = {k: clean_line(v) for k, v in meta.items() if k not in used}
    title = title or _title_from_blocks(blocks) or clean_line(source)
    # (Positional: a class called with keywords builds a dict for them.)
    return Article(
        # id: from the sanitised body, never from parser output: improving the parser must not
        # change ids (reading state is keyed on them).
        content_id_utf8(clean, utf8_data, unusual, len(clean) - len(body)),
        source,
        title,
        blocks,
        find_quotes(blocks),
        date,
        url,
        author,
        "text",
        extra,
    )


def parse(data: str, source: str, utf8: tuple[bytes, str] | None = None) -> list[Article]:
    """The format entry point: a scraped text file is one article. (`utf8`: see `parse_text`.)"""
    return [parse_text(data, source=source, utf8=utf8)]
