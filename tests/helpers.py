"""Small builders for test inputs."""

from __future__ import annotations

import io

from PIL import Image


def png_bytes(size=(64, 64), colour=(200, 30, 30), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def run_round(campaign, segments, n=2, seed=7, **kwargs):
    """A generation round started and run to the end in this process (no broker)."""
    from campaigns.services import generation

    job = generation.job_start(
        campaign=campaign,
        segments=segments,
        variants_per_segment=n,
        seed=seed,
        enqueue=False,
        **kwargs,
    )
    return generation.job_run_sync(job_id=job.pk)
