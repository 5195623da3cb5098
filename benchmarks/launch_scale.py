"""The app on a 100,000-article cache: warm launch, key to repaint, search as you type.

Needs a corpus and a filled cache (once; a cold index of 100k takes about a minute):

    python benchmarks/generate.py /tmp/corpus100k --count 100000
    reader index --data-dir /tmp/data100k /tmp/corpus100k
    python benchmarks/launch_scale.py /tmp/corpus100k --data-dir /tmp/data100k [--runs 7]

1. Warm launch: a bare Textual app and the reader on the corpus, interleaved, each a fresh
   process on a 120x40 pty (as `startup.py`). Reported: to the first frame, and to the first
   frame that shows the cached rows (target: first frame <= 2x the bare app).
2. Key to repaint in the list (headless, 120x40, rows paged from the cache, after the indexer's
   warm scan): j/k, page down / up, End / Home, each also showing the article in the reading
   pane; then j/k and paging with the pane's preview off (the list alone). From posting the key
   to the compositor handing the frame to the driver (target <= 16 ms).
3. Search: `ArticleCache.search` + the rows for the list, typed a letter at a time (target
   median <= 20 ms), and in the app from a key in the `/` prompt to the frame with the results
   (this includes the 40 ms typing pause of `reader.ui.search`).
Also printed: the peak RSS of the headless app process.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import BARE, PYCACHE  # noqa: E402  (benchmarks/ is not a package)

READER_SCALE = """
import sys, time
from reader.ui.app import ReaderApp

stamp = sys.argv[1]

class Timed(ReaderApp):
    def on_mount(self):
        self.call_after_refresh(self.first_frame)

    def first_frame(self):
        with open(stamp, "w") as out:
            out.write(f"{time.time()!r} {time.process_time()!r}")

    def open_cached_library(self):
        opened = super().open_cached_library()
        self.call_after_refresh(self.rows_frame)
        return opened

    def rows_frame(self):
        with open(stamp + ".rows", "w") as out:
            out.write(f"{time.time()!r} {time.process_time()!r} {self.rows.total}")
        self.exit()

Timed([sys.argv[2]], data_dir=sys.argv[3]).run()
"""


def _drain(fd: int) -> None:
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def launch(script: str, *args: str) -> dict[str, tuple[float, ...]]:
    """Spawn `script` on a 120x40 pty; the stamps it writes, as seconds since the spawn."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = PYCACHE
    with tempfile.TemporaryDirectory() as tmp:
        stamp = Path(tmp) / "first-frame"
        threading.Thread(target=_drain, args=(master,), daemon=True).start()
        start = time.time()
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(stamp), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=ROOT,
        )
        process.wait(timeout=120)
        os.close(slave)
        os.close(master)
        out = {}
        for name, path in (("first", stamp), ("rows", Path(f"{stamp}.rows"))):
            if path.exists():
                wall, cpu, *rest = (float(x) for x in path.read_text().split())
                out[name] = (wall - start, cpu, *rest)
        if "first" not in out:
            raise RuntimeError("the app exited without painting a frame")
        return out


def warm_launch(corpus: str, data_dir: str, runs: int) -> float:
    for _ in range(2):  # bytecode, file cache
        launch(BARE)
        launch(READER_SCALE, corpus, data_dir)
    bare, first, rows = [], [], []
    total = 0
    for _ in range(runs):
        bare.append(launch(BARE)["first"][0])
        timed = launch(READER_SCALE, corpus, data_dir)
        first.append(timed["first"][0])
        rows.append(timed["rows"][0])
        total = int(timed["rows"][2])
    b, f, r = (statistics.median(x) * 1000 for x in (bare, first, rows))
    print(f"warm launch ({runs} runs each, interleaved, 120x40 pty, {total:,} cached articles)")
    print(f"  bare Textual app, first frame:        {b:7.1f} ms")
    print(f"  reader, first frame:                  {f:7.1f} ms  ratio {f / b:.2f}  (target <= 2)")
    print(f"  reader, first frame with cached rows: {r:7.1f} ms  ratio {r / b:.2f}")
    return f / b


async def settle(app) -> None:  # type: ignore[no-untyped-def]
    """Until no worker runs (a superseded search is cancelled, which wait_for_complete raises)."""
    from textual.worker import WorkerState

    while any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
        await asyncio.sleep(0.005)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def search_queries(titles: list[str]) -> list[str]:
    """Prefixes of words from real titles, as typed: 'z', 'zi', 'zis', ... ."""
    words = [w.strip("…,.") for t in titles for w in t.split()][:30]
    return [w[:i] for w in words if w for i in range(1, len(w) + 1)]


