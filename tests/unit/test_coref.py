"""The article mention model: one (text, expected) table per rule."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Span

from stream.nlp.coref import _quoted, _split_roles, build_coref, name_text, split_title
from stream.nlp.quotes import extract_quotes


def entity_of(nlp, text, word):
    """Name of the entity the last token spelled `word` refers to."""
    doc = nlp(text)
    tokens = [t for t in doc if t.text == word]
    entity = build_coref(doc).entity_at(tokens[-1].i)
    return entity.name if entity is not None else None


def speakers(nlp, text):
    return [q.speaker.name for q in extract_quotes(nlp(text))]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Lawyer", "Grace", "Achieng", "Otieno"], 1),
        (["Prime", "Minister", "Justin", "Trudeau"], 2),
        (["Treasury", "Secretary", "Daniel", "Okafor"], 2),
        (["Wet'suwet'en", "Hereditary", "Chief", "Na'moks"], 3),
        (["Justin", "Trudeau"], 0),
        (["Mary", "of", "Teck"], 0),
        (["prime", "minister", "Justin", "Trudeau"], 2),
        (["Trudeau"], 0),
    ],
)
def test_split_title(words, expected):
    assert split_title(words) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Traeger\u200b", "Traeger"),
        ("Jeff\u00a0Traeger", "Jeff Traeger"),
        ("the Kremlin's", "Kremlin"),
        ("Mr. Peskov", "Peskov"),
    ],
)
def test_name_text_strips_invisible_characters(text, expected):
    assert name_text(text) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # A surname joins the fullest name, before or after.
        ("Amanda Nunes won on Saturday.\nNunes knocked her rival down twice.", "Nunes", "Amanda Nunes"),
        ("Bo Horvat is the captain.\nHorvat scored twice.", "Horvat", "Bo Horvat"),
        # A surname the model tagged NORP joins the person too.
        (
            "Guenther Schuh founded e.GO in Aachen. Schuh is aware that he is entering uncharted waters.",
            "Schuh",
            "Guenther Schuh",
        ),
        # Two people share a surname: the one named last.
        (
            "Andrew Vickers ran the dairy. Kevin Vickers is his son.\nVickers said he would run.",
            "Vickers",
            "Kevin Vickers",
        ),
        # An acronym joins the long form it abbreviates.
        (
            "Immigration, Refugees and Citizenship Canada (IRCC) processed the claims. IRCC said it was busy.",
            "IRCC",
            "Immigration, Refugees and Citizenship Canada",
        ),
        (
            "Export Development Canada lent the money. EDC declined to comment on the loan.",
            "EDC",
            "Export Development Canada",
        ),
    ],
)
def test_names_join_the_fullest_name(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


def hand_parsed(nlp, rows):
    """A Doc built from (word, pos, dep, head, entity tag) rows: the model's tags vary on short texts."""
    words, pos, deps, heads, ents = zip(*rows, strict=True)
    return Doc(nlp.vocab, words=list(words), pos=list(pos), deps=list(deps), heads=list(heads), ents=list(ents))


def test_an_organisation_keeps_the_number_the_model_left_out(nlp):
    doc = hand_parsed(
        nlp,
        [
            ("Cooks", "NOUN", "nsubj", 1, "O"),
            ("joined", "VERB", "ROOT", 1, "O"),
            ("Unifor", "PROPN", "compound", 3, "B-ORG"),
            ("Local", "PROPN", "dobj", 1, "I-ORG"),
            ("444", "NUM", "nummod", 3, "B-CARDINAL"),
            (".", "PUNCT", "punct", 1, "O"),
        ],
    )
    assert build_coref(doc).entity_at(2).name == "Unifor Local 444"


def test_an_untagged_one_word_organisation_name_joins_the_organisation(nlp):
    doc = hand_parsed(
        nlp,
        [
            ("TransLink", "PROPN", "nsubj", 1, "B-ORG"),
            ("runs", "VERB", "ROOT", 1, "O"),
            ("trains", "NOUN", "dobj", 1, "O"),
            (".", "PUNCT", "punct", 1, "O"),
            ("Ask", "VERB", "ROOT", 4, "O"),
            ("TransLink", "PROPN", "dobj", 4, "O"),
            (".", "PUNCT", "punct", 4, "O"),
        ],
    )
    entity = build_coref(doc).entity_at(5)
    assert (entity.name, entity.label) == ("TransLink", "ORG")


