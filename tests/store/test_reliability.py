"""What the user keeps survives: kill -9, concurrent writers, damaged files, read-only dirs.

Every test here uses real files and real processes (`sys.executable -c ...`).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.saving import SavedQuote
from reader.store.location import STATE_FILENAME
from reader.store.state import StateStore, StoreReadOnlyError

ROOT = Path(__file__).resolve().parents[2]

# The child's preamble: import everything first, so a child that drops privileges (see
# `as_nobody`) never needs to read the interpreter's files afterwards.
PRELUDE = """
import os, sys, time
from reader.saving import SavedQuote
from reader.store.state import StateStore, StoreError
"""


def run_child(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PRELUDE + code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def start_child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", PRELUDE + code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


SAVER = """
store = StateStore.open(sys.argv[1])
tag, count = sys.argv[2], int(sys.argv[3])
go = sys.argv[4] if len(sys.argv) > 4 else None
while go and not os.path.exists(go):
    time.sleep(0.001)
for i in range(count):
    q, created = store.save_quote(SavedQuote(
        kind="paragraph", text=f"{tag} saved {i}", article_id=f"{tag}-article", block=i))
    store.toggle_read(f"{tag}-{i}")
    store.toggle_bookmark(f"shared-{i % 10}")
    print(q.id, flush=True)
"""


def test_kill_9_right_after_saves_loses_nothing(tmp_path: Path) -> None:
    child = start_child(SAVER, str(tmp_path), "k", "100000")
    acknowledged: list[int] = []
    assert child.stdout is not None
    for line in child.stdout:
        acknowledged.append(int(line))
        if len(acknowledged) == 150:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    with StateStore.open(tmp_path) as store:
        assert store.messages == []
        ids = {q.id for q in store.list_quotes()}
        # Every save the child reported done is there, and the file is healthy.
        assert set(acknowledged) <= ids
        assert len(ids) >= 150
        assert {f"k-{i}" for i in range(150)} <= store.read_ids()


def test_a_process_killing_itself_after_one_save_keeps_it(tmp_path: Path) -> None:
    code = """
store = StateStore.open(sys.argv[1])
store.save_quote(SavedQuote(kind="tweet", text="last words", article_id="a"))
store.mark_read("a")
os.kill(os.getpid(), 9)
"""
    result = run_child(code, str(tmp_path))
    assert result.returncode == -signal.SIGKILL
    with StateStore.open(tmp_path) as store:
        assert [q.text for q in store.list_quotes()] == ["last words"]
        assert store.read_ids() == {"a"}


def test_two_writers_at_once_both_land(tmp_path: Path) -> None:
    # Create the file first so both children race on writes, not only on creation.
    StateStore.open(tmp_path).close()
    go = tmp_path / "go"
    count = 300
    children = [start_child(SAVER, str(tmp_path), tag, str(count), str(go)) for tag in "ab"]
    time.sleep(0.5)
    go.touch()
    outputs = [c.communicate(timeout=120) for c in children]
    for child, (_out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    acknowledged = [int(x) for out, _ in outputs for x in out.split()]
    assert len(acknowledged) == 2 * count
    with StateStore.open(tmp_path) as store:
        quotes = store.list_quotes()
        assert len(quotes) == 2 * count
        assert {q.id for q in quotes} == set(acknowledged)
        for tag in "ab":
            assert sum(q.text.startswith(f"{tag} saved") for q in quotes) == count
        assert len(store.read_ids()) == 2 * count
        # 600 toggles over 10 shared articles: each toggled 60 times, an even number.
        assert store.bookmarked_ids() == set()


def test_two_stores_opening_a_new_file_at_the_same_moment(tmp_path: Path) -> None:
    go = tmp_path / "go"
    # Six processes creating the same file: the WAL switch used to fail with "database is
    # locked" (SQLite does not wait for that lock); now each one waits its turn.
    children = [start_child(SAVER, str(tmp_path / "d"), tag, "20", str(go)) for tag in "uvwxyz"]
    time.sleep(0.3)
    go.touch()
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    with StateStore.open(tmp_path / "d") as store:
        assert store.quote_count() == 120


OPENER = """
go = sys.argv[2]
while not os.path.exists(go):
    time.sleep(0.0002)
store = StateStore.open(sys.argv[1])
print("read_only" if store.read_only else "ok", *store.messages)
store.mark_read(sys.argv[3])
"""


def test_many_processes_creating_the_state_file_together_all_can_write(tmp_path: Path) -> None:
    for round_ in range(6):
        folder, go = tmp_path / f"r{round_}", tmp_path / f"go{round_}"
        children = [start_child(OPENER, str(folder), str(go), f"p{n}") for n in range(6)]
        time.sleep(0.4)  # let every child import and wait at the line
        go.touch()
        for child in children:
            out, err = child.communicate(timeout=60)
            assert child.returncode == 0 and out.strip() == "ok", out + err
        with StateStore.open(folder) as store:
            assert store.read_ids() == {f"p{n}" for n in range(6)}


def test_a_corrupt_file_is_moved_aside_and_a_fresh_store_carries_on(tmp_path: Path) -> None:
    garbage = os.urandom(3000) + b"this is not a database" * 50
    (tmp_path / STATE_FILENAME).write_bytes(garbage)
    code = """
store = StateStore.open(sys.argv[1])
for message in store.messages:
    print("reader:", message, file=sys.stderr)
