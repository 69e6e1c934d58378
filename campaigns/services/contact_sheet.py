"""One PNG of a round's renditions: a row per variant, a column per format, each with
its template and checks underneath, so anyone can look at a round at a glance."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw, ImageFont

from campaigns.models import GenerationJob, Rendition
from studio.engine.checks import LABELS, failed
from studio.engine.textfit import default_font

ROW_HEIGHT = 300
MAX_CELL_WIDTH = 440
GAP = 16
LABEL = 50
BACKGROUND = (246, 245, 242)


def _cell_size(rendition: Rendition) -> tuple[int, int]:
    """One scale per format, never enlarged: a banner stays a banner, not a billboard."""
    scale = min(1.0, ROW_HEIGHT / rendition.height, MAX_CELL_WIDTH / rendition.width)
    return max(1, round(rendition.width * scale)), max(1, round(rendition.height * scale))


def _thumb(rendition: Rendition, size) -> Image.Image:
    with Image.open(rendition.image.path) as opened:
        return opened.convert("RGB").resize(size, Image.Resampling.LANCZOS)


def contact_sheet_build(*, job: GenerationJob, format_slug: str | None = None) -> Image.Image:
    """A row per variant; with one format, the variants fill a grid instead (about as
    many columns as rows). Raises ValueError when the round has no renditions (in that
    format)."""
    renditions = Rendition.objects.filter(variant__job=job).select_related("format", "variant")
    if format_slug:
        renditions = renditions.filter(format__slug=format_slug)
    rows: dict[int, list[Rendition]] = {}
    for rendition in renditions.order_by("variant__segment_id", "variant__index", "-format__width"):
        rows.setdefault(rendition.variant_id, []).append(rendition)
    if not rows:
        what = f" in format {format_slug!r}" if format_slug else ""
        raise ValueError(f"Job {job.pk} has no renditions{what}.")
    if format_slug:
        cells = [r for row in rows.values() for r in row]
        columns = math.ceil(math.sqrt(len(cells)))
        rows = {k: cells[k : k + columns] for k in range(0, len(cells), columns)}
    # Tall formats get a shorter cell so a row stays one height and no format dominates.
    widths = [sum(max(_cell_size(r)[0], 190) + GAP for r in row) + GAP for row in rows.values()]
    sheet = Image.new(
        "RGB", (max(widths), len(rows) * (ROW_HEIGHT + LABEL + GAP) + GAP), BACKGROUND
    )
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(default_font("regular"), 13)
    bold = ImageFont.truetype(default_font("bold"), 13)
    y = GAP
    for row in rows.values():
        x = GAP
        for rendition in row:
            size = _cell_size(rendition)
            sheet.paste(_thumb(rendition, size), (x, y))
            draw.rectangle((x - 1, y - 1, x + size[0], y + size[1]), outline=(210, 208, 204))
            bad = failed((rendition.layout or {}).get("checks", {}))
            template = (rendition.layout or {}).get("template", "").split("/")[-1]
            title = f"#{rendition.variant_id} {rendition.format.slug}"
            label_y = y + ROW_HEIGHT + 4
            draw.text((x, label_y), title, font=bold, fill=(28, 25, 23))
            status = "all checks pass" if not bad else ", ".join(LABELS.get(c, c) for c in bad)
            colour = (21, 128, 61) if not bad else (185, 28, 28)
            for i, line in enumerate((template, status)):
                draw.text((x, label_y + 15 + 14 * i), line[:48], font=font, fill=colour)
            x += max(size[0], 190) + GAP
        y += ROW_HEIGHT + LABEL + GAP
    return sheet
