"""The scraped plain-text parser: one focused test per variant of FORMAT.md.

Fixtures are small, inline, written for these tests; every account is invented.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from reader.formats.scraped import derive_title, parse, parse_text, split_blocks, tweet_length
from reader.model import Paragraph, PhotoCaption, Tweet, content_id

HELDOUT = Path(__file__).parent / "fixtures" / "heldout"


def kinds(article) -> list[str]:
    return [b.kind for b in article.blocks]


def only_tweet(article) -> Tweet:
    tweets = article.tweets
    assert len(tweets) == 1, [b.to_dict() for b in article.blocks]
    return tweets[0]


# --- metadata --------------------------------------------------------------------------------


def test_date_prefix_then_first_paragraph_on_the_same_line():
    a = parse_text(" date 2019-04-02 The pier reopened on Tuesday.\n\nMore later.", source="x.txt")
    assert a.date == dt.date(2019, 4, 2)
    assert a.blocks[0] == Paragraph("The pier reopened on Tuesday.")
    assert a.title == "The pier reopened on Tuesday."


def test_key_value_header():
    text = (
        "title: Night buses return\ndate: 2021-10-01\nurl: https://example.org/buses\n"
        "author: Desk\n\nThe night buses are back from Friday."
    )
    a = parse_text(text, source="x.txt")
    assert (a.title, a.date, a.url, a.author) == (
        "Night buses return",
        dt.date(2021, 10, 1),
        "https://example.org/buses",
        "Desk",
    )
    assert [b.text for b in a.blocks] == ["The night buses are back from Friday."]


def test_front_matter_header():
    text = "---\ntitle: Harbour lights\ndate: 2020-12-24\n---\nLights went up on the quay."
    a = parse_text(text, source="x.txt")
    assert a.title == "Harbour lights" and a.date == dt.date(2020, 12, 24)
    assert a.blocks == (Paragraph("Lights went up on the quay."),)


def test_a_first_line_that_only_looks_like_a_header_stays_text():
    a = parse_text("Warning: the bridge is shut.\n\nDrivers should use the ring road.", source="x")
    assert a.blocks[0].text == "Warning: the bridge is shut."


def test_title_is_derived_from_the_first_sentence_and_cut_near_100_characters():
    long = "The " + "very " * 40 + "long sentence ends here. Second sentence."
    title = derive_title(long)
    assert title.endswith("…") and len(title) <= 101
    assert not title[:-1].endswith(" ")
    assert derive_title("(CNN) Mr. Lee arrived at 9 a.m. on Monday. He left.") == (
        "Mr. Lee arrived at 9 a.m. on Monday."
    )


def test_title_of_a_long_text_collapses_only_its_head_with_the_same_result():
    def whole(text: str) -> str:  # what derive_title did: all of the text's white space
        return derive_title(" ".join(text.split()))

    sentence = "(CNN) -  Mr. Lee " + "walked \n\n along   the\tquay " * 30
    for text in (
        sentence + "at night. He left.",  # the first sentence ends after 400 characters
        sentence[:300] + " " * 400 + "then stopped. Done.",  # a head of mostly white space
        "Short start. " + "x " * 1000,
        "12:30 : " + "word " * 200,
    ):
        assert derive_title(text) == whole(text)


def test_article_id_comes_from_the_body_text_not_the_parser_output():
    body = "Rain all day.\n\nStill raining — Weather Cat (@weathercat) May 1, 2020"
    a = parse_text(body, source="a.txt")
    assert a.id == content_id(body)
    crlf = parse_text(body.replace("\n", "\r\n") + "  \n", source="b.txt")
    assert crlf.id == a.id


def test_parse_returns_one_article():
    (a,) = parse("Just one paragraph.", "one.txt")
    assert a.source == "one.txt" and a.blocks == (Paragraph("Just one paragraph."),)


# --- where the signature sits ------------------------------------------------------------------

SIG = "— Tide Tables (@tidetables) March 9, 2022"


def test_signature_in_the_same_paragraph():
    a = parse_text(f"Intro prose here.\n\nHigh water at 14:02 today. {SIG}\n\nAfter.", source="x")
    assert kinds(a) == ["paragraph", "tweet", "paragraph"]
    t = only_tweet(a)
    assert (t.text, t.author, t.handle, t.date) == (
        "High water at 14:02 today.",
        "Tide Tables",
        "tidetables",
        dt.date(2022, 3, 9),
    )


def test_signature_on_its_own_line():
    a = parse_text(f"Intro prose here.\n\nHigh water at 14:02 today.\n{SIG}", source="x")
    assert only_tweet(a).text == "High water at 14:02 today."
    assert a.blocks[0] == Paragraph("Intro prose here.")


def test_signature_in_its_own_paragraph():
    a = parse_text(
        f"Intro prose here.\n\nHigh water at 14:02 today.\n\n{SIG}\n\nAfter.", source="x"
    )
    assert only_tweet(a).text == "High water at 14:02 today."
    assert kinds(a) == ["paragraph", "tweet", "paragraph"]


def test_multi_line_tweet_before_a_signature_paragraph():
    text = f"See the notice:\n\nTides today:\nHigh 14:02\nLow 20:15\n\n{SIG}"
    assert only_tweet(parse_text(text, source="x")).text == "Tides today:\nHigh 14:02\nLow 20:15"


def test_dash_glued_to_the_link():
    text = (
        "Big waves https://t.co/Ab12Cd34Ef pic.twitter.com/Zz9Yy8Xx7W"
        "— Surf Cam (@surfcam) May 3, 2021"
    )
    t = only_tweet(parse_text(text, source="x"))
    assert t.text == "Big waves https://t.co/Ab12Cd34Ef pic.twitter.com/Zz9Yy8Xx7W"
    assert t.links == ("https://t.co/Ab12Cd34Ef", "pic.twitter.com/Zz9Yy8Xx7W")


def test_html_entity_dash_and_crlf_and_nbsp():
    text = (
        "Prose.\r\n\r\nFog on the estuary\u00a0again\r\n"
        "&mdash;\u00a0Estuary Log (@estuarylog) June 1, 2020\r\n"
    )
    t = only_tweet(parse_text(text, source="x"))
    assert t.text == "Fog on the estuary\u00a0again" and t.handle == "estuarylog"
    assert "\r" not in "".join(b.text for b in parse_text(text, source="x").blocks)


@pytest.mark.parametrize(
    "name",
    [
        "(((Quay Watch)))",
        "Boats, Incorporated",
        "Ana Lopes (she/her)",
        "Dock Cat 🐈\u200d⬛",
        "Dr. J. Ó Briain",
    ],
)
def test_display_names_with_parentheses_commas_emoji(name):
    t = only_tweet(
        parse_text(f"The ferry is late again — {name} (@dock_watch) July 2, 2019", source="x")
    )
    assert (t.author, t.handle, t.text) == (name, "dock_watch", "The ferry is late again")


def test_old_http_tco_links_are_listed():
    t = only_tweet(
        parse_text(
            "Read this http://t.co/aB3dE5fG — Old Account (@old_acct) May 5, 2011", source="x"
        )
    )
    assert t.links == ("http://t.co/aB3dE5fG",)


def test_link_only_tweet():
    t = only_tweet(
        parse_text(
            "Prose.\n\npic.twitter.com/Qq1Ww2Ee3R — Pic Only (@piconly) April 1, 2020", source="x"
        )
    )
    assert t.text == "pic.twitter.com/Qq1Ww2Ee3R" and t.links == ("pic.twitter.com/Qq1Ww2Ee3R",)


@pytest.mark.parametrize(
    "text",
    [
        ".@portauthority when does the gate open?",
        "@portauthority when does the gate open?",
        "#harbour gate still shut",
        "🚢 gate still shut",
        "Gate shut (1/2) — still waiting",
        "港口大門還是關著 🚢",
        "Das Tor ist immer noch zu.",
    ],
)
def test_tweets_in_any_language_and_with_leading_marks_or_own_dashes(text):
    t = only_tweet(
        parse_text(f"Prose paragraph.\n\n{text} — Gate Watch (@gatewatch) May 2, 2022", source="x")
    )
    assert t.text == text


# --- where a tweet starts ----------------------------------------------------------------------


def test_wide_gap_joins_a_multi_paragraph_tweet():
    text = (
        "Prose that opens the article and is long enough to be prose, with no tweet in it.\n\n"
        "Huge swell this morning.\n\n\n\nStay off the harbour wall. pic.twitter.com/Ab12Cd34Ef "
        "— Coast Watch (@coastwatch) Jan 3, 2022"
    )
    a = parse_text(text, source="x")
    assert (
        only_tweet(a).text
        == "Huge swell this morning.\n\nStay off the harbour wall. pic.twitter.com/Ab12Cd34Ef"
    )


def test_prose_that_introduces_and_repeats_a_tweet_is_not_part_of_it():
    text = (
        'The mayor tweeted that the square "will be closed until Friday" and thanked the crews.\n\n'
        "The square will be closed until Friday.\n\nThank you to every crew working tonight. "
        "— Mayor Ines Roy (@mayor_roy) Feb 2, 2021"
    )
    a = parse_text(text, source="x")
    assert only_tweet(a).text == (
        "The square will be closed until Friday.\n\nThank you to every crew working tonight."
    )
    assert a.blocks[0].kind == "paragraph"


def test_prose_ending_in_a_colon_introduces_the_tweet():
    text = (
        "The union's reply came at midnight:\n\n"
        "We are not going anywhere. — Crew Union (@crewunion) Apr 4, 2022"
    )
    a = parse_text(text, source="x")
    assert only_tweet(a).text == "We are not going anywhere."


def test_a_colon_intro_takes_every_short_paragraph_up_to_the_signature():
    text = (
        "The service announced the change on Monday:\n\nNo more late fees from March.\n\n"
        "We want everyone back through our doors.\n\n"
        "Libraries are for everyone. 📚 — Shire Libraries (@shirelibs) Feb 13, 2023"
    )
    assert only_tweet(parse_text(text, source="x")).text == (
        "No more late fees from March.\n\nWe want everyone back through our doors.\n\n"
        "Libraries are for everyone. 📚"
    )


def test_prose_that_introduces_the_next_post_is_not_swallowed_by_an_earlier_intro():
    text = (
        "The minister said:\n\nWe will build the bridge.\n\nCritics were quick to respond.\n\n"
        "Heard that before. — Bridge Critic (@bridgecritic) May 3, 2021"
    )
    a = parse_text(text, source="x")
    assert only_tweet(a).text == "Heard that before."
    assert kinds(a) == ["paragraph", "paragraph", "paragraph", "tweet"]


def test_a_short_prose_paragraph_before_a_tweet_stays_prose():
    text = (
        "The club confirmed the signing on Monday evening.\n\n"
        "Welcome, Amara! ✍️ — Quay FC (@quayfc) Jul 1, 2023"
    )
    a = parse_text(text, source="x")
    assert only_tweet(a).text == "Welcome, Amara! ✍️"
    assert a.blocks[0] == Paragraph("The club confirmed the signing on Monday evening.")


def test_a_tweetish_line_without_final_punctuation_joins_across_a_normal_gap():
    text = (
        "Fans were delighted.\n\nWHAT A GOAL 🔥🔥\n\n"
        "Cannot believe it #UpTheQuay — Quay Fan (@quayfan) May 3, 2021"
    )
    a = parse_text(text, source="x")
    assert only_tweet(a).text == "WHAT A GOAL 🔥🔥\n\nCannot believe it #UpTheQuay"
    assert a.blocks[0] == Paragraph("Fans were delighted.")


def test_a_pointing_emoji_introduces_like_a_colon():
    text = "Reaction was swift 👇\n\nCannot believe it #UpTheQuay — Quay Fan (@quayfan) May 3, 2021"
    a = parse_text(text, source="x")
    assert only_tweet(a).text == "Cannot believe it #UpTheQuay"


def test_back_to_back_tweets_the_previous_signature_is_a_hard_boundary():
    text = (
        "First tweet text — One (@one) May 1, 2020\n\n"
        "Second tweet text — Two (@two) May 1, 2020\n\n"
        "Third tweet\n\n\n\nstill third — Three (@three) May 2, 2020"
    )
    a = parse_text(text, source="x")
    assert [(t.handle, t.text) for t in a.tweets] == [
        ("one", "First tweet text"),
        ("two", "Second tweet text"),
        ("three", "Third tweet\n\nstill third"),
    ]


def test_280_character_limit_keeps_long_prose_out():
    prose = "Residents " + "waited in the rain for news of the ferry " * 6 + "and then went home."
    text = f"{prose}\n\n\n\nNo sailings today. — Ferry Desk (@ferrydesk) Jan 9, 2024"
    a = parse_text(text, source="x")
    assert only_tweet(a).text == "No sailings today."
    assert tweet_length("x https://t.co/Ab12Cd34Ef pic.twitter.com/Zz9Yy8Xx7W") == 2 + 23 + 1


def test_whole_article_on_one_line_is_split_back_into_blocks():
    text = (
        "The council met on Monday.Councillors voted to close the pool after a long debate."
        "One campaigner posted a photo.So sad to see it go. We tried! #SavePool "
        "pic.twitter.com/Ab12Cd34Ef— Pool Friends (@poolfriends) May 3, 2023The pool will close "
        "in June.The council said repairs were too costly.Nobody was surprised by the vote, which "
        "had been expected for weeks, and several councillors said they regretted it.The library "
        "will also close at the end of the year, the council confirmed later that evening.Staff "
        "were told on Monday morning.A final decision on the museum is due next month."
    )
    a = parse_text(text, source="x")
    t = only_tweet(a)
    assert t.text == "So sad to see it go. We tried! #SavePool pic.twitter.com/Ab12Cd34Ef"
    assert t.date == dt.date(2023, 5, 3)
    assert len(a.blocks) >= 5
    assert a.blocks[-1].text.endswith("due next month.")


# --- near misses ---------------------------------------------------------------------------------


def test_prose_with_a_dash_a_handle_and_a_date_is_not_a_tweet():
    text = (
        "The reply came from a local baker — Tom Briggs (@tbriggs) — who wrote on March 2, 2020 "
        "that he would stay open.\n\nThe bakery — run by Sam Lee (@samlee) March 2, 2020, which "
        "surprised nobody — stayed open."
    )
    a = parse_text(text, source="x")
    assert a.tweets == [] and kinds(a) == ["paragraph", "paragraph"]


def test_cnn_dateline_and_prose_ending_in_a_parenthesis_are_paragraphs():
    text = (
        "(CNN) The vote was close.\n\nThe count took hours (it often does)\n\n"
        "The mayor spoke (briefly).\n\nShe confirmed the result (via email)"
    )
    a = parse_text(text, source="x")
    assert kinds(a) == ["paragraph"] * 4


@pytest.mark.parametrize(
    "para",
    ["Video: Watch the moment the bridge opened", "Photo: the crowd cheers at the stadium."],
)
def test_labels_that_are_not_credits_stay_paragraphs(para):
    assert kinds(parse_text(f"Prose.\n\n{para}", source="x")) == ["paragraph", "paragraph"]


def test_related_links_in_parentheses_are_not_captions():
    a = parse_text("He scored twice. (RELATED: Five Things We Learned This Week)", source="x")
    assert kinds(a) == ["paragraph"]


# --- widgets, captions, boilerplate --------------------------------------------------------------


def test_live_blog_twitter_widget_becomes_a_tweet_with_the_known_handle():
    text = (
        "Twitter: Pier Watch - Boats are back in the water.\n\n"
        "Boats out again — Pier Watch (@pierwatch) June 5, 2021"
    )
    a = parse_text(text, source="x")
    widget = a.blocks[0]
    assert isinstance(widget, Tweet)
    assert (widget.author, widget.handle, widget.date, widget.text) == (
        "Pier Watch",
        "pierwatch",
        None,
        "Boats are back in the water.",
    )


@pytest.mark.parametrize(
    ("para", "text", "credit"),
    [
        (
            "A lifeboat crew returns to port. (Ana Ruiz / AFP / Getty Images)",
            "A lifeboat crew returns to port.",
            "Ana Ruiz / AFP / Getty Images",
        ),
        (
            "Volunteers fill sandbags in the square (EPA)",
            "Volunteers fill sandbags in the square",
            "EPA",
        ),
        ("Flood water covers the road (AFP/Getty)", "Flood water covers the road", "AFP/Getty"),
        (
            "A boy waves from a boat (AP Photo/Lee Grant)",
            "A boy waves from a boat",
            "AP Photo/Lee Grant",
        ),
        (
            "The harbour at dawn. Photo: Mei Chen / Reuters",
            "The harbour at dawn.",
            "Photo: Mei Chen / Reuters",
        ),
        (
            "Crowds on the quay (Photo by Sam Okafor/Getty Images)",
            "Crowds on the quay",
            "Photo by Sam Okafor/Getty Images",
        ),
        (
            "PHOTO OF THE DAY: the quay at night. | Dana Holt/Getty Images",
            "PHOTO OF THE DAY: the quay at night.",
            "Dana Holt/Getty Images",
        ),
        (
            "Jan 3, 2020; Riverside; a player shoots. "
            "Mandatory Credit: Jo Park-USA TODAY Sports - RTR1ABC2",
            "Jan 3, 2020; Riverside; a player shoots.",
            "Mandatory Credit: Jo Park-USA TODAY Sports - RTR1ABC2",
        ),
        ("市民在碼頭等候渡輪。（路透）", "市民在碼頭等候渡輪。", "路透"),
        (
            "Featured image via Harbour Museum archive",
            "",
            "Featured image via Harbour Museum archive",
        ),
        (
            "Water covers the coast road on Tuesday. (Shore Council)",
            "Water covers the coast road on Tuesday.",
            "Shore Council",
        ),
    ],
)
def test_caption_credit_styles(para, text, credit):
    a = parse_text(f"Some prose first.\n\n{para}\n\nMore prose after.", source="x")
    cap = a.blocks[1]
    assert isinstance(cap, PhotoCaption)
    assert (cap.text, cap.credit) == (text, credit)


def test_boilerplate_is_flagged():
    text = "Real news here.\n\nRead More\n\nFTC: We earn a commission.\n\n4419915"
    a = parse_text(text, source="x")
    assert [getattr(b, "boilerplate", None) for b in a.blocks] == [False, True, True, True]


# --- other formats and hostile text --------------------------------------------------------------


def test_split_blocks_works_on_plain_body_text():
    blocks = split_blocks("One.\n\nTwo — Count Bot (@countbot) Jan 1, 2020")
    assert [b.kind for b in blocks] == ["paragraph", "tweet"]


def test_control_sequences_never_reach_the_model():
    text = "Hello \x1b[31mred\x1b[0m \x1b]52;c;ZXZpbA==\x07world\u202e!\n\nBye\x07"
    a = parse_text(text, source="x")
    joined = "".join(b.text for b in a.blocks) + a.title
    assert not any(c in joined for c in "\x1b\x07\u202e")
    assert a.blocks[0].text == "Hello red world!"


def test_markup_in_text_is_kept_as_text():
    a = parse_text("[bold]Not bold[/bold] [@click=app.quit]x[/]", source="x")
    assert a.blocks[0].text == "[bold]Not bold[/bold] [@click=app.quit]x[/]"


# --- held-out articles ---------------------------------------------------------------------------


def _norm(text: str) -> str:
    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
    return " ".join(text.translate(table).split()).casefold()


def test_heldout_articles_tweet_f1():
    """Articles written for these tests (our own words, invented accounts; the README says
    which led to fixes): a tweet counts only with its first and last words, handle and date
    right. Known misses: an untimestamped live-blog line that belongs to the next tweet, and a
    subjectless first sentence in a scrape whose line breaks became spaces."""
    labels = json.loads((HELDOUT / "labels.json").read_text(encoding="utf-8"))
    tp = fp = fn = 0
    for name, entry in labels.items():
        if name.startswith("_"):
            continue
        article = parse_text((HELDOUT / name).read_text(encoding="utf-8"), source=name)
        got = list(article.tweets)
        for label in entry["tweets"]:
            hit = next(
                (
                    t
                    for t in got
                    if _norm(t.text).startswith(_norm(label["first"]))
                    and _norm(t.text).endswith(_norm(label["last"]))
                    and t.handle.casefold() == label["handle"].casefold()
                    and (t.date.isoformat() if t.date else None) == label["date"]
                ),
                None,
            )
            if hit is None:
                fn += 1
            else:
                tp += 1
                got.remove(hit)
        fp += len(got)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.93, (tp, fp, fn)


def test_a_short_first_person_paragraph_after_reporting_prose_joins_the_tweet():
    text = (
        "In a statement on Friday, the keeper of the lighthouse said she was retiring.\n\n"
        "Thirty winters on this rock and I loved every one.\n\n"
        "Time to hand the lamp to someone younger. Thank you all. "
        "— Keeper Ann (@keeper_ann) June 2, 2022"
    )
    a = parse_text(text, source="x")
    assert only_tweet(a).text.startswith("Thirty winters on this rock")
    assert kinds(a) == ["paragraph", "tweet"]


def test_an_introduction_ending_in_a_colon_in_the_tweets_own_line_stays_prose():
    text = (
        "Snow fell all night. The mayor tweeted: Roads are closed. Stay home. "
        "— Mayor Lee (@MayorLee) March 3, 2021"
    )
    a = parse_text(text, source="x")
    assert only_tweet(a).text == "Roads are closed. Stay home."
    assert kinds(a) == ["paragraph", "tweet"]
    assert a.blocks[0].text == "Snow fell all night. The mayor tweeted:"


def test_a_colon_inside_a_tweet_without_a_reporting_verb_does_not_cut_it():
    text = "Update: Roads are closed. Stay home. — Mayor Lee (@MayorLee) March 3, 2021"
    assert only_tweet(parse_text(text, source="x")).text == "Update: Roads are closed. Stay home."


@pytest.mark.parametrize(
    "credit",
    [
        "Markus Vogt/dpa via AP",
        "Lena Ruiz / Europa Press",
        "Ana Gil/efe via Getty Images",
        "Jan Nowak / pap",
    ],
)
def test_name_slash_agency_credits_in_any_case_and_via_are_recognised(credit):
    a = parse_text(f"Firefighters clear a flooded road near the river. ({credit})", source="x")
    assert kinds(a) == ["photo_caption"]
    assert a.blocks[0].credit == credit


def test_a_prose_parenthesis_with_a_slash_is_not_a_credit():
    a = parse_text(
        "The vote was close on the night. (see results/full table via email)", source="x"
    )
    assert kinds(a) == ["paragraph"]


def test_a_live_blog_time_before_a_caption_is_its_own_paragraph():
    a = parse_text("14:05 Crowds gather outside the town hall. (Kari Berg / NTB)", source="x")
    assert kinds(a) == ["paragraph", "photo_caption"]
    assert a.blocks[0].text == "14:05"
    assert a.blocks[1].text == "Crowds gather outside the town hall."


def test_a_slash_pair_after_a_question_is_not_a_credit():
    a = parse_text("Do you agree with the plan? Vote now. (Yes/no)", source="x")
    assert kinds(a) == ["paragraph"]


def test_tweet_link_search_stays_linear_on_many_near_links():
    import time

    text = "http pic. " * 100_000 + "pic.twitter.com/abc — Bot (@bot) May 1, 2020"
    started = time.perf_counter()
    a = parse_text(text, source="x")
    assert time.perf_counter() - started < 3.0
    assert only_tweet(a).links[-1] == "pic.twitter.com/abc"
