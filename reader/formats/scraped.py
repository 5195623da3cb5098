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

from reader.model import Article, Block, Paragraph, PhotoCaption, Tweet, content_id, parse_iso_date
from reader.quotes import find_quotes
from reader.sanitize import clean_line, clean_text, strip_controls

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
_DASHES = "\u2014\u2013\u2015"  # em dash, en dash, horizontal bar
_NAME_WINDOW = 90  # display names are at most 50 characters; emoji sequences take more
_NAME_MAX = 80


@dataclass(frozen=True, slots=True)
class _Signature:
    start: int  # where the dash (or the name, for a dash-less signature) starts
    end: int  # just after the year
    author: str
    handle: str
    date: _dt.date | None
    glued_tail: bool  # text continues right after the year (a one-line scrape)


def _make_date(month: str, day: str, year: str) -> _dt.date | None:
    try:
        return _dt.date(int(year), _MONTHS[month.rstrip(".").lower()], int(day))
    except (KeyError, ValueError):
        return None


def _find_signatures(text: str) -> list[_Signature]:
    sigs: list[_Signature] = []
    floor = 0  # a signature never reaches back past the previous one
    for m in _ANCHOR.finditer(text):
        line_start = max(text.rfind("\n", 0, m.start()) + 1, floor)
        lo = max(line_start, m.start() - _NAME_WINDOW)
        window = text[lo : m.start()]
        cut = max(window.rfind(d) for d in _DASHES)
        if cut >= 0:
            dash = lo + cut
            name_start = dash + 1
        else:
            # A hyphen used as the dash needs space (or a line start) before it: names have
            # hyphens of their own.
            hy = window.rfind(" - ")
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
        name = text[name_start : m.start()].strip(" \t\u00a0\u2009\u202f")
        if not _plausible_name(name):
            continue
        end = m.end()
        tail = text[end : text.find("\n", end) if "\n" in text[end : end + 400] else end + 400]
        glued = False
        if tail.strip():
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
        sigs.append(
            _Signature(
                start=dash,
                end=end,
                author=clean_line(name),
                handle=m.group(1),
                date=_make_date(m.group(2), m.group(3), m.group(4)),
                glued_tail=glued,
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
    if _URLISH.search(name):
        return False
    words = name.split()
    if len(words) > 9:
        return False
    # A run of lower-case prose words is a sentence, not a display name.
    return not (len(words) > 4 and _NAME_PROSE.search(name))


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
    for m in _ANY_URL.finditer(text):
        n -= len(m.group()) if m.group().startswith("pic.") else len(m.group()) - 23
    return n + len(_WIDE.findall(text))


# ---------------------------------------------------------------------------------------------
# Units: the pieces a tweet's start is chosen among

# Where a line-less scrape lost a line break: sentence punctuation glued to a capital, a quote
# glued to a capital or emoji, a colon glued to a capital, NBSP before a capital, a live blog's
# `10h24 :` time glued to the previous word.
_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_GLUE = re.compile(
    r"(?<=[^\s.][.!?…])(?=[\"“«]?[" + _UPPER + r"#@\U0001f300-\U0001faff])"
    r"|(?:(?<=[\w.!?…][\"”»])|(?<=[.!?…][ \u00a0][»”]))(?=[" + _UPPER + r"«\"“#@\U0001f300-\U0001faff])"
    r"|(?<=[a-zà-ÿ]:)(?=[" + _UPPER + r"])"
    r"|(?<=[^«\s])\u00a0+(?=[" + _UPPER + r"])"
    r"|(?<=[^\s\d])(?=\d{1,2}h\d{2} ?: )"
)
_GLUED_LINE_MIN = 600
# Between paragraphs (never inside a tweet) a glued heading also splits: `...du jourUne centaine`.
_GLUE_PARAGRAPH = re.compile(
    _GLUE.pattern + r"|(?<=[a-zà-ÿ]{3})(?=[" + _UPPER + r"][a-zà-ÿ]{2})"
)


def _is_glued(line: str) -> bool:
    """A line that is really several paragraphs whose line breaks a scraper dropped."""
    if len(line) < _GLUED_LINE_MIN:
        return False
    hits = 0
    for _ in _GLUE.finditer(line):
        hits += 1
        if hits >= 3:
            return True
    return False


@dataclass(slots=True)
class _Unit:
    text: str
    start: int  # offset in the article text
    gap: str  # what separates it from the unit after it: line, para, wide, glue


_NEWLINES = re.compile(r"[ \t\u00a0]*\n(?:[ \t\u00a0]*\n)*[ \t\u00a0]*")


def _gap_kind(sep: str) -> str:
    n = sep.count("\n")
    if n >= 4:
        return "wide"
    if n >= 2:
        return "para"
    return "line"


def _line_is_glued(text: str, pos: int, cache: dict[int, bool]) -> bool:
    """Whether the physical line around `pos` is a glued one (cached per line: linear time)."""
    start = text.rfind("\n", 0, pos) + 1
    hit = cache.get(start)
    if hit is None:
        end = text.find("\n", start)
        hit = _is_glued(text[start : end if end >= 0 else len(text)])
        cache[start] = hit
    return hit


def _units_before(
    text: str, lo: int, hi: int, budget: int, cache: dict[int, bool]
) -> list[_Unit]:
    """Units of text[lo:hi], last first, going back until `budget` characters are covered.

    A unit is a line, or in a glued line a piece between two lost line breaks. Each unit's
    `gap` is the separator between it and the unit after it (for the last one: the signature).
    """
    units: list[_Unit] = []
    seg = text[max(lo, hi - 50) : hi]
    trailing = seg[len(seg.rstrip(" \t\u00a0\n")) :]
    following = _gap_kind(trailing) if "\n" in trailing else "line"
    pos = hi - len(trailing)
    covered = 0
    while pos > lo and covered <= budget:
        nl = text.rfind("\n", lo, pos)
        line_start = nl + 1 if nl >= 0 else lo
        line = text[line_start:pos]
        inner = "glue"
        if _line_is_glued(text, pos, cache):
            pieces = _glue_split_backward(line, line_start, budget - covered)
        elif (line_start == lo and lo > 0 and text[lo - 1] != "\n") or (
            len(line) > TWEET_LIMIT + 12 and tweet_length(line) > TWEET_LIMIT + 12
        ):
            # Longer than any tweet, or going on after the previous signature: prose and tweet
            # share the line (a scrape that turned line breaks into spaces). Its sentences are
            # the candidate starts.
            pieces = _sentence_split_backward(line, line_start, budget - covered)
            inner = "sentence"
        else:
            pieces = [(line_start, line)]
        gap_after = following
        for p_start, p_text in reversed(pieces):
            if p_text.strip():
                units.append(_Unit(p_text, p_start, gap_after))
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
    return units


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
    cuts = [lo]
    for m in _GLUE.finditer(line, lo):
        # Two patterns can fire a character apart (`"."Le`): keep the first cut.
        if m.start() > cuts[-1] + 2:
            cuts.append(m.start())
    cuts.append(len(line))
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if b > a:
            pieces.append((offset + a, line[a:b]))
    return pieces


# ---------------------------------------------------------------------------------------------
# Evidence

# Reporting verbs: prose that introduces or attributes words. (Not `asked`, `say`, `read`:
# tweets use those too.)
_SAYS = re.compile(
    r"\b(?:said|says|saying|tweeted|tweeting|wrote|writes|writing|posted|posting|told|"
    r"according to|explained|replied|responded|announced|quipped|declared|stated|reads|"
    r"insisted|claimed|took to|in a statement|"
    r"a déclaré|a-t-il|a-t-elle|a tweeté|a écrit|selon|souligne|a réagi|dijo|escribió|"
    r"sagte|schrieb)\b",
    re.IGNORECASE,
)
_TWEETISH = re.compile(
    r"(?:^|\s|[(\"“])[#@][\w]|https?://t\.co/|pic\.twitter\.com/|[\U0001f300-\U0001faff\u2600-\u27bf]"
)
_QUOTED = re.compile(r"[\"“«„]\s*([^\"“”«»\n]{8,400}?)\s*[\"”»“]")
_DATELINE = re.compile(
    r"^\s*(?:\([A-Z][A-Za-z ]{1,20}\)|\d{1,2}[.:h]\d{2}(?:\s?:)?\s|[A-Z]{3,}(?:,\s[A-Z][a-z]+)*\s[-—–]\s)"
)
_WORDS = re.compile(r"\w+")
_PERSONAL = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|my|we|our|us|you|your)\b")
_QUOTED_ANY = re.compile(r"[\"“«][^\"“”«»]*[\"”»]")
_INTRO_VERBS = re.compile(
    r"\b(?:shared|reacted|summed up|put it|posted|responded|replied|wrote|tweeted)\b",
    re.IGNORECASE,
)
_BARE = re.compile(r"(?:https?://|pic\.twitter\.com/)\S+|[#@]\w+")


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.casefold())


