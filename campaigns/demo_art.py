"""The demo's product photo and logo, drawn by this code (so they ship under the project's
own licence, no third-party image): a trail-running shoe seen from the side, on a
transparent background, and a Trailhead Outfitters wordmark.

Drawn at twice the size and scaled down, so every edge is antialiased.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from studio.engine.textfit import default_font

S = 2  # supersampling factor
W, H = 1200, 620
UPPER = (232, 93, 36)  # orange mesh
UPPER_DARK = (176, 58, 20)
OVERLAY = (20, 83, 45)  # brand green
MIDSOLE = (240, 236, 226)
OUTSOLE = (38, 38, 44)
LACE = (245, 245, 240)


def _bezier(points, steps=24):
    """Points along a chain of quadratic Béziers through midpoints (a smooth outline)."""
    out = []
    pts = [np.array(p, float) for p in points]
    for i in range(1, len(pts) - 1):
        a = (pts[i - 1] + pts[i]) / 2 if i > 1 else pts[0]
        c = (pts[i] + pts[i + 1]) / 2 if i < len(pts) - 2 else pts[-1]
        for t in np.linspace(0, 1, steps, endpoint=False):
            out.append(tuple(((1 - t) ** 2 * a + 2 * (1 - t) * t * pts[i] + t**2 * c) * S))
    out.append(tuple(pts[-1] * S))
    return out


def _shape(points) -> Image.Image:
    mask = Image.new("L", (W * S, H * S), 0)
    ImageDraw.Draw(mask).polygon(_bezier(points), fill=255)
    return mask


def _vertical_shade(colour_top, colour_bottom, top, bottom) -> Image.Image:
    ys = np.clip((np.arange(H * S) / S - top) / max(1, bottom - top), 0, 1)[:, None, None]
    rgb = np.array(colour_top) * (1 - ys) + np.array(colour_bottom) * ys
    return Image.fromarray(np.broadcast_to(rgb, (H * S, W * S, 3)).astype(np.uint8), "RGB")


def _paint(canvas: Image.Image, fill, mask: Image.Image) -> None:
    layer = fill if isinstance(fill, Image.Image) else Image.new("RGB", canvas.size, fill)
    canvas.paste(layer, (0, 0), mask)


def _mesh(mask: Image.Image) -> Image.Image:
    """A fine diamond mesh texture inside mask, as a darkening alpha."""
    ys, xs = np.mgrid[0 : H * S, 0 : W * S]
    period = 9 * S
    pattern = ((xs + ys) % period < S * 1.5) | ((xs - ys) % period < S * 1.5)
    alpha = (pattern * 38).astype(np.uint8)
    return ImageChops.multiply(Image.fromarray(alpha, "L"), mask)


def draw_shoe() -> Image.Image:
    canvas = Image.new("RGB", (W * S, H * S), (0, 0, 0))
    alpha = Image.new("L", (W * S, H * S), 0)
    outsole = _shape([(66, 490), (62, 540), (110, 566), (600, 572), (1000, 552), (1130, 496),
                      (1150, 462), (1100, 480), (66, 490)])  # fmt: skip
    midsole = _shape([(62, 380), (52, 470), (86, 525), (600, 532), (990, 516), (1124, 472),
                      (1142, 432), (1060, 420), (500, 440), (62, 380)])  # fmt: skip
    upper = _shape([(80, 395), (70, 250), (120, 150), (230, 120), (330, 190), (420, 110),
                    (520, 60), (600, 150), (760, 250), (930, 300), (1090, 360), (1130, 430),
                    (1050, 440), (500, 450), (80, 395)])  # fmt: skip
    for mask in (upper, midsole, outsole):
        alpha = ImageChops.lighter(alpha, mask)
    _paint(canvas, _vertical_shade(UPPER, UPPER_DARK, 90, 450), upper)
    _paint(canvas, (0, 0, 0), _mesh(upper))  # mesh texture darkens a little
    heel = ImageChops.multiply(upper, _shape([(60, 420), (60, 230), (110, 200), (190, 250),
                                              (240, 340), (230, 430), (60, 420)]))  # fmt: skip
    _paint(canvas, _vertical_shade((34, 110, 64), OVERLAY, 140, 430), heel)
    toe = ImageChops.multiply(upper, _shape([(880, 460), (900, 330), (1000, 330), (1100, 370),
                                             (1140, 440), (880, 460)]))  # fmt: skip
    _paint(canvas, _vertical_shade((34, 110, 64), OVERLAY, 320, 450), toe)
    stripe = ImageChops.multiply(upper, _shape([(300, 420), (420, 300), (640, 230), (700, 250),
                                                (520, 340), (420, 430), (300, 420)]))  # fmt: skip
    _paint(canvas, (250, 204, 21), stripe)
    _paint(canvas, _vertical_shade((252, 250, 245), (214, 208, 196), 380, 530), midsole)
    _paint(canvas, OUTSOLE, outsole)
    draw = ImageDraw.Draw(canvas)
    _lugs(draw, alpha)
    _laces(draw)
    # Collar lining and pull tab.
    draw.ellipse((235 * S, 112 * S, 345 * S, 172 * S), fill=(30, 30, 34))
    draw.rounded_rectangle((62 * S, 150 * S, 92 * S, 230 * S), 8 * S, fill=(250, 204, 21))
    # A soft highlight along the top of the upper: the light comes from above left.
    light = _shape([(140, 170), (330, 205), (520, 80), (580, 160), (760, 265), (520, 120),
                    (330, 225), (140, 190)]).filter(ImageFilter.GaussianBlur(10 * S))  # fmt: skip
    light = ImageChops.multiply(light, upper).point(lambda v: v * 45 // 255)
    _paint(canvas, (255, 255, 255), light)
    shoe = canvas.convert("RGBA")
    shoe.putalpha(alpha)
    return shoe.resize((W, H), Image.Resampling.LANCZOS)


def _lugs(draw: ImageDraw.ImageDraw, alpha: Image.Image) -> None:
    """Chunky lugs under the outsole: what makes it a trail shoe."""
    adraw = ImageDraw.Draw(alpha)
    for x in range(110, 1080, 58):
        y = 558 if x < 900 else 558 - (x - 900) * 0.42
        box = (x * S, (y - 8) * S, (x + 34) * S, (y + 16) * S)
        draw.rounded_rectangle(box, 5 * S, fill=OUTSOLE)
        adraw.rounded_rectangle(box, 5 * S, fill=255)


def _laces(draw: ImageDraw.ImageDraw) -> None:
    # Eyelets run down the instep; each lace crosses over the tongue to the far side.
    eyelets = [(455 + i * 62, 175 + i * 30) for i in range(6)]
    for x, y in eyelets:
        draw.line([(x * S, y * S), ((x - 34) * S, (y - 62) * S)], fill=LACE, width=10 * S)
    for x, y in eyelets:
        draw.ellipse(((x - 8) * S, (y - 8) * S, (x + 8) * S, (y + 8) * S), fill=(25, 25, 28))
        draw.ellipse(((x - 3) * S, (y - 3) * S, (x + 3) * S, (y + 3) * S), fill=(120, 120, 120))


def draw_logo() -> Image.Image:
    """A mountain mark and the TRAILHEAD wordmark, brand green on transparent."""
    w, h = 660 * S, 140 * S
    logo = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.polygon([(10 * S, 125 * S), (70 * S, 20 * S), (130 * S, 125 * S)], fill=(*OVERLAY, 255))
    draw.polygon([(70 * S, 125 * S), (115 * S, 55 * S), (160 * S, 125 * S)],
                 fill=(249, 115, 22, 255))  # fmt: skip
    draw.polygon([(55 * S, 46 * S), (70 * S, 20 * S), (85 * S, 46 * S)], fill=(245, 245, 244, 255))
    font = ImageFont.truetype(default_font("bold"), 64 * S)
    draw.text((180 * S, 18 * S), "TRAILHEAD", font=font, fill=(*OVERLAY, 255))
    small = ImageFont.truetype(default_font("regular"), 26 * S)
    draw.text((184 * S, 92 * S), "OUTFITTERS", font=small, fill=(28, 25, 23, 255))
    return logo.resize((w // S, h // S), Image.Resampling.LANCZOS)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
