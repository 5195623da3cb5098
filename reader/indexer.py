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

From the app (a sketch; each thread opens its own `ArticleCache`, WAL lets them share the file):

    @work(thread=True, exit_on_error=False, group="index")
    def index_library(self, paths: list[str]) -> None:
        with ArticleCache.open(data_dir) as cache:
            for progress in index_paths(paths, cache, cancel=self.stop_indexing):
                self.post_message(IndexProgressMessage(progress))  # can_replace: high rate

    # on the UI side: rows = ui_cache.summaries_page(offset=top, limit=height,
    #                                                under=progress.scope)
"""

from __future__ import annotations

import glob
import hashlib
import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from reader.formats import MAX_FILE_BYTES, LoadError, display_path, load_bytes
from reader.library import expand_paths_stat
from reader.store.cache import ArticleCache, CachedFile, PreparedArticle, prepare_article

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
    interval: float = 0.5,
    prune: bool = True,
    workers: int | None = None,
    parse_here: bool | None = None,
) -> Iterator[IndexProgress]:
    """Bring the cache up to date with the files under `paths`, yielding progress.

    The last event has `phase` "done" (or "cancelled") and the run's totals. With `prune`, cached
    files under `paths` that no longer exist leave the cache (their reading state, kept by
    article id in the state store, is not touched). `interval`: seconds between progress events,
    each after a commit (twice a second: often enough for a progress bar, and fewer, larger
    transactions cost the full-text index less work). `workers`: processes parsing in parallel
    (None: one per core, up to 4, less the one of this thread if it parses too, when at least
    `PARALLEL_MIN_FILES` files need parsing; 0: all in this thread). `parse_here`: whether this
    thread parses files too whenever no parsed chunk is waiting to be written, beside one
    worker process fewer (None: on the main thread only, as in the CLI; from the app's worker
    thread, parsing here would take the GIL from the UI). On 2 cores that is one worker and this
    thread instead of two workers beside it: no third process competing for the cores, and 70%
    of the files through the pipe (a cold index of 10,000 files: 5.2 s of CPU instead of 5.6,
    2.8 s instead of 3.0).
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

    # 1. Walk, comparing each file with the cache by size and mtime as it is found: unchanged
    # files are done without reading them. Entries are taken out of `known` as they are seen,
    # so what is left at the end is what vanished (and memory holds one copy of each path).
    known = cache.files()
    todo: list[_Job] = []
    if parse_here is None:
        parse_here = threading.current_thread() is threading.main_thread()
    parser = _Parser(todo, workers, stop, parse_here)
    try:
        last = time.perf_counter()
        for item in expand_paths_stat([os.fspath(p) for p in paths]):
            if stop.is_set():
                yield event("cancelled")
                return
            if isinstance(item, LoadError):
                _fail(item, counts, pending_errors)
                continue
            path, st = item  # stat taken by the walk (regular files only): no second call
            counts.total += 1
            key = os.path.abspath(path)
            cached = known.pop(key, None)
            if cached is not None and (cached.size, cached.mtime_ns) == (
                st.st_size,
                st.st_mtime_ns,
            ):
                counts.unchanged += 1
                counts.done += 1
                counts.articles += cached.articles
                if cached.error:
                    _fail(LoadError(path, cached.error), counts, pending_errors)
            else:
                todo.append(_Job(key, st.st_size, st.st_mtime_ns, cached))
                if len(todo) % _CHUNK == 0:
                    # The workers start on the first chunks while the walk goes on: walking
                    # 10,000 files took a third of a second in which they had nothing to do.
                    parser.feed()
            if time.perf_counter() - last >= interval:
                yield event("scanning")
                last = time.perf_counter()
        yield event("indexing")

        # 3. Read, hash and parse the rest (in worker processes when there are many), storing
        # the results in short transactions so the UI (another connection) sees rows arrive and
        # never waits long for the write lock.
        results = parser.results()
        while True:
            batch_started = time.perf_counter()
            stored: list[_Stored] = []
            finished = True
            with cache.batch():
                for job, outcome in results:
                    _apply(job, outcome, cache, counts, pending_errors, stored)
                    counts.done += 1
                    if len(stored) >= _STORE_SLICE:
                        # Rows go to SQLite in slices as they come (one commit per batch all
                        # the same): the last batch then leaves little to write once the
                        # workers are done, when the writer would work alone.
                        cache.store_many(stored)
                        stored = []
                    if stop.is_set() or time.perf_counter() - batch_started >= interval:
                        finished = False
                        break
                cache.store_many(stored)
            if finished:
                break
            if stop.is_set():
                yield event("cancelled")
                return
            yield event("indexing")
    finally:
        parser.close()
    if stop.is_set():
        yield event("cancelled")
        return

    # 4. Files that were cached under these paths and are gone now leave the cache.
    if prune:
        gone = _known_under(known, paths, scope)
        if gone:
            counts.removed = cache.forget(gone)
    if counts.new or counts.changed or counts.removed:
        cache.release_space()
    yield event("done")


