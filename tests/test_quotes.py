"""Quoted speech: spans, speakers, split quotes, scare quotes, offsets."""

from __future__ import annotations

from reader.formats.scraped import parse_text
from reader.model import Paragraph, Tweet
from reader.quotes import find_quotes


def quotes_of(*paragraphs: str):
    return find_quotes([Paragraph(p) for p in paragraphs])


def test_straight_quote_with_speaker_after():
    (q,) = quotes_of('"The pier is safe again," the harbour master said on Monday.')
    assert (q.text, q.speaker) == ("The pier is safe again.", "the harbour master")


def test_curly_quote_with_said_before_the_name():
    (q,) = quotes_of("“We will rebuild the sea wall by spring,” said Ana Ruiz, the engineer.")
    assert (q.text, q.speaker) == ("We will rebuild the sea wall by spring.", "Ana Ruiz")


def test_quote_split_around_its_attribution_is_one_quote():
    text = '"We were not consulted," the mayor said. "Nobody asked us."'
    (q,) = quotes_of(text)
    assert q.speaker == "the mayor"
    assert q.text == "We were not consulted. Nobody asked us."
    assert text[q.start : q.end].startswith("We were not consulted")
    assert text[q.start : q.end].endswith("Nobody asked us.")


def test_speaker_named_before_the_quote():
    (q,) = quotes_of('Later the captain added, "The crew did everything right tonight."')
    assert q.speaker == "the captain"
    (q,) = quotes_of('Tom Baird told reporters: "The library will close in June."')
    assert q.speaker == "Tom Baird"


def test_according_to():
    (q,) = quotes_of('The ferry was "running two hours late all day," according to the operator.')
    assert q.speaker == "the operator"


def test_appositive_between_name_and_verb():
    (q,) = quotes_of('"Two prongs," Lena Hartmann, the club secretary, told the meeting.')
    assert q.speaker == "Lena Hartmann"


def test_pronoun_resolved_to_the_last_named_speaker_nearby_or_none():
    quotes = quotes_of(
        '"The count is done," Priya Shah said.',
        '"We won by four votes," she added.',
    )
    assert [q.speaker for q in quotes] == ["Priya Shah", "Priya Shah"]
    (lonely,) = quotes_of('"Nothing to add at this stage," he said.')
    assert lonely.speaker is None


def test_scare_quotes_are_skipped_unless_attributed():
    assert quotes_of('The so-called "reform" was dropped, and the "plan" too.') == ()
    (q,) = quotes_of('"Shameful," the minister said.')
    assert (q.text, q.speaker) == ("Shameful.", "the minister")


def test_guillemets_and_offsets_into_the_block():
    text = "« Il reste de l'espoir », a déclaré le maire. Puis il est reparti."
    (q,) = quotes_of(text)
    assert text[q.start : q.end].strip() == "Il reste de l'espoir"


def test_unclosed_quote_runs_to_the_end_of_the_paragraph():
    (q,) = quotes_of('"He thinks his father is still at work, and we have not told him yet.')
    assert q.text.startswith("He thinks") and q.text.endswith("yet.")


def test_tweets_are_not_searched_and_block_indexes_are_article_indexes():
    blocks = [
        Paragraph("No quotes here."),
        Tweet('"Quoted inside a tweet," I said', "A", "a", None),
        Paragraph('"This one counts for sure," the coach said.'),
    ]
    (q,) = find_quotes(blocks)
    assert q.block == 2


def test_quotes_come_through_parse_text():
    a = parse_text('Intro.\n\n"The bridge reopens on Friday," the council said.', source="x")
    assert [q.to_dict()["speaker"] for q in a.quotes] == ["the council"]
    assert a.quotes[0].block == 1


def test_french_and_spanish_attributions_name_the_speaker():
    (fr,) = quotes_of("« Nous ne céderons pas », a déclaré le maire de Lyon.")
    assert fr.speaker == "le maire de Lyon"
    (es,) = quotes_of('"Es un abuso", afirmó una usuaria que esperaba en la estación.')
    assert es.speaker == "una usuaria"
    (selon,) = quotes_of("Selon la préfecture, « la situation est sous contrôle ce matin ».")
    assert selon.speaker == "la préfecture"


def test_a_second_quote_in_the_paragraph_keeps_the_named_speaker() -> None:
    # The attribution carries an appositive, so the two quotes are not joined into one;
    # the second is still hers (one speaker a paragraph, unless another is named).
    text = (
        '"We missed the crossing more than we expected." said Ines Marlow, who has taken '
        'the boat to work for eleven years. "The bus round the bay takes forty minutes."'
    )
    quotes = find_quotes((Paragraph(text),))
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We missed the crossing more than we expected.", "Ines Marlow"),
        ("The bus round the bay takes forty minutes.", "Ines Marlow"),
    ]


def test_a_quote_in_another_paragraph_does_not_inherit_the_speaker() -> None:
    blocks = (
        Paragraph('"The pier is safe again," said Ines Marlow, the harbour engineer.'),
        Paragraph('Not everyone agreed. "It still shakes when the ferry docks."'),
    )
    assert [q.speaker for q in find_quotes(blocks)] == ["Ines Marlow", None]


def test_a_named_apposition_beats_the_role():
    text = '"We will not sail blind," the duty captain, Hal Severin, said.'
    (q,) = quotes_of(text)
    assert (q.text, q.speaker) == ("We will not sail blind.", "Hal Severin")
    # The offsets still cover the quoted words as written, comma included.
    assert text[q.start : q.end] == "We will not sail blind,"
    # A role in the apposition does not replace a name; a clause is not a name.
    (q,) = quotes_of('"Two prongs," Lena Hartmann, the club secretary, told the meeting.')
    assert q.speaker == "Lena Hartmann"
    (q,) = quotes_of('"Not consulted at all," the mayor, who was angry, said.')
    assert q.speaker == "the mayor"
