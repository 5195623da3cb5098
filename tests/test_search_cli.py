"""`reader index` and `reader search` through real subprocesses (the console script)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

READER = [sys.executable, "-m", "reader"]


def run(data: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READER_DATA_DIR": str(data), "NO_COLOR": "1"}
    env.pop("READER_CONFIG", None)
    return subprocess.run(
        [*READER, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=timeout,
    )


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    (root / "deep" / "er").mkdir(parents=True)
    (root / "lighthouse.txt").write_text(
        "title: Lighthouse keepers return\n\n"
        "The keepers came back to the lighthouse on the point after ten years away.\n"
    )
    (root / "deep" / "er" / "ferry.md").write_text(
        "---\ntitle: Ferry timetable\ndate: 2022-02-02\n---\n"
        "The ferry now calls at the lighthouse pier twice a day.\n"
    )
    (root / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        "<item><title>Harbour dredging starts</title><description>&lt;p&gt;Dredgers arrived "
        "in the harbour.&lt;/p&gt;</description></item></channel></rss>"
    )
    return root


def test_index_then_reindex_summary(tmp_path: Path, lib: Path) -> None:
    data = tmp_path / "data"
    first = run(data, "index", str(lib))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("3 files, 3 articles: 3 new, 0 changed, 0 unchanged")
    assert first.stdout.strip().endswith(" s")
    assert (data / "library.sqlite3").exists()
    second = run(data, "index", str(lib))
    assert "0 new, 0 changed, 3 unchanged, 0 removed, 0 errors" in second.stdout
    (lib / "feed.rss").unlink()
    third = run(data, "index", str(lib))
    assert "2 files, 2 articles" in third.stdout and "1 removed" in third.stdout


def test_search_best_first_with_snippets(tmp_path: Path, lib: Path) -> None:
    result = run(tmp_path / "data", "search", "lighthouse", str(lib))
    assert result.returncode == 0, result.stderr
    rows = lines(result.stdout)
    assert [r["title"] for r in rows] == ["Lighthouse keepers return", "Ferry timetable"]
    assert set(rows[0]) == {"id", "source", "title", "date", "score", "snippet"}
    assert rows[0]["score"] >= rows[1]["score"]  # type: ignore[operator]
    assert rows[1]["date"] == "2022-02-02"
    assert "lighthouse" in str(rows[1]["snippet"]).lower()
    assert str(rows[0]["source"]).endswith("lighthouse.txt")
    # The last word is a prefix; --limit is honoured.
    assert len(lines(run(tmp_path / "data", "search", "--limit", "1", "lightho").stdout)) == 1


def test_search_is_limited_to_the_paths_given(tmp_path: Path, lib: Path) -> None:
    data = tmp_path / "data"
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("A second lighthouse, far away from the first one.\n")
    run(data, "index", str(lib))
    only_other = lines(run(data, "search", "lighthouse", str(other)).stdout)
    assert [Path(str(r["source"])).name for r in only_other] == ["x.txt"]
    # No PATH: everything in the cache.
    assert len(lines(run(data, "search", "lighthouse").stdout)) == 3


@pytest.mark.parametrize(
    "query", ['"', "NEAR(", "*", "-", "a:b", "(", "')--", "title:*", '"unterminated', "\u202e"]
)
def test_any_query_is_safe(tmp_path: Path, lib: Path, query: str) -> None:
    result = run(tmp_path / "data", "search", query, str(lib))
    assert result.returncode == 0
    assert "Traceback" not in result.stderr and result.stderr == ""
    assert all(isinstance(r["id"], str) for r in lines(result.stdout))


def test_problems_get_one_line_each_and_nothing_hangs(tmp_path: Path, lib: Path) -> None:
    (lib / "loop").symlink_to(lib)
    (lib / "blob.txt").write_bytes(bytes(range(256)) * 100)
    with open(lib / "huge.txt", "wb") as f:
        f.truncate(90 * 1024 * 1024)
    odd = lib / "notes.unknownext"
    odd.write_bytes(b"\x00\x01\x02" * 1000)
    result = run(tmp_path / "data", "index", str(lib), str(odd), str(tmp_path / "absent"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    err = result.stderr.splitlines()
    assert all(line.startswith("reader: ") for line in err)
    expected = {"directory loop": 1, "binary file": 2, "file too large": 1, "no such file": 1}
    for reason, count in expected.items():
        assert sum(reason in line for line in err) == count, (reason, err)
    assert "notes.unknownext: binary file" in result.stderr
    assert len(err) == 5
    assert "3 articles" in result.stdout and "5 errors" in result.stdout


def test_unreadable_data_dir_still_searches(tmp_path: Path, lib: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(blocker / "data", "search", "harbour", str(lib))
    assert result.returncode == 0
    assert "temporary" in result.stderr
    assert [r["title"] for r in lines(result.stdout)] == ["Harbour dredging starts"]


def test_glob_pattern_and_samples_default(tmp_path: Path, lib: Path) -> None:
    result = run(tmp_path / "data", "index", str(lib / "**" / "*.md"))
    assert result.stdout.startswith("1 files, 1 articles"), result.stdout + result.stderr
    # An empty cache and no PATH: the bundled samples are searched.
    fresh = run(tmp_path / "fresh", "search", "ferry")
    assert fresh.returncode == 0 and lines(fresh.stdout)


def test_help_documents_both_commands(tmp_path: Path) -> None:
    for command in ("index", "search"):
        result = run(tmp_path / "data", command, "--help")
        assert result.returncode == 0 and "examples:" in result.stdout


def test_console_script(tmp_path: Path, lib: Path, console_script: Path) -> None:
    script = console_script
    env = {**os.environ, "READER_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [str(script), "search", "dredging", str(lib)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert [r["title"] for r in lines(result.stdout)] == ["Harbour dredging starts"]


def test_hostile_file_names_stay_inert(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    hostile = lib / "evil\x1b]52;c;aGk=\x07\x1b[31mname\nline.txt"
    hostile.write_text("The hostile file name still holds a searchable walrus.\n")
    (lib / "bin\x1b[2Jary.txt").write_bytes(bytes(range(256)) * 20)
    data = tmp_path / "data"
    indexed = run(data, "index", str(lib))
    assert "\x1b" not in indexed.stderr + indexed.stdout
    assert len(indexed.stderr.splitlines()) == 1 and "binary file" in indexed.stderr
    (row,) = lines(run(data, "search", "walrus", str(lib)).stdout)
    assert "\x1b" not in str(row["source"]) and "\n" not in str(row["source"])
    assert str(row["source"]).endswith("name line.txt")
