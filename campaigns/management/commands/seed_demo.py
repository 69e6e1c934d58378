from django.core.management.base import BaseCommand

from campaigns.services.demo import demo_seed


class Command(BaseCommand):
    help = "Create (or refresh) the demo brand, campaign and three audience segments."

    def handle(self, *args, **options):
        campaign = demo_seed()
        segments = ", ".join(campaign.segments.values_list("name", flat=True))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: brand '{campaign.brand}', campaign '{campaign}' (id {campaign.pk}), "
                f"segments: {segments}."
            )
        )
