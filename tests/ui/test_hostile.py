"""Hostile text: article text and file names are data, never markup or terminal commands.

Two angles that can each fail on their own:
- in process, every strip the list, pane and outline render is checked segment by segment
  (no control characters, no links or click actions) and the literal text is on screen;
- end to end, the real app runs in a pseudo-terminal on a hostile file read by the real loader,
  and the bytes it writes to the terminal are searched for the escape sequences the file holds.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from rich.segment import Segment
from textual.strip import Strip

from reader.ui.app import build_app
from reader.ui.screens import ProblemsScreen

from .conftest import fixture_loader, until_loaded

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE_SOURCE_NAME = "[@click=app.quit]evil[bold].txt"


def check_strip(strip: Strip) -> None:
    for segment in strip:
        assert isinstance(segment, Segment)
        assert not CONTROL.search(segment.text), repr(segment.text)
        style = segment.style
        if style is not None:
            assert not style.link, style
            assert not (style.meta or {}).get("@click"), style.meta


def widget_lines(widget) -> list[str]:
    lines = []
    for y in range(widget.size.height):
        strip = widget.render_line(y)
        check_strip(strip)
        lines.append(strip.text)
    return lines


async def test_hostile_fields_render_literally_and_inertly(monkeypatch) -> None:
    problem_path = "bad/[@click=app.quit]\x1b]52;c;ZXZpbA==\x07name\u202e.txt"
    app = build_app(
        [],
        loader=fixture_loader("hostile.jsonl", problems=((problem_path, "empty file"),)),
    )
    bells: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_loaded(pilot)
        listed = "\n".join(widget_lines(app.article_list))
        assert "Hostile [bold red]title[/] [link=https" in listed
        await pilot.press("enter")
        pane_lines = widget_lines(app.pane)
        shown = "\n".join(pane_lines)
        assert "Hostile [bold red]title[/] [link=https://evil.example]click[/link]" in shown
        assert "[@click=app.quit]quit[/]" in shown
        assert f"fixtures/{HOSTILE_SOURCE_NAME}" in shown
        assert "Body with [reverse]markup[/reverse] and [@click=app.bell]a click[/]" in shown
        assert "$accent" in shown
        assert "Evil [bold]Author[/bold] [@click=ap" in shown
        assert "Tweet text [on red]styled[/] #tag" in shown
        assert "Caption [link=https://evil.example]link[/link]" in shown
        assert "Credit [blink]flash[/]" in shown
        # The OSC 52 payload and CSI were removed by the core; the bidi override too.
        assert "ZXZpbA" not in shown and "\u202e" not in shown

        # Click every cell of every hostile line: nothing may quit, ring or open.
        pane_x = app.pane.region.x
        for y, line in enumerate(pane_lines):
            if "[" in line:
                for x in range(0, len(line), 3):
                    await pilot.click(offset=(pane_x + x, app.pane.region.y + y))
        assert app.is_running and not bells

        await pilot.press("t")
        outline = app.outline
        prompts = [str(outline.get_option_at_index(i).prompt) for i in range(outline.option_count)]
        assert any("Tweet text [on red]styled[/]" in p for p in prompts)
        for y in range(outline.size.height):
            check_strip(outline.render_line(y))

        # A hostile file name in the problems view is shown cleaned, never interpreted.
        await pilot.press("escape", "exclamation_mark")
        assert isinstance(app.screen, ProblemsScreen)
        text = str(app.screen.query_one("#problems-text").render())
        assert "bad/[@click=app.quit]" in text and "name.txt" in text
        assert not CONTROL.search(text)
        for note in app._notifications:
            assert "[@click" not in note.message
        await pilot.press("escape")
        assert app.is_running and not bells


HOSTILE_FILE = (
    " date 2022-01-01 Hostile [bold red]title[/] [@click=app.quit]quit[/] "
    "\x1b]52;c;ZXZpbA==\x07and \x1b[999;999Hmore \u202eoverride here.\n\n"
    "Body with [reverse]markup[/reverse] and [@click=app.bell]a click[/] "
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x1b[2J\x1b[999;999H end.\n\n"
    "Tweet text [on red]styled[/] #tag pic.twitter.com/AbCdEf — "
    "Evil [bold]Author[/bold] (@evil_author) January 1, 2022\n\n\n\n"
    "Firefighters at the scene of the blaze on Monday morning. "
    "Photo: Jo [blink]Flash[/] / Reuters\n"
)


def _read_until(fd: int, needle: bytes, buffer: bytearray, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return needle in _visible(bytes(buffer))
            if not chunk:
                break
            buffer.extend(chunk)
        if needle in _visible(bytes(buffer)):
            return True
    return needle in _visible(bytes(buffer))


_CSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")


def _visible(data: bytes) -> bytes:
    """The terminal output with cursor and colour sequences removed (text runs joined)."""
    return _CSI.sub(b"", data)


def test_terminal_bytes_carry_no_escape_sequence_from_content(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    # Control characters in the file name itself, too.
    (library / "[@click=app.quit]evil[bold]\x1b[999;999H.txt").write_text(HOSTILE_FILE, "utf-8")
    (library / "empty [@click=app.quit]\x1b]52;c;ZXZpbA==\x07.txt").write_text("", "utf-8")

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    env.pop("NO_COLOR", None)
    env.pop("TEXTUAL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from reader.ui.app import run_app; sys.exit(run_app(sys.argv[1:]))",
            str(library),
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    output = bytearray()
    try:
        assert _read_until(master, b"Hostile [bold red]title[/]", output, 30), bytes(output)[-2000:]
        os.write(master, b"\r")  # open it
        assert _read_until(master, b"[@click=app.bell]a click[/]", output, 10)
        # Click on the title and body lines with SGR mouse reports: a click action in the text
        # would quit the app.
        for y in (3, 4, 5, 9, 10):
            for x in range(50, 118, 4):
                os.write(master, f"\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m".encode())
        os.write(master, b"]]]")
        assert _read_until(master, b"Evil [bold]Author[/bold]", output, 10)
        assert _read_until(master, b"Jo [blink]Flash[/] / Reuters", output, 10)
        os.write(master, b"!")  # the problems view lists the empty file
        assert _read_until(master, b"could not be loaded", output, 10)
        assert _read_until(master, b"empty file", output, 5)
        time.sleep(0.5)
        assert process.poll() is None, "a click or key inside article text ended the app"
        os.write(master, b"\x1b")
        time.sleep(0.3)
        os.write(master, b"q")
        # Keep draining the terminal while the app exits, or its writes would block.
        deadline = time.monotonic() + 15
        while process.poll() is None and time.monotonic() < deadline:
            _read_until(master, b"\x00never", output, 0.2)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        os.close(master)
    data = bytes(output)
    assert process.returncode == 0
    assert b"\x1b]52" not in data  # OSC 52: clipboard write
    assert b"999;999" not in data  # the CSI cursor move from the file and its name
    assert b"\x1b]8;" not in data  # no hyperlinks, from content or otherwise
    assert "\u202e".encode() not in data  # bidi override
    assert b"ZXZpbA" not in data
    visible = _visible(data)
    assert b"[@click=app.quit]quit[/]" in visible
