"""HTML pages saved from the web (`.html`, `.htm`, or any file that starts like HTML).

Parser: BeautifulSoup 4 with the standard library's `html.parser` backend. It is pure Python (no
compiled dependency to build or ship), it tolerates the broken markup saved pages are full of
(unclosed tags, stray `</div>`s, scripts with `<` in them), and BeautifulSoup gives a tree we can
walk by tag and class. If lxml happens to be installed it is used instead, only for speed; both
backends build the tree we need. No regular expressions are used on the markup itself.

What comes out, in document order, from the article's main content (the `<article>`, else
`<main>`, else the element holding the most paragraph text), with navigation, headers, footers,
asides, forms, scripts and styles dropped:

- `blockquote.twitter-tweet` -> `Tweet` (text from its `<p>`, signature `— Name (@handle) Date`);
- `figure` with a `figcaption` -> `PhotoCaption`, its credit split out;
- headings, paragraphs, list items, other blockquotes -> `Paragraph`. Runs of them also go through
  the scraped-text block splitter, so a tweet or a caption that a CMS flattened into a `<p>` is
  still found.

Title, date, author and URL come from Open Graph / `article:` meta tags, JSON-LD (NewsArticle
`headline`, `datePublished`, `author`), `<time>`, `<h1>` and `<title>`. `article_from_html` is also
the path feed entries take (see `reader.formats.feed`).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, PageElement, ProcessingInstruction

from reader.model import (
    Article,
    Block,
    Paragraph,
    PhotoCaption,
    Quote,
    Tweet,
    content_id,
    parse_iso_date,
)
from reader.sanitize import clean_line, clean_text_utf8, collapse_spaces

try:  # pragma: no cover - depends on the environment
    import lxml  # noqa: F401

    _BACKEND = "lxml"
except ImportError:
    _BACKEND = "html.parser"

# Never content: dropped before anything else.
_DROP = frozenset((
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "input", "select", "textarea", "svg", "canvas", "iframe", "object", "embed",
    "dialog", "menu",
))  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# What the densest-container search credits text to.
_CONTENT_NAMES = frozenset(("p", "blockquote", "figure"))
# Elements whose text is one paragraph of the article.
_PARAGRAPH_TAGS = _HEADINGS | {"p", "li", "dt", "dd", "pre", "address", "td", "th", "caption"}
# Containers walked into; anything not listed is treated as inline text.
_CONTAINERS = {
    "article", "main", "section", "div", "body", "html", "ul", "ol", "dl", "blockquote",
    "table", "thead", "tbody", "tfoot", "tr", "center", "details", "summary", "hgroup",
    "figure", "figcaption",
}  # fmt: skip
_BLOCKISH = _PARAGRAPH_TAGS | _CONTAINERS | {"hr"}
# Strings that are not text: removed from the tree with the dropped elements.
_ODD_STRINGS = (Comment, Doctype, Declaration, ProcessingInstruction)

_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "webpage", "report",
    "liveblogposting", "socialmediaposting",
}  # fmt: skip

_SIGNATURE = re.compile(
    r"^\s*(?:[—–―-]|&mdash;)?\s*(?P<name>.*)\(\s*@(?P<handle>[A-Za-z0-9_]{1,15})\s*\)\s*(?P<rest>.*)$",
    re.DOTALL,
)
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = {month: number for number, month in enumerate(_MONTH_NAMES.split(), 1)}
_DATE_WORDS = re.compile(r"(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})")
_TWEET_LINK = re.compile(r"(?:https?://t\.co/\S+|pic\.twitter\.com/\S+)")

# Caption credits written as text (when the markup does not mark the credit up).
_CREDIT_PATTERNS = (
    # "... (Photo: Name/Agency)", "... (AP Photo/Name)", "... (EPA)": a final parenthesis.
    re.compile(r"^(?P<text>.*?)\s*[(（](?P<credit>[^()（）]{2,120})[)）]\s*$", re.DOTALL),
    # "... Photo: Name / Reuters", "... Credit: ...", "... Photograph: ...", "... Image: ..."
    re.compile(
        r"^(?P<text>.*?)\s*(?P<credit>(?:Photo(?:graph)?|Image|Picture|Credit|Foto|Illustration)s?"
        r"\s*(?:by|:)\s*[^.]{2,120})\s*$",
        re.DOTALL | re.IGNORECASE,
    ),
    # "... | Drew Angerer/Getty Images"
    re.compile(r"^(?P<text>.*?)\s*[|｜]\s*(?P<credit>[^|｜]{2,120})\s*$", re.DOTALL),
)
_CREDIT_WORDS = re.compile(
    r"photo|getty|reuters|\bap\b|afp|epa|shutterstock|credit|image|courtesy|pool|press|"
    r"agency|associated|bloomberg|xinhua|alamy|/|\bvia\b",
    re.IGNORECASE,
)


def parse(data: str, source: str) -> list[Article]:
    """The registry entry point: one article per HTML page."""
    return [article_from_html(data, source)]


def _gone(node: PageElement) -> bool:
    """`node.decomposed`, without its cost: that property asks `getattr(node, "_decomposed")`,
    and on a tag never decomposed the attribute is missing, so `Tag.__getattr__` searches the
    tag's whole subtree for a `<_decomposed>` element. Over every tag of a page that is
    quadratic; it was an eighth of a feed entry's time."""
    return bool(node.__dict__.get("_decomposed", False))


