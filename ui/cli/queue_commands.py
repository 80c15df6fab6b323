"""`prelude queue push` and `prelude queue pull [SERVER]`: the play queue between devices."""

from __future__ import annotations

import sys

from app.errors import PreludeError, UsageError
from app.services import Services
from app.store.queue_store import SavedQueue
from ui.format import duration_text


def queue_command(services: Services, args) -> int:
    servers = [server.name for server in services.servers.all()]
    if not servers:
        raise UsageError("no servers yet: add one with 'prelude server add NAME URL --user USER'")
    handoff = services.queue_handoff()
    if args.queue_command == "push":
        for server in servers:
            try:
                handoff.learn(server)  # by index where it keeps queues that way
            except PreludeError:
                pass  # it is sent with the next sync, as savePlayQueue
        saved = services.queue_store.load()
        report = handoff.save(saved)
        if not report.saved:
            print("The queue holds no songs from a server: nothing to save there"
                  + (f" ({report.local} local songs stay on this computer)." if report.local
                     else "."))
            return 1
        for server, count in report.saved.items():
            flushed = services.outbox_sender().flush(server)
            when = "" if not flushed.waiting else \
                f" (not sent yet: {flushed.error}; it goes with the next 'prelude sync')"
            print(f"Saved the queue to {server}: {count} songs{when}.")
        if report.local:
            print(f"{report.local} local songs of it stay on this computer: a server holds "
                  "only its own songs.")
        return 0
    if args.server and args.server not in servers:
        raise UsageError(f"no server is named “{args.server}” (see 'prelude server list')")
    remote = handoff.pull(args.server)
    if remote is None or not remote.track_ids:
        print("No server holds a play queue with songs of this library"
              + (f" ({remote.missing} songs not synced yet: run 'prelude sync')." if remote
                 and remote.missing else "."), file=sys.stderr)
        return 1
    services.queue_store.save(SavedQueue(track_ids=remote.track_ids, current=remote.current,
                                         position_ms=remote.position_ms))
    track = services.tracks.get(remote.track_ids[remote.current]) \
        if remote.current is not None else None
    at = f", at “{track.title}” {duration_text(remote.position_ms)}" if track else ""
    by = f" by {remote.changed_by}" if remote.changed_by else ""
    print(f"Took the queue saved{by} on {remote.server} ({remote.changed}): "
          f"{len(remote.track_ids)} songs{at}.")
    if remote.missing:
        print(f"{remote.missing} of its songs are not in this library yet (run 'prelude sync').")
    return 0
