"""The persisted play queue, so the app reopens on the same track at the same position."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from app.models import RepeatMode
from app.store.database import Database


@dataclass
class SavedQueue:
    track_ids: list[int] = field(default_factory=list)
    current: int | None = None  # index into track_ids
    position_ms: int = 0
    shuffle: bool = False
    play_order: list[int] = field(default_factory=list)
    repeat: RepeatMode = RepeatMode.OFF
    context: str = "queue"


class QueueStore:
    def __init__(self, db: Database):
        self.db = db

    def load(self) -> SavedQueue:
        ids = [row[0] for row in self.db.conn.execute(
            "SELECT track_id FROM queue_items ORDER BY position")]
        state = self.db.query_one("SELECT * FROM queue_state WHERE id = 1") or {}
        current = state.get("current_position")
        try:
            order = [int(i) for i in json.loads(state.get("play_order") or "[]")]
        except (ValueError, TypeError):
            order = []
        if sorted(order) != list(range(len(ids))):
            order = []
        if current is not None and not 0 <= current < len(ids):
            current = None
        return SavedQueue(
            track_ids=ids, current=current, position_ms=state.get("position_ms") or 0,
            shuffle=bool(state.get("shuffle")) and bool(order), play_order=order,
            repeat=RepeatMode(state.get("repeat") or "off"), context=state.get("context") or "queue",
        )

    def save(self, saved: SavedQueue) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM queue_items")
            conn.executemany(
                "INSERT INTO queue_items (position, track_id) VALUES (?, ?)",
                list(enumerate(saved.track_ids)),
            )
            self._save_state(conn, saved)

    def save_position(self, saved: SavedQueue) -> None:
        with self.db.transaction() as conn:
            self._save_state(conn, saved)

    @staticmethod
    def _save_state(conn, saved: SavedQueue) -> None:
        conn.execute(
            "UPDATE queue_state SET current_position = ?, position_ms = ?, shuffle = ?, "
            "play_order = ?, repeat = ?, context = ? WHERE id = 1",
            (saved.current, int(saved.position_ms), int(saved.shuffle),
             json.dumps(saved.play_order), saved.repeat.value, saved.context),
        )
