"""Generate N synthetic scraped articles (plain text, the FORMAT.md shape) into a folder.

    python benchmarks/generate.py OUT_DIR --count 10000 [--seed 1]

Deterministic for a given seed and count. Words are drawn from an invented vocabulary with a
Zipf-like distribution, so common words match many articles and rare ones a few, as in real
text. Each article has prose paragraphs, quoted speech with attribution, 0-3 embedded tweets in
flattened form (text, optional pic link, `— Name (@handle) Month D, YYYY` signature; some tweets
recur across articles) and 0-2 photo captions with credits. Files go 500 to a subfolder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Iterator
from pathlib import Path

SYLLABLES = (
    "ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru "
    "sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu dar fen gol hor mil ster tran "
    "wick"
).split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()
AGENCIES = ("AFP", "Reuters", "AP Photo", "EPA", "Getty Images", "Staff photo")
VERBS = ("said", "told reporters", "wrote", "added", "explained")


class Vocabulary:
    """Invented words with Zipf-like frequencies (rank r drawn with weight 1 / r)."""

    def __init__(self, rng: random.Random, size: int = 20000) -> None:
        words: set[str] = set()
        while len(words) < size:
            words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
        self.words = sorted(words)
        rng.shuffle(self.words)
        self.weights = [1.0 / (rank + 1) for rank in range(size)]
        self._cum: list[float] = []
        total = 0.0
        for w in self.weights:
            total += w
            self._cum.append(total)

    def sample(self, rng: random.Random, n: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self._cum, k=n)

    def sentence(self, rng: random.Random, lo: int = 8, hi: int = 20) -> str:
        words = self.sample(rng, rng.randint(lo, hi))
        return " ".join(words).capitalize() + "."


def _name(rng: random.Random) -> str:
    first = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
    last = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{first} {last}"


def _accounts(rng: random.Random, n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        name = _name(rng)
        handle = (name.replace(" ", "_")[:11] + str(i))[:15]
        out.append((name, handle))
    return out


def _date(rng: random.Random) -> dt.date:
    return dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 12 * 365))


def _tweet(rng: random.Random, vocab: Vocabulary, account: tuple[str, str], day: dt.date) -> str:
    text = " ".join(vocab.sample(rng, rng.randint(6, 25)))
    if rng.random() < 0.3:
        text += " #" + vocab.sample(rng, 1)[0]
    link = f" pic.twitter.com/{rng.randrange(16**8):08x}" if rng.random() < 0.5 else ""
    name, handle = account
    return f"{text}{link} — {name} (@{handle}) {MONTHS[day.month - 1]} {day.day}, {day.year}"


def articles(count: int, seed: int) -> Iterator[str]:
    """The text of `count` articles, deterministically from `seed`."""
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    accounts = _accounts(rng, 2000)
    speakers = [_name(rng) for _ in range(3000)]
    recurring: list[str] = []
    for _ in range(count):
        day = _date(rng)
        paragraphs: list[str] = []
        for _ in range(rng.randint(4, 10)):
            paragraphs.append(" ".join(vocab.sentence(rng) for _ in range(rng.randint(2, 4))))
        # Quoted speech, attributed.
        for _ in range(rng.randint(1, 3)):
            words = vocab.sentence(rng, 6, 14)[:-1]
            said = f'"{words}," {rng.choice(speakers)} {rng.choice(VERBS)}.'
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), said)
        # Tweets, introduced by prose; a tenth of them recur across articles.
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            if recurring and rng.random() < 0.1:
                tweet = rng.choice(recurring)
            else:
                tweet = _tweet(rng, vocab, rng.choice(accounts), day - dt.timedelta(days=1))
                if len(recurring) < 500:
                    recurring.append(tweet)
            at = rng.randrange(1, len(paragraphs) + 1)
            paragraphs.insert(at, tweet)
        # Captions with a credit, after a wide gap as scrapes have them.
        for _ in range(rng.choice((0, 1, 1, 2))):
            caption = f"{vocab.sentence(rng, 5, 12)} ({_name(rng)} / {rng.choice(AGENCIES)})"
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), "\n\n" + caption)
        body = "\n\n".join(paragraphs)
        yield f" date {day.isoformat()} {body}\n"


def generate(out: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` articles under `out` (500 per subfolder); returns the paths."""
    paths = []
    for i, text in enumerate(articles(count, seed)):
        folder = out / f"part{i // 500:04d}"
        if i % 500 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"article{i:06d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def query_words(count: int, seed: int = 1) -> list[str]:
    """Words from the same vocabulary, for search benchmarks (common, middling and rare)."""
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    qrng = random.Random(seed + 1)
    ranks = [qrng.choice((5, 50, 200, 1000, 5000, 15000)) + qrng.randrange(5) for _ in range(count)]
    return [vocab.words[r] for r in ranks]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = generate(args.out, args.count, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} articles, {size / 1e6:.1f} MB, to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
