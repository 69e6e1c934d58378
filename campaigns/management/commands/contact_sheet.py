"""manage.py contact_sheet JOB_ID [--format FORMAT] [--output PATH]"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns.models import GenerationJob
from campaigns.services.contact_sheet import contact_sheet_build


class Command(BaseCommand):
    help = "Write one PNG of a round's renditions (a row per variant, a column per format)."

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)
        parser.add_argument("--format", dest="format_slug", help="only this format (slug)")
        parser.add_argument("--output", help="PNG path (default var/contact-sheets/job-N.png)")

    def handle(self, *args, job_id, format_slug=None, output=None, **options):
        job = GenerationJob.objects.filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"No generation job {job_id}.")
        try:
            sheet = contact_sheet_build(job=job, format_slug=format_slug)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        suffix = f"-{format_slug}" if format_slug else ""
        default = Path(settings.VAR_DIR) / "contact-sheets" / f"job-{job_id}{suffix}.png"
        path = Path(output) if output else default
        path.parent.mkdir(parents=True, exist_ok=True)
        sheet.save(path, format="PNG", optimize=True)
        self.stdout.write(f"{path} ({sheet.width}x{sheet.height})")
