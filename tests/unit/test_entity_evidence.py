"""Datelines, organisation and person evidence, facilities, aliases, results tables and salience
of dates: each case on short texts and on the seeds."""

from __future__ import annotations

import orjson
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from stream.models import Entity
from stream.nlp.datelines import dateline_places
from stream.nlp.entities import extract_entities
from stream.nlp.evidence import has_org_evidence, has_person_evidence, is_legal_form
from stream.nlp.results import team_names

from ..conftest import ROOT


def seed(nlp: Language, name: str) -> dict[str, Entity]:
    record = orjson.loads((ROOT / "seeds" / f"{name}.json").read_bytes())
    return {e.name: e for e in extract_entities(nlp(record["body"]), headline=record["headline"])}


def found(nlp: Language, text: str, headline: str | None = None) -> dict[str, Entity]:
    return {e.name: e for e in extract_entities(nlp(text), headline=headline)}


def hand_doc(nlp: Language, words: list[str], **annotations: list[str] | list[int]) -> Doc:
    """A parse that does not depend on the model: the rule alone decides."""
    return Doc(nlp.vocab, words=words, **annotations)  # type: ignore[arg-type]


# 1. Datelines


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("HAMBURG, Jan 14 - A storm surge ...", ["HAMBURG"]),
        ("OSLO (Reuters) - Norway's fund ...", ["OSLO"]),
        ("NEW YORK, Sept 8 — Shares fell.", ["NEW YORK"]),
        ("Headline\nLONDON 1996-08-30\nWest Indian all-rounder ...", ["LONDON"]),
        ("Lead.\nTAIPEI, Sept 8 — Second story.", ["TAIPEI"]),
        # Capitals that open no dateline.
        ("The storm hit OSLO, then moved on.", []),
        ("NATO said on Monday it would stay.", []),
        ("OSLO is cold.", []),
    ],
)
def test_dateline_places(text: str, places: list[str]) -> None:
    assert [text[a:b] for a, b in dateline_places(text)] == places


def test_a_dateline_is_a_located_place_whatever_its_case(nlp: Language) -> None:
    entities = found(nlp, "OSLO, March 3 (Reuters) - Norway's wealth fund said on Monday it had sold its stake.")
    oslo = entities["Oslo"]
    assert (oslo.label, oslo.geonames_id, oslo.country_code) == ("GPE", 3143244, "NO")
    assert [m.text for m in oslo.mentions] == ["OSLO"]
    # The dateline is not the story's lead: the place ranks below the fund's country.
    assert oslo.salience is not None and entities["Norway"].salience is not None
    assert oslo.salience < entities["Norway"].salience


def test_a_word_in_capitals_the_gazetteer_does_not_know_opens_no_place(nlp: Language) -> None:
    entities = found(nlp, "SOCCER - Rotterdam's SC Rijnmond signed a midfielder on Thursday.")
    assert "Soccer" not in entities and "SOCCER" not in entities


def test_seed_datelines_join_the_place_they_name(nlp: Language) -> None:
    hamburg = seed(nlp, "hamburg-storm-surge")["Hamburg"]
    assert (hamburg.label, hamburg.geonames_id, hamburg.country_code) == ("GPE", 2911298, "DE")
    assert [m.text for m in hamburg.mentions][:2] == ["HAMBURG", "Hamburg"]
    talvera = seed(nlp, "talvera-power-bank-recall")
    assert talvera["Taipei"].label == "GPE" and talvera["Taipei"].mentions[0].text == "TAIPEI"
    assert "TAIPEI" not in talvera
    top = max((e for e in talvera.values() if e.salience is not None), key=lambda e: e.salience or 0)
    assert top.name == "Talvera Technologies"  # the story's company, not its dateline
    assert seed(nlp, "kenya-court-biometric-ruling")["Nairobi"].mentions[0].text == "NAIROBI"


# 2. Organisation and person evidence, the gazetteer over FAC and LOC


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Safiri", "Mobility", "Ltd"], True),
        (["Siemens", "AG"], True),
        (["PT", "Garuda"], True),
        (["Kloof", "Gold", "Mining", "Co"], True),
        (["SC", "Rijnmond"], True),
        (["Esporte", "Clube", "Guaíba"], True),
        (["Leeds", "United"], True),
        (["Drivers'", "Welfare", "Association"], True),
        (["United", "States"], False),  # "United" first is a place's word
        (["Anna", "Ag"], False),  # a two-letter form counts in capitals only
        (["Maarten", "Kuipersma"], False),
        ([], False),
    ],
)
def test_org_evidence(words: list[str], expected: bool) -> None:
    assert has_org_evidence(words) is expected


def test_legal_forms_come_from_cleanco() -> None:
    assert all(is_legal_form(w) for w in ("Ltd", "Inc", "GmbH", "S.A.", "plc", "LLC", "ASA", "Co"))
    assert not any(is_legal_form(w) for w in ("Berg", "Ag", "ag", ""))


