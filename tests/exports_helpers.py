"""Read an export ZIP back and check it file by file against its manifest."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from xml.etree import ElementTree

from PIL import Image

from studio.engine.disclosure import XMP_KEYWORD

SHEETS = {"manifest.json", "manifest.csv", "google_ads.csv", "meta_ads.csv", "skipped.csv"}
IPTC_EXT = "{http://iptc.org/std/Iptc4xmpExt/2008-02-29/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


def read_manifest(zf: zipfile.ZipFile) -> dict:
    return json.loads(zf.read("manifest.json"))


def read_sheet(zf: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(zf.read(name).decode("utf-8"))))


def check_against_manifest(path) -> dict:
    """Every image listed with the right size and sha256, nothing unlisted; the CSV
    manifest says the same as the JSON one. Returns the manifest."""
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        manifest = read_manifest(zf)
        items = manifest["items"]
        names = set(zf.namelist())
        assert names == SHEETS | {item["file"] for item in items}
        for item in items:
            data = zf.read(item["file"])
            assert len(data) == item["bytes"], item["file"]
            assert hashlib.sha256(data).hexdigest() == item["sha256"], item["file"]
        rows = read_sheet(zf, "manifest.csv")
        assert [(r["file"], r["sha256"], int(r["bytes"])) for r in rows] == [
            (i["file"], i["sha256"], i["bytes"]) for i in items
        ]
    return manifest


def digital_source_type_from_xmp(xmp: str | bytes) -> str:
    root = ElementTree.fromstring(xmp)
    description = root.find(f"{RDF}RDF/{RDF}Description")
    return description.get(f"{IPTC_EXT}DigitalSourceType")


def read_disclosure(zf: zipfile.ZipFile, name: str) -> tuple[Image.Image, dict]:
    """The image and what its metadata says about how it was made, read back as a
    reader would: PNG iTXt chunks, or a JPEG's XMP (APP1) and COM segments."""
    image = Image.open(io.BytesIO(zf.read(name)))
    image.load()
    if image.format == "JPEG":
        text = {"AI Disclosure": image.info.get("comment", b"").decode()}
        xmp = image.info["xmp"]
    else:
        text = dict(image.text)
        xmp = image.info[XMP_KEYWORD]
    return image, {"text": text, "xmp_source_type": digital_source_type_from_xmp(xmp)}


def every_csv_cell(zf: zipfile.ZipFile):
    """(sheet, cell) for every cell of every CSV in the ZIP, headers included."""
    for name in zf.namelist():
        if name.endswith(".csv"):
            for row in csv.reader(io.StringIO(zf.read(name).decode("utf-8"))):
                for cell in row:
                    yield name, cell
