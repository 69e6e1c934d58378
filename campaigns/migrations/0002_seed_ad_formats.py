from django.db import migrations

# IAB / social standard sizes; more can be added in the admin.
STANDARD_FORMATS = [
    ("square-1080", "Square feed post", 1080, 1080),
    ("landscape-1200x628", "Landscape link ad", 1200, 628),
    ("story-1080x1920", "Story / Reel", 1080, 1920),
    ("portrait-1080x1350", "Portrait feed post", 1080, 1350),
    ("mrec-300x250", "Medium rectangle", 300, 250),
    ("leaderboard-728x90", "Leaderboard", 728, 90),
    ("skyscraper-160x600", "Wide skyscraper", 160, 600),
    ("halfpage-300x600", "Half page", 300, 600),
    ("mobile-320x50", "Mobile banner", 320, 50),
]


def seed(apps, schema_editor):
    AdFormat = apps.get_model("campaigns", "AdFormat")
    for slug, name, width, height in STANDARD_FORMATS:
        AdFormat.objects.update_or_create(
            slug=slug, defaults={"name": name, "width": width, "height": height}
        )


def unseed(apps, schema_editor):
    AdFormat = apps.get_model("campaigns", "AdFormat")
    AdFormat.objects.filter(slug__in=[f[0] for f in STANDARD_FORMATS]).delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
