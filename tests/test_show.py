"""`reader show`: one article for a plain terminal; hostile text stays text, pipes stay plain."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reader.model import Article, Paragraph, PhotoCaption, Quote, Tweet
from reader.paths import samples_dir
from reader.render import make_console, print_article, short_date, tweet_header

ESC = "\x1b"
COLOUR_SGR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|4[0-9]|9[0-7])[;m]")


@pytest.fixture(autouse=True)
def isolated_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the developer's real data folder (subprocesses inherit this)."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("READER_CONFIG", raising=False)


def sample_article(**overrides: object) -> Article:
    fields: dict[str, object] = {
        "id": "0123456789abcdef",
        "source": "storm.txt",
        "title": "Storm Elin closes the coast road",
        "date": dt.date(2024, 1, 21),
        "blocks": (
            Paragraph('"Stay home tonight," the mayor said. Most people did.'),
            Tweet(
                text="Gusts of 141 km/h at Pelham Point #StormElin @metharbour https://t.co/Fq8WmZ",
                author="Met Harbour Office",
                handle="metharbour",
                date=dt.date(2018, 7, 3),
                links=("https://t.co/Fq8WmZ",),
            ),
            PhotoCaption(text="Waves break over the sea wall at Salt Quay.",
                         credit="Aled Rhys / Reuters"),
            Paragraph("Read More", boilerplate=True),
        ),
        "quotes": (Quote("Stay home tonight,", "the mayor", 0, 1, 19),),
    }
    fields.update(overrides)
    return Article(**fields)  # type: ignore[arg-type]


def render(article: Article, color: str = "never", width: int = 80) -> str:
    buffer = io.StringIO()
    console = make_console(buffer, color=color, width=width)  # type: ignore[arg-type]
    print_article(article, console)
    return buffer.getvalue()


def show(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env.update({"PYTHONIOENCODING": "utf-8", **(env or {})})
    return subprocess.run([sys.executable, "-m", "reader", "show", *args], env=full_env,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=60)


def test_tweet_header_reads_like_a_tweet_card() -> None:
    tweet = sample_article().blocks[1]
    assert isinstance(tweet, Tweet)
    assert tweet_header(tweet).plain == "Met Harbour Office @metharbour · Jul 3, 2018"
    assert short_date(dt.date(2024, 12, 25)) == "Dec 25, 2024"
    widget = Tweet(text="Lights back on.", author="Harbour Watch", handle="", date=None)
    assert tweet_header(widget).plain == "Harbour Watch"
    nameless = Tweet(text="x", author="", handle="metharbour", date=dt.date(2024, 1, 2))
    assert tweet_header(nameless).plain == "@metharbour · Jan 2, 2024"


def test_plain_rendering_has_every_part_and_no_escape_codes() -> None:
    out = render(sample_article())
    assert ESC not in out
    lines = out.splitlines()
    assert lines[0] == "Storm Elin closes the coast road"
    assert lines[1] == "Jan 21, 2024 · 1 min read"
    assert lines[2] == "storm.txt"
    # The tweet is a panel whose top border carries the header.
    header_line = next(line for line in lines if "@metharbour ·" in line)
    assert header_line.startswith("╭─ Met Harbour Office @metharbour · Jul 3, 2018 ")
    assert any(line.startswith("│ Gusts of 141 km/h") for line in lines)
    assert "  Photo: Waves break over the sea wall at Salt Quay." in lines
    assert "  Aled Rhys / Reuters" in lines
    assert "Read More" in lines


def test_a_credit_only_caption_sits_on_one_line() -> None:
    article = sample_article(blocks=(PhotoCaption(text="", credit="Featured image via Flickr"),),
                             quotes=())
    assert "  Photo: Featured image via Flickr" in render(article).splitlines()


def test_styles_mark_captions_credits_quotes_and_tweet_entities() -> None:
    out = render(sample_article(), color="always")
    assert "\x1b[2mAled Rhys / Reuters" in out  # dimmed credit
    assert "\x1b[3mWaves break over" in out  # italic caption
    assert "\x1b[3mStay home tonight," in out  # quoted speech
    assert re.search(r"\x1b\[1;36m#StormElin", out)  # hashtag
    assert re.search(r"\x1b\[4;34mhttps://t\.co/Fq8WmZ", out)  # link
    assert "\x1b[2mRead More" in out  # boilerplate dimmed


def test_no_color_keeps_shapes_but_drops_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = render(sample_article(), color="always")
    assert COLOUR_SGR.search(out) is None
    assert "╭─" in out


HOSTILE = "[bold]B[/bold] [link=https://x]L[/link] [@click=app.quit]Q[/] :smile:"


def test_markup_in_every_field_is_printed_literally() -> None:
    article = sample_article(
        title=HOSTILE,
        source="evil\x1b]52;c;aGk=\x07[red]name.txt",
        blocks=(
            Paragraph(HOSTILE),
            Tweet(text=HOSTILE, author="[bold]Admin[/bold]", handle="sys_notice",
                  date=dt.date(2024, 6, 2)),
            PhotoCaption(text=HOSTILE, credit="[link=https://x]Photo[/link]"),
        ),
        quotes=(),
    )
    out = render(article, color="always")
    plain = render(article)
    assert plain.count(HOSTILE) == 4  # title, paragraph, tweet body, caption
    assert "[bold]Admin[/bold] @sys_notice" in plain
    assert "[link=https://x]Photo[/link]" in plain
    assert "evil[red]name.txt" in plain  # the file name, minus its escape sequence
    assert "]52;" not in out and "\x07" not in out
    assert "\x1b]8;" not in out  # no hyperlink was created from article text
    assert "😄" not in out


def test_show_file_through_a_pipe_is_plain_text() -> None:
    path = samples_dir() / "storm_elin_live.txt"
    result = show(str(path))
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert ESC.encode() not in result.stdout
    assert text.startswith("Storm Elin live: coastal roads closed as gusts reach 140")
    assert "Harbour Coastguard @HarbourCG · Jan 21, 2024" in text
    assert "Photo: " in text
    assert max(len(line) for line in text.splitlines()) <= 88


def test_hostile_sample_sends_no_escape_from_content() -> None:
    path = samples_dir() / "hostile_terminal_tricks.txt"
    plain = show(str(path))
    styled = show("--color=always", str(path))
    assert plain.returncode == styled.returncode == 0
    assert ESC.encode() not in plain.stdout
    assert b"[@click=app.quit]" in plain.stdout and b"[bold red]" in plain.stdout
    assert b"\x1b]" not in styled.stdout  # no OSC (clipboard, hyperlink, title) at all
    assert b"\x07" not in styled.stdout and b"\x00" not in styled.stdout
    assert "\u202e".encode() not in styled.stdout
    # The only escapes are Rich's own SGR styles.
    assert re.sub(rb"\x1b\[[0-9;]*m", b"", styled.stdout).count(b"\x1b") == 0


def test_no_color_environment_is_honoured_even_with_always() -> None:
    path = samples_dir() / "harbour_city_promotion.txt"
    result = show("--color=always", str(path), env={"NO_COLOR": "1"})
    assert result.returncode == 0
    assert COLOUR_SGR.search(result.stdout.decode("utf-8")) is None
    colored = show("--color=always", str(path))
    assert COLOUR_SGR.search(colored.stdout.decode("utf-8")) is not None


def test_show_by_id_and_by_prefix() -> None:
    listing = subprocess.run([sys.executable, "-m", "reader", "list"], capture_output=True,
                             stdin=subprocess.DEVNULL, timeout=60)
    first = json.loads(listing.stdout.decode("utf-8").splitlines()[0])
    by_id = show(first["id"])
    by_prefix = show(first["id"][:8])
    assert by_id.returncode == 0, by_id.stderr
    assert by_id.stdout == by_prefix.stdout
    assert by_id.stdout.decode("utf-8").startswith(first["title"][:40])


def test_show_id_in_given_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ferries resume at dawn.\n\nQueues were short.\n")
    listing = subprocess.run([sys.executable, "-m", "reader", "list", str(tmp_path)],
                             capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    article_id = json.loads(listing.stdout)["id"]
    result = show(article_id, str(tmp_path))
    assert result.returncode == 0
    assert b"Queues were short." in result.stdout


def test_unknown_target_is_one_line_and_exit_1() -> None:
    result = show("no-such-file-or-id")
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr.decode() == "reader: no-such-file-or-id: no such file or article id\n"


def test_width_option_wraps_text() -> None:
    path = samples_dir() / "comet_ison_ten_years.txt"
    result = show("--width", "40", str(path))
    assert result.returncode == 0
    assert max(len(line) for line in result.stdout.decode("utf-8").splitlines()) <= 40
