"""New or edit a smart playlist: a name, rules as rows (field, operator, value), all or any of
them, a sort and a limit. What is wrong is said under the rules as it is typed, and how many
songs match now (counted in a worker) once the rules are right."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import UsageError
from app.library.smart_rules import FIELDS, OPERATORS, SmartPlaylist, smart_playlist
from app.store.smart_playlists import SmartPlaylists
from ui.format import sentence
from ui.theme.apply import style_sheet
from ui.theme.sheets import designed_dialog
from ui.theme.tokens import SPACE
from ui.workers import CancelToken, run_task

COUNT_AFTER_MS = 250  # a pause in typing before the songs are counted again
EXAMPLES = {"text": "Jazz", "number": "5", "duration": "4m", "date": "30d", "bool": "true"}


class RuleRow(QWidget):
    """One rule: FIELD OPERATOR VALUE, and a button that takes it out."""

    def __init__(self, on_change, on_remove, text: str = "genre is Jazz"):
        super().__init__()
        self.field = QComboBox()
        self.field.setAccessibleName("Field")
        for name, (_kind, about) in FIELDS.items():
            self.field.addItem(name.replace("_", " "), name)
            self.field.setItemData(self.field.count() - 1, about, Qt.ToolTipRole)
        self.operator = QComboBox()
        self.operator.setAccessibleName("Operator")
        self.value = QLineEdit()
        self.value.setAccessibleName("Value")
        remove = QPushButton("Remove", clicked=lambda: on_remove(self))
        remove.setAccessibleName("Remove this rule")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field, 2)
        layout.addWidget(self.operator, 2)
        layout.addWidget(self.value, 3)
        layout.addWidget(remove)
        self.field.currentIndexChanged.connect(self._offer_operators)
        name, operator, value = (text.split(None, 2) + ["", "", ""])[:3]
        self.field.setCurrentIndex(max(0, self.field.findData(name)))
        self._offer_operators()
        self.operator.setCurrentIndex(max(0, self.operator.findData(operator)))
        self.value.setText(value)
        for signal in (self.field.currentIndexChanged, self.operator.currentIndexChanged,
                       self.value.textChanged):
            signal.connect(on_change)

    def _offer_operators(self) -> None:
        kind = FIELDS[self.field.currentData()][0]
        current = self.operator.currentData()
        self.operator.blockSignals(True)
        self.operator.clear()
        for operator in OPERATORS[kind]:
            self.operator.addItem(operator.replace("_", " "), operator)
        self.operator.setCurrentIndex(max(0, self.operator.findData(current)))
        self.operator.blockSignals(False)
        self.value.setPlaceholderText(f"as {EXAMPLES[kind]}")

    def text(self) -> str:
        return f"{self.field.currentData()} {self.operator.currentData()} {self.value.text().strip()}"


class SmartPlaylistDialog(QDialog):
    def __init__(self, services, editing: SmartPlaylist | None = None,
                 replacing: str | None = None, parent=None):
        """editing: what the dialog starts from; replacing: the name of the person's own smart
        playlist that saving replaces (None: saving adds a new one)."""
        super().__init__(parent)
        designed_dialog(self)
        self.services = services
        self.replacing = replacing
        self.saved_name: str | None = None
        self.setWindowTitle("Edit Smart Playlist" if replacing else "New Smart Playlist")
        self._token = CancelToken()
        self.finished.connect(lambda *_: self._token.cancel())
        self.name = QLineEdit(editing.name if editing else "")
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("as Late-night jazz")
        self.match = QComboBox()
        self.match.setAccessibleName("Match")
        self.match.addItem("all of these rules", False)
        self.match.addItem("any of these rules", True)
        self.match.setCurrentIndex(1 if editing and editing.match_any else 0)
        self.rules_box = QVBoxLayout()
        self.rules_box.setSpacing(SPACE // 2)
        self.rows: list[RuleRow] = []
        for text in [rule.text for rule in editing.rules] if editing else ["genre is "]:
            self._add_row(text)
        add_rule = QPushButton("Add Rule", clicked=lambda: (self._add_row("genre is "),
                                                            self._changed()))
        self.sort = QComboBox()
        self.sort.setAccessibleName("Sort by")
        self.sort.addItem("library order", None)
        for name in (*FIELDS, "random"):
            self.sort.addItem(name.replace("_", " "), name)
        self.sort.setCurrentIndex(max(0, self.sort.findData(editing.sort if editing else None)))
        self.descending = QCheckBox("Highest, newest or longest first")
        self.descending.setChecked(bool(editing and editing.descending))
        self.limit = QSpinBox(minimum=0, maximum=100_000, specialValueText="no limit",
                              suffix=" songs")
        self.limit.setAccessibleName("At most")
        self.limit.setValue((editing.limit or 0) if editing else 0)
        self.verdict = QLabel()
        self.verdict.setAccessibleName("Songs that match")
        self.verdict.setWordWrap(True)
        style_sheet(self.verdict, lambda c: f"color: {c.muted};")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel,
                                        accepted=self.save, rejected=self.reject)

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Songs that match", self.match)
        sort_row = QHBoxLayout()
        sort_row.addWidget(self.sort, 1)
        sort_row.addWidget(self.descending)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(self.rules_box)
        layout.addWidget(add_rule, 0, Qt.AlignLeft)
        sorting = QFormLayout()
        sorting.addRow("Sort by", sort_row)
        sorting.addRow("At most", self.limit)
        layout.addLayout(sorting)
        layout.addWidget(self.verdict)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)

        self._count_later = QTimer(self, singleShot=True, interval=COUNT_AFTER_MS,
                                   timeout=self._count)
        for signal in (self.name.textChanged, self.match.currentIndexChanged,
                       self.sort.currentIndexChanged, self.descending.toggled,
                       self.limit.valueChanged):
            signal.connect(self._changed)
        self._changed()

    def _add_row(self, text: str) -> None:
        row = RuleRow(self._changed, self._remove_row, text)
        self.rows.append(row)
        self.rules_box.addWidget(row)

    def _remove_row(self, row: RuleRow) -> None:
        self.rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._changed()

    def playlist(self) -> SmartPlaylist:
        """What the dialog says now; UsageError (in words) when something is wrong."""
        sort = self.sort.currentData()
        if sort and self.descending.isChecked():
            sort = f"{sort} desc"
        return smart_playlist(self.name.text(), [row.text() for row in self.rows],
                              self.match.currentData(), sort, self.limit.value() or None)

    def _changed(self, *_args) -> None:
        try:
            self.playlist()
        except UsageError as error:
            self._say(sentence(error), valid=False)
            return
        self._say("Counting the songs that match…", valid=True)
        self._count_later.start()

    def _say(self, text: str, valid: bool) -> None:
        self.verdict.setText(text)
        self.buttons.button(QDialogButtonBox.Save).setEnabled(valid)

    def _count(self) -> None:
        try:
            playlist = self.playlist()
        except UsageError:
            return
        self._token.cancel()
        token = self._token = CancelToken()
        db = self.services.db
        run_task(lambda: len(SmartPlaylists(db).track_ids(playlist)),
                 on_done=lambda count: self.verdict.setText(
                     f"{count:,} song{'s' if count != 1 else ''} match now."),
                 on_error=lambda error: self.verdict.setText(f"Could not count them: {error}"),
                 token=token, owner=self)

    def save(self) -> None:
        try:
            playlist = self.playlist()
        except UsageError as error:
            self._say(str(error), valid=False)
            return
        db, replacing = self.services.db, self.replacing
        self.buttons.setEnabled(False)

        def saved(_none) -> None:
            self.saved_name = playlist.name
            self.accept()

        def refused(error) -> None:
            self.buttons.setEnabled(True)
            self._say(sentence(error), valid=False)

        run_task(lambda: SmartPlaylists(db).add(playlist, replacing=replacing), on_done=saved,
                 on_error=refused, owner=self)
