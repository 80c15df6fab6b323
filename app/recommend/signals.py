"""What the history says about this person's taste, as numbers the model can learn from.

A play's weight: completed 1; partly played, the share played; a quick skip (before half the
track or 30 s) -0.5, because skipping says "not now, not this". Stars add 3, ratings add
(rating - 3). Recent listening weighs more (half-life RECENCY_HALF_LIFE_DAYS) in the person's
profile. One person's history is thin, so item relations are learned from "pseudo-users": each
listening session (plays without a SESSION_GAP_S gap) and each playlist counts as a user who
liked its tracks, as playlist-continuation work treats playlists; the person's whole history is
one more row.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from app.store.database import Database
from app.store.recommender_inputs import finished_plays, marked_tracks, playlist_memberships

SESSION_GAP_S = 30 * 60
RECENCY_HALF_LIFE_DAYS = 60.0
QUICK_SKIP_MS = 30_000
SKIP_WEIGHT = -0.5
STAR_WEIGHT = 3.0


@dataclass
class ListeningSignals:
    pseudo_users: list[dict[int, float]] = field(default_factory=list)  # sessions, playlists
    person: dict[int, float] = field(default_factory=dict)  # track -> weight, negatives allowed
    plays: int = 0  # finished plays read (imported included)
    positive_plays: int = 0


def play_weight(end_reason: str | None, ms_played: int, duration_ms: int | None) -> float:
    duration = duration_ms or 0
    if end_reason == "completed":
        return 1.0
    if end_reason == "skipped" and ms_played < min(QUICK_SKIP_MS, (duration or 60_000) / 2):
        return SKIP_WEIGHT
    if ms_played < QUICK_SKIP_MS:
        return 0.0  # stopped or interrupted early: says little either way
    return min(1.0, ms_played / duration) if duration else 0.5


def read_signals(db: Database, now: float | None = None) -> ListeningSignals:
    now = now or time.time()
    signals = ListeningSignals()
    person: dict[int, float] = defaultdict(float)
    session: dict[int, float] = {}
    last_end = None
    for row in finished_plays(db):
        signals.plays += 1
        started = row["started_at"]
        if last_end is not None and started - last_end > SESSION_GAP_S:
            _close_session(session, signals)
            session = {}
        last_end = row["ended_at"] or started
        weight = play_weight(row["end_reason"], row["ms_played"], row["duration_ms"])
        if weight == 0.0:
            continue
        age_days = max(0.0, now - started) / 86400
        person[row["track_id"]] += weight * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
        if weight > 0:
            signals.positive_plays += 1
            session[row["track_id"]] = session.get(row["track_id"], 0.0) + weight
    _close_session(session, signals)
    for row in marked_tracks(db):
        person[row["id"]] += STAR_WEIGHT * bool(row["starred"]) + ((row["rating"] or 3) - 3)
    playlists: dict[int, dict[int, float]] = defaultdict(dict)
    for playlist_id, track_id in playlist_memberships(db):
        playlists[playlist_id][track_id] = 1.0
    signals.pseudo_users.extend(items for items in playlists.values() if len(items) >= 2)
    signals.person = {track: weight for track, weight in person.items() if weight != 0.0}
    return signals


def _close_session(session: dict[int, float], signals: ListeningSignals) -> None:
    if len(session) >= 2:  # one track alone relates nothing to anything
        signals.pseudo_users.append(session)
