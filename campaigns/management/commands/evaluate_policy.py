from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from campaigns.serving.services.evaluation import MAX_DECISIONS, policy_evaluate


class Command(BaseCommand):
    help = (
        "Estimate, from a campaign's logged decisions, the click, conversion and value "
        "rate per decision of the current policy and of candidates (uniform, greedy, "
        "Thompson with other prior strengths, contextual): replay, IPS, SNIPS and doubly "
        "robust estimates with 95 % intervals."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="campaign id")
        parser.add_argument("--limit", type=int, default=MAX_DECISIONS, help="newest N decisions")
        parser.add_argument(
            "--metric", choices=["clicks", "conversions", "value", "all"], default="all"
        )

    def handle(self, *args, campaign, limit, metric, **options):
        found = Campaign.objects.filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"No campaign {campaign}.")
        if limit < 1:
            raise CommandError("--limit must be positive.")
        result = policy_evaluate(campaign=found, limit=limit)
        if not result.decisions:
            raise CommandError("No logged decisions with propensities for this campaign yet.")
        self.stdout.write(
            f"{result.decisions} logged decisions; the campaign optimises {result.reward}"
        )
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(
            f"{'metric':<12}{'policy':<30}{'estimator':<10}{'estimate':>12}{'95 % interval':>26}"
            f"{'n':>8}"
        )
        for row in result.rows:
            if metric not in ("all", row.metric):
                continue
            for e in row.estimates:
                scale, unit = (1, "") if row.metric == "value" else (100, " %")
                self.stdout.write(
                    f"{row.metric:<12}{row.policy:<30}{e.estimator:<10}"
                    f"{scale * e.value:>10.3f}{unit:2}"
                    f"  [{scale * e.low:9.3f}, {scale * e.high:9.3f}]{unit:2}{e.n:>8}"
                )
