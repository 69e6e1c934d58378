from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns"
    verbose_name = "Creative studio"

    def ready(self):
        from campaigns import signals  # noqa: F401  (connects the receivers)
        from campaigns.roles import ensure_roles_after_migrate
        from campaigns.services import webhooks  # noqa: F401  (subscribes to domain events)

        post_migrate.connect(ensure_roles_after_migrate, sender=self)
