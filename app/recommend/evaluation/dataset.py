"""Reading the HetRec-style tab-separated files: `user, item, plays` and `item, tag, count`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from app.errors import UsageError


@dataclass(frozen=True)
class Interaction:
    user: str
    item: str
    plays: float


def read_interactions(path: Path) -> list[Interaction]:
    rows = _read_tsv(path, ("user", "item", "plays"))
    interactions = []
    for line_number, row in rows:
        try:
            plays = float(row[2])
        except ValueError:
            raise UsageError(f"{path}: line {line_number}: plays is not a number: {row[2]!r}") from None
        interactions.append(Interaction(row[0], row[1], plays))
    return interactions


def read_item_tags(path: Path) -> dict[str, dict[str, float]]:
    """item -> {tag: how many people gave the item that tag}."""
    tags: dict[str, dict[str, float]] = {}
    for line_number, row in _read_tsv(path, ("item", "tag", "count")):
        try:
            count = float(row[2])
        except ValueError:
            raise UsageError(f"{path}: line {line_number}: count is not a number: {row[2]!r}") from None
        tag = row[1].strip().lower()
        if tag:
            item_tags = tags.setdefault(row[0], {})
            item_tags[tag] = item_tags.get(tag, 0.0) + count
    return tags


def write_interactions(path: Path, interactions: list[Interaction]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("user\titem\tplays\n")
        for row in interactions:
            plays = int(row.plays) if float(row.plays).is_integer() else row.plays
            out.write(f"{row.user}\t{row.item}\t{plays}\n")


def _read_tsv(path: Path, columns: tuple[str, ...]):
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    with handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or [name.strip().lower() for name in header[: len(columns)]] != list(columns):
            raise UsageError(f"{path}: expected a header row '{chr(9).join(columns)}'")
        for line_number, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) < len(columns):
                raise UsageError(f"{path}: line {line_number}: expected {len(columns)} tab-separated fields")
            yield line_number, row
