"""Settings ▸ Servers: add, test and remove OpenSubsonic servers; sync them."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

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
from ui.theme.sheets import designed_dialog
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
        self.resize(620, 460)

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
        buttons = QHBoxLayout()
        for button in (self.test_button, self.add_button, self.remove_button, self.sync_button):
            buttons.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.Close, rejected=self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Your servers</b>"))
        layout.addWidget(self.server_list)
        layout.addWidget(QLabel("<b>Add a server</b>"))
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self.server_list.clear()
        for server in self.services.servers.all():
            self.server_list.addItem(f"{server.name} — {server.url} (user {server.user})")

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
