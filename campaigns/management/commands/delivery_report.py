from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from campaigns.serving.selectors.delivery import delivery_report


class Command(BaseCommand):
    help = (
        "Print a campaign's delivery report: shares of requests against shares of "
        "impressions per segment and coarse context bucket, and the skewed creatives."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="campaign id")
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, campaign, days, **options):
        if days < 1:
            raise CommandError("--days must be positive.")
        found = Campaign.objects.filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"No campaign {campaign}.")
        report = delivery_report(campaign=found, days=days)
        no_fill = ", ".join(f"{k.lower()} {v}" for k, v in report.no_fill.items()) or "none"
        self.stdout.write(
            f"Last {days} days: {report.requests} requests, {report.served} served "
            f"({report.holdout} holdout), {report.impressions} impressions; no fill: {no_fill}."
        )
        for label, rows in report.dimensions.items():
            self.stdout.write(
                f"\n{label:<24} {'requests':>9} {'share':>7} {'impr.':>7} {'share':>7} {'index':>6}"
            )
            for r in rows:
                index = "n/a" if r.index is None else f"{r.index:.2f}"
                self.stdout.write(
                    f"{r.label[:24]:<24} {r.requests:>9} {r.request_share:>7.1%} "
                    f"{r.impressions:>7} {r.impression_share:>7.1%} {index:>6}"
                )
        self.stdout.write(f"\nSkew tests with enough impressions: {len(report.skews)}; flagged:")
        for row in report.flagged:
            s = row.skew
            self.stdout.write(
                f"  {row.variant_label} in {row.segment_name}, by {row.dimension.lower()}: "
                f"w={s.effect:.2f}, p={s.p_value:.2g}; most over-delivered {s.over[0]} "
                f"({s.over[1]:.2f}x), most under-delivered {s.under[0]} ({s.under[1]:.2f}x)"
            )
        if not report.flagged:
            self.stdout.write("  none")
