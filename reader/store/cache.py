"""The parsed-article cache: `library.sqlite3` in the data dir, beside `state.sqlite3`.

What it holds is derived from the user's files and can always be rebuilt, so unlike the state
store it has no migrations: a file with another schema version, or one SQLite cannot read, is
deleted and created afresh (`ArticleCache.open` reports that in `rebuilt`).

Per file: path (absolute), size, mtime and the SHA-256 of its bytes, so a relaunch re-parses only
files that changed, and a touched-but-identical file only gets its mtime updated. Per article:
`Article.to_dict()`, marshalled and zstd-compressed (the only copy of the text), summary columns for
listing 100,000 rows in one indexed query, a contentless FTS5 index over title, body, tweets,
captions and quotes (bm25-ranked, title weighted highest; snippets are cut from the decompressed
article, so FTS5 keeps no second copy of the text), a small one of the titles alone (what a query
matching too many articles to rank falls back to), and the tweets / quotes tables behind the
library-wide views.

Threads: one `ArticleCache` (one connection) per thread. The indexer's worker opens its own;
WAL lets the UI read while it writes.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import marshal
import os
import re
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

from reader.formats import parser_fingerprint
from reader.model import Article, ArticleSummary, PhotoCaption, Tweet, parse_iso_date
from reader.query import (
    Query,
    first_match,
    fold,
    make_snippet,
    match_spans,
    parse_query,
    snippet_at,
)
from reader.store.sqlite import connect, transaction

if sys.version_info >= (3, 14):
    from compression import zstd
else:  # the same module, from PyPI
    from backports import zstd

CACHE_FILE = "library.sqlite3"
# Bump when the schema or what is stored changes: older files are simply rebuilt.
CACHE_VERSION = 7
# marshal's format 4 (Python 3.4+); the cache meta records the Python version too.
_MARSHAL_VERSION = 4
# The version before the titles index: opened by adding that index, not rebuilt.
_TITLELESS_VERSION = 5
PAGE_SIZE = 16384

Order = Literal["date", "title", "source"]

# Words (or phrases) of a query that are used; the rest of a very long query is ignored.
MAX_QUERY_GROUPS = 32
MAX_WORD = 100

# Above this many matches, search ranks title matches only, and above this many title matches
# it ranks nothing (see ArticleCache._ranked). bm25 costs about 2 microseconds a match (it reads
# each row's size from the index; more for a prefix or several words), so ranking 2,000 takes
# about 4 ms and leaves room in a 20 ms search for the snippets (~8 ms for 100 rows at 100k).
RANK_ALL_MAX = 2_000

# bm25 column weights: title, body, tweets, captions, quotes.
_WEIGHTS = (10.0, 1.0, 3.0, 2.0, 2.0)
_COLUMNS = ("title", "body", "tweets", "captions", "quotes")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,
    articles INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    date TEXT,
    date_key INTEGER NOT NULL,
    tweets INTEGER NOT NULL,
    captions INTEGER NOT NULL,
    quotes INTEGER NOT NULL,
    words INTEGER NOT NULL,
    data BLOB NOT NULL  -- zstd(marshal(Article.to_dict())), see _pack
);
CREATE INDEX articles_path ON articles(path, position);
CREATE INDEX articles_id ON articles(id);
-- Covering the list columns: the default list order (and its pages) is read from the index
-- alone, never from the table rows that carry the article JSON.
CREATE INDEX articles_by_date ON articles(
    date_key, title_key, source, id, title, date, tweets, captions, quotes, words, path
);
CREATE INDEX articles_by_title ON articles(title_key, source);
CREATE TABLE tweets (
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    block INTEGER NOT NULL,
    handle_key TEXT NOT NULL,
    handle TEXT NOT NULL,
    author TEXT NOT NULL,
    date TEXT,
    text TEXT NOT NULL,
    tweet_key TEXT NOT NULL,
    article_id TEXT NOT NULL  -- copied from articles.id: the account views need no join
);
CREATE INDEX tweets_handle ON tweets(handle_key, date, handle, author, article_id);
CREATE INDEX tweets_key ON tweets(tweet_key, article_id);
CREATE INDEX tweets_article ON tweets(article);
CREATE TABLE quotes (
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    block INTEGER NOT NULL,
    speaker TEXT NOT NULL,
    speaker_key TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX quotes_speaker ON quotes(speaker_key, speaker);
CREATE INDEX quotes_article ON quotes(article);
"""

# Contentless (content=''): the index only, no copy of the text; bm25 needs no more. Snippets are
# cut from the article itself, and a delete passes the old text, rebuilt from it (SQLite 3.40 has
# no contentless_delete). A prefix index for 2 letters only: it makes the slowest case (two
# letters typed) fast at a quarter of the size and time a '2 3' index cost; longer prefixes
# are cheap without one. The fallback keeps only folded words for LIKE, where SQLite was built
# without FTS5.
_FTS_TABLE = (
    "CREATE VIRTUAL TABLE search_text USING fts5("
    "title, body, tweets, captions, quotes, content = '', "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2')"
)
# The titles alone, indexed again: what search falls back to when a query matches too many
# articles to rank (see ArticleCache._ranked). Titles are short, so this index is small (about
# 15 MB for 100,000 articles, 2% of the cache) and answers any prefix, one letter included, in
# a millisecond, where the full index merges the doclists of every word of that prefix.
_TITLES_TABLE = (
    "CREATE VIRTUAL TABLE search_titles USING fts5("
    "title, content = '', tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
)
_LIKE_TABLE = (
    "CREATE TABLE search_text (rowid INTEGER PRIMARY KEY, "
    "f_title TEXT, f_body TEXT, f_tweets TEXT, f_captions TEXT, f_quotes TEXT)"
)


class CachedFile(NamedTuple):
    """What the cache knows of a file: enough to tell whether it changed, how many articles it
    gave, and the problem it had (a one-line reason, re-reported without re-reading it)."""

    size: int
    mtime_ns: int
    hash: str
    articles: int = 0
    error: str | None = None


class SearchHit(NamedTuple):
    """One search result. `score` is higher for better matches; `snippet` is plain one-line text
    (highlight it with `reader.query.match_spans(snippet, query)`)."""

    article_id: str
    score: float
    snippet: str


@dataclass(frozen=True, slots=True)
class LibraryTweet:
    """A tweet in the library with the article it sits in (`block` indexes its blocks)."""

    article_id: str
    article_title: str
    source: str
    block: int
    text: str
    author: str
    handle: str
    date: _dt.date | None
    key: str


@dataclass(frozen=True, slots=True)
class Account:
    """A tweeting account and how much of it the library holds."""

    handle: str
    author: str
    tweets: int
    articles: int


@dataclass(frozen=True, slots=True)
class LibraryQuote:
    """A quote somewhere in the library (`position` indexes `Article.quotes`)."""

    article_id: str
    article_title: str
    source: str
    position: int
    block: int
    text: str
    speaker: str


