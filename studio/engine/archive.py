"""An export ZIP written straight to disk, one image at a time.

Images are copied in blocks into a ZIP under construction in a temporary file (never
built in memory); the manifest rows go to temporary files as they come and are copied
into the ZIP at the end, so memory does not grow with the number of images.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from studio.engine import ad_platforms, ad_sheets, csv_safe
from studio.engine import disclosure as disclosure_mod
from studio.engine.clip_disclosure import clip_with_disclosure, file_sha256

MANIFEST_COLUMNS: tuple[str, ...] = (
    "export_id",
    "variant_id",
    "rendition_id",
    "file",
    "segment_id",
    "segment",
    "format",
    "width",
    "height",
    "bytes",
    "sha256",
    "headline",
    "body",
    "cta",
    "text_fit",
    "alignment",
    "segment_fit",
    "segment_rank",
    "copy_novelty",
    "image_novelty",
    "safety_risk",
    "nsfw_detected",
    "approved_by",
    "approved_at",
    "copywriter_backend",
    "copywriter_model",
    "painter_backend",
    "painter_model",
    "background_asset",
    "scorer_backend",
    "scorer_model",
    "seed",
    "variant_version",
    "ai_generated",
    "digital_source_type",
    # Clips only (empty for still images): animated creatives from the same layers.
    "clip_id",
    "media",
    "seconds",
    "codec",
    "disclosure_embedded",
)
# Scores no model computed read "n/a" in the CSV (null in the JSON), never a number.
SCORE_COLUMNS = frozenset(
    {
        "text_fit",
        "alignment",
        "segment_fit",
        "segment_rank",
        "copy_novelty",
        "image_novelty",
        "safety_risk",
    }
)
SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "manifest.csv": MANIFEST_COLUMNS,
    ad_platforms.GOOGLE_SHEET: ad_sheets.GOOGLE_ADS_COLUMNS,
    ad_platforms.META_SHEET: ad_sheets.META_COLUMNS,
    "skipped.csv": ad_sheets.SKIPPED_COLUMNS,
}
LEFT_OUT_KEPT = 200  # per sheet, for the export page; skipped.csv has them all


class ExportArchive:
    """Use as a context manager; `close()` returns the finished ZIP's path, and leaving
    the block without closing (an error) removes the partial file.

    Call `add_image` for each rendition of a variant, then `add_variant` with the rows
    it returned: the ad-platform sheets are planned per variant (a responsive display
    ad takes a variant's landscape and square images together)."""

    def __init__(self, directory: Path | str):
        Path(directory).mkdir(parents=True, exist_ok=True)
        # A unique name per export: two exports of one campaign never share a file.
        fd, name = tempfile.mkstemp(prefix="export-", suffix=".zip.part", dir=directory)
        os.close(fd)
        self.path = Path(name)
        self.zip = zipfile.ZipFile(self.path, "w", allowZip64=True)
        self._items = tempfile.TemporaryFile("w+", encoding="utf-8", dir=directory)
        self._sheets = {}
        for name, columns in SHEET_COLUMNS.items():
            handle = tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=directory)
            writer = csv_safe.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            self._sheets[name] = (handle, writer)
        self.count = 0
        self.bytes = 0
        # Per ad-platform sheet: rows written and what was left out (first few kept).
        self.sheet_summary = {
            sheet: {"rows": 0, "left_out": 0, "left_out_items": []}
            for sheet in (ad_platforms.GOOGLE_SHEET, ad_platforms.META_SHEET)
        }
        self._closed = False

    def __enter__(self) -> ExportArchive:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self._closed:
            self.abort()

    def add_image(
        self,
        *,
        arcname: str,
        source: Path | str,
        row: dict[str, Any],
        disclosure: disclosure_mod.Disclosure,
        sign: Callable[[bytes], bytes] | None = None,
    ) -> dict[str, Any]:
        """Stream one PNG or JPEG into the ZIP with its disclosure; record its row.

        `sign` (optional) takes the labelled image and returns it with content
        credentials; that image is then held in memory once (renditions are a few MB)."""
        info = zipfile.ZipInfo(arcname, date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED  # PNG and JPEG data are already compressed
        with open(source, "rb") as src:
            # A missing or foreign file fails here, before the ZIP has a partial entry.
            disclosure_mod.check_supported(src)
            if sign is None:
                with self.zip.open(info, "w") as dst:
                    sha256, size = disclosure_mod.copy_with_disclosure(src, dst, disclosure)
            else:
                labelled = io.BytesIO()
                disclosure_mod.copy_with_disclosure(src, labelled, disclosure)
                signed = sign(labelled.getvalue())
                self.zip.writestr(info, signed)
                sha256, size = hashlib.sha256(signed).hexdigest(), len(signed)
        row = {**row, "file": arcname, "sha256": sha256, "bytes": size}
        self._record(row, size)
        return row

    def _record(self, row: dict[str, Any], size: int) -> None:
        item = {column: row.get(column) for column in MANIFEST_COLUMNS}
        self._items.write(("," if self.count else "") + "\n" + json.dumps(item, default=str))
        self._sheets["manifest.csv"][1].writerow(manifest_csv_row(row))
        self.count += 1
        self.bytes += size

    def add_clip(
        self,
        *,
        arcname: str,
        source: Path | str,
        kind: str,
        row: dict[str, Any],
        disclosure: disclosure_mod.Disclosure,
    ) -> dict[str, Any]:
        """One clip (MP4, GIF or WebP) with its disclosure embedded where cheap
        (studio.engine.clip_disclosure), written through a temporary file."""
        with tempfile.TemporaryDirectory(dir=self.path.parent) as tmp:
            labelled = Path(tmp) / f"clip.{kind}"
            how = clip_with_disclosure(source, labelled, kind, disclosure)
            sha256, size = file_sha256(labelled)
            info = zipfile.ZipInfo(arcname, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED  # already compressed
            with open(labelled, "rb") as src, self.zip.open(info, "w") as dst:
                for block in iter(lambda: src.read(1 << 20), b""):
                    dst.write(block)
        row = {**row, "file": arcname, "sha256": sha256, "bytes": size}
        row["disclosure_embedded"] = how
        self._record(row, size)
        return row

    def add_clips(self, rows: list[dict[str, Any]]) -> None:
        """The ad-platform rows of clips, where a platform takes them (ad_sheets)."""
        self._write_plan(ad_sheets.plan_clips(rows))

    def add_variant(self, rows: list[dict[str, Any]], *, business_name: str) -> None:
        """Write one variant's ad-platform rows and what those sheets leave out."""
        if not rows:
            return
        self._write_plan(ad_sheets.plan_variant(rows, business_name=business_name))

    def _write_plan(self, plan: ad_sheets.SheetPlan) -> None:
        for sheet, sheet_rows in plan.rows.items():
            for sheet_row in sheet_rows:
                self._sheets[sheet][1].writerow(sheet_row)
            self.sheet_summary[sheet]["rows"] += len(sheet_rows)
        for skipped in plan.skipped:
            self._sheets["skipped.csv"][1].writerow(skipped)
            summary = self.sheet_summary[skipped["sheet"]]
            summary["left_out"] += 1
            if len(summary["left_out_items"]) < LEFT_OUT_KEPT:
                summary["left_out_items"].append(
                    {k: skipped[k] for k in ("variant_id", "format", "reason")}
                )

    def close(self, *, header: Mapping[str, Any]) -> Path:
        """Write manifest.json (header + items) and the CSV sheets, finish the ZIP."""
        head = json.dumps(dict(header), indent=1, default=str)
        with self.zip.open(_deflated("manifest.json"), "w") as out:
            out.write((head[:-2] + ',\n "items": [').encode())
            _copy_text(self._items, out)
            out.write(b"\n ]\n}\n")
        for name, (handle, _) in self._sheets.items():
            with self.zip.open(_deflated(name), "w") as out:
                _copy_text(handle, out)
        self.zip.close()
        self._close_temps()
        self._closed = True
        return self.path

    def abort(self) -> None:
        self.zip.close()
        self._close_temps()
        self.path.unlink(missing_ok=True)
        self._closed = True

    def _close_temps(self) -> None:
        self._items.close()
        for handle, _ in self._sheets.values():
            handle.close()


def _deflated(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _copy_text(handle: io.TextIOBase, out) -> None:
    handle.seek(0)
    for block in iter(lambda: handle.read(1 << 16), ""):
        out.write(block.encode("utf-8"))


def manifest_csv_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """One flat row: scores no model computed read "n/a"; a structured value is a
    bug in the caller (CSV cells hold no JSON), so it is refused."""
    out = {}
    for column in MANIFEST_COLUMNS:
        value = row.get(column)
        if isinstance(value, dict | list | tuple):
            raise TypeError(f"manifest column {column!r} must be flat, got {type(value).__name__}")
        out[column] = "n/a" if value is None and column in SCORE_COLUMNS else value
    return out
