"""Settings ▸ Cache & Prefetch: the cache's size and use, how far ahead to prefetch, clearing."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.services import Services
from app.settings import CACHE_CAP_BYTES, PIN_BUDGET_BYTES, PREFETCH_DEPTH
from ui.dialogs.setting_rows import section_heading, setting_row
from ui.theme.sheets import designed_dialog
from ui.theme.tokens import SPACE
from ui.workers import CancelToken, run_task

GB = 1024**3


class CacheDialog(QDialog):
    def __init__(self, services: Services, parent=None):
        super().__init__(parent)
        designed_dialog(self)
        self.services = services
        self.setWindowTitle("Cache & Prefetch")
        # Results that arrive after the dialog is gone are dropped, not delivered to dead widgets.
        token = self._token = CancelToken()
        self.finished.connect(lambda *_: token.cancel())
        self.destroyed.connect(lambda *_: token.cancel())
        settings = services.settings
        self.size_gb = QSpinBox(minimum=1, maximum=500, suffix=" GB")
        self.size_gb.setAccessibleName("Cache size")
        self.size_gb.setValue(max(1, round(settings.read(CACHE_CAP_BYTES) / GB)))
        self.depth = QSpinBox(minimum=1, maximum=int(PREFETCH_DEPTH.high), suffix=" tracks")
        self.depth.setAccessibleName("Tracks to prefetch ahead")
        self.depth.setValue(settings.read(PREFETCH_DEPTH))
        self.offline_gb = QSpinBox(minimum=1, maximum=2000, suffix=" GB")
        self.offline_gb.setAccessibleName("Space for music kept offline")
        self.offline_gb.setValue(max(1, round(settings.read(PIN_BUDGET_BYTES) / GB)))
        for box in (self.size_gb, self.depth, self.offline_gb):
            box.setMinimumWidth(120)  # one column of controls
        self.usage = QLabel("Measuring…")
        self.usage.setAccessibleName("Cache usage")
        self.clear_button = QPushButton("Clear Cache", clicked=self.clear)
        self.clear_button.setAccessibleName("Clear the cache")
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel,
                                   accepted=self.save, rejected=self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE * 2, 0, SPACE * 2, SPACE * 2)
        layout.setSpacing(0)
        layout.addWidget(section_heading("Prefetch"))
        layout.addWidget(setting_row("Prefetch ahead", "Songs from your servers downloaded before "
                                     "they play, so each starts at once.", self.depth))
        layout.addWidget(section_heading("Cache"))
        layout.addWidget(setting_row("Cache size", "Room for songs played and prefetched; the "
                                     "oldest make way.", self.size_gb))
        layout.addWidget(setting_row("Kept offline", "Room for playlists and albums you keep "
                                     "available offline (pinned).", self.offline_gb))
        layout.addWidget(setting_row("In use", "What the cache holds now.", self.usage))
        layout.addWidget(setting_row("Clear", "Removes what is cached, except the songs coming up "
                                     "next.", self.clear_button))
        layout.addSpacing(SPACE * 2)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())
        self.refresh_usage()

    def refresh_usage(self) -> None:
        services = self.services
        run_task(lambda: (services.audio_cache.total_bytes(), len(services.audio_cache.entries())),
                 on_done=lambda result: self.usage.setText(
                     f"{result[0] / 1024**2:,.0f} MB in {result[1]} tracks"), token=self._token, owner=self)

    def clear(self) -> None:
        services = self.services
        prefetcher = services.prefetcher
        keep = prefetcher.planned_keys if prefetcher is not None else set()
        run_task(lambda: services.audio_cache.clear(protect=keep),  # the planned window stays
                 on_done=lambda _: self.refresh_usage(), token=self._token, owner=self)

    def save(self) -> None:
        cap = self.size_gb.value() * GB
        depth = self.depth.value()
        offline = self.offline_gb.value() * GB
        services = self.services

        def job():
            services.settings.write(CACHE_CAP_BYTES, cap)
            services.settings.write(PREFETCH_DEPTH, depth)
            services.settings.write(PIN_BUDGET_BYTES, offline)
            if services.prefetcher is not None:
                services.prefetcher.pin_budget = offline
            services.audio_cache.cap_bytes = cap
            if services.player is not None:
                services.player.plan_depth = depth

        run_task(job, on_done=lambda _: self.accept(), owner=self)
