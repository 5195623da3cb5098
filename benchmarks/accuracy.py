"""Tweet and caption accuracy of the scraped-text parser on real scraped articles.

    python benchmarks/accuracy.py [CORPUS_DIR] [--labels FILE] [--no-widgets] [-v]

CORPUS_DIR defaults to ../shared/corpus/realworld (relative to the repository). Labels are
hand-written ground truth (benchmarks/realworld_labels.json). A tweet counts only if its first
words, last words, handle and date are all right; a caption if its first and last words and its
credit are. Prints precision / recall / F1 and a per-file table of misses.

The held-out fixtures in tests/fixtures/heldout/ can be scored the same way:

    python benchmarks/accuracy.py tests/fixtures/heldout --labels tests/fixtures/heldout/labels.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reader.decode import decode_bytes  # noqa: E402
from reader.formats.scraped import parse_text  # noqa: E402
from reader.model import PhotoCaption, Tweet  # noqa: E402

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    """Case-folded, typographic quotes made straight, white space collapsed."""
    return _SPACE.sub(" ", text.translate(_QUOTES).replace("\u00a0", " ")).strip().casefold()


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (file, kind, description)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def tweet_matches(label: dict[str, Any], tweet: Tweet) -> bool:
    text = norm(tweet.text)
    date = tweet.date.isoformat() if tweet.date else None
    return (
        text.startswith(norm(label["first"]))
        and text.endswith(norm(label["last"]))
        and tweet.handle.casefold() == label["handle"].casefold()
        and date == label["date"]
    )


def caption_matches(label: dict[str, Any], cap: PhotoCaption) -> bool:
    text = norm(cap.text)
    want, got = norm(label["credit"]), norm(cap.credit)
    return (
        text.startswith(norm(label["first"]))
        and text.endswith(norm(label["last"]))
        and bool(got)
        and (want in got or got in want)
    )


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n // 2 - 2] + " … " + text[-(n // 2 - 2) :]


def score_file(
    name: str, path: Path, labels: dict[str, Any], widgets: bool, tweets: Score, captions: Score
) -> None:
    article = parse_text(decode_bytes(path.read_bytes()), source=name)
    want_t = [t for t in labels.get("tweets", []) if widgets or not t.get("widget")]
    got_t = [t for t in article.tweets if widgets or (t.handle and t.date)]
    unmatched = list(got_t)
    for label in want_t:
        hit = next((t for t in unmatched if tweet_matches(label, t)), None)
        if hit is None:
            tweets.fn += 1
            tweets.misses.append((name, "missed", f"@{label['handle']} {label['first']!r}…"))
        else:
            tweets.tp += 1
            unmatched.remove(hit)
    for t in unmatched:
        tweets.fp += 1
        tweets.misses.append((name, "wrong", f"@{t.handle} {_short(t.text)!r}"))
    want_c = labels.get("captions", [])
    left = list(article.captions)
    for label in want_c:
        found = next((c for c in left if caption_matches(label, c)), None)
        if found is None:
            captions.fn += 1
            captions.misses.append((name, "missed", f"{label['first']!r} ({label['credit']})"))
        else:
            captions.tp += 1
            left.remove(found)
    for c in left:
        captions.fp += 1
        captions.misses.append((name, "wrong", f"{_short(c.text)!r} ({c.credit})"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus" / "realworld")
    )
    ap.add_argument("--labels", default=str(REPO / "benchmarks" / "realworld_labels.json"))
    ap.add_argument(
        "--no-widgets",
        action="store_true",
        help="leave out live-blog 'Twitter: Name - text' widgets (no handle/date)",
    )
    ap.add_argument("-v", "--verbose", action="store_true", help="list every file, not only misses")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    labels: dict[str, Any] = json.loads(Path(args.labels).read_text(encoding="utf-8"))
    tweets, captions = Score(), Score()
    for name, entry in sorted(labels.items()):
        if name.startswith("_"):
            continue
        path = corpus / entry.get("path", name)
        if not path.exists():
            print(f"skip {name}: {path} not found", file=sys.stderr)
            continue
        before = (tweets.tp, tweets.fp, tweets.fn, captions.tp, captions.fp, captions.fn)
        score_file(name, path, entry, not args.no_widgets, tweets, captions)
        if args.verbose:
            after = (tweets.tp, tweets.fp, tweets.fn, captions.tp, captions.fp, captions.fn)
            delta = [a - b for a, b in zip(after, before, strict=True)]
            print(
                f"{name:14} tweets tp={delta[0]} fp={delta[1]} fn={delta[2]}  "
                f"captions tp={delta[3]} fp={delta[4]} fn={delta[5]}"
            )
    for title, score in (("tweets", tweets), ("captions", captions)):
        p, r, f = score.prf()
        print(
            f"{title:9} P={p:.3f} R={r:.3f} F1={f:.3f}  (tp={score.tp} fp={score.fp} fn={score.fn})"
        )
    misses = tweets.misses + [(f, f"caption {k}", d) for f, k, d in captions.misses]
    if misses:
        print("\nmisses:")
        print(f"{'file':14} {'kind':15} detail")
        for file, kind, detail in misses:
            print(f"{file:14} {kind:15} {detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
