"""Word lists, each kept once, sorted and grouped by the rules that read them."""

from __future__ import annotations

# --- Mentions and speakers (coref.py, speakers.py) ---------------------------------

# Characters that never belong in a name: zero-width spaces and joiners, soft hyphen,
# word joiner and byte-order mark are dropped; non-breaking spaces become spaces.
INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
SPACE_CHARS = "\u00a0\u2007\u202f"

PERSON_PRONOUNS_F = frozenset({"her", "hers", "herself", "she"})
PERSON_PRONOUNS_M = frozenset({"he", "him", "himself", "his"})
THING_PRONOUNS = frozenset({"it", "its", "itself"})
GROUP_PRONOUNS = frozenset({"their", "theirs", "them", "themselves", "they"})

# Words that mark a person's gender when they name or describe that person.
FEMALE_WORDS = frozenset(
    "actress aunt businesswoman chairwoman congresswoman dame daughter girl grandmother lady madam madame "
    "miss mother mrs ms mrs. ms. niece princess queen sister spokeswoman wife woman".split()
)
MALE_WORDS = frozenset(
    "boy brother businessman chairman congressman father grandfather husband king man mr mr. nephew prince "
    "sir son spokesman uncle".split()
)

# Titles before a name that the name parser's own list lacks ("Justice Sean Dunphy").
EXTRA_TITLES = frozenset("justice mla mp mpp organiser organizer premier skipper spokesperson".split())

# Head nouns of descriptions that stand for an organisation ("the company said").
ORGANISATION_NOUNS = frozenset(
    "agency association authority bank board business carrier center centre chain church club coalition "
    "commission committee company corporation council court department district firm foundation fund "
    "government group hospital institute insurer league lender maker manufacturer ministry network office "
    "operator organisation organization outlet panel party police producer province regulator retailer "
    "school service team union university utility".split()
)

# Head nouns of a written statement: "the union's release" and "a statement from the EU"
# are said by the union and the EU.
STATEMENT_NOUNS = frozenset(
    "announcement data database email e-mail filing letter memo news post release report "
    "statement study submission tweet".split()
)

# Lemmas of verbs whose untagged proper-noun subject is taken for a person ("Na'moks said").
SPEECH_VERBS = frozenset({"add", "argue", "explain", "insist", "note", "say", "tell", "write"})

# Prepositions that name whom a statement or a speaker speaks for.
AFFILIATION_PREPOSITIONS = frozenset({"at", "by", "for", "from", "of", "with"})
