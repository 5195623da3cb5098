"""Loading many paths: folders, globs, and every way one file can fail without stopping the rest."""

from __future__ import annotations

import datetime as dt
import os
import sys
import types
from pathlib import Path

import pytest

import reader.formats as formats
import reader.library as library
from reader.formats import FormatSpec, LoadError, format_for, load_file
from reader.library import default_paths, expand_paths, iter_articles, load_library
from reader.model import Article, Paragraph, list_order_key
from reader.paths import samples_dir

BODY = "Harbour City's tram vote passed late on Tuesday.\n\nCouncillors argued for six hours.\n"


def write(path: Path, text: str = BODY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def split(items: list[Article | LoadError]) -> tuple[list[Article], list[LoadError]]:
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, LoadError)]
    return articles, errors


def test_folders_are_walked_recursively_in_name_order_skipping_hidden(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "Second article.\n")
    write(tmp_path / "a.txt", "First article.\n")
    write(tmp_path / "sub" / "c.txt", "Nested article.\n")
    write(tmp_path / ".hidden.txt", "Hidden file.\n")
    write(tmp_path / ".cache" / "d.txt", "Inside a hidden folder.\n")
    write(tmp_path / "photo.jpg", "not an article\n")
    files = list(expand_paths([tmp_path]))
    assert files == [tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "sub" / "c.txt"]


def test_a_file_named_explicitly_is_loaded_whatever_its_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.scraped", BODY)
    articles, errors = split(list(iter_articles([path])))
    assert errors == []
    assert len(articles) == 1 and articles[0].source == str(path)


def test_glob_patterns_expand_sorted_and_recursive(tmp_path: Path) -> None:
    write(tmp_path / "x" / "2.txt", "Two.\n")
    write(tmp_path / "x" / "1.txt", "One.\n")
    write(tmp_path / "x" / "deep" / "3.txt", "Three.\n")
    write(tmp_path / "x" / "skip.md", "# Not matched\n")
    found = list(expand_paths([str(tmp_path / "x" / "**" / "*.txt")]))
    assert found == [tmp_path / "x" / "1.txt", tmp_path / "x" / "2.txt",
                     tmp_path / "x" / "deep" / "3.txt"]


def test_a_pattern_matching_nothing_is_reported(tmp_path: Path) -> None:
    [error] = list(expand_paths([str(tmp_path / "*.nothing")]))
    assert isinstance(error, LoadError)
    assert error.reason == "no files match this pattern"


def test_bad_files_are_reported_and_the_rest_still_load(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    missing = tmp_path / "missing.txt"
    items = list(iter_articles([missing, empty, good, binary]))
    articles, errors = split(items)
    assert [a.source for a in articles] == [str(good)]
    assert [(Path(e.path).name, e.reason) for e in errors] == [
        ("missing.txt", "no such file or directory"),
        ("empty.txt", "empty file"),
        ("image.txt", "binary file"),
    ]
    assert str(errors[1]) == f"{empty}: empty file"


def test_symlink_loops_end_with_a_message(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    write(root / "a.txt")
    write(root / "sub" / "b.txt", "Another one.\n")
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)
    (root / "self.txt").symlink_to(root / "self.txt")  # a link to itself (ELOOP)
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    items = list(expand_paths([root]))
    files = [i for i in items if isinstance(i, Path)]
    errors = {Path(e.path).name: e.reason for e in items if isinstance(e, LoadError)}
    assert files == [root / "a.txt", root / "sub" / "b.txt"]
    assert "loop" in errors["back"]
    assert errors["dangling.txt"] == "broken symbolic link"
    assert "self.txt" in errors


def test_a_very_deep_tree_does_not_exhaust_recursion(tmp_path: Path) -> None:
    # Deeper than the recursion limit, lowered for the test so that the tree stays shallow
    # enough for pytest's own (recursive) clean-up of tmp_path.
    deep = tmp_path
    for _ in range(300):
        deep = deep / "d"
        deep.mkdir()
    write(deep / "bottom.txt")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(250)
    try:
        found = list(expand_paths([tmp_path]))
    finally:
        sys.setrecursionlimit(limit)
    assert found == [deep / "bottom.txt"]


def test_a_web_of_links_visits_each_folder_once(tmp_path: Path) -> None:
    # Ten links to b, each of b's ten links to c...: followed naively that is 10**4 visits.
    levels = [tmp_path / name for name in ("a", "b", "c", "d", "e")]
    for level in levels:
        level.mkdir()
    for upper, lower in zip(levels, levels[1:], strict=False):
        for i in range(10):
            (upper / f"link{i}").symlink_to(lower, target_is_directory=True)
    write(levels[-1] / "leaf.txt")
    found = list(expand_paths([levels[0]]))
    assert found == [levels[0] / "link0" / "link0" / "link0" / "link0" / "leaf.txt"]


def test_the_same_file_twice_or_through_a_link_loads_once(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt")
    (tmp_path / "alias.txt").symlink_to(path)
    assert list(expand_paths([path, path, tmp_path / "alias.txt", tmp_path])) == [path]


def test_too_large_files_are_refused_without_reading_them(tmp_path: Path) -> None:
    big = tmp_path / "dump.txt"
    with big.open("wb") as handle:  # sparse: costs no disk space
        handle.truncate(formats.MAX_FILE_BYTES + 1)
    [error] = list(iter_articles([big]))
    assert isinstance(error, LoadError)
    assert error.reason.startswith("file too large")


def test_permission_errors_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "secret.txt")

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    [error] = list(iter_articles([path]))
    assert isinstance(error, LoadError) and error.reason == "permission denied"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_files_and_folders_on_disk(tmp_path: Path) -> None:
    write(tmp_path / "ok.txt")
    locked = write(tmp_path / "locked.txt")
    locked.chmod(0)
    closed = tmp_path / "closed"
    write(closed / "inside.txt")
    closed.chmod(0)
    try:
        articles, errors = split(list(iter_articles([tmp_path])))
    finally:
        closed.chmod(0o755)
        locked.chmod(0o644)
    assert len(articles) == 1
    assert sorted(e.reason for e in errors) == ["permission denied", "permission denied"]


def test_a_parser_crash_becomes_a_load_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: str, source: str, utf8: object = None) -> list[Article]:
        raise IndexError("bug")

    monkeypatch.setattr(FormatSpec, "parser", lambda self: broken)
    path = write(tmp_path / "a.txt")
    [error] = list(iter_articles([path]))
    assert isinstance(error, LoadError)
    assert "parser failed (IndexError)" in error.reason


