"""Test pictures, made by the tests (Pillow)."""

from __future__ import annotations

import io

from PIL import Image


def png_bytes(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain-coloured PNG file's bytes."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), rgb).save(out, format="PNG")
    return out.getvalue()
