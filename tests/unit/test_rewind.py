"""A partition's next offset to commit, passed by acknowledged offsets and in flight nowhere, is read again."""

from __future__ import annotations

from stream.rewind import skipped_heads

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