def test_an_untagged_name_an_organisation_noun_introduces_is_an_organisation(nlp):
    doc = hand_parsed(
        nlp,
        [
            ("according", "VERB", "ROOT", 0, "O"),
            ("to", "ADP", "prep", 0, "O"),
            ("media", "NOUN", "compound", 3, "O"),
            ("company", "NOUN", "compound", 4, "O"),
            ("GroupM", "PROPN", "pobj", 1, "O"),
            (".", "PUNCT", "punct", 0, "O"),
            ("The", "DET", "det", 7, "O"),
            ("company", "NOUN", "nsubj", 8, "O"),
            ("wrote", "VERB", "ROOT", 8, "O"),
            (".", "PUNCT", "punct", 8, "O"),
        ],
    )
    entity = build_coref(doc).entity_at(4)
    assert (entity.name, entity.label) == ("GroupM", "ORG")


def test_the_company_is_the_organisation_last_named_as_a_main_subject(nlp):
    text = (
        'Google said on Thursday that Apple had revoked its certificate. "We are working with Apple to fix it," '
        "the company said."
    )
    assert speakers(nlp, text) == ["Google", "Google"]


def test_a_one_word_name_takes_the_label_the_model_gives_it_most(nlp):
    doc = hand_parsed(
        nlp,
        [
            ("Facebook", "PROPN", "nsubj", 1, "B-ORG"),
            ("sued", "VERB", "ROOT", 1, "O"),
            ("Apple", "PROPN", "dobj", 1, "B-ORG"),
            (".", "PUNCT", "punct", 1, "O"),
            ("Facebook", "PROPN", "nsubj", 5, "B-ORG"),
            ("won", "VERB", "ROOT", 5, "O"),
            (".", "PUNCT", "punct", 5, "O"),
            ("Facebook", "PROPN", "nsubj", 8, "B-PERSON"),
            ("said", "VERB", "ROOT", 8, "O"),
            ("so", "ADV", "advmod", 8, "O"),
            (".", "PUNCT", "punct", 8, "O"),
        ],
    )
    entity = build_coref(doc).entity_at(7)
    assert (entity.name, entity.label) == ("Facebook", "ORG")


