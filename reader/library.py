"""A library: the articles found under many paths (files, folders, glob patterns).

Loading never raises for one bad file: every problem becomes a `LoadError` yielded alongside the
articles, so the CLI can print it and the app can list it while the rest still load. Everything
here is a generator, so a caller (a worker thread in the app) can stop between files.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.formats import NOT_REGULAR, LoadError, known_extensions, load_file
from reader.model import Article, list_order_key
from reader.paths import samples_dir

_GLOB_MAGIC = frozenset("*?[")


def default_paths() -> list[Path]:
    """What the reader opens when given no path: the bundled sample articles."""
    return [samples_dir()]


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _sorted_entries(folder: str) -> list[os.DirEntry[str]] | LoadError:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except PermissionError:
        return LoadError(Path(folder), "permission denied")
    except OSError as exc:
        return LoadError(Path(folder), exc.strerror or type(exc).__name__)


def _walk(
    root: Path, root_id: tuple[int, int]
) -> Iterator[tuple[str, os.stat_result] | LoadError]:
    """Files under `root` with a known extension, depth first, sorted by name, hidden skipped;
    each with its `os.stat` (symlinks followed), which callers reuse instead of asking again.

    Paths are the `os.scandir` strings (a `Path` per file cost the indexer's walk of 10,000
    files a fifth of a second); problems name a `Path`. Iterative (a deep tree cannot exhaust
    the recursion limit). A symlink back to a folder above is a loop, reported once; a folder
    reached a second time through another link is skipped quietly, so a web of links costs one
    visit per folder.
    """
    extensions = known_extensions()
    visited = {root_id}
    # Each frame: the folder's (device, inode) and every folder's above it, its entries.
    first = _sorted_entries(os.fspath(root))
    if isinstance(first, LoadError):
        yield first
        return
    stack: list[tuple[frozenset[tuple[int, int]], Iterator[os.DirEntry[str]]]] = [
        (frozenset({root_id}), iter(first))
    ]
    while stack:
        ancestors, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        name = entry.name
        if _is_hidden(name):
            continue
        try:
            st = os.stat(entry.path)  # follows symlinks
        except FileNotFoundError:
            yield LoadError(Path(entry.path), "broken symbolic link")
            continue
        except PermissionError:
            yield LoadError(Path(entry.path), "permission denied")
            continue
        except OSError as exc:
            # ELOOP (a symlink pointing at itself) lands here too.
            yield LoadError(Path(entry.path), exc.strerror or type(exc).__name__)
            continue
        if stat.S_ISDIR(st.st_mode):
            identity = (st.st_dev, st.st_ino)
            if identity in ancestors:
                yield LoadError(
                    Path(entry.path), "directory loop (symbolic link to a parent folder), skipped"
                )
                continue
            if identity in visited:
                continue
            visited.add(identity)
            children = _sorted_entries(entry.path)
            if isinstance(children, LoadError):
                yield children
                continue
            stack.append((ancestors | {identity}, iter(children)))
        elif stat.S_ISREG(st.st_mode) and os.path.splitext(name)[1].lower() in extensions:
            yield entry.path, st
        # Other files in a folder (images, unknown types, pipes) are not articles: skipped
        # quietly. Named explicitly on the command line, they get a clear reason instead.


def _expand_one(raw: str | Path) -> Iterator[tuple[str | Path, os.stat_result] | LoadError]:
    path = Path(raw)
    try:
        st = path.stat()
    except FileNotFoundError:
        text = str(raw)
        if _GLOB_MAGIC & set(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield LoadError(text, "no files match this pattern")
            for match in matches:
                yield from _expand_one(match)
        elif os.path.lexists(path):
            yield LoadError(path, "broken symbolic link")
        else:
            yield LoadError(path, "no such file or directory")
        return
    except PermissionError:
        yield LoadError(path, "permission denied")
        return
    except OSError as exc:
        yield LoadError(path, exc.strerror or type(exc).__name__)
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk(path, (st.st_dev, st.st_ino))
    elif stat.S_ISREG(st.st_mode):
        yield path, st
    else:
        # Named explicitly (a folder's walk skips them): /dev/zero never ends and a FIFO
        # blocks its reader until a writer comes. Refused here, for every caller of the walk.
        yield LoadError(path, NOT_REGULAR)


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | LoadError]:
    """Every file named by `paths`, in order, each once (also when reached twice or via a link)."""
    for item in expand_paths_stat(paths):
        yield item if isinstance(item, LoadError) else Path(item[0])


def expand_paths_stat(
    paths: Iterable[str | Path],
) -> Iterator[tuple[str | Path, os.stat_result] | LoadError]:
    """`expand_paths` with each file's `os.stat` (following symlinks) taken while walking: the
    indexer compares size and mtime with its cache without a second system call per file.
    Files found in folders come as `os.scandir` path strings (cheaper than a `Path` each)."""
    seen: set[tuple[int, int]] = set()
    for raw in paths:
        for item in _expand_one(raw):
            if not isinstance(item, LoadError):
                identity = (item[1].st_dev, item[1].st_ino)
                if identity in seen:
                    continue
                seen.add(identity)
            yield item


def iter_articles(paths: Iterable[str | Path]) -> Iterator[Article | LoadError]:
    """Articles and problems, file by file, in path order (not list order)."""
    for item in expand_paths(paths):
        if isinstance(item, LoadError):
            yield item
            continue
        try:
            yield from load_file(item)
        except LoadError as exc:
            yield from exc.articles  # what a partly bad file (a dataset) still yielded
            yield exc


@dataclass
class Library:
    """Loaded articles in the default list order, and the files that failed."""

    articles: list[Article] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)

    def find(self, id_or_prefix: str) -> list[Article]:
        """Articles whose id equals, or starts with, `id_or_prefix` (case-insensitive)."""
        key = id_or_prefix.strip().lower()
        if not key:
            return []
        exact = [a for a in self.articles if a.id == key]
        return exact or [a for a in self.articles if a.id.startswith(key)]


def load_library(paths: Iterable[str | Path]) -> Library:
    """Load everything under `paths` at once (the CLI's way; the app streams `iter_articles`)."""
    library = Library()
    for item in iter_articles(paths):
        if isinstance(item, LoadError):
            library.errors.append(item)
        else:
            library.articles.append(item)
    library.articles.sort(key=list_order_key)
    return library
