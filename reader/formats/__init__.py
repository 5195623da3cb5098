"""Input formats. Each module turns one kind of file into `Article`s of the same model.

A format module exposes one function::

    def parse(data: str, source: str) -> list[Article]: ...

`data` is the decoded text of the whole file (see `reader.decode`), `source` the display name of
the file. The module does its own sanitising (via `reader.sanitize`) and may return several
articles (a feed, a JSON Lines dataset) or none.

Adding a format is one line in `FORMATS` below, for example::

    FormatSpec("markdown", "reader.formats.markdown", (".md", ".markdown"), r"\\A---\\n"),

Modules are imported lazily, the first time a file of that kind is loaded, so a heavy
dependency (an HTML parser, feedparser) costs nothing at start-up. The order of `FORMATS`
matters only for sniffing files whose extension is unknown: the first spec whose `sniff`
pattern matches the start of the text wins, and `FALLBACK` (scraped text) takes the rest.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from reader.decode import DecodeError, decode_bytes_utf8
from reader.model import Article
from reader.sanitize import strip_controls

# Files above this size are refused rather than parsed: nothing a person reads is this big, and
# a stray database dump or video in a library folder must not stall loading.
MAX_FILE_BYTES = 50 * 1024 * 1024

# How much of the text sniff patterns see.
_SNIFF_CHARS = 4096


@dataclass(frozen=True)
class FormatSpec:
    """One input format: its module, the extensions it owns, and an optional content sniff."""

    name: str
    module: str
    extensions: tuple[str, ...]
    sniff: str | None = None  # a regex matched (re.match, case-insensitive) against the text start
    # The module's `parse` also takes `utf8`, `reader.sanitize.utf8_unusual(data)` when the
    # loader has it (a file's own bytes), so that it need not encode the text again.
    takes_utf8: bool = False
    _pattern: re.Pattern[str] | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.sniff is not None:
            object.__setattr__(self, "_pattern", re.compile(self.sniff, re.IGNORECASE))

    def matches(self, head: str) -> bool:
        """True if `head` (the first few KB of a file's text) looks like this format."""
        return self._pattern is not None and self._pattern.match(head) is not None

    def parser(self) -> Callable[[str, str], list[Article]]:
        """The module's `parse(data, source)` function, importing the module on first use."""
        # (Kept once found: `import_module` costs more than a dict lookup, on every file.)
        parse = _PARSE_FUNCTIONS.get(self.module)
        if parse is None:
            module: ModuleType = importlib.import_module(self.module)
            parse = _PARSE_FUNCTIONS[self.module] = module.parse
        return parse


# Module name -> its `parse` function, for `FormatSpec.parser` (one entry per format used).
_PARSE_FUNCTIONS: dict[str, Callable[[str, str], list[Article]]] = {}


# The registry. One line per format; see the module docstring.
FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec("scraped", "reader.formats.scraped", (".txt", ".text"), takes_utf8=True),
    FormatSpec(
        "markdown", "reader.formats.markdown", (".md", ".markdown"), r"(?:---|\+\+\+)[ \t]*\n"
    ),
    FormatSpec(
        "html",
        "reader.formats.html",
        (".html", ".htm", ".xhtml"),
        r"(?s)\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
    ),
    FormatSpec(
        "feed",
        "reader.formats.feed",
        (".rss", ".atom", ".xml", ".rdf"),
        r"(?s)\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?xml-stylesheet[^>]*>\s*)*"
        r"<(?:rss|feed|rdf:rdf)[\s>]",
    ),
    FormatSpec(
        "json", "reader.formats.jsonl", (".json", ".jsonl", ".ndjson"), r'\s*(?:\{\s*"|\[\s*\{)'
    ),
)

# What a file of unknown type that is text (and matches no sniff) is read as.
FALLBACK = FORMATS[0]


class LoadError(Exception):
    """A file (or path, or pattern) that could not be loaded, with a one-line reason.

    `str()` is `"PATH: reason"`, ready for `reader: PATH: reason` on stderr or a problems view.
    The path is shown with control characters removed: file names are data too.
    """

    def __init__(
        self, path: str | Path, reason: str, articles: list[Article] | None = None
    ) -> None:
        self.path = str(path)
        self.reason = reason
        #: Articles the file did yield despite the problem (a dataset with a few bad lines).
        self.articles: list[Article] = list(articles or [])
        super().__init__(f"{display_path(self.path)}: {reason}")


class PartialLoad(ValueError):
    """Raised by a format's `parse` that kept some articles but had to skip parts of the file.

    `load_file` turns it into a `LoadError` carrying `articles`: the problem is reported and the
    good articles are still shown.
    """

    def __init__(self, articles: list[Article], reason: str) -> None:
        super().__init__(reason)
        self.articles = articles
        self.reason = reason


def display_path(path: str | Path) -> str:
    """A path made safe to print: undecodable bytes replaced, control characters removed."""
    text = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = text.replace("\n", " ").replace("\t", " ").replace("\r", " ")
    return strip_controls(text)


def known_extensions() -> frozenset[str]:
    """Every extension some format claims (lower case, with the dot)."""
    return frozenset(ext for spec in FORMATS for ext in spec.extensions)