def article_from_html(
    markup: str,
    source: str,
    *,
    title: str | None = None,
    date: _dt.date | None = None,
    url: str | None = None,
    author: str | None = None,
    format: str = "html",
) -> Article:
    """One `Article` from a page or a fragment of HTML (a feed entry's content).

    Keyword values, when given, win over what the page's metadata says (a feed knows its
    entry's title and date better than the entry's HTML does).
    """
    soup = BeautifulSoup(markup, _BACKEND)
    # One walk over the tree serves every lookup below, in document order (a `find_all` per
    # lookup walked it a dozen times: two fifths of a feed entry's time).
    tags: list[Tag] = []
    odd: list[PageElement] = []  # comments, doctypes, declarations, processing instructions
    for node in soup.descendants:
        if isinstance(node, Tag):
            tags.append(node)
        elif isinstance(node, _ODD_STRINGS):
            odd.append(node)
    meta = _metadata(tags)
    # The headline often sits in a <header> that is dropped below with the site's chrome.
    h1 = _first(tags, "h1")
    h1_text = _text(h1) if h1 is not None else ""
    for tag in tags:
        if tag.name in _DROP and not _gone(tag):
            tag.decompose()  # marks everything inside it decomposed too
    for node in odd:
        if not _gone(node):
            node.extract()
    root = _main_content(soup, [t for t in tags if not _gone(t)])
    blocks = list(_blocks(root))
    # The page's own headline repeated as the first paragraph is the title, not body text.
    chosen_title = (
        clean_line(title or "")
        or meta.get("title")
        or clean_line(h1_text)
        or meta.get("html_title", "")
    )
    if (
        blocks
        and isinstance(blocks[0], Paragraph)
        and chosen_title
        and (blocks[0].text.casefold() == chosen_title.casefold())
    ):
        blocks.pop(0)
    body = "\n\n".join(b.text for b in blocks)
    if not chosen_title:
        chosen_title = title_from_text(body) or clean_line(source)
    block_tuple = tuple(blocks)
    return Article(
        id=content_id(body if body.strip() else chosen_title),
        source=source,
        title=chosen_title,
        blocks=block_tuple,
        quotes=find_quotes(block_tuple),
        date=date or parse_iso_date(meta.get("date")),
        url=clean_line(url or "") or meta.get("url") or None,
        author=clean_line(author or "") or meta.get("author") or None,
        format=format,
    )


# -- metadata --------------------------------------------------------------------------------


