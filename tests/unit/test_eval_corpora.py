"""Gold-file builders on small synthetic corpora in throwaway git repositories (never the real corpora)."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import orjson
import pytest

from stream.errors import EvaluationError
from stream.evaluation.corpora import build, check_split
from stream.evaluation.corpora.ggt import ARTICLE_ID, build_ggt, half_of, parse_annotations, preprocessed_offsets
from stream.evaluation.corpora.polnear import build_polnear
from stream.evaluation.corpora.polnear import parse_annotations as parse_ann


def git_repo(root: Path, files: dict[str, bytes | str]) -> str:
    """A repository holding `files` in one commit; returns its git directory."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "corpus"], check=True)
    return str(root / ".git")


BODY = 'Trump said he would win. "We will," Pence said.\n'
ANN = (
    "T1\tSource 0 5\tTrump\n"
    "T2\tCue 6 10\tsaid\n"
    "T3\tContent 11 15;19 23\the would win\n"
    "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
    'T4\tContent 25 35\t"We will,"\n'
    "T5\tSource 36 41\tPence\n"
    "E2\tAttribution-no-source:T9 Source:T5 Content:T4\n"
    "The text of T6 ran over a line break\n"
    "T7\tBroken\n"
    "A1\tConfidence E1 High\n"
)


def test_polnear_annotations_skip_and_count_malformed_lines() -> None:
    found = parse_ann(ANN)
    assert found.spans["T3"] == (11, 23)  # a discontinuous span from first start to last end
    assert found.events[1] == {"attribution-no-source": ["T9"], "source": ["T5"], "content": ["T4"]}
    assert found.skipped == 2


def test_polnear_build_takes_the_first_annotator_per_text(tmp_path: Path) -> None:
    git = git_repo(
        tmp_path,
        {
            "data/dev/text/story.txt": BODY,
            "data/dev/attributions/story_a1.ann": ANN,
            "data/dev/attributions/story_b2.ann": "T1\tSource 0 5\tTrump\n",
            "data/dev/text/unannotated.txt": "No annotations.",
            "data/test/text/held.txt": "held back",
        },
    )
    built = build_polnear(git, "dev")
    assert built.skipped_lines == 2
    assert built.records == [
        {
            "id": "story",
            "body": BODY,
            "quotes": [
                {"content": [11, 23], "speaker": [0, 5], "cue": [6, 10], "name": None, "direct": False},
                {"content": [25, 35], "speaker": [36, 41], "cue": None, "name": None, "direct": True},
            ],
        }
    ]


def test_build_writes_the_gold_file_into_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git = git_repo(tmp_path / "src", {"data/dev/text/story.txt": BODY, "data/dev/attributions/story_a1.ann": ANN})
    out = build("polnear", str(tmp_path / "src"), "dev", str(tmp_path / "eval-data"))
    assert out == tmp_path / "eval-data" / "polnear-dev.jsonl"
    [record] = [orjson.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert record["id"] == "story" and len(record["quotes"]) == 2
    assert "1 articles, 2 quotes, 2 malformed annotation lines skipped" in capsys.readouterr().err
    assert Path(git).is_dir()


@pytest.mark.parametrize(
    ("corpus", "split", "message"),
    [
        ("polnear", "test", "PolNeAR test is held back for final evaluation"),
        ("gap", "test", "GAP test is held back"),
        ("conll", "test", "CoNLL-2003 test is held back"),
        ("ggt", "test", "Gender Gap Tracker set test is held back"),
        ("gap", "dev", "GAP has no split 'dev'; build development or validation"),
    ],
)
def test_held_back_and_unknown_splits_are_refused(corpus: str, split: str, message: str) -> None:
    with pytest.raises(EvaluationError, match=message):
        check_split(corpus, split)


def test_a_source_that_is_not_a_git_directory(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="not a git directory"):
        build("conll", str(tmp_path), "dev", str(tmp_path / "out"))


def test_gap_and_conll_files_are_checked_and_copied(tmp_path: Path) -> None:
    header = "ID\tText\tPronoun\tPronoun-offset\tA\tA-offset\tA-coref\tB\tB-offset\tB-coref\tURL\n"
    row = "development-1\tAnna met Bo. She left.\tShe\t13\tAnna\t0\tTRUE\tBo\t9\tFALSE\thttp://x\n"
    conll = "EU B-ORG\nrejects O\n\nPeter B-PER\n"
    git_repo(tmp_path / "src", {"gap-development.tsv": header + row, "data/conll2003/dev.txt": conll})
    from stream.evaluation.corpora.conll import build_conll
    from stream.evaluation.corpora.gap import build_gap

    assert build_gap(str(tmp_path / "src/.git"), "development") == header + row
    assert build_conll(str(tmp_path / "src/.git"), "dev", rev="HEAD") == conll
    with pytest.raises(EvaluationError, match="no gap-validation.tsv"):
        build_gap(str(tmp_path / "src/.git"), "validation")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\nb", [0, 1, 1, 1, 2]),  # "a.\n b": the inserted characters come from the line break
        ("a  b", [0, 1, 3]),  # "a b"
        ("a.\nb", [0, 1, 2, 2, 3]),  # "a..\n b" -> "a.\n b"
        ("plain", [0, 1, 2, 3, 4]),
    ],
)
def test_ggt_preprocessed_offsets_point_back_into_the_raw_text(raw: str, expected: list[int]) -> None:
    assert preprocessed_offsets(raw) == expected


