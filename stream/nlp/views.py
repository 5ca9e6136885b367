"""Whole-article views of a parsed doc, built once and shared by entities, coref and quotes.

Doc.text and Doc.ents make a Token or Span object for every word or entity on each call,
and `doc[i]` makes a new Token each time; the extractors would otherwise build them many
times per article. The views read what the rules need once, from spaCy's arrays where
they can (`doc.to_array`, no Token objects), as plain Python lists indexed by token.

The views of the last doc asked about are kept here, not in the doc: entity spans kept in
`doc.user_data` would make a reference cycle, and each doc, with its arrays, would
then wait for the cyclic garbage collector (a worker's memory grew by hundreds of MiB).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy
from spacy.tokens import Doc, Span, Token


@dataclass(slots=True)
class _Views:
    doc: Doc | None = None
    text: str | None = None
    ents: tuple[Span, ...] | None = None
    tokens: list[Token] | None = None
    words: list[str] | None = None
    heads: list[int] | None = None
    deps: list[str] | None = None
    children: Children | None = None
    sentence_starts: list[int] | None = None
    columns: dict[str, numpy.ndarray] = field(default_factory=dict)
    arrays: dict[str, list[int]] = field(default_factory=dict)


_last = _Views()
# Word id -> text for the words of recent docs: a dict lookup costs less than the
# StringStore's, and an article's words mostly come up in earlier ones. Cleared when it
# grows past the limit, so a long-running worker's memory stays flat.
_word_texts: dict[int, str] = {}
MAX_CACHED_WORDS = 50_000


def _views(doc: Doc) -> _Views:
    if _last.doc is not doc:
        _last.doc, _last.text, _last.ents, _last.tokens, _last.words = doc, None, None, None, None
        _last.heads, _last.deps, _last.children, _last.sentence_starts = None, None, None, None
        _last.columns, _last.arrays = {}, {}
    return _last


# The attributes the extractors read from every doc: one to_array call reads them all, in one
# walk over the tokens, for about the cost of two calls of one attribute each.
# (Not SPACY: only doc_text reads it, for a doc whose text was not remembered.)
COMMON_COLUMNS = ("ORTH", "LOWER", "POS", "ENT_TYPE", "IDX", "SENT_START", "HEAD", "DEP")


def doc_column(doc: Doc, attr: str) -> numpy.ndarray:
    """doc.to_array(attr), read once per doc: for a test over every token at once."""
    columns = _views(doc).columns
    found = columns.get(attr)
    if found is None:
        if attr in COMMON_COLUMNS:
            table = doc.to_array(list(COMMON_COLUMNS))
            for number, name in enumerate(COMMON_COLUMNS):
                columns.setdefault(name, table[:, number])
            found = columns[attr]
        else:
            found = columns[attr] = doc.to_array(attr)
    return found


def column_in(column: numpy.ndarray, ids: numpy.ndarray) -> numpy.ndarray:
    """numpy.isin(column, ids) for a sorted array `ids`, by binary search: isin costs ten times more on a doc."""
    at = ids.searchsorted(column)  # the method: numpy.searchsorted() adds a Python wrapper per call
    numpy.minimum(at, len(ids) - 1, out=at)
    found: numpy.ndarray = ids[at] == column
    return found


def doc_array(doc: Doc, attr: str) -> list[int]:
    """doc.to_array(attr) as a list of ints, one per token, built once per doc: to index token by token."""
    arrays = _views(doc).arrays
    found = arrays.get(attr)
    if found is None:
        found = arrays[attr] = doc_column(doc, attr).tolist()
    return found


def doc_tokens(doc: Doc) -> list[Token]:
    """list(doc): one Token object per position, built once per doc (each doc[i] makes a new one)."""
    views = _views(doc)
    if views.tokens is None:
        views.tokens = list(doc)
    return views.tokens


def doc_words(doc: Doc) -> list[str]:
    """The text of every token, read from the word ids (no Token objects)."""
    views = _views(doc)
    if views.words is None:
        ids = doc_array(doc, "ORTH")
        if len(_word_texts) > MAX_CACHED_WORDS:
            _word_texts.clear()
        strings = doc.vocab.strings
        _word_texts.update((word, strings[word]) for word in set(ids).difference(_word_texts))
        views.words = [_word_texts[word] for word in ids]
    return views.words


def doc_heads(doc: Doc) -> list[int]:
    """The index of every token's head (token.head.i), from the HEAD array (no Token objects)."""
    views = _views(doc)
    if views.heads is None:
        views.heads = _head_column(doc).tolist()
    return views.heads


