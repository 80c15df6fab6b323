"""Building the app's services for one profile: the composition shared by the CLI and the window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.events import EventBus
from app.library.folders import LibraryFolders
from app.paths import Profile
from app.playback.engine import Engine
from app.playback.player import Player
from app.store.database import Database
from app.store.history import HistoryStore
from app.store.queue_store import QueueStore
from app.store.settings_store import SettingsStore
from app.store.tracks import TrackStore


@dataclass
class Services:
    profile: Profile
    db: Database
    bus: EventBus
    tracks: TrackStore
    history: HistoryStore
    settings: SettingsStore
    queue_store: QueueStore
    library: LibraryFolders
    player: Player | None = field(default=None)

    @property
    def servers(self):
        from app.catalog.servers import ServerRegistry  # noqa: PLC0415 - requests loads lazily

        return ServerRegistry(self.settings)

    def catalog_sync(self):
        from app.catalog.sync import CatalogSync  # noqa: PLC0415

        return CatalogSync(self.db, self.tracks, self.settings)

    @classmethod
    def open(cls, profile: Profile) -> Services:
        profile.ensure()
        db = Database(profile.database_path)
        tracks = TrackStore(db)
        settings = SettingsStore(db)
        history = HistoryStore(db)
        history.close_interrupted()  # a play left open by a crash ends where it was last seen
        return cls(profile=profile, db=db, bus=EventBus(), tracks=tracks, history=history,
                   settings=settings, queue_store=QueueStore(db),
                   library=LibraryFolders(settings, tracks, profile))

    def start_player(self, engine: Engine | Callable[[], Engine]) -> Player:
        self.player = Player(engine, self.tracks, self.history, self.queue_store, self.bus)
        if self.settings.get("catalog.servers"):
            from app.catalog.streaming import ServerStreams  # noqa: PLC0415

            ServerStreams(self.servers).register(self.player.sources)
        return self.player

    def close(self) -> None:
        if self.player is not None:
            self.player.shutdown()
        self.db.close()
