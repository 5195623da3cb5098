"""Key press to repaint in the article list at 10,000 and 100,000 synthetic rows.

The app runs headless at 120x40 with N synthetic `ArticleSummary` rows. For each key the clock
starts when the key event is posted and stops when the compositor hands the next frame to the
driver (`App._display`), so it covers key dispatch, the cursor move, rendering the changed
lines and composing the update. Reported: median and 95th percentile (target: <= 16 ms, one
frame at 60 Hz). Also timed: a key typed into the `/` title filter (a full scan on the first
key, narrowing after).

    python benchmarks/keypress.py [--rows 10000 100000] [--presses 200]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import time

from reader.model import ArticleSummary
from reader.ui.app import ReaderApp, build_app
from reader.ui.rows import SummaryRows

WORDS = (
    "harbour ferry council storm market tram library festival river bridge night crowd "
    "vote rescue island lantern weather school station budget museum garden strike"
).split()


def synthetic_rows(count: int, seed: int = 7) -> list[ArticleSummary]:
    """`count` summaries with varied titles, dates and counts (no article bodies)."""
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    rows = []
    for index in range(count):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize()
        rows.append(
            ArticleSummary(
                id=f"{index:016x}",
                source=f"synthetic/{index}.txt",
                title=title,
                date=start + dt.timedelta(days=rng.randint(0, 3000)),
                tweets=rng.randint(0, 6),
                captions=rng.randint(0, 3),
                quotes=rng.randint(0, 9),
                words=rng.randint(100, 3000),
            )
        )
    return rows


async def measure(rows: list[ArticleSummary], presses: int) -> dict[str, list[float]]:
    app: ReaderApp = build_app([], loader=lambda paths: iter(()))
    frame = asyncio.Event()
    original = app._display

    def display(screen, renderable):  # type: ignore[no-untyped-def]
        if renderable is not None:
            frame.set()
        return original(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    timings: dict[str, list[float]] = {"j/k in the list": [], "typing in the / filter": []}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        app.rows = SummaryRows(rows)
        app.article_list.set_rows(app.rows)
        await pilot.pause()

        async def timed(key: str, bucket: str) -> None:
            await pilot.pause()
            frame.clear()
            start = time.perf_counter()
            app.simulate_key(key)
            await asyncio.wait_for(frame.wait(), timeout=5)
            timings[bucket].append((time.perf_counter() - start) * 1000)

        for index in range(presses):
            await timed("j" if (index // 50) % 2 == 0 else "k", "j/k in the list")
        await pilot.press("slash")
        for round_ in range(max(1, presses // 20)):
            for key in "ferry":
                await timed(key, "typing in the / filter")
            for _ in "ferry":
                await pilot.press("backspace")
            del round_
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args()
    worst = 0.0
    for count in args.rows:
        timings = asyncio.run(measure(synthetic_rows(count), args.presses))
        for name, values in timings.items():
            values.sort()
            median = statistics.median(values)
            p95 = values[int(len(values) * 0.95) - 1]
            print(f"{count:>7,} rows  {name:<24} median {median:5.2f} ms  p95 {p95:5.2f} ms")
            if name.startswith("j/k"):
                worst = max(worst, median)
    print("target: key to repaint <= 16 ms")
    return 0 if worst <= 16 else 1


if __name__ == "__main__":
    raise SystemExit(main())
