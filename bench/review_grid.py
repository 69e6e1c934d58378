"""Server time and query count of the review grid at 50, 200 and 500 variants.

The grid shows 48 cards a page; what it costs must not grow with the campaign. Each
size is measured on the first page (newest first), on a page sorted by text fit and
filtered by status, and on the last page, through Django's test client in this
process (view + template, no network). Run:

    .venv/bin/python bench/review_grid.py [--sizes 50,200,500] [--repeats 15]

Uses a scratch var dir (SQLite) unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scratch import django_on_scratch  # noqa: E402 - needs ROOT on sys.path


def setup():
    django_on_scratch("studio-bench-grid-")


def fill(campaign, total: int) -> None:
    """Top the campaign up to `total` scored variants, each with all its renditions.

    Rows only: every rendition points at one small PNG, since the grid never reads files.
    """
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from campaigns.models import GenerationJob, Rendition, Variant
    from tests.helpers import png_bytes

    have = campaign.variants.count()
    if have >= total:
        return
    image = "bench/one.png"
    if not default_storage.exists(image):
        default_storage.save(image, ContentFile(png_bytes((64, 64))))
    segments = list(campaign.segments.all())
    formats = list(campaign.formats.all())
    job = GenerationJob.objects.create(
        campaign=campaign, variants_per_segment=total, seed=total, status="succeeded"
    )
    job.segments.set(segments)
    rows = []
    for i in range(have, total):
        rows.append(
            Variant(
                job=job,
                campaign=campaign,
                segment=segments[i % len(segments)],
                index=i,
                headline=f"Headline number {i}",
                body=f"Body copy for variant {i}, long enough to look like an ad.",
                cta="Shop now",
                seed=i,
                status=("pending", "approved", "rejected")[i % 3],
                text_fit=float(i % 97),
                copy_novelty=(i % 13) / 13,
                base_image=image,
            )
        )
    created = Variant.objects.bulk_create(rows)
    Rendition.objects.bulk_create(
        Rendition(variant=v, format=f, image=image, width=64, height=64, sha256="0" * 64)
        for v in created
        for f in formats
    )


def measure(client, url: str, repeats: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (templates, session, permissions)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return statistics.median(times) * 1000, p95 * 1000, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from campaigns import roles
    from campaigns.selectors_review import PAGE_SIZE
    from campaigns.services import demo

    campaign = demo.demo_seed()
    user, _ = get_user_model().objects.get_or_create(username="bench-designer")
    user.groups.set([roles.ensure_roles()[roles.DESIGNER]])
    campaign.brand.members.add(user)
    client = Client()
    client.force_login(user)
    grid = reverse("campaigns:review_grid", args=[campaign.pk])
    formats = campaign.formats.count()
    print(f"review grid, {PAGE_SIZE} cards a page, {formats} renditions per variant")
    print(f"{'variants':>8}  {'view':<28} {'median ms':>9} {'p95 ms':>7} {'queries':>7}")
    for size in [int(s) for s in args.sizes.split(",")]:
        fill(campaign, size)
        last = -(-size // PAGE_SIZE)
        views = {
            "first page, newest": grid,
            "text fit, pending only": grid + "?sort=text_fit&status=pending",
            f"last page ({last})": grid + f"?page={last}",
        }
        for name, url in views.items():
            median, p95, queries = measure(client, url, args.repeats)
            print(f"{size:>8}  {name:<28} {median:>9.1f} {p95:>7.1f} {queries:>7}")


if __name__ == "__main__":
    main()
