"""The indexer on real folders and a real cache file: what is parsed again, what leaves, errors."""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from concurrent.futures import Future
from pathlib import Path

import pytest

import reader.indexer as indexer
from reader.indexer import IndexProgress, index_paths, scope_of
from reader.store.cache import ArticleCache
from reader.store.state import StateStore

ARTICLE = """ date 2021-0{n}-01 Volunteers counted {n} herons on the river this spring.

"It was a good year for the birds," said the warden, Ivo Marsh.

Herons back at the old mill! Count {n} for the year #heronwatch
— River Birds (@riverbirds{n}) March {n}, 2021
"""


def write_library(root: Path, n: int = 3) -> list[Path]:
    paths = []
    for i in range(1, n + 1):
        path = root / f"sub{i % 2}" / f"article{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ARTICLE.format(n=i), encoding="utf-8")
        paths.append(path)
    md = root / "note.md"
    md.write_text("---\ntitle: A note\ndate: 2020-01-02\n---\nA short note about herons.\n")
    paths.append(md)
    return paths


def run(paths: list[str | Path], cache: ArticleCache, **kw: object) -> list[IndexProgress]:
    return list(index_paths(paths, cache, **kw))  # type: ignore[arg-type]


@pytest.fixture
def cache(tmp_path: Path) -> ArticleCache:
    c = ArticleCache.open(tmp_path / "data")
    yield c
    c.close()


def test_cold_then_warm_then_changes(tmp_path: Path, cache: ArticleCache) -> None:
    lib = tmp_path / "lib"
    files = write_library(lib)
    events = run([lib], cache)
    last = events[-1]
    assert last.phase == "done" and last.finished
    assert (last.files_done, last.files_total, last.articles, last.new) == (4, 4, 4, 4)
    done = [e.files_done for e in events]
    assert done == sorted(done)
    assert len(cache.summaries(under=scope_of([lib]))) == 4
    assert cache.accounts() and cache.search("herons")

    # A relaunch parses nothing.
    last = run([lib], cache)[-1]
    assert (last.new, last.changed, last.unchanged, last.articles) == (0, 0, 4, 4)

    # Touched (same bytes, new mtime): recognised by hash, not re-parsed, mtime remembered.
    os.utime(files[0], ns=(1, 1))
    last = run([lib], cache)[-1]
    assert (last.changed, last.unchanged) == (0, 4)
    assert cache.files()[os.path.abspath(files[0])].mtime_ns == 1

    # Changed content: parsed again, old text gone from search.
    files[1].write_text(ARTICLE.format(n=2).replace("herons", "kingfishers"), encoding="utf-8")
    last = run([lib], cache)[-1]
    assert (last.changed, last.unchanged) == (1, 3)
    assert len(cache.search("kingfishers")) == 1

    # Deleted: leaves the cache and the list.
    files[2].unlink()
    last = run([lib], cache)[-1]
    assert (last.removed, last.files_done, last.articles) == (1, 3, 3)
    assert len(cache.summaries(under=scope_of([lib]))) == 3


def test_vanished_files_keep_their_reading_state(tmp_path: Path, cache: ArticleCache) -> None:
    lib = tmp_path / "lib"
    files = write_library(lib, n=1)
    run([lib], cache)
    (summary,) = [s for s in cache.summaries() if s.source.endswith("article1.txt")]
    with StateStore.open(tmp_path / "data") as state:
        state.mark_read(summary.id)
    files[0].unlink()
    assert run([lib], cache)[-1].removed == 1
    with StateStore.open(tmp_path / "data") as state:
        assert summary.id in state.read_ids()


def test_only_paths_given_are_pruned(tmp_path: Path, cache: ArticleCache) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_library(a, n=1)
    write_library(b, n=1)
    run([a, b], cache)
    assert run([a], cache)[-1].removed == 0
    assert len(cache.summaries()) == 4


def test_glob_patterns(tmp_path: Path, cache: ArticleCache) -> None:
    lib = tmp_path / "lib"
    write_library(lib, n=3)
    last = run([str(lib / "**" / "*.txt")], cache)[-1]
    assert (last.files_done, last.error_count) == (3, 0)
    assert len(cache.summaries(under=scope_of([str(lib / "**" / "*.txt")]))) == 3


