"""Where the user's state lives: the one function that decides the data directory.

Precedence: an explicit `--data-dir DIR`, then the `READER_DATA_DIR` environment variable,
then platformdirs' per-user data dir for "reader" (e.g. ~/.local/share/reader on Linux).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV_DATA_DIR = "READER_DATA_DIR"
STATE_FILENAME = "state.sqlite3"


def data_dir(
    override: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The data directory to use (not created here: opening the store does that)."""
    if override:
        return Path(override).expanduser()
    env = os.environ if environ is None else environ
    if env.get(ENV_DATA_DIR):
        return Path(env[ENV_DATA_DIR]).expanduser()
    # Imported here so importing the store costs nothing until a path is needed.
    from platformdirs import user_data_dir

    return Path(user_data_dir("reader", appauthor=False))


def state_path(
    override: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The state file, `state.sqlite3` inside `data_dir(...)`."""
    return data_dir(override, environ) / STATE_FILENAME
