"""Every word list the quote rules use, once: sorted, grouped by what the rules do with it.

Verbs are lemmas (compared with `token.lemma_.lower()`); other lists are lower-case
token texts. A list that only one rule needs still lives here, so that a reader
can see the whole vocabulary of the rules in one place.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- Reporting verbs -------------------------------------------------------------

# Speech and writing acts: what someone said or wrote.
SPEECH_VERBS = _words(
    """
    accuse acknowledge add admit agree allege announce answer argue ask assert
    assure bark beam beg blast boast boom brag caution chant charge chide cite claim
    clarify comment complain concede confess confirm contend continue counter crow
    cry deadpan declare demand deny disclose echo elaborate emphasise emphasize
    exclaim explain fire fume go grumble gush hint holler imply indicate inform
    insinuate insist interject interrupt joke lament maintain marvel mention mock
    murmur muse mutter note observe opine pen plead pledge point post praise predict
    proclaim promise propose quip quote rant rave recall recite recommend recount
    reiterate remark remind reply report respond retort reveal say scoff scold
    scream shoot shout sigh slam snap speculate state stress suggest taunt tease
    tell testify thunder tout tweet urge vow warn whisper write yell
    """
)

# Thought, feeling, perception and discovery: attributions, but not statements.
THOUGHT_VERBS = _words(
    """
    believe conclude decide determine doubt estimate expect fear feel figure find
    guess hear hope know learn read realise realize reason rule show signal suspect
    think understand wonder worry
    """
)

# Speech verbs that, with evidence as the subject ("a review of the data suggests"),
# present a finding rather than a statement.
EVIDENCE_VERBS = _words("indicate suggest")
EVIDENCE_NOUNS = _words(
    """
    analysis data datum evidence figure finding model number poll record research
    result review statistic study survey test trend
    """
)

# Entity labels of subjects that can make a statement.
SPEAKING_ENTITIES = frozenset({"GPE", "NORP", "ORG", "PERSON"})

# Verbs that put a quoted wording in someone's mouth ('called the allegation "false"');
# they cue a quote only around a quoted fragment, never a clause.
NAMING_VERBS = _words("brand call describe dub express label term voice")

# Every verb that cues an attribution of either act.
REPORTING_VERBS = SPEECH_VERBS | THOUGHT_VERBS

# Verbs whose to-infinitive is what was promised or asked ("pledged to cut taxes",
# "urged Congress to act"), and those whose to-infinitive is a plan or a decision
# ("decided to run"): an action to come, reported as a thought, not a statement.
# Verbs such as "continue to" or "fail to" take an infinitive too, but report nothing.
PROMISE_VERBS = _words("beg implore plead pledge promise threaten urge vow warn")
INTENTION_VERBS = _words("decide hope intend plan resolve want")

# Verbs whose "if"/"whether" clause is the question put ("Asked if he agreed, ...").
QUESTION_VERBS = _words("ask inquire question wonder")

# Words that open a question rather than a statement ("asked whether X").
QUESTION_WORDS = _words("how if what when where whether which who why")

# Verbs that keep the speech they govern from happening ("declined to say").
UNREALISING_VERBS = _words("decline expect fail have intend need plan refuse want")

# Auxiliaries of speech that has not happened ("will argue", "could say").
MODALS = _words("can could may might must shall should will")

# Verbs whose object is the listener ('"X." he told reporters'), not the statement.
ADDRESSING_VERBS = _words("answer ask assure inform remind tell urge warn")

# --- Words that never speak ------------------------------------------------------

# Subjects of a reporting verb that are not speakers ("There was said to be ...",
# "What he said ..."). Relative pronouns ("who said") do speak: their antecedent
# gives the name.
NON_SPEAKERS = _words("there this what")

# Subjects that cannot introduce a statement with a colon ('It read as follows: "..."').
NOT_COLON_SPEAKERS = NON_SPEAKERS | _words("here it that these")

# The only prepositions whose object speaks before a colon ('More from Jones: "..."');
# others give a circumstance ('Then, after a pause: "..."').
COLON_SPEAKER_PREPOSITIONS = _words("by from")

# --- Punctuation -------------------------------------------------------------------

# Dashes that end a dateline or set a headline apart from the names after it.
DASHES = frozenset({"-", "--", "–", "—"})

# Tokens that join proper names into one speaker ("Jane Roe and John Doe:").
NAME_JOINERS = frozenset({"&", ",", ".", "and"})

# Tokens that end a sentence for the rules that look back from a quote.
SENTENCE_END = frozenset({"!", ".", ";", "?"})

# Quote-mark tokens as spaCy splits them, before and after quoted words.
OPENING_TOKENS = frozenset({'"', "'", "''", "``", "«", "‘", "“", "„"})
CLOSING_TOKENS = frozenset({'"', "'", "''", "»", "’", "”"})

# Quote-mark characters, for pairing marks over the raw text.
OPENING_MARKS = frozenset("«“„")
CLOSING_MARKS = frozenset("»”")
AMBIGUOUS_MARKS = frozenset('"‟″')
# Single quote marks: a quote in the British style, or an apostrophe (see marks.py).
SINGLE_OPENING_MARKS = frozenset("'‘")
SINGLE_CLOSING_MARKS = frozenset("'’")
# Words that an apostrophe shortens at their start: never the first word of a quote.
ELISIONS = _words("bout cause cos em n round til tis twas")

# Words a title in title case leaves in lower case ("Legend in the Coal Fields").
TITLE_MINOR_WORDS = _words("a an and as at but by for from in into of on or the to with")

# Typewriter doubles ('' and ``) stand for one double quote mark.
DOUBLED_MARKS = frozenset("'`")


# --- Mentions and speakers (coref.py, speakers.py) ---------------------------------

# Characters that never belong in a name: zero-width spaces and joiners, soft hyphen,
# word joiner and byte-order mark are dropped; non-breaking spaces become spaces.
INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
SPACE_CHARS = "\u00a0\u2007\u202f"

PERSON_PRONOUNS_F = frozenset({"her", "hers", "herself", "she"})
PERSON_PRONOUNS_M = frozenset({"he", "him", "himself", "his"})
THING_PRONOUNS = frozenset({"it", "its", "itself"})
GROUP_PRONOUNS = frozenset({"their", "theirs", "them", "themselves", "they"})
# Object-case forms: never the nominative subject of a clause, whatever the parser says.
OBJECT_PRONOUNS = frozenset({"her", "him", "them"})

# Words that mark a person's gender when they name or describe that person.
FEMALE_WORDS = frozenset(
    "actress aunt bride businesswoman chairwoman congresswoman countess dame daughter duchess empress "
    "girl girlfriend granddaughter grandmother heroine lady madam madame miss mistress mother mrs ms mrs. "
    "ms. niece nun princess queen sister spokeswoman stepmother waitress widow wife woman".split()
)
MALE_WORDS = frozenset(
    "boy boyfriend brother businessman chairman congressman duke emperor father grandfather grandson "
    "husband king man monk mr mr. nephew prince sir son spokesman stepfather uncle widower".split()
)

# A spouse named in full ("married John Patey", "his wife Jane Temerlin") and the verbs that name one.
SPOUSE_NOUNS = frozenset("husband spouse wife".split())
MARRYING_VERBS = frozenset("divorce marry wed".split())

# Words in brackets after a person's name that give the same person's other name ("(née Eveleth)").
ALIAS_MARKERS = frozenset("also as born formerly known later nee née then".split())

# Titles before a name that the name parser's own list lacks ("Justice Sean Dunphy").
EXTRA_TITLES = frozenset("justice mla mp mpp organiser organizer premier skipper spokesperson".split())

# A speaker described by a bare title the article gives no one ("the prime minister said")
# is the person named last, in the same sentence or this many before it.
DESCRIPTION_BACK_SENTENCES = 2

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
PERSON_SPEECH_VERBS = frozenset({"add", "argue", "explain", "insist", "note", "say", "tell", "write"})

# Prepositions that name whom a statement or a speaker speaks for.
AFFILIATION_PREPOSITIONS = frozenset({"at", "by", "for", "from", "of", "with"})
