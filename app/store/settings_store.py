"""Key/value settings in the database, values as JSON."""

from __future__ import annotations

import json
from typing import Any

from app.store.database import Database


class SettingsStore:
    def __init__(self, db: Database):
        self.db = db

    def get(self, key: str, default: Any = None) -> Any:
        value = self.db.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        if value is None:
            return default
        try:
            return json.loads(value)
        except ValueError:  # a damaged value falls back to the default, never a crash
            return default

    # Typed reads: a value of the wrong type or out of range (a damaged database, a hand edit,
    # an older version) reads as the default, so no reader ever meets a surprise.
    def get_number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not low <= value <= high:  # NaN fails both comparisons
            return default
        return value

    def get_int(self, key: str, default: int, low: int, high: int) -> int:
        return int(self.get_number(key, default, low, high))

    def get_bool(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        return value if isinstance(value, bool) else default

    def get_strings(self, key: str) -> list[str] | None:
        """A list of text (folders): None when unset, other entries dropped."""
        value = self.get(key)
        if not isinstance(value, list):
            return None
        return [item for item in value if isinstance(item, str) and "\x00" not in item]

    def set(self, key: str, value: Any) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )
