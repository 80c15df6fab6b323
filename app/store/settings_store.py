"""Settings in the database, values as JSON, read and written only as declared in
app/settings.py (key, kind, default, bounds)."""

from __future__ import annotations

import copy
import json
from typing import Any

from app.errors import UsageError
from app.settings import Setting
from app.store.database import Database

_MISSING = object()


class SettingsStore:
    def __init__(self, db: Database):
        self.db = db

    def read(self, setting: Setting) -> Any:
        """The stored value, or the default where there is none or it is not one the setting
        accepts (a damaged database, a hand edit, an older version): never a surprise."""
        value = self._stored(setting.key)
        if value is _MISSING or not setting.accepts(value):
            return copy.deepcopy(setting.default)
        if setting.kind is int and value is not None:
            return int(value)  # 3.0 in JSON is 3
        if setting.items is not None and value is not None:
            return [item for item in value if isinstance(item, setting.items)
                    and not (isinstance(item, str) and "\x00" in item)]
        return value

    def write(self, setting: Setting, value: Any) -> None:
        if not setting.accepts(value):
            raise UsageError(f"{value!r} is not a value for the setting {setting.key}.")
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (setting.key, json.dumps(value)),
            )

    def _stored(self, key: str) -> Any:
        text = self.db.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        if text is None:
            return _MISSING
        try:
            return json.loads(text)
        except ValueError:  # a damaged value reads as the default, never a crash
            return _MISSING
