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

# The whole `reader` command as a user runs it: argument parsing, the config and the state
# store opened, the article cache read (warm after the warm-up runs), then the app.
READER_COMMAND = """
import sys, time
import reader.ui.app as app_module

_on_mount = app_module.ReaderApp.on_mount

def on_mount(self):
    # Queued before the app's own after-first-frame work (opening the article cache), as
    # the subclass above does by running first.
    self.call_after_refresh(first_frame, self)
    _on_mount(self)

def first_frame(app):
    with open(sys.argv[1], "w") as out:
        out.write(f"{time.time()!r} {time.process_time()!r}")
    app.exit()

app_module.ReaderApp.on_mount = on_mount
from reader.cli import main
raise SystemExit(main(["--data-dir", sys.argv[2], "--config", sys.argv[3]]))
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


def first_frame_seconds(script: str, *extra: str) -> tuple[float, float]:
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
            [sys.executable, "-c", script, str(stamp), *extra],
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
    data = tempfile.mkdtemp(prefix="reader-bench-data-")
    config = str(Path(data) / "config.toml")  # absent: the defaults
    scripts = {
        "bare Textual app": (BARE,),
        "reader app on the samples": (READER,),
        "`reader` command (CLI, config, store, cache)": (READER_COMMAND, data, config),
    }
    # Warm-up runs compile bytecode, fill the file cache and the command's article cache.
    for _ in range(2):
        for script in scripts.values():
            first_frame_seconds(*script)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in scripts}
    for _ in range(args.runs):
        for name, script in scripts.items():
            runs[name].append(first_frame_seconds(*script))
    print(f"runs: {args.runs} each, interleaved, 120x40 pty; medians")
    ratios = []
    for index, kind in ((0, "wall"), (1, "CPU")):
        medians = {name: statistics.median(r[index] for r in got) * 1000
                   for name, got in runs.items()}
        bare_ms = medians["bare Textual app"]
        for name, ms in medians.items():
            line = f"  {kind:4} {name:46} {ms:6.1f} ms"
            if name != "bare Textual app":
                line += f"  ratio {ms / bare_ms:.3f}"
                if name.startswith("reader app"):
                    ratios.append(ms / bare_ms)
            print(line)
    print("target: ratio <= 1.15")
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(PYCACHE, ignore_errors=True)
    return 0 if min(ratios) <= 1.15 else 1


if __name__ == "__main__":
    raise SystemExit(main())
