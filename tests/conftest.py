"""Fixtures shared by the tests of the command line."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest


@pytest.fixture
def console_script() -> Path:
    """The installed `reader` script: the venv's, beside its python (CI runs
    `.venv/bin/python -m pytest` without the venv's bin/ on PATH), else the one on PATH."""
    script = Path(sys.executable).with_name("reader")
    if script.exists():
        return script
    found = shutil.which("reader")
    if found is None:
        pytest.skip("console script not installed")
    return Path(found)
