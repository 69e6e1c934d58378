"""An export ZIP written straight to disk, one image at a time.

Images are copied in blocks into a ZIP under construction in a temporary file (never
built in memory); the manifest rows go to temporary files as they come and are copied
into the ZIP at the end, so memory does not grow with the number of images.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from studio.engine import ad_platforms, disclosure

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
    "safety",
    "nsfw_detected",
    "approved_by",
    "approved_at",
    "copywriter",
    "painter",
    "background_asset",
    "scorer",
    "seed",
    "variant_version",
    "ai_generated",
    "digital_source_type",
)
SCORE_COLUMNS = frozenset(
    {"text_fit", "alignment", "segment_fit", "segment_rank", "copy_novelty", "image_novelty"}
)
SHEETS: dict[str, tuple[tuple[str, ...], Callable[[Mapping[str, Any]], dict[str, str]]]] = {
    "manifest.csv": (MANIFEST_COLUMNS, lambda row: manifest_csv_row(row)),
    "google_ads.csv": (ad_platforms.GOOGLE_ADS_COLUMNS, ad_platforms.google_ads_row),
    "meta_ads.csv": (ad_platforms.META_COLUMNS, ad_platforms.meta_row),
}


class ExportArchive:
    """Use as a context manager; `close()` returns the finished ZIP's path, and leaving
    the block without closing (an error) removes the partial file."""

    def __init__(self, directory: Path | str):
        Path(directory).mkdir(parents=True, exist_ok=True)
        # A unique name per export: two exports of one campaign never share a file.
        fd, name = tempfile.mkstemp(prefix="export-", suffix=".zip.part", dir=directory)
        os.close(fd)
        self.path = Path(name)
        self.zip = zipfile.ZipFile(self.path, "w", allowZip64=True)
        self._items = tempfile.TemporaryFile("w+", encoding="utf-8", dir=directory)
        self._sheets = {}
        for name, (columns, _) in SHEETS.items():
            handle = tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=directory)
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            self._sheets[name] = (handle, writer)
        self.count = 0
        self.bytes = 0
        self._closed = False

    def __enter__(self) -> ExportArchive:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self._closed:
            self.abort()

    def add_png(self, *, arcname: str, source: Path | str, row: dict[str, Any], chunks: bytes):
        """Stream one PNG into the ZIP with the disclosure chunks; record its row."""
        info = zipfile.ZipInfo(arcname, date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED  # PNG data is already deflated
        with open(source, "rb") as src, self.zip.open(info, "w") as dst:
            sha256, size = disclosure.copy_with_chunks(src, dst, chunks)
        row = {**row, "file": arcname, "sha256": sha256, "bytes": size}
        self._items.write(("," if self.count else "") + "\n" + json.dumps(row, default=str))
        for name, (_, to_row) in SHEETS.items():
            self._sheets[name][1].writerow(to_row(row))
        self.count += 1
        self.bytes += size
        return row

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


def manifest_csv_row(row: Mapping[str, Any]) -> dict[str, str]:
    """Scores no model computed read "n/a", never a number; dicts as JSON."""
    out = {}
    for column in MANIFEST_COLUMNS:
        value = row.get(column)
        if value is None:
            out[column] = "n/a" if column in SCORE_COLUMNS or column == "safety" else ""
        elif isinstance(value, dict | list):
            out[column] = json.dumps(value, sort_keys=True)
        else:
            out[column] = str(value)
    return out