def _head_column(doc: Doc) -> numpy.ndarray:
    offsets = doc_column(doc, "HEAD").astype(numpy.int64)  # head - i, stored unsigned
    heads: numpy.ndarray = numpy.arange(len(offsets)) + offsets
    return heads


@dataclass(frozen=True, slots=True)
class Children:
    """Every token's children, in order: `children[i]` is a list of the indices of token i's children.

    The tokens sorted by head, and where each head's run starts; a rule asks about the
    children of a few hundred tokens, so a list is made only for those asked about.
    """

    by_head: list[int]
    starts: list[int]  # starts[i]:starts[i + 1] is token i's run in by_head

    def __getitem__(self, i: int) -> list[int]:
        return self.by_head[self.starts[i] : self.starts[i + 1]]


def doc_children(doc: Doc) -> Children:
    """The indices of every token's children (token.children), in order, from the head array (no Token objects)."""
    views = _views(doc)
    if views.children is None:
        heads = _head_column(doc)
        size = len(heads)
        # a sentence's root is its own head, not its own child: sorted after every token, left out
        heads[heads == numpy.arange(size)] = size
        order = numpy.argsort(heads, kind="stable")  # stable: each head's children stay in order
        counts = numpy.bincount(heads, minlength=size + 1)[:size]
        starts = numpy.zeros(size + 1, dtype=numpy.int64)
        numpy.cumsum(counts, out=starts[1:])
        views.children = Children(order.tolist(), starts.tolist())
    return views.children


def doc_deps(doc: Doc) -> list[str]:
    """Every token's dependency label (token.dep_), from the DEP array (no Token objects)."""
    views = _views(doc)
    if views.deps is None:
        # a doc has a few dozen labels: each label's text looked up once, then spread over the tokens by numpy
        labels, where = numpy.unique(doc_column(doc, "DEP"), return_inverse=True)
        strings = doc.vocab.strings
        texts = numpy.array([strings[label] for label in labels.tolist()], dtype=object)
        views.deps = texts[where].tolist()
    return views.deps


def sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """(start, end) of the sentence holding token i: doc[i].sent's bounds, found by binary search
    on the sentence starts (Token.sent makes a Span and walks to both edges on every call)."""
    starts = _sentence_starts(doc)
    at = bisect.bisect_right(starts, i)
    return starts[at - 1], starts[at] if at < len(starts) else len(doc)


def _sentence_starts(doc: Doc) -> list[int]:
    views = _views(doc)
    if views.sentence_starts is None:
        flags = doc_column(doc, "SENT_START") == 1
        flags[:1] = True  # the first token opens a sentence, flagged or not
        views.sentence_starts = numpy.flatnonzero(flags).tolist()
    return views.sentence_starts


def remember_text(doc: Doc, text: str) -> None:
    """Take `text`, the text `doc` was parsed from, as doc_text(doc), instead of joining the tokens again.

    spaCy's tokenizer keeps every character, so the two are the same; a text that does not
    end where the doc's last token does is not taken.
    """
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(text):
        _views(doc).text = text


def doc_text(doc: Doc) -> str:
    """doc.text, built once per doc from the token texts and their trailing spaces."""
    views = _views(doc)
    if views.text is None:
        words, spaces = doc_words(doc), doc_array(doc, "SPACY")
        views.text = "".join([word + " " if space else word for word, space in zip(words, spaces, strict=True)])
    return views.text


def span_text(span: Span) -> str:
    """span.text, cut from the doc's text (Span.text joins a Token object per word)."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def tokens_text(doc: Doc, start: int, end: int) -> str:
    """doc[start:end].text, cut from the doc's text (no Span or Token objects)."""
    if start >= end:
        return ""
    starts = doc_array(doc, "IDX")
    return doc_text(doc)[starts[start] : starts[end - 1] + len(doc_words(doc)[end - 1])]


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """doc.ents, built once per doc (read it only after the NER has run)."""
    views = _views(doc)
    if views.ents is None:
        views.ents = tuple(doc.ents)
    return views.ents