@dataclass(frozen=True, slots=True)
class SharedTweet:
    """A tweet (same account, date and text) embedded in more than one article."""

    key: str
    handle: str
    author: str
    date: _dt.date | None
    text: str
    article_ids: tuple[str, ...]


def fts5_available() -> bool:
    """Whether this SQLite build has FTS5."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


_URL = re.compile(r"(?:https?://|pic\.twitter\.com/)\S+")
_WORDS = re.compile(r"[^\W_]+")


def tweet_key(handle: str, date: str | None, text: str) -> str:
    """Identity of a tweet across articles: account, date (ISO, as `Tweet.to_dict` has it) and
    its words (links left out, since the same embed can be scraped with or without its t.co
    links)."""
    if "http" in text or "pic.twitter.com/" in text:  # (a substring test is cheaper than a search)
        text = _URL.sub(" ", text)
    # White space collapsed: `" ".join(split())`, the same as `re.sub(r"\s+", " ").strip()` (the
    # same white space: both ask `str.isspace`), at a fifth of the cost.
    words = " ".join(text.split()).casefold()
    raw = f"{handle.casefold()}\x1f{date or ''}\x1f{words}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def speaker_key(speaker: str) -> str:
    """Speakers match case- and space-insensitively ("The Mayor" == "the  mayor")."""
    return " ".join(speaker.split()).casefold()


def _is_damaged(exc: sqlite3.DatabaseError) -> bool:
    """Errors that mean the file itself is bad (and not that it is busy or read-only)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and any(
        word in text
        for word in ("not a database", "malformed", "corrupt", "no such module", "no such table")
    )


def _handle_key(handle: str, author: str) -> str:
    # Widgets flattened without a handle ("Twitter: Name - text") group by display name.
    return handle.casefold() if handle else "name:" + author.casefold()


def _date_key(date: _dt.date | None) -> int:
    # Newest first, undated last: one integer column an index can serve (see list_order_key).
    return -date.toordinal() if date else 1


# What `store` inserts for one article, as plain tuples (cheap to pickle from a worker):
# (article row, search columns, tweet rows, quote rows).
PreparedArticle = tuple[
    tuple[object, ...], tuple[str, ...], list[tuple[object, ...]], list[tuple[object, ...]]
]


def prepare_article(article: Article) -> PreparedArticle:
    """Everything the cache stores for `article`, computed without a connection.

    Pure and picklable, so the indexer's worker processes do this work and the one writing
    connection only inserts rows.
    """
    data = article.to_dict()
    # Packed before anything else holds a string of `data`: marshal marks an object with more
    # than one reference as one it may refer back to, which would change the blob's bytes. The
    # rows then take the ISO dates from `data` instead of formatting them again (`isoformat` is
    # 2,300 instructions, and ran three times per tweet).
    blob = _pack(data)
    # One pass over the blocks for the columns of `search_columns(data)` (which it must equal:
    # tests/store/test_cache.py checks; it reads the dict, which costs more), the tweet rows and
    # the captions.
    blocks = article.blocks
    body: list[str] = []
    tweets: list[str] = []
    captions: list[str] = []
    tweet_rows: list[tuple[object, ...]] = []
    for index, block in enumerate(blocks):
        if isinstance(block, Tweet):
            text, author, handle = block.text, block.author, block.handle
            date = data["blocks"][index]["date"]
            tweets.append(_tweet_entry(text, author, handle))
            tweet_rows.append(
                (
                    index,
                    _handle_key(handle, author),
                    handle,
                    author,
                    date,
                    text,
                    tweet_key(handle, date, text),
                )
            )
        elif isinstance(block, PhotoCaption):
            captions.append(_caption_entry(block.text, block.credit))
        else:
            body.append(block.text)
    quotes = article.quotes
    # The counts of `article.summary()`, without its per-block regex for the word count.
    row = (
        article.id,
        article.source,
        article.title,
        article.title.casefold(),
        data["date"],
        _date_key(article.date),
        len(tweet_rows),
        len(captions),
        len(quotes),
        word_count([block.text for block in blocks]),
        blob,
    )
    quote_rows: list[tuple[object, ...]] = [
        (n, q.block, q.speaker, speaker_key(q.speaker), q.text)
        for n, q in enumerate(quotes)
        if q.speaker
    ]
    columns = (
        article.title,
        "\n".join(body),
        "\n".join(tweets),
        "\n".join(captions),
        "\n".join(_quote_entry(q.text, q.speaker) for q in quotes),
    )
    return row, columns, tweet_rows, quote_rows