async def in_app(corpus: str, data_dir: str, presses: int) -> None:
    from reader.ui.app import ReaderApp, build_app
    from reader.ui.cached_rows import CachedRows, search_summaries

    app: ReaderApp = build_app([corpus], data_dir=data_dir)
    frame = asyncio.Event()
    original = app._display

    def display(screen, renderable):  # type: ignore[no-untyped-def]
        if renderable is not None:
            frame.set()
        return original(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    keys: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app)  # the warm scan of every file
        await pilot.pause()
        assert isinstance(app.rows, CachedRows)
        print(f"\nin the app ({app.rows.total:,} rows from the cache, headless 120x40)")

        async def timed(key: str, bucket: str) -> None:
            await pilot.pause()
            frame.clear()
            start = time.perf_counter()
            app.simulate_key(key)
            await asyncio.wait_for(frame.wait(), timeout=5)
            keys.setdefault(bucket, []).append((time.perf_counter() - start) * 1000)

        for index in range(presses):
            await timed("j" if (index // 50) % 2 == 0 else "k", "j / k")
        for index in range(presses // 4):
            await timed("pagedown" if (index // 10) % 2 == 0 else "pageup", "page down / up")
        for index in range(presses // 10):
            await timed("end" if index % 2 == 0 else "home", "End / Home")
        # The same keys with the reading pane's preview off: what the list itself costs.
        app.article = lambda summary: None  # type: ignore[method-assign]
        for index in range(presses):
            await timed("j" if (index // 50) % 2 == 0 else "k", "j / k, no pane")
        for index in range(presses // 4):
            await timed("pagedown" if (index // 10) % 2 == 0 else "pageup", "page, no pane")
        del app.article
        for bucket, values in keys.items():
            print(
                f"  key to repaint, {bucket:15} median {statistics.median(values):5.2f} ms,"
                f" p95 {pct(values, 0.95):5.2f} ms, max {max(values):6.2f} ms"
                f" ({len(values)} keys; target <= 16 ms)"
            )

        # Search, as the worker runs it (the UI thread's connection here; same query).
        titles = [app.rows[i].title for i in range(0, 2000, 100)]
        queries = search_queries(titles)
        cache = app.library.cache if app.library is not None else None
        assert cache is not None
        base = app.rows
        times = []
        for query in queries:
            start = time.perf_counter()
            search_summaries(cache, query, base.under)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"  search (cache.search + rows), {len(times)} queries typed a letter at a time:"
            f" median {statistics.median(times):5.2f} ms, p95 {pct(times, 0.95):6.2f} ms,"
            f" max {max(times):6.2f} ms (target median <= 20 ms)"
        )
        longer = [t for q, t in zip(queries, times, strict=True) if len(q) >= 2]
        print(
            f"  the same, queries of 2+ letters ({len(longer)}): median"
            f" {statistics.median(longer):5.2f} ms, p95 {pct(longer, 0.95):6.2f} ms"
        )

        # Key in the prompt to the frame that shows the new results.
        await pilot.press("slash")
        latencies = []
        for word in [q for q in queries if len(q) >= 3][:40]:
            app.filter_input.value = ""  # type: ignore[union-attr]
            await settle(app)
            await pilot.pause()
            app.filter_input.value = word[:-1]  # type: ignore[union-attr]
            await settle(app)
            await pilot.pause()
            frame.clear()
            start = time.perf_counter()
            app.filter_input.value = word  # type: ignore[union-attr]
            while getattr(app.article_list.rows, "query", "") != word:
                await asyncio.sleep(0.001)
            await asyncio.wait_for(frame.wait(), timeout=5)
            latencies.append((time.perf_counter() - start) * 1000)
        print(
            f"  search in the app, key to results on screen: median"
            f" {statistics.median(latencies):5.1f} ms, p95 {pct(latencies, 0.95):5.1f} ms"
            " (includes the 40 ms typing pause)"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process (app + benchmark): {rss:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--skip-launch", action="store_true")
    args = parser.parse_args()
    ratio = 0.0
    if not args.skip_launch:
        ratio = warm_launch(args.corpus, args.data_dir, args.runs)
    asyncio.run(in_app(args.corpus, args.data_dir, args.presses))
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
