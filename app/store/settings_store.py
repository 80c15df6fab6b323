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

    def set(self, key: str, value: Any) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )
