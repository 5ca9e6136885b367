"""A partition's next offset to commit, passed by acknowledged offsets and in flight nowhere, is read again."""

from __future__ import annotations

from types import SimpleNamespace

from aiokafka.structs import TopicPartition
from intervaltree import Interval, IntervalTree

from stream.rewind import guard_commits, held_commit, skipped_heads

TP = ("articles.raw", 0)
OTHER = ("articles.raw", 1)


def test_a_head_passed_by_acknowledged_offsets_and_in_flight_nowhere_is_skipped() -> None:
    assert skipped_heads({TP: [14, 15, 16]}, {TP: 12}, []) == {TP: 12}


def test_a_head_still_in_flight_or_already_acknowledged_is_not() -> None:
    assert skipped_heads({TP: [14, 15]}, {TP: 12}, [(TP, 12), (TP, 13)]) == {}
    assert skipped_heads({TP: [12, 13, 15]}, {TP: 12}, []) == {}
    # A message of another partition in flight does not hide this one's hole.
    assert skipped_heads({TP: [14], OTHER: [3]}, {TP: 12, OTHER: 3}, [(OTHER, 4)]) == {TP: 12}


def test_nothing_committed_yet_nothing_acknowledged_or_a_gap_in_the_log_is_not() -> None:
    assert skipped_heads({TP: [14]}, {}, []) == {}
    assert skipped_heads({TP: []}, {TP: 12}, []) == {}
    # Offsets 12 and 13 hold no record (a transaction marker, say): Faust commits past them.
    assert skipped_heads({TP: [14]}, {TP: 12}, [], covered={TP: [12, 13]}) == {}


def test_a_later_offset_in_flight_does_not_hide_a_hole_below_everything_acknowledged() -> None:
    assert skipped_heads({TP: [14, 15]}, {TP: 12}, [(TP, 16)]) == {TP: 12}


def test_a_head_below_the_read_offset_with_nothing_acknowledged_or_in_flight_is_skipped() -> None:
    # A batch fetched before a rebalance was handed on after the seek: Faust now drops
    # offsets 12 to 17 as already read, and nothing after them is there to acknowledge.
    assert skipped_heads({TP: []}, {TP: 12}, [], read={TP: 17}) == {TP: 12}
    assert skipped_heads({}, {TP: 12}, [], read={TP: 17}) == {TP: 12}


def test_a_read_offset_at_the_head_or_below_it_or_the_head_in_flight_is_not() -> None:
    assert skipped_heads({}, {TP: 12}, [], read={TP: 12}) == {}  # just sought there: 12 is still handed on
    assert skipped_heads({}, {TP: 12}, [], read={TP: 11}) == {}  # everything read is committed: idle
    assert skipped_heads({}, {TP: 12}, [(TP, 12)], read={TP: 15}) == {}
    assert skipped_heads({TP: [12, 13]}, {TP: 12}, [], read={TP: 13}) == {}  # acknowledged, not yet committed
    assert skipped_heads({}, {TP: None}, [], read={TP: 15}) == {}


def test_a_commit_stays_at_a_fetched_record_not_yet_processed() -> None:
    # Faust would commit past 12 here (the next offset is acknowledged): 12 was fetched, so it holds a record.
    assert held_commit(12, [13, 14], fetched={12, 13, 14}, gaps=[]) == (True, [])
    assert held_commit(12, [12, 13], fetched={12, 13, 14}, gaps=[]) == (False, [])  # processed
    assert held_commit(None, [13], fetched={12, 13}, gaps=[]) == (False, [])  # nothing committed yet


def test_an_offset_never_fetched_is_left_to_faust() -> None:
    # A transaction marker at 12: no record comes back for it, and Faust's commit may pass it.
    assert held_commit(12, [13, 14], fetched={13, 14}, gaps=[]) == (False, [])
    assert held_commit(12, [14], fetched={14}, gaps=[(13, 14)]) == (False, [])


def test_fetched_offsets_inside_a_gap_are_no_gap() -> None:
    # After a seek to 47, a record fetched before it (53) made Faust take 48..53 for a gap.
    fetched = set(range(47, 60))
    assert held_commit(47, [47, 53, 54], fetched=fetched, gaps=[(48, 54)]) == (False, [48, 49, 50, 51, 52])
    # Offsets in a gap that no record came back for, or that were processed, stay a gap.
    assert held_commit(47, [47, 50], fetched={47, 50}, gaps=[(48, 51)]) == (False, [])


def test_a_record_still_being_processed_holds_nothing_faust_would_commit() -> None:
    assert held_commit(12, [], fetched={12, 13}, gaps=[]) == (False, [])


def test_guard_commits_holds_faust_at_a_fetched_head_and_takes_records_out_of_gaps() -> None:
    raw, other = TopicPartition("articles.raw", 0), TopicPartition("other", 0)
    passed_to_faust: list[object] = []
    consumer = SimpleNamespace(
        _to_message=lambda tp, record: ("message", record.offset),
        _new_offset=lambda tp: passed_to_faust.append(tp) or 99,
        _committed_offset={raw: 12, other: 12},
        _acked={raw: [13, 14], other: [13]},
        _gap={raw: IntervalTree.from_tuples([(15, 18)])},
    )
    guard_commits(consumer, "articles.raw")
    for offset in (12, 13, 14, 16):
        assert consumer._to_message(raw, SimpleNamespace(offset=offset)) == ("message", offset)
    assert consumer._new_offset(raw) is None  # Faust never asked: 12 was fetched, not processed
    assert sorted(consumer._gap[raw]) == [Interval(15, 16), Interval(17, 18)]  # 16 holds a record
    assert consumer._new_offset(other) == 99  # other topics are Faust's alone
    consumer._acked[raw].append(12)
    assert consumer._new_offset(raw) == 99
    assert passed_to_faust == [other, raw]