@dataclass(frozen=True, slots=True)
class _Job:
    """A file that must be read: new, or its size or mtime changed."""

    key: str  # the absolute path: what is read, what the cache is keyed by
    size: int
    mtime_ns: int
    cached: CachedFile | None


class _Outcome(NamedTuple):
    """What reading one file gave, built in a worker process: a plain tuple of strings, bytes
    and tuples, the cheapest thing to pickle back (a dataclass pickles its class per object)."""

    digest: str = ""
    articles: tuple[PreparedArticle, ...] = ()
    error: str | None = None
    touched: bool = False  # same bytes as cached: nothing to parse
    cache_error: bool = True  # False: do not remember the error (the file may become readable)


# What `ArticleCache.store_many` takes for one file.
_Stored = tuple[str, CachedFile, tuple[PreparedArticle, ...], bool]


def _read_and_parse(key: str, size: int, cached_hash: str | None) -> _Outcome:
    """Read, hash and (unless the hash is the cached one) parse one file. Never raises."""
    if size > MAX_FILE_BYTES:
        # Refused without reading it: a stray dump in the library must not stall indexing.
        reason = f"file too large ({size / (1024 * 1024):.0f} MB, limit {MAX_FILE_BYTES >> 20} MB)"
        return _Outcome(error=reason)
    try:
        data = _read_file(key, size)
    except OSError as exc:
        return _Outcome(error=exc.strerror or type(exc).__name__, cache_error=False)
    digest = hashlib.sha256(data).hexdigest()
    if digest == cached_hash:
        return _Outcome(digest=digest, touched=True)
    try:
        try:
            # The bytes already read for the hash: the file is not read a second time.
            articles = load_bytes(data, display_path(key), os.path.splitext(key)[1])
            error = None
        except LoadError as exc:
            articles, error = exc.articles, exc.reason
        del data
        return _Outcome(digest, tuple(prepare_article(a) for a in articles), error)
    except Exception as exc:  # noqa: BLE001 - one file must never stop the whole library
        return _Outcome(digest, (), f"could not be parsed ({type(exc).__name__})")


def _read_file(path: str, size: int) -> bytes:
    """The whole file, read with the size the walk's stat gave: open, one read, close (3 system
    calls where `open(path, "rb", buffering=0).read()` makes 7, with two fstats, an lseek and a
    read at the end of the file; 8 us a file against 14). Exactly `size` bytes back from a
    request for one more is the whole file; anything else (it grew or shrank since, or a file
    system that reads short) is read on until the end."""
    # Non-blocking: a FIFO swapped in since the walk's stat must not block the open.
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        data = os.read(fd, size + 1)
        if len(data) == size:
            return data
        parts = [data]
        while chunk := os.read(fd, max(size + 1 - len(data), 1 << 16)):
            parts.append(chunk)
        return b"".join(parts)
    finally:
        os.close(fd)


def _job_outcome(job: _Job) -> _Outcome:
    return _read_and_parse(job.key, job.size, job.cached.hash if job.cached else None)


def _job_outcomes(jobs: list[_Job]) -> list[_Outcome]:
    """A chunk of jobs in one worker round trip (one file each would be mostly IPC)."""
    return [_job_outcome(job) for job in jobs]


# Files per `store_many` call while a batch collects results (see `index_paths`).
_STORE_SLICE = 256

