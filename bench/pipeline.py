"""Throughput of a generation round on the offline defaults, through a real worker.

Prints variants per minute and the share of job wall time spent outside the engine
(ORM, files, broker). Run:  .venv/bin/python bench/pipeline.py [--jobs 3] [-n 4]

Uses a scratch var dir (SQLite + filesystem broker) unless DATABASE_URL /
CELERY_BROKER_URL are set.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scratch import django_on_scratch  # noqa: E402 - needs ROOT on sys.path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=3, help="Measured jobs (after one warm-up).")
    parser.add_argument("-n", "--variants", type=int, default=4, help="Variants per segment.")
    args = parser.parse_args()

    var_dir = django_on_scratch("studio-bench-")
    from campaigns.models import GenerationJob
    from campaigns.services import demo, generation
    from tests.worker import start_worker

    campaign = demo.demo_seed()
    segments = list(campaign.segments.all())
    formats = campaign.formats.count()
    worker = start_worker(var_dir / "bench-worker.log")
    try:
        rows = []
        for i in range(args.jobs + 1):
            job = generation.job_start(
                campaign=campaign, segments=segments, variants_per_segment=args.variants, seed=i
            )
            while not job.is_finished:
                time.sleep(0.05)
                job = GenerationJob.objects.get(pk=job.pk)
            if job.status != GenerationJob.Status.SUCCEEDED:
                raise SystemExit(f"job failed: {job.error}")
            if i:  # the first job pays the one-off model loads; report it apart
                rows.append(job)
            else:
                print(f"warm-up job: {job.timings['wall']:.2f}s (includes loading MiniLM)")
    finally:
        worker.stop()

    from django.conf import settings
    from django.db import connection

    broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
    print(f"\n{connection.vendor} database, {broker} broker, worker concurrency 1")
    print(f"{len(segments)} segments × {args.variants} variants × {formats} formats per job")
    print(f"{'job':>5} {'variants':>8} {'wall s':>7} {'engine s':>8} {'outside':>8} {'var/min':>8}")
    total_variants = total_wall = total_engine = 0.0
    for job in rows:
        t = job.timings
        count = job.variants.count()
        outside = 1 - t["engine"] / t["wall"]
        print(
            f"{job.pk:>5} {count:>8} {t['wall']:>7.2f} {t['engine']:>8.2f} "
            f"{outside:>7.1%} {60 * count / t['wall']:>8.1f}"
        )
        total_variants += count
        total_wall += t["wall"]
        total_engine += t["engine"]
    stages = {s: sum(j.timings[s] for j in rows) for s in ("copy", "paint", "score", "layout")}
    print("engine time by stage: " + ", ".join(f"{k} {v:.2f}s" for k, v in stages.items()))
    print(f"variants per minute: {60 * total_variants / total_wall:.1f}")
    print(
        f"share of wall time outside the engine: {1 - total_engine / total_wall:.1%} (target ≤ 10%)"
    )


if __name__ == "__main__":
    main()