def test_problems_are_reported_and_others_indexed(
    tmp_path: Path, cache: ArticleCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "lib"
    write_library(lib, n=1)
    (lib / "empty.txt").write_bytes(b"")
    (lib / "binary.txt").write_bytes(bytes(range(256)) * 50)
    (lib / "loop").symlink_to(lib)  # a folder linking to its parent
    (lib / "dangling.txt").symlink_to(lib / "nowhere.txt")
    big = lib / "huge.txt"
    with open(big, "wb") as f:  # sparse: huge on paper, nothing to read
        f.truncate(80 * 1024 * 1024)
    bad = lib / "records.jsonl"
    bad.write_text(json.dumps({"title": "ok", "text": "Fine record."}) + "\nnot json\n")
    events = run([lib, tmp_path / "missing"], cache)
    last = events[-1]
    reasons = [str(e) for ev in events for e in ev.errors]
    joined = "\n".join(reasons)
    for expected in (
        "empty file",
        "binary file",
        "directory loop",
        "broken symbolic link",
        "file too large",
        "line 2 (invalid JSON",
        "no such file or directory",
    ):
        assert expected in joined, expected
    assert all("\n" not in r for r in reasons)
    assert last.error_count == len(reasons) == 7
    titles = {s.title for s in cache.summaries()}
    assert "ok" in titles and "A note" in titles
    # Cached problems are reported again on a relaunch without reading the files.
    again = run([lib], cache)
    rerun = "\n".join(str(e) for ev in again for e in ev.errors)
    assert "binary file" in rerun and "file too large" in rerun
    assert again[-1].new == 0


def test_unreadable_file_is_not_cached(tmp_path: Path, cache: ArticleCache) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    lib = tmp_path / "lib"
    files = write_library(lib, n=1)
    files[0].chmod(0)
    try:
        last = run([lib], cache)[-1]
        assert last.error_count == 1
        assert os.path.abspath(files[0]) not in cache.files()
    finally:
        files[0].chmod(0o644)


def test_a_file_refused_by_the_system_is_reported_and_not_cached(
    tmp_path: Path, cache: ArticleCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test above with real permissions cannot run as root (CI's user): here the read
    # itself is refused, in process (workers=0), as the system would refuse it.
    lib = tmp_path / "lib"
    files = write_library(lib, n=2)
    locked = os.path.abspath(files[0])

    real_read = indexer._read_file

    def refusing_read(p: str, size: int) -> bytes:
        if os.path.abspath(p) == locked:
            raise PermissionError(13, "Permission denied", p)
        return real_read(p, size)

    monkeypatch.setattr(indexer, "_read_file", refusing_read)
    last = run([lib], cache, workers=0)[-1]
    assert last.error_count == 1 and last.articles == len(files) - 1
    assert "permission denied" in " ".join(str(e) for e in last.errors).casefold()
    assert locked not in cache.files()
    # Readable again: the next run picks it up (a refusal is not cached as a verdict).
    monkeypatch.undo()
    again = run([lib], cache, workers=0)[-1]
    assert again.error_count == 0 and locked in cache.files()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_devices_and_pipes_named_on_the_command_line_are_refused(
    tmp_path: Path, cache: ArticleCache
) -> None:
    # Reading either would never return (a FIFO blocks until a writer comes, /dev/zero never
    # ends): both are refused by their stat, and the rest is indexed.
    lib = tmp_path / "lib"
    write_library(lib, n=1)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    done = threading.Event()
    events: list[IndexProgress] = []

    def index() -> None:
        with ArticleCache.open(tmp_path / "data2") as own:
            events.extend(index_paths([fifo, "/dev/zero", lib], own, workers=0))
        done.set()

    threading.Thread(target=index, daemon=True).start()
    assert done.wait(30), "indexing hung on a FIFO or a device"
    reasons = [str(e) for ev in events for e in ev.errors]
    assert reasons == [
        f"{fifo}: not a regular file (a device, pipe or socket)",
        "/dev/zero: not a regular file (a device, pipe or socket)",
    ]
    assert events[-1].new == 2 and events[-1].error_count == 2


@pytest.mark.parametrize("stat_size", [0, 10, 57, 58, 59, 500])
def test_a_file_that_changed_size_since_the_walk_is_read_whole(
    tmp_path: Path, stat_size: int
) -> None:
    # `_read_file` asks for the walked size plus one byte: whatever the file holds now comes
    # back whole (it grew, shrank, or the size is stale).
    path = tmp_path / "a.txt"
    data = bytes(range(58)) * 3000 if stat_size == 500 else bytes(range(58))
    path.write_bytes(data)
    assert indexer._read_file(str(path), stat_size) == data


def test_cancel_before_and_during(tmp_path: Path, cache: ArticleCache) -> None:
    lib = tmp_path / "lib"
    write_library(lib, n=6)
    stop = threading.Event()
    stop.set()
    assert run([lib], cache, cancel=stop)[-1].phase == "cancelled"
    assert cache.count() == 0

    stop = threading.Event()
    events = []
    for event in index_paths([lib], cache, cancel=stop, interval=0.0, workers=0):
        events.append(event)
        if event.phase == "indexing" and event.files_done >= 2:
            stop.set()
    assert events[-1].phase == "cancelled"
    assert 0 < cache.count() < 7
    # The next run finishes the job.
    last = run([lib], cache)[-1]
    assert last.phase == "done" and cache.count() == 7


def test_worker_processes_give_the_same_cache(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    write_library(lib, n=8)
    results = []
    for workers in (0, 2):
        with ArticleCache.open(tmp_path / f"data{workers}") as c:
            last = run([lib], c, workers=workers)[-1]
            assert last.articles == 9
            results.append([(s.id, s.title, s.tweets, s.quotes) for s in c.summaries()])
    assert results[0] == results[1]


def _summaries(cache: ArticleCache) -> list[tuple[str, str, int, int]]:
    return sorted((s.id, s.title, s.tweets, s.quotes) for s in cache.summaries())


_REAL_OUTCOME, _REAL_OUTCOMES = indexer._job_outcome, indexer._job_outcomes


def _slow_outcomes(jobs: list[indexer._Job]) -> list[indexer._Outcome]:
    time.sleep(0.5)
    return _REAL_OUTCOMES(jobs)


def _dying_outcomes(jobs: list[indexer._Job]) -> list[indexer._Outcome]:
    os._exit(1)


def _parent_counts_parses(monkeypatch: pytest.MonkeyPatch, in_worker: object) -> list[str]:
    """Files parsed in this process; (forked) workers run `in_worker(jobs)` for a chunk."""
    parent, in_parent = os.getpid(), []

    def outcome(job: indexer._Job) -> indexer._Outcome:
        if os.getpid() == parent:
            in_parent.append(job.key)
        return _REAL_OUTCOME(job)

    monkeypatch.setattr(indexer, "_job_outcome", outcome)
    monkeypatch.setattr(indexer, "_job_outcomes", in_worker)
    monkeypatch.setattr(indexer, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(indexer, "_CHUNK", 4)
    return in_parent


def test_this_thread_parses_while_the_worker_is_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "lib"
    write_library(lib, n=23)  # 24 files: 6 chunks of 4
    with ArticleCache.open(tmp_path / "alone") as c:
        run([lib], c, workers=0)
        expected = _summaries(c)
    # A slow worker gets the chunks the walk hands out (a window of 4); this thread parses
    # the rest meanwhile, each file once.
    in_parent = _parent_counts_parses(monkeypatch, _slow_outcomes)
    with ArticleCache.open(tmp_path / "helped") as c:
        last = run([lib], c, workers=1, parse_here=True)[-1]
        assert (last.phase, last.files_done, last.error_count) == ("done", 24, 0)
        assert _summaries(c) == expected
    assert len(in_parent) == 8 and len(set(in_parent)) == 8


def test_the_last_files_are_kept_back_for_this_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexer, "_CHUNK", 4)
    submitted: list[int] = []

    class Pool:  # chunks that never finish: only what is handed out counts
        def submit(self, fn: object, jobs: list[object]) -> Future[None]:
            submitted.append(len(jobs))
            return Future()

    todo = [indexer._Job(f"/f{i}", 1, 1, None) for i in range(20)]
    parser = indexer._Parser(todo, 1, threading.Event(), here=True)
    parser.decided, parser.executor, parser.window = True, Pool(), 4  # type: ignore[assignment]
    parser.feed(final=True)
    assert submitted == [4, 4, 4, 4]  # a full window (each time more left than the reserve)
    parser.pending.popleft()
    parser.feed(final=True)
    # 4 files left, no more than half a chunk for each of the 3 chunks in flight: kept back.
    assert submitted == [4, 4, 4, 4] and parser._next_here() is todo[16]


def test_a_broken_pool_leaves_its_chunks_to_this_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "lib"
    write_library(lib, n=23)
    with ArticleCache.open(tmp_path / "alone") as c:
        run([lib], c, workers=0)
        expected = _summaries(c)
    in_parent = _parent_counts_parses(monkeypatch, _dying_outcomes)
    for here in (True, False):
        in_parent.clear()
        with ArticleCache.open(tmp_path / f"broken{here}") as c:
            last = run([lib], c, workers=1 if here else 2, parse_here=here)[-1]
            assert (last.phase, last.files_done, last.error_count) == ("done", 24, 0)
            assert _summaries(c) == expected
        assert sorted(in_parent) == sorted(set(in_parent)) and len(in_parent) == 24


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="Linux pipes only")
def test_the_pipe_back_from_the_workers_holds_a_whole_chunk() -> None:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1) as pool:
        reader = pool._result_queue._reader  # type: ignore[attr-defined]
        assert fcntl.fcntl(reader.fileno(), fcntl.F_GETPIPE_SZ) < indexer._RESULT_PIPE_BYTES
        indexer._widen_result_pipe(pool)
        assert fcntl.fcntl(reader.fileno(), fcntl.F_GETPIPE_SZ) == indexer._RESULT_PIPE_BYTES
        assert pool.submit(sum, [1, 2]).result() == 3


def test_parallel_threshold_is_used_by_default(
    tmp_path: Path, cache: ArticleCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "lib"
    write_library(lib, n=4)
    monkeypatch.setattr(indexer, "PARALLEL_MIN_FILES", 2)
    used: list[int] = []
    real = indexer._default_workers
    monkeypatch.setattr(indexer, "_default_workers", lambda: used.append(1) or min(real(), 2))
    assert run([lib], cache)[-1].articles == 5
    assert used


def test_summary_line() -> None:
    line = IndexProgress("done", 10, 10, 12, 3, 2, 5, 1, 1, 0.5).summary_line()
    assert line == (
        "10 files, 12 articles: 3 new, 2 changed, 5 unchanged, 1 removed, 1 errors, 0.50 s"
    )


def test_workers_from_a_thread_use_spawn_and_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app indexes from a worker thread: processes are spawned, not forked, and it works."""
    lib = tmp_path / "lib"
    write_library(lib, n=4)
    out: list[IndexProgress] = []
    methods: list[str | None] = []
    in_parent: list[object] = []
    real_context, real_load = indexer.multiprocessing.get_context, indexer.load_bytes
    monkeypatch.setattr(
        indexer.multiprocessing, "get_context", lambda m=None: methods.append(m) or real_context(m)
    )
    # Spawned children import a fresh module, so only a fallback in this process would count.
    monkeypatch.setattr(
        indexer, "load_bytes", lambda *a, **k: in_parent.append(a) or real_load(*a, **k)
    )

    def work() -> None:
        with ArticleCache.open(tmp_path / "data") as c:
            out.extend(index_paths([lib], c, workers=2))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert out[-1].phase == "done" and out[-1].articles == 5 and out[-1].error_count == 0
    assert methods == ["spawn"] and in_parent == []


def test_each_file_is_read_once_and_freed_pages_are_released(
    tmp_path: Path, cache: ArticleCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "lib"
    files = write_library(lib, n=200)
    reads: list[str] = []
    real_open = Path.open  # what reader.formats.read_text goes through
    monkeypatch.setattr(
        Path, "open", lambda p, *a, **k: reads.append(str(p)) or real_open(p, *a, **k)
    )
    # The indexer reads with its own `_read_file` (os.open and one os.read).
    real_read = indexer._read_file
    monkeypatch.setattr(
        indexer, "_read_file", lambda p, size: reads.append(str(p)) or real_read(p, size)
    )
    run([lib], cache, workers=0)
    assert sorted(reads) == sorted(str(f) for f in files)  # hashed and parsed from one read
    # Shrinking every file frees pages (old rows, merged index segments): none stay in the file.
    for f in files[:-1]:
        f.write_text(f"Egrets, {f.stem}.\n" if f.suffix == ".txt" else f.read_text())
    assert run([lib], cache, workers=0)[-1].changed == len(files) - 1
    assert cache.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    assert cache.search("egrets")
    assert [h.snippet for h in cache.search("herons")] == ["A short note about herons."]


def test_workers_start_when_stderr_has_no_file_descriptor(tmp_path: Path) -> None:
    """Under the app, Textual captures stderr with an object whose fileno() is -1.
    multiprocessing passed that to its resource tracker (started with the first spawned
    worker), and the spawn failed: "bad value(s) in fds_to_keep", every library of 400 files
    or more stopped before indexing anything. A fresh process, so no tracker runs yet."""
    import subprocess
    import sys

    lib = tmp_path / "lib"
    write_library(lib, n=4)
    script = f"""
import json, sys, threading

class Captured:  # what Textual puts in sys.stderr while the app runs
    def write(self, text): return len(text)
    def flush(self): pass
    def fileno(self): return -1

sys.stderr = Captured()
from reader.indexer import index_paths
from reader.store.cache import ArticleCache
events = []
def work():
    with ArticleCache.open({str(tmp_path / "data")!r}) as cache:
        events.extend(index_paths([{str(lib)!r}], cache, workers=2))
thread = threading.Thread(target=work)
thread.start()
thread.join(120)
last = events[-1]
print(json.dumps([last.phase, last.articles, [str(e) for e in last.errors], last.error_count]))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=180, check=True
    )
    phase, articles, errors, count = json.loads(done.stdout.strip().splitlines()[-1])
    assert (phase, articles, errors, count) == ("done", 5, [], 0), done.stdout
