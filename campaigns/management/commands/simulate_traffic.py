from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from campaigns.serving.services.traffic import traffic_simulate


class Command(BaseCommand):
    help = (
        "Serve a campaign to synthetic users through the real decision path and record "
        "their impressions, clicks and conversions (hidden rates), for demos."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="campaign id")
        parser.add_argument("--decisions", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--consent-share", type=float, default=0.7)

    def handle(self, *args, campaign, decisions, seed, consent_share, **options):
        if decisions < 1 or not 0 <= consent_share <= 1:
            raise CommandError("--decisions must be positive and --consent-share in 0..1.")
        found = Campaign.objects.filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"No campaign {campaign}.")
        try:
            summary = traffic_simulate(
                campaign=found, decisions=decisions, seed=seed, consent_share=consent_share
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.decisions} requests, {summary.served} served, "
                f"{summary.impressions} impressions, {summary.clicks} clicks, "
                f"{summary.conversions} conversions, revenue {summary.revenue:.2f}."
            )
        )
