"""spaCy's attribute ruler at a fraction of the cost: the `newswire_attributes` component.

The model's attribute ruler runs a Matcher of some 180 patterns over every token to
map each fine-grained tag (and a few words) to its coarse part of speech, morphology
and sometimes lemma: about 15% of the parse. Almost every pattern looks at one token,
and then the outcome depends only on that token's own attributes (for
en_core_web_sm: its lower-case form, tag, dependency label and whether it is a
space). This component asks the ruler's own matcher once per distinct combination
of the attributes its one-token patterns read, remembers which rules matched, and
writes the results as arrays. The few patterns of two or more tokens ("gon na",
"let 's") still run through a Matcher of their own on every doc. The rules apply
in the ruler's order (later rules win), so every token gets the very attributes the
ruler would give it.
"""

from __future__ import annotations

import re
from typing import Any, cast

import numpy
from spacy.attrs import DEP, IDS, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

# Distinct keys kept before the memo starts over: bounds a long-running worker's memory.
MAX_MEMO = 200_000
# Attributes the ruler may set that are written as arrays; DEP is set token by token.
WRITTEN = (POS, MORPH, LEMMA, TAG)
# Token attributes a one-token pattern may read and that Doc.to_array can give.
READABLE = frozenset(
    "ORTH TEXT LOWER NORM SHAPE PREFIX SUFFIX LENGTH TAG POS DEP LEMMA MORPH "
    "IS_ALPHA IS_ASCII IS_DIGIT IS_LOWER IS_UPPER IS_TITLE IS_PUNCT IS_SPACE IS_STOP "
    "IS_BRACKET IS_QUOTE IS_LEFT_PUNCT IS_RIGHT_PUNCT IS_CURRENCY LIKE_NUM LIKE_URL LIKE_EMAIL".split()
)
# Attributes whose array value is the hash of their string, so a pattern's string is
# compared by its hash; and the flags, compared as 0 or 1. Patterns on anything else
# (POS, MORPH, LENGTH ...) go through the Matcher.
HASHED = frozenset("ORTH LOWER NORM SHAPE PREFIX SUFFIX TAG DEP LEMMA".split())
FLAGS = frozenset(name for name in READABLE if name.startswith(("IS_", "LIKE_")))
# Attributes of a token (not of its word) that a one-token stand-in must copy.
TOKEN_LEVEL = ("tag", "pos", "dep", "lemma", "morph")


Pattern = list[dict[str, Any]]
# One test of a one-token pattern: (column of the key, predicate, value).
Test = tuple[int, str, Any]


def rule_patterns(ruler: AttributeRuler) -> list[list[Pattern]]:
    """The ruler's patterns, one list per rule, in the ruler's order."""
    return [cast(list[Pattern], entry["patterns"]) for entry in ruler.patterns]


def pattern_keys(ruler: AttributeRuler) -> list[str] | None:
    """The attribute names the ruler's one-token patterns read, or None if the memo cannot be exact.

    None when a pattern uses an operator, an extension attribute or anything else
    outside READABLE: then the outcome may depend on more than the token's own attributes.
    """
    keys: set[str] = set()
    for patterns in rule_patterns(ruler):
        for pattern in patterns:
            for spec in pattern:
                names = {"ORTH" if name == "TEXT" else name for name in spec}
                if not names <= READABLE:
                    return None
                if len(pattern) == 1:
                    keys |= names
    return sorted(keys)


def compile_tests(ruler: AttributeRuler, keys: list[str], vocab: Vocab) -> list[list[list[Test]]] | None:
    """Each rule's one-token patterns as tests on the key's columns, or None if one cannot be.

    A pattern is a list of tests that must all pass; a rule matches a key when any of
    its patterns does. Equality, IN, NOT_IN and REGEX on the hashed attributes, and
    equality on the flags, are what en_core_web_sm's ruler uses.
    """
    column = {name: i for i, name in enumerate(keys)}

    def hashed(value: str) -> int:
        return int(vocab.strings.add(value))

    rules: list[list[list[Test]]] = []
    for patterns in rule_patterns(ruler):
        compiled = []
        for pattern in (p for p in patterns if len(p) == 1):
            tests: list[Test] = []
            for name, value in pattern[0].items():
                attr = "ORTH" if name == "TEXT" else name
                if attr in FLAGS and isinstance(value, bool):
                    tests.append((column[attr], "==", numpy.uint64(value)))
                elif attr in HASHED and isinstance(value, str):
                    tests.append((column[attr], "==", numpy.uint64(hashed(value))))
                elif attr in HASHED and isinstance(value, dict) and len(value) == 1:
                    ((predicate, argument),) = value.items()
                    if predicate in ("IN", "NOT_IN") and all(isinstance(v, str) for v in argument):
                        tests.append(
                            (column[attr], predicate, numpy.array([hashed(v) for v in argument], numpy.uint64))
                        )
                    elif predicate == "REGEX" and isinstance(argument, str):
                        tests.append((column[attr], predicate, re.compile(argument)))
                    else:
                        return None
                else:
                    return None
            compiled.append(tests)
        rules.append(compiled)
    return rules


