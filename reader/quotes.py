"""Quoted speech in article prose: `"We were not consulted," the mayor said. "Nobody asked us."`

Used by every input format on its blocks. A quote is found between straight or typographic
quotation marks (“…”, "…", «…», „…“, 「…」); its speaker comes from the attribution next to it
(said / told / wrote / tweeted / added / asked / according to ...), before or after the quote.
A quote split around its attribution is one quote. Short scare quotes ("swagger") are skipped
unless someone is named as saying them. Pronoun speakers ("he said") are resolved to the last
speaker named nearby, or left as None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.model import Block, Quote, split_words

__all__ = ["find_quotes"]

_VERBS = (
    r"said|says|say|told|tells|wrote|writes|tweeted|tweets|added|adds|asked|asks|explained|"
    r"explains|continued|replied|replies|responded|noted|notes|insisted|quipped|declared|"
    r"stated|states|warned|warns|argued|recalled|admitted|claimed|shouted|whispered|posted|"
    r"urged|remarked|testified|concluded|acknowledged|conceded|countered|joked|promised|"
    r"confirmed|announced|reportedly said|went on|"
    # French and Spanish attributions (`», a déclaré le maire`, `", dijo el portavoz`).
    r"a dit|a déclaré|a affirmé|a expliqué|a ajouté|a souligné|a estimé|a assuré|a répondu|"
    r"a-t-il (?:dit|déclaré|ajouté|affirmé)|a-t-elle (?:dit|déclaré|ajouté|affirmé)|"
    r"affirme|explique|déclare|ajoute|souligne|estime|assure|dit|"
    r"dijo|afirmó|explicó|declaró|señaló|aseguró|añadió|agregó|indicó|dice|afirma|explica|"
    r"asegura|señala"
)
_PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "one", "her", "him", "the"}
# Words that end a speaker's noun phrase (`una usuaria que esperaba`: the speaker is `una usuaria`).
_NOT_NAME = (
    r"(?!(?:que|qui|who|that|which|en|on|in|at|when|quand|cuando|to|a|à|of|de|du|del|des)\b)"
)
# A person's or body's proper name: `Hal Severin`, `Ana de la Cruz`, `Reuters`.
_PROPER = (
    r"[A-ZÀ-Þ][\w’'.-]*(?:\s+(?:(?:de|da|van|von|der|del|bin|al|la|le)\s+)?[A-ZÀ-Þ][\w’'.-]*){0,3}"
)
_NAME = (
    r"(?:(?:the|le|la|les|l’|l'|un|une|el|los|las|un|una)\s*(?<=\s|’|')"
    r"(?:" + _NOT_NAME + r"[a-zà-ÿ][\w’'-]*\s+){0,3}" + _NOT_NAME + r"[a-zà-ÿ][\w’'-]*"
    r"(?:\s+(?:of|de|du|del|des)\s+[A-ZÀ-Þ][\w’'.-]*)?"  # the mayor, le maire de Lyon
    r"|" + _PROPER + r"|he|she|they|it|I|we)"
)
# After a quote: `," the mayor said` / `," said Jane Doe` / `," according to the agency`.
_AFTER = re.compile(
    r"[\s,.;:!?—–-]{0,4}(?:(?P<s1>" + _NAME + r")(?:,(?P<apposition>[^,.\"“”]{1,80}?),?)?\s+"
    r"(?P<v1>" + _VERBS + r")\b"
    r"|(?P<v2>" + _VERBS + r")\s+(?P<s2>" + _NAME + r")"
    r"|(?P<v3>according\s+to|selon|según)\s+(?P<s3>" + _NAME + r"))"
)
# The numbers of the verb groups (`m.end` by number: by name costs a lookup each call).
_V1, _V2, _V3 = (_AFTER.groupindex[g] for g in ("v1", "v2", "v3"))
# Before a quote: `Trump added, "` / `Jane Doe said: "` / `Clinton said Tuesday that "`.
_BEFORE = re.compile(
    r"(?:^|[.!?]\s+|,\s+|\s)(?P<s>" + _NAME + r")\s+(?:(?:also|later|then|once|has|had|have)\s+)?"
    r"(?:" + _VERBS + r")\b[^.!?\"“”«»]{0,80}[,:]?\s*$"
)
_BEFORE_ACCORDING = re.compile(
    r"(?:according\s+to|selon|según)\s+(?P<s>" + _NAME + r")[,:]?\s*$", re.IGNORECASE
)
_PROPER_NAME = re.compile(_PROPER)
_WORD = re.compile(r"\w+")
# One word of each attribution, for a cheap test before the regexes (`a déclaré` -> `déclaré`).
_VERB_WORDS = frozenset(
    w for v in _VERBS.split("|") for w in re.findall(r"[^\W\d_]+", v) if len(w) > 2
) - {"went", "elle", "dit"} | {"according", "selon", "según", "dit"}


# A quoted span: (start, end, close, open). `start:end` is its text without the marks, `close`
# the offset just past the closing mark (== end for an unclosed quote), `open` the opening
# mark's. (Plain tuples: a block can have dozens and a class instance costs more to make.)
_Span = tuple[int, int, int, int]

# What may close each opening mark (scrapes mix straight and curly quotes).
_CLOSERS = {'"': '"”', "“": '”"', "«": "»", "„": '“”"', "「": "」"}
_OPENERS = re.compile(r"[\"“«„「]")
_MAX_QUOTE = 3000


def _spans(text: str) -> list[_Span]:
    """Quoted spans, left to right. An unclosed one runs to the end of its line (paragraphs of a
    multi-paragraph quote leave their closing mark for the last one)."""
    spans: list[_Span] = []
    pos = 0
    n = len(text)
    # ASCII text has only `"` to open a quote: str.find, cheaper than the regex's class.
    ascii = text.isascii()
    if ascii and n <= _MAX_QUOTE and "\n" not in text:
        # The usual paragraph: one line, shorter than a quote may be. Its quotes are what lies
        # between the first and second `"`, the third and fourth, ... (an empty pair is none;
        # an odd one out runs to the end): one split instead of two searches a quote.
        inside = False
        for piece in text.split('"'):
            if inside and piece:
                end = pos + len(piece)
                spans.append((pos, end, end + 1 if end < n else end, pos - 1))
            pos += len(piece) + 1
            inside = not inside
        return spans
    line_end = -1  # the end of the line of the quote (searched once a line, not once a quote)
    while True:
        if ascii:
            o = text.find('"', pos)
            if o < 0:
                break
        else:
            m = _OPENERS.search(text, pos)
            if m is None:
                break
            o = m.start()
        if line_end < o:
            line_end = text.find("\n", o)
            if line_end < 0:
                line_end = n
        stop = line_end if line_end < o + 1 + _MAX_QUOTE else o + 1 + _MAX_QUOTE  # (not min())
        if ascii:  # `"` is also the only mark that can close it
            close = text.find('"', o + 1, stop)
        else:
            close = -1
            for c in _CLOSERS[text[o]]:
                k = text.find(c, o + 1, stop)
                if k >= 0 and (close < 0 or k < close):
                    close = k
        if close == o + 1:  # an empty pair
            pos = close + 1
            continue
        if close < 0:
            if line_end - o - 1 > 0:
                spans.append((o + 1, line_end, line_end, o))
            pos = line_end + 1
            if pos >= n:
                break
            continue
        spans.append((o + 1, close, close + 1, o))
        pos = close + 1
    return spans


def _clean_speaker(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().rstrip(".,")
    return name or None


def _speaker_after(text: str, pos: int) -> tuple[str | None, int]:
    """Speaker named right after a closing quote, and where that attribution ends."""
    m = _AFTER.match(text, pos, pos + 160)  # (an end past the text is the text's end)
    if not m:
        return None, pos
    # All the groups in one call (`m.group` by name costs a call and a lookup each).
    s1, apposition, v1, v2, s2, v3, s3 = m.groups()
    # An attribution also needs one of `_VERB_WORDS` among the words of the 120 characters after
    # the quote. Usually the verb the regex matched is one: a whole word of that text (space or
    # punctuation before it; after it, no word character: on ASCII, `\w` is a letter, a digit or
    # `_`), which case folding leaves as it is.
    verb, end = (v1, m.end(_V1)) if v1 else (v2, m.end(_V2)) if v2 else (v3, m.end(_V3))
    after = text[end : end + 1]
    vouched = (
        end <= pos + 120
        and (
            not (after.isalnum() or after == "_")
            if after.isascii()
            else _WORD.match(after.casefold()) is None
        )
        and (verb in _VERB_WORDS or not _VERB_WORDS.isdisjoint(_WORD.findall(verb)))
    )
    if not vouched and _VERB_WORDS.isdisjoint(split_words(text[pos : pos + 120].casefold())):
        # (No set built: isdisjoint takes the word list and stops at the first verb.)
        return None, pos
    name = s1 or s2 or s3
    if apposition and name and name[0].islower() and _PROPER_NAME.fullmatch(apposition.strip()):
        # `the duty captain, Hal Severin, said`: the person's name beats their role.
        name = apposition
    return _clean_speaker(name), m.end()


def _speaker_before(text: str, pos: int) -> str | None:
    head = text[max(0, pos - 160) : pos]
    # The regexes are costly to try at every position: first a cheap test for a verb.
    words = set(split_words(head.casefold()))
    if words.isdisjoint(_VERB_WORDS):
        return None
    m = None
    if "according" in words or "selon" in words or "según" in words:
        m = _BEFORE_ACCORDING.search(head)
    m = m or _BEFORE.search(head)
    if not m:
        return None
    return _clean_speaker(m.group("s"))


def _is_pronoun(name: str) -> bool:
    return name.partition(" ")[0].casefold() in {"he", "she", "they", "it", "i", "we"}


def find_quotes(blocks: Sequence[Block]) -> tuple[Quote, ...]:
    """Quoted speech in the prose blocks, with speakers where one is named.

    Tweets are not searched (their text is the tweet's own words); captions and paragraphs are.
    Offsets (`start`, `end`) index the block's text and cover the quoted words without the marks.
    """
    quotes: list[Quote] = []
    last_named: tuple[int, str] | None = None  # (block index, speaker) for pronoun resolution
    for index, block in enumerate(blocks):
        text = block.text
        # Substring tests are twenty times cheaper than one regex search; ASCII text (nearly
        # all) can only hold the first mark. (Before the kind: `kind` is a class attribute,
        # a slow lookup on a slotted instance, and most blocks hold no quotation mark.)
        if '"' not in text and (
            text.isascii()
            or ("“" not in text and "«" not in text and "„" not in text and "「" not in text)
        ):
            continue
        kind = block.kind
        if kind == "tweet" or (kind == "paragraph" and block.boilerplate):  # type: ignore[union-attr]
            continue
        spans = _spans(text)
        block_speaker: str | None = None  # the last speaker named for a quote in this block
        i = 0
        while i < len(spans):
            start, end, close, open_ = spans[i]
            speaker, attr_end = _speaker_after(text, close)
            if speaker is None:
                speaker = _speaker_before(text, open_)
            if speaker is None and block_speaker is not None:
                # News style names a speaker once a paragraph: `"A," said Ines Marlow, who
                # ... years. "B."` -- B is hers too.
                speaker = block_speaker
            parts = [text[start:end]]
            # A quote split around its attribution: `"A," she said. "B."` is one quote.
            j = i + 1
            if speaker is not None and attr_end > close:
                while j < len(spans):
                    next_start, next_end, next_close, next_open = spans[j]
                    gap = text[attr_end:next_open]
                    if len(gap) > 6 or gap.strip(" ,.:;\u00a0") != "":
                        break
                    parts.append(text[next_start:next_end])
                    end = next_end
                    attr_end = next_close
                    j += 1
            # Three words or more: spaces tell quickly (two in the parts, besides the
            # `len(parts) - 1` the join puts between them); count properly only when they do not.
            joined = " ".join(parts)
            words = 3 if joined.count(" ") - len(parts) >= 1 else len(split_words(joined))
            if speaker is not None and _is_pronoun(speaker):
                if last_named is not None and index - last_named[0] <= 2:
                    speaker = last_named[1]
                else:
                    speaker = None
            elif (
                speaker is not None
                and speaker.casefold() not in _PRONOUNS
                and not speaker.startswith("The ")  # `The ... Department`: not a he or she
            ):
                last_named = (index, speaker)
            if speaker is not None:
                block_speaker = speaker
            if words >= 3 or (speaker is not None and words >= 1):
                first = parts[0].rstrip()
                if first.endswith(","):
                    # `"A," she said`: the comma belongs to the sentence around the quote;
                    # saved on its own, the quote reads as the sentence it is.
                    first = first[:-1] + "."
                quote_text = " ".join([first, *map(str.strip, parts[1:])]).strip()
                quotes.append(Quote(quote_text, speaker, index, start, end))
            i = j
    return tuple(quotes)
