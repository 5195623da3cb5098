"""Parser speed: MB/s of scraped text parsed on one core, on a corpus generated here.

    python benchmarks/parse_speed.py [--mb 8] [--seed 7]

The corpus is synthetic (invented accounts, generated sentences) but shaped like real scrapes:
prose paragraphs, quoted speech, tweets with signatures in every position, captions with
credits, boilerplate, some one-line (glued) articles. It also times a few pathological inputs
(a 1 MB line with and without glue points, 1 MB of signatures, 1 MB of quotes) to show the parser
stays linear.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reader.formats.scraped import parse_text  # noqa: E402

WORDS = (
    "council harbour storm ferry minister village river library match club season crowd "
    "weather report station road bridge school market festival night morning vote plan "
    "statement people city county police fire team players supporters officials residents "
    "water power trains service airport museum park street square week year hours"
).split()
VERBS = "said told wrote added explained warned confirmed announced".split()
NAMES = ["Ana Ruiz", "Tom Baird", "Priya Shah", "Lena Hartmann", "Sam Okafor", "Mei Chen"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def sentence(rng: random.Random, n: int | None = None) -> str:
    n = n or rng.randint(8, 22)
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.2:
        return f'"{sentence(rng)[:-1]}," {rng.choice(NAMES)} {rng.choice(VERBS)}. "{sentence(rng)}"'
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def signature(rng: random.Random) -> str:
    name = rng.choice(NAMES + ["Harbour Watch 🌊", "(((Tram Fans)))", "Cllr Jo (she/her)"])
    handle = name.split()[0].strip("(").lower() + str(rng.randint(1, 999))
    date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2010, 2024)}"
    return f"— {name} (@{handle[:15]}) {date}"


def tweet(rng: random.Random) -> str:
    text = " ".join(sentence(rng, rng.randint(5, 12)) for _ in range(rng.randint(1, 2)))
    if rng.random() < 0.5:
        text += f" #{rng.choice(WORDS)}"
    if rng.random() < 0.5:
        text += " pic.twitter.com/" + "".join(rng.choice("abcdefXYZ0123") for _ in range(10))
    where = rng.random()
    if where < 0.5:
        return f"{text} {signature(rng)}"
    if where < 0.75:
        return f"{text}\n{signature(rng)}"
    return f"{text}\n\n{signature(rng)}"


def caption(rng: random.Random) -> str:
    credit = rng.choice(
        [
            "(AP Photo/Ana Ruiz)",
            "(EPA)",
            "(Photo by Tom Baird/Getty Images)",
            "Photo: Mei Chen / Reuters",
            "| Sam Okafor/AFP",
        ]
    )
    return f"{sentence(rng, 12)[:-1]} {credit}"


def article(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(8, 25)):
        r = rng.random()
        if r < 0.18:
            parts.append(tweet(rng))
        elif r < 0.25:
            parts.append(caption(rng))
        elif r < 0.28:
            parts.append("Read More")
        else:
            parts.append(paragraph(rng))
    text = "\n\n".join(parts)
    if rng.random() < 0.05:  # a one-line scrape: every line break lost
        text = text.replace("\n", "")
    return text


def corpus(mb: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    docs: list[str] = []
    size = 0
    while size < mb * 1_000_000:
        doc = article(rng)
        docs.append(doc)
        size += len(doc.encode("utf-8"))
    return docs


def throughput(docs: list[str], runs: int = 3) -> tuple[float, float]:
    """MB/s and seconds of the fastest of `runs` passes (the others met a busier machine)."""
    size = sum(len(d.encode("utf-8")) for d in docs)
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for i, doc in enumerate(docs):
            parse_text(doc, source=f"doc{i}.txt")
        best = min(best, time.perf_counter() - start)
    return size / 1_000_000 / best, best


def pathological() -> dict[str, str]:
    rng = random.Random(1)
    glued = "".join(sentence(rng) for _ in range(9000))[:1_000_000]
    flat = " ".join(rng.choice(WORDS) for _ in range(200_000))[:1_000_000]
    sigs = " ".join(f"x {signature(rng)}" for _ in range(20000))[:1_000_000]
    quotes = ('"' + "a " * 40) * 12000
    handles = "(@" * 500_000
    return {
        "1 MB glued line": glued,
        "1 MB line, no punctuation": flat,
        "1 MB of signatures": sigs,
        "1 MB of unclosed quotes": quotes[:1_000_000],
        "1 MB of '(@'": handles,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--mb", type=float, default=8.0, help="corpus size in MB (default 8)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3, help="passes over the corpus; fastest counts")
    args = ap.parse_args(argv)
    docs = corpus(args.mb, args.seed)
    parse_text(docs[0], source="warm-up")
    rate, elapsed = throughput(docs, args.runs)
    total = sum(len(d.encode("utf-8")) for d in docs) / 1_000_000
    print(
        f"parsed {len(docs)} articles, {total:.1f} MB in {elapsed:.2f} s: "
        f"{rate:.1f} MB/s (one core)"
    )
    for name, text in pathological().items():
        start = time.perf_counter()
        parse_text(text, source=name)
        print(f"  {name:28} {time.perf_counter() - start:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