# Files per worker round trip (128, about 40 ms of parsing: a worker's wait between chunks,
# for its results to be read and the next chunk to come, was 0.14-0.21 s of a 10k index
# against 0.26-0.36 s with 64, and the results, about 0.9 MB, still fit the widened pipe), and
# round trips in flight per worker (enough for the workers to keep parsing while the writer is
# busy committing).
_CHUNK = 128
_WINDOW = 4


# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 400


class _Parser:
    """(job, outcome) for every job of `todo`: in a process pool when it pays off, with this
    thread parsing files too when `here` (so not in `todo` order; the cache does not depend on
    it, as the list and search order by date, title and rank).

    `todo` may still grow until `results` is called: the walk calls `feed` as it finds files,
    which starts the pool once enough files wait and hands it whole chunks.
    """

    def __init__(
        self, todo: list[_Job], workers: int | None, stop: threading.Event, here: bool
    ) -> None:
        self.todo = todo
        self.workers = workers
        self.stop = stop
        self.here = here
        self.decided = False
        self.executor: ProcessPoolExecutor | None = None
        # A bounded window of chunks in flight (todo[start:end] and its future): parsed
        # articles wait in memory only until the (single) writer takes them, however far the
        # workers could run ahead of it.
        self.pending: deque[tuple[int, int, Future[list[_Outcome]]]] = deque()
        self.window = 0
        self.submitted = 0

    def _start(self, final: bool) -> bool:
        """Whether a pool runs, starting it when enough files wait (decided once)."""
        if self.decided:
            return self.executor is not None
        count = self.workers
        if count is None:
            if len(self.todo) < PARALLEL_MIN_FILES:
                self.decided = final
                return False
            count = _default_workers() - self.here
        self.decided = True
        if count < (1 if self.here else 2):
            return False  # one process alone would only add the pipe to this thread's work
        # Fork when this process has one thread (the CLI): fast, and it does not re-run the
        # main script. From the app's worker thread "spawn": forking a threaded process can copy
        # a held lock into the child. A worker that dies (out of memory, a crash in the parser)
        # breaks the pool instead of hanging it; the rest is then parsed here.
        method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
        if method == "spawn" and not _start_resource_tracker():
            return False  # no tracker, no pool: everything is parsed in this thread
        self.executor = ProcessPoolExecutor(
            max_workers=count,
            mp_context=multiprocessing.get_context(method),
            initializer=_silence_worker,
        )
        _widen_result_pipe(self.executor)
        self.window = count * _WINDOW
        return True

    def feed(self, final: bool = False) -> None:
        """Submit chunks while the window has room (only whole chunks until `final`)."""
        if not self._start(final):
            return
        assert self.executor is not None
        while len(self.pending) < self.window and self.submitted < len(self.todo):
            end = min(self.submitted + _CHUNK, len(self.todo))
            if end - self.submitted < _CHUNK and not final:
                return
            if final and self.here and len(self.todo) - self.submitted <= self._reserve():
                return  # the last files are left to this thread (see `_reserve`)
            try:
                future = self.executor.submit(_job_outcomes, self.todo[self.submitted : end])
            except BrokenProcessPool:
                return  # the chunks already in flight report it; `results` then goes on here
            self.pending.append((self.submitted, end, future))
            self.submitted = end

    def results(self) -> Generator[tuple[_Job, _Outcome], None, None]:
        """Every job with its outcome: the oldest chunk in flight when it is ready (or when this
        thread may not parse), else one file parsed here. Files may come out of order."""
        todo = self.todo
        try:
            self.feed(final=True)
            here = self.here or self.executor is None  # no pool: all of it is parsed here
            while True:
                if self.pending and (not here or self.pending[0][2].done()):
                    yield from self._take_oldest()
                elif here and (job := self._next_here()) is not None:
                    # One file, then the pool is looked at again: this thread also writes, so
                    # it parses only while the workers' next chunk is not ready.
                    yield job, _job_outcome(job)
                elif self.pending:
                    yield from self._take_oldest()
                else:
                    return
                if self.stop.is_set():
                    return
                self.feed(final=True)
        except BrokenProcessPool:
            pass
        finally:
            left = [job for start, end, _ in self.pending for job in todo[start:end]]
            self.close()
        # The pool broke: the chunks it had not given back, and the rest, are parsed here.
        for job in [*left, *todo[self.submitted :]]:
            if self.stop.is_set():
                return
            yield job, _job_outcome(job)

    def _take_oldest(self) -> Iterator[tuple[_Job, _Outcome]]:
        start, end, future = self.pending[0]
        outcomes = future.result()
        self.pending.popleft()
        return zip(self.todo[start:end], outcomes, strict=True)

    def _next_here(self) -> _Job | None:
        """The next file not handed to the pool, for this thread."""
        if self.submitted >= len(self.todo):
            return None
        self.submitted += 1
        return self.todo[self.submitted - 1]

    def _reserve(self) -> int:
        """Files kept back from the pool at the end, for this thread to parse while the workers
        finish the chunks they hold (it parses about half as fast, as it also writes): without
        them it would sit waiting for up to `_WINDOW` chunks a worker."""
        return len(self.pending) * _CHUNK // 2

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
        self.pending.clear()


