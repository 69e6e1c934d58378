"""Contact sheet of painting around the product, offline: per format (rows) the backdrop
painter's paint_around, a variation at strength 0 (the stored layer back) and at 0.6
(a new set, same style and colours), and the outpainting geometry the diffusion painter
uses (a square master placed so its product box lands on the format's: green = master
pixels kept exactly, red = margins the model paints, white = product box).

    .venv/bin/python bench/paint_around_sheet.py [--out /tmp/paint_around.png] [--seed 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.backdrop_sheet import FONT, sample_product  # noqa: E402
from studio.engine.painter import outpaint  # noqa: E402
from studio.engine.painter.backdrop import BackdropPainter  # noqa: E402
from studio.engine.painter.backdrop_kit import floor_for_aspect  # noqa: E402
from studio.engine.painter.product import open_product, product_box_for  # noqa: E402
from studio.engine.types import BackgroundRequest  # noqa: E402

COLOURS = (("background", "#F5F5F4"), ("accent", "#F97316"), ("text", "#14532D"))
SIZES = [(1080, 1080), (1080, 1920), (1200, 628), (728, 90)]
COLUMNS = ("paint_around", "variation 0.0", "variation 0.6", "outpaint geometry")
SCALE = 0.18
SIDE = 512  # the master's side (SD 1.5's native size)


def geometry_tile(requests, request, master: Image.Image) -> Image.Image:
    """The master placed on the format, the kept region and the painted margins marked."""
    size = (request.width, request.height)
    mbox = outpaint.master_box(requests, SIDE)
    placement = outpaint.place(mbox, SIDE, request.product_box, size)
    base = outpaint.master_on_canvas(master, placement, size)
    cover = placement.cover(size)
    mask = outpaint.margin_mask(size, cover)
    red = Image.new("RGB", size, (220, 38, 38))
    tile = Image.composite(Image.blend(base, red, 0.55), base, mask)
    draw = ImageDraw.Draw(tile)
    line = max(2, round(3 / SCALE / 2))
    draw.rectangle(
        (cover[0], cover[1], cover[2] - 1, cover[3] - 1), outline=(22, 163, 74), width=line
    )
    draw.rectangle(request.product_box, outline=(255, 255, 255), width=line)
    return tile


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="/tmp/paint_around.png")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    font = ImageFont.truetype(str(FONT), 15)
    col_w = max(round(w * SCALE) for w, _ in SIZES)
    rows_h = [max(round(h * SCALE), 16) for _, h in SIZES]
    label_h, gap = 24, 6
    sheet = Image.new(
        "RGB", (len(COLUMNS) * (col_w + gap), label_h + sum(rows_h) + gap * 4), "white"
    )
    draw = ImageDraw.Draw(sheet)
    for column, title in enumerate(COLUMNS):
        draw.text((column * (col_w + gap) + 4, 3), title, fill=(30, 30, 30), font=font)
    painter = BackdropPainter()
    with tempfile.TemporaryDirectory() as tmp:
        product_path = Path(tmp) / "bottle.png"
        sample_product(product_path)
        product = open_product(str(product_path))
        requests = [
            BackgroundRequest(
                "a bottle on a podium",
                args.seed,
                w,
                h,
                colours=COLOURS,
                product_path=str(product_path),
                product_box=product_box_for(product.size, (w, h), floor_for_aspect(w, h)),
            )  # fmt: skip
            for w, h in SIZES
        ]
        master = painter.paint_around([replace(requests[0], width=SIDE, height=SIDE,
                                               product_box=outpaint.master_box(requests, SIDE))])  # fmt: skip
        y = label_h
        for request, row_h in zip(requests, rows_h, strict=True):
            baked = painter.paint_around([request])[0]
            layer = Path(tmp) / f"{request.width}x{request.height}.png"
            baked.image.save(layer)
            ask = replace(request, init_path=str(layer))
            kept, moved = painter.paint_variations(
                [replace(ask, strength=0.0), replace(ask, strength=0.6)]
            )
            tiles = [
                baked.image,
                kept.image,
                moved.image,
                geometry_tile(requests, request, master[0].image),
            ]
            for column, tile in enumerate(tiles):
                small = tile.resize((round(request.width * SCALE), row_h), Image.Resampling.LANCZOS)
                sheet.paste(small, (column * (col_w + gap), y))
            y += row_h + gap
    sheet.save(args.out, optimize=True)
    print(args.out, sheet.size)


if __name__ == "__main__":
    main()
