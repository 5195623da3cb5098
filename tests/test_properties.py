"""Properties of the scraped-text parser on arbitrary input (hypothesis).

1. It never raises.
2. It loses nothing: every non-whitespace character of the sanitised input lands, in order, in
   some block text, signature field (author, handle, date) or credit, or header field. Only the
   punctuation that *is* the structure may go: a signature's dash and the `(@...)` around its
   handle, the brackets or bar around a credit, a header's `:` and `---`.

Inputs mix arbitrary text with the fragments the parser reacts to, so that signatures,
captions, headers, glued lines and quotes really occur. 2,000 examples per property.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.formats.scraped import parse_text
from reader.model import Article, PhotoCaption, Tweet
from reader.sanitize import clean_text

settings.register_profile(
    "parser-properties",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = settings.get_profile("parser-properties")

FRAGMENTS = [
    " — ",
    "—",
    " – ",
    " - ",
    "&mdash;",
    "--",
    "(@",
    ")",
    "(",
    "(@abc_1) ",
    "(@x) ",
    "May 3, 2021",
    " July 12, 2019",
    "Sept. 4, 2020",
    "\n",
    "\n\n",
    "\n\n\n\n",
    "\r\n",
    "\r",
    "\u00a0",
    " ",
    "pic.twitter.com/Ab12Cd34Ef",
    "https://t.co/Xy12Zz34Ww",
    "http://t.co/aB3dE5fG",
    " (AP Photo/Ann Lee)",
    "(EPA)",
    " | Ann Lee/Getty Images",
    " Photo: Ann Lee / Reuters",
    " Mandatory Credit: Jo Park-USA TODAY Sports - RTR1AB",
    "Featured image via Foo Bar",
    "Twitter: Pier Watch - ",
    '"',
    "“",
    "”",
    "«",
    "»",
    "'",
    " said ",
    " she said. ",
    ":",
    ".",
    "Name (@name) May 3, 2021",
    " — Ann (she/her) 🏳️\u200d🌈 (@ann) May 3, 2021",
    "(((AG)))",
    " date 2018-07-03 ",
    "title: Harbour\n",
    "date: 2020-01-02\n",
    "url: http://x.y/z\n",
    "---\n",
    "\x1b[31m",
    "\x1b]52;c;QQ==\x07",
    "\u202e",
    "\ufeff",
    "（路透）",
    "#tag",
    "@user",
    ".@user ",
    "10h12 : ",
    "Read More",
    "(CNN) ",
    "ab.Cd",
    "x.Yz",
    "  ",
    "\t",
    "🙏",
    "港口",
    "Ü",
]
fragment = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=25),
    st.text(alphabet="abc XYZ.,!?:;\"'()@#—-\n", max_size=25),
)
documents = st.lists(fragment, max_size=30).map("".join)

# Punctuation that only carries structure and may be consumed by it.
STRUCTURE = set("—–―-()（）@|:")


def _date_forms(date: dt.date) -> str:
    """Every way the input may have written the date (the walk skips what it does not need)."""
    full = date.strftime("%B")
    return f"{full} {full[:3]}. {full[:4]}. {date.day} {date.day:02d}, {date.year}"


def _stream(article: Article) -> str:
    """What the parser kept, in input order, without white space."""
    fields = sorted(article.extra.items()) + [
        ("date", article.date.isoformat() if article.date else ""),
        ("title", article.title),
        ("url", article.url or ""),
        ("author", article.author or ""),
    ]
    # The input may give its header fields in any order: the fields repeated once per field
    # hold every order as a subsequence (the walk can skip ahead in the stream, not back).
    parts = [f"{k}{v}\"'" for k, v in fields] * len(fields)
    for block in article.blocks:
        if isinstance(block, Tweet):
            if block.date is None:  # a live blog's `Twitter: Name - text`
                parts += ["Twitter", block.author, block.text, block.handle]
            else:
                parts += [block.text, block.author, block.handle, _date_forms(block.date)]
        elif isinstance(block, PhotoCaption):
            parts += [block.text, block.credit]
        else:
            parts.append(block.text)
    return "".join("".join(p.split()) for p in parts)


def _lost(source: str, article: Article) -> str | None:
    """The first input character not accounted for, with context; None if nothing is lost."""
    stream = _stream(article)
    body = "".join(clean_text(source).split())
    # The header fields come first in the stream but may come first or not at all in the
    # input; walk the body against the stream from the start, allowing skips in the stream.
    pos = 0
    for i, c in enumerate(body):
        if pos < len(stream) and stream[pos] == c:
            pos += 1
            continue
        if c in STRUCTURE:
            continue
        found = stream.find(c, pos)
        if found < 0:
            return f"{c!r} at {i}: ...{body[max(0, i - 30) : i + 10]!r}"
        pos = found + 1
    return None


@PROFILE
@given(documents)
def test_parser_never_raises(text):
    article = parse_text(text, source="prop.txt")
    assert isinstance(article.title, str)
    for quote in article.quotes:
        block = article.blocks[quote.block]
        assert 0 <= quote.start <= quote.end <= len(block.text)


@PROFILE
@given(documents)
def test_no_character_is_lost(text):
    article = parse_text(text, source="prop.txt")
    assert _lost(text, article) is None, (_lost(text, article), article.to_dict())


@PROFILE
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises_and_loses_nothing(text):
    article = parse_text(text, source="prop.txt")
    assert _lost(text, article) is None


def test_header_fields_in_any_order_lose_nothing():
    # Found by hypothesis: the oracle expected the header's url after its title.
    for text in ("url: http://x.y/z\ntitle: Harbour\n\n", "author: Ana\ntitle: Quay\n\nBody."):
        article = parse_text(text, source="x")
        assert _lost(text, article) is None


def test_the_walk_catches_a_lost_character():
    """The property is not vacuous: a block missing a character is noticed."""
    article = parse_text("Alpha beta.\n\nGamma delta.", source="x")
    broken = Article(id=article.id, source="x", title="", blocks=article.blocks[:1])
    assert _lost("Alpha beta.\n\nGamma delta.", broken) is not None
    assert _lost("Alpha beta.\n\nGamma delta.", article) is None