def test_a_short_organisation_name_joins_a_longer_one_only_when_that_came_first(nlp):
    rows = [
        ("Facebook", "PROPN", "nsubj", 1, "B-ORG"),
        ("paid", "VERB", "ROOT", 1, "O"),
        ("users", "NOUN", "dobj", 1, "O"),
        ("of", "ADP", "prep", 2, "O"),
        ("Facebook", "PROPN", "compound", 5, "B-ORG"),
        ("Research", "PROPN", "pobj", 3, "I-ORG"),
        (".", "PUNCT", "punct", 1, "O"),
        ("Facebook", "PROPN", "nsubj", 8, "B-ORG"),
        ("said", "VERB", "ROOT", 8, "O"),
        ("so", "ADV", "advmod", 8, "O"),
        (".", "PUNCT", "punct", 8, "O"),
    ]
    assert build_coref(hand_parsed(nlp, rows)).entity_at(7).name == "Facebook"
    # "Suncor Energy ... Suncor": the long form first, one company.
    rows = [
        ("Suncor", "PROPN", "compound", 1, "B-ORG"),
        ("Energy", "PROPN", "nsubj", 2, "I-ORG"),
        ("paid", "VERB", "ROOT", 2, "O"),
        ("taxes", "NOUN", "dobj", 2, "O"),
        (".", "PUNCT", "punct", 2, "O"),
        ("Suncor", "PROPN", "nsubj", 6, "B-ORG"),
        ("said", "VERB", "ROOT", 6, "O"),
        (".", "PUNCT", "punct", 6, "O"),
    ]
    assert build_coref(hand_parsed(nlp, rows)).entity_at(5).name == "Suncor Energy"


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # A title before the name lets a later description refer to the person.
        (
            "Prime Minister Justin Trudeau visited Ottawa on Monday. The prime minister spoke to reporters.",
            "minister",
            "Justin Trudeau",
        ),
        (
            "Mayor Doug McCallum opened the meeting. Residents were angry. The mayor did not answer.",
            "mayor",
            "Doug McCallum",
        ),
        # "the company" is the organisation last in focus.
        (
            "Suncor Energy reported a loss on Tuesday. The company blamed low oil prices.",
            "company",
            "Suncor Energy",
        ),
        # A description with modifiers of its own is not the last organisation named.
        ("China sent a letter. The Canadian government replied.", "government", None),
    ],
)
def test_descriptions_refer_to_titled_entities(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # Gender from a first name: "she" skips a man, "he" skips a woman.
        (
            "Maria Lindqvist spoke first. Daniel Okafor, speaking to CNBC, struck a different tone. "
            "The economy was slowing, he said.",
            "he",
            "Daniel Okafor",
        ),
        (
            "Lars Aamodt filed the appeal. Ingrid Solheim-Berg dismissed it. She said it had no merit.",
            "She",
            "Ingrid Solheim-Berg",
        ),
        # A first name alone is evidence too.
        ("Peter thanked Maria at the station. She said the trip went well.", "She", "Maria"),
        # Gender from an honorific or a gendered noun.
        ("Mrs. Kim met Jordan Lee on Monday. She said the talks went well.", "She", "Kim"),
        # The subject of the previous sentence is preferred to a nearer object.
        ("Tom Baker met Peter Smith in Oslo. He said the talks went well.", "He", "Tom Baker"),
        ("Tom Baker met Peter Smith and Peter Smith's wife. He said the talks went well.", "He", "Tom Baker"),
        # An object pronoun is not the subject of its clause, nor of a clause it shares one with.
        ("Mark Ellis went to Tom Hale and thanked him.", "him", "Tom Hale"),
        ("Anna Berg looks up to Lisa Holm and sees her as a friend.", "her", "Lisa Holm"),
        # "it" goes to an organisation, not to a person.
        ("Jane Roe sued Acme Corp last year. It denied the claims.", "It", "Acme Corp"),
        # A name inside quotation marks is not the speaker of "he said" outside them.
        (
            'Tom Baker spoke after the game. "Peter Smith played well," he said.',
            "he",
            "Tom Baker",
        ),
    ],
)
def test_pronouns_take_the_nearest_compatible_antecedent(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


def test_a_name_with_a_zero_width_space_joins_the_full_name(nlp):
    text = "UFCW Local 832 president Jeff Traeger spoke.\nThe campaign went on, Traeger\u200b said."
    assert entity_of(nlp, text, "Traeger\u200b") == "Jeff Traeger"


def test_pronoun_gender_comes_from_pronouns_already_linked(nlp):
    text = "Alex Morgan arrived. She was late. Chris Evans waited. Then she said sorry."
    assert entity_of(nlp, text, "she") == "Alex Morgan"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The user test: "he" is the Treasury Secretary, not the woman quoted before.
        (
            "Finance Minister Maria Lindqvist said growth would hold. Her remarks came on Monday.\n"
            "Treasury Secretary Daniel Okafor, speaking to CNBC, struck a different tone. "
            "The economy was “clearly slowing,” he said.",
            ["Maria Lindqvist", "Daniel Okafor"],
        ),
    ],
)
def test_speakers_resolve_through_the_mention_model(nlp, text, expected):
    assert speakers(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # A possessive takes the noun it hangs under ...
        (
            "The film starred Gene Kelly, Cyd Charisse and Michael Kidd in his first acting role.",
            "his",
            "Michael Kidd",
        ),
        # ... or the subject of its clause, through a relative pronoun.
        (
            "Colin Bell wrote to a singer called Jake Burns, who was trying to promote his band.",
            "his",
            "Jake Burns",
        ),
        # A subject pronoun in a subordinate clause takes the subject of the clause above it,
        # however often another person was named before.
        (
            "Lisa Holm won the race and Lisa Holm thanked the fans, "
            "but Anna Berg was stunned when she heard the result.",
            "she",
            "Anna Berg",
        ),
        (
            "Mark Ellis scored twice and Ellis thanked the fans, but Tom Hale was angry because he lost his place.",
            "he",
            "Tom Hale",
        ),
        # Not through a relative clause: "the song she recorded" leaves it to salience.
        (
            "Lisa Holm sang and Lisa Holm danced, and Anna Berg later praised the song she recorded.",
            "she",
            "Lisa Holm",
        ),
    ],
)
def test_possessives_take_a_local_antecedent(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # The subject of a reported clause is the speaker, whatever a first name suggests...
        (
            "Milk sales fell in Alberta. Lee Finell, a manager with Dairy Farmers of Canada, said she is unsure.",
            "she",
            "Lee Finell",
        ),
        # ...unless the verb addresses someone the pronoun fits and the speaker's first name does not.
        ("Martha tells Ted he values the wrong things.", "he", "Ted"),
    ],
)
def test_a_reported_subject_pronoun_is_the_speaker(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # An untagged proper noun that says something is a person a pronoun can refer to.
        (
            "Hereditary Chief Na'moks said the camp was peaceful. The police disagreed.\n"
            "“There was no aggression,” he said.",
            "he",
            "Na'moks",
        ),
        # "Yellowhead MP" after a name is a title, not a second person.
        (
            "Jim Eglinski, Yellowhead MP, drove around with flags. “We are making a point,” he said.",
            "he",
            "Jim Eglinski",
        ),
        # A surname that is also a title ("Graf") after a first name is still a name.
        (
            "Protesters sent a message to Prime Minister Justin Trudeau.\nRoy Graf protested the two bills.\n"
            "“We need to show everybody,” he said.",
            "he",
            "Roy Graf",
        ),
        # A woman named long before is preferred to a man named nearby.
        (
            "Wendy Golden found her son on the couch. Police came. The case was slow. Charges followed. "
            "A trial was set. Reporter Richard Cuthbertson covered it. But she persisted.",
            "she",
            "Wendy Golden",
        ),
    ],
)
def test_pronoun_antecedents_beyond_the_model_tags(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Barbara Berman and Jane Croce took office in January. "
        "In March she and Berman became the first pair of women to lead the district.",
        "Jane Croce met Barbara Berman in 1977. Later that year, Berman and she won the district.",
    ],
)
def test_a_pronoun_is_not_the_name_it_is_coordinated_with(nlp, text):
    assert entity_of(nlp, text, "she") == "Jane Croce"


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # A pronoun in a phrase fronted before the subject refers to that subject.
        (
            "Mark Ellis coached the team for years. Despite his injury, Tom Hale played every game.",
            "his",
            "Tom Hale",
        ),
        (
            "Mark Ellis toured with the band. Although he tours with Ellis, Tom Hale also sings alone.",
            "he",
            "Tom Hale",
        ),
        # ... or to the person that subject belongs to.
        ("Lisa Holm retired in May. During her first season, Anna Berg's team won every game.", "her", "Anna Berg"),
        # ... also where the parser hangs that subject under an auxiliary.
        (
            "Lisa Holm retired from the team in 1985. After her active career, Anna Berg has among "
            "other things worked as a coach.",
            "her",
            "Anna Berg",
        ),
        # A subject named before the pronoun is no cataphora.
        ("Mark Ellis met Tom Hale. After the game, Ellis praised his coach.", "his", "Mark Ellis"),
    ],
)
def test_a_fronted_pronoun_refers_to_the_subject_after_it(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # A name's role is its head's: "Mary of Teck" is the subject, not the object of "of".
        ("Mary of Teck wrote to Anne Clarke in 1900. She said the house was cold.", "She", "Mary of Teck"),
        # A noun with a name in apposition is that person for a possessive's clause subject.
        ("Mark Ellis said the team's captain, Tom Hale, had lost his temper.", "his", "Tom Hale"),
    ],
)
def test_a_name_counts_through_its_head_and_apposition(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


def test_a_lone_name_tagged_once_is_that_person_where_untagged(nlp):
    doc = nlp("Mark Ellis hired Okafor in 2019. Three years later, Okafor left the club.")
    first = next(t for t in doc if t.text == "Okafor")
    entity = build_coref(doc).entity_at(first.i)
    assert entity is not None and entity.name == "Okafor"


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # A lone surname after a spouse's full name is the one who took the name, not the spouse.
        ("In 1866 she married John Patey, a bass singer. By 1870 Patey was a famous contralto.", "Patey", "Patey"),
        ("With his wife, Jane Temerlin, Temerlin raised a chimpanzee.", "Temerlin", "Temerlin"),
        # The spouse's first name alone is still the spouse; anyone else's full name takes the surname.
        ("Dorie Greenspan cooks with her husband, Michael Greenspan. Michael tastes.", "Michael", "Michael Greenspan"),
        # Anyone else's full name still takes it.
        ("In 1866 she met John Patey, a bass singer. By 1870 Patey was famous.", "Patey", "John Patey"),
    ],
)
def test_a_lone_surname_does_not_join_a_spouse(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # A bracketed maiden or former name is the same person.
        ("Alma Taggart (née Eveleth) met Ruth Cole in 1890. Eveleth said she was tired.", "Eveleth", "Alma Taggart"),
        ("Elton John (born Reginald Dwight) met Tom Hale. Dwight sang.", "Dwight", "Elton John"),
        # A bracketed name that is not introduced as another name is someone else.
        ("Alma Taggart (with Ruth Cole) left early.", "Cole", "Ruth Cole"),
    ],
)
def test_a_bracketed_other_name_is_the_same_person(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


def test_an_actor_and_role_tagged_as_one_name_are_two_people(nlp):
    doc = nlp("The film stars Bea Binene as George.")
    parts = _split_roles(Span(doc, 3, 7, label="PERSON"))
    assert [p.text for p in parts] == ["Bea Binene", "George"]
    assert [p.text for p in _split_roles(Span(doc, 3, 5, label="PERSON"))] == ["Bea Binene"]


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # Nouns that only describe a woman or a man are gender evidence where the name gives none.
        ("Casey Okafor, the bride, met Jo Ortiz in May. He was late.", "He", "Jo Ortiz"),
        ("Casey Okafor, a widower, met Jo Ortiz in May. She was late.", "She", "Jo Ortiz"),
    ],
)
def test_gendered_nouns_describe_the_person(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # A possessive in what someone is told is the addressee's, not the teller's.
        ("Dr. Carly Manning informed Isabella Toscano that her back pain was serious.", "her", "Isabella Toscano"),
        ("Mark Ellis warned Tom Hale that his contract would end.", "his", "Tom Hale"),
    ],
)
def test_a_pronoun_in_what_is_told_refers_to_the_addressee(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # A possessive in a phrase under a named person's noun is that person's.
        ("Lisa Holm agrees with Anna Berg's idea of her marriage.", "her", "Anna Berg"),
        ("Mark Ellis liked Tom Hale's story of his childhood.", "his", "Tom Hale"),
        # Not when the possessive is not inside that noun's phrase.
        ("Mark Ellis took Tom Hale's advice when his son was ill.", "his", "Mark Ellis"),
    ],
)
def test_a_possessive_under_a_persons_noun_is_theirs(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Jane Stanes retired at the end of 1880, and Edith Cowan was appointed her successor.", "her", "Jane Stanes"),
        ("Mary Stone met Ruth Tey in Leeds. Ruth Tey was not her mother.", "her", "Mary Stone"),
        # "his" is not Mary's, so "she" stays free to be Mary.
        (
            "Mary of York was the second daughter of Edward IV of England and his queen consort Elizabeth "
            "Woodville. She was a younger sister of Elizabeth of York.",
            "She",
            "Mary of York",
        ),
    ],
)
def test_a_possessive_in_a_predicate_noun_is_not_the_subject(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # The subject of the clause above does what a clause without a subject says...
        (
            "Jose Aguilar lost in 1868. Jose Aguilar challenged Joel Turner again in 1870, defeating him this time.",
            "him",
            "Joel Turner",
        ),
        (
            "Bobby Clarke refused to sign a new deal with Brad McCrimmon, choosing instead to trade him.",
            "him",
            "Brad McCrimmon",
        ),
        # ...or, for an infinitive after an object, that object does.
        (
            "Mary Stone lost the post in 1313. In 1317, Edward asked Eleanor Clare to restore her to the post.",
            "her",
            "Mary Stone",
        ),
    ],
)
def test_an_object_pronoun_is_not_the_understood_subject_of_its_clause(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # The parser makes "him" and "her" the subject of the clause they are the object of:
        # the one who allows, makes or has them do it is someone else.
        (
            "At one point, Victor Krap arrives, and Jacques Dupont allows him to sit in his father's chair.",
            "him",
            "Victor Krap",
        ),
        ("When Kristina Davis arrives to talk to Sonny, Claire Jones allows her to do so.", "her", "Kristina Davis"),
        (
            "Lord Johnstone was loyal. Ten years later, Charles Stuart made him the Earl of Hartfell.",
            "him",
            "Johnstone",
        ),
    ],
)
def test_an_object_case_subject_is_not_who_governs_its_clause(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # A subject pronoun a clause below, a possessive two clauses below: the one acted on.
        ("Carrie Mathison asks Fara Sherazi to recruit Aayan but she fails to do so.", "she", "Fara Sherazi"),
        (
            "Gabby Sharpe invites Cindy Hutchinson to Tony's flat not realising she is Tony's wife.",
            "she",
            "Cindy Hutchinson",
        ),
        ("Finally, John Drucci struck Mike Healy and tried to get his gun.", "his", "Mike Healy"),
    ],
)
def test_an_object_between_a_pronoun_and_the_subject_above(nlp, text, word, expected):
    assert entity_of(nlp, text, word) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Typewriter quotes: the tokenizer splits "``" in two "`" tokens, and "''" only closes.
        "Lisa Holm called the film ``a triumph.'' Anna Berg agreed.",
        "Lisa Holm called the film \u201ca triumph.\u201d Anna Berg agreed.",
        # A lone backtick is an apostrophe, no quotation mark.
        "Lisa Holm said she don`t know. Anna Berg agreed.",
    ],
)
def test_quoted_words_end_at_the_closing_mark(nlp, text):
    doc = nlp(text)
    flags = _quoted(doc)
    assert [t.text for t in doc if flags[t.i] and t.text in ("Anna", "Berg", "Lisa")] == []
    assert any(flags[t.i] for t in doc if t.text == "triumph") == ("triumph" in text)
