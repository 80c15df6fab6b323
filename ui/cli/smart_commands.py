"""`prelude smart-playlist add|list|show|remove`: rule-based playlists over the whole library."""

from __future__ import annotations

import json
import sys

from app.errors import UsageError
from app.library.smart_rules import SmartPlaylist, smart_playlist
from app.models import LOCAL_SOURCE
from app.services import Services
from app.store.smart_playlists import SmartPlaylists


def smart_playlist_command(services: Services, args) -> int:
    from ui.cli.commands import _duration, _track_json  # noqa: PLC0415 - one way to print a track

    playlists = SmartPlaylists(services.db)
    command = args.smart_command
    if command == "add":  # every rule is checked before anything is written
        playlist = smart_playlist(args.name, args.rule or [], args.any, args.sort, args.limit)
        playlists.add(playlist)
        count = len(playlists.track_ids(playlist))
        print(f"Added the smart playlist “{playlist.name}”: {playlist.describe()} "
              f"({_songs(count)} now).")
        return 0
    if command == "snapshot":
        return _snapshot(services, playlists, args)
    if command == "remove":
        removed = playlists.remove(args.name)
        print(f"Removed the smart playlist “{removed}”.")
        return 0
    if command == "list":
        listed = [(playlist, len(playlists.track_ids(playlist))) for playlist in playlists.all()]
        if args.json:
            print(json.dumps([_playlist_json(p, count) for p, count in listed], indent=1,
                             ensure_ascii=False))
            return 0
        for playlist, count in listed:
            kind = "built in" if playlist.built_in else "yours"
            print(f"{playlist.name}\t{_songs(count)}\t{kind}\t{playlist.describe()}")
        return 0
    # show
    playlist = playlists.get(args.name)
    if playlist is None:
        names = ", ".join(f"“{p.name}”" for p in playlists.all())
        print(f"prelude: no smart playlist is named “{args.name}” (there are {names})",
              file=sys.stderr)
        return 1
    tracks = services.tracks.get_many(playlists.track_ids(playlist))
    if args.json:
        print(json.dumps([_track_json(t) for t in tracks], ensure_ascii=False, indent=1))
        return 0
    print(f"{playlist.name}: {playlist.describe()} ({_songs(len(tracks))})")
    for track in tracks:
        print(f"{track.id:>7}  {track.artist} — {track.title}  [{track.album}]  "
              f"{_duration(track.duration_ms)}  {track.source}")
    return 0


def _snapshot(services: Services, playlists: SmartPlaylists, args) -> int:
    """An ordinary playlist of its songs as they are now: on a server through the outbox (sent
    now if the server answers, else with the next sync), or here."""
    playlist = playlists.get(args.name)
    if playlist is None:
        raise UsageError(f"no smart playlist is named “{args.name}”")
    target = args.to
    if target != LOCAL_SOURCE and target not in [s.name for s in services.servers.all()]:
        raise UsageError(f"no server is named “{target}” (see 'prelude server list'), "
                         "and 'local' makes the playlist here")
    title = (args.title or playlist.name).strip()
    count = playlists.snapshot(playlist, title, target, services.writeback())
    where = "on this computer" if target == LOCAL_SOURCE else f"on {target}"
    print(f"Saved {_songs(count)} of “{playlist.name}” {where} as the playlist “{title}”.")
    if target != LOCAL_SOURCE:
        report = services.outbox_sender().flush(target)
        if report.waiting:
            print(f"{target} did not answer ({report.error}); it is sent with the next "
                  "'prelude sync'.", file=sys.stderr)
    return 0


def _songs(count: int) -> str:
    return f"{count} song" if count == 1 else f"{count:,} songs"


def _playlist_json(playlist: SmartPlaylist, count: int) -> dict:
    return {"name": playlist.name, "rules": [rule.text for rule in playlist.rules],
            "match": "any" if playlist.match_any else "all", "sort": playlist.sort,
            "descending": playlist.descending, "limit": playlist.limit,
            "built_in": playlist.built_in, "tracks": count}