store.save_quote(SavedQuote(kind="quote", text="after the damage", article_id="a"))
"""
    result = run_child(code, str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "damaged" in result.stderr
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(STATE_FILENAME + ".corrupt-")]
    assert len(aside) == 1
    assert re.fullmatch(r"state\.sqlite3\.corrupt-\d{8}-\d{6}", aside[0].name)
    assert aside[0].name in result.stderr
    assert aside[0].read_bytes() == garbage  # kept byte for byte, never deleted
    with StateStore.open(tmp_path) as store:
        assert store.messages == []
        assert [q.text for q in store.list_quotes()] == ["after the damage"]


def test_a_second_corruption_in_the_same_second_keeps_both_copies(tmp_path: Path) -> None:
    for n in range(2):
        (tmp_path / STATE_FILENAME).write_bytes(b"garbage %d" % n * 400)
        StateStore.open(tmp_path).close()
    aside = sorted(p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name)
    assert len(aside) == 2
    contents = {(tmp_path / name).read_bytes()[:9] for name in aside}
    assert contents == {b"garbage 0", b"garbage 1"}


def test_a_damaged_page_inside_a_valid_file_is_also_moved_aside(tmp_path: Path) -> None:
    with StateStore.open(tmp_path) as store:
        for i in range(200):
            store.save_quote(SavedQuote(kind="paragraph", text="x" * 500, article_id=str(i)))
    path = tmp_path / STATE_FILENAME
    data = bytearray(path.read_bytes())
    # Keep the header, scribble over the schema page: a real "malformed" file.
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    with StateStore.open(tmp_path) as store:
        assert any("damaged" in m for m in store.messages)
        assert not store.read_only
        assert store.quote_count() == 0
    assert any(".corrupt-" in p.name for p in tmp_path.iterdir())


# --- read-only data directories ----------------------------------------------------------------

# As root, permissions do not stop writes, so the child drops to `nobody` after importing.
AS_NOBODY = """
if os.geteuid() == 0:
    os.setgid(65534)
    os.setuid(65534)
"""


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder the unprivileged child can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="reader-ro-"))
    folder.chmod(0o755)
    yield folder
    for p in [folder, *folder.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(folder)


READ_ONLY_CHILD = """
store = StateStore.open(sys.argv[1])
for message in store.messages:
    print("reader:", message, file=sys.stderr)
print("read_only", store.read_only)
print("read", sorted(store.read_ids()))
print("quotes", [q.text for q in store.list_quotes()])
try:
    store.mark_read("new")
except StoreError as exc:
    print("write refused:", exc)
try:
    store.save_quote(SavedQuote(kind="quote", text="not kept", article_id="b"))
except StoreError as exc:
    print("save refused:", exc)
"""


def test_a_read_only_data_dir_gives_a_read_only_session(shared_dir: Path) -> None:
    data = shared_dir / "data"
    with StateStore.open(data) as store:
        store.mark_read("old")
        store.save_quote(SavedQuote(kind="quote", text="kept", article_id="a"))
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    (data / STATE_FILENAME).chmod(0o444)
    data.chmod(0o555)
    result = run_child(AS_NOBODY + READ_ONLY_CHILD, str(data))
    assert result.returncode == 0, result.stderr
    assert "read-only" in result.stderr
    out = result.stdout
    assert "read_only True" in out
    assert "read ['old']" in out
    assert "quotes ['kept']" in out
    assert "write refused: read-only" in out
    assert "save refused: read-only" in out
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_an_uncreatable_data_dir_gives_an_empty_read_only_session(shared_dir: Path) -> None:
    shared_dir.chmod(0o555)
    result = run_child(AS_NOBODY + READ_ONLY_CHILD, str(shared_dir / "missing" / "data"))
    assert result.returncode == 0, result.stderr
    assert "cannot create the data directory" in result.stderr
    assert "read_only True" in result.stdout and "quotes []" in result.stdout
    assert "write refused: read-only" in result.stdout
    assert not (shared_dir / "missing").exists()


def test_read_only_writes_raise_a_clear_error_in_process(tmp_path: Path) -> None:
    # A newer-schema file is the read-only case that needs no permissions to set up.
    with StateStore.open(tmp_path) as store:
        store.mark_read("a")
    conn = sqlite3.connect(tmp_path / STATE_FILENAME)
    conn.execute("UPDATE schema_version SET version = 1000")
    conn.commit()
    conn.close()
    with StateStore.open(tmp_path) as store:
        with pytest.raises(StoreReadOnlyError, match="read-only"):
            store.toggle_bookmark("a")
        with pytest.raises(StoreReadOnlyError):
            store.save_quote(SavedQuote(kind="quote", text="x", article_id="a"))


# --- nothing deletes user data -----------------------------------------------------------------


def test_no_code_path_deletes_quotes_articles_or_files() -> None:
    """A guard on the source: the only DELETE is the schema-version bookkeeping."""
    sources = [ROOT / "reader" / "store" / "state.py", ROOT / "reader" / "store" / "sqlite.py"]
    sources += [ROOT / "reader" / name for name in ("export.py", "saving.py", "config.py")]
    for path in sources:
        if not path.exists():
            continue
        text = path.read_text()
        for statement in re.findall(r"DELETE\s+FROM\s+(\w+)", text, re.IGNORECASE):
            assert statement == "schema_version", f"{path.name} deletes from {statement}"
        for call in ("unlink(", "os.remove(", "rmtree(", "DROP TABLE"):
            assert call not in text, f"{path.name} uses {call}"
