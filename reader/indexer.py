"""Indexing a library into the parsed-article cache, as a stream of progress events.

Core code: it talks to the cache only through `ArticleCache`'s methods, never SQL. One call,

    for progress in index_paths(paths, cache, cancel=stop_event):
        ...

walks the paths (files, folders, glob patterns, via `reader.library`), compares every file with
what the cache knows (size and mtime first, then the SHA-256 of its bytes), parses only new and
changed files, and forgets cached files under those paths that are gone. It yields an
`IndexProgress` after each committed batch (at most every `interval` seconds), so a worker thread
can forward them to the UI, and the rows a progress event counts are already readable from the
cache. Setting `cancel` stops it between two files; what was committed stays (the next run
continues from there). Nothing here blocks on anything but the file system.
"""

from __future__ import annotations

import glob
import hashlib
import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reader.formats import MAX_FILE_BYTES, LoadError, display_path, load_file
from reader.library import expand_paths
from reader.model import Article
from reader.store.cache import ArticleCache, CachedFile

Phase = Literal["scanning", "indexing", "done", "cancelled"]

_GLOB_MAGIC = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class IndexProgress:
    """Where an indexing run is. Counts are cumulative for the run; `errors` holds only the
    problems found since the previous event (all of them are counted in `error_count`)."""

    phase: Phase
    files_done: int = 0
    files_total: int = 0
    articles: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    error_count: int = 0
    elapsed: float = 0.0
    errors: tuple[LoadError, ...] = ()
    scope: tuple[str, ...] = field(default=(), repr=False)

    @property
    def finished(self) -> bool:
        return self.phase in ("done", "cancelled")

    @property
    def rate(self) -> float:
        """Files per second so far."""
        return self.files_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def fraction(self) -> float:
        """0.0 to 1.0, for a progress bar (0 while the total is not known yet)."""
        return self.files_done / self.files_total if self.files_total else 0.0

    def summary_line(self) -> str:
        """`reader index`'s last line: files, articles, new/changed/unchanged, errors, time."""
        state = " (cancelled)" if self.phase == "cancelled" else ""
        return (
            f"{self.files_done} files, {self.articles} articles: {self.new} new, "
            f"{self.changed} changed, {self.unchanged} unchanged, {self.removed} removed, "
            f"{self.error_count} errors, {self.elapsed:.2f} s{state}"
        )


