"""Quote scoring: gold and predicted quotes matched by the words they share.

Each gold quote, in order, takes the not yet matched predicted quote of its article
that covers the largest share of its words (word tokens, so quote marks and spacing do
not count), if that share exceeds the overlap threshold. Over matched pairs:

- speaker: the predicted speaker span shares a word with the gold one (gold quotes
  with a speaker span);
- cue: the same for the cue span;
- name: the predicted resolved name equals the gold one after normalising case,
  punctuation, honorifics and a leading "the" (strict), or has the same last word and
  no conflicting first word (lenient). A gold "name" that describes an unnamed speaker
  ("officials", "a spokesperson") is right when the prediction names no one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from stream.evaluation.gold import GoldArticle, GoldQuote, Offsets, PredictedQuote

OVERLAPS = (0.3, 0.8)
WORD = re.compile(r"\w+")
HONORIFICS = frozenset(
    {"dame", "dr", "gen", "gov", "miss", "mr", "mrs", "ms", "pres", "prof", "rep", "rev", "sen", "sir"}
)
# First words of a description rather than a name ("a spokesperson", "their lawyers").
DESCRIPTION_STARTS = frozenset(
    {
        "a", "an", "another", "both", "five", "four", "her", "his", "its", "many", "most", "my",
        "one", "other", "our", "several", "some", "their", "three", "two",
    }
)  # fmt: skip
NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")


class Words:
    """The word tokens of a body, to turn character spans into sets of word indices."""

    def __init__(self, body: str) -> None:
        spans = [m.span() for m in WORD.finditer(body)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def within(self, span: Offsets | None) -> frozenset[int]:
        """Indices of the words that overlap `span` by at least one character."""
        if span is None:
            return frozenset()
        start, end = span
        return frozenset(range(bisect_right(self.ends, start), bisect_left(self.starts, end)))


def match_quotes(
    words: Words, gold: Sequence[GoldQuote], predicted: Sequence[PredictedQuote], *, overlap: float
) -> list[int | None]:
    """For each gold quote, the index of the predicted quote it matches, or None."""
    predicted_words = [words.within(p.content) for p in predicted]
    taken: set[int] = set()
    matches: list[int | None] = []
    for quote in gold:
        gold_words = words.within(quote.content)
        best, best_share = None, 0.0
        for i, candidate in enumerate(predicted_words):
            if i in taken or not gold_words:
                continue
            share = len(gold_words & candidate) / len(gold_words)
            if share > overlap and share > best_share:
                best, best_share = i, share
        if best is not None:
            taken.add(best)
        matches.append(best)
    return matches


def name_words(name: str | None) -> list[str]:
    words = [w for w in re.sub(r"[^\w ]", " ", (name or "").lower()).split() if w not in HONORIFICS]
    return words[1:] if len(words) > 1 and words[0] == "the" else words


def describes_unnamed(gold_name: str | None) -> bool:
    """A gold name that names no one: "officials", "A Freedom Mobile spokesperson", "the government"."""
    words = NAME_WORD.findall(gold_name or "")
    if not words:
        return False
    if words[0].lower() in DESCRIPTION_STARTS:
        return True
    rest = words[1:] if words[0].lower() == "the" else words
    return bool(rest) and all(w == w.lower() for w in rest)


def names_agree(predicted: str | None, gold: str | None) -> tuple[bool, bool]:
    """(strict, lenient) agreement of a predicted resolved name with the gold one."""
    if not predicted and describes_unnamed(gold):
        return True, True
    p, g = name_words(predicted), name_words(gold)
    if not p or not g:
        return False, False
    strict = p == g
    lenient = p[-1] == g[-1] and (len(p) == 1 or len(g) == 1 or p[0] == g[0])
    return strict, strict or lenient


@dataclass
class QuoteCounts:
    """Counts at one overlap threshold; the figures are ratios of these."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    direct_gold: int = 0
    direct_matched: int = 0
    speaker_gold: int = 0
    speaker_right: int = 0
    cue_gold: int = 0
    cue_right: int = 0
    name_gold: int = 0
    name_strict: int = 0
    name_lenient: int = 0
    missing_articles: int = 0

    def figures(self) -> dict[str, float | None]:
        """P, R, F1, direct_R, speaker, cue, name_strict, name_lenient as percentages (None: nothing to count)."""
        precision = self.matched / self.predicted if self.predicted else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "P": round(100 * precision, 1),
            "R": round(100 * recall, 1),
            "F1": round(100 * f1, 1),
            "direct_R": percent(self.direct_matched, self.direct_gold),
            "speaker": percent(self.speaker_right, self.speaker_gold),
            "cue": percent(self.cue_right, self.cue_gold),
            "name_strict": percent(self.name_strict, self.name_gold),
            "name_lenient": percent(self.name_lenient, self.name_gold),
        }


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def shares_a_word(words: Words, gold: Offsets | None, predicted: Offsets | None) -> bool:
    return bool(words.within(gold) & words.within(predicted))