def _quotes_into(prose: str, tweet: str) -> bool:
    """True if `prose` repeats words of `tweet`: a quoted span of it, or a long shared run."""
    if not prose or not tweet:
        return False
    tw = " " + " ".join(_words(tweet)) + " "
    for m in _QUOTED.finditer(prose):
        q = _words(m.group(1))
        if len(q) >= 3 and (" " + " ".join(q[:6]) + " ") in tw:
            return True
    pw = _words(prose)
    if len(pw) >= 6:
        for i in range(0, len(pw) - 5, 3):
            if (" " + " ".join(pw[i : i + 6]) + " ") in tw:
                return True
    return False


def _ends_with_colon(text: str) -> bool:
    t = text.rstrip(" \t\u00a0")
    return t.endswith(":") or t.endswith("：")


def _join_score(unit: _Unit, tweet_text: str, blank_doc: bool) -> float:
    """How strongly `unit` (just before the current tweet text) belongs to the tweet."""
    t = unit.text.strip()
    score = {
        "line": 2.5 if blank_doc else -2.0,
        "wide": 2.0,
        "para": -2.5,
        "glue": -1.0,
        "sentence": -0.5,
    }[unit.gap]
    if _ends_with_colon(t):
        score -= 2.5 if (unit.gap == "line" and len(t) < 40) else 5.0
    if _SAYS.search(t):
        score -= 2.5
    if _DATELINE.match(t):
        score -= 3.0
    if _TWEETISH.search(t):
        score += 1.5
    if t.endswith("!"):
        score += 0.5
    if _PERSONAL.search(_QUOTED_ANY.sub("", t)):
        # I / we / you outside quotation marks: rare in reporting, common in tweets.
        score += 0.8
    if len(t) > 200:
        score -= 1.0
    if t[-1:].isalnum() and unit.gap != "glue":
        score += 0.5
    if _quotes_into(t, tweet_text):
        score -= 6.0
    if not _BARE.sub("", tweet_text).strip(" \t\n.,:;!?-—–"):
        # Text so far is only links, hashtags or mentions: a tweet rarely is, its words are
        # just before.
        score += 2.0
    return score


