"""Server cover art, fetched when first shown and kept on disk within a size cap.

File names are a hash of server and cover id (nothing the server sends becomes a path), the
content must really be an image, writes are atomic, and the least recently used pictures go
first when the cap is reached.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from app.catalog.client import SubsonicClient
from app.errors import CatalogError

DEFAULT_CAP_BYTES = 200 * 1024 * 1024
MAX_PICTURE_BYTES = 15 * 1024 * 1024
_MAGIC = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG\r\n\x1a\n", ".png"), (b"GIF8", ".gif"),
          (b"RIFF", ".webp"))


def image_extension(data: bytes) -> str | None:
    for magic, extension in _MAGIC:
        if data.startswith(magic) and (extension != ".webp" or data[8:12] == b"WEBP"):
            return extension
    return None


class CoverCache:
    def __init__(self, directory: Path, cap_bytes: int = DEFAULT_CAP_BYTES):
        self.directory = directory
        self.cap_bytes = cap_bytes
        self._lock = threading.Lock()

    def _stem(self, server: str, cover_id: str) -> str:
        return hashlib.sha256(f"{server}\x00{cover_id}".encode()).hexdigest()[:40]

    def cached(self, server: str, cover_id: str) -> Path | None:
        stem = self._stem(server, cover_id)
        for _, extension in _MAGIC:
            path = self.directory / f"{stem}{extension}"
            if path.exists():
                os.utime(path)  # recently used
                return path
        return None

    def get(self, client: SubsonicClient, cover_id: str, size: int = 600) -> Path:
        """The picture's file, downloading it on first use (call off the GUI thread)."""
        found = self.cached(client.name, cover_id)
        if found is not None:
            return found
        data, _ = client.download("getCoverArt", MAX_PICTURE_BYTES, id=cover_id, size=size)
        extension = image_extension(data)
        if extension is None:
            raise CatalogError(f"{client.name} sent cover art that is not a picture.")
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{self._stem(client.name, cover_id)}{extension}"
        fd, temp = tempfile.mkstemp(dir=self.directory, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            with self._lock:
                self._make_room(len(data))
                os.replace(temp, target)
        finally:
            Path(temp).unlink(missing_ok=True)
        return target

    def _make_room(self, incoming: int) -> None:
        files = [p for p in self.directory.iterdir() if p.suffix != ".part" and p.is_file()]
        total = sum(p.stat().st_size for p in files) + incoming
        for path in sorted(files, key=lambda p: p.stat().st_mtime):  # oldest use first
            if total <= self.cap_bytes:
                break
            total -= path.stat().st_size
            path.unlink(missing_ok=True)

    def usage_bytes(self) -> int:
        if not self.directory.exists():
            return 0
        return sum(p.stat().st_size for p in self.directory.iterdir() if p.is_file())