@pytest.mark.parametrize(
    ("words", "first_names", "expected"),
    [
        (["Maarten", "Kuipersma"], (), True),
        (["Davi", "Rezende", "Marinho"], (), False),  # not in the first-name list ...
        (["Davi", "Rezende", "Marinho"], ("Davi",), True),  # ... but named alone as a person in the article
        (["Anna", "Berg", "Ltd"], (), False),  # organisation evidence wins
        (["Anna", "of", "Cleves"], (), False),  # capitalised words only
        (["Anna"], (), False),
    ],
)
def test_person_evidence(words: list[str], first_names: tuple[str, ...], expected: bool) -> None:
    assert has_person_evidence(words, first_names=first_names) is expected


def test_seed_clubs_are_organisations_and_the_player_a_person(nlp: Language) -> None:
    entities = seed(nlp, "rijnmond-midfielder-transfer")
    assert entities["SC Rijnmond"].label == "ORG"
    assert [m.text for m in entities["SC Rijnmond"].mentions] == ["SC Rijnmond", "Rijnmond", "Rijnmond"]
    assert entities["Clube Guaíba"].label == "ORG"
    player = entities["Davi Rezende Marinho"]
    assert player.label == "PERSON"
    assert [m.text for m in player.mentions] == ["Davi Rezende Marinho", "Davi", "Davi"]
    assert "Davi" not in entities


def test_seed_companies_named_short_are_organisations(nlp: Language) -> None:
    talvera = seed(nlp, "talvera-power-bank-recall")
    assert "Talvera" not in talvera
    company = talvera["Talvera Technologies"]
    assert company.label == "ORG" and company.count >= 4
    safiri = seed(nlp, "kenya-court-biometric-ruling")
    assert "Safiri" not in safiri
    assert [m.text for m in safiri["Safiri Mobility Ltd"].mentions] == ["Safiri Mobility Ltd", "Safiri"]


def test_short_texts_org_and_person_evidence(nlp: Language) -> None:
    talvera = found(nlp, "Shares in Talvera fell 6%. Talvera Technologies said it would recall the devices.")
    assert list(talvera) == ["Talvera Technologies"] and talvera["Talvera Technologies"].count == 2


def test_the_subject_of_said_in_a_statement_that_the_text_calls_a_company(nlp: Language) -> None:
    words = ["Zentrix", ",", "a", "logistics", "company", ",", "said", "in", "a", "statement", "."]
    heads = [6, 0, 4, 4, 0, 0, 6, 6, 9, 7, 6]
    deps = ["nsubj", "punct", "det", "compound", "appos", "punct", "ROOT", "prep", "det", "pobj", "punct"]
    lemmas = ["Zentrix", ",", "a", "logistics", "company", ",", "say", "in", "a", "statement", "."]
    ents = ["B-PERSON", *["O"] * 10]
    doc = hand_doc(nlp, words, heads=heads, deps=deps, lemmas=lemmas, ents=ents)
    assert [(e.name, e.label) for e in extract_entities(doc)] == [("Zentrix", "ORG")]
    # Without the company noun it stays a person: people make statements too.
    words[4] = lemmas[4] = "spokeswoman"
    doc = hand_doc(nlp, words, heads=heads, deps=deps, lemmas=lemmas, ents=ents)
    assert [(e.name, e.label) for e in extract_entities(doc)] == [("Zentrix", "PERSON")]


@pytest.mark.parametrize(("label", "expected"), [("FAC", "GPE"), ("LOC", "GPE"), ("GPE", "GPE")])
def test_the_gazetteer_covers_fac_and_loc(nlp: Language, label: str, expected: str) -> None:
    words = ["Flights", "to", "Stavanger", "resumed", "."]
    doc = hand_doc(nlp, words, ents=["O", "O", f"B-{label}", "O", "O"])
    [stavanger] = extract_entities(doc)
    assert (stavanger.label, stavanger.geonames_id, stavanger.country_code) == (expected, 3137115, "NO")


def test_a_continent_stays_loc(nlp: Language) -> None:
    doc = hand_doc(nlp, ["Rain", "in", "Europe", "."], ents=["O", "O", "B-LOC", "O"])
    assert [(e.name, e.label) for e in extract_entities(doc)] == [("Europe", "LOC")]


# 3. The facility rule


def test_facility_rule_needs_a_proper_name(nlp: Language) -> None:
    entities = found(nlp, "Jets struck near the Russian airbase. Troops moved to a NATO base in Poland.")
    assert entities["Russian"].label == "NORP"
    assert entities["NATO"].label == "ORG"
    assert found(nlp, "Troops left the Hmeymim airbase on Monday.")["Hmeymim"].label == "FAC"


