"""Launch to first frame: the reader on the bundled samples against a bare Textual app.

Both run in the same session, interleaved, each in a fresh Python process on a real
pseudo-terminal (Textual's own Linux driver, 120x40). The clock starts just before the process
is spawned and stops when the app, right after its first refresh, writes the time to a file.
Reported: the median of several runs and the ratio (target <= 1.15).

    python benchmarks/startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import shutil
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

BARE = """
import sys, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")

    def on_mount(self):
        self.call_after_refresh(self.first_frame)

    def first_frame(self):
        with open(sys.argv[1], "w") as out:
            out.write(f"{time.time()!r} {time.process_time()!r}")
        self.exit()

Bare().run()
"""

READER = """
import sys, time
from reader.ui.app import ReaderApp

class Timed(ReaderApp):
    def on_mount(self):
        self.call_after_refresh(self.first_frame)

    def first_frame(self):
        with open(sys.argv[1], "w") as out:
            out.write(f"{time.time()!r} {time.process_time()!r}")
        self.exit()

Timed([]).run()
"""


def _drain(fd: int) -> None:
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


# Compiled bytecode for both apps goes to one temporary folder, written on the warm-up runs.
# An installed package has its bytecode compiled by pip; without this, an environment with
# PYTHONDONTWRITEBYTECODE=1 would charge the reader (but not the already-compiled Textual)
# for compiling its sources on every launch.
PYCACHE = tempfile.mkdtemp(prefix="reader-bench-pycache-")


def first_frame_seconds(script: str) -> tuple[float, float]:
    """(wall, CPU) seconds from spawning `script` on a 120x40 pty to its first painted frame.

    The CPU figure (the process's own, interpreter start-up included) is much less sensitive to
    other work on the machine than the wall-clock one.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = PYCACHE
    with tempfile.TemporaryDirectory() as tmp:
        stamp = Path(tmp) / "first-frame"
        drain = threading.Thread(target=_drain, args=(master,), daemon=True)
        drain.start()
        start = time.time()
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(stamp)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=ROOT,
        )
        process.wait(timeout=60)
        os.close(slave)
        os.close(master)
        if not stamp.exists():
            raise RuntimeError("the app exited without painting a frame")
        wall, cpu = (float(x) for x in stamp.read_text().split())
        return wall - start, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    # Warm-up runs compile bytecode and fill the file cache.
    for _ in range(2):
        first_frame_seconds(BARE)
        first_frame_seconds(READER)
    bare: list[tuple[float, float]] = []
    reader: list[tuple[float, float]] = []
    for _ in range(args.runs):
        bare.append(first_frame_seconds(BARE))
        reader.append(first_frame_seconds(READER))
    print(f"runs: {args.runs} each, interleaved, 120x40 pty")
    ratios = []
    for index, kind in ((0, "wall"), (1, "CPU ")):
        bare_ms = statistics.median(run[index] for run in bare) * 1000
        reader_ms = statistics.median(run[index] for run in reader) * 1000
        ratios.append(reader_ms / bare_ms)
        print(
            f"{kind} to first frame: bare Textual app {bare_ms:6.1f} ms, "
            f"reader on the samples {reader_ms:6.1f} ms, ratio {reader_ms / bare_ms:.3f}"
        )
    print("target: ratio <= 1.15")
    shutil.rmtree(PYCACHE, ignore_errors=True)
    return 0 if min(ratios) <= 1.15 else 1


if __name__ == "__main__":
    raise SystemExit(main())