def _intro_strength(unit: _Unit | None, tweet_text: str) -> float:
    """How good a place to stop the unit before a candidate start is (prose introducing it)."""
    if unit is None:
        return 0.5
    t = unit.text.strip()
    s = 0.0
    if _ends_with_colon(t):
        # `Senate resolves to:` + line break inside a paragraph heads a list in the tweet; a
        # paragraph ending in a colon introduces what follows.
        s += 1.0 if unit.gap == "line" else 3.0
    if _quotes_into(t, tweet_text):
        s += 4.0
    if _SAYS.search(t) or _INTRO_VERBS.search(t):
        s += 1.0
    return s


def _tweet_start(
    text: str, lo: int, sig: _Signature, blank_doc: bool, cache: dict[int, bool]
) -> int:
    """Offset where the tweet signed by `sig` starts (text[lo:sig.start] is what it may use)."""
    units = _units_before(text, lo, sig.start, TWEET_LIMIT + 40, cache)
    if not units:
        return sig.start
    # The unit right before the signature is always the tweet (or the tweet's last piece).
    best_n, best_score = 1, 0.0
    chosen = units[0].text
    running = 0.0
    limit = TWEET_LIMIT + 12  # scrapes add or lose a few characters (spaces, line breaks)
    n = 1
    # Score of stopping after n units = sum of join scores of units 2..n + intro of unit n+1.
    best_score = _intro_strength(units[1] if len(units) > 1 else None, chosen)
    while n < len(units):
        cand = units[n]
        joined = cand.text + "\n" + chosen
        if tweet_length(joined.strip()) > limit:
            break
        running += _join_score(cand, chosen, blank_doc)
        n += 1
        chosen = joined
        nxt = units[n] if n < len(units) else None
        total = running + _intro_strength(nxt, chosen)
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
    r"MAXPPP|Maxppp|Belga|BELGA|Keystone|KEYSTONE|Lusa|LUSA|APA|Ritzau|NTB|TT|Scanpix"
)
_CREDIT_WORD = re.compile(
    r"\b(?:photo|photos|photograph|picture|image|images|credit|courtesy|via|illustration|"
    r"file photo|handout|screengrab|screenshot|foto|crédit|bild|(?:" + _AGENCY + r"))\b",
    re.IGNORECASE,
)
_AGENCY_ONLY = re.compile(r"^(?:" + _AGENCY + r")(?:\s*/\s*(?:" + _AGENCY + r"))*$")
_PAREN_CREDIT = re.compile(r"[(（]([^()（）\n]{1,90})[)）]\s*$")
_PIPE_CREDIT = re.compile(r"\s\|\s*([^|\n]{3,90})\s*$")
_LABEL_CREDIT = re.compile(
    r"(?:^|(?<=[\s.!?]))((?:Photo(?:graph)?s?|Pictures?|Images?|Credit|Foto|Crédits?(?: photo)?)"
    r"(?: credit)?\s?:\s?[^\n:]{2,90})\s*$"
)
_MANDATORY_CREDIT = re.compile(
    r"(?:^|(?<=\s))(Mandatory Credit\s*:[^\n]{2,120})\s*$", re.IGNORECASE
)
_DASH_CREDIT = re.compile(
    r"(?<=[.!?)])\s+[-–—]\s+((?:[A-ZÀ-Þ][A-ZÀ-Þ'.\-]+\s)+[A-ZÀ-Þ][A-ZÀ-Þ'.\-]+(?:\s*/\s*[\w .\-]{2,30})?)\s*$"
)
_CREDIT_LINE = re.compile(
    r"^(?:(?:featured|top|header|lead|main|cover|hero)\s+)?(?:image|photo|picture|illustration|"
    r"video|photograph)s?(?:\s+credits?)?\s*(?:via|by|courtesy of|credit|source|:)\s*:?\s*\S[^\n]{0,120}$",
    re.IGNORECASE,
)
_CAPTION_MAX = 600
_WIDGET = re.compile(r"^Twitter\s*:\s*([^\n]{1,60}?)\s+[-–—]\s+(\S[\s\S]*)$")


