"""Building the app's services for one profile: the composition shared by the CLI and the window."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app import settings as setting
from app.errors import PreludeError
from app.event_bus import EventBus
from app.library.folders import LibraryFolders
from app.paths import Profile
from app.playback.engine import Engine
from app.playback.player import Player
from app.store.database import Database
from app.store.history import HistoryStore
from app.store.queue_store import QueueStore
from app.store.settings_store import SettingsStore
from app.store.tracks import TrackStore

if TYPE_CHECKING:  # made on first use: their imports (requests, numpy, LightFM) wait till then
    from app.catalog.artists import ArtistPictures, ServerArtists
    from app.catalog.cover_cache import CoverCache
    from app.catalog.outbox import OutboxSender
    from app.catalog.queue_handoff import QueueSaver
    from app.loudness.analyser import LoudnessAnalyser
    from app.recommend.radio import Radio
    from app.recommend.recommender import Recommender
    from app.recommend.scheduler import TrainingScheduler
    from app.streaming.cache import AudioCache
    from app.streaming.prefetcher import Prefetcher
    from app.streaming.server_streams import ServerStreams

log = logging.getLogger(__name__)
_LAZY = threading.RLock()  # the window and the player thread may both reach for these first


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
    sender: OutboxSender | None = field(default=None)  # the outbox sender, once started
    prefetcher: Prefetcher | None = field(default=None)
    _streams: ServerStreams | None = field(default=None)
    _audio_cache: AudioCache | None = field(default=None)
    _recommender: Recommender | None = field(default=None)
    _radio: Radio | None = field(default=None)
    _training: TrainingScheduler | None = field(default=None)
    _covers: CoverCache | None = field(default=None)  # the server cover cache
    _server_artists: ServerArtists | None = field(default=None)
    _artist_pictures: ArtistPictures | None = field(default=None)
    _loudness: LoudnessAnalyser | None = field(default=None)
    _queue_saver: QueueSaver | None = field(default=None)  # once servers connect
    _closing: bool = field(default=False)  # close() has begun: late errors of its threads are expected

    def has_servers(self) -> bool:
        """Cheap: no catalog code (requests, keyring) is imported to answer it."""
        return bool(self.servers.all())

    @property
    def servers(self):
        from app.catalog.servers import ServerRegistry  # noqa: PLC0415 - requests loads lazily

        return ServerRegistry(self.settings)

    def catalog_sync(self):
        from app.catalog.sync import CatalogSync  # noqa: PLC0415

        return CatalogSync(self.db, self.tracks, self.settings)

    @property
    def streams(self):
        """One client per configured server, made on first use (the password read then)."""
        with _LAZY:
            if self._streams is None:
                from app.streaming.server_streams import ServerStreams  # noqa: PLC0415

                self._streams = ServerStreams(self.servers, self.audio_cache,
                                              self.settings.read(setting.NETWORK_TIMEOUT_S))
            return self._streams

    @property
    def audio_cache(self):
        with _LAZY:
            return self._make_audio_cache()

    def _make_audio_cache(self):
        if self._audio_cache is None:
            from app.streaming.cache import AudioCache  # noqa: PLC0415

            self._audio_cache = AudioCache(self.db, self.profile.cache_dir / "audio",
                                           self.settings.read(setting.CACHE_CAP_BYTES))
        return self._audio_cache

    @property
    def recommender(self):
        """Recommendations from the model on disk (numpy, scipy and LightFM load on first use)."""
        with _LAZY:
            if self._recommender is None:
                from app.recommend.recommender import Recommender  # noqa: PLC0415

                self._recommender = Recommender(self.db, self.profile.data_dir / "recommender" / "model.npz")
            return self._recommender

    @property
    def radio(self):
        """Radio, autoplay, paths and top songs: the recommender's, blended with the servers'
        sonic neighbours and top songs where they offer them."""
        with _LAZY:
            if self._radio is None:
                from app.catalog.server_similarity import ServerSimilarity  # noqa: PLC0415
                from app.recommend.radio import Radio  # noqa: PLC0415

                similarity = ServerSimilarity(self.tracks, self.server_artists)
                self._radio = Radio(self.db, self.recommender, similarity)
            return self._radio

    @property
    def training(self):
        """Background training of the recommender."""
        with _LAZY:
            if self._training is None:
                from app.recommend.scheduler import TrainingScheduler  # noqa: PLC0415

                self._training = TrainingScheduler(self.db, self.recommender, self.bus)
            return self._training

    def enable_recommendations(self) -> None:
        """Autoplay when the queue runs out, and training after plays (on the player thread)."""
        from app.playback.events import TrackFinished, TrackStarted  # noqa: PLC0415

        self.set_autoplay(self.settings.read(setting.AUTOPLAY))
        self.bus.subscribe(TrackFinished, lambda event: self.training.maybe_train())
        self.bus.subscribe(TrackStarted, self._look_ahead)
        self.training.maybe_train()
        threading.Thread(target=self._warm_up_recommender, name="prelude-recommender-warm-up",
                         daemon=True).start()

    def set_autoplay(self, on: bool) -> None:
        """When the queue runs out, go on with the recommender's picks (from the next queue end)."""
        # A lambda, so the recommender (NumPy, SciPy) loads at the first pick, not here.
        self.player.continuation = ((lambda queue, count: self.radio.autoplay(queue, count))
                                    if on else None)

    def _look_ahead(self, event) -> None:
        """A server track began: its sonic neighbours are asked for now, for autoplay, which
        chooses again once they are here (its picks were made as the track started)."""
        player = self.player
        if player is None or player.continuation is None or event.track.is_local:
            return
        asked = self.radio.look_ahead(event.track)
        if asked is not None:
            asked.add_done_callback(
                lambda done: player.rethink_autoplay() if not done.cancelled() and done.result() else None)

    def _warm_up_recommender(self) -> None:
        try:
            self.recommender.warm_up()
        except Exception as error:  # noqa: BLE001 - the lists will say what is wrong when asked
            if not self._closing:  # else: the app quit before it was loaded, nothing wrong
                log.warning("could not load the recommender ahead of time: %s", error)
        finally:
            self.db.close_thread()

    def mark_reachable(self, server_name: str) -> None:
        """The server answered (a sync went through): its tracks are worth trying again."""
        if self._streams is not None:
            self._streams.offline.discard(server_name)

    def client_for(self, server_name: str):
        return self.streams.client(self.servers.get(server_name))

    def outbox_sender(self):
        """The sender of queued server changes (started by start_player when servers exist)."""
        if self.sender is None:
            from app.catalog.outbox import OutboxSender  # noqa: PLC0415
            from app.store.outbox_queue import Outbox  # noqa: PLC0415

            self.sender = OutboxSender(Outbox(self.db), self.client_for, self.bus.publish)
        return self.sender

    def cover_for(self, track) -> str | None:
        """A local file with the track's cover, fetching a server's on first use (blocking:
        call it from a worker)."""
        if track.is_local or not track.cover_path:
            return track.cover_path
        return self.server_cover(track.source, track.cover_path)

    @property
    def server_covers(self) -> CoverCache:
        """The one server cover cache (one lock for all its writers)."""
        with _LAZY:
            if self._covers is None:
                from app.catalog.cover_cache import CoverCache  # noqa: PLC0415

                self._covers = CoverCache(self.profile.server_covers_dir)
            return self._covers

    def server_cover(self, server_name: str, cover_id: str) -> str:
        """The file of a server's cover, fetched on first use (blocking: from a worker)."""
        return str(self.server_covers.get(self.client_for(server_name), cover_id))

    @property
    def server_artists(self) -> ServerArtists:
        """The servers' records of artists, found by name once (for pictures and top songs)."""
        with _LAZY:
            if self._server_artists is None:
                from app.catalog.artists import ServerArtists  # noqa: PLC0415

                self._server_artists = ServerArtists(self.client_for)
            return self._server_artists

    def artist_picture(self, artist: str, sources) -> str | None:
        """The file of an artist's picture from their server, fetched on first use (blocking:
        from a worker); None where no server of theirs has one."""
        with _LAZY:
            if self._artist_pictures is None:
                from app.catalog.artists import ArtistPictures  # noqa: PLC0415

                self._artist_pictures = ArtistPictures(self.server_artists, self.server_covers)
        return self._artist_pictures.picture(artist, sources)

    def lyrics_for(self, track):
        """The track's lyrics or None: a file beside a local track, else the server's
        (blocking: call it from a worker)."""
        from app.lyrics.finder import local_lyrics, server_lyrics  # noqa: PLC0415

        if track.is_local:
            return local_lyrics(track)
        return server_lyrics(self.client_for(track.source), track)

    def remove_server(self, name: str):
        """Forget a server, its password and its tracks; returns (server, tracks removed)."""
        removed = self.servers.remove(name)
        return removed, self.tracks.forget_source(removed.name)

    def queue_handoff(self):
        """The play queue saved to servers and read back from them (another device's)."""
        from app.catalog.queue_handoff import QueueHandoff  # noqa: PLC0415

        return QueueHandoff(self.db, self.tracks, self.settings, self.client_for,
                            self.outbox_sender().wake,
                            lambda: [server.name for server in self.servers.all()])

    def writeback(self):
        from app.store.library_edits import LibraryEdits  # noqa: PLC0415
        from app.store.outbox_queue import Outbox  # noqa: PLC0415

        return LibraryEdits(self.db, Outbox(self.db), self.outbox_sender().wake)

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

    def start_player(self, engine: Engine | Callable[[], Engine],
                     connect_in_background: bool = False) -> Player:
        """The player; with servers configured, also streaming, scrobbling, the outbox and the
        prefetcher. The window passes connect_in_background so that this wiring (and importing
        requests and keyring) happens on the player's thread, not before the window shows."""
        self.player = Player(engine, self.tracks, self.history, self.queue_store, self.bus)
        self.player.plan_depth = self.settings.read(setting.PREFETCH_DEPTH)
        from app.playback.sound import Equalizer  # noqa: PLC0415

        self.player.set_equalizer(Equalizer.from_setting(self.settings.read(setting.EQUALIZER)))
        levelling = self.settings.read(setting.REPLAY_GAIN)
        trimming = self.settings.read(setting.TRIM_SILENCE)
        self.player.set_replay_gain(levelling, self.settings.read(setting.PREAMP_DB))
        self.player.set_trim_silence(trimming)
        crossfade_s = self.settings.read(setting.CROSSFADE_S)
        self.player.set_crossfade(crossfade_s, self.settings.read(setting.SMART_TRANSITIONS),
                                  self.settings.read(setting.FADE_ON_SKIP))
        if levelling != "off" or trimming or crossfade_s:
            # Tracks not measured yet are, meanwhile (a child process): their loudness, where
            # their music starts and ends, and how it ends (for smart crossfades). The window
            # has that child started on the player thread, after its first rows.
            if connect_in_background:
                self.player.submit(lambda: self.loudness.poke())
            else:
                self.loudness.poke()
        device = self.settings.read(setting.OUTPUT_DEVICE)
        if device:
            self.player.set_output_device(device)
        if self.has_servers():
            if connect_in_background:
                self.player.submit(self._connect_servers)  # before any play command: FIFO
            else:
                self._connect_servers()
        return self.player

    @property
    def loudness(self) -> LoudnessAnalyser:
        """Measures, in the background, the tracks no tag states the loudness of; poke it
        when there may be new ones (a scan, a sync, a track completed in the cache)."""
        with _LAZY:
            if self._loudness is None:
                from app.loudness.analyser import LoudnessAnalyser, LoudnessMeasured  # noqa: PLC0415

                self._loudness = LoudnessAnalyser(self.profile.database_path,
                                                  self.profile.cache_dir / "audio",
                                                  self.bus.publish)
                self.bus.subscribe(LoudnessMeasured, lambda event: self.player is not None
                                   and self.player.submit(self.player.loudness_changed))
            return self._loudness

    def _connect_servers(self) -> None:
        from app.catalog.queue_handoff import QueueSaver  # noqa: PLC0415
        from app.catalog.scrobble import Scrobbler  # noqa: PLC0415
        from app.playback.events import PlanChanged  # noqa: PLC0415
        from app.streaming.events import CacheProgress, ServerUnreachable  # noqa: PLC0415

        self.streams.register(self.player.sources)
        self.streams.start_proxy()
        sender = self.outbox_sender()
        Scrobbler(self.bus, self.db, self.client_for, sender.wake)
        handoff = self.queue_handoff()
        self._queue_saver = QueueSaver(handoff, self.queue_store.load, self.bus.subscribe)
        threading.Thread(target=self._learn_queue_kinds, args=(handoff,), daemon=True,
                         name="prelude-queue-kinds").start()
        sender.start()
        if self.settings.read(setting.PREFETCH_ENABLED):
            from app.recommend.skips import SkipPredictor  # noqa: PLC0415
            from app.store.pins import Pins  # noqa: PLC0415

            self.prefetcher = self.streams.start_prefetching(
                self.tracks, self.bus.publish, pinned=Pins(self.db).track_ids,
                pin_budget=self.settings.read(setting.PIN_BUDGET_BYTES),
                skips=SkipPredictor(self.db) if self.settings.read(setting.SKIP_PREDICTOR)
                else None, depth=self.player.plan_depth)
            self.bus.subscribe(PlanChanged, lambda e: self.streams.follow_plan(e.track_ids,
                                                                               e.playing))
            self.bus.subscribe(CacheProgress, self._track_cached)
            self.bus.subscribe(ServerUnreachable, lambda event: self.player.offer_again())

    def _learn_queue_kinds(self, handoff) -> None:
        """Whether each server keeps queues by index (asked off the player's thread)."""
        for server in self.servers.all():
            try:
                handoff.learn(server.name)
            except PreludeError:
                pass  # until then, savePlayQueue, which every server has
        self.db.close_thread()

    def _track_cached(self, event) -> None:
        self.player.track_coming(event.track_id, event.complete)
        if event.complete:
            self.loudness.poke()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._closing = True
        if self.player is not None:
            self.player.shutdown()
        if self._queue_saver is not None:  # where this device stopped, for the others
            self._queue_saver.save_now()
        if self._training is not None:
            self._training.close()
        if self._radio is not None:
            self._radio.close()
        if self._loudness is not None:
            self._loudness.close()
        if self.sender is not None:
            self.sender.stop()
        if self.prefetcher is not None:
            self.prefetcher.stop()
        if self._streams is not None:
            self._streams.close()
        self.db.close()
