"""Exporting saved quotes and article state as JSON, Markdown (Obsidian / notes) or CSV.

Pure core: works on `SavedQuote` rows and `ExportArticle` records; `collect(store)` gathers
them from a `StateStore` (duck-typed, so this module imports no SQL). Used by
`reader export` and by the app.

JSON (a stable contract)::

    {"quotes": [{"text", "kind", "speaker", "handle", "date", "url", "note", "tags", "created",
                 "context": {"before", "after"},
                 "article": {"id", "title", "source", "date", "url"}}],
     "articles": [{"id", "title", "source", "read", "bookmarked"}]}

Markdown: one `##` section per article (newest quote first), its source and date, then each
quote as a `>` block (every line of the text prefixed, so nothing can escape the block) with
its attribution, note and tags. CSV: one row per quote, with a header row.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.saving import SavedQuote

if TYPE_CHECKING:
    from reader.store.state import StateStore

FORMATS = ("json", "markdown", "csv")
EXTENSIONS = {"json": "json", "markdown": "md", "csv": "csv"}

CSV_COLUMNS = (
    "created", "kind", "text", "speaker", "handle", "date", "url", "note", "tags",
    "context_before", "context_after", "article_id", "article_title", "article_source",
    "article_date", "article_url", "block", "start", "end",
)  # fmt: skip

_KIND_LABEL = {
    "tweet": "tweet",
    "caption": "photo caption",
    "quote": "quote",
    "paragraph": "paragraph",
    "sentence": "excerpt",
}


@dataclass(frozen=True, slots=True)
class ExportArticle:
    """An article as exported: identity, display fields and its state."""

    id: str
    title: str
    source: str
    read: bool = False
    bookmarked: bool = False


class ExportExistsError(Exception):
    """The output file exists and `force` was not given."""


def collect(store: StateStore) -> tuple[list[SavedQuote], list[ExportArticle]]:
    """Live quotes (newest first) and every article with state or with a saved quote."""
    quotes = store.list_quotes()
    articles: dict[str, ExportArticle] = {}
    for state in store.articles():
        articles[state.id] = ExportArticle(
            id=state.id,
            title=state.title or "",
            source=state.path or "",
            read=state.read,
            bookmarked=state.bookmarked,
        )
    for q in quotes:
        if q.article_id not in articles:
            articles[q.article_id] = ExportArticle(q.article_id, q.article_title, q.article_source)
    return quotes, sorted(articles.values(), key=lambda a: (a.title.casefold(), a.id))


def render(fmt: str, quotes: Sequence[SavedQuote], articles: Sequence[ExportArticle]) -> str:
    """The export as text in `fmt` ("json", "markdown" or "csv")."""
    if fmt == "json":
        return to_json(quotes, articles)
    if fmt == "markdown":
        return to_markdown(quotes)
    if fmt == "csv":
        return to_csv(quotes)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


# --- JSON --------------------------------------------------------------------------------------


def quote_to_json(q: SavedQuote) -> dict[str, Any]:
    """One quote in the export's JSON shape."""
    return {
        "text": q.text,
        "kind": q.kind,
        "speaker": q.speaker,
        "handle": q.handle,
        "date": q.date,
        "url": q.url,
        "note": q.note,
        "tags": list(q.tags),
        "created": q.created,
        "context": {"before": q.context_before, "after": q.context_after},
        "article": {
            "id": q.article_id,
            "title": q.article_title,
            "source": q.article_source,
            "date": q.article_date,
            "url": q.article_url,
        },
    }


def to_json(quotes: Sequence[SavedQuote], articles: Sequence[ExportArticle]) -> str:
    """`{"quotes": [...], "articles": [...]}`, UTF-8 text, indented for people and diffs."""
    doc = {
        "quotes": [quote_to_json(q) for q in quotes],
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "source": a.source,
                "read": a.read,
                "bookmarked": a.bookmarked,
            }
            for a in articles
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# --- Markdown ----------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    # Headings and list-like lines must stay on one line whatever the data holds.
    return " ".join(text.split())