def _widen_result_pipe(executor: ProcessPoolExecutor) -> None:
    """Let a worker write a whole chunk's results (about 0.9 MB for 128 files) into the pipe
    back at once, where 64 KB fit: it waited for the pool's thread here to read each 64 KB, and
    that thread for the GIL (held by the thread that parses and writes). Workers were idle 15%
    of the time between chunks; a 1 MB pipe (Linux's limit for anyone) took a cold index of
    10,000 files from 2.7-3.6 s to 2.6-2.7 s. Best effort: the pipe is a private attribute of
    the pool (CPython's since 3.3), and other systems have no F_SETPIPE_SZ."""
    try:
        import fcntl

        resize = fcntl.F_SETPIPE_SZ  # type: ignore[attr-defined,unused-ignore]
        reader = executor._result_queue._reader  # type: ignore[attr-defined]
        fcntl.fcntl(reader.fileno(), resize, _RESULT_PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


_RESULT_PIPE_BYTES = 1 << 20


def _start_resource_tracker() -> bool:
    """Start multiprocessing's resource tracker with stderr on /dev/null; False if it fails.

    The first spawned worker starts it, passing it `sys.stderr.fileno()`. Under the app,
    Textual captures stderr with an object whose `fileno()` is -1, and the spawn failed ("bad
    value(s) in fds_to_keep"): no library of `PARALLEL_MIN_FILES` files or more got indexed.
    Nothing the tracker prints belongs on the screen anyway. Once running, it is reused.
    """
    from multiprocessing import resource_tracker

    saved = sys.stderr
    try:
        with open(os.devnull, "w") as devnull:
            sys.stderr = devnull
            resource_tracker.ensure_running()
        return True
    except Exception:  # noqa: BLE001 - then the files are parsed in this thread
        return False
    finally:
        sys.stderr = saved


def _silence_worker() -> None:
    """Workers write nothing to the terminal: under the app, a stray warning or traceback on
    the inherited stdout/stderr would be drawn over the screen. Results and errors travel back
    through the pool."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _default_workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, 4)


def _apply(
    job: _Job,
    outcome: _Outcome,
    cache: ArticleCache,
    counts: _Counts,
    errors: list[LoadError],
    stored: list[_Stored],
) -> None:
    """Record one file's outcome in the counts, and in the cache (a touch at once; parsed
    articles are added to `stored`, which the caller writes in one go)."""
    if outcome.touched:
        # Touched, not changed: keep the parsed articles, remember the new size and mtime.
        cached = job.cached
        assert cached is not None
        cache.touch(job.key, CachedFile(job.size, job.mtime_ns, outcome.digest))
        counts.unchanged += 1
        counts.articles += cached.articles
        if cached.error:
            _fail(LoadError(job.key, cached.error), counts, errors)
        return
    if outcome.error is not None:
        _fail(LoadError(job.key, outcome.error), counts, errors)
        if not outcome.cache_error:
            return
    meta = CachedFile(job.size, job.mtime_ns, outcome.digest, 0, outcome.error)
    stored.append((job.key, meta, outcome.articles, job.cached is not None))
    counts.articles += len(outcome.articles)
    if job.cached is None:
        counts.new += 1
    else:
        counts.changed += 1


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