def test_ggt_reads_article_ids_and_lenient_annotation_cells() -> None:
    assert ARTICLE_ID.search("ObjectId(5c5418cc795bd22bf37ca606)").group(1) == "5c5418cc795bd22bf37ca606"
    assert ARTICLE_ID.search("ObjectId5c5418cc795bd22bf37ca606)").group(1) == "5c5418cc795bd22bf37ca606"
    assert parse_annotations('[{"a": 1}[{"a": 2}]') == [{"a": 1}, {"a": 2}]


def ggt_ids() -> tuple[str, str]:
    """One article id of each half."""
    ids = [f"5c{i:022x}" for i in range(64)]
    return next(i for i in ids if half_of(i) == "dev"), next(i for i in ids if half_of(i) == "test")


def test_ggt_build_maps_quotes_onto_the_raw_text_of_dev_articles(tmp_path: Path) -> None:
    dev, held = ggt_ids()
    raw = 'Storm\nAnna Berg said "it will pass" today.'
    pre = raw.replace("\n", ".\n ")

    def index(text: str) -> str:
        return f"({pre.index(text)},{pre.index(text) + len(text)})"

    quotes = [
        {"quote_index": index("it will pass"), "speaker_index": index("Anna Berg"), "verb_index": index("said"),
         "reference": " Anna Berg ", "quote": '"it will pass"'},
        {"quote_index": "", "reference": "nobody", "quote": "x"},
    ]  # fmt: skip
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"rawtext/{dev}.txt", raw)
        z.writestr(f"rawtext/{held}.txt", "held back")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([None, "_id", "outlet"] + [f"c{i}" for i in range(3, 14)])
    sheet.append([None, f"ObjectId({dev})", "Star"] + [None] * 10 + [orjson.dumps(quotes).decode()])
    sheet.append([None, f"ObjectId({held})", "Sun"] + [None] * 10 + ["[]"])
    sheet_bytes = io.BytesIO()
    book.save(sheet_bytes)
    git = git_repo(
        tmp_path,
        {
            "NLP/evaluation/src/rawtext.zip": archive.getvalue(),
            "NLP/evaluation/src/eval/AnnotationTable_byArticle_withReplacementArticles.xlsx": sheet_bytes.getvalue(),
        },
    )
    built = build_ggt(git, "dev", rev="HEAD")
    assert (built.annotated, built.unplaced) == (2, 1)
    [record] = built.records
    assert (record["id"], record["body"], record["outlet"]) == (dev, raw, "Star")
    [quote] = record["quotes"]
    assert raw[slice(*quote["content"])] == "it will pass"
    assert raw[slice(*quote["speaker"])] == "Anna Berg"
    assert raw[slice(*quote["cue"])] == "said"
    assert (quote["name"], quote["direct"]) == ("Anna Berg", True)
