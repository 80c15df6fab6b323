"""`prelude recommend`, `prelude eval-recommender` and `prelude eval-split` (no Qt here)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from app.errors import UsageError


def eval_recommender_command(args) -> int:
    from app.recommend.evaluation.runner import (  # noqa: PLC0415
        MODELS,
        evaluate_files,
        format_table,
    )

    if args.k < 1:
        raise UsageError("--k must be at least 1")
    models = [name.strip() for name in args.models.split(",") if name.strip()] if args.models else None
    unknown = sorted(set(models or ()) - set(MODELS))
    if unknown:
        raise UsageError(f"--models: no model named {', '.join(unknown)} "
                         f"(there are {', '.join(MODELS)})")
    say = None if args.json else (lambda message: print(message, file=sys.stderr, flush=True))
    result = evaluate_files(
        Path(args.train), Path(args.test), Path(args.item_tags) if args.item_tags else None,
        k=args.k, predictions=Path(args.predictions) if args.predictions else None,
        progress=say or (lambda message: None), tune_seed=args.seed if args.tune else None,
        models=models)
    if args.json:
        print(json.dumps(result.as_json()))
    else:
        print(format_table(result))
        if result.mode == "cold":
            print("cold: no test item has train plays, so each list ranks only the test items")
    return 0


def eval_split_command(args) -> int:
    from app.recommend.evaluation.dataset import (  # noqa: PLC0415
        read_interactions,
        read_item_tags,
        write_interactions,
    )
    from app.recommend.evaluation.split import split_interactions  # noqa: PLC0415

    interactions = read_interactions(Path(args.interactions))
    tagged = set(read_item_tags(Path(args.item_tags)))
    out = Path(args.out)
    test_split = split_interactions(interactions, tagged, seed=args.seed)
    validation = split_interactions(test_split.train, tagged, seed=args.seed + 1)
    for folder, carved in ((out, test_split), (out / "validation", validation)):
        folder.mkdir(parents=True, exist_ok=True)
        write_interactions(folder / "train.tsv", carved.train)
        write_interactions(folder / "test_warm.tsv", carved.warm_test)
        write_interactions(folder / "test_cold.tsv", carved.cold_test)
        print(f"{folder}: train {len(carved.train)}, warm test {len(carved.warm_test)}, "
              f"cold test {len(carved.cold_test)} user-item pairs")
    return 0


def recommend_command(services, args) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    if args.train or services.training.due() and services.recommender.model() is None:
        print("Training recommendations…", file=sys.stderr, flush=True)
        services.training.train()
        services.training.done.wait()
    recommender = services.recommender
    if args.radio:
        ids = services.tracks.ordered_ids(args.radio, limit=1)
        if not ids:
            raise UsageError(f"nothing in the library matches {args.radio!r}")
        seed = services.tracks.get(ids[0])
        radio = services.radio  # blended with the server's sonic neighbours where it has them
        result = (radio.from_artist(seed.artist, limit=args.limit) if args.artist
                  else radio.from_track(seed.id, limit=args.limit))
    else:
        result = recommender.for_you(args.limit)
    tracks = {track_id: services.tracks.get(track_id) for track_id in result.track_ids}
    if args.json:
        print(json.dumps({
            "personalised": result.personalised, "note": result.note,
            "tracks": [{"id": item.track_id, "artist": tracks[item.track_id].artist,
                        "title": tracks[item.track_id].title, "reason": item.reason}
                       for item in result.items]}, ensure_ascii=False))
        return 0
    if result.note:
        print(result.note)
    if services.recommender.problem:
        print(services.recommender.problem, file=sys.stderr)
    for item in result.items:
        track = tracks[item.track_id]
        print(f"{track.display_name}  ({item.reason})" if item.reason else track.display_name)
    return 0
