"""Library-scale benchmarks: cold and warm indexing, search latency, peak memory, and newsboat.

    python benchmarks/scale.py                       # 10k and 100k articles (slow: minutes)
    python benchmarks/scale.py --sizes 10000         # quick run
    python benchmarks/scale.py --sizes 10000 --skip-newsboat
    python benchmarks/scale.py --pairs 9             # newsboat and our cold 10k, in turn
    python benchmarks/scale.py --pairs 9 --python /usr/bin/python3.11   # another interpreter

For each size N it generates N synthetic scraped articles (benchmarks/generate.py, fixed seed;
kept in --work between runs), then, each in a fresh subprocess so that memory figures are its
own (resource.getrusage):

- cold index: `index_paths` into an empty cache (the `reader index` code path, worker
  processes included); peak RSS of the indexing process and of its largest worker;
- warm index: the same again, nothing changed (what a relaunch costs);
- list + search: load all N list rows (`ArticleCache.summaries`), then time `search()` for
  --queries queries of words drawn from the corpus vocabulary (common, middling and rare single
  words, two-word queries, and 3-4 letter prefixes as typed); median and 95th percentile.

newsboat (Debian package `newsboat`): a 10,000-item RSS file is built from the first 10,000
articles (each item's description holds the article's paragraphs as HTML) and `newsboat -x
reload` is timed with a throw-away config, cache and a `file://` URL; our cold index of the 10k
scraped files and of that same RSS file are reported beside it.

Targets (issue 5): search <= 20 ms median at 100k; peak RSS <= 200 MB at 100k; cold index of
10k no slower than newsboat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import articles, generate, query_words  # noqa: E402

SEED = 1


# -- children (each run in its own process) -------------------------------------------------------


def child_index(data: str, corpus: str) -> dict[str, object]:
    import resource

    from reader.indexer import index_paths
    from reader.store.cache import ArticleCache

    started = time.perf_counter()
    with ArticleCache.open(data) as cache:
        events = list(index_paths([corpus], cache))
    last = events[-1]
    seconds = time.perf_counter() - started
    # The pool is shut down without waiting: reap its workers so that their CPU time and
    # memory are in RUSAGE_CHILDREN (otherwise a run can report 0).
    import multiprocessing

    for process in multiprocessing.active_children():
        process.join(timeout=10)
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": round(seconds, 3),
        "files": last.files_done,
        "articles": last.articles,
        "new": last.new,
        "unchanged": last.unchanged,
        "errors": last.error_count,
        "rss_mb": round(me.ru_maxrss / 1024, 1),
        "worker_rss_mb": round(kids.ru_maxrss / 1024, 1),
        "cpu_s": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 2),
    }


def child_search(data: str, count: int) -> dict[str, object]:
    import resource

    from reader.store.cache import ArticleCache

    cache = ArticleCache.open(data)
    started = time.perf_counter()
    rows = cache.summaries()
    list_ms = (time.perf_counter() - started) * 1000
    page_ms = []
    for offset in (0, len(rows) // 2, max(0, len(rows) - 60)):
        started = time.perf_counter()
        cache.summaries_page(offset=offset, limit=60)
        page_ms.append((time.perf_counter() - started) * 1000)
    words = query_words(count, SEED)
    queries: dict[str, list[str]] = {
        "one word": words[: count // 2],
        "two words": [f"{a} {b}" for a, b in zip(words[::2], words[1::2], strict=False)][
            : count // 4
        ],
        "prefix as typed": [w[: 3 + (i % 2)] for i, w in enumerate(words)][: count // 4],
    }
    for q in queries["one word"][:5]:
        cache.search(q)  # warm the page cache like a running app would be
    timings: dict[str, list[float]] = {}
    hits: list[int] = []
    for kind, qs in queries.items():
        for q in qs:
            t = time.perf_counter()
            found = cache.search(q, limit=100)
            timings.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
            hits.append(len(found))
    ids_only = []
    for q in queries["one word"] + queries["prefix as typed"]:
        t = time.perf_counter()
        cache.search(q, limit=100, snippets=False)
        ids_only.append((time.perf_counter() - t) * 1000)
    every = [ms for values in timings.values() for ms in values]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rows": len(rows),
        "list_ms": round(list_ms, 1),
        "page_ms_max": round(max(page_ms), 2),
        "ids_only_median_ms": round(statistics.median(ids_only), 2),
        "queries": len(every),
        "median_ms": round(statistics.median(every), 2),
        "p95_ms": round(sorted(every)[int(len(every) * 0.95) - 1], 2),
        "by_kind": {
            k: {"median_ms": round(statistics.median(v), 2), "max_ms": round(max(v), 2)}
            for k, v in timings.items()
        },
        "median_hits": statistics.median(hits),
        "rss_mb": round(rss, 1),
    }


# The interpreter our runs use (--python): this one unless told otherwise.
PYTHON = sys.executable


def run_child(*args: str) -> dict[str, object]:
    out = subprocess.run(
        [PYTHON, __file__, "--child", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# -- corpus, feed, newsboat ---------------------------------------------------------------------


def corpus(work: Path, n: int) -> Path:
    folder = work / f"corpus-{n}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        generate(folder, n, SEED)
        done.write_text("ok")
        print(f"  generated {n} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return folder


def rss_file(work: Path, n: int) -> Path:
    path = work / f"feed-{n}.rss"
    if path.exists():
        return path
    items = []
    for i, text in enumerate(articles(n, SEED)):
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        title = paragraphs[0][17:90]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        day = dt.date(2012, 1, 1) + dt.timedelta(days=i % 4000)
        items.append(
            f"<item><title>{html.escape(title)}</title><link>https://bench.example/a/{i}</link>"
            f"<guid>https://bench.example/a/{i}</guid>"
            f"<pubDate>{day.strftime('%a, %d %b %Y')} 10:00:00 +0000</pubDate>"
            f"<description>{html.escape(body)}</description></item>"
        )
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench</title>'
        "<link>https://bench.example/</link><description>bench</description>\n"
        + "\n".join(items)
        + "\n</channel></rss>\n",
        encoding="utf-8",
    )
    return path


def newsboat_reload(feed: Path, repeat: int = 3) -> dict[str, object] | None:
    exe = shutil.which("newsboat")
    if exe is None:
        return None
    times = []
    items = None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            urls = Path(tmp, "urls")
            urls.write_text(f"file://{feed}\n")
            config = Path(tmp, "config")
            config.write_text("")
            cache = Path(tmp, "cache.db")
            started = time.perf_counter()
            subprocess.run(
                [exe, "-u", str(urls), "-c", str(cache), "-C", str(config), "-x", "reload"],
                check=True,
                capture_output=True,
                env={**os.environ, "HOME": tmp},
            )
            times.append(time.perf_counter() - started)
            import sqlite3

            conn = sqlite3.connect(cache)
            items = conn.execute("SELECT count(*) FROM rss_item").fetchone()[0]
            conn.close()
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout
    return {
        "seconds": round(statistics.median(times), 3),
        "all": [round(t, 3) for t in times],
        "items": items,
        "version": version.splitlines()[0] if version else "?",
    }


def cli_index(data: Path, folder: Path) -> float:
    """Seconds for the whole `reader index` command, as a user times it: the interpreter's
    start and the imports included (what `newsboat -x reload` is timed with too)."""
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "reader", "--data-dir", str(data), "index", str(folder)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return time.perf_counter() - started


def pairs(work: Path, count: int) -> str:
    """newsboat's reload of the 10k-item feed and our cold index of the 10k files (timed in
    process, as the other figures, and as the whole `reader index` command), run in turn `count`
    times: on a shared machine only runs made in the same minutes compare."""
    folder, feed, data = corpus(work, 10000), rss_file(work, 10000), work / "data-pairs"
    theirs: list[float] = []
    ours: list[float] = []
    command: list[float] = []
    cpu: list[float] = []
    for i in range(count):
        reload = newsboat_reload(feed, repeat=1)
        if reload is None:
            return "newsboat is not installed (Debian: apt install newsboat)"
        shutil.rmtree(data, ignore_errors=True)
        cold = run_child("index", str(data), str(folder))
        shutil.rmtree(data, ignore_errors=True)
        command.append(cli_index(data, folder))
        theirs.append(float(reload["seconds"]))  # type: ignore[arg-type]
        ours.append(float(cold["seconds"]))  # type: ignore[arg-type]
        cpu.append(float(cold["cpu_s"]))  # type: ignore[arg-type]
        line = (
            f"  round {i + 1}: newsboat {theirs[-1]:.2f} s, ours {ours[-1]:.2f} s in process, "
            f"{command[-1]:.2f} s as a command"
        )
        print(line, file=sys.stderr)

    def spread(values: list[float]) -> str:
        return f"median {statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"

    def ratios(values: list[float]) -> str:
        by_medians = statistics.median(values) / statistics.median(theirs)
        each = sorted(o / t for o, t in zip(values, theirs, strict=True))
        return f"{by_medians:.2f} by medians; round by round {', '.join(f'{r:.2f}' for r in each)}"

    return "\n".join(
        [
            f"newsboat -x reload (10,000-item RSS): {spread(theirs)}",
            f"reader cold index of the 10,000 files ({PYTHON}):",
            f"  in process: {spread(ours)}, {statistics.median(cpu):.1f} s CPU",
            f"  the whole `reader index` command: {spread(command)}",
            f"ours / newsboat, in process: {ratios(ours)}",
            f"ours / newsboat, the command: {ratios(command)}",
        ]
    )


# -- main ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "reader-scale")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--skip-newsboat", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter for our runs (it needs this project's dependencies), e.g. a PGO build",
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=0,
        help="only compare with newsboat: N interleaved pairs of its reload and our cold 10k",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        result = child_index(*rest) if kind == "index" else child_search(rest[0], int(rest[1]))
        print(json.dumps(result))
        return 0

    global PYTHON
    PYTHON = args.python
    args.work.mkdir(parents=True, exist_ok=True)
    # Bytecode compiled up front, as a user's second launch finds it: no run pays for
    # compiling the sources (50-150 ms per process when the .pyc files are missing or stale,
    # for instance under PYTHONDONTWRITEBYTECODE).
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(ROOT / "reader")], check=True, capture_output=True
    )
    if args.pairs:
        print(pairs(args.work, args.pairs))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    report: dict[str, object] = {"cpus": os.cpu_count(), "sizes": {}}
    for n in sizes:
        print(f"{n} articles", file=sys.stderr)
        folder = corpus(args.work, n)
        data = args.work / f"data-{n}"
        # Cold runs of 10k are repeated (newsboat's reload is too) and the median run kept;
        # 100k once: the machine is shared.
        colds = []
        for _ in range(3 if n <= 10000 else 1):
            shutil.rmtree(data, ignore_errors=True)
            colds.append(run_child("index", str(data), str(folder)))
        cold = sorted(colds, key=lambda c: float(c["seconds"]))[len(colds) // 2]  # type: ignore[arg-type]
        cold["all"] = [c["seconds"] for c in colds]
        print(f"  cold index {cold}", file=sys.stderr)
        warm = run_child("index", str(data), str(folder))
        print(f"  warm index {warm}", file=sys.stderr)
        search = run_child("search", str(data), str(args.queries))
        print(f"  search {search}", file=sys.stderr)
        size_mb = sum(f.stat().st_size for f in data.iterdir()) / 1e6
        text_mb = sum(f.stat().st_size for f in folder.rglob("*.txt")) / 1e6
        report["sizes"][str(n)] = {  # type: ignore[index]
            "cold": cold,
            "warm": warm,
            "search": search,
            "cache_mb": round(size_mb, 1),
            "corpus_mb": round(text_mb, 1),
        }
    if not args.skip_newsboat and 10000 in sizes:
        feed = rss_file(args.work, 10000)
        nb = newsboat_reload(feed)
        data = args.work / "data-rss"
        shutil.rmtree(data, ignore_errors=True)
        ours_rss = run_child("index", str(data), str(feed))
        report["newsboat"] = {
            "feed_mb": round(feed.stat().st_size / 1e6, 1),
            "newsboat_reload": nb,
            "reader_cold_index_same_rss": ours_rss,
        }
        print(f"  newsboat {report['newsboat']}", file=sys.stderr)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


def table(report: dict[str, Any]) -> str:
    rows = ["| measure | figure |", "|---|---|"]
    for n, fig in report["sizes"].items():  # type: ignore[attr-defined]
        c, w, s = fig["cold"], fig["warm"], fig["search"]
        rows += [
            f"| cold index, {int(n):,} files | {c['seconds']:.2f} s "
            f"({int(n) / c['seconds']:,.0f} files/s, {c['cpu_s']} s CPU; runs {c['all']}) |",
            f"| warm index (nothing changed), {int(n):,} | {w['seconds']:.2f} s |",
            f"| peak RSS while indexing {int(n):,} | {c['rss_mb']} MB "
            f"(each worker {c['worker_rss_mb']} MB) |",
            f"| load all {int(n):,} list rows / one 60-row page (worst offset) | "
            f"{s['list_ms']} ms / {s['page_ms_max']} ms |",
            f"| search median / p95, {s['queries']} queries, {int(n):,} | "
            f"{s['median_ms']} ms / {s['p95_ms']} ms |",
            f"| search without snippets (list filter), median, {int(n):,} | "
            f"{s['ids_only_median_ms']} ms |",
            f"| peak RSS listing + searching {int(n):,} | {s['rss_mb']} MB |",
            f"| cache file, {int(n):,} ({fig['corpus_mb']} MB of text files) | "
            f"{fig['cache_mb']} MB |",
        ]
        for kind, k in s["by_kind"].items():
            rows.append(f"| search '{kind}', {int(n):,} | median {k['median_ms']} ms |")
    nb = report.get("newsboat")
    if nb:
        reload = nb["newsboat_reload"]
        if reload:
            rows.append(
                f"| newsboat -x reload, 10,000-item RSS ({nb['feed_mb']} MB, {reload['version']}) "
                f"| {reload['seconds']:.2f} s |"
            )
        ours = nb["reader_cold_index_same_rss"]
        rows.append(f"| reader cold index of that same RSS file | {ours['seconds']:.2f} s |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
