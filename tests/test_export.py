"""Export of saved quotes and article state: JSON shape, Markdown structure, CSV, files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from reader.export import (
    CSV_COLUMNS,
    ExportArticle,
    ExportExistsError,
    collect,
    default_filename,
    render,
    to_csv,
    to_json,
    to_markdown,
    write_export,
)
from reader.saving import SavedQuote
from reader.store.state import StateStore

HOSTILE = "Line one\n## not a heading\n```\n> nested?\n[bold]markup[/bold] \x60code\x60"


def quotes() -> list[SavedQuote]:
    return [
        SavedQuote(
            id=3,
            kind="tweet",
            text="Water everywhere #flood",
            article_id="a1",
            article_title="The harbour\nfloods",
            article_source="/news/harbour.txt",
            article_date="2023-04-11",
            article_url="https://example.org/h",
            speaker="Port Watch",
            handle="port_watch",
            date="2023-04-10",
            url="https://twitter.com/port_watch",
            context_before="before",
            context_after="after",
            block=1,
            start=0,
            end=23,
            created="2026-01-03T00:00:00.000000Z",
            note="check\nthis",
            tags=("flood", "ports"),
        ),
        SavedQuote(
            id=2,
            kind="quote",
            text=HOSTILE,
            article_id="b2",
            article_title="Council meeting",
            article_source="/news/council.txt",
            speaker="the mayor",
            block=4,
            created="2026-01-02T00:00:00.000000Z",
        ),
        SavedQuote(
            id=1,
            kind="paragraph",
            text='=HYPERLINK("http://evil")',
            article_id="a1",
            article_title="The harbour\nfloods",
            article_source="/news/harbour.txt",
            block=0,
            created="2026-01-01T00:00:00.000000Z",
        ),
    ]


ARTICLES = [
    ExportArticle("a1", "The harbour floods", "/news/harbour.txt", read=True, bookmarked=False),
    ExportArticle("c3", "Unquoted", "/news/c.txt", read=False, bookmarked=True),
]


def test_json_has_exactly_the_documented_shape() -> None:
    doc = json.loads(to_json(quotes(), ARTICLES))
    assert set(doc) == {"quotes", "articles"}
    first = doc["quotes"][0]
    assert set(first) == {
        "text", "kind", "speaker", "handle", "date", "url", "note", "tags", "created",
        "context", "article",
    }  # fmt: skip
    assert first["article"] == {
        "id": "a1",
        "title": "The harbour\nfloods",
        "source": "/news/harbour.txt",
        "date": "2023-04-11",
        "url": "https://example.org/h",
    }
    assert first["context"] == {"before": "before", "after": "after"}
    assert first["tags"] == ["flood", "ports"] and first["handle"] == "port_watch"
    assert doc["quotes"][1]["text"] == HOSTILE
    assert doc["articles"] == [
        {"id": "a1", "title": "The harbour floods", "source": "/news/harbour.txt",
         "read": True, "bookmarked": False},
        {"id": "c3", "title": "Unquoted", "source": "/news/c.txt", "read": False,
         "bookmarked": True},
    ]  # fmt: skip


def test_markdown_groups_by_article_and_keeps_every_line_in_its_block() -> None:
    text = to_markdown(quotes(), now=dt.datetime(2026, 1, 5, 12, 0))
    lines = text.splitlines()
    assert lines[0] == "# Saved quotes"
    assert "3 quotes from 2 articles" in lines[2]
    headings = [line for line in lines if line.startswith("#")]
    # The hostile "## not a heading" line stays quoted; titles are flattened to one line.
    assert headings == ["# Saved quotes", "## The harbour floods", "## Council meeting"]
    assert "- Source: /news/harbour.txt" in lines and "- Date: 2023-04-11" in lines
    # Reading order inside an article: block 0 before block 1.
    assert text.index("=HYPERLINK") < text.index("Water everywhere")
    # Every line of the hostile quote is inside a `>` block.
    start = lines.index("> Line one")
    assert lines[start : start + 5] == [
        "> Line one",
        "> ## not a heading",
        "> ```",
        "> > nested?",
        "> [bold]markup[/bold] `code`",
    ]
    assert "> — the mayor (quote)" in lines
    assert "> — Port Watch (@port_watch), 2023-04-10 (tweet)" in lines
    assert "> Note: check" in lines and "> this" in lines
    assert "> Tags: #flood #ports" in lines
    # Between the `##` heading and the next, nothing is an unquoted line except metadata.
    section = text.split("## Council meeting")[1]
    body = [ln for ln in section.splitlines() if ln and not ln.startswith("- ")]
    assert all(ln.startswith(">") for ln in body)


def test_csv_has_a_header_and_round_trips_newlines() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(quotes()))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 4
    by_name = [dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:]]
    assert by_name[1]["text"] == HOSTILE
    assert by_name[0]["tags"] == "flood, ports"
    assert by_name[0]["handle"] == "port_watch" and by_name[1]["handle"] == ""
    # A formula is defused for spreadsheets.
    assert by_name[2]["text"] == '\'=HYPERLINK("http://evil")'


def test_render_dispatches_and_refuses_unknown_formats() -> None:
    assert render("json", [], []).startswith("{")
    assert render("csv", [], []).startswith("created,")
    assert render("markdown", [], []).startswith("# Saved quotes")
    with pytest.raises(ValueError, match="unknown export format"):
        render("yaml", [], [])


def test_collect_reads_the_store(tmp_path: Path) -> None:
    with StateStore.open(tmp_path) as store:
        store.mark_read("a1", "/news/harbour.txt", "The harbour floods")
        store.toggle_bookmark("c3", "/news/c.txt", "Unquoted")
        for q in quotes():
            store.save_quote(q)
        deleted, _ = store.save_quote(SavedQuote(kind="quote", text="gone", article_id="zz"))
        assert deleted.id is not None
        store.delete_quote(deleted.id)
        qs, articles = collect(store)
    assert [q.text for q in qs][0] == "Water everywhere #flood"
    assert "gone" not in [q.text for q in qs]
    assert [(a.id, a.read, a.bookmarked) for a in articles] == [
        ("b2", False, False),  # "Council meeting": known only from its quote
        ("a1", True, False),  # "The harbour floods"
        ("c3", False, True),  # "Unquoted"
    ]


def test_write_export_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    write_export("first", target)
    with pytest.raises(ExportExistsError, match="already exists"):
        write_export("second", target)
    assert target.read_text() == "first"
    write_export("third", target, force=True)
    assert target.read_text() == "third"


def test_default_filename() -> None:
    now = dt.datetime(2026, 2, 3, 4, 5, 6)
    assert default_filename("markdown", now) == "reader-quotes-20260203-040506.md"
    assert default_filename("json", now).endswith(".json")
