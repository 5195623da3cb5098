"""Layer rules: the core never imports textual, only reader/ui does; only reader/store speaks SQL.

Checked twice: statically (every import statement, lazy ones inside functions included, and
every string literal that looks like SQL) and at run time (importing the whole core, and running
the CLI's non-app commands, must leave textual unloaded).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reader"
SQL = re.compile(
    r"\b(?:SELECT\b.+\bFROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|CREATE\s+(?:TABLE|INDEX|VIRTUAL|TRIGGER)"
    r"|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA\s+\w+)\b",
    re.DOTALL,  # upper-case keywords: SQL as code writes it, not prose ("select a file")
)


@pytest.fixture(autouse=True)
def isolated_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the developer's real data folder (subprocesses inherit this)."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("READER_CONFIG", raising=False)


def imported_modules(source: str) -> set[str]:
    """Every module an `import` or `from ... import` names, at any depth of the code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def sql_literals(source: str) -> list[str]:
    """String literals that read like SQL statements."""
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)
    ]


def layer_violations(relative: str, source: str) -> list[str]:
    """What is wrong with one module (path relative to the package, with `/`)."""
    problems = []
    modules = imported_modules(source)
    in_ui = relative.startswith("ui/")
    in_store = relative.startswith("store/")
    for name in sorted(modules):
        top = name.split(".")[0]
        if top == "textual" and not in_ui:
            problems.append(f"{relative} imports {name} (only reader/ui may)")
        if top == "sqlite3" and not in_store:
            problems.append(f"{relative} imports sqlite3 (only reader/store may)")
        if name.startswith("reader.ui") and not in_ui and relative != "cli.py":
            problems.append(f"{relative} imports {name} (the core must not depend on the UI)")
    if not in_store:
        problems.extend(f"{relative} contains SQL: {s[:40]!r}" for s in sql_literals(source))
    return problems


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_checker_catches_violations() -> None:
    # A layer test that cannot fail is worthless: prove each rule fires.
    assert layer_violations("model.py", "def f():\n    from textual.app import App\n")
    assert layer_violations("library.py", "import sqlite3\n")
    assert layer_violations("render.py", "import reader.ui.app\n")
    assert layer_violations("formats/x.py", "Q = 'SELECT id FROM articles WHERE x = ?'\n")
    assert layer_violations("ui/app.py", "import sqlite3\n")
    assert not layer_violations("ui/app.py", "from textual.app import App\n")
    assert not layer_violations("store/state.py", "import sqlite3\nQ = 'DELETE FROM quotes'\n")
    assert not layer_violations("cli.py", "from reader.ui.app import run_app\n")
    assert not layer_violations("render.py", "x = 'Please select a file from the list'\n")


def test_the_package_has_modules_to_check() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in package_modules()}
    assert {"model.py", "cli.py", "library.py", "sanitize.py"} <= names


@pytest.mark.parametrize(
    "path", package_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix()
)
def test_module_respects_the_layers(path: Path) -> None:
    relative = path.relative_to(PACKAGE).as_posix()
    assert layer_violations(relative, path.read_text(encoding="utf-8")) == []


def test_importing_the_whole_core_does_not_load_textual() -> None:
    code = (
        "import importlib, pkgutil, sys, reader\n"
        "for m in pkgutil.walk_packages(reader.__path__, 'reader.'):\n"
        "    if m.name.startswith('reader.ui') or m.name == 'reader.__main__':\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.'))\n"
        "print(len([n for n in sys.modules if n.startswith('reader.')]), bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert int(result.stdout.split()[0]) >= 8  # it really imported the core


def test_cli_commands_other_than_the_app_do_not_load_textual() -> None:
    code = (
        "import contextlib, io, sys\n"
        "from reader.cli import main\n"
        "with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):\n"
        "    main(['list'])\n"
        "sys.exit(1 if 'textual' in sys.modules else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 0, result.stderr


def test_no_grab_bag_module_names() -> None:
    # House style: modules are named for what they hold, never utils/helpers/manager.
    vague = {"utils", "util", "helpers", "helper", "misc", "common"}
    offenders = [
        p.relative_to(PACKAGE).as_posix() for p in package_modules()
        if p.stem in vague or "manager" in p.stem
    ]
    assert offenders == []