def search_columns(data: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """The five indexed texts (title, body, tweets, captions, quotes) of an article's
    `to_dict()`: what deletes from the index (a contentless FTS5 table must be given exactly the
    text it indexed) and cuts snippets. `prepare_article` builds the same from the `Article`."""
    body: list[str] = []
    tweets: list[str] = []
    captions: list[str] = []
    for block in data["blocks"]:
        kind = block["kind"]
        if kind == "tweet":
            tweets.append(_tweet_entry(block["text"], block["author"], block["handle"]))
        elif kind == "photo_caption":
            captions.append(_caption_entry(block["text"], block["credit"]))
        else:
            body.append(block["text"])
    quotes = "\n".join(_quote_entry(q["text"], q["speaker"]) for q in data["quotes"])
    return (data["title"], "\n".join(body), "\n".join(tweets), "\n".join(captions), quotes)


# One tweet, caption or quote in its column (shared by `search_columns` and `prepare_article`).
def _tweet_entry(text: str, author: str, handle: str) -> str:
    return f"{text}\n{author} @{handle}"


def _caption_entry(text: str, credit: str) -> str:
    return f"{text}\n{credit}"


def _quote_entry(text: str, speaker: str | None) -> str:
    return f"{text}\n{speaker or ''}"


_WORD_RUN = re.compile(r"\w+")
# Word counting on UTF-8 bytes: each byte becomes "a" (part of a word) or " " (not), and the
# words are the " a" boundaries. ASCII bytes by `\w`; the bytes of other characters all one way
# or the other, chosen per text (see `word_count`).
_ASCII = bytes(range(128))
_ASCII_MARKS = bytes(ord("a") if re.match(r"\w", chr(c)) else ord(" ") for c in range(128))
_NON_WORD_MARKS = _ASCII_MARKS + b" " * 128
_WORD_MARKS = _ASCII_MARKS + b"a" * 128


def word_count(texts: Sequence[str]) -> int:
    r"""`Article.words` for these block texts: the number of `\w+` runs, counted without making
    a string per word (four times faster than the regex; same answer). A text whose non-ASCII
    characters are some word characters and some not (`café —`) takes the regex."""
    text = "\n".join(texts)
    raw = text.encode("utf-8", "surrogatepass")
    marks = _NON_WORD_MARKS
    if not text.isascii():
        others = set(raw.translate(None, _ASCII).decode("utf-8", "surrogatepass"))
        words = sum(1 for c in others if _WORD_RUN.match(c))
        if words == len(others):
            marks = _WORD_MARKS
        elif words:
            return len(_WORD_RUN.findall(text))
    flags = raw.translate(marks)
    return flags.count(b" a") + flags.startswith(b"a")


def _pack(data: dict[str, Any]) -> bytes:
    # marshal, not JSON: the dict holds only str, int, bool, None, lists and dicts, and marshal
    # writes it five times faster and reads it a third faster (a cold index of 10,000 files
    # spent 0.4 s of CPU in json.dumps). zstd level 1, not zlib: blobs of the same size (1.83 KB
    # for a 3.9 KB article) in 21 us instead of 68, which was a sixth of the indexing workers'
    # CPU. The frame's checksum means `_unpack` only ever sees bytes `_pack` wrote.
    return _COMPRESSOR.compress(
        marshal.dumps(data, _MARSHAL_VERSION), zstd.ZstdCompressor.FLUSH_FRAME
    )


def _unpack(blob: bytes) -> dict[str, Any]:
    data: dict[str, Any] = marshal.loads(zstd.decompress(blob))
    return data


# One compressor, reused: a new one for each blob costs half as much again as the compression.
# It is thread-safe (it holds a lock), and each blob is a whole frame of its own.
_COMPRESSOR = zstd.ZstdCompressor(
    options={
        zstd.CompressionParameter.compression_level: 1,
        zstd.CompressionParameter.checksum_flag: 1,
    }
)


_FALLBACK: list[Path] = []


def _fallback_dir() -> Path:
    """A private temporary folder for caches whose data dir cannot be written."""
    if not _FALLBACK:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="reader-cache-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _FALLBACK.append(folder)
    return _FALLBACK[0]


class ArticleCache:
    """The parsed-article cache. Open with `ArticleCache.open(data_dir)` or `ArticleCache(path)`.

    `fts=None` uses FTS5 when SQLite has it; `fts=False` forces the LIKE fallback (tests). A
    file built in the other mode is rebuilt.
    """

    def __init__(self, path: Path | str, *, fts: bool | None = None) -> None:
        self.path = Path(path)
        self.fts = fts5_available() if fts is None else fts
        #: True when an unreadable, corrupt or outdated file was replaced by a fresh one.
        self.rebuilt = False
        #: Sentences for the user about what happened while opening (empty when all is well).
        self.messages: list[str] = []
        self._coverage: tuple[object, bool] | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self.conn = self._open()
            except sqlite3.DatabaseError as exc:
                if not _is_damaged(exc):
                    raise  # locked, read-only...: never delete a file another process may use
                # Corrupt, foreign, or built with an FTS5 this SQLite lacks: it is only a cache.
                self._delete_files()
                self.rebuilt = True
                self.conn = self._open()
        except (OSError, sqlite3.Error) as exc:
            # A read-only or full data dir: index into a temporary file instead. A file, not
            # ":memory:", so that the app's other threads (each with its own connection) see
            # the same cache; memory only when even the temporary folder is unusable.
            self.messages.append(
                f"cannot use the article cache {self.path} ({exc}); using a temporary one"
            )
            self.conn = self._open_fallback()
        if self.rebuilt:
            self.messages.append(f"the article cache {self.path} was unreadable and was rebuilt")

    def _open_fallback(self) -> sqlite3.Connection:
        # One temporary file per wanted path and process: the app's threads share it, other
        # processes and other data dirs do not. Removed at exit (it is only a cache).
        key = hashlib.sha1(str(self.path).encode("utf-8", "surrogatepass")).hexdigest()[:12]
        try:
            self.path = _fallback_dir() / key / CACHE_FILE
            self.path.parent.mkdir(exist_ok=True)
            return self._open()
        except (OSError, sqlite3.Error):
            self.path = Path(":memory:")
            return self._open()

    @classmethod
    def open(cls, data_dir: Path | str, *, fts: bool | None = None) -> ArticleCache:
        """The cache file in the user's data dir (the directory is created if needed)."""
        return cls(Path(data_dir) / CACHE_FILE, fts=fts)

    def _open(self) -> sqlite3.Connection:
        if str(self.path) != ":memory:" and not self.path.exists():
            # Pages bigger than the 4 KB default before the file has any: an article row
            # (about 2 KB compressed) left half of a 4 KB page empty, a third of the table.
            # The size must be set before WAL is, and cannot change after.
            try:
                fresh = sqlite3.connect(self.path)
                fresh.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                # FTS5 merges free pages as it goes; `release_space` hands them back.
                fresh.execute("PRAGMA auto_vacuum = INCREMENTAL")
                fresh.execute("PRAGMA journal_mode = WAL")
                fresh.close()
            except sqlite3.OperationalError:
                pass  # another process created it first: its page size stands
        conn = connect(self.path)
        # In memory: before the first table. On a file made by an older version: used by
        # `_adopt_layout` when the file is rebuilt.
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        # Everything here can be rebuilt from the user's files, so trade durability against a
        # power cut for speed (an application crash still cannot corrupt it in WAL mode).
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -16000")
        # Foreign keys are not enforced here: each article, tweet and quote insert looked up its
        # parent row (1.1% of a cold index's writing), and the rows are only ever written by
        # `store_many`, parents first. `_forget` deletes the children the cascade did.
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            mode = "fts5" if self.fts else "like"
            # Blobs are marshalled: another Python may write another format, so a cache made
            # by another Python version is rebuilt like one from other parser code.
            parser = f"{parser_fingerprint()} py{sys.version_info[0]}.{sys.version_info[1]}"
            with transaction(conn):
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                found: dict[str, str] = {}
                if version in (CACHE_VERSION, _TITLELESS_VERSION):
                    found = dict(conn.execute("SELECT key, value FROM meta"))
                if (
                    version == _TITLELESS_VERSION
                    and found.get("search") == mode == "fts5"
                    and found.get("parser") == parser
                ):
                    # Version 5 lacked only the titles index: built from the stored titles
                    # (a second or two for 100,000 articles) instead of re-reading every file.
                    conn.execute(_TITLES_TABLE)
                    conn.execute(
                        "INSERT INTO search_titles (rowid, title) SELECT rowid, title FROM articles"
                    )
                    conn.execute(f"PRAGMA user_version = {CACHE_VERSION}")
                    version = CACHE_VERSION
                if version != CACHE_VERSION or found.get("search") != mode:
                    if version != 0:
                        self.rebuilt = True
                if (
                    version != CACHE_VERSION
                    or found.get("search") != mode
                    or found.get("parser") != parser
                ):
                    # Articles parsed by other parser code are stale: start afresh (quietly
                    # when only the parser changed; the next index reads every file again).
                    self._drop_all(conn)
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(_FTS_TABLE if self.fts else _LIKE_TABLE)
                    if self.fts:
                        conn.execute(_TITLES_TABLE)
                        # FTS5 writes a new segment (and merges) each time its pending terms
                        # pass `hashsize` (1 MB by default): 8 MB makes a cold index write far
                        # fewer, a third less work for the index. A setting kept in the file.
                        conn.execute(
                            "INSERT INTO search_text (search_text, rank) VALUES ('hashsize', ?)",
                            (8 << 20,),
                        )
                        # Every commit (twice a second while indexing) writes a segment; by
                        # default FTS5 merges them 4 at a time, rewriting the index again and
                        # again. 16 at a time: a cold index of 10,000 files cost the writer
                        # about 0.4 s less CPU (of 1.8), and searching the extra segments
                        # measured no slower.
                        conn.execute(
                            "INSERT INTO search_text (search_text, rank) VALUES ('automerge', 16)"
                        )
                    conn.execute("INSERT INTO meta VALUES ('search', ?)", (mode,))
                    conn.execute("INSERT INTO meta VALUES ('parser', ?)", (parser,))
                    conn.execute(f"PRAGMA user_version = {CACHE_VERSION}")
            if self.rebuilt:
                self._adopt_layout(conn)
            return conn
        except BaseException:
            conn.close()
            raise

    @staticmethod
    def _adopt_layout(conn: sqlite3.Connection) -> None:
        """Give a file rebuilt from an older version the current page size and auto-vacuum.

        Both only change through a VACUUM outside WAL mode; the file is empty now, so that is
        quick. Another connection (an older reader still running) makes it fail: the file
        then keeps its old layout, which works, only larger.
        """
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        auto_vacuum = conn.execute("PRAGMA auto_vacuum").fetchone()[0]
        if (page_size, auto_vacuum) == (PAGE_SIZE, 2):
            return
        try:
            if conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0].lower() != "delete":
                return
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            conn.execute("VACUUM")
        except sqlite3.OperationalError:
            pass
        finally:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # stays in rollback mode this run: correct, only less concurrent

    @staticmethod
    def _drop_all(conn: sqlite3.Connection) -> None:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        # A virtual table drops its own shadow tables (search_text_data...): leave those out.
        virtual = [
            name + "_" for _, name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")
        ]
        # Children before parents, so no drop has to cascade through the rows of another.
        for kind, name, _ in reversed(rows):
            if not name.startswith(tuple(virtual)):
                conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')

    def _delete_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ArticleCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- files ------------------------------------------------------------------------------

    def files(self) -> dict[str, CachedFile]:
        """Every cached file (one query: the indexer compares a whole walk against it)."""
        return {
            row[0]: CachedFile(*row[1:])
            for row in self.conn.execute(
                "SELECT path, size, mtime_ns, hash, articles, error FROM files"
            )
        }

    def lookup(self, path: str) -> CachedFile | None:
        row = self.conn.execute(
            "SELECT size, mtime_ns, hash, articles, error FROM files WHERE path = ?", (path,)
        ).fetchone()
        return CachedFile(*row) if row else None

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes into one transaction (far faster than one per file)."""
        with transaction(self.conn):
            yield

    def _write(self) -> AbstractContextManager[object]:
        # Inside `batch()` a write joins the open transaction; alone it is its own.
        return nullcontext() if self.conn.in_transaction else transaction(self.conn)

    def store(
        self,
        path: str,
        meta: CachedFile,
        articles: Sequence[Article | PreparedArticle],
        *,
        replace: bool = True,
    ) -> None:
        """Replace everything cached for `path` with `articles` (possibly none: a file that
        failed is cached with `meta.error`, so it is not re-read until it changes).

        `articles` may be `prepare_article()` results, computed in a worker process so that
        this (single-writer) connection only inserts. `replace=False` is a promise that `path`
        is not cached yet (the indexer knows), which saves looking for old rows to delete.
        """
        self.store_many([(path, meta, articles, replace)])

    def store_many(
        self,
        files: Iterable[tuple[str, CachedFile, Sequence[Article | PreparedArticle], bool]],
    ) -> None:
        """`store(path, meta, articles, replace=replace)` for many files at once: one
        `executemany` per table instead of a few statements per article (what the indexer
        uses; a cold index writes 10,000 files in a handful of calls)."""
        file_rows: list[tuple[object, ...]] = []
        article_rows: list[tuple[object, ...]] = []
        tweet_rows: list[tuple[object, ...]] = []
        quote_rows: list[tuple[object, ...]] = []
        search_rows: list[tuple[object, ...]] = []
        title_rows: list[tuple[object, ...]] = []
        with self._write():
            # Rowids are given, not left to SQLite, so that one pass builds every table's rows.
            # Safe: this connection holds the write lock for the whole transaction.
            rowid = self.conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
            for path, meta, articles, replace in files:
                if replace:
                    self._forget(path)
                file_rows.append(
                    (path, meta.size, meta.mtime_ns, meta.hash, len(articles), meta.error)
                )
                for position, article in enumerate(articles):
                    prepared = article if isinstance(article, tuple) else prepare_article(article)
                    row, columns, tweets, quotes = prepared
                    rowid += 1
                    article_rows.append((rowid, path, position, *row))
                    tweet_rows.extend((rowid, *t, row[0]) for t in tweets)
                    quote_rows.extend((rowid, *q) for q in quotes)
                    if self.fts:
                        search_rows.append((rowid, *columns))
                        title_rows.append((rowid, columns[0]))
                    else:
                        search_rows.append((rowid, *(_word_line(c) for c in columns)))
            execute = self.conn.executemany
            execute(
                "INSERT INTO files (path, size, mtime_ns, hash, articles, error)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                file_rows,
            )
            execute(
                "INSERT INTO articles (rowid, path, position, id, source, title, title_key, date,"
                " date_key, tweets, captions, quotes, words, data)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                article_rows,
            )
            execute(
                "INSERT INTO tweets (article, block, handle_key, handle, author, date, text,"
                " tweet_key, article_id) VALUES (?,?,?,?,?,?,?,?,?)",
                tweet_rows,
            )
            execute(
                "INSERT INTO quotes (article, position, block, speaker, speaker_key, text)"
                " VALUES (?,?,?,?,?,?)",
                quote_rows,
            )
            if self.fts:
                execute(
                    "INSERT INTO search_text (rowid, title, body, tweets, captions, quotes)"
                    " VALUES (?,?,?,?,?,?)",
                    search_rows,
                )
                execute("INSERT INTO search_titles (rowid, title) VALUES (?,?)", title_rows)
            else:
                execute("INSERT INTO search_text VALUES (?,?,?,?,?,?)", search_rows)

    def release_space(self) -> None:
        """Give the file's free pages back to the file system (the full-text index frees
        pages as it merges its segments: about a tenth of the file after a cold index)."""
        # Each step of this pragma frees one page and `execute` steps once; `executescript`
        # runs it to the end.
        self.conn.executescript("PRAGMA incremental_vacuum;")

    def touch(self, path: str, meta: CachedFile) -> None:
        """Same content, new size/mtime (a `touch`, a copy over itself): no re-parse needed."""
        with self._write():
            self.conn.execute(
                "UPDATE files SET size = ?, mtime_ns = ?, hash = ? WHERE path = ?",
                (meta.size, meta.mtime_ns, meta.hash, path),
            )

    def forget(self, paths: Iterable[str]) -> int:
        """Drop files (and their articles) from the cache. The user's state is not touched."""
        n = 0
        with self._write():
            for path in paths:
                n += self._forget(path)
        return n

    def _forget(self, path: str) -> int:
        if self.fts:
            # A contentless index forgets a row when told the text it indexed for it.
            rows = [
                (rowid, *search_columns(_unpack(blob)))
                for rowid, blob in self.conn.execute(
                    "SELECT rowid, data FROM articles WHERE path = ?", (path,)
                )
            ]
            self.conn.executemany(
                "INSERT INTO search_text (search_text, rowid, title, body, tweets, captions,"
                " quotes) VALUES ('delete', ?, ?, ?, ?, ?, ?)",
                rows,
            )
            self.conn.executemany(
                "INSERT INTO search_titles (search_titles, rowid, title) VALUES ('delete', ?, ?)",
                [row[:2] for row in rows],
            )
        else:
            self.conn.execute(
                "DELETE FROM search_text WHERE rowid IN (SELECT rowid FROM articles"
                " WHERE path = ?)",
                (path,),
            )
        # What `ON DELETE CASCADE` would do, were foreign keys enforced (see `_open`).
        for table in ("tweets", "quotes"):
            self.conn.execute(
                f"DELETE FROM {table} WHERE article IN (SELECT rowid FROM articles WHERE path = ?)",
                (path,),
            )
        self.conn.execute("DELETE FROM articles WHERE path = ?", (path,))
        return self.conn.execute("DELETE FROM files WHERE path = ?", (path,)).rowcount

    # -- reading ----------------------------------------------------------------------------

    def count(self, *, under: Sequence[str] | None = None) -> int:
        """Number of cached articles (at or below `under`, like `summaries`)."""
        if under is not None and self._covers_everything(under):
            under = None
        if _big_scope(under) is not None:
            return len(self.summaries(under=under))
        where, params = _scope(under)
        return int(
            self.conn.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0]
        )

    def summaries(
        self, order: Order = "date", *, under: Sequence[str] | None = None
    ) -> list[ArticleSummary]:
        """Every cached article as a list row, in one indexed query.

        `order`: "date" (the app's default: newest first, undated last, then title and source;
        the same as `reader.model.list_order_key`), "title" or "source". `under` limits the rows
        to files at or below these absolute paths (None: everything cached). 100,000 rows take
        a few hundred milliseconds (mostly Python objects): a virtual list should page with
        `summaries_page` instead.
        """
        return self._summaries(order, under, None, 0)

    def summaries_page(
        self,
        order: Order = "date",
        *,
        offset: int = 0,
        limit: int = 100,
        under: Sequence[str] | None = None,
    ) -> list[ArticleSummary]:
        """Rows `offset` to `offset + limit` of `summaries(order, under=under)`, without building
        the others (a few milliseconds even at the end of 100,000 rows)."""
        return self._summaries(order, under, max(0, limit), max(0, offset))

    def _summaries(
        self, order: Order, under: Sequence[str] | None, limit: int | None, offset: int
    ) -> list[ArticleSummary]:
        order_by = _ORDER_BY[order]
        if under is not None and self._covers_everything(under):
            under = None
        where, params = _scope(under)
        big = _big_scope(under)
        page = ""
        if limit is not None and big is None:
            page = " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        rows = self.conn.execute(
            "SELECT id, source, title, date, tweets, captions, quotes, words, path FROM articles"
            f" {where} ORDER BY {order_by}{page}",
            params,
        )
        dates: dict[str, _dt.date | None] = {}
        out = []
        for aid, source, title, date, tw, ca, qu, wo, path in rows:
            if big is not None and path not in big:
                continue
            # Many articles share a date: parse each distinct string once.
            if date not in dates:
                dates[date] = parse_iso_date(date)
            out.append(ArticleSummary(aid, source, title, dates[date], tw, ca, qu, wo))
        if limit is not None and big is not None:
            out = out[offset : offset + limit]
        return out

    def ids(self, order: Order = "date", *, under: Sequence[str] | None = None) -> list[str]:
        """The article id of every row of `summaries(order, under=under)`, in that order.

        For counting and narrowing 100,000 rows by read or bookmark marks without building a
        row object for each (tens of milliseconds instead of most of a second).
        """
        order_by = _ORDER_BY[order]
        if under is not None and self._covers_everything(under):
            under = None
        where, params = _scope(under)
        big = _big_scope(under)
        sql = f"SELECT id, path FROM articles {where} ORDER BY {order_by}"
        rows = self.conn.execute(sql, params)
        if big is None:
            return [aid for aid, _path in rows]
        return [aid for aid, path in rows if path in big]

    def summaries_by_id(self, ids: Iterable[str]) -> dict[str, ArticleSummary]:
        """List rows for these article ids (search results, a shared tweet's articles)."""
        wanted = list(dict.fromkeys(ids))
        out: dict[str, ArticleSummary] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for aid, source, title, date, tw, ca, qu, wo in self.conn.execute(
                "SELECT id, source, title, date, tweets, captions, quotes, words FROM articles"
                f" WHERE id IN ({marks}) ORDER BY rowid DESC",
                chunk,
            ):
                if aid not in out:
                    out[aid] = ArticleSummary(
                        aid, source, title, parse_iso_date(date), tw, ca, qu, wo
                    )
        return out

    def article(self, article_id: str) -> Article | None:
        """The article with this id (the latest cached copy if several files hold it)."""
        row = self.conn.execute(
            "SELECT data FROM articles WHERE id = ? ORDER BY rowid DESC LIMIT 1", (article_id,)
        ).fetchone()
        if row is None:
            return None
        return Article.from_dict(_unpack(row[0]))

    def sources(self, article_id: str) -> list[str]:
        """Every path holding an article with this id (copies of one file share an id)."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT path FROM articles WHERE id = ? ORDER BY path", (article_id,)
            )
        ]

    def search(
        self,
        query: str | Query,
        *,
        limit: int = 200,
        under: Sequence[str] | None = None,
        snippets: bool = True,
    ) -> list[SearchHit]:
        """Articles matching every word of `query`, best first (bm25, titles weighted highest).

        Any text is a safe query: it is split into words and each is quoted, so FTS5 syntax
        (`"`, `*`, `(`, `NEAR`, `-`, `:`) is searched for as words or ignored, never parsed. The
        last word matches as a prefix while the user is typing. An empty query matches nothing.
        `under` limits the search like `summaries(under=...)`. With `snippets=False` every
        snippet is "" (cheaper; see `snippets()` for fetching them for the visible rows only).
        """
        q = parse_query(query) if isinstance(query, str) else query
        if q.empty or limit <= 0:
            return []
        if len(q.groups) > MAX_QUERY_GROUPS or any(
            len(g) > MAX_QUERY_GROUPS or any(len(w) > MAX_WORD for w in g) for g in q.groups
        ):
            # A pasted page is not a query, and SQLite limits expression depth and LIKE
            # pattern length: keep the first words, each at most MAX_WORD letters.
            q = Query(
                groups=tuple(
                    tuple(w[:MAX_WORD] for w in g[:MAX_QUERY_GROUPS])
                    for g in q.groups[:MAX_QUERY_GROUPS]
                ),
                prefix=q.prefix and len(q.groups) <= MAX_QUERY_GROUPS,
            )
        if under is not None and self._covers_everything(under):
            under = None  # the common case: the scope is the whole cache, skip the path checks
        if self.fts:
            hits = self._search_fts(q, limit, under, snippets)
        else:
            hits = self._search_like(q, limit, under)
            if not snippets:
                hits = [h._replace(snippet="") for h in hits]
        # Copies of one article (same id in two files) show once, at their best rank.
        seen: set[str] = set()
        out = []
        for hit in hits:
            if hit.article_id not in seen:
                seen.add(hit.article_id)
                out.append(hit)
        return out[:limit]

    def snippets(self, query: str | Query, article_ids: Iterable[str]) -> dict[str, str]:
        """One-line excerpts around the matches of `query` for these articles (the visible rows
        of a search-as-you-type list), without ranking the whole library again."""
        q = parse_query(query) if isinstance(query, str) else query
        ids = list(dict.fromkeys(article_ids))
        if q.empty or not ids:
            return {}
        rowids: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for rowid, aid in self.conn.execute(
                f"SELECT max(rowid), id FROM articles WHERE id IN ({marks}) GROUP BY id", chunk
            ):
                rowids[rowid] = aid
        found = self._snippets_for(list(rowids), q)
        return {rowids[r]: text for r, text in found.items()}

    def _snippets_for(
        self, rowids: list[int], q: Query, unpacked: dict[int, dict[str, Any]] | None = None
    ) -> dict[int, str]:
        """Snippets made here from the stored text: FTS5's snippet() would be computed for
        every match before the ranking keeps a hundred, and per row it re-runs the query.
        `unpacked`: articles already read (by `_having_word`), not read again."""
        known = unpacked or {}
        out = {r: _snippet_of(known[r], q) for r in rowids if r in known}
        for rowid, data in self._unpacked([r for r in rowids if r not in known]):
            out[rowid] = _snippet_of(data, q)
        return out

    def _unpacked(self, rowids: list[int]) -> Iterator[tuple[int, dict[str, Any]]]:
        """(rowid, `Article.to_dict()`) of these rows, read 500 at a time."""
        for start in range(0, len(rowids), 500):
            chunk = rowids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for rowid, blob in self.conn.execute(
                f"SELECT rowid, data FROM articles WHERE rowid IN ({marks})", chunk
            ):
                yield rowid, _unpack(blob)

    def _search_fts(
        self, q: Query, limit: int, under: Sequence[str] | None, snippets: bool
    ) -> list[SearchHit]:
        weights = ", ".join(str(w) for w in _WEIGHTS)
        # A few spare rows for copies of one article that `search` folds together.
        fetch = limit + 8
        typed, letter = q, _lone_letter(q)
        if letter is not None:
            # `storm f`, the first letter of a second word just typed: FTS5 would merge the
            # doclists of every word starting with "f" (150-400 ms at 100,000 articles; there is
            # no one-letter prefix index). Nearly every article has such a word, so the other
            # words are searched, a few spare rows more, and the rows kept are those whose
            # text has a word starting with the letter.
            q, fetch = Query(groups=q.groups[:-1], prefix=False), 2 * fetch
        expression = fts_expression(q)
        if under is None:
            # Rank inside FTS5 alone, then look up the ids of the few rows kept: joining
            # `articles` for every match would cost a lookup per match.
            ranked = self._ranked(q, expression, weights, fetch)
            ids = self._ids_of([rowid for rowid, _ in ranked])
            rows = [(rowid, ids[rowid], rank) for rowid, rank in ranked if rowid in ids]
        else:
            where, params = _scope(under, alias="a")
            big = _big_scope(under)
            where = f"AND {where[6:]}" if where else ""
            found = self.conn.execute(
                f"SELECT a.rowid, a.id, bm25(search_text, {weights}) AS r, a.path"
                " FROM search_text JOIN articles a ON a.rowid = search_text.rowid"
                f" WHERE search_text MATCH ? {where} ORDER BY r LIMIT ?",
                (expression, *params, fetch * (20 if big is not None else 1)),
            ).fetchall()
            rows = [(r, aid, rank) for r, aid, rank, path in found if big is None or path in big]
        # Copies of one article fold into the best ranked before snippets are cut for the
        # `limit` rows returned (as `search` does for the fallback).
        best: dict[str, tuple[int, str, float]] = {}
        for row in rows:
            best.setdefault(row[1], row)
        every_match = len(rows) < fetch  # the rows are all the matches, not the best ones
        rows = list(best.values())
        with_letter: dict[int, dict[str, Any]] | None = None
        if letter is not None:
            with_letter = self._having_word([r for r, _, _ in rows], letter)
            rows = [row for row in rows if row[0] in with_letter]
            if every_match and len(rows) <= RANK_ALL_MAX:
                # Few match: ranked, as a query that few match always is (bm25 of the other
                # words: the letter's words are not known to FTS5 without that merge).
                scores = dict(
                    self.conn.execute(
                        f"SELECT rowid, bm25(search_text, {weights}) FROM search_text WHERE"
                        f" search_text MATCH ? AND rowid IN ({','.join('?' * len(rows))})",
                        (expression, *(r for r, _, _ in rows)),
                    )
                )
                rows = sorted(
                    ((r, aid, scores.get(r, 0.0)) for r, aid, _ in rows), key=lambda row: row[2]
                )
        rows = rows[:limit]
        texts = self._snippets_for([r for r, _, _ in rows], typed, with_letter) if snippets else {}
        # `+ 0.0` turns the -0.0 of unranked rows into 0.0.
        return [SearchHit(aid, round(-rank, 4) + 0.0, texts.get(r, "")) for r, aid, rank in rows]

    def _having_word(self, rowids: list[int], prefix: str) -> dict[int, dict[str, Any]]:
        """The rows of these that have a word (in any searched column) starting with `prefix`,
        each with its article as read (for its snippet)."""
        wanted = Query(groups=((prefix,),), prefix=True)
        out = {}
        for rowid, data in self._unpacked(rowids):
            columns = search_columns(data)
            # first_match is exact for ASCII; match_spans also folds accents ("é" for "e").
            if any(first_match(c, wanted) is not None for c in columns) or any(
                match_spans(c, wanted) for c in columns if not c.isascii()
            ):
                out[rowid] = data
        return out

    def _ranked(
        self, q: Query, expression: str, weights: str, fetch: int
    ) -> list[tuple[int, float]]:
        """(rowid, bm25) of the best `fetch` matches.

        Ranking costs time in proportion to the matches (bm25 reads each one's size). Up to
        `RANK_ALL_MAX` matches every one is ranked. Beyond (a common word, or a few letters
        typed so far) the strongest evidence comes first instead: the matches in the title,
        ranked on the titles index when there are at most `RANK_ALL_MAX` of them, else latest
        indexed first; then the other matches, latest indexed first. Unranked rows score 0.

        The titles index is asked first: it is small, and when the titles alone match more than
        `RANK_ALL_MAX` articles the full index is not read at all (for a prefix of one or three
        letters that would merge the doclists of hundreds of words: 100 ms and more at 100,000
        articles). Counting stops at `RANK_ALL_MAX + 1`, and is skipped when a finished word
        (or phrase) of the query alone matches at most `RANK_ALL_MAX` (cheap to count: it is
        one word's doclist), since every match must contain it.
        """
        probe = max(RANK_ALL_MAX + 1, fetch)
        titled = [
            rowid
            for (rowid,) in self.conn.execute(
                "SELECT rowid FROM search_titles WHERE search_titles MATCH ?"
                " ORDER BY rowid DESC LIMIT ?",
                (expression, probe),
            )
        ]
        latest: list[int] | None = None
        if len(titled) <= RANK_ALL_MAX:
            if not self._few_match_a_word(q):
                latest = self._latest(expression, probe)
            if latest is None or len(latest) <= RANK_ALL_MAX:
                return self.conn.execute(
                    f"SELECT rowid, bm25(search_text, {weights}) AS r FROM search_text"
                    " WHERE search_text MATCH ? ORDER BY r LIMIT ?",
                    (expression, fetch),
                ).fetchall()
            ranked: list[tuple[int, float]] = self.conn.execute(
                f"SELECT rowid, bm25(search_titles, {_WEIGHTS[0]}) AS r FROM search_titles"
                " WHERE search_titles MATCH ? ORDER BY r LIMIT ?",
                (expression, fetch),
            ).fetchall()
        else:
            ranked = [(rowid, 0.0) for rowid in titled[:fetch]]
        if len(ranked) < fetch:
            taken = {rowid for rowid, _ in ranked}
            need = fetch + len(taken)
            if latest is None or (len(latest) == probe and probe < need):
                latest = self._latest(expression, need)
            ranked.extend((rowid, 0.0) for rowid in latest if rowid not in taken)
        return ranked[:fetch]

    def _few_match_a_word(self, q: Query) -> bool:
        """Whether one finished group of `q` (not the prefix being typed) matches at most
        `RANK_ALL_MAX` articles: then so does the whole query."""
        if len(q.groups) < 2:
            return False  # the word is the query: counting it is the probe itself
        for group in q.groups[:-1] if q.prefix else q.groups:
            alone = fts_expression(Query(groups=(group,), prefix=False))
            found = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM search_text WHERE search_text MATCH ?"
                " LIMIT ?)",
                (alone, RANK_ALL_MAX + 1),
            ).fetchone()[0]
            if found <= RANK_ALL_MAX:
                return True
        return False

    def _latest(self, expression: str, limit: int) -> list[int]:
        """Rowids of the last `limit` articles indexed that match, latest first."""
        return [
            rowid
            for (rowid,) in self.conn.execute(
                "SELECT rowid FROM search_text WHERE search_text MATCH ?"
                " ORDER BY rowid DESC LIMIT ?",
                (expression, limit),
            )
        ]

    def _ids_of(self, rowids: list[int]) -> dict[int, str]:
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        return dict(
            self.conn.execute(f"SELECT rowid, id FROM articles WHERE rowid IN ({marks})", rowids)
        )

    def _covers_everything(self, under: Sequence[str]) -> bool:
        """Whether every cached file is inside `under` (memoised until the cache changes, by
        this connection or another one: PRAGMA data_version tracks the others)."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        key = (tuple(under), version, self.conn.total_changes)
        if self._coverage is not None and self._coverage[0] == key:
            return self._coverage[1]
        total = self.conn.execute("SELECT count(*) FROM files").fetchone()[0]
        big = _big_scope(under)
        if big is not None:
            inside = sum(
                1 for (path,) in self.conn.execute("SELECT path FROM files") if path in big
            )
        else:
            where, params = _scope(under)
            inside = self.conn.execute(f"SELECT count(*) FROM files {where}", params).fetchone()[0]
        covers = inside == total
        self._coverage = (key, covers)
        return covers

    def _search_like(self, q: Query, limit: int, under: Sequence[str] | None) -> list[SearchHit]:
        conditions = []
        score_terms = []
        params: list[object] = []
        score_params: list[object] = []
        for i, group in enumerate(q.groups):
            # Columns hold " word word ... " so whole words (and word prefixes) match, as in FTS.
            last = q.prefix and i == len(q.groups) - 1
            needle = " " + " ".join(group) + ("" if last else " ")
            pattern = "%" + _like_escape(needle) + "%"
            conditions.append(
                "(" + " OR ".join(f"s.f_{c} LIKE ? ESCAPE '\\'" for c in _COLUMNS) + ")"
            )
            params.extend([pattern] * len(_COLUMNS))
            for column, weight in zip(_COLUMNS, _WEIGHTS, strict=True):
                score_terms.append(f"(instr(s.f_{column}, ?) > 0) * {weight}")
                score_params.append(needle)
        where, scope_params = _scope(under, alias="a")
        scope = f"AND {where[6:]}" if where else ""
        big = _big_scope(under)
        rows = self.conn.execute(
            f"SELECT a.id, {' + '.join(score_terms)} AS score, a.path, a.data"
            " FROM search_text s JOIN articles a ON a.rowid = s.rowid"
            f" WHERE {' AND '.join(conditions)} {scope}"
            " ORDER BY score DESC, a.date_key, a.title_key LIMIT ?",
            (*score_params, *params, *scope_params, limit * (20 if big is not None else 2)),
        ).fetchall()
        return [
            SearchHit(aid, float(score), _snippet_from(list(search_columns(_unpack(blob))), q))
            for aid, score, path, blob in rows
            if big is None or path in big
        ]

    # -- library-wide views -------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        """Every account with tweets in the library, most tweets first."""
        rows = self.conn.execute(
            "SELECT max(handle), max(author), count(*), count(DISTINCT article_id) FROM tweets"
            " GROUP BY handle_key ORDER BY count(*) DESC, handle_key"
        )
        return [Account(h, au, n, na) for h, au, n, na in rows]

    def tweets_by(self, handle: str) -> list[LibraryTweet]:
        """Every tweet of one account (case-insensitive handle, with or without @), oldest first."""
        return self._tweets("WHERE t.handle_key = ?", (handle.lstrip("@").casefold(),))

    def tweets_by_account(self) -> dict[str, list[LibraryTweet]]:
        """Every tweet in the library grouped by account (handle as first seen), in one query."""
        groups: dict[str, list[LibraryTweet]] = {}
        keys: dict[str, str] = {}
        for tweet in self._tweets("", (), order="t.handle_key, t.date, a.title_key"):
            handle = keys.setdefault(tweet.handle.casefold(), tweet.handle)
            groups.setdefault(handle, []).append(tweet)
        return groups

    def tweets_in(self, article_id: str) -> list[LibraryTweet]:
        """The tweets of one article."""
        return self._tweets("WHERE a.id = ?", (article_id,), order="t.block")

    def shared_tweets(self) -> list[SharedTweet]:
        """Tweets embedded in two or more different articles, most shared first."""
        rows = self.conn.execute(
            # Shared keys from the covering index first; the tweet's text only for those.
            "WITH shared AS (SELECT tweet_key, count(DISTINCT article_id) AS n,"
            " group_concat(DISTINCT article_id) AS ids FROM tweets GROUP BY tweet_key"
            " HAVING n > 1)"
            " SELECT s.tweet_key, t.handle, t.author, t.date, t.text, s.ids FROM shared s"
            " JOIN tweets t ON t.rowid = (SELECT rowid FROM tweets WHERE tweet_key = s.tweet_key"
            " LIMIT 1) ORDER BY s.n DESC, t.date"
        )
        return [
            SharedTweet(key, h, au, parse_iso_date(d), text, tuple(sorted(ids.split(","))))
            for key, h, au, d, text, ids in rows
        ]

    def articles_sharing(self, key: str) -> list[ArticleSummary]:
        """The articles that embed the tweet with this `tweet_key` (see `LibraryTweet.key`)."""
        rows = self.conn.execute(
            "SELECT DISTINCT a.id, a.source, a.title, a.date, a.tweets, a.captions, a.quotes,"
            " a.words, a.date_key, a.title_key FROM tweets t"
            " JOIN articles a ON a.rowid = t.article WHERE t.tweet_key = ?"
            " ORDER BY a.date_key, a.title_key",
            (key,),
        )
        seen: set[str] = set()
        out = []
        for aid, source, title, date, tw, ca, qu, wo, _dk, _tk in rows:
            if aid not in seen:
                seen.add(aid)
                out.append(ArticleSummary(aid, source, title, parse_iso_date(date), tw, ca, qu, wo))
        return out

    def speakers(self) -> list[tuple[str, int]]:
        """Every named speaker with their number of quotes, most quoted first."""
        rows = self.conn.execute(
            "SELECT max(speaker), count(*) FROM quotes GROUP BY speaker_key"
            " ORDER BY count(*) DESC, speaker_key"
        )
        return [(s, n) for s, n in rows]

    def quotes_by(self, speaker: str) -> list[LibraryQuote]:
        """Every quote by one speaker (case- and space-insensitive), newest article first."""
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.source, q.position, q.block, q.text, q.speaker"
            " FROM quotes q JOIN articles a ON a.rowid = q.article WHERE q.speaker_key = ?"
            " ORDER BY a.date_key, a.title_key, q.position",
            (speaker_key(speaker),),
        )
        return [LibraryQuote(*row) for row in rows]

    def _tweets(
        self, where: str, params: tuple[object, ...], *, order: str = "t.date, a.title_key"
    ) -> list[LibraryTweet]:
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.source, t.block, t.text, t.author, t.handle, t.date,"
            f" t.tweet_key FROM tweets t JOIN articles a ON a.rowid = t.article {where}"
            f" ORDER BY {order}",
            params,
        )
        return [
            LibraryTweet(aid, title, src, block, text, author, handle, parse_iso_date(d), key)
            for aid, title, src, block, text, author, handle, d, key in rows
        ]


