"""Extract quoted and reported statements from a parsed article.

    extract_quotes(doc, article_id="a1") -> [Quote(kind, content, cue, speaker), ...]

The rules are grouped by what they are anchored on, and run in the order of
`ATTRIBUTION_RULES`; each records the quoted regions it used in `claimed`, so a
later rule only sees what is left:

- `lines`: a line opened by "Name:" (headlines, transcripts);
- `regions`: a quoted region and the words right around it ('"...," Peskov said');
- `verbs`: a reporting verb and its clause, or "according to";
- `colons`: a colon before a quote, used by the region rules;
- `marks` pairs the quote marks, `layout` precomputes what every rule reads,
  `grammar` holds the parse helpers, `assemble` builds the records.

Finding attributions and naming their speakers (`stream.nlp.speakers`) are
separate steps; speakers resolve through the article's mention model
(`stream.nlp.coref`).
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from stream.models import Attributions, Quote
from stream.nlp.coref import build_coref
from stream.nlp.quotes.assemble import assemble_quotes, drop_repeats, join_split_parts, quote_id
from stream.nlp.quotes.layout import Attribution, Layout, build_layout
from stream.nlp.quotes.lines import speaker_line_attributions
from stream.nlp.quotes.regions import adjacent_cue_attributions, region_attributions
from stream.nlp.quotes.verbs import verb_attributions

__all__ = ["ATTRIBUTION_RULES", "Attributions", "extract_quotes", "find_attributions", "quote_id"]

AttributionRule = Callable[[Layout, set[int]], list[Attribution]]

# A "Name:" line is the surest sign, then a cue right after a closing mark; then the
# reporting verbs; then whatever quoted regions are left.
ATTRIBUTION_RULES: tuple[AttributionRule, ...] = (
    speaker_line_attributions,
    adjacent_cue_attributions,
    verb_attributions,
    region_attributions,
)


def find_attributions(
    layout: Layout, *, attributions: Attributions = "statements", join_split: bool = False
) -> list[Attribution]:
    """All attributions in the article, sorted by content start, repeats dropped.

    Thoughts are found in either case, so that a region a thought verb governs is
    not taken for a statement by a later rule; with "statements" they are dropped.
    """
    claimed: set[int] = set()
    found: list[Attribution] = []
    for rule in ATTRIBUTION_RULES:
        found.extend(rule(layout, claimed))
    found = drop_repeats(sorted(found, key=lambda a: (a.start_char, -a.end_char)))
    if attributions == "statements":
        found = [a for a in found if a.act == "statement"]
    return join_split_parts(layout.text, found) if join_split else found


def extract_quotes(
    doc: Doc, *, article_id: str = "", attributions: Attributions = "statements", join_split: bool = False
) -> list[Quote]:
    """Quotes in `doc`, sorted by content start.

    `attributions="all"` also returns thoughts, beliefs and perceptions (`act` =
    "thought"), the convention of corpora such as PolNeAR. By default each part of
    '"X," he said, "Y."' is its own quote (content inside the marks);
    `join_split=True` returns one quote per interrupted statement.
    """
    coref = build_coref(doc)
    layout = build_layout(doc)
    found = find_attributions(layout, attributions=attributions, join_split=join_split)
    return assemble_quotes(layout, found, coref=coref, article_id=article_id)
