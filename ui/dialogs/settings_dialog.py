"""File ▸ Settings…: music folders, audio output device, theme, notifications, autoplay, and the
doors to the servers, cache and sound settings. Writes (and asking libvlc for its devices)
happen off the GUI thread."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from app.settings import AUTOPLAY, NOTIFY_ON_TRACK_CHANGE, OUTPUT_DEVICE, THEME
from ui.format import count_text
from ui.theme import apply_theme
from ui.theme.sheets import designed_dialog
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
        self.folders.addItems(self.services.library.folders())
        add = QPushButton("Add…", clicked=self._add_folder)
        add.setAccessibleName("Add a music folder")
        self.remove_button = QPushButton("Remove", clicked=self.remove_selected)
        self.remove_button.setAccessibleName("Remove the selected music folder")
        folder_buttons = QHBoxLayout()
        folder_buttons.addWidget(add)
        folder_buttons.addWidget(self.remove_button)
        folder_buttons.addStretch()
        folders_box = QGroupBox("Music folders")
        folders_layout = QVBoxLayout(folders_box)
        folders_layout.addWidget(self.folders)
        folders_layout.addLayout(folder_buttons)

        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        self.theme.addItems(["Follow the system", "Light", "Dark"])
        self.theme.setCurrentIndex(THEME.choices.index(settings.read(THEME)))
        self.notify = QCheckBox("Notify when a track starts")
        self.notify.setChecked(settings.read(NOTIFY_ON_TRACK_CHANGE))
        self.autoplay = QCheckBox("Keep playing similar music when the queue ends")
        self.autoplay.setChecked(settings.read(AUTOPLAY))
        self.device = QComboBox()
        self.device.setAccessibleName("Audio output device")
        self.device.addItem("System default", None)
        saved_device = settings.read(OUTPUT_DEVICE)
        if saved_device:
            self.device.addItem(saved_device, saved_device)  # named properly once listed
            self.device.setCurrentIndex(1)
        player = self.services.player
        if player is not None:
            run_task(player.output_devices, on_done=self._list_devices, owner=self)
        form = QFormLayout()
        form.addRow("Audio output", self.device)
        form.addRow("Theme", self.theme)
        form.addRow("", self.notify)
        form.addRow("", self.autoplay)

        more = QHBoxLayout()
        for text, handler in (("Servers…", window.open_servers),
                              ("Cache && Prefetch…", window.open_cache_settings),
                              ("Sound…", window.open_sound_settings)):
            more.addWidget(QPushButton(text, clicked=handler))
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel,
                                   accepted=self.save, rejected=self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(folders_box)
        layout.addLayout(form)
        layout.addLayout(more)
        layout.addWidget(buttons)
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
