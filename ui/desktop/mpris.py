"""MPRIS 2 over QtDBus: `org.mpris.MediaPlayer2` and `.Player` on the session bus, so media keys,
desktop widgets and `playerctl` see and drive Prelude.

Properties are read from what the bridge last said (no call into the player thread), commands
go to the player like the window's own buttons, and every change is announced with
`PropertiesChanged` (position jumps with `Seeked`), as the specification asks.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import ClassInfo, Property, QMetaType, QObject, Signal, Slot
from PySide6.QtDBus import (
    QDBusAbstractAdaptor,
    QDBusArgument,
    QDBusConnection,
    QDBusMessage,
    QDBusObjectPath,
)

from app import APP_ID, APP_NAME
from app.models import RepeatMode
from app.playback.engine import EngineState

log = logging.getLogger(__name__)

SERVICE = "org.mpris.MediaPlayer2.prelude"
OBJECT_PATH = "/org/mpris/MediaPlayer2"
PLAYER_INTERFACE = "org.mpris.MediaPlayer2.Player"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"
_LOOP_OF = {RepeatMode.OFF: "None", RepeatMode.ONE: "Track", RepeatMode.ALL: "Playlist"}
_REPEAT_OF = {loop: mode for mode, loop in _LOOP_OF.items()}
_STATUS_OF = {EngineState.PLAYING: "Playing", EngineState.PAUSED: "Paused"}


def track_path(track_id: int | None) -> str:
    return f"/org/prelude/track/{track_id}" if track_id is not None else NO_TRACK


class PlayerState(QObject):
    """What MPRIS reports, kept up to date from the bridge's signals."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.player = window.player
        self.track = None
        self.state = EngineState.EMPTY
        self.position_ms = 0
        self.volume = window.services.player.volume if window.services.player else 100
        self.shuffle = False
        self.repeat = RepeatMode.OFF
        self.cover: str | None = None


@ClassInfo(**{"D-Bus Interface": "org.mpris.MediaPlayer2"})
class RootAdaptor(QDBusAbstractAdaptor):
    def __init__(self, holder: QObject, state: PlayerState):
        super().__init__(holder)
        self._state = state

    @Property(str)
    def Identity(self):  # noqa: N802 - D-Bus names
        return APP_NAME

    @Property(str)
    def DesktopEntry(self):  # noqa: N802
        return APP_ID

    @Property(bool)
    def CanQuit(self):  # noqa: N802
        return True

    @Property(bool)
    def CanRaise(self):  # noqa: N802
        return True

    @Property(bool)
    def HasTrackList(self):  # noqa: N802
        return False

    @Property("QStringList")
    def SupportedUriSchemes(self):  # noqa: N802
        return []

    @Property("QStringList")
    def SupportedMimeTypes(self):  # noqa: N802
        return []

    @Slot()
    def Raise(self):  # noqa: N802
        self._state.window.bring_to_front()

    @Slot()
    def Quit(self):  # noqa: N802
        self._state.window.close()


