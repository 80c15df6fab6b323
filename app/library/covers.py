"""Cover art for local tracks: embedded pictures saved once by content hash, or a folder image."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from app.library.tags import EmbeddedArt

FOLDER_IMAGE_NAMES = ("cover", "folder", "front", "album", "albumart")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
_MIME_EXTENSIONS = {"image/png": ".png", "image/webp": ".webp"}


def save_embedded(art: EmbeddedArt, covers_dir: Path) -> str | None:
    """Store the picture under its hash (so an album's twelve copies are one file)."""
    if not art.data:
        return None
    digest = hashlib.sha1(art.data).hexdigest()
    target = covers_dir / f"{digest}{_MIME_EXTENSIONS.get(art.mime, '.jpg')}"
    if target.exists():
        return str(target)
    covers_dir.mkdir(parents=True, exist_ok=True)
    # Atomic: a crash never leaves a half-written image under the final name.
    fd, temp = tempfile.mkstemp(dir=covers_dir, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(art.data)
        os.replace(temp, target)
    except OSError:
        Path(temp).unlink(missing_ok=True)
        return None
    return str(target)


def folder_image(directory: Path, names: list[str]) -> str | None:
    """cover.jpg, folder.png, ... in the track's own folder (case-insensitive)."""
    by_lower = {name.lower(): name for name in names}
    for stem in FOLDER_IMAGE_NAMES:
        for ext in IMAGE_EXTENSIONS:
            if stem + ext in by_lower:
                return str(directory / by_lower[stem + ext])
    return None
