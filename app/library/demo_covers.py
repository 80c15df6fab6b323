"""Covers for the demo albums that look like album covers: a pattern in the artist's colours
(one motif per artist, varied per album) with the album's title and the artist's name, drawn
with Pillow. The first screen a newcomer sees is made of these."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SIZE = 600  # px: sharp at the largest size the window shows a cover (HiDPI included)


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, int(c * factor))) for c in rgb)


def _motif(draw: ImageDraw.ImageDraw, motif: str, rgb, rng: random.Random) -> None:
    light, pale = _shade(rgb, 1.6), _shade(rgb, 2.2)
    if motif == "sine":  # soft overlapping suns
        for _ in range(7):
            r = rng.randint(80, 260)
            x, y = rng.randint(-50, SIZE), rng.randint(-50, SIZE // 2 + 100)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=light + (70,))
    elif motif == "square":  # a pixel mosaic
        cell = 40
        for gx in range(0, SIZE, cell):
            for gy in range(0, SIZE * 2 // 3, cell):
                if rng.random() < 0.35:
                    draw.rectangle((gx, gy, gx + cell - 4, gy + cell - 4),
                                   fill=(pale if rng.random() < 0.3 else light) + (200,))
    elif motif == "triangle":  # diagonal bands
        for offset in range(-SIZE, SIZE, 90):
            draw.polygon([(offset, 0), (offset + 45, 0), (offset + 45 + SIZE, SIZE),
                          (offset + SIZE, SIZE)], fill=light + (90,))
    elif motif == "pluck":  # rings, like growth rings in wood
        cx, cy = rng.randint(150, 450), rng.randint(100, 300)
        for r in range(30, 700, 34):
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=pale + (110,), width=6)
    else:  # saw: a wire grid with lit nodes
        for x in range(0, SIZE, 60):
            draw.line((x, 0, x, SIZE), fill=light + (90,), width=2)
        for y in range(0, SIZE, 60):
            draw.line((0, y, SIZE, y), fill=light + (90,), width=2)
        for _ in range(14):
            x, y = rng.randrange(0, SIZE, 60), rng.randrange(0, SIZE * 2 // 3, 60)
            draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=pale + (255,))


def _fit(draw: ImageDraw.ImageDraw, text: str, largest: int, width: int):
    """The largest font (down to a third of `largest`) in which text fits the width."""
    size = largest
    while size > largest // 3:
        font = ImageFont.load_default(size)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 2
    return ImageFont.load_default(size)


def demo_cover(album: str, artist: str, motif: str, rgb: tuple[int, int, int], seed: int) -> bytes:
    """A PNG cover for a demo album."""
    rng = random.Random(seed)
    image = Image.new("RGBA", (SIZE, SIZE))
    top, bottom = _shade(rgb, 1.25), _shade(rgb, 0.45)
    gradient = ImageDraw.Draw(image)
    for y in range(SIZE):  # a vertical gradient, darker towards the title
        t = y / SIZE
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        gradient.line((0, y, SIZE, y), fill=colour)
    layer = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    _motif(ImageDraw.Draw(layer), motif, rgb, rng)
    image = Image.alpha_composite(image, layer.filter(ImageFilter.GaussianBlur(1.2)))
    draw = ImageDraw.Draw(image)
    margin = 40
    title_font = _fit(draw, album, 64, SIZE - 2 * margin)
    artist_font = ImageFont.load_default(30)
    draw.text((margin, SIZE - margin - 44), artist.upper(), font=artist_font, fill=(255, 255, 255, 200))
    draw.text((margin, SIZE - margin - 62), album, font=title_font, fill=(255, 255, 255, 255),
              anchor="lb")
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()
