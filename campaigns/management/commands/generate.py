import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign, GenerationJob
from campaigns.selectors_workers import job_worker_notice
from campaigns.services import generation


class Command(BaseCommand):
    help = "Run a generation round for a campaign and print where the renditions are."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="Campaign id or exact name.")
        parser.add_argument("--segments", nargs="*", help="Segment names (default: all).")
        parser.add_argument("-n", "--variants", type=int, default=3, help="Variants per segment.")
        parser.add_argument("--seed", type=int, help="Base seed, for a reproducible round.")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Send the job to the Celery workers and follow its progress "
            "(default: run it in this process).",
        )
        parser.add_argument(
            "--background",
            choices=GenerationJob.Background.values,
            help="backdrop (painted sets), library (the brand's photos) or model "
            "(default: model when an image model is configured, else backdrop).",
        )
        parser.add_argument("--timeout", type=int, default=1800, help="Seconds to wait (--queue).")

    def handle(self, *args, **options):
        campaign = self._campaign(options["campaign"])
        segments = campaign.segments.all()
        if options["segments"]:
            segments = segments.filter(name__in=options["segments"])
            missing = set(options["segments"]) - set(segments.values_list("name", flat=True))
            if missing:
                raise CommandError(
                    f"No such segments in this campaign: {', '.join(sorted(missing))}"
                )
        try:
            job = generation.job_start(
                campaign=campaign,
                segments=segments,
                variants_per_segment=options["variants"],
                seed=options["seed"],
                background_source=options["background"],
                enqueue=options["queue"],
            )
        except ValidationError as exc:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(messages) from exc
        self.stdout.write(f"Job #{job.pk} (seed {job.seed}) started.")
        if options["queue"]:
            job = self._follow(job, options["timeout"])
        else:
            job = generation.job_run_sync(job_id=job.pk, on_step=self._bar)
        self._bar(job, end="\n")
        self._report(job)

    def _campaign(self, ref: str) -> Campaign:
        query = (
            Campaign.objects.filter(pk=int(ref))
            if ref.isdigit()
            else Campaign.objects.filter(name=ref)
        )
        campaign = query.first()
        if campaign is None:
            raise CommandError(f"No campaign with id or name {ref!r}.")
        return campaign

    def _follow(self, job, timeout):
        deadline = time.monotonic() + timeout
        warned = False
        while time.monotonic() < deadline:
            job = GenerationJob.objects.get(pk=job.pk)
            self._bar(job)
            if job.is_finished:
                return job
            notice = job_worker_notice(job=job)
            if notice and not warned:
                self.stderr.write(f"\n{notice}")  # once, not on every poll
            warned = bool(notice)
            time.sleep(0.5)
        raise CommandError(
            f"Job #{job.pk} still {job.status} after {timeout}s: "
            f"{job_worker_notice(job=job) or 'is a worker running?'}"
        )

    def _bar(self, job, end="\r"):
        width = 30
        filled = round(width * job.percent / 100)
        stages = " ".join(f"{s} {d}/{t}" for s, d, t in job.stage_rows())
        self.stdout.write(
            f"[{'#' * filled}{'.' * (width - filled)}] {job.percent:3d}% {stages}", ending=end
        )
        self.stdout.flush()

    def _report(self, job):
        if job.status != GenerationJob.Status.SUCCEEDED:
            raise CommandError(f"Job #{job.pk} {job.status}: {job.error or 'no error recorded'}")
        for variant in job.variants.select_related("segment").prefetch_related(
            "renditions__format"
        ):
            self.stdout.write(
                f"\n{variant.segment}: {variant.headline} | {variant.body} | {variant.cta}"
            )
            for rendition in variant.renditions.all():
                self.stdout.write(f"  {rendition.format.slug:22} {rendition.image.path}")
        t = job.timings
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDone: {job.variants.count()} variants in {t.get('wall', 0):.1f}s "
                f"(engine {t.get('engine', 0):.1f}s)."
            )
        )