class MemoAttributes:
    """Sets every token's attributes as the wrapped attribute ruler would, memoised."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._ruler: AttributeRuler | None = None
        self._key_ids: list[int | str] = []
        self._copied: list[int | str] = []
        self._tests: list[list[list[Test]]] | None = None
        self._single: Matcher | None = None
        self._multi: Matcher | None = None
        self._memo: dict[bytes, tuple[int, ...]] = {}
        self._outcomes: dict[tuple[int, ...], tuple[list[int], list[bool], int | None]] = {}

    def use_rules_of(self, ruler: AttributeRuler) -> None:
        """Take the patterns and attributes of a loaded attribute ruler."""
        keys = pattern_keys(ruler)
        if keys is None:
            raise ValueError("newswire_attributes cannot memoise this attribute ruler's patterns")
        self._ruler = ruler
        self._key_ids = [IDS[name] for name in keys]
        self._copied = [IDS[name.upper()] for name in TOKEN_LEVEL if name.upper() in keys]
        self._tests = compile_tests(ruler, keys, self.vocab)
        self._single = Matcher(self.vocab, validate=False)
        self._multi = Matcher(self.vocab, validate=False)
        for number, patterns in enumerate(rule_patterns(ruler)):
            singles = [p for p in patterns if len(p) == 1]
            longer = [p for p in patterns if len(p) > 1]
            if singles:
                self._single.add(str(number), singles)
            if longer:
                self._multi.add(str(number), longer)
        self._memo.clear()
        self._outcomes.clear()

    def __call__(self, doc: Doc) -> Doc:
        if self._ruler is None:
            raise RuntimeError("newswire_attributes has no rules: call use_rules_of() first")
        if not len(doc):
            return doc
        if len(self._memo) > MAX_MEMO:
            self._memo.clear()
        # One row of the attributes the patterns read is one key; each distinct key is
        # looked up once per doc, and its outcome spread back to its tokens with numpy.
        columns = doc.to_array(self._key_ids)
        width = columns.dtype.itemsize * len(self._key_ids)
        keys = numpy.ascontiguousarray(columns).view(numpy.dtype((numpy.void, width))).ravel()
        distinct, first, where = numpy.unique(keys, return_index=True, return_inverse=True)
        where = where.ravel()
        distinct_keys = distinct.tolist()
        new = [(key, i) for key, i in zip(distinct_keys, first.tolist(), strict=True) if key not in self._memo]
        if new:
            indices = [i for _, i in new]
            if self._tests is not None:
                found = self._tested_rules(columns[indices].reshape(len(indices), -1))
            else:
                found = self._single_rules(doc, indices)
            self._memo.update(zip([key for key, _ in new], found, strict=True))
        rules_of_key = [self._memo[key] for key in distinct_keys]
        outcomes = [self._outcome(rules) for rules in rules_of_key]
        values = numpy.array([o[0] for o in outcomes], dtype=numpy.uint64)
        flags = numpy.array([o[1] for o in outcomes], dtype=bool)
        current: Any = doc.to_array(list(WRITTEN))
        current = numpy.where(flags[where], values[where], current)
        deps = {i: o[2] for i, o in enumerate(outcomes) if o[2] is not None}
        dep_of_token = {int(t): deps[k] for k in deps for t in numpy.flatnonzero(where == k)}
        for token_i, extra in self._multi_rules(doc).items():
            rules = tuple(sorted((*rules_of_key[where[token_i]], *extra)))
            token_values, token_flags, dep = self._outcome(rules)
            for column, is_set in enumerate(token_flags):
                if is_set:
                    current[token_i, column] = token_values[column]
            if dep is not None:
                dep_of_token[token_i] = dep
        doc.from_array(list(WRITTEN), current)
        for token_i, dep in dep_of_token.items():
            doc[token_i].dep = dep
        return doc

    def _tested_rules(self, rows: Any) -> list[tuple[int, ...]]:
        """The one-token rules that match each row of key columns, by the compiled tests, in the ruler's order."""
        assert self._tests is not None  # noqa: S101
        found: list[list[int]] = [[] for _ in range(len(rows))]
        for number, patterns in enumerate(self._tests):
            matched = numpy.zeros(len(rows), dtype=bool)
            for tests in patterns:
                passed = numpy.ones(len(rows), dtype=bool)
                for column, predicate, argument in tests:
                    passed &= self._passes(rows[:, column], predicate, argument)
                matched |= passed
            for row in numpy.flatnonzero(matched).tolist():
                found[row].append(number)
        return [tuple(rules) for rules in found]

    def _passes(self, values: Any, predicate: str, argument: Any) -> Any:
        if predicate == "==":
            return values == argument
        if predicate == "IN":
            return numpy.isin(values, argument)
        if predicate == "NOT_IN":
            return ~numpy.isin(values, argument)
        strings = self.vocab.strings  # REGEX: searched in the attribute's string, as the Matcher does
        return numpy.array([bool(argument.search(strings[value])) for value in values.tolist()], dtype=bool)

    def _single_rules(self, doc: Doc, indices: list[int]) -> list[tuple[int, ...]]:
        """The one-token rules that match each of the tokens at `indices`, in the ruler's order.

        They are asked of one stand-in doc holding a copy of each of those tokens (its
        word and the token-level attributes the patterns read): a one-token pattern
        sees nothing but its own token.
        """
        assert self._single is not None  # noqa: S101
        alone = Doc(self.vocab, words=[doc[i].text for i in indices], spaces=[False] * len(indices))
        if self._copied:
            copied: Any = doc.to_array(self._copied)[indices]
            alone.from_array(self._copied, copied)
        found: list[list[int]] = [[] for _ in indices]
        for match_id, start, _ in self._single(alone, allow_missing=True, as_spans=False):
            found[start].append(int(self.vocab.strings[match_id]))
        return [tuple(sorted(rules)) for rules in found]

    def _multi_rules(self, doc: Doc) -> dict[int, list[int]]:
        """The rules of two or more tokens that match, by the index of the token each one sets."""
        assert self._multi is not None and self._ruler is not None  # noqa: S101
        found: dict[int, list[int]] = {}
        if not len(self._multi):
            return found
        for match_id, start, end in self._multi(doc, allow_missing=True, as_spans=False):
            rule = int(self.vocab.strings[match_id])
            index = self._ruler.indices[rule]
            found.setdefault((start if index >= 0 else end) + index, []).append(rule)
        return found

    def _outcome(self, rules: tuple[int, ...]) -> tuple[list[int], list[bool], int | None]:
        """What `rules` applied in order leave: a value and a 'set' flag per WRITTEN attribute, and a DEP."""
        outcome = self._outcomes.get(rules)
        if outcome is None:
            assert self._ruler is not None  # noqa: S101
            values, flags, dep = [0] * len(WRITTEN), [False] * len(WRITTEN), None
            for rule in rules:
                for attr, value in self._ruler.attrs[rule].items():
                    if attr == DEP:
                        dep = value
                    elif attr in WRITTEN:
                        column = WRITTEN.index(attr)  # a MORPH value is its string's hash, as from_array wants
                        values[column], flags[column] = value, True
            outcome = self._outcomes[rules] = (values, flags, dep)
        return outcome


@Language.factory("newswire_attributes")
def make_memo_attributes(nlp: Language, name: str) -> MemoAttributes:
    return MemoAttributes(nlp.vocab)


def speed_up_attribute_ruler(nlp: Language) -> None:
    """Replace `attribute_ruler` by `newswire_attributes` with its rules, when its patterns allow an exact memo."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler: Any = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler) or pattern_keys(ruler) is None:
        return
    fast: MemoAttributes = nlp.replace_pipe("attribute_ruler", "newswire_attributes")  # type: ignore[assignment]
    fast.use_rules_of(ruler)
