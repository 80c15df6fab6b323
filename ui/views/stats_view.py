"""Statistics: what was listened to, as pictures: top artists, top tracks, hours per week, skip
rate per week. Read from history in a worker each time the page is shown."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from app.store.listening_stats import listening_stats
from ui.format import count_text
from ui.theme import font_of
from ui.theme.apply import style_sheet
from ui.theme.tokens import SPACE
from ui.widgets.bar_chart import BarChart
from ui.workers import run_task


class StatsView(QWidget):
    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.services = services
        heading = QLabel("Statistics")
        heading.setFont(font_of("display", bold=True))
        self.summary = QLabel()
        self.summary.setFont(font_of("title"))
        style_sheet(self.summary, lambda c: f"color: {c.muted};")
        self.artists = BarChart("Top artists (hours)", horizontal=True)
        self.tracks = BarChart("Top tracks (plays)", horizontal=True, value_format="{:.0f}")
        self.hours = BarChart("Hours listened per week", horizontal=False)
        self.skips = BarChart("Skip rate per week", horizontal=False, value_format="{:.0%}")
        layout = QGridLayout(self)
        layout.setContentsMargins(SPACE * 2, SPACE * 2, SPACE * 2, SPACE * 2)
        layout.setSpacing(SPACE * 2)
        layout.addWidget(heading, 0, 0, 1, 2)
        layout.addWidget(self.summary, 1, 0, 1, 2)
        layout.addWidget(self.artists, 2, 0)
        layout.addWidget(self.tracks, 2, 1)
        layout.addWidget(self.hours, 3, 0)
        layout.addWidget(self.skips, 3, 1)

    def refresh(self) -> None:
        db = self.services.db
        run_task(lambda: listening_stats(db), on_done=self._show,
                 on_error=lambda error: self.summary.setText(f"Could not read the history: {error}"),
                 owner=self)

    def _show(self, stats) -> None:
        self.summary.setText(f"{count_text(stats.plays, 'play')} · {stats.hours:.1f} hours in all")
        self.artists.set_bars(stats.top_artists)
        self.tracks.set_bars(stats.top_tracks)
        self.hours.set_bars(stats.hours_per_week)
        self.skips.set_bars(stats.skip_rate_per_week)
