"""The queue's rules: editing, shuffle keeping the current track, repeat modes."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.models import RepeatMode
from app.playback.play_queue import PlayQueue


def _queue(ids=(10, 20, 30, 40), start=0) -> PlayQueue:
    queue = PlayQueue(random.Random(7))
    queue.set_tracks(list(ids), start)
    return queue


def test_next_and_previous_follow_the_shown_order():
    queue = _queue(start=1)
    assert queue.current_track_id == 20
    assert queue.next_index(auto=True) == 2
    assert queue.previous_index() == 0
    assert queue.upcoming(5) == [2, 3]


def test_insert_next_append_remove_move_clear():
    queue = _queue(start=1)
    queue.insert_next([99])
    assert queue.track_ids == [10, 20, 99, 30, 40]
    queue.append([77])
    assert queue.track_ids[-1] == 77
    assert queue.remove(0) is False
    assert queue.track_ids == [20, 99, 30, 40, 77] and queue.current_track_id == 20
    queue.move(4, 0)
    assert queue.track_ids == [77, 20, 99, 30, 40] and queue.current_track_id == 20
    assert queue.remove(1) is True  # the current one: the next one becomes current
    assert queue.current_track_id == 99
    queue.clear()
    assert len(queue) == 0 and queue.current_index is None and queue.next_index(True) is None


def test_the_same_track_twice_is_two_entries():
    queue = _queue(ids=(5, 5, 5), start=1)
    queue.remove(0)
    assert queue.track_ids == [5, 5] and queue.current_index == 0


def test_shuffle_keeps_the_current_track_and_plays_everything_once():
    queue = _queue(ids=range(20), start=7)
    queue.set_shuffle(True)
    assert queue.current_track_id == 7
    order = [7] + [queue.track_ids[i] for i in queue.upcoming(50)]
    assert sorted(order) == list(range(20))
    assert order != list(range(7, 20))  # it really is shuffled
    queue.set_shuffle(False)
    assert queue.next_index(auto=True) == 8


def test_repeat_modes():
    queue = _queue(ids=(1, 2), start=1)
    assert queue.next_index(auto=True) is None
    queue.repeat = RepeatMode.ALL
    assert queue.next_index(auto=True) == 0
    assert queue.previous_index() == 0
    queue.jump(0)
    assert queue.previous_index() == 1
    queue.repeat = RepeatMode.ONE
    assert queue.next_index(auto=True) == 0       # end of track: the same again
    assert queue.next_index(auto=False) == 1      # the Next button still moves on


def test_snapshot_and_restore_keep_order_and_position():
    queue = _queue(ids=range(10), start=3)
    queue.set_shuffle(True)
    queue.repeat = RepeatMode.ALL
    saved = queue.snapshot(position_ms=4200, context="album")
    restored = PlayQueue()
    restored.restore(saved)
    assert restored.track_ids == queue.track_ids
    assert restored.current_index == 3 and restored.shuffle and restored.repeat == RepeatMode.ALL
    assert restored.upcoming(9) == queue.upcoming(9)


edits = st.lists(st.tuples(st.sampled_from(["append", "next", "remove", "move", "shuffle",
                                            "unshuffle", "jump"]),
                           st.integers(0, 50), st.integers(0, 50)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 9), max_size=8), edits)
def test_any_edit_sequence_keeps_the_queue_consistent(initial, operations):
    queue = PlayQueue(random.Random(1))
    queue.set_tracks(initial, 0 if initial else None)
    for op, a, b in operations:
        size = len(queue)
        if op == "append":
            queue.append([a])
        elif op == "next":
            queue.insert_next([a])
        elif op == "remove" and size:
            queue.remove(a % size)
        elif op == "move" and size:
            queue.move(a % size, b % size)
        elif op == "shuffle":
            queue.set_shuffle(True)
        elif op == "unshuffle":
            queue.set_shuffle(False)
        elif op == "jump" and size:
            queue.jump(a % size)
    size = len(queue)
    assert queue.current_index is None or 0 <= queue.current_index < size
    queue.repeat = RepeatMode.ALL
    if queue.current_index is not None:
        # With repeat all, the play order visits every entry exactly once per cycle.
        cycle = [queue.current_index] + queue.upcoming(size - 1)
        assert sorted(cycle) == list(range(size))


def test_the_play_order_is_what_plays_and_a_move_in_it_changes_what_comes_next():
    queue = _queue(ids=(10, 20, 30, 40, 50, 60), start=0)
    assert queue.play_order() == [0, 1, 2, 3, 4, 5]
    queue.set_shuffle(True)
    order = queue.play_order()
    assert order[0] == queue.current_index and sorted(order) == list(range(6))
    played = [queue.current_index] + queue.upcoming(5)
    assert played == order  # the order shown is the order heard
    queue.move_in_play_order(5, 1)  # the last to play goes next
    assert queue.next_index(auto=True) == order[5]
    assert queue.track_ids == [10, 20, 30, 40, 50, 60]  # the entries themselves stay put
    queue.set_shuffle(False)
    queue.move_in_play_order(5, 0)  # unshuffled, the play order is the shown order
    assert queue.track_ids == [60, 10, 20, 30, 40, 50]
