"""Illustrations for the demo articles, drawn by Pillow so the demo needs no photo files."""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1600, 900)
PALETTES = {
    "neurons": ((12, 52, 94), (38, 120, 170), (124, 196, 242), (255, 209, 102)),
    "helix": ((24, 44, 72), (46, 134, 122), (151, 215, 190), (250, 240, 220)),
    "waves": ((58, 36, 92), (120, 80, 160), (232, 160, 190), (255, 236, 214)),
    "hands": ((120, 60, 40), (214, 124, 80), (250, 200, 140), (255, 246, 232)),
    "capitol": ((20, 50, 60), (40, 110, 120), (210, 190, 120), (245, 240, 225)),
    "chart": ((30, 40, 60), (70, 100, 150), (140, 200, 170), (255, 255, 255)),
}


def _gradient(top, bottom):
    width, height = SIZE
    image = Image.new("RGB", SIZE, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / (height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


def _neurons(draw, rng, palette):
    points = [(rng.randint(80, 1520), rng.randint(80, 820)) for _ in range(26)]
    for i, (x, y) in enumerate(points):
        for j in range(i + 1, len(points)):
            u, v = points[j]
            if math.dist((x, y), (u, v)) < 330:
                draw.line([(x, y), (u, v)], fill=palette[2], width=3)
    for x, y in points:
        r = rng.randint(10, 26)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=palette[3], outline=palette[2], width=4)


def _helix(draw, rng, palette):
    for x in range(60, 1560, 40):
        phase = x / 130
        y1, y2 = 450 + 220 * math.sin(phase), 450 - 220 * math.sin(phase)
        draw.line([(x, y1), (x, y2)], fill=palette[2], width=5)
        for y, colour in ((y1, palette[3]), (y2, palette[2])):
            draw.ellipse([x - 14, y - 14, x + 14, y + 14], fill=colour)


def _waves(draw, rng, palette):
    for band in range(9):
        offset = 140 + band * 80
        points = [(x, offset + 50 * math.sin(x / 170 + band * 0.7)) for x in range(0, 1601, 20)]
        draw.line(points, fill=palette[2 + band % 2], width=10, joint="curve")


def _hands(draw, rng, palette):
    for _ in range(14):
        x, y, r = rng.randint(100, 1500), rng.randint(100, 800), rng.randint(60, 200)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=palette[2 + rng.randint(0, 1)], width=12)
    draw.ellipse([650, 300, 950, 600], fill=palette[3])


def _capitol(draw, rng, palette):
    draw.rectangle([380, 560, 1220, 640], fill=palette[3])
    for x in range(440, 1180, 90):
        draw.rectangle([x, 400, x + 40, 560], fill=palette[3])
    draw.rectangle([420, 360, 1180, 400], fill=palette[3])
    draw.pieslice([560, 130, 1040, 610], 180, 360, fill=palette[2])
    draw.rectangle([785, 60, 815, 150], fill=palette[2])


def _chart(draw, rng, palette):
    for x in range(160, 1500, 120):
        draw.line([(x, 120), (x, 780)], fill=palette[1], width=2)
    previous = None
    for i, x in enumerate(range(160, 1500, 120)):
        y = 700 - i * 40 - rng.randint(0, 60)
        if previous:
            draw.line([previous, (x, y)], fill=palette[2], width=10)
        draw.ellipse([x - 16, y - 16, x + 16, y + 16], fill=palette[3])
        previous = (x, y)


MOTIFS = {
    "neurons": _neurons,
    "helix": _helix,
    "waves": _waves,
    "hands": _hands,
    "capitol": _capitol,
    "chart": _chart,
}


def draw_illustration(motif, seed=1):
    """Return JPEG bytes of a 1600 × 900 illustration for `motif`."""
    palette = PALETTES[motif]
    rng = random.Random(seed)
    image = _gradient(palette[0], palette[1])
    glow = Image.new("RGB", SIZE, (0, 0, 0))
    MOTIFS[motif](ImageDraw.Draw(glow), rng, palette)
    glow = glow.filter(ImageFilter.GaussianBlur(18))
    image = Image.blend(image, Image.composite(glow, image, glow.convert("L")), 0.6)
    MOTIFS[motif](ImageDraw.Draw(image), random.Random(seed), palette)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()
