"""Focused tests for the Markdown, HTML, feed and JSON formats and their registration."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from reader.formats import LoadError, format_for, load_file
from reader.formats.html import article_from_html, split_credit
from reader.formats.markdown import front_matter
from reader.formats.markdown import parse as parse_markdown
from reader.library import iter_articles
from reader.model import Article, PhotoCaption, Tweet
from reader.paths import samples_dir

# -- registration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("<!DOCTYPE html>\n<html><body><p>x</p>", "html"),
        ("<!-- saved -->\n<html lang='en'>", "html"),
        ('<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed"),
        (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">',
            "feed",
        ),
        ("---\ntitle: A\n---\nBody", "markdown"),
        ("+++\ntitle = 'A'\n+++\nBody", "markdown"),
        ('{"title": "A", "text": "B"}', "json"),
        ('[{"title": "A"}]', "json"),
        ("Just some scraped prose.", "scraped"),
    ],
)
def test_unknown_extensions_are_sniffed(head: str, expected: str) -> None:
    assert format_for(Path("download.bin"), head).name == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.md", "markdown"),
        ("a.markdown", "markdown"),
        ("a.HTML", "html"),
        ("a.htm", "html"),
        ("a.rss", "feed"),
        ("a.atom", "feed"),
        ("a.xml", "feed"),
        ("a.json", "json"),
        ("a.jsonl", "json"),
        ("a.ndjson", "json"),
    ],
)
def test_extensions_choose_the_format(name: str, expected: str) -> None:
    assert format_for(Path(name), "whatever").name == expected


# -- Markdown ---------------------------------------------------------------------------------


def md(text: str) -> Article:
    (article,) = parse_markdown(text, "t.md")
    return article


def test_yaml_front_matter_is_loaded_safely(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\nBody text here.\n"
    article = md(text)
    assert not marker.exists()
    assert article.blocks[0].text == "Body text here."
    assert "python" not in article.title


def test_broken_front_matter_keeps_the_body() -> None:
    meta, body = front_matter("---\ntitle: [unclosed\n---\nStill here.\n")
    assert meta == {}
    assert body.strip() == "Still here."


def test_toml_front_matter_with_dates_and_author_list() -> None:
    article = md('+++\ntitle = "T"\ndate = 2020-02-29\nauthor = ["A B", "C D"]\n+++\nText.\n')
    assert (article.title, str(article.date), article.author) == ("T", "2020-02-29", "A B, C D")


def test_markdown_syntax_is_stripped_but_handles_keep_underscores() -> None:
    article = md("Some **bold**, _em_, `code`, [a link](http://x.example) and @some_handle.\n")
    assert article.blocks[0].text == "Some bold, em, code, a link and @some_handle."


def test_first_heading_is_the_title_when_there_is_no_front_matter() -> None:
    article = md("# The Title\n\nFirst paragraph.\n\n## Section\n\nSecond.\n")
    assert article.title == "The Title"
    assert [b.text for b in article.blocks] == ["First paragraph.", "Section", "Second."]


def test_image_with_a_credit_line_is_a_caption() -> None:
    article = md("![Boats at dawn](b.jpg)\n(Photo: Ada Lune / Coast Agency)\n\nAfter.\n")
    assert article.blocks[0] == PhotoCaption("Boats at dawn", "Photo: Ada Lune / Coast Agency")
    assert article.blocks[1].text == "After."


def test_blockquoted_tweet_is_found_by_the_scraped_splitter() -> None:
    article = md(
        "Intro paragraph for the piece.\n\n"
        "> Gates open at noon, bring a hat! #fete\n"
        "> — Village Fete (@villagefete) July 1, 2023\n"
    )
    (tweet,) = article.tweets
    assert (tweet.handle, tweet.text, str(tweet.date)) == (
        "villagefete",
        "Gates open at noon, bring a hat! #fete",
        "2023-07-01",
    )


# -- HTML -------------------------------------------------------------------------------------


def test_chrome_scripts_and_forms_never_reach_the_text() -> None:
    page = """<html><head><title>T</title><style>p{}</style></head><body>
    <nav><p>Menu item</p></nav><header><p>Site banner</p></header>
    <div><p>Real paragraph one, long enough to be the article body.</p>
    <p>Real paragraph two.</p><script>var secret = 1;</script>
    <form><p>Subscribe now</p></form></div>
    <aside><p>Related stories</p></aside><footer><p>Copyright</p></footer></body></html>"""
    article = article_from_html(page, "t.html")
    assert [b.text for b in article.blocks] == [
        "Real paragraph one, long enough to be the article body.",
        "Real paragraph two.",
    ]


def test_article_element_wins_over_denser_chrome() -> None:
    page = (
        "<body><div>" + "<p>sidebar text that is long</p>" * 10 + "</div>"
        "<article><p>The story.</p></article></body>"
    )
    assert [b.text for b in article_from_html(page, "t").blocks] == ["The story."]


def test_entities_are_decoded_once_and_escapes_removed() -> None:
    page = "<p>Fish &amp;amp; chips &lt;b&gt; \x1b[31mred\x1b[0m \u202eflip</p>"
    (block,) = article_from_html(page, "t").blocks
    assert block.text == "Fish &amp; chips <b> red flip"


def test_twitter_embed_with_parentheses_in_the_name() -> None:
    page = (
        '<blockquote class="twitter-tweet"><p>Line one<br>line two '
        '<a href="https://t.co/AbC">https://t.co/AbC</a></p>&mdash; Ann (she/her) Lee '
        '(@ann_lee) <a href="https://twitter.com/ann_lee/status/1">May 4, 2021</a></blockquote>'
    )
    (tweet,) = article_from_html(page, "t").blocks
    assert tweet == Tweet(
        "Line one\nline two https://t.co/AbC",
        "Ann (she/her) Lee",
        "ann_lee",
        __import__("datetime").date(2021, 5, 4),
        ("https://t.co/AbC",),
    )


def test_twitter_blockquote_without_a_signature_stays_text() -> None:
    page = '<blockquote class="twitter-tweet"><p>Just words</p> no signature</blockquote>'
    assert [b.text for b in article_from_html(page, "t").blocks] == ["Just words", "no signature"]


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Crowds at the pier. (AP Photo/Jo Ray)", ("Crowds at the pier.", "AP Photo/Jo Ray")),
        ("A goal in the rain (EPA)", ("A goal in the rain", "EPA")),
        (
            "The bridge at night Photo: Ola Dunn / Reuters",
            ("The bridge at night", "Photo: Ola Dunn / Reuters"),
        ),
        (
            "Mayor at the podium | Drew Kay/Getty Images",
            ("Mayor at the podium", "Drew Kay/Getty Images"),
        ),
        ("Two people (left) talking", ("Two people (left) talking", "")),
    ],
)
def test_caption_credit_split(caption: str, expected: tuple[str, str]) -> None:
    assert split_credit(caption) == expected


# -- feeds --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["/etc/passwd", "http://127.0.0.1:9/feed.xml"])
def test_feed_text_is_never_opened_or_fetched(tmp_path: Path, text: str) -> None:
    path = tmp_path / "weird.rss"
    path.write_text(text)
    started = time.monotonic()
    with pytest.raises(LoadError, match="no entries"):
        load_file(path)
    assert time.monotonic() - started < 5


def test_feed_without_entries_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    )
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert "not valid feed" in str(info.value)


# -- JSON / JSON Lines -----------------------------------------------------------------------------


def test_bad_lines_are_reported_by_number_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    good = json.dumps({"title": "Good", "text": "A good record with text."})
    path.write_text(f"{good}\nnot json\n[]\n{good}\n")
    items = list(iter_articles([path]))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, LoadError)]
    assert [a.title for a in articles] == ["Good", "Good"]
    (error,) = errors
    assert "line 2 (invalid JSON" in error.reason and "line 3 (not an object" in error.reason


def test_all_bad_records_fail_the_file(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"title": "no text"}\n{"title": "none either", "text": 3}\n')
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert info.value.articles == []
    assert "line 1" in info.value.reason and "line 2" in info.value.reason


@pytest.mark.parametrize(
    "document",
    [
        {"title": "One", "text": "Single object dataset."},
        [{"title": "One", "text": "Array of objects."}],
        {"articles": [{"title": "One", "articleBody": "Wrapped in articles."}]},
    ],
)
def test_json_shapes(tmp_path: Path, document: object) -> None:
    path = tmp_path / "d.json"
    path.write_text(json.dumps(document))
    (article,) = load_file(path)
    assert article.title == "One" and article.format == "json"


# -- the bundled samples of the new formats ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "handles", "captions"),
    [
        ("allotment-water-rota.md", ["hazellane_plots"], 1),
        ("night-ferry-returns.html", ["morvenstar_crew"], 1),
        ("harbour-notes.atom", ["isleferryinfo"], 1),
        ("valley-gazette.rss", ["uvdairy"], 1),
        ("reader-letters.jsonl", ["millbirders"], 1),
    ],
)
def test_samples_of_new_formats(name: str, handles: list[str], captions: int) -> None:
    articles = load_file(samples_dir() / name)
    assert [t.handle for a in articles for t in a.tweets] == handles
    assert sum(len(a.captions) for a in articles) == captions
    assert all(a.title and a.id for a in articles)


def test_a_heading_other_than_the_front_matter_title_is_kept() -> None:
    article = md("---\ntitle: Front title\n---\n# A different heading\n\nBody.\n")
    assert article.title == "Front title"
    assert [b.text for b in article.blocks] == ["A different heading", "Body."]


def test_text_as_a_list_of_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"title": "T", "body": ["First paragraph.", "Second one."]}))
    (article,) = load_file(path)
    assert [b.text for b in article.blocks] == ["First paragraph.", "Second one."]


def test_feed_entry_html_is_read_as_text_without_feedparsers_sanitiser(tmp_path: Path) -> None:
    # feedparser's HTML sanitiser is off (it was most of its time): the HTML path alone keeps
    # scripts, styles, handlers and markup out of the article, and a tweet embed is still one.
    html = (
        "<p>The pier reopened on Monday.</p>"
        "<script>steal(document.cookie)</script><style>p { color: red }</style>"
        '<p onclick="evil()">Visitors <b>[bold]</b> queued \x1b]52;c;aGk=\x07early.</p>'
        '<blockquote class="twitter-tweet"><p>Pier open! pic.twitter.com/Ab12Cd34</p>'
        "&mdash; Pier Trust (@piertrust) <a href=\"/piertrust/status/1\">May 4, 2024</a>"
        "</blockquote>"
    )
    path = tmp_path / "pier.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Pier</title><item>'
        f"<title>Pier reopens</title><description><![CDATA[{html}]]></description>"
        "</item></channel></rss>"
    )
    (article,) = load_file(path)
    text = "\n".join(block.text for block in article.blocks)
    assert "steal" not in text and "color" not in text and "evil" not in text
    assert "Visitors [bold] queued" in text and "\x1b" not in text and "\x07" not in text
    (tweet,) = [b for b in article.blocks if b.kind == "tweet"]
    assert tweet.handle == "piertrust" and tweet.text.startswith("Pier open!")


def test_gone_agrees_with_beautifulsoups_decomposed() -> None:
    # `_gone` reads the flag `decompose()` sets instead of the `decomposed` property (which
    # searches a tag's subtree when the flag is missing): both must agree on every node.
    from bs4 import BeautifulSoup

    from reader.formats.html import _gone

    soup = BeautifulSoup(
        "<div><nav><ul><li>Home</li></ul></nav><p>Kept <b>text</b><!-- note --></p>"
        "<aside><p>Dropped</p></aside></div>",
        "html.parser",
    )
    nodes = list(soup.descendants)
    soup.find("nav").decompose()
    soup.find("aside").decompose()
    assert [_gone(n) for n in nodes] == [n.decomposed for n in nodes]
    assert sum(_gone(n) for n in nodes) == 7  # nav, ul, li, "Home", aside, p, "Dropped"
