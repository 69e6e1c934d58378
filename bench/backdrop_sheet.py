"""Contact sheet of the backdrop styles at three formats, a sample product standing on
each floor line (docs/backdrops.png in the README).

    .venv/bin/python bench/backdrop_sheet.py [--out docs/backdrops.png] [--seed 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.engine.painter.backdrop import STYLES, BackdropPainter  # noqa: E402
from studio.engine.types import ImageRequest  # noqa: E402

PALETTE = ("#14532D", "#F97316", "#F5F5F4", "#1C1917")  # the demo brand
SIZES = [(1080, 1080), (1080, 1920), (1200, 628)]
SCALE = 0.16
FONT = ROOT / "static" / "fonts" / "DejaVuSans-Bold.ttf"


def sample_product(path: Path) -> None:
    """A bottle cut-out (RGBA) with a little cylindrical shading."""
    width, height = 300, 640
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((40, 160, 260, 630), 40, fill=(240, 240, 236, 255))
    draw.rectangle((110, 60, 190, 170), fill=(235, 235, 230, 255))
    draw.rounded_rectangle((100, 10, 200, 80), 12, fill=(30, 30, 32, 255))
    draw.rectangle((60, 330, 240, 470), fill=(249, 115, 22, 255))
    pixels = np.asarray(image).astype(np.float32)
    x = np.linspace(-1, 1, width)[None, :]
    pixels[..., :3] *= (0.72 + 0.28 * np.sqrt(np.clip(1 - x**2, 0, 1)))[..., None]
    Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "backdrops.png"))
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    font = ImageFont.truetype(str(FONT), 15)
    label_h, gap = 24, 6
    col_w = max(round(w * SCALE) for w, _ in SIZES)
    rows_h = [round(h * SCALE) for _, h in SIZES]
    width = len(STYLES) * (col_w + gap)
    height = label_h + sum(h + gap for h in rows_h)
    sheet = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(sheet)
    with tempfile.TemporaryDirectory() as tmp:
        product = Path(tmp) / "bottle.png"
        sample_product(product)
        painter = BackdropPainter()
        for column, style in enumerate(STYLES):
            x = column * (col_w + gap)
            draw.text((x + 4, 3), style, fill=(30, 30, 30), font=font)
            y = label_h
            for (fmt_w, fmt_h), row_h in zip(SIZES, rows_h, strict=True):
                request = ImageRequest(
                    prompt=f"a {style} set",
                    seed=args.seed + column,
                    width=fmt_w,
                    height=fmt_h,
                    palette=PALETTE,
                    product_image_path=str(product),
                )
                image = painter.paint_on_set(request, style=style).image
                tile = image.resize((round(fmt_w * SCALE), row_h), Image.Resampling.LANCZOS)
                sheet.paste(tile, (x, y))
                y += row_h + gap
    sheet.save(args.out, optimize=True)
    print(args.out, sheet.size, Path(args.out).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
