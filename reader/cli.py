"""The `reader` console script (also `python -m reader`).

`reader [PATH...]` opens the app; subcommands print JSON Lines or a formatted article. The JSON
output of `parse` and `list` is a stable contract that scripts and tests rely on: extend it,
never change it.

Layout: one `_add_<name>(subparsers)` function registers each subcommand and sets its
`cmd_<name>(args) -> int`. To add a subcommand (`index`, `search`, `export`), write both and
append `_add_<name>` to `SUBCOMMANDS`. Exit status: 0 success, 1 some input failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from reader import __version__

if TYPE_CHECKING:
    from reader.formats import LoadError
    from reader.indexer import IndexProgress
    from reader.model import Article
    from reader.store.cache import ArticleCache
    from reader.store.state import StateStore

PROG = "reader"
DATA_DIR_ENV = "READER_DATA_DIR"

_Subparsers = Any  # argparse's _SubParsersAction is private; its type adds nothing here.


# ---------------------------------------------------------------------------------------------
# Output helpers shared by the subcommands


def report(error: LoadError | str) -> None:
    """One line on stderr: `reader: PATH: reason`."""
    print(f"{PROG}: {error}", file=sys.stderr, flush=True)


def write_json_line(obj: dict[str, Any]) -> None:
    """One JSON object per line, UTF-8 whatever the locale (JSON Lines is UTF-8)."""
    line = json.dumps(obj, ensure_ascii=False, separators=(", ", ": ")) + "\n"
    sys.stdout.buffer.write(line.encode("utf-8", "replace"))


def _paths_or_default(paths: list[str]) -> list[str]:
    if paths:
        return paths
    from reader.library import default_paths

    return [str(p) for p in default_paths()]


STDIN = "-"  # as a PATH: read one document from standard input (`./-` for a file named "-")
STDIN_SOURCE = "<stdin>"


def _stdin_articles() -> list[Article | LoadError]:
    from reader.formats import MAX_FILE_BYTES, LoadError, load_bytes

    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if sys.stdin is not None else b""
    try:
        return list(load_bytes(data, STDIN_SOURCE))
    except LoadError as exc:
        return [*exc.articles, exc]


def _articles(paths: Iterable[str], failures: list[LoadError]) -> Iterator[Article]:
    """Articles under `paths`, in order, reporting each problem on stderr as it happens."""
    from reader.formats import LoadError
    from reader.library import iter_articles

    def chunks() -> Iterator[Article | LoadError]:
        pending: list[str] = []
        stdin_done = False
        for path in paths:
            if path != STDIN:
                pending.append(path)
                continue
            yield from iter_articles(pending)
            pending = []
            if not stdin_done:  # standard input can be read only once
                stdin_done = True
                yield from _stdin_articles()
        yield from iter_articles(pending)

    for item in chunks():
        if isinstance(item, LoadError):
            report(item)
            failures.append(item)
        else:
            yield item


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _new_parser(subparsers: _Subparsers, name: str, summary: str, description: str,
                examples: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=summary,
        description=textwrap.dedent(description).strip(),
        epilog=examples,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_global_options(suppress_defaults=True)],
    )
    return parser


# ---------------------------------------------------------------------------------------------
# reader [PATH...] / reader open [PATH...]: the app


def _add_open(subparsers: _Subparsers) -> None:
    parser = _new_parser(
        subparsers,
        "open",
        "open the reading app (the default when no subcommand is given)",
        """
        Open the reading app on the articles under PATH (files, folders, glob patterns).
        With no PATH, open the bundled sample articles. `reader PATH...` is the same as
        `reader open PATH...`; use `open` when a file is named like a subcommand.
        """,
        _examples("reader", "reader ~/articles", "reader open 'news/**/*.txt'"),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files, folders or glob patterns")
    parser.set_defaults(func=cmd_open)


def cmd_open(args: argparse.Namespace) -> int:
    try:
        from reader.ui.app import run_app
    except ModuleNotFoundError as exc:
        # Until the app lands, show the library as a list. Any other import failure is a bug.
        if exc.name not in {"reader.ui", "reader.ui.app"}:
            raise
        return cmd_list(args)
    result: int = run_app(args.paths, args.data_dir, args.config)
    return result


# ---------------------------------------------------------------------------------------------
# reader parse PATH...


def _add_parse(subparsers: _Subparsers) -> None:
    parser = _new_parser(
        subparsers,
        "parse",
        "print each article as JSON (one object per line)",
        """
        Parse files and print one JSON object per article, one per line, in file order:
          {"id", "source", "title", "date", "url", "author", "format", "blocks", "quotes"}
        Each block has "kind" ("paragraph", "tweet", "photo_caption") and "text"; a tweet adds
        "author", "handle", "date", "links", "url"; a caption adds "credit". A quote is
        {"text", "speaker", "block", "start", "end"}.
        A file that cannot be read gets one line on stderr; the others are still printed and
        the exit status is 1.
        """,
        _examples(
            "reader parse article.txt",
            "reader parse ~/articles | jq -r '.blocks[] | select(.kind == \"tweet\") | .handle'",
            "reader parse 'scrapes/*.txt' > articles.jsonl",
            "xclip -o | reader parse -          # standard input",
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="files, folders or glob patterns; - reads standard input")
    parser.set_defaults(func=cmd_parse)


def cmd_parse(args: argparse.Namespace) -> int:
    failures: list[LoadError] = []
    for article in _articles(args.paths, failures):
        write_json_line(article.to_dict())
    return 1 if failures else 0


# ---------------------------------------------------------------------------------------------
# reader list [PATH...]


def _add_list(subparsers: _Subparsers) -> None:
    parser = _new_parser(
        subparsers,
        "list",
        "list articles as JSON (one summary per line, in list order)",
        """
        Print one JSON object per article, in the app's list order (newest first, undated
        last, then by title):
          {"id", "source", "title", "date", "tweets", "captions", "quotes", "words"}
        With no PATH, list the bundled sample articles. Each object also has "read" and
        "bookmarked" (booleans) from the saved state (see --data-dir).
        """,
        _examples(
            "reader list",
            "reader list ~/articles | jq -r '[.date, .title] | @tsv'",
            "reader list 'news/**/*.txt' | wc -l",
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files, folders or glob patterns")
    parser.set_defaults(func=cmd_list)


def cmd_list(args: argparse.Namespace) -> int:
    from reader.model import list_order_key

    failures: list[LoadError] = []
    summaries = [a.summary() for a in _articles(_paths_or_default(args.paths), failures)]
    summaries.sort(key=list_order_key)
    read, bookmarked = _state_sets(args)
    for summary in summaries:
        row = summary.to_dict()
        row["read"] = summary.id in read
        row["bookmarked"] = summary.id in bookmarked
        write_json_line(row)
    return 1 if failures else 0


def _state_sets(args: argparse.Namespace) -> tuple[set[str], set[str]]:
    """Read and bookmarked article ids from the state store (empty if it does not exist yet:
    listing never creates one)."""
    from reader.store.location import state_path

    if not state_path(getattr(args, "data_dir", None)).exists():
        return set(), set()
    with _open_state(args) as store:
        return store.read_ids(), store.bookmarked_ids()


def _open_state(args: argparse.Namespace) -> StateStore:
    """The state store for --data-dir / $READER_DATA_DIR; its messages (a damaged file moved
    aside, a read-only session) go to stderr, and the command carries on."""
    from reader.store.state import StateStore

    store = StateStore.open(getattr(args, "data_dir", None))
    for message in store.messages:
        report(message)
    return store


# ---------------------------------------------------------------------------------------------
# reader show PATH|ID [PATH...]


def _add_show(subparsers: _Subparsers) -> None:
    parser = _new_parser(
        subparsers,
        "show",
        "print one article formatted for reading in a terminal",
        """
        Print an article for reading without the app: title, date and source, paragraphs,
        tweets as cards, photo captions with their credit. PATH|ID is a file, or an article id
        (or a unique prefix of one, as `reader list` prints it) looked up in the PATHs given
        after it, or in the bundled samples. Colour is used only on a terminal and never
        when NO_COLOR is set, unless --color=always (for a pager: `| less -R`).
        """,
        _examples(
            "reader show article.txt",
            "reader show 3f9a1c ~/articles",
            "reader show --color=always article.txt | less -R",
            "NO_COLOR=1 reader show article.txt",
        ),
    )
    parser.add_argument("target", metavar="PATH|ID",
                        help="a file, - for standard input, or an article id or prefix")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="where to look an ID up")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="use colour and styles: auto (terminals only, honours NO_COLOR), always, never",
    )
    parser.add_argument("--width", type=int, default=None, metavar="N",
                        help="wrap at N columns (default: the terminal's, at most 88)")
    parser.set_defaults(func=cmd_show)


def _show_targets(args: argparse.Namespace, failures: list[LoadError]) -> list[Article]:
    from reader.formats import LoadError  # the core is imported by the commands that use it

    target: str = args.target
    if target == STDIN or (os.path.exists(target) and not args.paths):
        return list(_articles([target], failures))
    from reader.library import load_library

    library = load_library(_paths_or_default(args.paths))
    found = library.find(target)
    if len(found) == 1:
        return found
    if len(found) > 1:
        failures.append(LoadError(target, f"ambiguous article id ({len(found)} articles match)"))
    elif not os.path.exists(target):
        failures.append(LoadError(target, "no such file or article id"))
    else:
        # An existing file named together with PATHs: show the file.
        return list(_articles([target], failures))
    report(failures[-1])
    return []


def cmd_show(args: argparse.Namespace) -> int:
    from reader.render import make_console, print_article

    if args.width is not None and args.width < 20:
        report("--width must be at least 20")
        return 2
    failures: list[LoadError] = []
    articles = _show_targets(args, failures)
    console = make_console(color=args.color, width=args.width)
    for index, article in enumerate(articles):
        if index:
            console.print()
        print_article(article, console)
    sys.stdout.flush()
    return 1 if failures or not articles else 0


# ---------------------------------------------------------------------------------------------
# reader export --format json|markdown|csv [--output FILE]


def _add_export(subparsers: _Subparsers) -> None:
    parser = _new_parser(
        subparsers,
        "export",
        "export saved quotes and read/bookmark state (json, markdown, csv)",
        """
        Export every saved quote, newest first, with its attribution, note, tags, context and
        article, from the state in --data-dir (default: $READER_DATA_DIR, else the user data
        folder).
          json:     {"quotes": [{"text", "kind", "speaker", "handle", "date", "url", "note",
                    "tags", "created", "context", "article": {"id", "title", "source", "date",
                    "url"}}], "articles": [{"id", "title", "source", "read", "bookmarked"}]}
          markdown: for Obsidian or a notes folder: a section per article, each quote a `>`
                    block with its attribution, note and tags
          csv:      one row per quote, with a header row
        Without --output the export goes to stdout. An existing FILE is never replaced
        unless --force is given.
        """,
        _examples(
            "reader export --format markdown --output quotes.md",
            "reader export --format json | jq '.quotes[].text'",
            "reader export --format csv --output quotes.csv --force",
        ),
    )
    parser.add_argument(
        "--format", choices=("json", "markdown", "csv"), default="json",
        help="output format (default: json)",
    )  # fmt: skip
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from reader.export import ExportExistsError, collect, render, write_export

    if args.output and os.path.exists(args.output) and not args.force:
        # Checked before reading the store so the message comes at once; write_export checks
        # again atomically.
        report(f"{args.output} already exists; choose another file or pass --force to replace it")
        return 1
    with _open_state(args) as store:
        quotes, articles = collect(store)
    text = render(args.format, quotes, articles)
    if not args.output:
        sys.stdout.buffer.write(text.encode("utf-8"))
        return 0
    try:
        write_export(text, args.output, force=args.force)
    except ExportExistsError as exc:
        report(str(exc))
        return 1
    except OSError as exc:
        report(f"{args.output}: cannot write ({exc.strerror or exc})")
        return 1
    print(f"{PROG}: exported {len(quotes)} quotes to {args.output}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------------------------
# Subcommand registry. Other subcommands (index, search, export) go here: one `_add_<name>`
# function each, appended to this list, with its `cmd_<name>` beside it.

SUBCOMMANDS: list[Callable[[_Subparsers], None]] = [_add_open, _add_parse, _add_list, _add_show]
SUBCOMMANDS.append(_add_export)


# ---------------------------------------------------------------------------------------------
# reader index PATH... / reader search QUERY [PATH...]: the parsed-article cache


def _add_index(subparsers: _Subparsers) -> None:
    parser = _new_parser(
        subparsers,
        "index",
        "parse files into the article cache (only new and changed files)",
        """
        Walk PATHs (files, folders recursively, glob patterns), parse every new or changed
        file and keep the result in the article cache (library.sqlite3 in the data folder, a
        file that can always be rebuilt). Unchanged files are recognised by size and time,
        then by content hash, and are not parsed again; cached files under PATH that no longer
        exist are dropped from the cache (their reading state is kept).
        Progress goes to stderr (on a terminal), one line per problem, and a summary line to
        stdout: files, articles, new / changed / unchanged / removed, errors, seconds.
        With no PATH, index the bundled sample articles.
        """,
        _examples("reader index ~/articles", "reader index 'feeds/*.xml' notes/"),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files, folders or glob patterns")
    parser.set_defaults(func=cmd_index)


def _open_cache(args: argparse.Namespace) -> ArticleCache:
    from reader.store.cache import ArticleCache
    from reader.store.location import data_dir

    cache = ArticleCache.open(data_dir(getattr(args, "data_dir", None)))
    for message in cache.messages:
        report(message)
    return cache


def _run_index(
    paths: list[str], cache: ArticleCache, *, show_progress: bool
) -> IndexProgress | None:
    """Index `paths`, reporting problems (and, on a terminal, progress) on stderr."""
    from reader.indexer import index_paths

    last = None
    for last in index_paths(paths, cache):
        for error in last.errors:
            if show_progress:
                sys.stderr.write("\r\x1b[K")
            report(error)
        if show_progress and not last.finished:
            total = f"/{last.files_total}" if last.phase == "indexing" else ""
            sys.stderr.write(
                f"\r\x1b[K{PROG}: {last.phase} {last.files_done}{total} files, "
                f"{last.articles} articles, {last.rate:.0f} files/s"
            )
            sys.stderr.flush()
    if show_progress:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()
    return last


def cmd_index(args: argparse.Namespace) -> int:
    with _open_cache(args) as cache:
        result = _run_index(
            _paths_or_default(args.paths), cache, show_progress=sys.stderr.isatty()
        )
    if result is None:
        return 1
    print(result.summary_line(), flush=True)
    return 1 if result.error_count else 0


def _add_search(subparsers: _Subparsers) -> None:
    parser = _new_parser(
        subparsers,
        "search",
        "full-text search: matching articles as JSON, best first",
        """
        Search titles, text, tweets, photo captions and quotes, and print one JSON object per
        matching article, best match first:
          {"id", "source", "title", "date", "score", "snippet"}
        Every word must match (case and accents ignored); the last word also matches as a
        prefix; "double quotes" keep a phrase together. Any text is a valid query.
        PATHs are indexed first (only new and changed files are parsed) and the search is
        limited to them. With no PATH, search everything already in the article cache (see
        `reader index`), or the bundled samples while the cache is empty.
        """,
        _examples(
            "reader search harbour ~/articles",
            "reader search '\"night ferry\"' | jq -r .title",
            "reader search --limit 5 mayor",
        ),
    )
    parser.add_argument("query", metavar="QUERY", help="words to find")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files, folders or glob patterns")
    parser.add_argument(
        "--limit", type=int, default=100, metavar="N", help="at most N results (default 100)"
    )
    parser.set_defaults(func=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    from reader.indexer import scope_of

    if args.limit < 1:
        report("--limit must be at least 1")
        return 2
    status = 0
    with _open_cache(args) as cache:
        paths = list(args.paths)
        if not paths and cache.count() == 0:
            paths = _paths_or_default([])
        under = None
        if paths:
            # Progress on a terminal's stderr (a cold index of a big folder takes a while);
            # the results on stdout stay clean for a pipe.
            result = _run_index(paths, cache, show_progress=sys.stderr.isatty())
            status = 1 if result is None or result.error_count else 0
            under = scope_of(paths)
        hits = cache.search(args.query, limit=args.limit, under=under)
        rows = cache.summaries_by_id(hit.article_id for hit in hits)
    for hit in hits:
        summary = rows.get(hit.article_id)
        if summary is None:
            continue
        write_json_line(
            {
                "id": hit.article_id,
                "source": summary.source,
                "title": summary.title,
                "date": summary.date.isoformat() if summary.date else None,
                "score": hit.score,
                "snippet": hit.snippet,
            }
        )
    return status


SUBCOMMANDS.extend([_add_index, _add_search])


# ---------------------------------------------------------------------------------------------
# The parser and main()


def _global_options(*, suppress_defaults: bool = False) -> argparse.ArgumentParser:
    """Options accepted before or after the subcommand.

    The subcommand copies use SUPPRESS defaults so they never overwrite a value given before it.
    """
    parser = argparse.ArgumentParser(add_help=False)
    env_dir = os.environ.get(DATA_DIR_ENV) or None
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS if suppress_defaults else env_dir,
        help=f"where saved state lives (default: ${DATA_DIR_ENV}, else the user data folder)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS if suppress_defaults else None,
        help="configuration file to use instead of the user's config.toml",
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The complete argument parser (also used to generate documentation and in tests)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "A terminal news reader that finds the tweets, photo captions and quotes inside "
            "scraped articles.\n\n"
            "  reader [PATH...]          open the reading app (no PATH: the bundled samples)\n"
            "  reader COMMAND --help     help and examples for one command"
        ),
        epilog=_examples(
            "reader",
            "reader ~/articles",
            "reader parse article.txt",
            "reader list | jq -r .title",
            "reader show article.txt",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_global_options()],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for add in SUBCOMMANDS:
        add(subparsers)
    return parser


def _with_default_command(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """Insert `open` when no subcommand is named, so `reader PATH...` opens the app."""
    commands = set(subcommand_names(parser))
    takes_value = {"--data-dir", "--config"}
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            break
        if arg in takes_value:
            index += 2
            continue
        if arg.startswith("-") and arg != "-":
            if arg in {"-h", "--help", "--version"}:
                return argv
            index += 1
            continue
        if arg in commands:
            return argv
        break
    return [*argv[:index], "open", *argv[index:]]


def subcommand_names(parser: argparse.ArgumentParser) -> list[str]:
    """The names of the subcommands `parser` knows, in registration order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(_with_default_command(list(sys.argv[1:] if argv is None else argv),
                                                   parser))
    try:
        status: int = args.func(args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # The reader of our output went away (`reader parse ... | head`): not an error of ours.
        # Point stdout at /dev/null so the interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        if sys.stderr.isatty():
            sys.stderr.write("\n")  # the shell's prompt starts below a progress line, not on it
        return 130