@ClassInfo(**{"D-Bus Interface": PLAYER_INTERFACE})
class PlayerAdaptor(QDBusAbstractAdaptor):
    # An adaptor's own signals go out on the bus with their declared D-Bus types (x here).
    Seeked = Signal("qlonglong")

    def __init__(self, holder: QObject, state: PlayerState):
        super().__init__(holder)
        self._state = state

    # -- properties ---------------------------------------------------------------------------
    @Property(str)
    def PlaybackStatus(self):  # noqa: N802
        return _STATUS_OF.get(self._state.state, "Stopped")

    def _get_loop(self):
        return _LOOP_OF[self._state.repeat]

    def _set_loop(self, value):
        if value in _REPEAT_OF:
            self._state.player.set_repeat(_REPEAT_OF[value])

    LoopStatus = Property(str, _get_loop, _set_loop)

    def _get_shuffle(self):
        return self._state.shuffle

    def _set_shuffle(self, value):
        self._state.player.set_shuffle(bool(value))

    Shuffle = Property(bool, _get_shuffle, _set_shuffle)

    def _get_volume(self):
        return self._state.volume / 100.0

    def _set_volume(self, value):
        self._state.window._set_volume(max(0, min(100, round(float(value) * 100))))

    Volume = Property(float, _get_volume, _set_volume)

    @Property("QVariantMap")
    def Metadata(self):  # noqa: N802
        return metadata(self._state)

    @Property("qlonglong")
    def Position(self):  # noqa: N802
        return self._state.position_ms * 1000

    @Property(float)
    def Rate(self):  # noqa: N802
        return 1.0

    @Property(float)
    def MinimumRate(self):  # noqa: N802
        return 1.0

    @Property(float)
    def MaximumRate(self):  # noqa: N802
        return 1.0

    @Property(bool)
    def CanGoNext(self):  # noqa: N802
        return True

    @Property(bool)
    def CanGoPrevious(self):  # noqa: N802
        return True

    @Property(bool)
    def CanPlay(self):  # noqa: N802
        return True

    @Property(bool)
    def CanPause(self):  # noqa: N802
        return True

    @Property(bool)
    def CanSeek(self):  # noqa: N802
        return self._state.track is not None

    @Property(bool)
    def CanControl(self):  # noqa: N802
        return True

    # -- methods ------------------------------------------------------------------------------
    @Slot()
    def PlayPause(self):  # noqa: N802
        self._state.window.play_pause()

    @Slot()
    def Play(self):  # noqa: N802
        if self._state.state != EngineState.PLAYING:
            self._state.window.play_pause()

    @Slot()
    def Pause(self):  # noqa: N802
        if self._state.state == EngineState.PLAYING:
            self._state.player.pause()

    @Slot()
    def Stop(self):  # noqa: N802
        self._state.player.stop()

    @Slot()
    def Next(self):  # noqa: N802
        self._state.player.next()

    @Slot()
    def Previous(self):  # noqa: N802
        self._state.player.previous()

    @Slot("qlonglong")
    def Seek(self, offset_us):  # noqa: N802
        if self._state.track is not None:
            self._state.player.seek(max(0, self._state.position_ms + int(offset_us) // 1000))

    @Slot(QDBusObjectPath, "qlonglong")
    def SetPosition(self, track, position_us):  # noqa: N802
        # Ignored unless it names the current track, as the specification says.
        current = self._state.track
        if current is not None and track.path() == track_path(current.id) and position_us >= 0:
            self._state.player.seek(int(position_us) // 1000)

    @Slot(str)
    def OpenUri(self, uri):  # noqa: N802
        log.info("MPRIS OpenUri is not supported (%s)", uri)


def metadata(state: PlayerState) -> dict:
    track = state.track
    if track is None:
        return {"mpris:trackid": QDBusObjectPath(NO_TRACK)}
    values = {
        "mpris:trackid": QDBusObjectPath(track_path(track.id)),
        "xesam:title": track.title,
        "xesam:artist": [track.artist] if track.artist else [],
        "xesam:album": track.album,
    }
    if track.album_artist or track.artist:
        values["xesam:albumArtist"] = [track.album_artist or track.artist]
    if track.duration_ms:
        values["mpris:length"] = int(track.duration_ms) * 1000
    if track.track_no:
        values["xesam:trackNumber"] = int(track.track_no)
    if track.genre:
        values["xesam:genre"] = [genre.strip() for genre in track.genre.split(";") if genre.strip()]
    if state.cover and Path(state.cover).is_file():
        values["mpris:artUrl"] = Path(state.cover).resolve().as_uri()
    return values


class Mpris(QObject):
    """Registers the service and keeps it in step with the window's bridge."""

    def __init__(self, window, bus: QDBusConnection | None = None):
        super().__init__(window)
        self.state = PlayerState(window)
        self._holder = QObject(self)
        self._root = RootAdaptor(self._holder, self.state)
        self._player = PlayerAdaptor(self._holder, self.state)
        self.bus = bus or QDBusConnection.sessionBus()
        self.registered = (self.bus.isConnected()
                           and self.bus.registerObject(OBJECT_PATH, self._holder)
                           and self.bus.registerService(SERVICE))
        if not self.registered:
            log.info("MPRIS not available: no session bus, or %s is taken", SERVICE)
            return
        bridge = window.bridge
        bridge.state_changed.connect(self._on_state)
        bridge.track_started.connect(self._on_track)
        bridge.position_changed.connect(self._on_position)
        bridge.queue_changed.connect(self._on_queue)
        bridge.volume_changed.connect(self._on_volume)
        window.cover_ready.connect(self.set_cover)

    def close(self) -> None:
        if self.registered:
            self.bus.unregisterService(SERVICE)
            self.bus.unregisterObject(OBJECT_PATH)
            self.registered = False

    def set_cover(self, path: str | None) -> None:
        self.state.cover = path
        self._changed(Metadata=metadata(self.state))

    def _on_state(self, event) -> None:
        self.state.state = event.state
        if event.track is not None:
            self.state.track = event.track
        self._changed(PlaybackStatus=_STATUS_OF.get(event.state, "Stopped"),
                      CanSeek=event.track is not None)

    def _on_track(self, event) -> None:
        track = event.track
        self.state.track, self.state.position_ms = track, 0
        self.state.cover = track.cover_path if track.is_local else None  # a server's comes later
        self._changed(Metadata=metadata(self.state), CanSeek=True)

    def _on_position(self, position_ms: int, duration_ms: int) -> None:
        jumped = abs(position_ms - self.state.position_ms) > 1500  # not mere playing on: a seek
        self.state.position_ms = position_ms
        if jumped and self.state.track is not None and self.registered:
            self._player.Seeked.emit(position_ms * 1000)

    def _on_queue(self, event) -> None:
        changed = {}
        if event.shuffle != self.state.shuffle:
            self.state.shuffle = event.shuffle
            changed["Shuffle"] = event.shuffle
        if event.repeat != self.state.repeat:
            self.state.repeat = event.repeat
            changed["LoopStatus"] = _LOOP_OF[event.repeat]
        if changed:
            self._changed(**changed)

    def _on_volume(self, volume: int) -> None:
        self.state.volume = volume
        self._changed(Volume=volume / 100.0)

    def _changed(self, **properties) -> None:
        if not self.registered:
            return
        signal = QDBusMessage.createSignal(OBJECT_PATH, "org.freedesktop.DBus.Properties",
                                           "PropertiesChanged")
        signal.setArguments([PLAYER_INTERFACE, properties, _no_strings()])
        self.bus.send(signal)


def _no_strings() -> QDBusArgument:
    """An empty `as`: a plain [] goes out as `av`, and clients drop the whole signal."""
    argument = QDBusArgument()
    argument.beginArray(QMetaType(QMetaType.Type.QString))
    argument.endArray()
    return argument


def start_mpris(window) -> Mpris | None:
    """MPRIS where it exists (Linux and the BSDs with a session bus)."""
    if sys.platform in ("win32", "darwin"):
        return None
    return Mpris(window)