def format_for(path: Path, text: str) -> FormatSpec:
    """Choose the format for a file: by extension first, then by sniffing its text."""
    return _format_for_suffix(path.suffix, text)


def _format_for_suffix(suffix: str, text: str) -> FormatSpec:
    """`format_for` a path with this `suffix`."""
    suffix = suffix.lower()
    for spec in FORMATS:
        if suffix in spec.extensions:
            return spec
    head = text[:_SNIFF_CHARS].lstrip("\ufeff")
    for spec in FORMATS:
        if spec.matches(head):
            return spec
    return FALLBACK


def _too_large(path: Path, size: int) -> LoadError:
    mb = size / (1024 * 1024)
    return LoadError(path, f"file too large ({mb:.0f} MB, limit {MAX_FILE_BYTES >> 20} MB)")


# Why a device, pipe or socket named as an article is refused.
NOT_REGULAR = "not a regular file (a device, pipe or socket)"


def read_text(path: Path) -> str:
    """Read and decode one file, raising LoadError with a reason a user understands."""
    return _read_text_utf8(path)[0]


def _read_text_utf8(path: Path) -> tuple[str, tuple[bytes, str] | None]:
    """`read_text(path)`, with the text's `utf8_unusual` when decoding has it (see `_parse`)."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise LoadError(path, "is a directory")
        if not stat.S_ISREG(st.st_mode):
            # /dev/zero never ends and a FIFO blocks until a writer comes: refuse, never hang.
            raise LoadError(path, NOT_REGULAR)
        if st.st_size > MAX_FILE_BYTES:
            raise _too_large(path, st.st_size)
        with path.open("rb") as handle:
            # Bounded even if the file grows after the size check.
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise _too_large(path, len(data))
    except FileNotFoundError:
        raise LoadError(path, "no such file") from None
    except IsADirectoryError:
        raise LoadError(path, "is a directory") from None
    except PermissionError:
        raise LoadError(path, "permission denied") from None
    except OSError as exc:
        raise LoadError(path, exc.strerror or type(exc).__name__) from None
    try:
        return decode_bytes_utf8(data)
    except DecodeError as exc:
        raise LoadError(path, exc.reason) from None


def load_file(path: Path, source: str | None = None) -> list[Article]:
    """Load every article in one file. Raises LoadError (never anything else for bad input).

    `source` is the name recorded in the articles (default: the path as given, made printable).
    """
    text, utf8 = _read_text_utf8(path)
    return _parse(path.suffix, text, display_path(path) if source is None else source, path, utf8)


def load_bytes(data: bytes, source: str, suffix: str = "") -> list[Article]:
    """Load articles from bytes that are not a file on disk (standard input, an archive member).

    The format comes from `suffix` (such as ".md") if given, else from sniffing the text.
    Raises LoadError naming `source`, like `load_file`.
    """
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(Path(source), len(data))
    try:
        text, utf8 = decode_bytes_utf8(data)
    except DecodeError as exc:
        raise LoadError(source, exc.reason) from None
    return _parse(_stream_suffix(suffix), text, source, source, utf8)


def _stream_suffix(suffix: str) -> str:
    """`Path(f"stream{suffix}").suffix`, without making a Path (a third of what choosing the
    format cost)."""
    if "/" in suffix or "\\" in suffix or ":" in suffix:
        return Path(f"stream{suffix}").suffix
    dot = suffix.rfind(".")  # ("stream" has none)
    return suffix[dot:] if 0 <= dot < len(suffix) - 1 else ""


def _parse(
    suffix: str,
    text: str,
    source: str,
    where: str | Path,
    utf8: tuple[bytes, str] | None = None,
) -> list[Article]:
    """Parse decoded text with the format a file's `suffix` and the text call for; errors name
    `where`.

    `utf8`: `utf8_unusual(text)`, if known, for a format that `takes_utf8`."""
    spec = _format_for_suffix(suffix, text)
    try:
        if utf8 is not None and spec.takes_utf8:
            return spec.parser()(text, source, utf8)  # type: ignore[call-arg]
        return spec.parser()(text, source)
    except PartialLoad as exc:
        raise LoadError(where, exc.reason, exc.articles) from None
    except RecursionError:
        raise LoadError(where, f"too deeply nested to parse as {spec.name}") from None
    except (ValueError, UnicodeError) as exc:
        # Format modules raise ValueError for input they cannot make sense of.
        reason = display_path(str(exc)) or type(exc).__name__
        raise LoadError(where, f"not valid {spec.name}: {reason}") from None
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop a whole library
        raise LoadError(where, f"{spec.name} parser failed ({type(exc).__name__})") from exc


@functools.cache
def parser_fingerprint() -> str:
    """A digest of the code that turns files into articles (formats, quotes, sanitising, model).

    Caches of parsed articles record it: after an upgrade that changes the parser, their
    entries are stale and every file is read again, so nobody keeps old parses for ever.
    """
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    sources = sorted((root / "formats").glob("*.py")) + [
        root / name for name in ("quotes.py", "sanitize.py", "model.py", "decode.py")
    ]
    for source in sources:
        try:
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
        except OSError:  # a frozen or zipped install: fall back to the version alone
            from reader import __version__

            return f"v{__version__}"
    return digest.hexdigest()[:16]