def test_a_facility_mention_does_not_relabel_the_others(nlp: Language) -> None:
    words = ["Jets", "left", "the", "Kestrel", "airbase", ".", "Kestrel", "said", "Kestrel", "would", "pay", "."]
    heads = [1, 1, 4, 4, 1, 1, 7, 7, 10, 10, 7, 7]
    deps = ["nsubj", "ROOT", "det", "compound", "dobj", "punct", "nsubj", "ROOT", "nsubj", "aux", "ccomp", "punct"]
    pos = ["NOUN", "VERB", "DET", "PROPN", "NOUN", "PUNCT", "PROPN", "VERB", "PROPN", "AUX", "VERB", "PUNCT"]
    ents = ["O", "O", "O", "B-ORG", "O", "O", "B-ORG", "O", "B-ORG", "O", "O", "O"]
    doc = hand_doc(nlp, words, heads=heads, deps=deps, pos=pos, ents=ents)
    [kestrel] = extract_entities(doc)
    assert (kestrel.label, kestrel.count) == ("ORG", 3)
    # Alone, the mention before the facility noun is a facility.
    doc = hand_doc(nlp, words[:6], heads=heads[:6], deps=deps[:6], pos=pos[:6], ents=ents[:6])
    assert [(e.name, e.label) for e in extract_entities(doc)] == [("Kestrel", "FAC")]


# 4. Aliases


def test_the_fed_is_the_federal_reserve(nlp: Language) -> None:
    entities = found(nlp, "The Federal Reserve held rates steady on Wednesday. The Fed said inflation had eased.")
    assert "Fed" not in entities
    assert entities["Federal Reserve"].count == 2


def test_a_defined_acronym_joins_its_long_form(nlp: Language) -> None:
    text = (
        "OTTAWA, June 2 - Immigration, Refugees and Citizenship Canada (IRCC) said it would cut processing "
        "times. IRCC said the backlog had fallen."
    )
    entities = found(nlp, text)
    assert "IRCC" not in entities
    assert [m.text for m in entities["Immigration, Refugees and Citizenship Canada"].mentions][-2:] == ["IRCC", "IRCC"]


def test_common_short_forms(nlp: Language) -> None:
    entities = found(nlp, "The U.N. and the EU condemned the attack. The United Nations said it would send aid.")
    assert entities["United Nations"].count == 2
    assert entities["European Union"].label == "ORG"


# 5. Salience ranks named things only


def test_dates_keep_their_mentions_but_no_salience(nlp: Language) -> None:
    text = (
        "WASHINGTON, May 1 - The Federal Reserve held interest rates steady this year. The Fed said "
        "inflation had eased this year and would ease next year. Fed Chair Jerome Powell spoke on Wednesday."
    )
    entities = extract_entities(nlp(text), headline="Fed holds rates steady this year")
    dates = [e for e in entities if e.label == "DATE"]
    assert dates and all(e.salience is None and e.count >= 1 for e in dates)
    ranked = sorted((e for e in entities if e.salience is not None), key=lambda e: -(e.salience or 0))
    assert ranked[0].name == "Federal Reserve"


def test_seed_dates_have_no_salience(nlp: Language) -> None:
    entities = seed(nlp, "chile-central-bank-rate-cut")
    assert all((e.salience is None) == (e.label in {"DATE", "TIME"}) for e in entities.values())


# Edges of mentions, and results tables


def test_mention_edges_drop_scores_and_split_at_a_spaced_dash(nlp: Language) -> None:
    words = ["Durham", "114", "and", "81-3", "."]
    doc = hand_doc(nlp, words, ents=["B-PERSON", "I-PERSON", "O", "O", "O"])
    assert [m.text for e in extract_entities(doc) for m in e.mentions] == ["Durham"]
    words = ["CRICKET", "-", "SRI", "LANKA", "WIN", "."]
    doc = hand_doc(nlp, words, ents=["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O"])
    entities = {e.name: e for e in extract_entities(doc)}
    assert entities["SRI LANKA"].label == "GPE" and entities["SRI LANKA"].country_code == "LK"


@pytest.mark.parametrize(
    ("text", "teams"),
    [
        ("Saracens 25 Leicester 23", ["Saracens", "Leicester"]),
        ("Buducnost (V) 0 OFK Beograd 1", ["Buducnost (V)", "OFK Beograd"]),
        ("MILWAUKEE 64 71 .474 17", ["MILWAUKEE"]),
        ("Dundee 3 1 2 0 3 2 5", ["Dundee"]),
        ("The team won 3 2 1 0 games.", []),
        ("Leicester beat Saracens 25-23 on Saturday.", []),
    ],
)
def test_team_names_in_results_lines(text: str, teams: list[str]) -> None:
    assert [text[a:b] for a, b in team_names(text)] == teams


def test_teams_in_a_results_table_are_organisations(nlp: Language) -> None:
    text = "RUGBY UNION - ENGLISH LEAGUE RESULTS .\nLONDON 1996-08-31\nSaracens 25 Leicester 23\nBath 30 Bristol 12"
    entities = found(nlp, text)
    assert {entities[n].label for n in ("Saracens", "Leicester", "Bath", "Bristol")} == {"ORG"}
    assert entities["London"].label == "GPE"
    # A golf table lists people: a first name keeps the model's reading.
    golf = found(nlp, "Colin Montgomerie 69 70 71").values()
    assert "Colin Montgomerie" not in {e.name for e in golf if e.label == "ORG"}
