"""The fast paths of the extractors give exactly what the plain spaCy calls they replace give."""

from __future__ import annotations

import numpy
import pytest

from stream.nlp.coref import (
    DEFINITE_DETS,
    PRONOUN_IDS,
    _clause_head,
    _clause_head_index,
    _mention_candidates,
    _quoted,
    _sentence_index,
    _with_definite_det,
)
from stream.nlp.lexicon import INTENTION_VERBS, PROMISE_VERBS, REPORTING_VERBS
from stream.nlp.quotes.grammar import _crosses_line, is_reporting_verb
from stream.nlp.quotes.layout import build_layout
from stream.nlp.quotes.verbs import _verbs_and_according
from stream.nlp.speakers import _entities_in
from stream.nlp.views import (
    COMMON_COLUMNS,
    column_in,
    doc_array,
    doc_children,
    doc_column,
    doc_deps,
    doc_ents,
    doc_heads,
    doc_text,
    doc_tokens,
    doc_words,
    remember_text,
    sentence_bounds,
    span_text,
    tokens_text,
)

TEXT = (
    "MOSCOW — Kremlin spokesman Dmitry Peskov said on Monday that the forces would stay.\n\n"
    "“We have no troops there,” Peskov told reporters in Moscow. 'It is ''settled'' now,' he added, "
    "according to the agency.\n“A quote left open at the paragraph end\n“and one more, closed.”\n"
    "He called it ``fine.'' Peskov`s aide agreed."
)


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(TEXT)


def test_doc_text_is_doc_text(doc):
    assert doc_text(doc) == doc.text == TEXT
    assert doc_text(doc) is doc_text(doc)  # built once


def test_token_regions_match_region_at(doc):
    layout = build_layout(doc)
    assert layout.token_starts == [t.idx for t in doc]
    assert layout.token_region == [layout.region_at(t.idx) for t in doc]
    assert any(r != -1 for r in layout.token_region)


def test_entities_in_a_span_match_span_ents(doc):
    for start in range(0, len(doc), 3):
        for end in range(start + 1, min(len(doc), start + 12)):
            span = doc[start:end]
            assert [(e.start, e.end, e.label_) for e in _entities_in(span)] == [
                (e.start, e.end, e.label_) for e in span.ents
            ]


def test_verb_candidates_are_the_rule_verbs_and_according(doc):
    rule_lemmas = REPORTING_VERBS | PROMISE_VERBS | INTENTION_VERBS
    expected = [
        t.i for t in doc if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in rule_lemmas or t.lower_ == "according"
    ]
    assert _verbs_and_according(doc) == expected
    assert {"said", "told", "added", "according"} <= {doc[i].lower_ for i in expected}


def test_crosses_line_is_a_line_break_in_the_words_between(doc):
    words = [t.text for t in doc]
    for a in range(0, len(doc) + 1, 2):
        for b in range(0, len(doc) + 1, 3):
            assert _crosses_line(doc, a, b) == any("\n" in w for w in words[min(a, b) : max(a, b)])


def test_sentence_bounds_are_token_sent(doc):
    assert [sentence_bounds(doc, t.i) for t in doc] == [(t.sent.start, t.sent.end) for t in doc]


def test_sentence_and_quote_arrays_match_the_tokens(doc):
    number, sentences = 0, []
    for token in doc:
        number += bool(token.is_sent_start) and token.i > 0
        sentences.append(number)
    assert _sentence_index(doc) == sentences
    inside, flags = False, []
    for token in doc:
        backticks = token.text == "`" and "`" in (doc[token.i - 1 : token.i].text, doc[token.i + 1 : token.i + 2].text)
        if token.text in ("“", "``") or backticks:
            inside = True
        elif token.text == "”" or "\n" in token.text:
            inside = False
        elif token.text in ('"', "''"):
            inside = not inside
        flags.append(inside)
    assert _quoted(doc) == flags
    assert any(flags)


