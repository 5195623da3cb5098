"""Fixtures for the app tests: our own small articles, loaded without the parser.

Snapshots must not change when the parser or the bundled samples do, so the tests feed the app
articles read from `fixtures/*.jsonl` (the `reader parse` JSON shape) through `build_app`'s
`loader` argument. Text fields go through the core sanitiser, as the parser's output does;
`source` stays raw, like a real file name.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.model import Article, Paragraph, PhotoCaption, Quote, Tweet, parse_iso_date
from reader.sanitize import clean_line, clean_text

FIXTURES = Path(__file__).parent / "fixtures"


async def until_loaded(pilot, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until the app has read its whole library, then for its other workers.

    `app.workers.wait_for_complete()` alone is not enough: the app starts its loading worker
    only after the first frame, so on a busy machine the wait can come first, find no worker,
    and return while the list still says "loading" (a snapshot failed that way under load).
    """
    app = pilot.app
    deadline = time.monotonic() + timeout
    while app.library_loading:
        assert time.monotonic() < deadline, f"library still loading after {timeout} s"
        await pilot.pause(0.01)
    await app.workers.wait_for_complete()
    await pilot.pause()


class FixtureLoadError:
    """Stands in for the core's load error: a path and a reason."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason


def article_from_dict(data: dict) -> Article:
    blocks = []
    for block in data["blocks"]:
        kind = block["kind"]
        if kind == "tweet":
            blocks.append(
                Tweet(
                    text=clean_text(block["text"]),
                    author=clean_line(block["author"]),
                    handle=block["handle"],
                    date=parse_iso_date(block["date"]),
                    links=tuple(block.get("links", ())),
                )
            )
        elif kind == "photo_caption":
            blocks.append(PhotoCaption(clean_text(block["text"]), clean_line(block["credit"])))
        else:
            blocks.append(Paragraph(clean_text(block["text"]), block.get("boilerplate", False)))
    quotes = tuple(
        Quote(q["text"], q["speaker"], q["block"], q["start"], q["end"]) for q in data["quotes"]
    )
    return Article(
        id=data["id"],
        source=data["source"],
        title=clean_line(data["title"]),
        blocks=tuple(blocks),
        quotes=quotes,
        date=parse_iso_date(data["date"]),
        url=data["url"],
    )


def read_fixture(name: str) -> list[Article]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [article_from_dict(json.loads(line)) for line in lines if line.strip()]


def fixture_loader(*names: str, problems: tuple[tuple[str, str], ...] = ()):
    """A `build_app` loader yielding the named fixture files' articles, then `problems`."""

    def load(paths: list[str]) -> Iterator[object]:
        for name in names:
            yield from read_fixture(name)
        for path, reason in problems:
            yield FixtureLoadError(path, reason)

    return load


@pytest.fixture
def library_articles() -> list[Article]:
    return read_fixture("library.jsonl")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """The app keeps its article cache (and state) in the data dir: never the user's own."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path_factory.mktemp("reader-data")))
