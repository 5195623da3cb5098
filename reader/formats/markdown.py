"""Markdown files (`.md`, `.markdown`) with optional YAML (`---`) or TOML (`+++`) front matter.

Front matter gives the title, date, url and author (YAML through `yaml.safe_load`, never the
loader that builds objects; TOML through `tomllib`). The body is reduced to what a reader needs:
headings become paragraphs, `>` blockquotes lose their markers, list items become paragraphs,
emphasis, code spans and link syntax are stripped to their text, raw HTML blocks (a pasted tweet
embed) take the HTML path. An image `![alt](src)` becomes a `PhotoCaption`, with the credit from
the line or paragraph right after it when that reads like one.

The remaining text goes through the scraped-text block splitter, so a tweet pasted as text (or a
caption with its credit in parentheses) is found exactly as in a `.txt` file.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from collections.abc import Iterator
from typing import Any

import yaml

from reader.model import Article, Block, Paragraph, PhotoCaption, content_id, parse_iso_date
from reader.sanitize import clean_line, clean_text

_FRONT_MATTER = re.compile(
    r"\A(?P<fence>---|\+\+\+)[ \t]*\n(?P<body>.*?)\n(?P=fence)[ \t]*(?:\n|\Z)", re.DOTALL
)
_FENCE = re.compile(r"^\s{0,3}(```+|~~~+)")
_ATX = re.compile(r"^\s{0,3}#{1,6}(?:\s+(?P<text>.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_IMAGE_LINE = re.compile(r"^\s*!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]*)\)\s*(?P<rest>.*)$")
_HTML_BLOCK = re.compile(r"^\s{0,3}<(?P<tag>[A-Za-z][A-Za-z0-9-]*)[\s>/]")
_INLINE_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
# Underscore emphasis only between non-word characters, so @some_handle keeps its underscores.
_EM_UNDER = re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
# Escaped ASCII punctuation is parked in a private-use range while the inline patterns run.
_ESCAPED_BASE = 0xF0000
_ESCAPED = re.compile("[\U000f0000-\U000f007f]")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")
# A line that continues a paragraph on a line of its own in scraped text: a tweet signature.
_SIGNATURE_LINE = re.compile(r"^\s*(?:[—–―]|&mdash;|--\s)")
_CREDIT_START = re.compile(
    r"^(?:photo(?:graph)?s?|image|picture|credit|illustration|source|via)\b", re.IGNORECASE
)


def parse(data: str, source: str) -> list[Article]:
    """The registry entry point: one article per Markdown file."""
    text = clean_text(data.lstrip("\ufeff"), unescape_entities=False)
    from reader.formats.html import find_quotes, title_from_text

    meta, body = front_matter(text)
    segments = list(_segments(body))
    title = clean_line(str(meta.get("title") or ""))
    # A document that opens with a level-one heading: that heading is its title.
    first = segments[0] if segments else None
    if isinstance(first, _Heading) and first.level == 1:
        # It is the title unless front matter names another one: then it stays in the text.
        if not title or clean_line(first.text).casefold() == title.casefold():
            segments.pop(0)
            title = title or clean_line(first.text)
    blocks = _to_blocks(segments)
    body_text = "\n\n".join(b.text for b in blocks)
    if not title:
        title = title_from_text(body_text) or clean_line(source)
    block_tuple = tuple(blocks)

    return [
        Article(
            id=content_id(body_text if body_text.strip() else title),
            source=source,
            title=title,
            blocks=block_tuple,
            quotes=find_quotes(block_tuple),
            date=_date(meta.get("date") or meta.get("published") or meta.get("pubDate")),
            url=clean_line(str(meta.get("url") or meta.get("link") or meta.get("canonical") or ""))
            or None,
            author=clean_line(_author(meta.get("author") or meta.get("authors"))) or None,
            format="markdown",
        )
    ]


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split `---` YAML or `+++` TOML front matter from the body.

    Front matter that does not parse into a mapping is dropped (it is never article text) and
    the body is kept: a typo in a header must not hide the article.
    """
    m = _FRONT_MATTER.match(text)
    if m is None:
        return {}, text
    raw = m.group("body")
    data: object
    try:
        data = yaml.safe_load(raw) if m.group("fence") == "---" else tomllib.loads(raw)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        data = None
    return (data if isinstance(data, dict) else {}), text[m.end() :]


class _Heading:
    __slots__ = ("text", "level")

    def __init__(self, text: str, level: int) -> None:
        self.text = text
        self.level = level


_Segment = str | _Heading | Block


