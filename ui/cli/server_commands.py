"""`prelude server ...` and `prelude sync`: headless, no Qt."""

from __future__ import annotations

import getpass
import json
import sys
from dataclasses import replace
from pathlib import Path

from app.catalog.client import API_KEY, SubsonicClient
from app.errors import UsageError
from app.services import Services


def _read_password(args) -> str:
    if args.password_stdin or args.api_key_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.user} on {args.name}: ")
    else:
        raise UsageError("no terminal to ask for the password: pass it with --password-stdin")
    if not password:
        raise UsageError("the password is empty")
    return password


def server_command(services: Services, args) -> int:
    registry = services.servers
    if args.server_command == "add":
        url = registry.validate_new(args.name, args.url)
        certificate = None
        if args.certificate:
            certificate = str(Path(args.certificate).expanduser().resolve())
            if not Path(certificate).is_file():
                raise UsageError(f"no such certificate file: {args.certificate}")
        if args.max_bitrate is not None and args.max_bitrate <= 0:
            raise UsageError("--max-bitrate must be a positive number of kbit/s")
        if args.stream_format and not args.stream_format.isalnum():
            raise UsageError("--format takes a format name such as mp3 or opus")
        password = _read_password(args)
        auth = API_KEY if args.api_key_stdin else None
        client = SubsonicClient(args.name, url, args.user, password, auth=auth,
                                verify=certificate or True)
        info = registry.add_checked(client, password, certificate, args.max_bitrate,
                                    args.stream_format)
        print(f"Added {args.name}: {info.describe()}.")
        print(f"Run 'prelude sync {args.name}' to bring its catalog into your library.")
        return 0
    if args.server_command == "list":
        servers = registry.all()
        if args.json:
            print(json.dumps([{"name": s.name, "url": s.url, "user": s.user, "auth": s.auth}
                              for s in servers], indent=1))
        elif not servers:
            print("No servers yet. Add one with 'prelude server add NAME URL --user USER'.")
        for server in [] if args.json else servers:
            count = services.tracks.count_from(server.name)
            print(f"{server.name}\t{server.url}\tuser {server.user}\t{count} tracks")
        return 0
    removed, count = services.remove_server(args.name)
    print(f"Removed {removed.name} and its {count} tracks from the library.")
    return 0


def sync_command(services: Services, args) -> int:
    registry = services.servers
    servers = [registry.get(args.name)] if args.name else registry.all()
    if not servers:
        raise UsageError("no servers to sync; add one with 'prelude server add'")
    syncer = services.catalog_sync()
    interactive = sys.stderr.isatty()

    def progress(count: int, total: int | None) -> None:
        if interactive:
            print(f"\r  {count:,} songs fetched…", end="", file=sys.stderr, flush=True)

    failures = 0
    sender = services.outbox_sender()
    for server in servers:
        client = server.client()
        try:
            # Changes made here go first, so the walk sees them on the server.
            sent = sender.flush(server.name)
            if sent.sent or sent.dropped:
                print(f"{server.name}: sent {sent.sent} waiting change(s)"
                      + (f", {sent.dropped} refused" if sent.dropped else "") + ".")
            report = syncer.sync(client, full=args.full, progress=progress)
        except Exception as error:  # noqa: BLE001 - one server failing does not stop the others
            failures += 1
            print(f"\r{server.name}: sync failed: {error}", file=sys.stderr)
            continue
        finally:
            client.close()
            if client.auth and client.auth != server.auth:
                registry.save(replace(server, auth=client.auth))
        if interactive:
            print("\r", end="", file=sys.stderr)
        print(report.summary())
    return 1 if failures else 0
