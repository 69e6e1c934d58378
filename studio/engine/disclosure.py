"""AI-generated disclosure inside PNG files, written without decoding the image.

Each exported PNG gets iTXt chunks right after IHDR: a plain-language disclosure, the
IPTC digital source type, and an XMP packet (keyword "XML:com.adobe.xmp", the place
Adobe's XMP spec gives PNG) with Iptc4xmpExt:DigitalSourceType =
trainedAlgorithmicMedia, which Google and Meta read to label AI images. The pixel data
is copied through in blocks, so memory stays flat whatever the image size.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
XMP_KEYWORD = "XML:com.adobe.xmp"
DISCLOSURE_KEYWORD = "AI Disclosure"
SOURCE_TYPE_KEYWORD = "DigitalSourceType"
BLOCK = 1 << 16


class NotAPng(ValueError):
    pass


def itxt_chunk(keyword: str, text: str) -> bytes:
    """An uncompressed iTXt chunk (PNG spec 11.3.4.5), CRC included."""
    # keyword NUL, compression flag 0, method 0, empty language tag NUL,
    # empty translated keyword NUL, then the UTF-8 text.
    data = keyword.encode("latin-1") + b"\x00" + b"\x00\x00" + b"\x00" + b"\x00" + text.encode()
    body = b"iTXt" + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def xmp_packet(*, description: str, creator_tool: str) -> str:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        f"    Iptc4xmpExt:DigitalSourceType={quoteattr(DIGITAL_SOURCE_TYPE)}\n"
        f"    xmp:CreatorTool={quoteattr(creator_tool)}>\n"
        "   <dc:description><rdf:Alt>"
        f'<rdf:li xml:lang="x-default">{escape(description)}</rdf:li>'
        "</rdf:Alt></dc:description>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    )


def disclosure_chunks(*, description: str, creator_tool: str) -> bytes:
    return b"".join(
        [
            itxt_chunk(DISCLOSURE_KEYWORD, description),
            itxt_chunk(SOURCE_TYPE_KEYWORD, DIGITAL_SOURCE_TYPE),
            itxt_chunk(XMP_KEYWORD, xmp_packet(description=description, creator_tool=creator_tool)),
        ]
    )


def copy_with_chunks(src: BinaryIO, dst: BinaryIO, chunks: bytes) -> tuple[str, int]:
    """Copy a PNG from src to dst with `chunks` inserted after IHDR; return the sha256
    and size of what was written."""
    head = src.read(8 + 8)
    if head[:2] == b"\xff\xd8" or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        # JPEG and WebP renditions carry their XMP disclosure from the moment they are
        # encoded (encode.encode_rendition): copied through as they are.
        return _copy_through(head, src, dst)
    if len(head) < 16 or head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":
        raise NotAPng("not a PNG file (no signature and IHDR chunk)")
    (ihdr_length,) = struct.unpack(">I", head[8:12])
    ihdr_rest = src.read(ihdr_length + 4)  # data + CRC
    digest = hashlib.sha256()
    size = 0
    for block in (head, ihdr_rest, chunks):
        digest.update(block)
        dst.write(block)
        size += len(block)
    for block in iter(lambda: src.read(BLOCK), b""):
        digest.update(block)
        dst.write(block)
        size += len(block)
    return digest.hexdigest(), size


def _copy_through(head: bytes, src: BinaryIO, dst: BinaryIO) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for block in (head, *iter(lambda: src.read(BLOCK), b"")):
        digest.update(block)
        dst.write(block)
        size += len(block)
    return digest.hexdigest(), size
