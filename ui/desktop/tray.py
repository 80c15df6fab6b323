"""The system tray icon: play controls, the current track in its tooltip, and (when the person
turns it on) a notification when a track starts."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app import APP_NAME
from app.playback.engine import EngineState
from app.settings import NOTIFY_ON_TRACK_CHANGE


class Tray(QSystemTrayIcon):
    def __init__(self, window, icon: QIcon):
        super().__init__(icon, window)
        self.window = window
        self.settings = window.services.settings
        self.setToolTip(APP_NAME)
        menu = QMenu(window)
        self.play_pause_action = menu.addAction("Play", window.play_pause)
        menu.addAction("Next", window.player.next)
        menu.addAction("Previous", window.player.previous)
        menu.addSeparator()
        self.notify_action = menu.addAction("Notify on Track Change")
        self.notify_action.setCheckable(True)
        self.notify_action.setChecked(self.settings.read(NOTIFY_ON_TRACK_CHANGE))
        self.notify_action.toggled.connect(self._set_notify)
        self.show_action = menu.addAction("Show Prelude", window.bring_to_front)
        menu.addSeparator()
        menu.addAction("Quit", window.close)
        self.setContextMenu(menu)
        self.activated.connect(self._on_activated)
        window.bridge.track_started.connect(self._on_track)
        window.bridge.state_changed.connect(self._on_state)
        self.notified: list[str] = []  # what was announced, newest last

    def _set_notify(self, on: bool) -> None:
        self.settings.write(NOTIFY_ON_TRACK_CHANGE, on)

    def _on_activated(self, reason) -> None:
        if reason == QSystemTrayIcon.Trigger:  # a left click: show or hide the window
            if self.window.isVisible() and not self.window.isMinimized():
                self.window.hide()
            else:
                self.window.bring_to_front()

    def _on_track(self, event) -> None:
        text = event.track.display_name
        self.setToolTip(f"{text} · {APP_NAME}")
        if self.notify_action.isChecked():
            self.notified.append(text)
            self.showMessage(event.track.title, event.track.artist or APP_NAME,
                             QSystemTrayIcon.Information, 4000)

    def _on_state(self, event) -> None:
        self.play_pause_action.setText("Pause" if event.state == EngineState.PLAYING else "Play")


def start_tray(window, icon: QIcon) -> Tray:
    tray = Tray(window, icon)
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray.show()
    return tray
