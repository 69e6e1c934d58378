"""Demo data: one brand, one campaign, three segments. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from campaigns import demo_art, roles
from campaigns.models import AdFormat, AudienceSegment, Brand, Campaign
from campaigns.services.cutouts import campaign_cutout_make

DEMO_FORMATS = [
    "square-1080",
    "landscape-1200x628",
    "story-1080x1920",
    "mrec-300x250",
    "leaderboard-728x90",
    "skyscraper-160x600",
]

# name, persona, rules, brief overrides (audience noun, focus benefit, copy language).
DEMO_SEGMENTS = [
    (
        "Weekend trail runners",
        "Outdoorsy people in their late twenties and thirties who run forest and mountain "
        "trails at weekends, care about grip on mud and rocks, and love the freedom of nature.",
        {"age": {"min": 25, "max": 40}, "interests": ["trail running", "hiking", "outdoors"]},
        {"audience_noun": "trail runners", "focus_benefit": "grips on wet rock", "locale": ""},
    ),
    (
        "City commuters",
        "Busy urban professionals who run to work or along the river before the office, "
        "value comfort, light weight and a clean look that fits city streets.",
        {"age": {"min": 22, "max": 45}, "interests": ["running", "commuting", "fitness"]},
        {
            "audience_noun": "Stadtläufer",
            "focus_benefit": "fühlt sich vom ersten Schritt an leicht an",
            "locale": "de-DE",
        },
    ),
    (
        "Ultra competitors",
        "Serious endurance athletes training for 50k and 100-mile races who obsess over "
        "cushioning, durability over long distances and shaving seconds off their times.",
        {"age": {"min": 28, "max": 55}, "interests": ["ultramarathon", "racing", "endurance"]},
        {
            "audience_noun": "ultrarunners",
            "focus_benefit": "fresh legs at the finish",
            "locale": "",
        },
    ),
]

# The demo campaign's creative brief: typed benefits, proof, an offer, small print, and
# a German version for the German-language segment.
DEMO_BRIEF = {
    "benefits_does": "grips on wet rock\ncushions every descent\nfeels light from the first step",
    "benefits_gets": "dry feet all day\nfresh legs at the finish\nsure footing on loose ground",
    "proof_points": "Tested on 1,200 km of Alpine trails\nRated 4.7 by 2,300 runners",
    "offer_discount": 20,
    "offer_price": "",
    "required_claims": "Upper made with 60% recycled polyester.",
    "disclaimer": "20% off full-price pairs only. Terms apply.",
    "words_to_use": "grip, trail",
    "words_to_avoid": "cheap, unbeatable",
    "brief_translations": {
        "de": {
            "description": "Ein leichter Trailschuh mit griffiger Außensohle, reaktivem Schaum "
            "und atmungsaktivem Obermaterial aus recyceltem Mesh.",
            "benefits_does": [
                "greift auf nassem Fels",
                "dämpft jeden Downhill",
                "fühlt sich vom ersten Schritt an leicht an",
            ],
            "benefits_gets": [
                "trockene Füße den ganzen Tag",
                "frische Beine im Ziel",
                "sicherer Tritt auf losem Grund",
            ],
            "proof_points": [
                "Getestet auf 1.200 km Alpentrails",
                "Bewertet mit 4,7 Sternen von 2.300 Läufern",
            ],
            "required_claims": ["Obermaterial zu 60 % aus recyceltem Polyester."],
            "disclaimer": "20 % Rabatt nur auf Paare zum vollen Preis. Es gelten die AGB.",
        }
    },
}


def demo_offer_end(today: dt.date | None = None) -> dt.date:
    """The last day of next month: the demo offer always runs a few weeks ahead."""
    today = today or dt.date.today()
    first_next = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return (first_next + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


@transaction.atomic
def demo_seed() -> Campaign:
    brand, _ = Brand.objects.update_or_create(
        name="Trailhead Outfitters",
        defaults={
            "voice": "Bold, energetic and encouraging; plain words, no jargon.",
            "palette": ["#14532D", "#F97316", "#F5F5F4", "#1C1917"],
            "banned_terms": "guaranteed\ncheapest\nmiracle",
            "disclaimer": "Terms apply. See site for details.",
            "colours": {
                "background": "#F5F5F4",
                "accent": "#F97316",
                "text": "#1C1917",
                "cta": "#14532D",
            },
            "cta_shape": "pill",
        },
    )
    if not brand.logo:
        # Drawn by campaigns/demo_art.py: the project's own work, Apache-2.0 like the code.
        brand.logo.save("trailhead-logo.png", ContentFile(demo_art.png_bytes(demo_art.draw_logo())))
    campaign, _ = Campaign.objects.update_or_create(
        brand=brand,
        name="Summit 2 launch",
        defaults={
            "product_name": "Summit 2",
            "description": "A lightweight trail running shoe with a grippy outsole, "
            "responsive foam and a breathable recycled mesh upper.",
            "objective": Campaign.Objective.CONVERSION,
            "landing_url": "https://trailhead.example/summit-2",
            "status": Campaign.Status.ACTIVE,
            **DEMO_BRIEF,
            "offer_ends": demo_offer_end(),
        },
    )
    campaign.formats.set(AdFormat.objects.filter(slug__in=DEMO_FORMATS))
    if not campaign.product_image:
        # A trail-running shoe with a transparent background, drawn by demo_art.py.
        shoe = demo_art.png_bytes(demo_art.draw_shoe())
        campaign.product_image.save("summit-2.png", ContentFile(shoe), save=True)
        campaign_cutout_make(campaign=campaign)
    for name, persona, rules, overrides in DEMO_SEGMENTS:
        AudienceSegment.objects.update_or_create(
            campaign=campaign,
            name=name,
            defaults={"persona": persona, "rules": rules, "estimated_size": 25_000, **overrides},
        )
    return campaign


# username -> (role, dev password). The passwords are printed by seed_demo and only used
# when DEBUG is on; otherwise they come from STUDIO_DEMO_PASSWORD_<USERNAME>.
DEMO_USERS = {
    "designer": (roles.DESIGNER, "designer-dev-pass"),
    "manager": (roles.CAMPAIGN_MANAGER, "manager-dev-pass"),
    "moderator": (roles.MODERATOR, "moderator-dev-pass"),
    "admin": (None, "admin-dev-pass"),  # superuser
}


@transaction.atomic
def demo_users_seed(*, brand: Brand, passwords: dict[str, str]) -> list[tuple[str, str]]:
    """Create or refresh the demo users named in `passwords` as members of the brand, each
    in its role's group; return (username, role label) pairs."""
    groups = roles.ensure_roles()
    User = get_user_model()
    created = []
    for username, password in passwords.items():
        role, _ = DEMO_USERS[username]
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@studio.example"}
        )
        user.set_password(password)
        user.is_superuser = user.is_staff = role is None
        user.save()
        if role is not None:
            user.groups.set([groups[role]])
        brand.members.add(user)
        created.append((username, role or "superuser"))
    return created