def _first(tags: list[Tag], name: str) -> Tag | None:
    """The first of `tags` named `name` (`soup.find(name)` over the walk's list)."""
    return next((t for t in tags if t.name == name), None)


def _metadata(tags: list[Tag]) -> dict[str, str]:
    found: dict[str, str] = {}

    def put(key: str, value: object) -> None:
        if isinstance(value, str) and key not in found:
            cleaned = clean_line(value)
            if cleaned:
                found[key] = cleaned

    for item in _json_ld(tags):
        put("title", item.get("headline") or item.get("name"))
        put("date", item.get("datePublished") or item.get("dateCreated"))
        put("author", _ld_author(item.get("author")))
        entity = item.get("mainEntityOfPage")
        put("url", item.get("url") or (entity.get("@id") if isinstance(entity, dict) else entity))
    metas = {
        "og:title": "title", "twitter:title": "title", "dc.title": "title",
        "article:published_time": "date", "og:article:published_time": "date",
        "date": "date", "pubdate": "date", "publishdate": "date", "dc.date": "date",
        "dc.date.issued": "date", "sailthru.date": "date", "parsely-pub-date": "date",
        "author": "author", "article:author": "author", "dc.creator": "author",
        "parsely-author": "author", "byl": "author",
        "og:url": "url",
    }  # fmt: skip
    for tag in tags:
        if tag.name != "meta":
            continue
        name = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        key = metas.get(name) or {"datepublished": "date", "headline": "title"}.get(name)
        content = tag.get("content")
        if key and isinstance(content, str):
            if key == "author" and content.startswith(("http://", "https://")):
                continue  # article:author is often a profile URL, not a name
            if key == "author":
                content = re.sub(r"^\s*by\s+", "", content, flags=re.IGNORECASE)
            put(key, content)
    # `rel` holds a list of values (BeautifulSoup splits it): `<link rel="canonical">`.
    canonical = next(
        (t for t in tags if t.name == "link" and "canonical" in (t.get_attribute_list("rel"))),
        None,
    )
    if canonical is not None:
        put("url", canonical.get("href"))
    time_tag = next((t for t in tags if t.name == "time" and t.get("datetime") is not None), None)
    if time_tag is not None:
        put("date", time_tag.get("datetime"))
    title_tag = _first(tags, "title")
    if title_tag is not None:
        put("html_title", title_tag.get_text(" "))
    if "date" in found and parse_iso_date(found["date"]) is None:
        del found["date"]
    return found


