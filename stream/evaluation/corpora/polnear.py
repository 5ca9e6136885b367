"""Gold quotes from PolNeAR (attributions in 2016 US election news, BRAT standoff files).

Each text of a split with at least one annotation file becomes one gold article. Where
several annotators annotated a text, the first annotation file in name order is used.
An attribution event gives a quote: its content spans (from the first start to the
last end), its first source span as the speaker and its first cue span. PolNeAR has no
resolved names. A quote is direct when its content holds a quote mark. Lines of an
annotation file that are not well-formed (a span's text running over a line break, a
broken span line) are skipped and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from stream.evaluation.corpora.git import list_files, read_files

SPLITS = ("train", "dev")
HELD_BACK = ("test",)
QUOTE_MARK = re.compile('["\u201c\u201d\u201e\u201f\u00ab\u00bb]')
SPAN_LINE = re.compile(r"(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
EVENT_LINE = re.compile(r"E\d+\t(\S+(?: \S+)*)\s*$")
ROLE = re.compile(r"([^:\s]+?)\d*:([^:\s]+)")
OTHER_LINE = re.compile(r"[ARN#]\d*\t|\s*$")


@dataclass
class Annotations:
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    events: list[dict[str, list[str]]] = field(default_factory=list)
    skipped: int = 0


def parse_annotations(text: str) -> Annotations:
    """Span (T) and event (E) lines of a BRAT .ann file; other well-formed lines are ignored, the rest counted."""
    found = Annotations()
    for line in text.splitlines():
        if span := SPAN_LINE.match(line):
            pieces = [tuple(int(x) for x in piece.split()) for piece in span.group(3).split(";")]
            found.spans[span.group(1)] = (pieces[0][0], pieces[-1][1])
        elif (event := EVENT_LINE.match(line)) and all(ROLE.fullmatch(arg) for arg in event.group(1).split()):
            roles: dict[str, list[str]] = {}
            for arg in event.group(1).split():
                role, target = ROLE.fullmatch(arg).groups()  # type: ignore[union-attr]
                roles.setdefault(role.lower(), []).append(target)
            found.events.append(roles)
        elif not OTHER_LINE.match(line):
            found.skipped += 1
    return found


def gold_quotes(body: str, annotations: Annotations) -> list[dict[str, Any]]:
    quotes = []
    for event in annotations.events:
        content = [annotations.spans[t] for t in event.get("content", []) if t in annotations.spans]
        if not content:
            continue
        sources = [annotations.spans[t] for t in event.get("source", []) if t in annotations.spans]
        cues = [annotations.spans[t] for t in event.get("cue", []) if t in annotations.spans]
        start, end = min(s for s, _ in content), max(e for _, e in content)
        quotes.append(
            {
                "content": [start, end],
                "speaker": list(sources[0]) if sources else None,
                "cue": list(cues[0]) if cues else None,
                "name": None,
                "direct": bool(QUOTE_MARK.search(body[start:end])),
            }
        )
    return quotes


@dataclass
class Build:
    records: list[dict[str, Any]] = field(default_factory=list)
    skipped_lines: int = 0


def build_polnear(git: str, split: str, *, rev: str = "HEAD") -> Build:
    """Gold articles of one split, in text name order."""
    texts = list_files(git, rev, f"data/{split}/text/")
    annotation_files = list_files(git, rev, f"data/{split}/attributions/")
    chosen = {}
    for path in texts:
        stem = path.rsplit("/", 1)[1].removesuffix(".txt")
        mine = [a for a in annotation_files if a.rsplit("/", 1)[1].startswith(stem + "_")]
        if mine:
            chosen[path] = mine[0]
    blobs = read_files(git, rev, [*chosen, *chosen.values()])
    build = Build()
    for text_path, ann_path in chosen.items():
        body = blobs[text_path].decode("utf-8")
        annotations = parse_annotations(blobs[ann_path].decode("utf-8"))
        build.skipped_lines += annotations.skipped
        stem = text_path.rsplit("/", 1)[1].removesuffix(".txt")
        build.records.append({"id": stem, "body": body, "quotes": gold_quotes(body, annotations)})
    return build
