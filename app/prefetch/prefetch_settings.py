"""The cache and prefetch settings, with their keys, defaults and sane bounds in one place (the
player, the prefetcher and the Cache & Prefetch dialog all read them)."""

from __future__ import annotations

from app.prefetch.cache import DEFAULT_CAP_BYTES
from app.prefetch.pins import DEFAULT_PIN_BUDGET_BYTES
from app.store.settings_store import SettingsStore

CAP_KEY = "cache.cap_bytes"
DEPTH_KEY = "prefetch.depth"
PIN_BUDGET_KEY = "cache.pin_budget_bytes"

DEFAULT_DEPTH = 3
_MOST_BYTES = 1 << 50


def cache_cap(settings: SettingsStore) -> int:
    return settings.get_int(CAP_KEY, DEFAULT_CAP_BYTES, 0, _MOST_BYTES)  # 0: keep nothing


def plan_depth(settings: SettingsStore) -> int:
    return settings.get_int(DEPTH_KEY, DEFAULT_DEPTH, 0, 20)


def pin_budget(settings: SettingsStore) -> int:
    return settings.get_int(PIN_BUDGET_KEY, DEFAULT_PIN_BUDGET_BYTES, 0, _MOST_BYTES)
