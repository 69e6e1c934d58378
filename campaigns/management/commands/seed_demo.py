import os

from django.conf import settings
from django.core.management.base import BaseCommand

from campaigns.services.demo import DEMO_USERS, demo_seed, demo_users_seed


class Command(BaseCommand):
    help = (
        "Create (or refresh) the demo brand, campaign, three audience segments, the role "
        "groups and one user per role (designer, manager, moderator, admin)."
    )

    def handle(self, *args, **options):
        campaign = demo_seed()
        segments = ", ".join(campaign.segments.values_list("name", flat=True))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: brand '{campaign.brand}', campaign '{campaign}' (id {campaign.pk}), "
                f"segments: {segments}."
            )
        )
        passwords = self._passwords()
        users = demo_users_seed(brand=campaign.brand, passwords=passwords)
        for username, role in users:
            shown = passwords[username] if settings.DEBUG else "(from the environment)"
            self.stdout.write(f"  user {username:<10} role {role:<17} password {shown}")

    def _passwords(self) -> dict[str, str]:
        if settings.DEBUG:
            return {name: password for name, (_, password) in DEMO_USERS.items()}
        # Outside DEBUG, no well-known password is ever set: each comes from the environment.
        passwords = {}
        for name in DEMO_USERS:
            variable = f"STUDIO_DEMO_PASSWORD_{name.upper()}"
            if os.environ.get(variable):
                passwords[name] = os.environ[variable]
            else:
                self.stdout.write(f"  user {name}: skipped (DEBUG is off and {variable} is unset)")
        return passwords