def _blockquote(lines: Iterable[str]) -> list[str]:
    # Every physical line gets its marker: a quote with newlines (or a line that looks like a
    # heading or a fence) stays inside the block.
    out: list[str] = []
    for line in lines:
        for part in line.splitlines() or [""]:
            out.append(f"> {part}".rstrip())
    return out


def to_markdown(quotes: Sequence[SavedQuote], *, now: _dt.datetime | None = None) -> str:
    """Quotes grouped by article, newest article first, quotes in reading order."""
    groups: dict[str, list[SavedQuote]] = {}
    for q in quotes:  # `quotes` is newest first, so groups come out newest first
        groups.setdefault(q.article_id, []).append(q)
    stamp = (now or _dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    n_q, n_a = len(quotes), len(groups)
    lines = [
        "# Saved quotes",
        "",
        f"Exported from reader on {stamp}: {n_q} quote{'s' * (n_q != 1)} "
        f"from {n_a} article{'s' * (n_a != 1)}.",
    ]
    for group in groups.values():
        first = group[0]
        lines += ["", f"## {_one_line(first.article_title) or 'Untitled'}", ""]
        meta = []
        if first.article_source:
            meta.append(f"Source: {_one_line(first.article_source)}")
        if first.article_date:
            meta.append(f"Date: {first.article_date}")
        if first.article_url:
            meta.append(f"URL: <{_one_line(first.article_url)}>")
        meta.append(f"Article id: {first.article_id}")
        lines += [f"- {m}" for m in meta]
        for q in sorted(group, key=lambda q: (q.block, q.start, q.end)):
            body = [q.text, ""]
            attribution = _attribution(q)
            body.append(f"— {attribution}" if attribution else f"— {_KIND_LABEL[q.kind]}")
            if q.note:
                body += ["", f"Note: {q.note}"]
            if q.tags:
                body += ["", "Tags: " + " ".join(f"#{t}" for t in q.tags)]
            lines += ["", *_blockquote(body)]
    return "\n".join(lines) + "\n"


def _attribution(q: SavedQuote) -> str:
    who = _one_line(q.attribution)
    label = _KIND_LABEL[q.kind]
    if q.kind == "caption" and q.speaker:
        return f"{label}, credit: {_one_line(q.speaker)}"
    return f"{who} ({label})" if who else ""


# --- CSV ---------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    # Spreadsheet formula injection: a cell that a spreadsheet would evaluate gets a leading
    # apostrophe. Plain "@handle ..." or "-5%" text is left alone.
    if text.startswith("=") or (text[:1] in ("+", "-", "@") and "(" in text):
        return "'" + text
    return text


def to_csv(quotes: Sequence[SavedQuote]) -> str:
    """One row per quote under a header row (tags joined by ", ")."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for q in quotes:
        row = {
            "created": q.created,
            "kind": q.kind,
            "text": q.text,
            "speaker": q.speaker,
            "handle": q.handle,
            "date": q.date,
            "url": q.url,
            "note": q.note,
            "tags": ", ".join(q.tags),
            "context_before": q.context_before,
            "context_after": q.context_after,
            "article_id": q.article_id,
            "article_title": q.article_title,
            "article_source": q.article_source,
            "article_date": q.article_date,
            "article_url": q.article_url,
            "block": q.block,
            "start": q.start,
            "end": q.end,
        }
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    return buf.getvalue()


# --- files -------------------------------------------------------------------------------------


def default_filename(fmt: str, now: _dt.datetime | None = None) -> str:
    """`reader-quotes-YYYYmmdd-HHMMSS.<ext>`: a fresh name for the app's export."""
    stamp = (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"reader-quotes-{stamp}.{EXTENSIONS[fmt]}"


def write_export(text: str, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write `text` to `path` as UTF-8. Never replaces an existing file unless `force`:
    without it the file is created exclusively, so even a race cannot overwrite one."""
    target = Path(path)
    mode = "w" if force else "x"
    try:
        with open(target, mode, encoding="utf-8", newline="") as fh:
            fh.write(text)
    except FileExistsError:
        raise ExportExistsError(
            f"{target} already exists; choose another file or pass --force to replace it"
        ) from None
    return target
