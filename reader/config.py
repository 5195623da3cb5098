"""User configuration: `config.toml` in the user config dir (pure core, no textual).

Location: `--config FILE`, else the `READER_CONFIG` environment variable, else platformdirs'
user config dir for "reader" (e.g. ~/.config/reader/config.toml). A missing file means defaults.

    # ~/.config/reader/config.toml
    theme = "nord"                    # any Textual theme name
    mark_read = "after:5"             # "open" (default) | "manual" | "after:N" (seconds)
    library = ["~/articles", "~/news/**/*.txt"]   # opened when `reader` gets no PATH

    [keymap]                          # binding id -> keys, passed to App.set_keymap
    "toggle_read" = "m,M"
    "quit" = "q,ctrl+q"

A bad value never stops the program: it yields a message naming the key (for stderr and a
notification) and that setting keeps its default; the rest of the file still applies. A file
that is not valid TOML is reported with its line and ignored as a whole.

The theme: the app remembers the theme last chosen (in the state store, see
`StateStore.remember_theme`), and this file's `theme` is the default. The most recent choice
wins: editing `theme` in the file after choosing in the app takes effect (see
`effective_theme`). We never rewrite the user's file, so their comments and layout are safe.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

ENV_CONFIG = "READER_CONFIG"
CONFIG_FILENAME = "config.toml"

MarkReadMode = Literal["open", "after", "manual"]


@dataclass(frozen=True, slots=True)
class MarkReadPolicy:
    """When opening an article marks it read: at once, after `seconds` on it, or never."""

    mode: MarkReadMode = "open"
    seconds: float = 0.0

    @classmethod
    def parse(cls, value: object) -> MarkReadPolicy:
        """From the config value; raises ValueError with the expected forms."""
        if isinstance(value, str):
            text = value.strip().lower()
            if text in ("open", "manual"):
                return cls(text)  # type: ignore[arg-type]
            if text.startswith("after:"):
                try:
                    seconds = float(text.removeprefix("after:"))
                except ValueError:
                    seconds = -1.0
                if 0 <= seconds <= 86400:
                    return cls("after", seconds)
        raise ValueError(f'expected "open", "manual" or "after:N", got {_show(value)}')

    @property
    def delay(self) -> float | None:
        """Seconds after opening before the article counts as read; None: only `m` marks it."""
        if self.mode == "manual":
            return None
        return self.seconds if self.mode == "after" else 0.0

    def __str__(self) -> str:
        if self.mode == "after":
            return f"after:{self.seconds:g}"
        return self.mode


@dataclass(frozen=True, slots=True)
class Config:
    """The effective configuration (defaults where the file says nothing or something bad)."""

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    mark_read: MarkReadPolicy = field(default_factory=MarkReadPolicy)
    library: tuple[str, ...] = ()
    path: Path | None = None


def config_path(
    override: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """`--config FILE`, else `READER_CONFIG`, else the platform's user config dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ if environ is None else environ
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG]).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("reader", appauthor=False)) / CONFIG_FILENAME


def load_config(
    override: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> tuple[Config, list[str]]:
    """Read the config file. Returns `(config, messages)`; never raises for user mistakes.

    An explicit `--config FILE` that does not exist is reported; a missing default file is not
    (most people never write one).
    """
    path = config_path(override, environ)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if override:
            return Config(path=path), [f"{path}: no such file; using defaults"]
        return Config(path=path), []
    except OSError as exc:
        return Config(path=path), [f"{path}: cannot read ({exc.strerror or exc}); using defaults"]
    return parse_config(raw, path)


def parse_config(raw: bytes | str, path: Path | str = CONFIG_FILENAME) -> tuple[Config, list[str]]:
    """Parse TOML text into a Config, collecting one message per problem."""
    where = Path(path)
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Config(path=where), [f"{path}: not UTF-8 text ({exc.reason}); using defaults"]
    import tomllib  # here, not at the top: most people have no config file, and it costs start-up

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        return Config(path=where), [f"{path}: not valid TOML: {exc}; using defaults"]

    messages: list[str] = []

    def bad(key: str, problem: str) -> None:
        messages.append(f"{path}: {key}: {problem}; using the default")

    theme: str | None = None
    if "theme" in data:
        value = data["theme"]
        if isinstance(value, str) and value.strip():
            theme = value.strip()
        else:
            bad("theme", f"expected a theme name, got {_show(value)}")

    mark_read = MarkReadPolicy()
    if "mark_read" in data:
        try:
            mark_read = MarkReadPolicy.parse(data["mark_read"])
        except ValueError as exc:
            bad("mark_read", str(exc))

    library: tuple[str, ...] = ()
    if "library" in data:
        value = data["library"]
        paths = [value] if isinstance(value, str) else value
        if isinstance(paths, list) and paths and all(isinstance(v, str) and v for v in paths):
            library = tuple(os.path.expanduser(v) for v in paths)
        else:
            bad("library", f"expected a list of paths, got {_show(value)}")

    keymap: dict[str, str] = {}
    if "keymap" in data:
        value = data["keymap"]
        if not isinstance(value, dict):
            bad("keymap", f"expected a table of binding id = keys, got {_show(value)}")
        else:
            for binding_id, keys in value.items():
                if isinstance(keys, list) and keys and all(isinstance(k, str) for k in keys):
                    keys = ",".join(keys)
                if isinstance(keys, str) and keys.strip(" ,"):
                    keymap[binding_id] = ",".join(k.strip() for k in keys.split(",") if k.strip())
                else:
                    messages.append(
                        f'{path}: keymap.{binding_id}: expected keys like "j,down", got '
                        f"{_show(keys)}; ignored"
                    )

    for key in data:
        if key not in ("theme", "mark_read", "library", "keymap"):
            messages.append(f"{path}: {key}: unknown setting; ignored")

    config = Config(theme=theme, keymap=keymap, mark_read=mark_read, library=library, path=where)
    return config, messages


def effective_theme(
    config_theme: str | None,
    remembered: str | None,
    remembered_config_theme: str | None,
    available: Collection[str] | None = None,
) -> tuple[str | None, str | None]:
    """Which theme to start with, and a message if the wanted one does not exist.

    `remembered` is the theme last chosen in the app and `remembered_config_theme` the file's
    `theme` at that moment (both from the state store). If the file's value changed since, the
    user edited it later, so it wins; otherwise the app choice wins. Returns `(theme, message)`;
    `theme` None means the app's built-in default.
    """
    wanted: str | None
    if remembered and (config_theme or None) == (remembered_config_theme or None):
        wanted = remembered
    else:
        wanted = config_theme or remembered
    if wanted and available is not None and wanted not in available:
        return None, f"theme: unknown theme {wanted!r}; using the default"
    return wanted, None


def _show(value: Any) -> str:
    """A config value as the user wrote it, for messages (TOML-ish, short)."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
