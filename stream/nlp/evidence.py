"""Words that make a name an organisation or a person, whatever the model labelled it.

Organisation evidence: a company legal form at either end of the name ("Safiri Mobility
Ltd", "PT Garuda"; the forms come from the cleanco package's table of legal forms by
country), or a word only organisations carry ("SC Rijnmond", "Clube Guaíba", "Leeds
United", "Drivers' Welfare Association"). Person evidence: a known first name (the
gender-guesser list) followed by capitalised words ("Maarten Kuipersma").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cache, lru_cache

from cleanco.termdata import terms_by_country, terms_by_type

from stream.nlp.first_names import is_first_name

# Words that name a club, a company or a public body wherever they stand in the name.
ORG_WORDS = frozenset(
    {
        # clubs
        "AC",
        "AFC",
        "CF",
        "FC",
        "FK",
        "SC",
        "SK",
        "SV",
        "Club",
        "Clube",
        "United",
        "Athletic",
        "Rovers",
        "Wanderers",
        # companies
        "Airlines",
        "Airways",
        "Bancorp",
        "Corp",
        "Corporation",
        "Group",
        "Holdings",
        "Inc",
        "Industries",
        "Insurance",
        "Ltd",
        "Mining",
        "Motor",
        "Motors",
        "Petroleum",
        "Pharmaceuticals",
        "Securities",
        "Technologies",
        "Telecom",
        # bodies
        "Agency",
        "Association",
        "Authority",
        "Commission",
        "Committee",
        "Council",
        "Federation",
        "Foundation",
        "Institute",
        "Ministry",
        "Party",
        "Union",
        "University",
    }
)
# Organisation words that are part of place names when they come first ("United States").
NOT_FIRST_ORG_WORDS = frozenset({"United"})


@cache
def _legal_forms() -> frozenset[str]:
    """cleanco's legal forms, dots and case dropped ("s.a." -> "sa")."""
    terms = {t for group in (terms_by_type, terms_by_country) for ts in group.values() for t in ts}
    return frozenset(key for t in terms if len(key := _key(t)) >= 2 and " " not in t.strip())


def _key(word: str) -> str:
    return word.replace(".", "").casefold()


def is_legal_form(word: str) -> bool:
    """True for a company legal form as written in a name: "Ltd", "GmbH", "S.A.", "AG".

    Forms of two letters count only in capitals ("AG", not "Ag"), since so many
    surnames and particles are two letters long; "Co" is the exception.
    """
    letters = word.replace(".", "")
    if letters == "Co":  # "Kloof Gold Mining Co", "Jones & Co."
        return True
    if len(letters) <= 2 and not letters.isupper():
        return False
    return _key(word) in _legal_forms()


def has_org_evidence(words: Sequence[str]) -> bool:
    """True when a name's words say organisation: a legal form first or last, or an organisation word."""
    return _org_evidence(tuple(words))


@lru_cache(maxsize=8192)
def _org_evidence(words: tuple[str, ...]) -> bool:
    if not words:
        return False
    if len(words) > 1 and (is_legal_form(words[-1]) or is_legal_form(words[0])):
        return True
    if words[0] in NOT_FIRST_ORG_WORDS:
        words = words[1:]
    return not ORG_WORDS.isdisjoint(w.strip(".,") for w in words)


def has_person_evidence(words: Sequence[str], *, first_names: Collection[str] = ()) -> bool:
    """True for a first name followed by capitalised words, and no organisation evidence.

    A first name is one the first-name list knows, or one of `first_names` (the
    article's own: "Davi", named alone as a person).
    """
    if len(words) < 2 or not (words[0] in first_names or is_first_name(words[0])) or has_org_evidence(words):
        return False
    return all(w[:1].isupper() and any(ch.isalpha() for ch in w) for w in words[1:])
