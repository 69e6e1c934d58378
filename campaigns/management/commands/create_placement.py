from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaigns.models import AdFormat, Campaign
from campaigns.serving.services.placements import placement_create


class Command(BaseCommand):
    help = "Create a placement for a campaign and print its API key (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("campaign_id", type=int)
        parser.add_argument("name")
        parser.add_argument("--format", required=True, help="Ad format slug, e.g. square-1080.")
        parser.add_argument("--rate-limit", type=int, default=None, help="Requests per minute.")
        parser.add_argument(
            "--media",
            choices=["image", "video"],
            default="image",
            help="video: decisions answer with a clip of the format (Animate the variants).",
        )

    def handle(self, *args, campaign_id, name, format, rate_limit, media, **options):
        campaign = Campaign.objects.filter(pk=campaign_id).first()
        ad_format = AdFormat.objects.filter(slug=format).first()
        if campaign is None or ad_format is None:
            raise CommandError("No such campaign or ad format.")
        try:
            placement, key = placement_create(
                campaign=campaign,
                name=name,
                format=ad_format,
                rate_limit_per_minute=rate_limit,
                media=media,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"Placement {placement.pk} created. API key (store it now, it is not kept):"
        )
        self.stdout.write(key)
