"""File ▸ Settings…: in sections (Library, Playback, Appearance), each setting named with a line
on what it does and its control at the right: music folders, the servers, audio output device,
autoplay, the sound and cache settings, theme, notifications. Writes (and asking libvlc for its
devices) happen off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.settings import AUTOPLAY, NOTIFY_ON_TRACK_CHANGE, OUTPUT_DEVICE, THEME
from ui.dialogs.setting_rows import section_heading, setting_row
from ui.format import count_text
from ui.theme import apply_theme
from ui.theme.apply import style_sheet
from ui.theme.sheets import designed_dialog
from ui.theme.tokens import SPACE
from ui.widgets.toggle_switch import ToggleSwitch
from ui.workers import run_task


class SettingsDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        designed_dialog(self)
        self.window = window
        self.services = window.services
        settings = self.services.settings
        self.setWindowTitle("Settings")

        self.folders = QListWidget()
        self.folders.setAccessibleName("Music folders")
        self.folders.setFixedHeight(84)  # a few folders; more scroll
        self.folders.addItems(self.services.library.folders())
        add = QPushButton("Add Folder…", clicked=self._add_folder)
        add.setAccessibleName("Add a music folder")
        self.remove_button = QPushButton("Remove", clicked=self.remove_selected)
        self.remove_button.setAccessibleName("Remove the selected music folder")
        folder_buttons = QHBoxLayout()
        folder_buttons.addWidget(add)
        folder_buttons.addWidget(self.remove_button)
        folder_buttons.addStretch()

        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        self.theme.addItems(["Follow the system", "Light", "Dark"])
        self.theme.setCurrentIndex(THEME.choices.index(settings.read(THEME)))
        self.notify = ToggleSwitch("Notify when a track starts")
        self.notify.setChecked(settings.read(NOTIFY_ON_TRACK_CHANGE))
        self.autoplay = ToggleSwitch("Keep playing similar music when the queue ends")
        self.autoplay.setChecked(settings.read(AUTOPLAY))
        self.device = QComboBox()
        self.device.setAccessibleName("Audio output device")
        self.device.setMinimumWidth(200)
        self.device.addItem("System default", None)
        saved_device = settings.read(OUTPUT_DEVICE)
        if saved_device:
            self.device.addItem(saved_device, saved_device)  # named properly once listed
            self.device.setCurrentIndex(1)
        player = self.services.player
        if player is not None:
            run_task(player.output_devices, on_done=self._list_devices, owner=self)

        def door(text: str, handler) -> QPushButton:
            button = QPushButton(text, clicked=handler)
            button.setAccessibleName(text.rstrip("…").replace("&&", "and"))
            return button

        servers = self.services.servers.all()
        held = ", ".join(server.name for server in servers[:3]) + ("…" if len(servers) > 3 else "")
        page = QWidget()
        rows = QVBoxLayout(page)
        rows.setContentsMargins(SPACE * 2, 0, SPACE * 2, SPACE)
        rows.setSpacing(0)
        rows.addWidget(section_heading("Library"))
        rows.addWidget(setting_row("Music folders", "Prelude keeps these folders' songs in its "
                                   "library; removing one takes its songs out (history keeps them)."))
        rows.addWidget(self.folders)
        rows.addLayout(folder_buttons)
        rows.addWidget(setting_row("Music servers", f"{count_text(len(servers), 'server')}"
                                   + (f": {held}" if servers else ": add yours to play its music here."),
                                   door("Servers…", window.open_servers)))
        rows.addWidget(section_heading("Playback"))
        rows.addWidget(setting_row("Audio output", "Where Prelude plays: a device, or the one the "
                                   "system chooses.", self.device))
        rows.addWidget(setting_row("Autoplay", "When the queue ends, keep playing similar music.",
                                   self.autoplay))
        rows.addWidget(setting_row("Sound", "Equaliser, volume levelling and crossfade.",
                                   door("Sound…", window.open_sound_settings)))
        rows.addWidget(setting_row("Cache and prefetch", "The next songs kept ready before they "
                                   "play, and what is kept offline.",
                                   door("Cache && Prefetch…", window.open_cache_settings)))
        rows.addWidget(section_heading("Appearance"))
        rows.addWidget(setting_row("Theme", "Light, dark, or as the system is.", self.theme))
        rows.addWidget(setting_row("Notifications", "A notice on the desktop when a new song starts.",
                                   self.notify))
        rows.addStretch()
        scroll = QScrollArea()  # a short screen scrolls the settings, never clips them
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        style_sheet(scroll, lambda c: f"QScrollArea, QScrollArea > QWidget > QWidget"
                    f" {{ background: {c.window}; }}")
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel,
                                   accepted=self.save, rejected=self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, SPACE * 2)
        layout.addWidget(scroll, 1)
        buttons.setContentsMargins(SPACE * 2, 0, SPACE * 2, 0)
        layout.addWidget(buttons)
        self.resize(580, 660)
        # the theme chosen is seen at once
        self.theme.currentIndexChanged.connect(lambda index: apply_theme(THEME.choices[index]))

    def _list_devices(self, devices: list[tuple[str, str]]) -> None:
        chosen = self.device.currentData()
        self.device.clear()
        self.device.addItem("System default", None)
        for device, description in devices:
            self.device.addItem(description or device, device)
        if chosen is not None and self.device.findData(chosen) < 0:
            self.device.addItem(f"{chosen} (not connected)", chosen)
        self.device.setCurrentIndex(max(0, self.device.findData(chosen)))

    def _add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add Music Folder")
        if folder:
            self.window.folder_add_requested.emit(folder)  # added and scanned in the background
            self.folders.addItem(folder)

    def remove_selected(self) -> None:
        item = self.folders.currentItem()
        if item is None:
            return
        folder, library = item.text(), self.services.library
        self.folders.takeItem(self.folders.row(item))
        run_task(lambda: library.remove(folder),
                 on_done=lambda count: (self.window.show_message(
                     f"Removed {folder} and its {count_text(count, 'song')} from the library."),
                     self.window.search.refresh()),
                 owner=self.window)

    def save(self) -> None:
        settings = self.services.settings
        chosen = THEME.choices[self.theme.currentIndex()]
        notify, autoplay = self.notify.isChecked(), self.autoplay.isChecked()
        device = self.device.currentData()
        tray = getattr(self.window, "tray", None)
        if tray is not None:
            tray.notify_action.setChecked(notify)
        def job():
            settings.write(THEME, chosen)
            settings.write(NOTIFY_ON_TRACK_CHANGE, notify)
            settings.write(AUTOPLAY, autoplay)
            settings.write(OUTPUT_DEVICE, device)

        self.services.set_autoplay(autoplay)
        if self.services.player is not None:
            self.services.player.set_output_device(device)
        run_task(job, on_done=lambda _: self.accept(), owner=self)

    def reject(self) -> None:
        apply_theme(self.services.settings.read(THEME))  # put back the saved theme
        super().reject()
