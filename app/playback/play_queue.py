"""The play queue: what plays, in which order, with shuffle and repeat. Pure logic, no threads.

Each entry gets a key of its own, so the same track may stand in the queue twice and the shuffled
order survives inserts, removals and moves.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from app.models import RepeatMode
from app.store.queue_store import SavedQueue


class PlayQueue:
    def __init__(self, rng: random.Random | None = None):
        self._rng = rng or random.Random()
        self._ids: list[int] = []        # track ids in the order shown
        self._keys: list[int] = []       # one unique key per entry, parallel to _ids
        self._shuffled: list[int] | None = None  # keys in play order while shuffle is on
        self._current: int | None = None  # key of the current entry
        self._next_key = 0
        self.repeat = RepeatMode.OFF

    # -- reading ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._ids)

    @property
    def track_ids(self) -> list[int]:
        return list(self._ids)

    @property
    def shuffle(self) -> bool:
        return self._shuffled is not None

    @property
    def current_index(self) -> int | None:
        return None if self._current is None else self._keys.index(self._current)

    @property
    def current_track_id(self) -> int | None:
        index = self.current_index
        return None if index is None else self._ids[index]

    def play_order(self) -> list[int]:
        """Indexes of the entries in the order they play: as shown, or shuffled."""
        if self._shuffled is None:
            return list(range(len(self._keys)))
        index_of = {key: index for index, key in enumerate(self._keys)}
        return [index_of[key] for key in self._shuffled]

    def _order(self) -> list[int]:
        return self._shuffled if self._shuffled is not None else self._keys

    def _index_of_key(self, key: int | None) -> int | None:
        return None if key is None else self._keys.index(key)

    def next_index(self, auto: bool) -> int | None:
        """Where 'next' goes: auto is the end of a track (repeat one replays it)."""
        return self._index_of_key(self._next_key_after(self._current, auto))

    def _next_key_after(self, key: int | None, auto: bool) -> int | None:
        order = self._order()
        if not order:
            return None
        if key is None:
            return order[0]
        if auto and self.repeat == RepeatMode.ONE:
            return key
        position = order.index(key)
        if position + 1 < len(order):
            return order[position + 1]
        return order[0] if self.repeat != RepeatMode.OFF else None

    def previous_index(self) -> int | None:
        order = self._order()
        if self._current is None or not order:
            return None
        position = order.index(self._current)
        if position > 0:
            return self._index_of_key(order[position - 1])
        return self._index_of_key(order[-1]) if self.repeat != RepeatMode.OFF else None

    def upcoming(self, count: int) -> list[int]:
        """Indexes of the next count entries that will play on their own (for prefetching)."""
        result: list[int] = []
        key = self._current
        for _ in range(count):
            key = self._next_key_after(key, auto=True)
            if key is None:
                break
            result.append(self._keys.index(key))
        return result

    # -- changing -----------------------------------------------------------------------------
    def _new_keys(self, count: int) -> list[int]:
        keys = list(range(self._next_key, self._next_key + count))
        self._next_key += count
        return keys

    def set_tracks(self, track_ids: Sequence[int], start_index: int | None = 0) -> None:
        self._ids = list(track_ids)
        self._keys = self._new_keys(len(self._ids))
        self._current = None
        if start_index is not None and self._ids:
            self._current = self._keys[max(0, min(start_index, len(self._ids) - 1))]
        if self._shuffled is not None:
            self._reshuffle()

    def append(self, track_ids: Sequence[int]) -> None:
        keys = self._new_keys(len(track_ids))
        self._ids.extend(track_ids)
        self._keys.extend(keys)
        if self._shuffled is not None:
            # Appended tracks land at random places among those not yet played.
            floor = self._shuffled.index(self._current) + 1 if self._current is not None else 0
            for key in keys:
                self._shuffled.insert(self._rng.randint(floor, len(self._shuffled)), key)

    def insert_next(self, track_ids: Sequence[int]) -> None:
        keys = self._new_keys(len(track_ids))
        at = (self.current_index + 1) if self._current is not None else 0
        self._ids[at:at] = list(track_ids)
        self._keys[at:at] = keys
        if self._shuffled is not None:
            order_at = (self._shuffled.index(self._current) + 1) if self._current is not None else 0
            self._shuffled[order_at:order_at] = keys

    def remove(self, index: int) -> bool:
        """Remove one entry; True when it was the current one (which then becomes the next)."""
        key = self._keys[index]
        was_current = key == self._current
        if was_current:
            self._current = self._next_key_after(key, auto=False)
            if self._current == key:
                self._current = None
        del self._ids[index]
        del self._keys[index]
        if self._shuffled is not None:
            self._shuffled.remove(key)
        return was_current

    def move(self, source: int, target: int) -> None:
        """Move one entry to stand at target (shown order; the shuffled order is kept)."""
        track_id, key = self._ids.pop(source), self._keys.pop(source)
        target = max(0, min(target, len(self._ids)))
        self._ids.insert(target, track_id)
        self._keys.insert(target, key)

    def move_in_play_order(self, source: int, target: int) -> None:
        """Move the entry that plays source-th (from 0) to play target-th; while shuffled
        only the order of play changes."""
        if self._shuffled is None:
            self.move(source, target)
            return
        key = self._shuffled.pop(source)
        self._shuffled.insert(max(0, min(target, len(self._shuffled))), key)

    def clear(self) -> None:
        self._ids, self._keys, self._current = [], [], None
        if self._shuffled is not None:
            self._shuffled = []

    def jump(self, index: int | None) -> None:
        self._current = None if index is None else self._keys[index]

    def set_shuffle(self, on: bool) -> None:
        if on and self._shuffled is None:
            self._reshuffle()
        elif not on:
            self._shuffled = None

    def _reshuffle(self) -> None:
        """A new random order; the current track stays current and comes first."""
        others = [key for key in self._keys if key != self._current]
        self._rng.shuffle(others)
        self._shuffled = ([self._current] if self._current is not None else []) + others

    # -- persistence --------------------------------------------------------------------------
    def snapshot(self, position_ms: int = 0, context: str = "queue") -> SavedQueue:
        order = [self._keys.index(k) for k in self._shuffled] if self._shuffled is not None else []
        return SavedQueue(track_ids=list(self._ids), current=self.current_index,
                          position_ms=position_ms, shuffle=self.shuffle, play_order=order,
                          repeat=self.repeat, context=context)

    def restore(self, saved: SavedQueue) -> None:
        self.set_tracks(saved.track_ids, saved.current)
        self.repeat = saved.repeat
        if saved.shuffle and sorted(saved.play_order) == list(range(len(self._keys))):
            self._shuffled = [self._keys[i] for i in saved.play_order]
        else:
            self._shuffled = None
