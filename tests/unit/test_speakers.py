"""Speaker resolution: names, roles, entities and pronouns, as extract_quotes returns them."""

from __future__ import annotations

import pytest

from stream.nlp.quotes import extract_quotes


def speakers(nlp, text):
    return [(q.speaker.name, q.speaker.role, q.speaker.entity) for q in extract_quotes(nlp(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A surname resolves to the fullest name in the article, earlier ...
        (
            "Kremlin spokesman Dmitry Peskov spoke on Monday.\n“We have no troops there,” Peskov said.",
            [("Dmitry Peskov", None, "PERSON")],
        ),
        # ... or later.
        (
            "“We have no troops there,” Peskov said.\nDmitry Peskov is the Kremlin spokesman.",
            [("Dmitry Peskov", None, "PERSON")],
        ),
        # The role is kept apart from the name.
        (
            "Kremlin spokesman, Dmitry Peskov, said that the army would stay.",
            [("Dmitry Peskov", "Kremlin spokesman", "PERSON")],
        ),
        (
            "Russian President Vladimir Putin announced that the troops would leave.",
            [("Vladimir Putin", "Russian President", "PERSON")],
        ),
        # Organisations and outlets: no leading "the", possessor and title split off.
        ("The Kremlin says the army did not take part in the attack.", [("Kremlin", None, "ORG")]),
        (
            "Russia’s state TV channel, Rossiya-24, said three helicopters had left the base.",
            [("Rossiya-24", "state TV channel", None)],
        ),
        # A relative pronoun takes its antecedent's name.
        (
            "The bill was praised by Jeb Bush, who said that it would pass easily in the fall.",
            [("Jeb Bush", None, "PERSON")],
        ),
        # A person inside a modifier is not the speaker.
        ("A spokesman for Hillary Clinton said that the report was wrong.", [(None, None, None)]),
        # Unnamed speakers keep their text and get no invented name.
        (
            "A Russian officer at the airbase in Latakia said that the forces were enough.",
            [(None, None, None)],
        ),
    ],
)
def test_speaker_name_role_and_entity(nlp, text, expected):
    assert speakers(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected_names"),
    [
        (
            "“The bridge is safe,” Mayor Anna Berg said.\n“We checked it twice,” she said.",
            ["Anna Berg", "Anna Berg"],
        ),
        # "they" does not take a person's name.
        (
            "“The bridge is safe,” Anna Berg said.\n“We checked it twice,” they said.",
            ["Anna Berg", None],
        ),
        # "she" passes over a speaker marked as a man.
        (
            "“The bridge is safe,” Anna Berg said.\n“We checked it twice,” spokesman John Lee said.\n"
            "“It will reopen on Monday,” she said.",
            ["Anna Berg", "John Lee", "Anna Berg"],
        ),
        # No named speaker before: the pronoun stays unresolved.
        ("“We checked it twice,” she said.", [None]),
    ],
)
def test_pronouns_take_the_nearest_compatible_named_speaker(nlp, text, expected_names):
    assert [q.speaker.name for q in extract_quotes(nlp(text))] == expected_names


def test_unnamed_speaker_keeps_text_and_offsets(nlp):
    text = "A Russian officer at the airbase said that the forces were enough."
    (quote,) = extract_quotes(nlp(text))
    assert quote.speaker.text == "A Russian officer at the airbase"
    assert text[quote.speaker.start : quote.speaker.end] == quote.speaker.text
    assert quote.speaker.name is None


def speaker_fields(nlp, text):
    return [(q.speaker.name, q.speaker.role, q.speaker.affiliation, q.speaker.names) for q in extract_quotes(nlp(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A title is split from the name; a first name is never taken for a title.
        (
            "Lawyer Grace Achieng Otieno said the ruling would be appealed.",
            [("Grace Achieng Otieno", "Lawyer", None, ())],
        ),
        # A prepositional phrase is not part of the role; its organisation is the affiliation.
        (
            "Priya Raman, chief economist at Halvorsen Capital in New York, said rates would rise.",
            [("Priya Raman", "chief economist", "Halvorsen Capital", ())],
        ),
        # An unnamed speaker keeps no name but gets the organisation it speaks for.
        (
            "A Freedom Mobile spokesperson said the outage was fixed.",
            [(None, "Freedom Mobile spokesperson", "Freedom Mobile", ())],
        ),
        # A joint speaker carries all its names, `name` being the first.
        (
            "Stella's owners Tore Sohlberg and Lehla Abreder said they would reopen the cafe.",
            [("Tore Sohlberg", "owners", None, ("Tore Sohlberg", "Lehla Abreder"))],
        ),
        # A relative pronoun after an apposition names the person the apposition describes.
        (
            "Amanda Nunes won.\nThe title went to Nunes, the ferocious brawler who said that she was ready.",
            [("Amanda Nunes", "ferocious brawler", None, ())],
        ),
        # A bare "the statement" was issued by the organisation last named.
        (
            "The Canadian Beverage Association wrote to the minister.\nThe statement said sugar was not the problem.",
            [("Canadian Beverage Association", None, None, ())],
        ),
        # A statement is said by its author.
        ("A statement from the EU said the deal was fair.", [("EU", None, None, ())]),
        # A definite description takes the titled person's name and title.
        (
            "Prime Minister Justin Trudeau visited Ottawa on Monday. The prime minister said the plan would work.",
            [("Justin Trudeau", "prime minister", None, ())],
        ),
    ],
)
def test_speaker_role_affiliation_and_joint_names(nlp, text, expected):
    assert speaker_fields(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An upper-case heading taken for a speaker names no one ...
        ("ANALYSIS: “The market is weak.”", [("ANALYSIS", None)]),
        # ... while a short upper-case name is an acronym.
        ("CNBC said the deal was off.", [("CNBC", "CNBC")]),
    ],
)
def test_upper_case_headings_name_no_one(nlp, text, expected):
    assert [(q.speaker.text, q.speaker.name) for q in extract_quotes(nlp(text))] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A bare title the article gives no one refers to the person last named as a subject ...
        (
            "Justin Trudeau visited a school in Milton on Thursday. The prime minister said that schools "
            "needed more money.",
            "Justin Trudeau",
        ),
        (
            "Anna Berg opened the new factory on Monday. The lanky, bespectacled engineer said that it would "
            "make cheap cars.",
            "Anna Berg",
        ),
        # ... but a description that says more introduces someone new ...
        ("Anna Berg opened the new factory on Monday. The lawyer for the workers said that pay was low.", None),
        ("Anna Berg opened the new factory on Monday. The Ohio governor said that pay was low.", None),
        # ... and a group is not a person.
        ("Anna Berg opened the new factory on Monday. The police said that the road was closed.", None),
    ],
)
def test_a_bare_title_refers_to_the_person_last_named(nlp, text, expected):
    assert [q.speaker.name for q in extract_quotes(nlp(text))] == [expected]


LEDE = (
    'A provincial court judge scolded the city council on Friday, saying it had been "playing games" with its members.'
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The lede describes someone whom the next sentence names as its subject ...
        (f"{LEDE}\n\nJustice Anna Berg ordered the council to release the list.", "Anna Berg"),
        # ... not a person the next sentence names otherwise ...
        (f"{LEDE}\n\nThe council said Anna Berg had erred.", None),
        # ... and only in the article's first sentence.
        (f"The council met on Monday. {LEDE}\n\nJustice Anna Berg ordered the council to release the list.", None),
    ],
)
def test_a_lede_description_is_the_person_the_next_sentence_names(nlp, text, expected):
    assert [q.speaker.name for q in extract_quotes(nlp(text))][0] == expected