def score_quotes(
    articles: Sequence[GoldArticle], predictions: Mapping[str, Sequence[PredictedQuote]], *, overlap: float
) -> QuoteCounts:
    """Counts over all gold articles; an article with no prediction counts as one with no quotes."""
    counts = QuoteCounts()
    for article in articles:
        predicted = predictions.get(article.id)
        if predicted is None:
            counts.missing_articles += 1
            predicted = []
        words = Words(article.body)
        counts.gold += len(article.quotes)
        counts.predicted += len(predicted)
        counts.direct_gold += sum(q.direct for q in article.quotes)
        for gold, index in zip(
            article.quotes, match_quotes(words, article.quotes, predicted, overlap=overlap), strict=True
        ):
            if index is None:
                continue
            pred = predicted[index]
            counts.matched += 1
            counts.direct_matched += gold.direct
            if gold.speaker:
                counts.speaker_gold += 1
                counts.speaker_right += shares_a_word(words, gold.speaker, pred.speaker)
            if gold.cue:
                counts.cue_gold += 1
                counts.cue_right += shares_a_word(words, gold.cue, pred.cue)
            if gold.name:
                strict, lenient = names_agree(pred.name, gold.name)
                counts.name_gold += 1
                counts.name_strict += strict
                counts.name_lenient += lenient
    return counts


@dataclass(frozen=True, slots=True)
class QuoteError:
    """One thing to read when a figure moves: a missed, spurious or wrongly named quote."""

    article_id: str
    kind: str  # "missed" | "spurious" | "name"
    content: str
    start: int
    speaker: str | None = None
    cue: str | None = None
    expected: str | None = None
    found: str | None = None


def find_errors(
    articles: Sequence[GoldArticle], predictions: Mapping[str, Sequence[PredictedQuote]], *, overlap: float
) -> list[QuoteError]:
    """Missed gold quotes, spurious predicted quotes and wrong names, article by article in body order."""
    errors: list[QuoteError] = []
    for article in articles:
        body = article.body
        predicted = predictions.get(article.id, [])
        matches = match_quotes(Words(body), article.quotes, predicted, overlap=overlap)
        found: list[QuoteError] = []
        for gold, index in zip(article.quotes, matches, strict=True):
            if index is None:
                found.append(
                    QuoteError(
                        article.id, "missed", _words(body, gold.content), gold.content[0],
                        speaker=_text(body, gold.speaker), cue=_text(body, gold.cue), expected=gold.name,
                    )
                )  # fmt: skip
                continue
            pred = predicted[index]
            if gold.name and not names_agree(pred.name, gold.name)[1]:
                found.append(
                    QuoteError(
                        article.id, "name", _words(body, gold.content), gold.content[0],
                        speaker=_text(body, pred.speaker), cue=_text(body, pred.cue),
                        expected=gold.name, found=pred.name,
                    )
                )  # fmt: skip
        matched = {i for i in matches if i is not None}
        for i, pred in enumerate(predicted):
            if i not in matched:
                found.append(
                    QuoteError(
                        article.id, "spurious", _words(body, pred.content), pred.content[0],
                        speaker=_text(body, pred.speaker), cue=_text(body, pred.cue), found=pred.name,
                    )
                )  # fmt: skip
        errors += sorted(found, key=lambda e: e.start)
    return errors


def _text(body: str, span: Offsets | None) -> str | None:
    return _words(body, span) if span else None


def _words(body: str, span: Offsets) -> str:
    return " ".join(body[span[0] : span[1]].split())
