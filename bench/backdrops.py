"""Milliseconds per backdrop, per style and format (the painter runs for every format of
every variant, so this is the number that matters offline).

    .venv/bin/python bench/backdrops.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studio.engine.painter.backdrop import STYLES, paint_one  # noqa: E402
from studio.engine.types import BackgroundRequest  # noqa: E402

FORMATS = [(1080, 1080), (1080, 1920), (1200, 628), (728, 90), (160, 600), (300, 250)]
PALETTE = ("#14532D", "#F97316", "#F5F5F4", "#1C1917")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    header = "style".ljust(10) + "".join(f"{w}x{h}".rjust(11) for w, h in FORMATS)
    print(header + "   (median CPU ms)")
    for style in STYLES:
        cells = []
        for width, height in FORMATS:
            times = []
            for seed in range(args.repeat + 1):
                request = BackgroundRequest(
                    concept="", seed=seed, width=width, height=height, palette=PALETTE, style=style
                )
                # CPU time of this process: on a shared box, wall time mostly measures
                # the neighbours (the painter is single-threaded numpy and Pillow).
                started = time.process_time()
                paint_one(request)
                times.append((time.process_time() - started) * 1000)
            cells.append(statistics.median(times[1:]))  # the first pays for warm-up
        print(style.ljust(10) + "".join(f"{ms:11.1f}" for ms in cells))


if __name__ == "__main__":
    main()
