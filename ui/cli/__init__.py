"""The `prelude` command: the window by default, and headless subcommands.

Qt is imported only when a window is needed, so `prelude search` and friends start fast and work
where no Qt is installed. Errors are one readable line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys

from app import APP_NAME, __version__
from app.errors import PreludeError, UsageError

EXIT_FAILED, EXIT_USAGE = 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="use DIR for the whole profile (database, cache, settings); "
                             "also PRELUDE_DATA_DIR")
    common.add_argument("--audio-output", metavar="NAME", default=argparse.SUPPRESS,
                        help="'gapless' (the default: Prelude's own output through PortAudio, "
                             "no gap between tracks), a libvlc audio output module (pulse, alsa, "
                             "...), or 'none' to decode with no sound device; also "
                             "PRELUDE_AUDIO_OUTPUT")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="log what happens to stderr")

    parser = _Parser(prog="prelude", parents=[common],
                     description=f"{APP_NAME}: a music player for your own music and server.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation (database, audio through libvlc, "
                             "recommender) in a temporary profile, print one line, exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    scan = sub.add_parser("scan", parents=[common], help="add folders to the library and scan them")
    scan.add_argument("folders", nargs="+", metavar="DIR")

    search = sub.add_parser("search", parents=[common], help="find tracks")
    search.add_argument("query")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--limit", type=int, default=100)

    play = sub.add_parser("play", parents=[common], help="play the tracks that match QUERY")
    play.add_argument("query")
    play.add_argument("--headless", action="store_true", help="play without a window")
    play.add_argument("--limit", type=int, metavar="N", help="play only the first N matches")
    play.add_argument("--audio-out", metavar="FILE.wav",
                      help="write the decoded audio to a WAV file instead of a sound device")

    history = sub.add_parser("history", parents=[common], help="show what was played")
    history.add_argument("--limit", type=int, default=20, metavar="N")
    history.add_argument("--json", action="store_true", help="print JSON")
    history_sub = history.add_subparsers(dest="history_command", parser_class=_Parser)
    history_import = history_sub.add_parser(
        "import", parents=[common],
        help="seed history from a Spotify (extended or basic) or ListenBrainz export")
    history_import.add_argument("files", nargs="+", metavar="FILE",
                                help="Streaming_History_Audio_*.json, StreamingHistory*.json, "
                                     "a ListenBrainz listens .jsonl, or a folder or .zip holding them")
    history_import.add_argument("--json", action="store_true", help="print the report as JSON")

    recommend = sub.add_parser("recommend", parents=[common],
                               help="recommendations: for you, or a radio from a track or artist")
    recommend.add_argument("--radio", metavar="QUERY",
                           help="a radio seeded by the best match of QUERY (track or artist)")
    recommend.add_argument("--artist", action="store_true",
                           help="seed the radio with the artist of QUERY's best match")
    recommend.add_argument("--limit", type=int, default=20, metavar="N")
    recommend.add_argument("--json", action="store_true", help="print JSON")
    recommend.add_argument("--train", action="store_true", help="train the model now, then recommend")

    evaluate = sub.add_parser("eval-recommender", parents=[common],
                              help="offline evaluation against baselines on tab-separated data")
    evaluate.add_argument("--train", required=True, metavar="FILE", help="user, item, plays")
    evaluate.add_argument("--test", required=True, metavar="FILE", help="user, item, plays")
    evaluate.add_argument("--item-tags", metavar="FILE", help="item, tag, count")
    evaluate.add_argument("--k", type=int, default=10)
    evaluate.add_argument("--json", action="store_true", help="print only the JSON object")
    evaluate.add_argument("--predictions", metavar="FILE",
                          help="write Prelude's top k per test user as user, item, rank")
    evaluate.add_argument("--tune", action="store_true",
                          help="choose every model's settings on a validation split carved from "
                               "the train file first (slow: minutes)")
    evaluate.add_argument("--seed", type=int, default=2012,
                          help="the validation split's seed for --tune (eval-split --seed S "
                               "writes the validation split of seed S+1)")
    evaluate.add_argument("--models", metavar="NAMES",
                          help="comma-separated models to run (default: all of them)")
    split = sub.add_parser("eval-split", parents=[common],
                           help="carve train / warm test / cold test files (and a validation "
                                "split of the train file) out of an interactions file")
    split.add_argument("interactions", metavar="FILE", help="user, item, plays")
    split.add_argument("--item-tags", required=True, metavar="FILE", help="item, tag, count")
    split.add_argument("--out", required=True, metavar="DIR")
    split.add_argument("--seed", type=int, default=2011)

    server = sub.add_parser("server", parents=[common], help="manage music servers")
    server_sub = server.add_subparsers(dest="server_command", parser_class=_Parser, required=True)
    add = server_sub.add_parser("add", parents=[common], help="add an OpenSubsonic server")
    add.add_argument("name")
    add.add_argument("url")
    add.add_argument("--user", required=True)
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input instead of asking")
    add.add_argument("--api-key-stdin", action="store_true",
                     help="log in with an API key read from standard input (servers that offer "
                          "the OpenSubsonic apiKeyAuthentication extension)")
    add.add_argument("--max-bitrate", type=int, metavar="KBPS",
                     help="ask the server to transcode streams down to this bitrate")
    add.add_argument("--format", dest="stream_format", metavar="FORMAT",
                     help="ask the server to transcode streams to this format (mp3, opus, ...)")
    add.add_argument("--certificate", metavar="FILE",
                     help="trust this certificate (PEM) for a server with a self-signed one")
    listing = server_sub.add_parser("list", parents=[common], help="list the servers")
    listing.add_argument("--json", action="store_true")
    remove = server_sub.add_parser("remove", parents=[common], help="remove a server")
    remove.add_argument("name")

    sync = sub.add_parser("sync", parents=[common], help="sync servers into the library")
    sync.add_argument("name", nargs="?", help="only this server")
    sync.add_argument("--full", action="store_true", help="walk the catalog even if unchanged")

    queue = sub.add_parser("queue", parents=[common],
                           help="the play queue, handed between devices through your servers")
    queue_sub = queue.add_subparsers(dest="queue_command", parser_class=_Parser, required=True)
    queue_sub.add_parser("push", parents=[common],
                         help="save this device's queue, current song and position to the "
                              "servers whose songs it holds")
    pull = queue_sub.add_parser("pull", parents=[common],
                                help="take the queue a server holds (the newest, if no server "
                                     "is named) as this device's")
    pull.add_argument("server", nargs="?")

    smart = sub.add_parser("smart-playlist", parents=[common],
                           help="rule-based playlists over the whole library (local and servers)")
    smart_sub = smart.add_subparsers(dest="smart_command", parser_class=_Parser, required=True)
    smart_add = smart_sub.add_parser(
        "add", parents=[common], help="add one: --rule 'genre is Jazz' --rule 'year between "
                                      "1955 1965'")
    smart_add.add_argument("name")
    smart_add.add_argument("--rule", action="append", metavar="'FIELD OPERATOR VALUE'",
                           help="fields: title, artist, album, album_artist, genre, source, year, "
                                "rating, play_count, skip_count, skip_rate, duration, added, "
                                "last_played, favourite, cached; operators: is, is_not, "
                                "contains, not_contains, starts_with, gt, lt, at_least, "
                                "at_most, between, in_last, not_in_last, before, after")
    smart_add.add_argument("--any", action="store_true",
                           help="a song needs to match any rule (by default: all of them)")
    smart_add.add_argument("--sort", metavar="FIELD",
                           help="a field, 'FIELD desc' or -FIELD for highest first, or random "
                                "(by default: library order)")
    smart_add.add_argument("--limit", type=int, metavar="N", help="at most N songs")
    smart_list = smart_sub.add_parser("list", parents=[common],
                                      help="the smart playlists, built-in ones first")
    smart_list.add_argument("--json", action="store_true", help="print JSON")
    smart_show = smart_sub.add_parser("show", parents=[common], help="the songs of one, now")
    smart_show.add_argument("name")
    smart_show.add_argument("--json", action="store_true", help="print JSON")
    smart_snapshot = smart_sub.add_parser(
        "snapshot", parents=[common],
        help="save its songs now as an ordinary playlist, on a server (its songs from there) or "
             "on this computer")
    smart_snapshot.add_argument("name")
    smart_snapshot.add_argument("--to", required=True, metavar="SERVER",
                                help="a server's name, or 'local' for a playlist here")
    smart_snapshot.add_argument("--as", dest="title", metavar="TITLE",
                                help="the playlist's name (by default the smart playlist's)")
    smart_remove = smart_sub.add_parser("remove", parents=[common], help="remove one of yours")
    smart_remove.add_argument("name")

    bench = sub.add_parser("bench", parents=[common], help="measure performance (prints JSON)")
    bench_sub = bench.add_subparsers(dest="bench", parser_class=_Parser, required=True)
    library = bench_sub.add_parser("library", parents=[common],
                                   help="search and start-up with a large synthetic library")
    library.add_argument("--tracks", type=int, default=100_000)
    library.add_argument("--json", action="store_true", help="print only the JSON object")
    sync_bench = bench_sub.add_parser("sync", parents=[common],
                                      help="full and no-change sync of a generated server catalog")
    sync_bench.add_argument("--songs", type=int, default=100_000)
    sync_bench.add_argument("--json", action="store_true", help="print only the JSON object")
    playback = bench_sub.add_parser("playback", parents=[common],
                                    help="time to first audio, prefetch on and off")
    playback.add_argument("--rtt-ms", type=float, default=100.0)
    playback.add_argument("--kbps", type=float, default=2000.0)
    playback.add_argument("--json", action="store_true", help="print only the JSON object")
    playback.add_argument("--server", metavar="URL",
                          help="measure this OpenSubsonic server instead of a local supysonic")
    playback.add_argument("--user")
    playback.add_argument("--password-stdin", action="store_true")
    gap = bench_sub.add_parser("gap", parents=[common],
                               help="silence between the tracks of a gapless album, per format")
    gap.add_argument("--runs", type=int, default=3)
    gap.add_argument("--json", action="store_true", help="print only the JSON object")
    responsiveness = bench_sub.add_parser(
        "responsiveness", parents=[common],
        help="start, skip, seek, pause and resume as heard at a private sound server's sink")
    responsiveness.add_argument("--runs", type=int, default=5)
    responsiveness.add_argument("--listen-s", type=float, default=120.0,
                                help="playback checked for dropouts, idle and under load")
    responsiveness.add_argument("--crossfade", type=int, default=0, metavar="S",
                                help="with a crossfade of S seconds set (skips stay immediate)")
    responsiveness.add_argument("--json", action="store_true", help="print only the JSON object")
    scan_bench = bench_sub.add_parser("scan", parents=[common],
                                      help="first scan and rescan of a generated music folder")
    scan_bench.add_argument("--files", type=int, default=2000)
    scan_bench.add_argument("--json", action="store_true", help="print only the JSON object")
    transitions = bench_sub.add_parser(
        "transitions", parents=[common],
        help="loudness levelling heard at a private sound server's sink, and its analysis speed")
    transitions.add_argument("--json", action="store_true", help="print only the JSON object")
    smart_bench = bench_sub.add_parser(
        "smart", parents=[common],
        help="smart playlists (the built-in set and ten of one's own) over a large library")
    smart_bench.add_argument("--tracks", type=int, default=100_000)
    smart_bench.add_argument("--plays", type=int, default=50_000)
    smart_bench.add_argument("--json", action="store_true", help="print only the JSON object")
    train = bench_sub.add_parser("train", parents=[common],
                                 help="train the recommender on a generated catalog and history")
    train.add_argument("--tracks", type=int, default=100_000)
    train.add_argument("--plays", type=int, default=50_000)
    train.add_argument("--json", action="store_true", help="print only the JSON object")
    return parser


def main(argv: list[str] | None = None) -> int:
    import multiprocessing  # noqa: PLC0415

    multiprocessing.freeze_support()  # in a frozen bundle, the training child starts through here
    try:
        args = build_parser().parse_args(argv)
        verbose = getattr(args, "verbose", False)
        logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING)
        line_format = "%(asctime)s %(name)s %(levelname)s: %(message)s"
        logging.getLogger().handlers[0].setFormatter(
            logging.Formatter(line_format) if verbose else _OneLineFormatter(line_format))
        from app import log_redaction  # noqa: PLC0415

        log_redaction.install()
        if not getattr(args, "verbose", False):  # its retries are the app's business, said in words
            logging.getLogger("urllib3").setLevel(logging.ERROR)
        if args.self_test:
            return _self_test()
        from ui.cli import commands  # noqa: PLC0415 - keeps `--help` and `--version` instant
        return commands.dispatch(args)
    except UsageError as error:
        print(f"prelude: {error}", file=sys.stderr)
        return EXIT_USAGE
    except PreludeError as error:
        print(f"prelude: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("prelude: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - a bug still gets one line, details with -v
        logging.getLogger("prelude").debug("unexpected error", exc_info=True)
        print(f"prelude: unexpected error: {type(error).__name__}: {error} "
              "(run with --verbose for details)", file=sys.stderr)
        return EXIT_FAILED


class _OneLineFormatter(logging.Formatter):
    """Without --verbose, a logged error says what went wrong in one line: no traceback on
    the terminal (a bug's details are for --verbose)."""

    def format(self, record: logging.LogRecord) -> str:
        cached, record.exc_text = record.exc_text, None  # another handler's full traceback
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, exc_info) -> str:
        kind, error = exc_info[0], exc_info[1]
        return f"  ({kind.__name__}: {error}; run with --verbose for details)"


def _self_test() -> int:
    from app.self_test import SelfTestFailed, run_self_test  # noqa: PLC0415

    try:
        print(run_self_test())
        return 0
    except SelfTestFailed as failure:
        print(f"Prelude self-test FAILED: {failure}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
