"""The AI disclosure of an exported clip, written into the file where cheap.

MP4: a remux (packets copied, nothing re-encoded) that adds container metadata (the
plain-language disclosure as `comment` and `description`, the IPTC digital source type
in `keywords`) and keeps the moov atom first (`+faststart`). GIF: a Comment Extension
right after the header and global colour table. Animated WebP: no metadata is added (the
disclosure is in the export manifest only). No Django; PyAV is imported inside.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from studio.engine.disclosure import Disclosure

GIF_COMMENT = b"\x21\xfe"


def clip_with_disclosure(src: str | Path, dst: str | Path, kind: str, label: Disclosure) -> str:
    """Write the labelled clip to `dst`; return how the label was embedded."""
    if kind == "mp4":
        _mp4_remux(Path(src), Path(dst), label)
        return "mp4 metadata (comment, description, keywords)"
    if kind == "gif":
        data = Path(src).read_bytes()
        Path(dst).write_bytes(gif_with_comment(data, f"{label.description} {label.term}"))
        return "gif comment extension"
    shutil.copyfile(src, dst)
    return "manifest only"


def _mp4_remux(src: Path, dst: Path, label: Disclosure) -> None:
    import av  # heavy: only when an export writes a clip

    with (
        av.open(str(src)) as source,
        av.open(str(dst), "w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        streams = {s.index: out.add_stream_from_template(s) for s in source.streams.video}
        out.metadata.update(
            {
                "comment": label.description,
                "description": label.description,
                "keywords": label.source_type,
                "encoder": label.creator_tool,
            }
        )
        for packet in source.demux(*source.streams.video):
            if packet.dts is None:
                continue  # the demuxer's flush packet
            packet.stream = streams[packet.stream.index]
            out.mux(packet)


def gif_with_comment(data: bytes, text: str) -> bytes:
    """The GIF with a Comment Extension (ASCII, in 255-byte sub-blocks) inserted before
    its first block; any other data is returned unchanged."""
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        return data
    flags = data[10]
    table = 3 * (2 ** ((flags & 0x07) + 1)) if flags & 0x80 else 0
    head = 13 + table
    payload = text.encode("ascii", "replace")[:1020]
    blocks = b"".join(
        bytes([len(payload[i : i + 255])]) + payload[i : i + 255]
        for i in range(0, len(payload), 255)
    )
    # Comment extensions are GIF89a; a GIF87a header is raised to 89a with it.
    return b"GIF89a" + data[6:head] + GIF_COMMENT + blocks + b"\x00" + data[head:]


def file_sha256(path: str | Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size
