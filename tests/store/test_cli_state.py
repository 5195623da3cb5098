"""`reader list` read/bookmarked flags and `reader export`, through the real console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.saving import SavedQuote
from reader.store.location import STATE_FILENAME
from reader.store.state import StateStore

ROOT = Path(__file__).resolve().parents[2]

ARTICLE_A = """The council met on Tuesday to discuss the ferry timetable.

"We were not consulted," the mayor said. "Nobody asked us."
"""
ARTICLE_B = """Rain closed the coastal road for the second time this month.

Engineers expect it to reopen on Friday.
"""


def reader(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "READER_DATA_DIR"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=full_env,
    )


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "council.txt").write_text(ARTICLE_A)
    (folder / "rain.txt").write_text(ARTICLE_B)
    return folder


def listed(result: subprocess.CompletedProcess[str]) -> dict[str, dict[str, object]]:
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    return {Path(str(r["source"])).name: r for r in rows}


def test_list_gains_read_and_bookmarked(tmp_path: Path, library: Path) -> None:
    data = tmp_path / "data"
    before = listed(reader("list", str(library), "--data-dir", str(data)))
    assert {(r["read"], r["bookmarked"]) for r in before.values()} == {(False, False)}
    assert not data.exists()  # listing never creates a state file
    council = str(before["council.txt"]["id"])
    rain = str(before["rain.txt"]["id"])
    with StateStore.open(data) as store:
        store.mark_read(council)
        store.toggle_bookmark(rain)
    after = listed(reader("list", str(library), "--data-dir", str(data)))
    assert (after["council.txt"]["read"], after["council.txt"]["bookmarked"]) == (True, False)
    assert (after["rain.txt"]["read"], after["rain.txt"]["bookmarked"]) == (False, True)
    # The environment variable is honoured the same way.
    via_env = listed(reader("list", str(library), env={"READER_DATA_DIR": str(data)}))
    assert via_env["council.txt"]["read"] is True


def test_state_follows_a_renamed_file(tmp_path: Path, library: Path) -> None:
    data = tmp_path / "data"
    council = str(listed(reader("list", str(library)))["council.txt"]["id"])
    with StateStore.open(data) as store:
        store.mark_read(council, str(library / "council.txt"))
    (library / "council.txt").rename(library / "renamed.txt")
    after = listed(reader("list", str(library), "--data-dir", str(data)))
    assert after["renamed.txt"]["read"] is True


def test_list_with_a_corrupt_state_file_carries_on(tmp_path: Path, library: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / STATE_FILENAME).write_bytes(b"\x00garbage\xff" * 1000)
    result = reader("list", str(library), "--data-dir", str(data))
    assert result.returncode == 0
    assert result.stderr.count("damaged") == 1 and ".corrupt-" in result.stderr
    assert len(listed(result)) == 2
    assert len(list(data.glob(STATE_FILENAME + ".corrupt-*"))) == 1


def save_some(data: Path) -> None:
    with StateStore.open(data) as store:
        store.save_quote(
            SavedQuote(kind="quote", text="Nobody asked us.", article_id="a1",
                       article_title="Council", speaker="the mayor", note="n1")
        )  # fmt: skip
        store.save_quote(SavedQuote(kind="paragraph", text="Rain closed.", article_id="b2"))
        store.mark_read("a1", "/x/council.txt", "Council")


def test_export_json_to_stdout_and_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    save_some(data)
    result = reader("export", "--format", "json", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [q["text"] for q in doc["quotes"]] == ["Rain closed.", "Nobody asked us."]
    assert doc["quotes"][1]["speaker"] == "the mayor" and doc["quotes"][1]["note"] == "n1"
    assert {a["id"]: a["read"] for a in doc["articles"]} == {"a1": True, "b2": False}
    out = tmp_path / "quotes.md"
    result = reader("export", "--format", "markdown", "--output", str(out),
                    env={"READER_DATA_DIR": str(data)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "> Nobody asked us." in out.read_text()
    assert "exported 2 quotes" in result.stderr


def test_export_never_silently_overwrites(tmp_path: Path) -> None:
    data = tmp_path / "data"
    save_some(data)
    out = tmp_path / "quotes.csv"
    out.write_text("precious")
    result = reader("export", "--format", "csv", "-o", str(out), "--data-dir", str(data))
    assert result.returncode == 1
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_text() == "precious"
    result = reader("export", "--format", "csv", "-o", str(out), "--force", "--data-dir",
                    str(data))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("created,kind,text")


def test_export_while_another_process_saves(tmp_path: Path) -> None:
    data = tmp_path / "data"
    StateStore.open(data).close()
    saver = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from reader.saving import SavedQuote\n"
            "from reader.store.state import StateStore\n"
            "s = StateStore.open(sys.argv[1])\n"
            "for i in range(400):\n"
            "    s.save_quote(SavedQuote(kind='paragraph', text=f'q{i}', article_id='a', "
            "block=i))\n"
            "    s.toggle_read(f'art{i}')\n"
            "    time.sleep(0.003)\n",
            str(data),
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    counts: list[int] = []
    while saver.poll() is None or not counts:
        result = reader("export", "--format", "json", "--data-dir", str(data))
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        counts.append(len(json.loads(result.stdout)["quotes"]))
        time.sleep(0.01)
    _, err = saver.communicate(timeout=60)
    assert saver.returncode == 0, err
    assert counts == sorted(counts)  # each export saw a consistent, growing snapshot
    assert any(0 < c < 400 for c in counts), counts  # and some ran while the saver wrote
    final = json.loads(reader("export", "--data-dir", str(data)).stdout)
    assert len(final["quotes"]) == 400
    assert sum(a["read"] for a in final["articles"]) == 400
