"""Every setting Prelude keeps, declared once: its key, its kind, its default, its bounds, and
why it exists. The store reads and writes settings only through these (SettingsStore.read and
.write), so a stored value of the wrong kind or out of bounds (a damaged database, a hand edit,
an older version) reads as the default, and no reader meets a surprise. The Settings dialogs
take their ranges from here; the fuzz test stores anything under every key and reads it back."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

GIB = 1024**3
MOST_BYTES = 1 << 50  # more than any disk: "no limit" without a special value


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    why: str
    kind: type = str  # bool, int, float, str, list or dict (its fields checked by its owner)
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    unset: bool = False  # None is a value of its own ("the system's", "off")
    items: type | None = None  # a list's entries: those of another type are dropped on reading

    def accepts(self, value: Any) -> bool:
        if value is None:
            return self.unset or self.default is None
        if self.kind is bool:
            return isinstance(value, bool)
        if self.kind in (int, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return False
            if not math.isfinite(value) or (self.kind is int and value != int(value)):
                return False
            return ((self.low is None or value >= self.low)
                    and (self.high is None or value <= self.high))
        if not isinstance(value, self.kind):
            return False
        if self.choices:
            return value in self.choices
        if self.kind is str:
            return "\x00" not in value
        return True


# -- library and servers ---------------------------------------------------------------------
LIBRARY_FOLDERS = Setting("library.folders", None, "the music folders scanned (unset until the "
                          "first run chose them)", kind=list, items=str)
SERVERS = Setting("catalog.servers", [], "the servers configured: name, address, user (passwords "
                  "live in the keyring)", kind=list, items=dict)
NETWORK_TIMEOUT_S = Setting("network.timeout_s", 20.0, "how long a server may go quiet before it "
                            "counts as down", kind=float, low=0.5, high=600)
# -- cache and prefetch ----------------------------------------------------------------------
CACHE_CAP_BYTES = Setting("cache.cap_bytes", 2 * GIB, "the most disk the audio cache may use "
                          "(0: keep nothing)", kind=int, low=0, high=MOST_BYTES)
PIN_BUDGET_BYTES = Setting("cache.pin_budget_bytes", 20 * GIB, "the most disk music kept offline "
                           "may use", kind=int, low=0, high=MOST_BYTES)
PREFETCH_DEPTH = Setting("prefetch.depth", 3, "how many tracks ahead are kept on disk before "
                         "they are needed", kind=int, low=0, high=20)
PREFETCH_ENABLED = Setting("prefetch.enabled", True, "fetch upcoming server tracks ahead (off: "
                           "the playback benchmark's baseline)", kind=bool)
SKIP_PREDICTOR = Setting("prefetch.skip_predictor", True, "prefetch first what is least likely "
                         "to be skipped", kind=bool)
# -- playback and sound ----------------------------------------------------------------------
AUTOPLAY = Setting("playback.autoplay", True, "when the queue ends, keep playing recommended "
                   "songs", kind=bool)
VOLUME = Setting("playback.volume", 100, "the volume as the listener left it", kind=int, low=0, high=100)
EQUALIZER = Setting("sound.equalizer", None, "the equalizer's pre-amp, band gains and preset (unset: off)",
                    kind=dict, unset=True)
REPLAY_GAIN = Setting("sound.replay_gain", "off", "loudness levelling: each track (or album) "
                      "played at -18 LUFS, from its tags or measured here", choices=("off", "track", "album"))
PREAMP_DB = Setting("sound.preamp_db", 0.0, "added to every levelled track's gain (the peak ceiling "
                    "still holds)", kind=float, low=-12.0, high=12.0)
TRIM_SILENCE = Setting("sound.trim_silence", False, "tracks start where their music starts and end "
                       "where it ends, the silence around it left out", kind=bool)
CROSSFADE_S = Setting("sound.crossfade_s", 0, "seconds each track is mixed with the next (0: off, a "
                      "gapless cut); never across an album played in order", kind=int, low=0, high=12)
SMART_TRANSITIONS = Setting("sound.smart_transitions", True, "with crossfade on: a track that fades "
                            "out overlaps the next by its own fade, one that stops dead keeps a "
                            "hard cut", kind=bool)
FADE_ON_SKIP = Setting("sound.fade_on_skip", False, "a skip fades too (otherwise a skip is "
                       "immediate)", kind=bool)
OUTPUT_DEVICE = Setting("sound.output_device", None, "the audio device chosen (unset: the system's default)",
                        unset=True)
# -- window ----------------------------------------------------------------------------------
THEME = Setting("ui.theme", "system", "light, dark, or following the desktop",
                choices=("system", "light", "dark"))
NOTIFY_ON_TRACK_CHANGE = Setting("desktop.notify_on_track_change", False,
                                 "a desktop notification when a new song starts", kind=bool)

EVERY = (LIBRARY_FOLDERS, SERVERS, NETWORK_TIMEOUT_S, CACHE_CAP_BYTES, PIN_BUDGET_BYTES,
         PREFETCH_DEPTH, PREFETCH_ENABLED, SKIP_PREDICTOR, AUTOPLAY, VOLUME, EQUALIZER, REPLAY_GAIN,
         PREAMP_DB, TRIM_SILENCE, CROSSFADE_S, SMART_TRANSITIONS, FADE_ON_SKIP, OUTPUT_DEVICE,
         THEME, NOTIFY_ON_TRACK_CHANGE)


def queue_saved(server: str) -> Setting:
    """One per server: the play queue last saved there from here, to tell a queue another
    device saved since from our own."""
    return Setting(f"queue.saved.{server}", None, "a digest of the play queue this device last "
                   "saved to the server", unset=True)


def sync_fingerprint(server: str) -> Setting:
    """One per server: what its catalog looked like at the last sync (unchanged: skip it)."""
    return Setting(f"catalog.sync.{server}.fingerprint", None,
                   "a digest of the server's catalog at the last sync, to skip one when nothing "
                   "changed", unset=True)