def test_shared_entities_are_doc_ents(doc):
    assert doc_ents(doc) == tuple(doc.ents)
    assert doc_ents(doc) is doc_ents(doc)


def test_token_views_match_the_tokens(doc):
    assert doc_words(doc) == [t.text for t in doc]
    assert [t.i for t in doc_tokens(doc)] == list(range(len(doc)))
    assert doc_tokens(doc) is doc_tokens(doc)
    assert doc_array(doc, "IDX") == [t.idx for t in doc]
    assert doc_array(doc, "ORTH") is doc_array(doc, "ORTH")


def test_texts_cut_from_the_doc_text_match_span_text(doc):
    for start in range(len(doc)):
        for end in range(start, min(len(doc), start + 6) + 1):
            assert tokens_text(doc, start, end) == doc[start:end].text
    for ent in doc.ents:
        assert span_text(ent) == ent.text


def test_definite_determiners_match_the_children(doc):
    expected = {t.i for t in doc if any(c.dep_ == "det" and c.lower_ in DEFINITE_DETS for c in t.children)}
    assert _with_definite_det(doc) == expected
    assert expected


def test_mention_candidates_are_nouns_pronouns_and_name_starts(doc):
    expected = {t.i for t in doc if t.pos_ == "NOUN" or t.lower in PRONOUN_IDS} | {0}
    assert _mention_candidates(doc, [0]) == expected


def test_columns_are_the_arrays_read_once(doc):
    assert doc_column(doc, "POS").tolist() == doc_array(doc, "POS") == [t.pos for t in doc]
    assert doc_column(doc, "LOWER") is doc_column(doc, "LOWER")


@pytest.mark.parametrize("attr", [*COMMON_COLUMNS, "TAG"])
def test_columns_read_together_are_each_attributes_own_array(doc, attr):
    assert doc_column(doc, "ORTH") is not None  # the common columns are read, in one call
    assert doc_column(doc, attr).tolist() == doc.to_array(attr).tolist()


def test_heads_and_labels_are_the_tokens_own(doc):
    assert doc_heads(doc) == [t.head.i for t in doc]
    assert doc_deps(doc) == [t.dep_ for t in doc]
    assert [list(found) for found in doc_children(doc)] == [[c.i for c in t.children] for t in doc]


def _walked_clause_head(token):
    while token.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj") and token.head.i != token.i:
        token = token.head
    return token


def test_clause_heads_walked_on_arrays_match_the_token_walk(doc):
    expected = [_walked_clause_head(t).i for t in doc]
    assert [_clause_head_index(doc, t.i) for t in doc] == expected
    assert [_clause_head(t).i for t in doc] == expected
    assert len(set(expected)) > 2


def test_the_text_a_doc_was_parsed_from_is_its_text(nlp):
    doc = nlp(TEXT)
    remember_text(doc, TEXT)
    assert doc_text(doc) is TEXT
    assert doc_text(doc) == doc.text


def test_a_text_that_is_not_the_docs_is_not_taken(nlp):
    doc = nlp(TEXT)
    remember_text(doc, TEXT + " and more")
    assert doc_text(doc) == doc.text == TEXT


def test_column_in_is_isin():
    ids = numpy.array([3, 7, 2**63 + 5], dtype=numpy.uint64)
    column = numpy.array([0, 3, 4, 7, 8, 2**63 + 5, 2**64 - 1, 3], dtype=numpy.uint64)
    assert column_in(column, ids).tolist() == numpy.isin(column, ids).tolist()
    assert column_in(column, ids).tolist() == [False, True, False, True, False, True, False, True]
    assert column_in(column[:0], ids).tolist() == []


def test_reporting_verbs_kept_by_lemma_match_the_list(doc):
    expected = [t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in REPORTING_VERBS for t in doc]
    assert [is_reporting_verb(t) for t in doc] == expected
    assert [is_reporting_verb(t) for t in doc] == expected  # asked again: from the kept answers
    assert any(expected)
