"""JSON and JSON Lines datasets of articles (`.json`, `.jsonl`, `.ndjson`).

A `.json` file holds one article object, an array of them, or `{"articles": [...]}`; a JSON Lines
file one object per line. An object needs a text (`text`, `content`, `body` or `articleBody`);
`title`/`headline`, `date`/`published`/`datePublished`, `url`/`link` and `author` are optional.
The text goes through the scraped-text parser, so tweets, captions and quotes inside it are found
as in a `.txt` file (text that is clearly HTML takes the HTML path instead).

Bad lines (invalid JSON, not an object, no text) do not sink the file: the good ones are kept and
the bad ones reported by line number through `PartialLoad`.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from reader.formats import PartialLoad
from reader.model import Article, parse_iso_date
from reader.sanitize import clean_line

TEXT_KEYS = ("text", "content", "body", "articleBody", "article_body", "full_text")
TITLE_KEYS = ("title", "headline", "name")
DATE_KEYS = ("date", "published", "datePublished", "date_published", "pubDate", "published_at")
URL_KEYS = ("url", "link", "href")
AUTHOR_KEYS = ("author", "byline", "authors")
LIST_KEYS = ("articles", "items", "data", "entries")

_HTML_START = re.compile(r"\s*<(?:p|div|article|section|h[1-6]|figure|blockquote|html)\b", re.I)
# Report at most this many bad lines by number; the rest are counted.
_MAX_LISTED = 5


def parse(data: str, source: str) -> list[Article]:
    """Articles from a JSON document, or from JSON Lines when the text is not one document."""
    try:
        document = json.loads(data)
    except json.JSONDecodeError:
        return _parse_lines(data, source)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if isinstance(document, dict):
        for key in LIST_KEYS:
            if isinstance(document.get(key), list):
                document = document[key]
                break
    items = document if isinstance(document, list) else [document]
    articles: list[Article] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        try:
            articles.append(object_article(item, source))
        except ValueError as exc:
            problems.append(f"item {index + 1} ({exc})")
    return _finish(articles, problems, len(items))


def _parse_lines(data: str, source: str) -> list[Article]:
    articles: list[Article] = []
    problems: list[str] = []
    total = 0
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        total += 1
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number} (invalid JSON: {exc.msg})")
            continue
        except RecursionError:
            problems.append(f"line {number} (nested too deeply)")
            continue
        try:
            articles.append(object_article(item, source))
        except ValueError as exc:
            problems.append(f"line {number} ({exc})")
    return _finish(articles, problems, total)


def _finish(articles: list[Article], problems: list[str], total: int) -> list[Article]:
    if not problems:
        return articles
    listed = ", ".join(problems[:_MAX_LISTED])
    more = f" and {len(problems) - _MAX_LISTED} more" if len(problems) > _MAX_LISTED else ""
    reason = f"skipped {len(problems)} of {total} records: {listed}{more}"
    if not articles:
        raise ValueError(reason)
    raise PartialLoad(articles, reason)


def object_article(item: Any, source: str) -> Article:
    """One dataset record as an `Article`; ValueError says what is wrong with it."""
    if not isinstance(item, dict):
        raise ValueError(f"not an object but {type(item).__name__}")
    text = _first_str(item, TEXT_KEYS)
    if text is None or not text.strip():
        raise ValueError("no text, content, body or articleBody")
    title = clean_line(_first_str(item, TITLE_KEYS) or "")
    date = parse_iso_date(_first_str(item, DATE_KEYS))
    url = clean_line(_first_str(item, URL_KEYS) or "") or None
    author = clean_line(_author(item) or "") or None
    if _HTML_START.match(text) and re.search(r"</\w+>", text):
        from reader.formats.html import article_from_html

        return article_from_html(
            text, source, title=title, date=date, url=url, author=author, format="json"
        )
    from reader.formats.scraped import parse_text

    article = parse_text(text, source=source)
    return replace(
        article,
        title=title or article.title,
        date=date or article.date,
        url=url or article.url,
        author=author or article.author,
        format="json",
    )


def _first_str(item: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = item.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return "\n\n".join(value)  # a text given as its list of paragraphs
        if isinstance(value, int | float) and not isinstance(value, bool) and key in DATE_KEYS:
            return None  # epoch numbers are not dates we can trust to a day without a zone
    return None


def _author(item: dict[str, Any]) -> str | None:
    for key in AUTHOR_KEYS:
        value = item.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return str(value["name"])
        if isinstance(value, list):
            names = [v if isinstance(v, str) else v.get("name") for v in value if v]
            names = [n for n in names if isinstance(n, str)]
            if names:
                return ", ".join(names)
    return None
