"""The command-line contract, through real subprocesses (`python -m reader`, the console script)."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reader import __version__
from reader.cli import build_parser, subcommand_names
from reader.paths import samples_dir

SUBCOMMANDS = ["open", "parse", "list", "show"]
ARTICLE_KEYS = {"id", "source", "title", "date", "url", "blocks", "quotes"}
SUMMARY_KEYS = {"id", "source", "title", "date", "tweets", "captions", "quotes", "words"}
BODY = (
    "The ferry ran late on Monday.\n\n"
    "Passengers waited at Salt Quay for an hour, and most of them took it well.\n"
)


@pytest.fixture(autouse=True)
def isolated_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the developer's real data folder (subprocesses inherit this)."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("READER_CONFIG", raising=False)


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
        stdin: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """`python -m reader ARGS` with no terminal: stdin empty unless given, output as bytes."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=cwd, env=full_env, input=stdin or b"", capture_output=True, timeout=timeout,
    )


def json_lines(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def stderr_lines(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    return result.stderr.decode("utf-8").splitlines()


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "ferry.txt"
    path.write_text(BODY, encoding="utf-8")
    return path


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"reader {__version__}"


def test_help_lists_every_subcommand_and_each_has_examples() -> None:
    result = run("--help")
    assert result.returncode == 0
    text = result.stdout.decode()
    # Every registered subcommand, including those added later (index, search, export...).
    names = subcommand_names(build_parser())
    assert set(SUBCOMMANDS) <= set(names)
    for name in names:
        assert f"\n    {name} " in text
        sub = run(name, "--help")
        assert sub.returncode == 0, name
        sub_text = sub.stdout.decode()
        assert "examples:" in sub_text and f"reader {name}" in sub_text
        assert "--data-dir" in sub_text and "--config" in sub_text


def test_parse_prints_one_json_object_per_article(article: Path) -> None:
    result = run("parse", str(article))
    assert result.returncode == 0, result.stderr
    [obj] = json_lines(result.stdout)
    assert ARTICLE_KEYS <= set(obj)
    assert obj["source"] == str(article)
    assert obj["date"] is None and obj["url"] is None
    assert [b["kind"] for b in obj["blocks"]] == ["paragraph", "paragraph"]
    assert obj["blocks"][1]["text"].startswith("Passengers waited at Salt Quay")
    assert result.stderr == b""


def test_parse_samples_obey_the_block_contract() -> None:
    samples = sorted(samples_dir().glob("*.txt"))
    result = run("parse", *map(str, samples))
    assert result.returncode == 0, result.stderr
    articles = json_lines(result.stdout)
    assert [a["source"] for a in articles] == [str(p) for p in samples]
    for obj in articles:
        assert ARTICLE_KEYS <= set(obj)
        assert obj["date"] is None or dt.date.fromisoformat(obj["date"])
        for block in obj["blocks"]:
            assert block["kind"] in {"paragraph", "tweet", "photo_caption"}
            assert isinstance(block["text"], str)
            if block["kind"] == "tweet":
                assert {"author", "handle", "date", "links"} <= set(block)
                assert not block["handle"].startswith("@")
            if block["kind"] == "photo_caption":
                assert isinstance(block["credit"], str)
        for quote in obj["quotes"]:
            assert {"text", "speaker", "block"} <= set(quote)
            assert 0 <= quote["block"] < len(obj["blocks"])


def test_json_is_utf8_not_ascii_escaped(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    path.write_text("La Fête du Citron à Menton, très réussie. 🍋\n", encoding="utf-8")
    result = run("parse", str(path))
    assert "Fête du Citron".encode() in result.stdout
    assert "🍋".encode() in result.stdout
    assert b"\\u00" not in result.stdout


def test_bad_inputs_get_one_line_each_and_exit_1(tmp_path: Path, article: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "picture.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    missing = tmp_path / "missing.txt"
    folder = tmp_path / "empty-folder"
    folder.mkdir()
    result = run("parse", str(missing), str(empty), str(article), str(binary))
    assert result.returncode == 1
    assert len(json_lines(result.stdout)) == 1  # the good file was still printed
    assert stderr_lines(result) == [
        f"reader: {missing}: no such file or directory",
        f"reader: {empty}: empty file",
        f"reader: {binary}: binary file",
    ]
    assert b"Traceback" not in result.stderr


def test_invalid_utf8_is_read_leniently(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 society returns to the harbour front.\n".encode("latin-1"))
    result = run("parse", str(path))
    assert result.returncode == 0
    [obj] = json_lines(result.stdout)
    assert obj["blocks"][0]["text"].startswith("Caf\ufffd society")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_boms_are_honoured(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_text("Ferry crews walk out.\n\nTalks resume on Wednesday.\n", encoding=encoding)
    if encoding == "utf-16":
        assert path.read_bytes()[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    result = run("parse", str(path))
    assert result.returncode == 0, result.stderr
    [obj] = json_lines(result.stdout)
    assert obj["blocks"][0]["text"] == "Ferry crews walk out."


def test_list_without_paths_lists_the_samples_in_list_order() -> None:
    result = run("list")
    assert result.returncode == 0, result.stderr
    rows = json_lines(result.stdout)
    assert len(rows) >= len(list(samples_dir().glob("*.txt"))) >= 8
    for row in rows:
        assert SUMMARY_KEYS <= set(row)
        assert all(isinstance(row[k], int) for k in ("tweets", "captions", "quotes", "words"))

    def key(row: dict[str, Any]) -> tuple[int, int, str, str]:
        if row["date"] is None:
            return (1, 0, row["title"].casefold(), row["source"])
        return (0, -dt.date.fromisoformat(row["date"]).toordinal(), row["title"].casefold(),
                row["source"])

    assert rows == sorted(rows, key=key)


def test_list_of_a_folder_and_a_glob(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.md.bak"):
        (tmp_path / name).write_text(f"Article {name} about the harbour.\n", encoding="utf-8")
    by_folder = json_lines(run("list", str(tmp_path)).stdout)
    by_glob = json_lines(run("list", str(tmp_path / "*.txt")).stdout)
    assert sorted(r["source"] for r in by_folder) == [str(tmp_path / "a.txt"),
                                                     str(tmp_path / "b.txt")]
    assert by_glob == by_folder


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    sample = next(iter(sorted(samples_dir().glob("*.txt"))))
    for i in range(60):  # well past a pipe buffer of output
        shutil.copy(sample, tmp_path / f"copy{i:02}.txt")
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "parse", str(tmp_path)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    stderr = proc.stderr.read()
    proc.wait(timeout=60)
    assert json.loads(first)["source"].endswith("copy00.txt")
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr
    assert proc.returncode == 0


def test_global_options_are_accepted_before_and_after_the_subcommand(
    tmp_path: Path, article: Path
) -> None:
    data = str(tmp_path / "data")
    assert run("--data-dir", data, "parse", str(article)).returncode == 0
    assert run("parse", "--data-dir", data, "--config", str(tmp_path / "c.toml"),
               str(article)).returncode == 0
    assert run("list", str(article), env={"READER_DATA_DIR": data}).returncode == 0


def test_usage_errors_exit_2_without_traceback() -> None:
    result = run("parse")  # PATH is required
    assert result.returncode == 2
    assert b"usage: reader parse" in result.stderr and b"Traceback" not in result.stderr


def test_hostile_file_names_do_not_reach_stderr_raw(tmp_path: Path) -> None:
    evil = tmp_path / "news\x1b]52;c;aGk=\x07\x1b[31m.txt"
    evil.write_bytes(b"")
    result = run("parse", str(evil))
    assert result.returncode == 1
    assert b"\x1b" not in result.stderr and b"\x07" not in result.stderr
    assert stderr_lines(result)[0].endswith(".txt: empty file")


def test_console_script_is_installed_and_matches_module(
    article: Path, console_script: Path
) -> None:
    script = console_script
    result = subprocess.run([str(script), "parse", str(article)], capture_output=True,
                            stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 0
    assert result.stdout == run("parse", str(article)).stdout


def test_dash_reads_standard_input_in_path_order(article: Path) -> None:
    text = b"Pasted from a browser.\n\nThe second paragraph.\n"
    result = run("parse", str(article), "-", stdin=text)
    assert result.returncode == 0, result.stderr
    first, second = json_lines(result.stdout)
    assert first["source"] == str(article)
    assert second["source"] == "<stdin>"
    assert second["blocks"][1]["text"] == "The second paragraph."
    shown = run("show", "-", stdin=text)
    assert shown.returncode == 0
    assert shown.stdout.decode().startswith("Pasted from a browser.")


def test_empty_standard_input_is_reported() -> None:
    result = run("parse", "-", stdin=b"")
    assert result.returncode == 1
    assert stderr_lines(result) == ["reader: <stdin>: empty file"]