def scope_of(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The absolute roots a list of command-line paths covers, for `ArticleCache.summaries(
    under=...)` and `search(under=...)`: folders and files as absolute paths, glob patterns as
    the files they match now."""
    roots: list[str] = []
    for raw in paths:
        text = os.fspath(raw)
        if _GLOB_MAGIC & set(text) and not os.path.lexists(text):
            roots.extend(os.path.abspath(m) for m in sorted(glob.glob(text, recursive=True)))
        else:
            roots.append(os.path.abspath(text))
    return roots


def index_paths(
    paths: Sequence[str | os.PathLike[str]],
    cache: ArticleCache,
    *,
    cancel: threading.Event | None = None,
    interval: float = 0.2,
    prune: bool = True,
) -> Iterator[IndexProgress]:
    """Bring the cache up to date with the files under `paths`, yielding progress.

    The last event has `phase` "done" (or "cancelled") and the run's totals. With `prune`, cached
    files under `paths` that no longer exist leave the cache (their reading state, kept by
    article id in the state store, is not touched).
    """
    started = time.perf_counter()
    stop = cancel or threading.Event()
    counts = _Counts()
    pending_errors: list[LoadError] = []
    scope = tuple(scope_of(paths))

    def event(phase: Phase) -> IndexProgress:
        errors = tuple(pending_errors)
        pending_errors.clear()
        return IndexProgress(
            phase=phase,
            files_done=counts.done,
            files_total=counts.total,
            articles=counts.articles,
            new=counts.new,
            changed=counts.changed,
            unchanged=counts.unchanged,
            removed=counts.removed,
            error_count=counts.errors,
            elapsed=time.perf_counter() - started,
            errors=errors,
            scope=scope,
        )

    # 1. Walk. Cheap next to parsing, but a huge tree still reports that it is alive.
    files: list[Path] = []
    last = time.perf_counter()
    for item in expand_paths(paths):
        if isinstance(item, LoadError):
            counts.errors += 1
            pending_errors.append(item)
        else:
            files.append(item)
        if stop.is_set():
            yield event("cancelled")
            return
        if time.perf_counter() - last >= interval:
            counts.total = len(files)
            yield event("scanning")
            last = time.perf_counter()
    counts.total = len(files)
    yield event("scanning")

    # 2. Compare with the cache and parse what changed, committing in short batches so the UI
    # (another connection) sees rows arrive and never waits long for the write lock.
    known = cache.files()
    seen: set[str] = set()
    index = 0
    while index < len(files):
        batch_started = time.perf_counter()
        with cache.batch():
            while index < len(files):
                if stop.is_set():
                    break
                path = files[index]
                index += 1
                key = os.path.abspath(path)
                seen.add(key)
                _index_one(path, key, known.get(key), cache, counts, pending_errors)
                counts.done += 1
                if time.perf_counter() - batch_started >= interval:
                    break
        if stop.is_set():
            yield event("cancelled")
            return
        yield event("indexing")

    # 3. Files that were cached under these paths and are gone now leave the cache.
    if prune:
        gone = [p for p in _known_under(known, paths, scope) if p not in seen]
        if gone:
            counts.removed = cache.forget(gone)
    yield event("done")


@dataclass
class _Counts:
    done: int = 0
    total: int = 0
    articles: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: int = 0


def _index_one(
    path: Path,
    key: str,
    cached: CachedFile | None,
    cache: ArticleCache,
    counts: _Counts,
    errors: list[LoadError],
) -> None:
    """Check one file against the cache; parse and store it if it is new or changed."""
    try:
        st = path.stat()
    except OSError as exc:
        _fail(LoadError(path, exc.strerror or type(exc).__name__), counts, errors)
        return
    if cached is not None and cached.size == st.st_size and cached.mtime_ns == st.st_mtime_ns:
        counts.unchanged += 1
        counts.articles += cached.articles
        if cached.error:
            _fail(LoadError(path, cached.error), counts, errors)
        return
    if st.st_size > MAX_FILE_BYTES:
        # Refused without reading it: a stray dump in the library must not stall indexing.
        mb = st.st_size / (1024 * 1024)
        reason = f"file too large ({mb:.0f} MB, limit {MAX_FILE_BYTES >> 20} MB)"
        _fail(LoadError(path, reason), counts, errors)
        cache.store(key, CachedFile(st.st_size, st.st_mtime_ns, "", 0, reason), [])
        _count_kind(cached, counts)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        # Not cached: a permission problem may be fixed without the file changing.
        _fail(LoadError(path, exc.strerror or type(exc).__name__), counts, errors)
        return
    digest = hashlib.sha256(data).hexdigest()
    del data
    if cached is not None and cached.hash == digest:
        # Touched, not changed: keep the parsed articles, remember the new mtime.
        cache.touch(key, CachedFile(st.st_size, st.st_mtime_ns, digest))
        counts.unchanged += 1
        counts.articles += cached.articles
        if cached.error:
            _fail(LoadError(path, cached.error), counts, errors)
        return
    articles: list[Article]
    error: str | None = None
    try:
        articles = load_file(path, source=display_path(key))
    except LoadError as exc:
        articles = exc.articles
        error = exc.reason
        _fail(exc, counts, errors)
    cache.store(key, CachedFile(st.st_size, st.st_mtime_ns, digest, 0, error), articles)
    counts.articles += len(articles)
    _count_kind(cached, counts)


def _count_kind(cached: CachedFile | None, counts: _Counts) -> None:
    if cached is None:
        counts.new += 1
    else:
        counts.changed += 1


def _fail(error: LoadError, counts: _Counts, errors: list[LoadError]) -> None:
    counts.errors += 1
    errors.append(error)


def _known_under(
    known: dict[str, CachedFile], paths: Sequence[str | os.PathLike[str]], scope: Sequence[str]
) -> list[str]:
    """Cached paths that the given command-line paths cover (for pruning the vanished ones)."""
    import fnmatch

    roots = {r.rstrip("/") or "/" for r in scope}
    patterns = [
        os.path.abspath(os.fspath(p))
        for p in paths
        if _GLOB_MAGIC & set(os.fspath(p)) and not os.path.lexists(os.fspath(p))
    ]
    out = []
    for cached_path in known:
        if any(fnmatch.fnmatchcase(cached_path, pattern) for pattern in patterns):
            out.append(cached_path)
            continue
        current = cached_path
        while current and current != "/":
            if current in roots:
                out.append(cached_path)
                break
            current = os.path.dirname(current)
    return out
