"""spaCy's rule lemmas at a fraction of the cost: the `newswire_lemmas` component.

The model's rule lemmatizer looks each inflected form up in word lists of up to
57,000 entries (`form in list`, a linear scan) and recomputes every uninflected
token from its morphology, one Python call per token. This component gives each
token the very lemma that lemmatizer would (it calls the lemmatizer's own
`rule_lemmatize`, with the word lists turned into sets), but asks it once per
(word, part of speech, morphology) and reads and writes the doc's lemmas as
arrays.
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

# Distinct (word, POS, morphology) keys kept before the memo starts over: bounds a
# long-running worker's memory, as new names and typos keep arriving.
MAX_MEMO = 200_000
KEY_DTYPE = numpy.dtype((numpy.void, 24))


class RuleLemmas:
    """Sets every token's lemma as the wrapped rule lemmatizer would, memoised."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._rules: Lemmatizer | None = None
        self._memo: dict[bytes, int] = {}

    def use_rules_of(self, lemmatizer: Lemmatizer) -> None:
        """Take the rules and word lists of a loaded rule-mode lemmatizer."""
        if lemmatizer.mode != "rule":
            raise ValueError(f"newswire_lemmas needs a rule-mode lemmatizer, not {lemmatizer.mode!r}")
        rules = type(lemmatizer)(self.vocab, None, mode="rule")  # same class: keeps its is_base_form()
        lookups = Lookups()
        for name in lemmatizer.lookups.tables:
            table = lemmatizer.lookups.get_table(name)
            if name == "lemma_index":  # only ever asked `form in index`: a set answers the same
                lookups.add_table(name, {pos: frozenset(forms) for pos, forms in table.items()})
            else:
                lookups.set_table(name, table)
        rules.lookups = lookups
        self._rules = rules
        self._memo.clear()

    def __call__(self, doc: Doc) -> Doc:
        if self._rules is None:
            raise RuntimeError("newswire_lemmas has no rules: call use_rules_of() first")
        if not len(doc):
            return doc
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
        if len(self._memo) > MAX_MEMO:
            self._memo.clear()
            self._rules.cache.clear()
        # One row of (word, POS, morphology) hashes is one 24-byte key; each distinct
        # key is looked up once per doc, and the result spread back with numpy.
        keys = numpy.ascontiguousarray(columns[:, :3]).view(KEY_DTYPE).ravel()
        distinct, first, where = numpy.unique(keys, return_index=True, return_inverse=True)
        found = numpy.empty(len(distinct), dtype=numpy.uint64)
        memo, strings, rules = self._memo, self.vocab.strings, self._rules
        for j, (key, i) in enumerate(zip(distinct.tolist(), first.tolist(), strict=True)):
            lemma = memo.get(key)
            if lemma is None:
                lemma = memo[key] = strings.add(rules.rule_lemmatize(doc[i])[0])
            found[j] = lemma
        # A lemma the attribute ruler set stays, as the lemmatizer (overwrite=False) keeps it.
        lemmas: Any = numpy.where(columns[:, 3] != 0, columns[:, 3], found[where.ravel()])
        doc.from_array([LEMMA], lemmas)
        return doc


@Language.factory("newswire_lemmas")
def make_rule_lemmas(nlp: Language, name: str) -> RuleLemmas:
    return RuleLemmas(nlp.vocab)


def speed_up_lemmatizer(nlp: Language) -> None:
    """Replace a rule-mode `lemmatizer` by `newswire_lemmas` with its rules; other pipelines stay as they are."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule" or lemmatizer.overwrite:
        return
    fast: RuleLemmas = nlp.replace_pipe("lemmatizer", "newswire_lemmas")  # type: ignore[assignment]
    fast.use_rules_of(lemmatizer)