def _lone_letter(q: Query) -> str | None:
    """The letter when `q` is other words and then one letter still being typed."""
    if q.prefix and len(q.groups) > 1 and len(q.groups[-1]) == 1 and len(q.groups[-1][0]) == 1:
        return q.groups[-1][0]
    return None


def fts_expression(q: Query) -> str:
    """The FTS5 MATCH expression for a parsed query: every word double-quoted (so no character
    of it is FTS syntax), phrases kept together, the last word a prefix (`"wor"*`)."""
    parts = []
    for i, group in enumerate(q.groups):
        # One string per group: FTS5 tokenizes it into a phrase. Words never hold a quote
        # (see reader.query), but double any that did so the string cannot end early.
        quoted = '"' + " ".join(group).replace('"', '""') + '"'
        if q.prefix and i == len(q.groups) - 1:
            quoted += "*"
        parts.append(quoted)
    return " AND ".join(parts)


def _word_line(text: str) -> str:
    """The fallback's searchable form of a text: its folded words between single spaces."""
    return " " + " ".join(fold(w) for w in _WORDS.findall(text)) + " "


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _snippet_of(data: dict[str, Any], q: Query) -> str:
    """`_snippet_from(search_columns(data), q)`, without joining the other columns when the
    body matches (the common case)."""
    body = "\n".join(b["text"] for b in data["blocks"] if b["kind"] not in _NOT_BODY)
    if body and (at := first_match(body, q)) is not None:
        return snippet_at(body, q, at, width=100)
    return _snippet_from(list(search_columns(data)), q)


