"""How an exported image was made, written into the file without decoding the image.

Each image is labelled with the IPTC digital source type that matches its lineage
(cv.iptc.org/newscodes/digitalsourcetype):

| painter                        | no real photo            | a real photo composited (product / library photo) |
|--------------------------------|--------------------------|---------------------------------------------------|
| trained model (diffusers)      | trainedAlgorithmicMedia  | compositeWithTrainedAlgorithmicMedia              |
| procedural (no trained model)  | algorithmicMedia         | compositeSynthetic                                |

PNG: iTXt chunks right after IHDR (a plain-language disclosure, the source type, and
an XMP packet under keyword "XML:com.adobe.xmp", the place Adobe's XMP spec gives PNG).
JPEG: the XMP packet in an APP1 segment ("http://ns.adobe.com/xap/1.0/") and the
disclosure as a COM segment, after SOI/APP0. Either way the pixel data is copied
through in blocks, so memory stays flat whatever the image size.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO
from xml.sax.saxutils import escape, quoteattr

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = IPTC + "trainedAlgorithmicMedia"
COMPOSITE_TRAINED = IPTC + "compositeWithTrainedAlgorithmicMedia"
ALGORITHMIC = IPTC + "algorithmicMedia"
COMPOSITE_SYNTHETIC = IPTC + "compositeSynthetic"
DESCRIPTIONS = {
    TRAINED: "AI-generated advertising image: the picture was made by a trained "
    "generative model ({model})",
    COMPOSITE_TRAINED: "Advertising image combining a real photo (product or brand library) "
    "with parts made by a trained generative model ({model})",
    ALGORITHMIC: "Computer-generated advertising image: the picture was drawn by a "
    "procedural algorithm ({model}), no trained model",
    COMPOSITE_SYNTHETIC: "Advertising image combining a real photo (product or brand library) "
    "with a background drawn by a procedural algorithm ({model}), no trained model",
}
# Painter backends that run no trained model; any other backend counts as trained.
UNTRAINED_PAINTERS = frozenset({"procedural", "backdrop", "library"})
# Lineage keys that say a real photo went into the image.
PHOTO_KEYS = ("product_box", "product_path", "product", "asset_path", "asset")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SOI = b"\xff\xd8"
XMP_KEYWORD = "XML:com.adobe.xmp"
XMP_APP1_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
DISCLOSURE_KEYWORD = "AI Disclosure"
SOURCE_TYPE_KEYWORD = "DigitalSourceType"
BLOCK = 1 << 16
TEXT_CHUNKS = (b"tEXt", b"iTXt", b"zTXt")
OUR_KEYWORDS = tuple(
    k.encode("latin-1") for k in (XMP_KEYWORD, DISCLOSURE_KEYWORD, SOURCE_TYPE_KEYWORD)
)


class NotAPng(ValueError):
    pass


class UnsupportedImage(ValueError):
    """Neither PNG nor JPEG: no place known to put the disclosure."""


@dataclass(frozen=True)
class Disclosure:
    source_type: str
    description: str
    creator_tool: str = "Creative Studio"

    @property
    def trained_model(self) -> bool:
        return self.source_type in (TRAINED, COMPOSITE_TRAINED)

    @property
    def term(self) -> str:
        return self.source_type.removeprefix(IPTC)


def source_type_for(lineage: Mapping[str, Any], layout: Mapping[str, Any] | None = None) -> str:
    """The IPTC digital source type of a variant's image, from its lineage (painter
    backend, photos used) and its rendition's layout (a placed product layer)."""
    painter = lineage.get("painter") or {}
    image = lineage.get("image") or {}
    backend = image.get("backend") or painter.get("backend")
    trained = backend not in UNTRAINED_PAINTERS
    photo = (
        any(image.get(key) for key in PHOTO_KEYS)
        or image.get("source") in ("library", "asset", "photo")
        or "product" in ((layout or {}).get("boxes") or {})
    )
    if trained:
        return COMPOSITE_TRAINED if photo else TRAINED
    return COMPOSITE_SYNTHETIC if photo else ALGORITHMIC


def public_name(name: Any) -> str:
    """A model or backend name fit to leave the studio: a local path is cut to its
    last part (a hub id such as "stabilityai/sd-turbo" is kept)."""
    text = str(name or "").strip()
    looks_local = text.startswith(("/", "~", ".", "\\")) or text.count("/") > 1 or ":\\" in text
    return text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] if looks_local else text


def disclosure_for(
    lineage: Mapping[str, Any], layout: Mapping[str, Any] | None = None, *, variant_id: Any = ""
) -> Disclosure:
    source_type = source_type_for(lineage, layout)
    painter = lineage.get("painter") or {}
    model = public_name(painter.get("model") or painter.get("backend") or "unknown painter")
    text = DESCRIPTIONS[source_type].format(model=model)
    return Disclosure(source_type, f"{text}; copy generated, human-approved. Variant {variant_id}.")


def xmp_packet(disclosure: Disclosure) -> str:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        f"    Iptc4xmpExt:DigitalSourceType={quoteattr(disclosure.source_type)}\n"
        f"    xmp:CreatorTool={quoteattr(disclosure.creator_tool)}>\n"
        "   <dc:description><rdf:Alt>"
        f'<rdf:li xml:lang="x-default">{escape(disclosure.description)}</rdf:li>'
        "</rdf:Alt></dc:description>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    )