def test_file_names_with_control_characters_are_printable(tmp_path: Path) -> None:
    evil = tmp_path / "evil\x1b]52;c;aGk=\x07name.txt"
    evil.write_bytes(b"")
    [error] = list(iter_articles([evil]))
    assert isinstance(error, LoadError)
    assert "\x1b" not in str(error) and "\x07" not in str(error)
    assert str(error).endswith("name.txt: empty file")


def test_load_library_sorts_in_list_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dates = {"a.txt": None, "b.txt": dt.date(2020, 1, 1), "c.txt": dt.date(2024, 5, 1)}

    def fake_load(path: Path, source: str | None = None) -> list[Article]:
        return [Article(id=path.stem, source=str(path), title=f"Title {path.stem}",
                        blocks=(Paragraph("x"),), date=dates[path.name])]

    for name in dates:
        write(tmp_path / name)
    monkeypatch.setattr(library, "load_file", fake_load)
    loaded = load_library([tmp_path])
    assert [a.id for a in loaded.articles] == ["c", "b", "a"]
    assert loaded.articles == sorted(loaded.articles, key=list_order_key)
    assert loaded.find("c") == [loaded.articles[0]]


def test_registry_picks_by_extension_then_sniff_then_fallback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = types.ModuleType("reader_fake_format")
    fake.parse = lambda data, source: []  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "reader_fake_format", fake)
    spec = FormatSpec("fake", "reader_fake_format", (".fake",), r"\s*%FAKE")
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, spec))
    assert format_for(Path("a.fake"), "anything") is spec
    assert format_for(Path("a.unknown"), "  %FAKE v1") is spec
    assert format_for(Path("a.unknown"), "plain prose") is formats.FALLBACK
    assert format_for(Path("A.TXT"), "%FAKE") is formats.FALLBACK  # extension wins, any case
    assert ".fake" in formats.known_extensions()
    assert spec.parser()("x", "y") == []


def test_load_file_reports_a_directory(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="is a directory"):
        load_file(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_devices_and_pipes_are_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it would block until a writer comes
    items = list(iter_articles([fifo, "/dev/zero"]))
    assert [(type(i), getattr(i, "reason", "")) for i in items] == [
        (LoadError, "not a regular file (a device, pipe or socket)")
    ] * 2
    # In a folder a FIFO is skipped like any other non-article file.
    assert list(expand_paths([tmp_path])) == []


def test_default_paths_are_the_bundled_samples() -> None:
    assert default_paths() == [samples_dir()]
    samples = sorted(samples_dir().glob("*.txt"))
    assert len(samples) >= 8
    loaded = load_library(default_paths())
    assert loaded.errors == []
    assert len(loaded.articles) >= len(samples)
