from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns.serving.services.retention import events_purge


class Command(BaseCommand):
    help = "Delete tracking events and decisions older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep this many days (default STUDIO_EVENT_RETENTION_DAYS, now "
            f"{settings.STUDIO_EVENT_RETENTION_DAYS}).",
        )

    def handle(self, *args, days=None, **options):
        try:
            result = events_purge(older_than_days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {result.events} events and {result.decisions} decisions "
                f"older than {result.cutoff:%Y-%m-%d %H:%M} UTC."
            )
        )
