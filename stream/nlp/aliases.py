"""Other names of one entity: acronyms an article defines, and common institutional short forms.

Two functions:

- `defined_acronyms(text)`: {"IRCC": "Immigration, Refugees and Citizenship Canada"}
  for every "Long Form (ACRONYM)" the text writes, matched the Schwartz-Hearst way
  (the acronym's letters, right to left, in the long form's words, its first letter
  starting a word).
- `expand(name, defined)`: the long form a name stands for in an article: a defined
  acronym first, then `ALIASES`, else the name itself.

`ALIASES` holds the short forms a wire desk meets daily and that articles rarely
define. Keys are matched with case but without dots ("U.N." is "UN"), so "US" and
"us" stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

ALIASES: Mapping[str, str] = {
    "CIA": "Central Intelligence Agency",
    "ECB": "European Central Bank",
    "EU": "European Union",
    "FBI": "Federal Bureau of Investigation",
    "Fed": "Federal Reserve",
    "IMF": "International Monetary Fund",
    "Nato": "NATO",
    "OPEC": "Organization of the Petroleum Exporting Countries",
    "SEC": "Securities and Exchange Commission",
    "UAE": "United Arab Emirates",
    "UK": "United Kingdom",
    "UN": "United Nations",
    "US": "United States",
    "USA": "United States",
    "US Federal Reserve": "Federal Reserve",
    "WHO": "World Health Organization",
    "WTO": "World Trade Organization",
}

# "(IRCC)", "(FOMC)", "(U.N.)": two or more capitals, at most ten characters.
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z&.\-]{1,9})\s*\)")
_WORD = re.compile(r"[\w’'&.\-]+")


def defined_acronyms(text: str) -> dict[str, str]:
    """Acronym -> long form, for each "Long Form (ACRONYM)" in `text` (the first definition wins)."""
    found: dict[str, str] = {}
    for match in _ACRONYM.finditer(text):
        short = match.group(1)
        if sum(ch.isupper() for ch in short) < 2 or short in found:
            continue
        # The long form stays within its clause: no sentence end, line break or bracket.
        window_start = max(0, match.start() - 200)
        clause = re.split(r"[\n;:()\[\]]|[.!?]\s", text[window_start : match.start()])[-1]
        letters = [ch for ch in short if ch.isalnum()]
        long_form = _long_form(letters, clause)
        if long_form:
            found[short] = long_form
    return found


def _long_form(letters: list[str], clause: str) -> str | None:
    """The shortest tail of `clause`, from a capitalised word, whose characters hold `letters` in order."""
    words = list(_WORD.finditer(clause))[-min(len(letters) + 5, 2 * len(letters)) :]
    for word in reversed(words):
        if not word.group()[:1].isupper():
            continue
        candidate = clause[word.start() :].strip(" ,")
        if _holds(letters, candidate):
            return candidate
    return None


def _holds(letters: list[str], candidate: str) -> bool:
    """Schwartz-Hearst: the letters, right to left, in the candidate; the first one starts it."""
    text = candidate.casefold()
    if text[:1] != letters[0].casefold():
        return False
    position = len(text) - 1
    for letter in reversed(letters[1:]):
        position = text.rfind(letter.casefold(), 1, position + 1)
        if position < 1:
            return False
        position -= 1
    return True


def expand(name: str, defined: Mapping[str, str]) -> str:
    """The long form `name` stands for in an article with these `defined` acronyms, else `name`."""
    return defined.get(name) or ALIASES.get(name.replace(".", "")) or name