def _credit_like(credit: str) -> bool:
    c = credit.strip()
    if not c or len(c) > 90:
        return False
    if _AGENCY_ONLY.match(c):
        return True
    if re.search(r"[\u3400-\u9fff]", c):  # （路透）, （湯森路透）, （法新社）
        return len(c) <= 12
    if c.count(".") > 1 and "/" not in c:
        return False
    if re.match(r"(?i)(related|see|read|updated?|correction|editor)\b", c):
        return False
    if "/" in c:
        parts = [p.strip() for p in c.split("/")]
        return all(p[:1].isupper() or p[:1].isdigit() for p in parts if p) and len(c.split()) <= 10
    return bool(_CREDIT_WORD.search(c)) and len(c.split()) <= 10


def _caption(para: str) -> PhotoCaption | None:
    """A short paragraph whose end carries a photo credit, or a line that is only a credit."""
    if len(para) > _CAPTION_MAX:
        return None
    if len(para) <= 140 and "\n" not in para and _CREDIT_LINE.match(para):
        return PhotoCaption(text="", credit=para)
    m = _MANDATORY_CREDIT.search(para)
    if m:
        return PhotoCaption(text=para[: m.start(1)].strip(), credit=m.group(1).strip())
    m = _PAREN_CREDIT.search(para)
    if m and _credit_like(m.group(1)):
        text = para[: m.start()].strip()
        if text and not text.endswith((",", ";")):
            return PhotoCaption(text=text, credit=m.group(1).strip())
    m = _PIPE_CREDIT.search(para)
    if m and _credit_like(m.group(1)):
        return PhotoCaption(text=para[: m.start()].strip(), credit=m.group(1).strip())
    m = _LABEL_CREDIT.search(para)
    if m and len(m.group(1)) <= 90:
        return PhotoCaption(text=para[: m.start(1)].strip(), credit=m.group(1).strip())
    m = _DASH_CREDIT.search(para)
    if m and len(para) <= 400:
        return PhotoCaption(text=para[: m.start()].strip(), credit=m.group(1).strip())
    return None