def itxt_chunk(keyword: str, text: str) -> bytes:
    """An uncompressed iTXt chunk (PNG spec 11.3.4.5), CRC included."""
    # keyword NUL, compression flag 0, method 0, empty language tag NUL,
    # empty translated keyword NUL, then the UTF-8 text.
    data = keyword.encode("latin-1") + b"\x00" + b"\x00\x00" + b"\x00" + b"\x00" + text.encode()
    body = b"iTXt" + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_chunks(disclosure: Disclosure) -> bytes:
    return b"".join(
        [
            itxt_chunk(DISCLOSURE_KEYWORD, disclosure.description),
            itxt_chunk(SOURCE_TYPE_KEYWORD, disclosure.source_type),
            itxt_chunk(XMP_KEYWORD, xmp_packet(disclosure)),
        ]
    )


def jpeg_segments(disclosure: Disclosure) -> bytes:
    xmp = XMP_APP1_HEADER + xmp_packet(disclosure).encode()
    comment = f"{DISCLOSURE_KEYWORD}: {disclosure.description}".encode()
    return _segment(0xE1, xmp) + _segment(0xFE, comment)


def _segment(marker: int, payload: bytes) -> bytes:
    if len(payload) > 0xFFFF - 2:
        raise ValueError("JPEG segment payload over 65,533 bytes")
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def check_supported(src: BinaryIO) -> None:
    """Refuse anything but PNG or JPEG before a byte is written anywhere (the stream is
    left at its start)."""
    head = src.read(8)
    src.seek(0)
    if head != PNG_SIGNATURE and head[:2] != JPEG_SOI:
        raise UnsupportedImage("not a PNG or JPEG file")


def copy_with_disclosure(src: BinaryIO, dst: BinaryIO, disclosure: Disclosure) -> tuple[str, int]:
    """Copy a PNG or JPEG from src to dst with the disclosure written in; return the
    sha256 and size of what was written."""
    sink = _Sink(dst)
    head = src.read(2)
    if head == PNG_SIGNATURE[:2]:
        _copy_png(head, src, sink, png_chunks(disclosure))
    elif head == JPEG_SOI:
        _copy_jpeg(src, sink, jpeg_segments(disclosure))
    else:
        raise UnsupportedImage("not a PNG or JPEG file")
    for block in iter(lambda: src.read(BLOCK), b""):
        sink.write(block)
    return sink.digest.hexdigest(), sink.size


class _Sink:
    def __init__(self, dst: BinaryIO):
        self.dst, self.digest, self.size = dst, hashlib.sha256(), 0

    def write(self, block: bytes) -> None:
        self.digest.update(block)
        self.dst.write(block)
        self.size += len(block)


def _copy_png(head: bytes, src: BinaryIO, sink: _Sink, chunks: bytes) -> None:
    head += src.read(16 - len(head))
    if len(head) < 16 or head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":
        raise NotAPng("not a PNG file (no signature and IHDR chunk)")
    (ihdr_length,) = struct.unpack(">I", head[8:12])
    for block in (head, src.read(ihdr_length + 4), chunks):  # IHDR data + CRC
        sink.write(block)
    # Renditions are encoded with a disclosure already; one label per file: ours.
    while len(header := src.read(8)) == 8:
        (length,) = struct.unpack(">I", header[:4])
        kind = header[4:8]
        if kind == b"IDAT":
            sink.write(header)
            return
        body = src.read(length + 4)  # data + CRC
        if kind in TEXT_CHUNKS and body.split(b"\0", 1)[0] in OUR_KEYWORDS:
            continue
        sink.write(header + body)
    sink.write(header)


def _copy_jpeg(src: BinaryIO, sink: _Sink, segments: bytes) -> None:
    """SOI, the APP0 (JFIF) and Exif APP1 segments that must come first, our segments,
    then the rest of the header without any earlier XMP packet, up to the scan data."""
    sink.write(JPEG_SOI)
    inserted = False
    while True:
        marker = _read_marker(src)
        if marker == 0xDA or marker == 0x01 or 0xD0 <= marker <= 0xD9:  # SOS, no-length
            if not inserted:
                sink.write(segments)
            sink.write(bytes((0xFF, marker)))
            return
        (length,) = struct.unpack(">H", _read_exact(src, 2))
        payload = _read_exact(src, length - 2)
        leading = marker == 0xE0 or (marker == 0xE1 and payload.startswith(b"Exif\x00\x00"))
        if not leading and not inserted:
            sink.write(segments)
            inserted = True
        if marker == 0xE1 and payload.startswith(XMP_APP1_HEADER):
            continue  # one XMP packet per file: ours
        sink.write(bytes((0xFF, marker)) + struct.pack(">H", length) + payload)


def _read_marker(src: BinaryIO) -> int:
    byte = _read_exact(src, 1)
    if byte != b"\xff":
        raise UnsupportedImage("malformed JPEG: expected a marker")
    while (byte := _read_exact(src, 1)) == b"\xff":  # fill bytes before a marker
        pass
    return byte[0]


def _read_exact(src: BinaryIO, n: int) -> bytes:
    data = src.read(n)
    if len(data) != n:
        raise UnsupportedImage("truncated JPEG header")
    return data
