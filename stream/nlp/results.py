"""Teams in the lines of a sports results table: "Saracens 25 Leicester 23", "MILWAUKEE 64 71 .474 17".

Wire copy prints results and standings as lines of names and numbers. A name in
such a line is a team, an organisation, whatever the model or the gazetteer says
(Leicester the club, not the city); a name with a known first name ("Colin
Montgomerie 69 70") is left to the model, golf and tennis tables list people.
"""

from __future__ import annotations

import re

_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.&-]*"
_NAME = rf"{_WORD}(?:[ \t]+(?:{_WORD}|\([ \t]?[A-Z][\w.]*[ \t]?\)|of|de|do|da|la|le|van|von))*"
_SCORE = r"\d{1,3}"
# "Saracens 25 Leicester 23": two teams, two scores, the whole line.
_RESULT = re.compile(rf"^[ \t]*({_NAME})[ \t]+{_SCORE}[ \t]+({_NAME})[ \t]+{_SCORE}[ \t]*$", re.MULTILINE)
# "Dundee 3 1 2 0 3 2 5", "ST LOUIS 70 65 .519 2 1/2": a team, then three numbers or more.
_STANDING = re.compile(rf"^[ \t]*({_NAME})(?:[ \t]+[\d.]+(?:/\d+)?){{3,}}[ \t]*$", re.MULTILINE)


_LINE_BREAK = re.compile("\n")


def team_names(text: str) -> list[tuple[int, int]]:
    """Character ranges [start, end) of the team names in the results and standings lines of `text`."""
    # Both patterns hold one whole line: tried at each line's start, not at every character as finditer does.
    starts = [0, *(match.end() for match in _LINE_BREAK.finditer(text))]
    found: list[tuple[int, int]] = []
    for start in starts:
        if (result := _RESULT.match(text, start)) is not None:
            found.extend((result.span(1), result.span(2)))
    found.extend(standing.span(1) for start in starts if (standing := _STANDING.match(text, start)) is not None)
    return sorted(found)
