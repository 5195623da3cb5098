"""How long the state store's user actions take on a big store (target: well under 16 ms).

Builds a state file with 100,000 article rows and 10,000 saved quotes in a temporary folder,
then times the actions the app performs on a key press (toggle read, toggle bookmark, save a
quote, remember a position) and the loads it performs at start (id sets, every quote).

    python benchmarks/state_speed.py [--articles N] [--quotes N] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.saving import SavedQuote  # noqa: E402
from reader.store.state import StateStore  # noqa: E402


def timed(fn: Callable[[int], object], repeat: int) -> list[float]:
    """Milliseconds for each of `repeat` calls of fn(i)."""
    out = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(
        f"{name:<28} median {statistics.median(ms):7.3f} ms   p99 {p99:7.3f} ms   "
        f"max {ms[-1]:7.3f} ms   (n={len(ms)})"
    )


def quote(i: int, tag: str = "q") -> SavedQuote:
    return SavedQuote(
        kind="quote" if i % 3 else "tweet",
        text=f"{tag} {i}: We were not consulted, nobody asked us about the ferry timetable.",
        article_id=f"article-{i % 5000:06d}",
        article_title=f"Article {i % 5000}",
        article_source=f"/news/{i % 5000}.txt",
        speaker="the mayor" if i % 3 else "Port Watch",
        handle=None if i % 3 else "port_watch",
        context_before="The council met on Tuesday. " * 6,
        context_after="Engineers expect the road to reopen. " * 5,
        block=i,
        start=0,
        end=70,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--quotes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        ids = [f"{i:016x}" for i in range(args.articles)]
        with StateStore.open(tmp) as store:
            t0 = time.perf_counter()
            store.mark_all_read(ids[: args.articles // 2])
            store.mark_all_read(ids[args.articles // 2 :])
            store.mark_all_read(ids[args.articles // 2 :], read=False)
            for i in range(0, args.articles, 100):
                store.set_bookmarked(ids[i], True)
            t1 = time.perf_counter()
            for i in range(args.quotes):
                store.save_quote(quote(i))
            t2 = time.perf_counter()
        size = (Path(tmp) / "state.sqlite3").stat().st_size / 1e6
        print(
            f"built: {args.articles:,} article rows in {t1 - t0:.2f} s, {args.quotes:,} quotes "
            f"in {t2 - t1:.2f} s ({(t2 - t1) / args.quotes * 1000:.3f} ms each); "
            f"file {size:.1f} MB"
        )

        start = time.perf_counter()
        store = StateStore.open(tmp)
        report("open (migrate + probe)", [(time.perf_counter() - start) * 1000])
        n = args.repeat
        print(f"-- per user action (each its own committed transaction), {n} runs --")
        report("toggle_read", timed(lambda i: store.toggle_read(ids[i * 97 % len(ids)]), n))
        report("mark_read", timed(lambda i: store.mark_read(ids[i * 89 % len(ids)]), n))
        report("toggle_bookmark", timed(lambda i: store.toggle_bookmark(ids[i * 31 % len(ids)]), n))
        report("save_quote (new)", timed(lambda i: store.save_quote(quote(i, "new")), n))
        report("save_quote (duplicate)", timed(lambda i: store.save_quote(quote(i, "new")), n))
        report(
            "set_position",
            timed(lambda i: store.set_position(ids[i * 13 % len(ids)], i * 1.5, i), n),
        )
        report("get_position", timed(lambda i: store.get_position(ids[i * 13 % len(ids)]), n))
        live = store.list_quotes(limit=n)
        report(
            "update_note",
            timed(lambda i: store.update_note(live[i % len(live)].id or 0, f"note {i}"), n),
        )
        deleted: list[SavedQuote] = []
        report(
            "delete_quote",
            timed(lambda i: deleted.append(store.delete_quote(live[i].id or 0)), min(n, 100)),
        )
        report(
            "restore_quote",
            timed(lambda i: store.restore_quote(deleted[i]), len(deleted)),
        )
        print("-- loads (at start, or when the Bookmarks screen opens) --")
        report("read_ids()", timed(lambda i: store.read_ids(), 10))
        report("bookmarked_ids()", timed(lambda i: store.bookmarked_ids(), 10))
        report("list_quotes() all", timed(lambda i: store.list_quotes(), 5))
        report("list_quotes('nobody 12')", timed(lambda i: store.list_quotes("nobody 12"), 5))
        report("list_quotes(kind=tweet)", timed(lambda i: store.list_quotes(kind="tweet"), 5))
        print("-- key presses while a worker thread loads every quote in a loop --")
        stop = threading.Event()

        def load_forever() -> None:
            while not stop.is_set():
                store.list_quotes()

        worker = threading.Thread(target=load_forever)
        worker.start()
        time.sleep(0.05)
        busy: list[float] = []
        for i in range(200):
            time.sleep(0.002)  # key presses arrive between the worker's queries
            busy += timed(lambda _, i=i: store.toggle_read(ids[i * 7 % len(ids)]), 1)
        # Includes waiting for the GIL (switch interval 5 ms) while the worker builds rows.
        report("toggle_read (worker busy)", busy)
        stop.set()
        worker.join()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
