"""Score the scraped-text parser on the evaluator's held-out articles (benchmarks/heldout/).

    python benchmarks/heldout_eval.py [--dir DIR] [-q]

The 20 articles were written by hand for this benchmark, blind to the parser's design, and
labelled before the parser was run on them. A tweet counts only if its first words, last words,
handle and date all match; a caption if its text start and credit match. Whitespace is ignored
when comparing (glued one-line scrapes may be split differently), and the text must start with
the expected first words and end with the expected last words, so a tweet that swallowed its
introduction, or lost a paragraph, is a miss. Credits are compared without enclosing
parentheses and without a leading label ("Photo:", "Photo by", "Mandatory Credit:",
"Featured image via"), since where that label goes is a matter of taste.
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

_WS = re.compile(r"\s+")
_CREDIT_LABEL = re.compile(
    r"^(?:photo\s*:|photo\s+by|mandatory\s+credit\s*:|featured\s+image\s+(?:via|by))\s*", re.I
)


def squash(text: str) -> str:
    """Text with all whitespace removed (NBSP included), for glue-insensitive comparison."""
    return _WS.sub("", text)


def norm_credit(credit: str) -> str:
    """A credit without its brackets or leading label, whitespace removed, case folded."""
    c = credit.strip().strip("()（）").strip()
    c = _CREDIT_LABEL.sub("", c)
    return squash(c).casefold()


def tweet_matches(label: dict[str, str], tw: Tweet) -> bool:
    """True when the parsed tweet has the labelled start, end, handle and date."""
    text = squash(tw.text)
    return (
        text.startswith(squash(label["first"]))
        and text.endswith(squash(label["last"]))
        and tw.handle.lstrip("@").casefold() == label["handle"].casefold()
        and (tw.date.isoformat() if tw.date else "") == label["date"]
    )


def caption_matches(label: dict[str, str], cap: PhotoCaption) -> bool:
    """True when the parsed caption has the labelled text start and credit."""
    if norm_credit(cap.credit) != norm_credit(label["credit"]):
        return False
    start = squash(label["text_start"])
    if not start:  # a credit-only line: any text must be part of that line
        return squash(cap.text) in squash(label["credit"])
    return squash(cap.text).startswith(start)


@dataclass
class Score:
    """Matched / expected / produced counts and the misses behind them."""

    tp: int = 0
    expected: int = 0
    produced: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.produced if self.produced else 1.0
        r = self.tp / self.expected if self.expected else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def _short(text: str, n: int = 70) -> str:
    one = _WS.sub(" ", text).strip()
    return one if len(one) <= n else one[: n // 2 - 2] + " … " + one[-(n // 2 - 2) :]


def _match(labels: list[dict[str, str]], got: list[Any], ok: Any) -> tuple[list[Any], list[Any]]:
    """Greedy one-to-one matching; returns (unmatched labels, unmatched parsed blocks)."""
    left = list(got)
    missed = []
    for lab in labels:
        hit = next((g for g in left if ok(lab, g)), None)
        if hit is None:
            missed.append(lab)
        else:
            left.remove(hit)
    return missed, left


def evaluate(folder: Path, quiet: bool = False) -> tuple[Score, Score]:
    """Parse every labelled file in `folder` and score tweets and captions."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    tweets, caps = Score(), Score()
    for name, lab in sorted(labels.items()):
        if name.startswith("_"):
            continue
        art = parse_text(decode_bytes((folder / f"{name}.txt").read_bytes()), source=f"{name}.txt")
        got_t = [b for b in art.blocks if isinstance(b, Tweet)]
        got_c = [b for b in art.blocks if isinstance(b, PhotoCaption)]
        for score, want, got, ok in (
            (tweets, lab["tweets"], got_t, tweet_matches),
            (caps, lab["captions"], got_c, caption_matches),
        ):
            score.expected += len(want)
            score.produced += len(got)
            missed, extra = _match(want, got, ok)
            score.tp += len(want) - len(missed)
            for m in missed:
                if "handle" in m:
                    desc = f"{m['first']!r} … {m['last']!r} @{m['handle']} {m['date']}"
                else:
                    desc = f"{m['text_start']!r} ({m['credit']})"
                score.misses.append((name, "missed", desc))
            for g in extra:
                if isinstance(g, Tweet):
                    date = g.date.isoformat() if g.date else None
                    desc = f"{_short(g.text)!r} @{g.handle} {date}"
                else:
                    desc = f"{_short(g.text)!r} ({g.credit})"
                score.misses.append((name, "wrong", desc))
    if not quiet:
        for title, s in (("tweets", tweets), ("captions", caps)):
            p, r, f = s.prf()
            counts = f"{s.tp}/{s.expected} found, {s.produced} produced"
            print(f"{title}: P={p:.3f} R={r:.3f} F1={f:.3f} ({counts})")
        for title, s in (("tweet", tweets), ("caption", caps)):
            for name, kind, desc in s.misses:
                label = "expected" if kind == "missed" else "got     "
                print(f"  {name} {title} {label}: {desc}")
    return tweets, caps


def main() -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=REPO / "benchmarks" / "heldout")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args()
    evaluate(args.dir, quiet=args.quiet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