_NOT_BODY = ("tweet", "photo_caption")


def _snippet_from(texts: list[str], q: Query) -> str:
    """An excerpt from the first column that matches (body, tweets, captions, quotes, then the
    title), around the match; the body's start when no column matches literally."""
    title, *rest = texts
    for text in [*rest, title]:
        if text and (at := first_match(text, q)) is not None:
            return snippet_at(text, q, at, width=100)
    return make_snippet(rest[0] or title, q, width=100)


# Up to this many roots the scope is a WHERE clause; beyond (a glob that matched thousands of
# files) rows are filtered in Python against a set, which stays linear.
_SQL_SCOPE_MAX = 64


class _PathSet:
    """Paths at or below any of `roots`: a set lookup per ancestor, not a scan of the roots."""

    def __init__(self, roots: Sequence[str]) -> None:
        self.roots = {r.rstrip("/") or "/" for r in roots}

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        current = path
        while current:
            if current in self.roots:
                return True
            cut = current.rfind("/")
            if cut < 0:
                return False
            current = current[:cut] if cut > 0 else ("/" if current != "/" else "")
        return False


# The list orders of `summaries` and `ids`, served by the articles table's indexes.
_ORDER_BY: dict[str, str] = {
    "date": "date_key, title_key, source",
    "title": "title_key, source",
    "source": "path, position",
}


def _big_scope(under: Sequence[str] | None) -> _PathSet | None:
    if under is None or len(under) <= _SQL_SCOPE_MAX:
        return None
    return _PathSet(under)


def _scope(under: Sequence[str] | None, alias: str = "") -> tuple[str, list[object]]:
    """A WHERE clause keeping files at or below `under` (absolute paths).

    A directory prefix becomes a range on the indexed path column: every path below `d` sorts
    between `d + "/"` and `d + "0"` ("0" is the character after "/").
    """
    if under is None or _big_scope(under) is not None:
        return "", []
    column = f"{alias}.path" if alias else "path"
    if not under:
        return "WHERE 0", []
    clauses = []
    params: list[object] = []
    for root in under:
        root = root.rstrip("/") or "/"
        prefix = root if root.endswith("/") else root + "/"
        clauses.append(f"({column} = ? OR ({column} >= ? AND {column} < ?))")
        params.extend([root, prefix, prefix[:-1] + "0"])
    return "WHERE " + " OR ".join(clauses), params