def _segments(body: str) -> Iterator[_Segment]:
    """Paragraph texts, headings, and ready blocks (captions, HTML embeds), in order."""
    lines = body.split("\n")
    paragraph: list[str] = []
    i = 0

    def flush() -> Iterator[str]:
        if paragraph:
            text = _join_lines(paragraph)
            paragraph.clear()
            if text:
                yield text

    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            yield from flush()
            marker = fence.group(1)
            code: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker):
                code.append(lines[i])
                i += 1
            i += 1
            text = "\n".join(code).strip("\n")
            if text.strip():
                yield text
            continue
        # Blockquote markers are dropped line by line: the quoted text is ordinary text here.
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        if not line.strip():
            yield from flush()
            i += 1
            continue
        if _REF_DEF.match(line):
            i += 1
            continue
        heading = _ATX.match(line)
        if heading and not paragraph:
            text = _inline(heading.group("text") or "")
            if text:
                yield _Heading(text, len(line.strip()) - len(line.strip().lstrip("#")))
            i += 1
            continue
        if _SETEXT.match(line) and len(paragraph) == 1 and line.strip():
            level = 1 if line.strip().startswith("=") else 2
            text = _inline(paragraph.pop())
            if text:
                yield _Heading(text, level)
            i += 1
            continue
        if _RULE.match(line):
            yield from flush()
            i += 1
            continue
        image = _IMAGE_LINE.match(line)
        if image and not image.group("rest").strip():
            yield from flush()
            i, caption = _image_caption(lines, i, image.group("alt"))
            if caption is not None:
                yield caption
            continue
        html = _HTML_BLOCK.match(line)
        if html and not paragraph:
            chunk = []
            while i < len(lines) and lines[i].strip():
                chunk.append(lines[i])
                i += 1
            yield from _html_blocks("\n".join(chunk))
            continue
        if _LIST.match(line):
            yield from flush()  # each list item is its own paragraph
            line = _LIST.sub("", line, count=1)
        paragraph.append(line)
        i += 1
    yield from flush()


def _image_caption(lines: list[str], i: int, alt: str) -> tuple[int, PhotoCaption | None]:
    """The caption for the image on line `i`; returns the next line to read and the caption.

    The line (or the paragraph) right after the image is its credit when it reads like one
    ("Photo: ...", "(AFP)", "*Credit: ...*"), or its caption and credit when it ends in one.
    """
    from reader.formats.html import split_credit

    alt_text = clean_line(_inline(alt))
    j = i + 1
    while j < len(lines) and not lines[j].strip() and j <= i + 2:
        j += 1
    following = _inline(_QUOTE.sub("", lines[j])).strip() if j < len(lines) else ""
    if following and not _IMAGE_LINE.match(lines[j]) and not _ATX.match(lines[j]):
        bare = following.strip("()（）").strip()
        if _CREDIT_START.match(following) or (following.startswith(("(", "（")) and bare):
            credit = bare if following.startswith(("(", "（")) else following
            return j + 1, PhotoCaption(text=alt_text, credit=clean_line(credit))
        text, credit = split_credit(following)
        if credit and len(following) <= 400:
            return j + 1, PhotoCaption(text=clean_line(text) or alt_text, credit=clean_line(credit))
    if not alt_text:
        return i + 1, None
    return i + 1, PhotoCaption(text=alt_text, credit="")


def _html_blocks(chunk: str) -> list[Block]:
    """A raw HTML block inside Markdown (a pasted embed) through the HTML path."""
    from reader.formats.html import article_from_html

    return list(article_from_html(chunk, "", title="-").blocks)


def _join_lines(lines: list[str]) -> str:
    """A paragraph's lines: soft line breaks become spaces; hard breaks and a line that opens with
    a signature dash stay line breaks (the scraped splitter reads tweets from them)."""
    out = ""
    for index, raw in enumerate(lines):
        line = _inline(raw.rstrip("\\").strip())
        if not line:
            continue
        if out:
            previous_hard = bool(_HARD_BREAK.search(lines[index - 1]))
            out += "\n" if previous_hard or _SIGNATURE_LINE.match(line) else " "
        out += line
    return out


def _inline(text: str) -> str:
    """Markdown inline syntax to plain text."""
    # Escaped characters are set aside first so no later pattern takes `\*` for emphasis.
    text = _ESCAPE.sub(lambda m: chr(_ESCAPED_BASE + ord(m.group(1))), text)
    text = _INLINE_IMAGE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _REF_LINK.sub(lambda m: m.group(1), text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _CODE.sub(lambda m: m.group(2).strip(), text)
    text = _TAG.sub("", text)
    text = _STRONG.sub(lambda m: m.group(2), text)
    text = _STRIKE.sub(lambda m: m.group(1), text)
    text = _EM_STAR.sub(lambda m: m.group(1), text)
    text = _EM_UNDER.sub(lambda m: m.group(1), text)
    return _ESCAPED.sub(lambda m: chr(ord(m.group()) - _ESCAPED_BASE), text)


def _to_blocks(segments: list[_Segment]) -> list[Block]:
    """Text segments through the scraped-text splitter; ready blocks kept as they are."""
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            blocks.extend(_split("\n\n".join(pending)))
            pending.clear()

    for segment in segments:
        if isinstance(segment, str):
            pending.append(segment)
        elif isinstance(segment, _Heading):
            # Headings are paragraphs, but never part of a tweet: keep them out of the splitter.
            flush()
            blocks.append(Paragraph(clean_line(segment.text)))
        else:
            flush()
            blocks.append(segment)
    flush()
    return blocks


def _split(text: str) -> list[Block]:
    try:
        from reader.formats.scraped import split_blocks
    except ImportError:  # only while the package is being assembled
        return [Paragraph(p.strip()) for p in text.split("\n\n") if p.strip()]
    return list(split_blocks(text))


def _date(value: object) -> _dt.date | None:
    # YAML and TOML turn unquoted dates into date / datetime objects; strings are parsed.
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return parse_iso_date(str(value)) if value else None


def _author(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("name") or "")
    if isinstance(value, list):
        return ", ".join(_author(v) for v in value if _author(v))
    return ""