_BOILERPLATE = re.compile(
    r"^(?:read more\.?|advertisement|story continued below|authors?:?|related|"
    r"follow [^\n]{1,60} on (?:twitter|facebook|instagram)\.?|"
    r"have something to add to this story\?[^\n]*|ftc: [^\n]*|see also: [^\n]{0,150}|"
    r"related: [^\n]{0,150}|\(?related: [^\n]{0,150}\)?|\d{5,}|\*{3,}[\s\S]*\*{3,}|\*\*subscribe[^\n]*|"
    r"subscribe to [^\n]{0,200}|sign up for [^\n]{0,200}|share this(?: article| story)?|"
    r"posted by [^\n]{1,60} on [^\n]{1,40}|culture: your hub for[^\n]*|click here[^\n]{0,150}|"
    r"[^\n]{0,80}all rights reserved[^\n]{0,80}|image \d+ of \d+|"
    r"[^\n]{0,40}(?:accès à ce contenu a été bloqué|we use cookies|cookie (?:policy|settings))"
    r"[\s\S]{0,700}|a voir(?:a lire)?|à lire aussi[^\n]{0,150})$",
    re.IGNORECASE,
)


def _is_boilerplate(para: str) -> bool:
    return len(para) <= 900 and _BOILERPLATE.match(para) is not None


# ---------------------------------------------------------------------------------------------
# Blocks


_PARA_SPLIT = re.compile(r"\n(?:[ \t\u00a0]*\n)+")


def _paragraphs(text: str) -> Iterator[str]:
    """Paragraphs of a stretch of non-tweet text: blank-line separated, glued lines split."""
    for para in _PARA_SPLIT.split(text):
        para = para.strip(" \t\u00a0\n")
        if not para:
            continue
        if len(para) >= _GLUED_LINE_MIN and _is_glued(para):
            start = 0
            for m in _GLUE_PARAGRAPH.finditer(para):
                if m.start() <= start + 2:
                    continue
                piece = para[start : m.start()].strip(" \t\u00a0\n")
                if piece:
                    yield piece
                start = m.start()
            piece = para[start:].strip(" \t\u00a0\n")
            if piece:
                yield piece
        else:
            yield para


def _classify(para: str, handles: dict[str, str]) -> Block:
    m = _WIDGET.match(para)
    if m:
        name = clean_line(m.group(1))
        return Tweet(
            text=m.group(2).strip(),
            author=name,
            handle=handles.get(name.casefold(), ""),
            date=None,
            links=tuple(_LINK.findall(m.group(2))),
        )
    cap = _caption(para)
    if cap is not None:
        return cap
    return Paragraph(para, boilerplate=_is_boilerplate(para))


def _tidy_tweet_text(text: str) -> str:
    text = text.strip(" \t\u00a0\n")
    # Keep the tweet's own line breaks, but no wider than a blank line.
    return re.sub(r"[ \t\u00a0]*\n(?:[ \t\u00a0]*\n)+[ \t\u00a0]*", "\n\n", text)


