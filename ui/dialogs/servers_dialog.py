"""Settings ▸ Servers: add, test and remove OpenSubsonic servers; sync them."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from app.catalog.client import SubsonicClient
from app.errors import PreludeError
from app.services import Services
from ui.dialogs.setting_rows import section_heading
from ui.theme.apply import style_sheet
from ui.theme.sheets import designed_dialog
from ui.theme.tokens import SPACE
from ui.workers import run_task


def _name_from(url: str) -> str:
    """A name for a server the listener did not name: its host ("music.example.org")."""
    host = urlsplit(url.strip() if "://" in url else f"https://{url.strip()}").hostname or ""
    return re.sub(r"[^A-Za-z0-9 .-]", "-", host)[:40]


class ServersDialog(QDialog):
    def __init__(self, services: Services, sync, parent=None):
        super().__init__(parent)
        designed_dialog(self)
        self.services = services
        self.sync = sync
        self.setWindowTitle("Servers")

        self.server_list = QListWidget()
        self.server_list.setAccessibleName("Servers")
        self.name = QLineEdit(placeholderText="optional: the address's host if left empty")
        self.url = QLineEdit(placeholderText="https://music.example.org")
        self.user = QLineEdit()
        self.password = QLineEdit(echoMode=QLineEdit.Password)
        self.certificate = QLineEdit(placeholderText="only for a self-signed server")
        browse = QPushButton("Choose…", clicked=self._choose_certificate)
        certificate_row = QHBoxLayout()
        certificate_row.addWidget(self.certificate, 1)
        certificate_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Address", self.url)
        form.addRow("User", self.user)
        form.addRow("Password", self.password)
        form.addRow("Certificate", certificate_row)

        self.test_button = QPushButton("Test Connection", clicked=self.test_connection)
        self.add_button = QPushButton("Add Server", clicked=self.add_server)
        self.remove_button = QPushButton("Remove", clicked=self.remove_selected)
        self.sync_button = QPushButton("Sync Now", clicked=lambda: self.sync.sync_all())
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Server status")
        self.add_button.setDefault(True)  # the form's answer: in the accent
        self.add_button.setObjectName("answer")
        for button, about in ((self.test_button, "Asks the server what it is, without saving it."),
                              (self.add_button, "Saves the server and brings its catalog in."),
                              (self.remove_button, "Forgets the selected server and its songs here."),
                              (self.sync_button, "Brings in what changed on every server.")):
            button.setToolTip(about)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.remove_button)
        list_buttons.addWidget(self.sync_button)
        list_buttons.addStretch()
        form_buttons = QHBoxLayout()
        form_buttons.addStretch()
        form_buttons.addWidget(self.test_button)
        form_buttons.addWidget(self.add_button)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.server_list.setFixedHeight(96)
        self.empty_note = QLabel("No servers yet: add one below, and its music joins your library.")
        self.empty_note.setWordWrap(True)
        style_sheet(self.empty_note, lambda c: f"color: {c.muted};")
        close = QDialogButtonBox(QDialogButtonBox.Close, rejected=self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE * 2, 0, SPACE * 2, SPACE * 2)
        layout.addWidget(section_heading("Your servers"))
        layout.addWidget(self.empty_note)
        layout.addWidget(self.server_list)
        layout.addLayout(list_buttons)
        layout.addWidget(section_heading("Add a server"))
        layout.addLayout(form)
        layout.addLayout(form_buttons)
        layout.addWidget(self.status)
        layout.addStretch()
        layout.addWidget(close)
        self.resize(620, 480)
        self.refresh()

    def refresh(self) -> None:
        self.server_list.clear()
        servers = self.services.servers.all()
        for server in servers:
            self.server_list.addItem(f"{server.name} — {server.url} (user {server.user})")
        # no empty box: a line says there is none yet
        self.server_list.setVisible(bool(servers))
        self.empty_note.setVisible(not servers)
        self.remove_button.setVisible(bool(servers))
        self.sync_button.setVisible(bool(servers))

    def _choose_certificate(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Server certificate", "", "PEM (*.pem *.crt)")
        if path:
            self.certificate.setText(path)

    def _client(self) -> SubsonicClient | None:
        """A client for what the form says, or None after saying what is wrong with it."""
        try:
            certificate = self.certificate.text().strip() or None
            if certificate and not Path(certificate).is_file():
                raise PreludeError(f"No certificate file at {certificate}.")
            name = self.name.text().strip() or _name_from(self.url.text())
            url = self.services.servers.validate_new(name, self.url.text())
        except PreludeError as error:
            self.status.setText(f"⚠ {error}")
            return None
        return SubsonicClient(name, url, self.user.text().strip(),
                              self.password.text(), verify=certificate or True)

    def _run(self, job, on_done) -> None:
        self.status.setText("Talking to the server…")
        for button in (self.test_button, self.add_button):
            button.setEnabled(False)

        def finish(result):
            for button in (self.test_button, self.add_button):
                button.setEnabled(True)
            on_done(result)

        def fail(error):
            finish(None)
            self.status.setText(f"⚠ {error}")

        run_task(job, on_done=finish, on_error=fail, owner=self)

    def test_connection(self) -> None:
        client = self._client()
        if client is None:
            return
        self._run(client.ping, lambda info: info and self.status.setText(f"✓ {info.describe()}."))

    def add_server(self) -> None:
        client = self._client()
        if client is None:
            return
        registry = self.services.servers
        password = self.password.text()

        certificate = client.verify if client.verify is not True else None

        def job():
            return registry.add_checked(client, password, certificate)

        def added(info) -> None:
            if info is None:
                return
            self.status.setText(f"✓ Added {client.name}: {info.describe()}. Syncing…")
            self.password.clear()
            self.refresh()
            self.sync.sync_all()

        self._run(job, added)

    def remove_selected(self) -> None:
        row = self.server_list.currentRow()
        servers = self.services.servers.all()
        if not 0 <= row < len(servers):
            return
        name = servers[row].name
        services = self.services

        def job():
            return services.remove_server(name)[1]

        def removed(count) -> None:
            self.status.setText(f"Removed {name} and its {count} tracks.")
            self.refresh()
            self.sync.library_changed.emit()

        run_task(job, on_done=removed, on_error=lambda e: self.status.setText(f"⚠ {e}"), owner=self)
