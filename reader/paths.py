"""Where the bundled resources (styles, sample articles) live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _resource(name: str) -> Path:
    # In a wheel the top-level folders are copied inside the package; in a checkout
    # (editable install, running the tests) they sit beside it.
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def styles_dir() -> Path:
    """The folder holding the app's `.tcss` files."""
    return _resource("styles")


def samples_dir() -> Path:
    """The bundled `sample_articles/` folder, opened when no path is given."""
    return _resource("sample_articles")