def split_blocks(text: str) -> tuple[Block, ...]:
    """Split an article body into paragraphs, tweets and photo captions.

    `text` should already be sanitised (`reader.sanitize.clean_text`); control characters are
    stripped again here so that callers cannot leak them into the model by mistake.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = strip_controls(text)
    sigs = _find_signatures(text) if "(@" in text else []
    blank_doc = text.count("\n\n") >= 2 or "\n" not in text.strip()
    handles = {s.author.casefold(): s.handle for s in sigs}
    blocks: list[Block] = []
    glued_cache: dict[int, bool] = {}
    pos = 0
    for sig in sigs:
        start = _tweet_start(text, pos, sig, blank_doc, glued_cache)
        for para in _paragraphs(text[pos:start]):
            blocks.append(_classify(para, handles))
        tweet_text = _tidy_tweet_text(text[start : sig.start])
        blocks.append(
            Tweet(
                text=tweet_text,
                author=sig.author,
                handle=sig.handle,
                date=sig.date,
                links=tuple(_LINK.findall(tweet_text)),
            )
        )
        pos = sig.end
    for para in _paragraphs(text[pos:]):
        blocks.append(_classify(para, handles))
    return tuple(blocks)


# ---------------------------------------------------------------------------------------------
# Metadata header and title

_DATE_PREFIX = re.compile(r"\A[ \t\u00a0]*date[ \t]+(\d{4}-\d{1,2}-\d{1,2})(?:[ \t]+|\n|\Z)")
_HEADER_KEYS = {"title", "date", "url", "author", "source", "link", "published", "byline"}
_HEADER_LINE = re.compile(r"^[ \t]*([A-Za-z_]{2,12})[ \t]*:[ \t]*(.*?)[ \t]*$")


def _split_header(text: str) -> tuple[dict[str, str], str]:
    """Metadata (` date YYYY-MM-DD ` prefix, `key: value` header, `---` front matter) and body."""
    meta: dict[str, str] = {}
    m = _DATE_PREFIX.match(text)
    if m:
        meta["date"] = m.group(1)
        return meta, text[m.end() :]
    stripped = text.lstrip("\n \t")
    fenced = stripped.startswith("---\n")
    if fenced:
        end = stripped.find("\n---", 4)
        if end < 0 or end > 4000:
            return meta, text
        lines = stripped[4:end].split("\n")
        rest = stripped[end + 4 :]
        rest = rest[rest.find("\n") + 1 :] if "\n" in rest else ""
    else:
        head_end = stripped.find("\n\n")
        if head_end < 0 or head_end > 2000:
            return meta, text
        lines = stripped[:head_end].split("\n")
        rest = stripped[head_end + 2 :]
    found: dict[str, str] = {}
    for line in lines:
        if not line.strip():
            continue
        hm = _HEADER_LINE.match(line)
        if not hm:
            return meta, text
        key = hm.group(1).lower()
        if key not in _HEADER_KEYS and not fenced:
            return meta, text
        found[key] = hm.group(2).strip().strip("\"'")
    if not found:
        return meta, text
    return found, rest


_SENTENCE_END = re.compile(r"[.!?…](?:[\"”’»)]*)(?=\s+[\"“«(]?[A-Z0-9À-Þ])|[。！？]")
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
    text = " ".join(text.split())
    text = _TITLE_PREFIX.sub("", text, count=1)
    end = len(text)
    for m in _SENTENCE_END.finditer(text, 0, min(len(text), 400)):
        if not _ABBREV.search(text[max(0, m.start() - 6) : m.start() + 1]):
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
        if isinstance(b, Paragraph) and not b.boilerplate and len(b.text.split()) >= 4:
            return derive_title(b.text)
    for b in blocks:
        if b.text.strip():
            return derive_title(b.text)
    return ""


# ---------------------------------------------------------------------------------------------
# Entry points


def parse_text(text: str, *, source: str) -> Article:
    """Parse one scraped article (already decoded text) into an `Article`."""
    clean = clean_text(text)
    meta, body = _split_header(clean)
    blocks = split_blocks(body)
    title = clean_line(meta.get("title", "")) or _title_from_blocks(blocks) or clean_line(source)
    date = parse_iso_date(meta.get("date") or meta.get("published"))
    url = clean_line(meta.get("url") or meta.get("link") or "") or None
    author = clean_line(meta.get("author") or meta.get("byline") or "") or None
    extra = {
        k: clean_line(v) for k, v in meta.items() if k not in {"title", "date", "url", "author"}
    }
    return Article(
        # From the sanitised body, never from parser output: improving the parser must not
        # change ids (reading state is keyed on them).
        id=content_id(body),
        source=source,
        title=title,
        blocks=blocks,
        quotes=find_quotes(blocks),
        date=date,
        url=url,
        author=author,
        format="text",
        extra=extra,
    )


def parse(data: str, source: str) -> list[Article]:
    """The format entry point: a scraped text file is one article."""
    return [parse_text(data, source=source)]
