"""The parsed-article cache on real SQLite files, with FTS5 and with the forced LIKE fallback."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.model import Article, Paragraph, PhotoCaption, Quote, Tweet, content_id
from reader.query import match_spans, parse_query
from reader.store.cache import CACHE_FILE, ArticleCache, CachedFile, fts5_available, word_count


def make(
    body: str,
    *,
    title: str = "",
    source: str = "/lib/a.txt",
    date: dt.date | None = None,
    tweets: tuple[Tweet, ...] = (),
    captions: tuple[PhotoCaption, ...] = (),
    quotes: tuple[tuple[str, str | None], ...] = (),
) -> Article:
    blocks = (Paragraph(body), *tweets, *captions)
    return Article(
        id=content_id(body + title),
        source=source,
        title=title or body[:40],
        blocks=blocks,
        quotes=tuple(Quote(t, s, 0, 0, len(t)) for t, s in quotes),
        date=date,
    )


META = CachedFile(10, 20, "hash")
MODES = [pytest.param(True, id="fts5"), pytest.param(False, id="like")]


@pytest.fixture(params=MODES)
def cache(request: pytest.FixtureRequest, tmp_path: Path) -> ArticleCache:
    if request.param and not fts5_available():
        pytest.skip("SQLite without FTS5")
    c = ArticleCache(tmp_path / CACHE_FILE, fts=request.param)
    yield c
    c.close()


def put(cache: ArticleCache, path: str, *articles: Article) -> None:
    cache.store(path, META, list(articles))


def rank_at_most(monkeypatch: pytest.MonkeyPatch, matches: int) -> None:
    """Search ranks at most `matches` matches in this test (`RANK_ALL_MAX`), so that a few
    articles take the paths a common word takes at 100,000."""
    import reader.store.cache as cache_module

    monkeypatch.setattr(cache_module, "RANK_ALL_MAX", matches)


def test_fallback_is_really_used_when_forced(tmp_path: Path) -> None:
    with ArticleCache(tmp_path / CACHE_FILE, fts=False) as c:
        sql = c.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'search_text'").fetchone()
        assert "fts5" not in sql[0].lower()
    # Reopened with FTS5 it is rebuilt in that mode (a cache is disposable).
    if fts5_available():
        with ArticleCache(tmp_path / CACHE_FILE) as c:
            assert c.fts and c.rebuilt


def test_summaries_in_list_order_and_round_trip(cache: ArticleCache) -> None:
    old = make("Old news about boats.", title="Beta", date=dt.date(2020, 1, 1), source="/l/1")
    new = make("New news about trains.", title="alpha", date=dt.date(2023, 5, 5), source="/l/2")
    undated = make("Undated words.", title="Aardvark", source="/l/3")
    same_day = make("Same day.", title="Zulu", date=dt.date(2023, 5, 5), source="/l/4")
    for a in (old, new, undated, same_day):
        put(cache, a.source, a)
    assert [s.title for s in cache.summaries()] == ["alpha", "Zulu", "Beta", "Aardvark"]
    assert [s.title for s in cache.summaries("title")] == ["Aardvark", "alpha", "Beta", "Zulu"]
    assert cache.summaries()[0] == new.summary()
    assert cache.article(new.id) == new
    assert cache.article("nope") is None
    assert cache.count() == 4


def test_scope_is_by_folder_not_by_string_prefix(cache: ArticleCache) -> None:
    put(cache, "/lib/news/a.txt", make("In news.", source="/lib/news/a.txt"))
    put(cache, "/lib/newsroom/b.txt", make("In newsroom.", source="/lib/newsroom/b.txt"))
    put(cache, "/lib/c.txt", make("Top level.", source="/lib/c.txt"))
    assert [s.source for s in cache.summaries(under=["/lib/news"])] == ["/lib/news/a.txt"]
    assert {s.source for s in cache.summaries(under=["/lib/news/", "/lib/c.txt"])} == {
        "/lib/news/a.txt",
        "/lib/c.txt",
    }
    assert len(cache.summaries(under=["/lib"])) == 3
    assert cache.summaries(under=[]) == []
    # Thousands of roots (a glob's files) are filtered without a giant WHERE clause.
    many = [f"/elsewhere/{i}.txt" for i in range(500)] + ["/lib/c.txt"]
    assert [s.source for s in cache.summaries(under=many)] == ["/lib/c.txt"]
    assert [h.snippet for h in cache.search("top", under=many)] == ["Top level."]
    assert cache.search("news", under=["/lib/newsroom"])[0].snippet == "In newsroom."


def test_store_replaces_and_forget_removes_everything(cache: ArticleCache) -> None:
    tweet = Tweet("Hello harbour", "Ann", "ann", dt.date(2020, 1, 2))
    put(cache, "/l/a", make("First version with lighthouse.", tweets=(tweet,)))
    put(cache, "/l/a", make("Second version with a windmill.", tweets=(tweet,)))
    assert cache.count() == 1
    assert cache.search("lighthouse") == []
    assert len(cache.search("windmill")) == 1
    assert len(cache.tweets_by("ann")) == 1
    assert cache.forget(["/l/a", "/l/missing"]) == 1
    assert cache.count() == 0 and cache.files() == {}
    assert cache.search("windmill") == [] and cache.accounts() == []


def test_replacing_and_forgetting_leave_no_rows_behind(cache: ArticleCache) -> None:
    # The cache does not enforce its foreign keys: `_forget` deletes the children itself.
    tweet = Tweet("Hello harbour", "Ann", "ann", dt.date(2020, 1, 2))
    quotes = (("We will build it.", "The Mayor"),)
    first = make("First version.", tweets=(tweet,), quotes=quotes)
    second = make("Second version.", tweets=(tweet, tweet), quotes=quotes * 2)
    put(cache, "/l/a", first, first)
    put(cache, "/l/b", first)
    put(cache, "/l/a", second)

    def rows() -> dict[str, int]:
        tables = ("files", "articles", "tweets", "quotes")
        return {t: cache.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    assert rows() == {"files": 2, "articles": 2, "tweets": 3, "quotes": 3}
    cache.forget(["/l/a"])
    assert rows() == {"files": 1, "articles": 1, "tweets": 1, "quotes": 1}
    cache.forget(["/l/b"])
    assert rows() == {"files": 0, "articles": 0, "tweets": 0, "quotes": 0}


def test_the_index_itself_forgets_replaced_text(cache: ArticleCache) -> None:
    # `search` drops rowids that have no article, so ask the search table directly: a
    # contentless FTS5 index keeps stale words unless a delete gives back the exact text.
    caption = PhotoCaption("Crane at dusk", "Staff photo")
    tweet = Tweet("Ferry strike ends", "Bo", "bo", None)
    old = make(
        "Lighthouse keeper retires.",
        captions=(caption,),
        tweets=(tweet,),
        quotes=(("Never again", "The Keeper"),),
    )
    put(cache, "/l/a", old, make("Second article about gulls."))
    put(cache, "/l/a", make("Windmill restored."))
    column = "search_text" if cache.fts else "f_body"
    for word in ("lighthouse", "crane", "ferry", "keeper", "gulls"):
        if cache.fts:
            sql = "SELECT count(*) FROM search_text WHERE search_text MATCH ?"
            found = cache.conn.execute(sql, (word,)).fetchone()[0]
        else:
            found = cache.conn.execute(
                f"SELECT count(*) FROM search_text WHERE {column} LIKE ?", (f"% {word} %",)
            ).fetchone()[0]
        assert found == 0, word
    cache.forget(["/l/a"])
    assert (
        cache.conn.execute(
            "SELECT count(*) FROM search_text_docsize"
            if cache.fts
            else "SELECT count(*) FROM search_text"
        ).fetchone()[0]
        == 0
    )


def test_article_text_is_stored_once_and_compressed(tmp_path: Path) -> None:
    if not fts5_available():
        pytest.skip("SQLite without FTS5")
    body = "Zebra crossing near the quay. " * 200
    with ArticleCache(tmp_path / CACHE_FILE) as c:
        put(c, "/l/a", make(body, title="Quay"))
        blob = c.conn.execute("SELECT data FROM articles").fetchone()[0]
        assert isinstance(blob, bytes) and len(blob) < len(body) // 10
        tables = {r[0] for r in c.conn.execute("SELECT name FROM sqlite_master")}
        assert "search_text_content" not in tables  # FTS5 keeps no copy of the text
        assert c.article(make(body, title="Quay").id) == make(body, title="Quay")
        hit = c.search("zebra")[0]
        assert "Zebra crossing" in hit.snippet


def test_files_remember_size_mtime_hash_count_and_error(cache: ArticleCache) -> None:
    cache.store("/l/bad", CachedFile(1, 2, "h1", 0, "binary file"), [])
    cache.store("/l/good", CachedFile(3, 4, "h2"), [make("x y z")])
    cache.touch("/l/good", CachedFile(5, 6, "h2"))
    assert cache.files() == {
        "/l/bad": CachedFile(1, 2, "h1", 0, "binary file"),
        "/l/good": CachedFile(5, 6, "h2", 1, None),
    }


# -- search ------------------------------------------------------------------------------------


def test_title_matches_rank_first_and_prefix_matches_while_typing(cache: ArticleCache) -> None:
    in_body = make("The lighthouse keeper spoke about the lighthouse at length.", title="Keeper")
    in_title = make("A short piece about weather.", title="Lighthouse reopens")
    other = make("Nothing relevant here at all.", title="Other")
    for i, a in enumerate((in_body, in_title, other)):
        put(cache, f"/l/{i}", a)
    hits = cache.search("lighthouse")
    assert [h.article_id for h in hits] == [in_title.id, in_body.id]
    assert hits[0].score >= hits[1].score
    assert [h.article_id for h in cache.search("lightho")] == [in_title.id, in_body.id]
    # A finished word (trailing space) is not a prefix any more.
    assert cache.search("lightho ") == []


def test_tweets_captions_quotes_and_accents_are_searchable(cache: ArticleCache) -> None:
    a = make(
        "Plain body.",
        tweets=(Tweet("Sunset over the quay", "Port Cam", "portcam", None),),
        captions=(PhotoCaption("Gulls on the roof", "Photo: Ida Rönne"),),
        quotes=(("We will rebuild the café", "Mayor Okafor"),),
    )
    put(cache, "/l/a", a)
    for query in ("quay", "portcam", "gulls", "ronne", "RÖNNE", "cafe", "okafor", "Café"):
        assert [h.article_id for h in cache.search(query)] == [a.id], query
    assert cache.search("gulls")[0].snippet.startswith("Gulls on the roof")


def test_every_word_must_match_and_phrases_stay_together(cache: ArticleCache) -> None:
    put(cache, "/l/1", make("red boat in the harbour"))
    put(cache, "/l/2", make("boat painted red"))
    assert len(cache.search("red boat")) == 2
    assert len(cache.search('"red boat"')) == 1
    assert cache.search("red plane") == []


def test_a_last_word_of_one_letter_still_narrows_the_search(
    cache: ArticleCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `storm f` (the first letter of a second word) keeps only the articles with a word
    # starting with "f", in any column, accents folded as FTS5 folds them. "storm" alone
    # matches more than can be ranked (3 > 2 here); the one article left is few: ranked.
    rank_at_most(monkeypatch, 2)
    with_f = make(
        "Storm damage at the quay.",
        title="Storm notes",
        tweets=(Tweet("Ferry cancelled", "Port Cam", "portcam", None),),
    )
    without = make("Storm hits the coast.", title="Storm report")
    accented = make("Storm était là.", title="Storm ici")
    put(cache, "/l/f", with_f)
    put(cache, "/l/n", without)
    put(cache, "/l/e", accented)
    for i in range(4):  # a corpus where "storm" is rare enough to weigh something in bm25
        put(cache, f"/l/other{i}", make(f"Calm seas, day {i}.", title=f"Calm {i}"))
    assert {h.article_id for h in cache.search("storm")} == {with_f.id, without.id, accented.id}
    hits = cache.search("storm f")
    assert [h.article_id for h in hits] == [with_f.id]
    if cache.fts:  # few matches: ranked (by "storm"), so scored, as any query few match
        assert hits[0].score > 0
    assert [h.article_id for h in cache.search("storm e")] == [accented.id]
    assert [h.article_id for h in cache.search("storm é", snippets=False)] == [accented.id]
    assert cache.search("storm x") == []
    assert cache.search("storm f ") == []  # a finished one-letter word is a word: no "f" alone


HOSTILE = [
    '"',
    '""',
    "*",
    "(",
    ")",
    "NEAR(",
    "NEAR(a b, 2)",
    "-",
    "-boat",
    "a:b",
    "title:boat",
    "boat*",
    "^boat",
    "AND",
    "OR OR",
    "NOT",
    "{title body}: boat",
    "'; DROP TABLE articles; --",
    "%_\\",
    "\x00\x1b[31m",
    "   ",
    "",
    "🙂",
    "boat\u202e",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_any_query_is_safe(cache: ArticleCache, query: str) -> None:
    put(cache, "/l/1", make("boat title and words"))
    hits = cache.search(query)
    assert all(h.article_id for h in hits)
    assert cache.count() == 1  # nothing was dropped or damaged


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=40))
def test_arbitrary_text_never_raises(cache: ArticleCache, query: str) -> None:
    if cache.count() == 0:
        put(cache, "/l/1", make("some words to find"))
    cache.search(query)


def test_query_words_and_spans_agree_with_search() -> None:
    q = parse_query("Élysée quot")
    assert q.words == ("elysee", "quot") and q.prefix
    text = "The ELYSEE quoted; not elys."
    assert [text[s:e] for s, e in match_spans(text, q)] == ["ELYSEE", "quoted"]


# -- library-wide views ------------------------------------------------------------------------


def test_tweets_by_account_and_shared_tweets(cache: ArticleCache) -> None:
    day = dt.date(2022, 3, 4)
    shared_a = Tweet(
        "Bridge closed tonight https://t.co/A1", "City Roads", "CityRoads", day, ("x",)
    )
    shared_b = Tweet("Bridge closed tonight", "City Roads", "cityroads", day)  # no link, other case
    solo = Tweet("Bridge open again", "City Roads", "CityRoads", dt.date(2022, 3, 5))
    other = Tweet("Nice day", "Sun Fan", "sunfan", day)
    a = make("Article one.", source="/l/1", date=day, tweets=(shared_a, other))
    b = make("Article two.", source="/l/2", date=day, tweets=(shared_b, solo))
    put(cache, "/l/1", a)
    put(cache, "/l/2", b)
    accounts = cache.accounts()
    assert [(x.handle.lower(), x.tweets, x.articles) for x in accounts] == [
        ("cityroads", 3, 2),
        ("sunfan", 1, 1),
    ]
    assert [t.text for t in cache.tweets_by("@CITYROADS")][-1] == "Bridge open again"
    grouped = cache.tweets_by_account()
    assert sorted(len(v) for v in grouped.values()) == [1, 3]
    (shared,) = cache.shared_tweets()
    assert set(shared.article_ids) == {a.id, b.id}
    assert {s.id for s in cache.articles_sharing(shared.key)} == {a.id, b.id}
    assert [t.block for t in cache.tweets_in(a.id)] == [1, 2]


def test_quotes_by_speaker(cache: ArticleCache) -> None:
    put(
        cache,
        "/l/1",
        make("One.", quotes=(("We are ready", "Mayor  Okafor"), ("No comment", None))),
    )
    put(cache, "/l/2", make("Two.", quotes=(("Not yet", "mayor okafor"),)))
    assert cache.speakers() == [("Mayor  Okafor", 2)] or cache.speakers()[0][1] == 2
    assert sorted(q.text for q in cache.quotes_by("MAYOR OKAFOR")) == ["Not yet", "We are ready"]


def test_summaries_by_id(cache: ArticleCache) -> None:
    a = make("Alpha text.", source="/l/1")
    put(cache, "/l/1", a)
    assert cache.summaries_by_id([a.id, "missing"]) == {a.id: a.summary()}


# -- a damaged or unusable file --------------------------------------------------------------------


def test_corrupt_file_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / CACHE_FILE
    path.write_bytes(b"this is not a database at all" * 100)
    with ArticleCache(path) as c:
        assert c.rebuilt and c.messages
        put(c, "/l/1", make("Works again."))
        assert c.count() == 1
    with ArticleCache(path) as c:
        assert not c.rebuilt and c.count() == 1


def test_older_schema_version_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / CACHE_FILE
    with ArticleCache(path) as c:
        put(c, "/l/1", make("Old."))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with ArticleCache(path) as c:
        assert c.rebuilt and c.count() == 0


def test_unusable_data_dir_falls_back_to_a_temporary_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with ArticleCache.open(blocker / "data") as c:
        assert c.messages and "temporary" in c.messages[0]
        assert not str(c.path).startswith(str(tmp_path))
        put(c, "/l/1", make("Still searchable."))
        assert len(c.search("searchable")) == 1
        # A second connection (the app's indexing thread) sees the same temporary cache.
        with ArticleCache.open(blocker / "data") as other:
            assert other.path == c.path
            assert len(other.search("searchable")) == 1


def test_two_connections_one_writing_one_reading(tmp_path: Path) -> None:
    path = tmp_path / CACHE_FILE
    with ArticleCache(path) as writer, ArticleCache(path) as reader:
        with writer.batch():
            put(writer, "/l/1", make("Uncommitted yet."))
            assert reader.count() == 0  # WAL: the reader is not blocked, sees the last commit
        assert reader.count() == 1


def test_snippets_only_for_the_rows_shown(cache: ArticleCache) -> None:
    long_body = "Opening words. " * 40 + "The lighthouse keeper waved. " + "Closing words. " * 40
    a = make(long_body, source="/l/1")
    put(cache, "/l/1", a)
    (hit,) = cache.search("lighthouse", snippets=False)
    assert hit.snippet == ""
    (full,) = cache.search("lighthouse")
    assert "lighthouse keeper" in full.snippet and full.snippet.startswith("…")
    assert len(full.snippet) < 130
    assert cache.snippets("lighthouse", [a.id, "missing"]) == {a.id: full.snippet}


def test_scope_memo_follows_changes_from_any_connection(
    cache: ArticleCache, tmp_path: Path
) -> None:
    put(cache, "/lib/a", make("Harbour one.", source="/lib/a"))
    assert len(cache.search("harbour", under=["/lib"])) == 1  # covers everything: no path test
    put(cache, "/other/b", make("Harbour two.", source="/other/b"))
    assert len(cache.search("harbour", under=["/lib"])) == 1
    assert len(cache.search("harbour")) == 2
    # Another connection adds a file inside the scope: seen at once (PRAGMA data_version).
    with ArticleCache(cache.path, fts=cache.fts) as other:
        put(other, "/lib/c", make("Harbour three.", source="/lib/c"))
    assert len(cache.search("harbour", under=["/lib"])) == 2


def test_pages_match_the_full_list(cache: ArticleCache) -> None:
    for i in range(30):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=i % 7)
        source = f"/lib/{'a' if i % 3 else 'b'}/{i}.txt"
        put(cache, source, make(f"Article number {i}.", source=source, date=day))
    for order in ("date", "title", "source"):
        full = cache.summaries(order)  # type: ignore[arg-type]
        pages = [
            s
            for offset in range(0, 30, 7)
            for s in cache.summaries_page(order, offset=offset, limit=7)  # type: ignore[arg-type]
        ]
        assert pages == full
    scoped = cache.summaries(under=["/lib/b"])
    assert cache.count(under=["/lib/b"]) == len(scoped) == 10
    assert cache.summaries_page(offset=3, limit=4, under=["/lib/b"]) == scoped[3:7]
    many = [f"/nowhere/{i}" for i in range(100)] + ["/lib/b"]
    assert cache.summaries_page(offset=3, limit=4, under=many) == scoped[3:7]
    assert cache.count(under=many) == 10 and cache.count() == 30


def test_huge_match_sets_put_title_matches_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not fts5_available():
        pytest.skip("SQLite without FTS5")
    rank_at_most(monkeypatch, 2)
    with ArticleCache(tmp_path / CACHE_FILE) as c:
        body_only = [make(f"Harbour news number {i}.", title=f"Story {i}") for i in range(4)]
        titled = make("Other words entirely.", title="Harbour reopens")
        for i, a in enumerate([*body_only, titled]):
            put(c, f"/l/{i}", a)
        hits = c.search("harb")
        assert hits[0].article_id == titled.id and hits[0].score > 0
        assert sorted(h.article_id for h in hits[1:]) == sorted(a.id for a in body_only)
        assert all(h.score == 0.0 for h in hits[1:])
        assert len(c.search("harb", limit=2)) == 2


def test_more_title_matches_than_can_be_ranked_come_latest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not fts5_available():
        pytest.skip("SQLite without FTS5")
    rank_at_most(monkeypatch, 2)
    with ArticleCache(tmp_path / CACHE_FILE) as c:
        titled = [make(f"Body {i}.", title=f"Harbour story {i}") for i in range(3)]
        body_only = [make(f"The harbour again, {i}.", title=f"Other {i}") for i in range(2)]
        for i, a in enumerate([titled[0], *body_only, titled[1], titled[2]]):
            put(c, f"/l/{i}", a)
        # Three title matches (more than 2): no ranking, the title matches latest indexed
        # first, then the rest; a finished word and a one-letter prefix alike.
        expected = [titled[2].id, titled[1].id, titled[0].id, body_only[1].id, body_only[0].id]
        for query in ("harbour ", "h", "harb"):
            hits = c.search(query)
            assert [h.article_id for h in hits] == expected, query
            assert all(h.score == 0.0 for h in hits)
        assert [h.article_id for h in c.search("harb", limit=2)] == expected[:2]
        assert [h.article_id for h in c.search("harb", limit=4)] == expected[:4]
        # Few matches are ranked as before: the title match first, with a score. (A finished
        # "1": a lone last letter is ranked by the other words alone, see the test above.)
        hits = c.search("story 1 ")
        assert [h.article_id for h in hits] == [titled[1].id] and hits[0].score > 0


def test_a_rare_finished_word_lets_a_query_with_a_common_one_be_ranked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not fts5_available():
        pytest.skip("SQLite without FTS5")
    rank_at_most(monkeypatch, 2)
    with ArticleCache(tmp_path / CACHE_FILE) as c:
        for i in range(4):
            put(c, f"/l/{i}", make(f"Harbour news {i}.", title=f"Story {i}"))
        put(c, "/l/r", make("A rare gannet over the harbour.", title="Birds"))
        put(c, "/l/s", make("Gannet and harbour, gannet again.", title="More birds"))
        assert c._few_match_a_word(parse_query("gannet harb"))  # "gannet": 2 matches
        assert not c._few_match_a_word(parse_query("harbour gann"))  # "harbour": 6
        assert not c._few_match_a_word(parse_query("gannet"))  # one word: the probe counts
        # Ranked (no title matches, yet every hit has a score), the closer match first.
        hits = c.search("gannet harb")
        assert [h.article_id for h in hits][0] == make(
            "Gannet and harbour, gannet again.", title="More birds"
        ).id
        assert len(hits) == 2 and all(h.score > 0 for h in hits)


def test_titles_index_follows_replacements(tmp_path: Path) -> None:
    if not fts5_available():
        pytest.skip("SQLite without FTS5")
    with ArticleCache(tmp_path / CACHE_FILE) as c:
        put(c, "/l/a", make("Body.", title="Lighthouse keeper"))
        put(c, "/l/a", make("Body.", title="Windmill restored"))
        titles = "SELECT count(*) FROM search_titles WHERE search_titles MATCH ?"
        assert c.conn.execute(titles, ("lighthouse",)).fetchone()[0] == 0
        assert c.conn.execute(titles, ("windmill",)).fetchone()[0] == 1
        c.forget(["/l/a"])
        assert c.conn.execute("SELECT count(*) FROM search_titles_docsize").fetchone()[0] == 0


def test_a_cache_without_the_titles_index_gets_one_without_a_rebuild(tmp_path: Path) -> None:
    if not fts5_available():
        pytest.skip("SQLite without FTS5")
    import reader.store.cache as cache_module

    path = tmp_path / CACHE_FILE
    article = make("Body text.", title="Harbour reopens")
    with ArticleCache(path) as c:
        put(c, "/l/1", article)
        # What the version before wrote: everything but the titles index.
        c.conn.execute("DROP TABLE search_titles")
        c.conn.execute(f"PRAGMA user_version = {cache_module._TITLELESS_VERSION}")
    with ArticleCache(path) as c:
        assert not c.rebuilt and c.count() == 1
        version = c.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == cache_module.CACHE_VERSION
        titles = "SELECT rowid FROM search_titles WHERE search_titles MATCH 'harbour'"
        assert len(c.conn.execute(titles).fetchall()) == 1
        assert [h.article_id for h in c.search("harb")] == [article.id]


def test_a_rebuild_drops_every_index_and_its_shadow_tables(tmp_path: Path) -> None:
    path = tmp_path / CACHE_FILE
    with ArticleCache(path) as c:
        put(c, "/l/1", make("Old."))
        before = {r[0] for r in c.conn.execute("SELECT name FROM sqlite_master")}
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    with ArticleCache(path) as c:
        assert c.rebuilt and c.count() == 0
        assert c.path == path  # rebuilt in place, not moved to a temporary file
        assert {r[0] for r in c.conn.execute("SELECT name FROM sqlite_master")} == before


@pytest.mark.parametrize(
    "query",
    [" ".join(f"word{i}" for i in range(5000)), "a" * 100_000, '"' + "x " * 3000 + '"'],
    ids=["5000 words", "one 100k-letter word", "3000-word phrase"],
)
def test_pasted_pages_are_safe_queries(cache: ArticleCache, query: str) -> None:
    put(cache, "/l/1", make("word1 word2 word3"))
    assert isinstance(cache.search(query), list)


def test_a_locked_cache_is_never_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / CACHE_FILE
    with ArticleCache(path) as c:
        put(c, "/l/1", make("Kept."))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a long write
    monkeypatch.setattr("reader.store.sqlite.BUSY_TIMEOUT_MS", 50)
    try:
        with ArticleCache(path) as c:
            assert c.messages and c.path != path
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with ArticleCache(path) as c:
        assert not c.rebuilt and c.count() == 1


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(), max_size=4),
    st.lists(st.text(alphabet=st.characters(max_codepoint=127))),
    # ASCII with non-ASCII word characters, non-word ones, or both (each a path of its own).
    st.lists(st.text(alphabet="ab1_ .,\n-éЖ中ß\u0301—🌊«"), max_size=4),
)
def test_word_count_matches_the_model(
    texts: list[str], ascii_texts: list[str], mixed_texts: list[str]
) -> None:
    # The cache counts words on bytes; it must agree with Article.words (the regex).
    for sample in (texts, ascii_texts, mixed_texts):
        article = (
            make("x", tweets=())
            if not sample
            else Article(id="a", source="s", title="t", blocks=tuple(Paragraph(t) for t in sample))
        )
        assert word_count([b.text for b in article.blocks]) == article.words


def test_a_file_from_an_older_version_gets_the_current_layout(tmp_path: Path) -> None:
    # Version 3 files had 4 KB pages and no auto-vacuum; a rebuild moves them to the new layout.
    path = tmp_path / CACHE_FILE
    old = sqlite3.connect(path)
    old.execute("PRAGMA page_size = 4096")
    old.execute("PRAGMA journal_mode = WAL")
    old.execute("CREATE TABLE articles (data TEXT)")
    old.execute("INSERT INTO articles VALUES ('x')")
    old.execute("PRAGMA user_version = 3")
    old.commit()
    old.close()
    with ArticleCache(path) as c:
        assert c.rebuilt
        pragmas = [
            c.conn.execute(f"PRAGMA {p}").fetchone()[0]
            for p in ("page_size", "auto_vacuum", "journal_mode")
        ]
        assert pragmas == [16384, 2, "wal"]
        put(c, "/l/1", make("Fresh start."))
        assert c.count() == 1


def test_articles_parsed_by_other_parser_code_are_dropped_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / CACHE_FILE
    with ArticleCache(path) as c:
        put(c, "/l/1", make("Parsed by the old parser."))
        assert c.count() == 1
    with ArticleCache(path) as c:  # same parser: kept
        assert c.count() == 1
    monkeypatch.setattr("reader.store.cache.parser_fingerprint", lambda: "an-upgraded-parser")
    with ArticleCache(path) as c:
        assert c.count() == 0  # every file is read again by the next index
        assert not c.rebuilt and not c.messages  # an upgrade is not damage: nothing to say


_BLOCK = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["paragraph", "tweet", "photo_caption"]),
        "text": st.text(alphabet="ab .\n", max_size=30),
        "author": st.just("An Author"),
        "handle": st.just("ab"),
        "credit": st.text(alphabet="ab ", max_size=8),
    }
)


@given(
    title=st.text(alphabet="ab ", max_size=12),
    blocks=st.lists(_BLOCK, max_size=5),
    quotes=st.lists(
        st.fixed_dictionaries(
            {"text": st.text(alphabet="ab ", max_size=10), "speaker": st.just("Bab")}
        ),
        max_size=2,
    ),
    query=st.sampled_from(["a", "b", "ab", "ba ", "bab", "an", "zz"]),
)
def test_a_snippet_is_cut_from_the_same_column_as_from_all_columns(
    title: str, blocks: list[dict[str, str]], quotes: list[dict[str, str]], query: str
) -> None:
    from reader.store.cache import _snippet_from, _snippet_of, search_columns

    data = {"title": title, "blocks": blocks, "quotes": quotes}
    q = parse_query(query)
    assert _snippet_of(data, q) == _snippet_from(list(search_columns(data)), q)


@pytest.mark.parametrize("rank_all_max", [3, 2000])
def test_full_text_search_and_the_fallback_find_the_same_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rank_all_max: int
) -> None:
    # Whatever path a query takes (ranked, titles first, latest first, a lone last letter),
    # the FTS5 index finds exactly the articles the LIKE fallback finds: the same words, the
    # same prefixes, accents folded the same way. Seeded, so a failure reproduces.
    if not fts5_available():
        pytest.skip("SQLite without FTS5")
    import random

    rank_at_most(monkeypatch, rank_all_max)
    rng = random.Random(7)
    words = "storm ferry fête café harbour harbor fog flood field rain river road ébène élan"
    vocabulary = words.split()

    def sentence(n: int) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(n)).capitalize() + "."

    fts = ArticleCache(tmp_path / "fts.sqlite3", fts=True)
    like = ArticleCache(tmp_path / "like.sqlite3", fts=False)
    for i in range(150):
        blocks: list[Paragraph | Tweet | PhotoCaption] = [Paragraph(sentence(rng.randint(3, 10)))]
        if rng.random() < 0.3:
            blocks.append(Tweet(sentence(5), "Ana Ruiz", "ana", None))
        if rng.random() < 0.2:
            blocks.append(PhotoCaption(sentence(4), "Photo: Lu Fen"))
        article = Article(
            id=f"{i:016x}",
            source=f"/l/{i}",
            title=sentence(rng.randint(1, 4)),
            blocks=tuple(blocks),
        )
        for c in (fts, like):
            c.store(f"/l/{i}", META, [article])
    try:
        for _ in range(150):
            typed = [rng.choice(vocabulary) for _ in range(rng.randint(1, 3))]
            query = " ".join([*typed[:-1], typed[-1][: rng.randint(1, len(typed[-1]))]])
            found = {h.article_id for h in fts.search(query, limit=1000, snippets=False)}
            expected = {h.article_id for h in like.search(query, limit=1000, snippets=False)}
            assert found == expected, query
    finally:
        fts.close()
        like.close()


_TEXTS = st.text(alphabet="ab1_ .,\n\t-éЖß—🌊«İ", max_size=12)
_DATES = st.one_of(st.none(), st.dates())
_BLOCKS = st.one_of(
    st.builds(Paragraph, _TEXTS, st.booleans()),
    st.builds(
        Tweet,
        st.one_of(_TEXTS, st.sampled_from(["a http://t.co/x b", "pic.twitter.com/ab  c"])),
        _TEXTS,
        st.sampled_from(["", "Ab_c", "ÉCHO"]),
        _DATES,
        st.lists(_TEXTS, max_size=2).map(tuple),
    ),
    st.builds(PhotoCaption, _TEXTS, _TEXTS),
)


@settings(max_examples=300, deadline=None)
@given(
    title=_TEXTS,
    date=_DATES,
    blocks=st.lists(_BLOCKS, max_size=5),
    quotes=st.lists(st.tuples(_TEXTS, st.one_of(st.none(), _TEXTS)), max_size=3),
)
def test_a_prepared_article_holds_what_its_dict_gives(
    title: str,
    date: dt.date | None,
    blocks: list[Paragraph | Tweet | PhotoCaption],
    quotes: list[tuple[str, str | None]],
) -> None:
    # prepare_article builds the search columns and rows from the blocks in one pass; they must
    # be what search_columns gives for the stored dict (the FTS5 deletes use that), and the
    # rows what the article's own fields give.

    from reader.store.cache import _handle_key, _unpack, prepare_article, search_columns, tweet_key

    article = Article(
        id="a",
        source="/s.txt",
        title=title,
        blocks=tuple(blocks),
        quotes=tuple(Quote(t, s, 0, 0, len(t)) for t, s in quotes),
        date=date,
    )
    row, columns, tweet_rows, quote_rows = prepare_article(article)
    data = article.to_dict()
    assert columns == search_columns(data)
    assert _unpack(row[-1]) == data
    assert row[4] == (date.isoformat() if date else None)
    assert row[6:10] == (
        len(article.tweets),
        len(article.captions),
        len(article.quotes),
        article.words,
    )
    assert tweet_rows == [
        (
            i,
            _handle_key(b.handle, b.author),
            b.handle,
            b.author,
            b.date.isoformat() if b.date else None,
            b.text,
            tweet_key(b.handle, b.date.isoformat() if b.date else None, b.text),
        )
        for i, b in enumerate(article.blocks)
        if isinstance(b, Tweet)
    ]
    assert [r[2] for r in quote_rows] == [s for _, s in quotes if s]
