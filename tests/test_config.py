"""config.toml: values, defaults, and a message naming the key for every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import (
    ENV_CONFIG,
    Config,
    MarkReadPolicy,
    config_path,
    effective_theme,
    load_config,
    parse_config,
)
from reader.store.state import StateStore

GOOD = """
theme = "nord"
mark_read = "after:5"
library = ["~/articles", "/srv/news/*.txt"]

[keymap]
toggle_read = "m,M"
quit = ["q", "ctrl+q"]
"""


def test_a_good_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD)
    config, messages = load_config(path)
    assert messages == []
    assert config.theme == "nord"
    assert config.mark_read == MarkReadPolicy("after", 5.0)
    assert str(config.mark_read) == "after:5"
    assert config.library == (str(Path("~/articles").expanduser()), "/srv/news/*.txt")
    assert config.keymap == {"toggle_read": "m,M", "quit": "q,ctrl+q"}
    assert config.path == path


def test_missing_default_file_is_silent_but_a_missing_explicit_one_is_reported(
    tmp_path: Path,
) -> None:
    config, messages = load_config(environ={ENV_CONFIG: str(tmp_path / "none.toml")})
    assert config == Config(path=tmp_path / "none.toml") and messages == []
    config, messages = load_config(tmp_path / "missing.toml")
    assert config.theme is None
    assert messages == [f"{tmp_path / 'missing.toml'}: no such file; using defaults"]


def test_config_path_precedence(tmp_path: Path) -> None:
    env = {ENV_CONFIG: str(tmp_path / "env.toml")}
    assert config_path(tmp_path / "flag.toml", env) == tmp_path / "flag.toml"
    assert config_path(None, env) == tmp_path / "env.toml"
    assert config_path(None, {}).name == "config.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "mark_read = 7",
            'config.toml: mark_read: expected "open", "manual" or "after:N", got 7; '
            "using the default",
        ),
        (
            'mark_read = "after:soon"',
            'config.toml: mark_read: expected "open", "manual" or "after:N", got "after:soon"; '
            "using the default",
        ),
        ("theme = 3", "config.toml: theme: expected a theme name, got 3; using the default"),
        (
            'library = "" ',
            'config.toml: library: expected a list of paths, got ""; using the default',
        ),
        (
            "keymap = 1",
            "config.toml: keymap: expected a table of binding id = keys, got 1; using the default",
        ),
        (
            "[keymap]\nquit = 5",
            'config.toml: keymap.quit: expected keys like "j,down", got 5; ignored',
        ),
        ("colour = 'red'", "config.toml: colour: unknown setting; ignored"),
    ],
)
def test_each_bad_value_names_its_key(text: str, message: str) -> None:
    config, messages = parse_config(text)
    assert messages == [message]
    assert config.mark_read == MarkReadPolicy("open")
    assert config.keymap == {}


def test_a_bad_value_keeps_the_rest_of_the_file() -> None:
    config, messages = parse_config('theme = "dracula"\nmark_read = true\n')
    assert config.theme == "dracula"
    assert config.mark_read.mode == "open"
    assert len(messages) == 1 and "mark_read" in messages[0] and "got true" in messages[0]


def test_an_unparsable_file_names_the_line_and_uses_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n\nmark_read = "open\n')
    config, messages = load_config(path)
    assert config.theme is None
    [message] = messages
    assert message.startswith(f"{path}: not valid TOML")
    assert "line 3" in message and message.endswith("using defaults")


def test_binary_garbage_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    config, messages = load_config(path)
    assert config.theme is None and "not UTF-8" in messages[0]


def test_a_directory_instead_of_a_file_is_reported(tmp_path: Path) -> None:
    config, messages = load_config(tmp_path)
    assert config.theme is None and "cannot read" in messages[0]


@pytest.mark.parametrize(
    ("value", "policy"),
    [
        ("open", MarkReadPolicy("open")),
        ("MANUAL", MarkReadPolicy("manual")),
        ("after:0", MarkReadPolicy("after", 0)),
        ("after:2.5", MarkReadPolicy("after", 2.5)),
    ],
)
def test_mark_read_forms(value: str, policy: MarkReadPolicy) -> None:
    assert MarkReadPolicy.parse(value) == policy


@pytest.mark.parametrize("value", ["after:-1", "after:", "later", "", None, 3.0])
def test_mark_read_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="expected"):
        MarkReadPolicy.parse(value)


def test_effective_theme_the_latest_choice_wins() -> None:
    # Nothing chosen in the app: the file's theme.
    assert effective_theme("nord", None, None) == ("nord", None)
    # Chosen in the app while the file said "nord": the app's choice.
    assert effective_theme("nord", "dracula", "nord") == ("dracula", None)
    # The file was edited after that choice: the file wins.
    assert effective_theme("gruvbox", "dracula", "nord") == ("gruvbox", None)
    # No theme in the file at all: the app's choice.
    assert effective_theme(None, "dracula", None) == ("dracula", None)
    assert effective_theme(None, None, None) == (None, None)
    theme, message = effective_theme("nosuch", None, None, available={"nord"})
    assert theme is None and message and "nosuch" in message


def test_theme_choice_round_trips_through_the_store(tmp_path: Path) -> None:
    with StateStore.open(tmp_path) as store:
        store.remember_theme("dracula", config_theme="nord")
    with StateStore.open(tmp_path) as store:
        remembered = (store.remembered_theme(), store.remembered_theme_config())
    assert remembered == ("dracula", "nord")
    assert effective_theme("nord", *remembered) == ("dracula", None)


def test_mark_read_delay() -> None:
    assert MarkReadPolicy.parse("open").delay == 0.0
    assert MarkReadPolicy.parse("after:7").delay == 7.0
    assert MarkReadPolicy.parse("manual").delay is None