def _json_ld(tags: list[Tag]) -> Iterator[dict[str, object]]:
    """Article-like objects from every JSON-LD script (lists and @graph flattened)."""
    for script in tags:
        if script.name != "script" or script.get("type") != "application/ld+json":
            continue
        try:
            data = json.loads(script.get_text() or "null")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [])
                kinds = item.get("@type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                    yield item


def _ld_author(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    if isinstance(value, list):
        names = [n for n in (_ld_author(v) for v in value) if n]
        return ", ".join(names) if names else None
    return None


# -- main content ----------------------------------------------------------------------------


def _main_content(soup: BeautifulSoup, tags: list[Tag]) -> Tag:
    """The element holding the article: the largest `<article>`, `<main>`, else the densest.

    `tags`: every element left in the tree, in document order."""
    for name in ("article", "main"):
        candidates = [t for t in tags if t.name == name]
        if not candidates and name == "main":
            candidates = [t for t in tags if t.get("role") == "main"]
        if candidates:
            best = max(candidates, key=lambda t: len(t.get_text(" ", strip=True)))
            if len(best.get_text(" ", strip=True)) > 0:
                return best
    # Densest text container: credit each paragraph's text to its parent, take the best parent.
    credited: dict[int, tuple[Tag, list[Tag]]] = {}
    for p in tags:
        if p.name not in _CONTENT_NAMES:
            continue
        parent = p.parent
        if isinstance(parent, Tag):
            credited.setdefault(id(parent), (parent, []))[1].append(p)
    if len(credited) == 1:
        # One parent wins whatever its score (a feed entry's paragraphs nearly always share
        # one): their text is not measured.
        return next(iter(credited.values()))[0]
    if credited:
        scores = (
            (sum(len(p.get_text(" ", strip=True)) for p in paragraphs), parent)
            for parent, paragraphs in credited.values()
        )
        return max(scores, key=lambda pair: pair[0])[1]
    return soup.body if isinstance(soup.body, Tag) else soup


def _blocks(root: Tag) -> Iterator[Block]:
    """Blocks in document order; plain paragraphs are gathered and handed to the splitter."""
    pending: list[str] = []
    for item in _walk(root):
        if isinstance(item, str):
            pending.append(item)
            continue
        yield from _text_blocks(pending)
        pending = []
        yield item
    yield from _text_blocks(pending)


def _walk(node: Tag) -> Iterator[str | Block]:
    """Paragraph texts (str) and ready-made blocks (tweets, captions), in order."""
    inline: list[str] = []

    def flush() -> Iterator[str]:
        if inline:  # (nothing to clean between two paragraphs, the usual case)
            text = _clean("".join(inline))
            inline.clear()
            if text:
                yield text

    for child in node.contents:
        if isinstance(child, NavigableString):
            inline.append(_flat(str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name == "blockquote" and _is_tweet_embed(child):
            yield from flush()
            tweet = _tweet(child)
            if tweet is not None:
                yield tweet
            else:
                yield from _walk(child)
        elif name == "figure" and isinstance(child.find("figcaption"), Tag):
            yield from flush()
            caption = _figure(child)
            if caption is not None:
                yield caption
        elif name == "br":
            inline.append("\n")
        elif name in _PARAGRAPH_TAGS and not _has_block_children(child):
            yield from flush()
            text = _text(child)
            if text:
                yield text
        elif name in _BLOCKISH or _has_block_children(child):
            yield from flush()
            yield from _walk(child)
        else:
            inline.append(_flat(child.get_text()))
    yield from flush()


def _is_tweet_embed(quote: Tag) -> bool:
    classes = {c.lower() for c in (quote.get("class") or [])}
    return bool(classes & {"twitter-tweet", "twitter-video"})


def _has_block_children(tag: Tag) -> bool:
    # (`contents`, the list `children` makes a generator over.)
    return any(isinstance(c, Tag) and c.name.lower() in _BLOCKISH for c in tag.contents)


def _text_blocks(paragraphs: list[str]) -> list[Block]:
    """Plain paragraphs through the scraped-text splitter (finds flattened tweets/captions)."""
    if not paragraphs:
        return []
    try:
        from reader.formats.scraped import split_blocks
    except ImportError:  # the scraped parser is always there in a release; be safe anyway
        return [Paragraph(p) for p in paragraphs]
    return list(split_blocks("\n\n".join(paragraphs)))


def _tweet(quote: Tag) -> Tweet | None:
    """A `blockquote.twitter-tweet` embed to a Tweet; None if it has no signature."""
    paragraphs = [p for p in quote.find_all("p") if isinstance(p, Tag)]
    text = "\n".join(t for t in (_text(p) for p in paragraphs) if t)
    links: list[str] = []
    for p in paragraphs:
        for a in p.find_all("a"):
            shown = _clean(_flat(a.get_text()))
            href = a.get("href")
            for candidate in (shown, href if isinstance(href, str) else ""):
                if _TWEET_LINK.fullmatch(candidate or "") and candidate not in links:
                    links.append(candidate)
                    break
    # The signature is what the blockquote says outside its paragraphs (left in place, so a
    # blockquote that turns out not to be a tweet is still read as text).
    signature = _clean(
        _flat(
            " ".join(
                c.get_text(" ") if isinstance(c, Tag) else str(c)
                for c in quote.contents
                if not (isinstance(c, Tag) and c.name == "p")
            )
        )
    )
    m = _SIGNATURE.match(signature)
    if m is None:
        return None
    date = _tweet_date(m.group("rest"))
    author = clean_line(m.group("name"))
    return Tweet(text=text, author=author, handle=m.group("handle"), date=date, links=tuple(links))


def _tweet_date(text: str) -> _dt.date | None:
    m = _DATE_WORDS.search(text)
    if m is None:
        return parse_iso_date(text)
    month = _MONTHS.get(m.group("month").lower())
    if month is None:
        return None
    try:
        return _dt.date(int(m.group("year")), month, int(m.group("day")))
    except ValueError:
        return None


def _figure(figure: Tag) -> PhotoCaption | None:
    caption = figure.find("figcaption")
    if not isinstance(caption, Tag):
        return None
    # Marked-up credits first: <cite>, <small>, or a class naming a credit.
    credit_parts: list[str] = []
    for tag in caption.find_all(True):
        if not isinstance(tag, Tag) or _gone(tag):
            continue
        classes = " ".join(tag.get("class") or []).lower()
        if tag.name in {"cite", "small"} or re.search(r"credit|copyright|byline|source", classes):
            part = _clean(_flat(tag.get_text(" ")))
            if part:
                credit_parts.append(part)
            tag.decompose()
    text = _clean(_flat(caption.get_text(" ")))
    if credit_parts:
        return PhotoCaption(text=text, credit=" ".join(credit_parts))
    if not text:
        return None
    caption_text, credit = split_credit(text)
    return PhotoCaption(text=caption_text, credit=credit)


def split_credit(text: str) -> tuple[str, str]:
    """Split a caption into (text, credit); credit is "" when none is recognisable."""
    for pattern in _CREDIT_PATTERNS:
        m = pattern.match(text)
        if m is None:
            continue
        credit = m.group("credit").strip()
        # A final parenthesis is a credit only if it reads like one ("(AFP)", not "(left)").
        if pattern is _CREDIT_PATTERNS[0] and not (
            _CREDIT_WORDS.search(credit) or credit.isupper()
        ):
            continue
        return m.group("text").strip(), credit
    return text, ""


def find_quotes(blocks: tuple[Block, ...]) -> tuple[Quote, ...]:
    """Quoted speech in `blocks`, by the scraped-text parser's quote finder."""
    try:
        from reader.quotes import find_quotes as finder
    except ImportError:  # only while the package is being assembled
        return ()
    return tuple(finder(blocks))


def title_from_text(body: str) -> str:
    """A title derived from body text (the scraped parser's rule), for pages without one."""
    try:
        from reader.formats.scraped import derive_title
    except ImportError:
        return clean_line(body)[:100]
    return str(derive_title(body))


def _text(tag: Tag) -> str:
    """A paragraph element's text: inline whitespace folded, `<br>` kept as a line break."""
    contents = tag.contents
    if len(contents) == 1 and type(contents[0]) is NavigableString:
        return _clean(_flat(contents[0]))  # a paragraph of plain text, without the walk
    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, NavigableString) and not isinstance(node, Comment):
            parts.append(_flat(str(node)))
        elif isinstance(node, Tag) and node.name == "br":
            parts.append("\n")
    return _clean("".join(parts))


def _flat(text: str) -> str:
    # Line breaks in HTML source are spaces; only <br> (added as "\n" by the callers) breaks.
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def _clean(text: str) -> str:
    # HTML white space is insignificant except our own "\n" for <br>. BeautifulSoup has already
    # decoded entities, so the sanitiser must not decode a second time ("&amp;lt;" stays "&lt;").
    text, _, unusual = clean_text_utf8(text, unescape_entities=False)
    if "\n" not in text:
        # One line (nearly every paragraph). `collapse_spaces` only changes a run of two spaces or
        # a space character other than " " (tab, NBSP...): those are never printable ASCII, so
        # they are among the `unusual` characters, where looking for them is cheap. Without
        # them its substitution of each single space by itself was a tenth of a feed entry.
        if "  " in text or (unusual and collapse_spaces(unusual) != unusual):
            text = collapse_spaces(text)
        return text.strip()
    lines = (collapse_spaces(line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
