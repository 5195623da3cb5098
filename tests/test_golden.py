"""Golden files: the exact `reader parse` output for every bundled sample article.

A change in the parser that changes what a sample parses to fails here with a diff. When the
change is an improvement, regenerate and review the diff of tests/golden/ before committing:

    READER_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

Each sample `NAME` (any format) has `tests/golden/NAME.json`: a JSON list of the article objects
`reader parse NAME` prints, run from inside the samples folder so `source` is just the name.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reader.formats import known_extensions
from reader.paths import samples_dir

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("READER_UPDATE_GOLDEN") == "1"
HINT = "if the change is intended: READER_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py"


def sample_names() -> list[str]:
    return sorted(p.name for p in samples_dir().iterdir()
                  if p.is_file() and not p.name.startswith("."))


def serialise(articles: list[dict[str, Any]]) -> str:
    return json.dumps(articles, ensure_ascii=False, indent=2) + "\n"


@pytest.fixture(scope="module")
def parsed() -> dict[str, list[dict[str, Any]]]:
    """`reader parse` over every sample, once, grouped by source file."""
    names = sample_names()
    result = subprocess.run(
        [sys.executable, "-m", "reader", "parse", *names],
        cwd=samples_dir(), capture_output=True, stdin=subprocess.DEVNULL, timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    grouped: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for line in result.stdout.decode("utf-8").splitlines():
        article = json.loads(line)
        grouped[article["source"]].append(article)
    return grouped


def test_there_are_samples() -> None:
    assert len([n for n in sample_names() if n.endswith(".txt")]) >= 8


@pytest.mark.parametrize("name", sample_names())
def test_sample_matches_its_golden_file(name: str, parsed: dict[str, list[dict[str, Any]]]) -> None:
    actual = serialise(parsed[name])
    golden = GOLDEN / f"{name}.json"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file for {name}; {HINT}"
    assert parsed[name], f"{name} produced no article"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, HINT


def test_every_golden_file_has_a_sample() -> None:
    # A golden file left behind by a renamed sample would silently test nothing.
    samples = set(sample_names())
    extensions = known_extensions()
    orphans = [
        p.name for p in GOLDEN.glob("*.json")
        if Path(p.stem).suffix.lower() in extensions and p.stem not in samples
    ]
    assert orphans == [], "delete these golden files or restore their samples"
