"""Golden tests: every fixture in tests/formats/fixtures parses to the model in golden/.

The golden JSON holds each article's `to_dict()` without its quotes (and any problem reported for
the file). Quotes are checked separately below by the phrases each fixture must yield, so that
an improvement to the shared quote finder does not churn these files. After an intended change:

    READER_UPDATE_GOLDEN=1 python -m pytest tests/formats/test_format_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from reader.formats import LoadError, load_file
from reader.model import Article

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_file())

# Phrases of quoted speech each fixture must produce as a Quote sitting in the right block.
QUOTES = {
    "night_market.md": ["We sell more when people can see the boats", "It is that simple"],
    "river_survey.markdown": ["Some of these have not been looked at"],
    "coast_path.html": ["It is a longer walk, but a safer one"],
    "town_feed.rss": ["The mechanism was full of pigeon feathers"],
    "records.jsonl": ["Passengers have had enough bad news", "Too many mackerel"],
}


def load(name: str) -> tuple[list[Article], list[str]]:
    try:
        return load_file(FIXTURES / name, source=name), []
    except LoadError as exc:
        return exc.articles, [exc.reason]


def snapshot(name: str) -> dict[str, Any]:
    articles, errors = load(name)
    rows = []
    for article in articles:
        row = article.to_dict()
        del row["quotes"]
        rows.append(row)
    return {"articles": rows, "errors": errors}


def test_every_fixture_has_a_golden_file() -> None:
    assert CASES, "no fixtures found"
    if os.environ.get("READER_UPDATE_GOLDEN"):
        pytest.skip("regenerating")
    missing = [c for c in CASES if not (GOLDEN / f"{c}.json").exists()]
    assert not missing


@pytest.mark.parametrize("name", CASES)
def test_fixture_matches_golden(name: str) -> None:
    got = snapshot(name)
    path = GOLDEN / f"{name}.json"
    if os.environ.get("READER_UPDATE_GOLDEN"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected


@pytest.mark.parametrize("name", sorted(QUOTES))
def test_fixture_quotes(name: str) -> None:
    articles, _ = load(name)
    quotes = [(q, a) for a in articles for q in a.quotes]
    for phrase in QUOTES[name]:
        found = [q for q, a in quotes if phrase in q.text and phrase in a.blocks[q.block].text]
        assert found, f"{phrase!r} not found as a quote in {name}"


def test_every_format_yields_tweets_and_captions() -> None:
    """The same model from every format: each new format's fixtures hold both kinds."""
    by_format: dict[str, set[str]] = {}
    for name in CASES:
        for article in load(name)[0]:
            by_format.setdefault(article.format, set()).update(b.kind for b in article.blocks)
    for fmt in ("markdown", "html", "feed", "json"):
        assert {"tweet", "photo_caption", "paragraph"} <= by_format[fmt], fmt
