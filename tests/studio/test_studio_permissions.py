"""Permission matrix: every role × every action, allowed or 403, through the views.

Roles: designer, campaign manager, moderator, superuser, a logged-in user with no role
(403 everywhere), anonymous (sent to the login page) and a designer of another brand
(404: other brands' objects do not exist for them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from campaigns.models import AdFormat, Review, Variant

pytestmark = pytest.mark.django_db

D, M, MOD, SU = "designer", "manager", "moderator", "superuser"
EVERYONE = {D, M, MOD, SU}
MAKERS = {D, M, SU}
MANAGERS = {M, SU}
MODERATORS = {MOD, SU}


@dataclass
class Action:
    name: str
    method: str
    url: Callable
    allowed: set
    data: Callable = lambda w: {}
    htmx: bool = False


def _campaign_data(w):
    return {
        "brand": w.brand.pk,
        "name": "Matrix launch",
        "product_name": "Aero",
        "objective": "conversion",
        "formats": [AdFormat.objects.get(slug="square-1080").pk],
        "status": "draft",
        "spend": "0",
    }


def _edit_campaign_data(w):
    return {**_campaign_data(w), "name": w.campaign.name}


def _segment_data(w):
    return {"name": "Matrix segment", "persona": "People who like matrices a lot."}


def _copy_data(w):
    v = w.variant
    return {"headline": "New words here", "body": v.body, "cta": v.cta, "version": v.version}


ACTIONS = [
    Action("campaign list", "get", lambda w: reverse("campaigns:campaign_list"), EVERYONE),
    Action("campaign detail", "get", lambda w: w.url("campaign_detail", w.campaign), EVERYONE),
    Action(
        "campaign create",
        "post",
        lambda w: reverse("campaigns:campaign_create"),
        MAKERS,
        _campaign_data,
    ),
    Action(
        "campaign edit",
        "post",
        lambda w: w.url("campaign_edit", w.campaign),
        MAKERS,
        _edit_campaign_data,
    ),
    Action("brand list", "get", lambda w: reverse("campaigns:brand_list"), EVERYONE),
    Action(
        "brand create",
        "post",
        lambda w: reverse("campaigns:brand_create"),
        MANAGERS,
        lambda w: {"name": "New brand", "palette": "#112233"},
    ),
    Action(
        "brand edit",
        "post",
        lambda w: w.url("brand_edit", w.brand),
        MANAGERS,
        lambda w: {"name": w.brand.name, "palette": "#112233, #FFFFFF"},
    ),
    Action(
        "segment create",
        "post",
        lambda w: reverse("campaigns:segment_create", args=[w.campaign.pk]),
        MAKERS,
        _segment_data,
    ),
    Action(
        "segment edit",
        "post",
        lambda w: reverse("campaigns:segment_edit", args=[w.campaign.pk, w.segment.pk]),
        MAKERS,
        lambda w: {"name": w.segment.name, "persona": w.segment.persona},
    ),
    Action(
        "rules preview",
        "post",
        lambda w: reverse("campaigns:rules_preview", args=[w.campaign.pk]),
        EVERYONE,
        lambda w: {"age_min": "20"},
        True,
    ),
    Action(
        "generate",
        "post",
        lambda w: w.url("generate", w.campaign),
        MAKERS,
        lambda w: {"segments": [w.segment.pk], "variants_per_segment": 1, "preset": "offline"},
    ),
    Action("job page", "get", lambda w: w.url("job_detail", w.variant.job), EVERYONE),
    Action("job progress", "get", lambda w: w.url("job_progress", w.variant.job), EVERYONE),
    Action("review grid", "get", lambda w: w.url("review_grid", w.campaign), EVERYONE),
    Action("variant card", "get", lambda w: w.url("variant_card", w.variant), EVERYONE),
    Action("approve", "post", lambda w: w.url("variant_approve", w.variant), MAKERS, htmx=True),
    Action("reject", "post", lambda w: w.url("variant_reject", w.variant), MAKERS, htmx=True),
    Action(
        "bulk approve",
        "post",
        lambda w: w.url("variants_bulk", w.campaign),
        MAKERS,
        lambda w: {"ids": [w.variant.pk], "action": "approve"},
        True,
    ),
    Action(
        "edit copy", "post", lambda w: w.url("variant_edit", w.variant), MAKERS, _copy_data, True
    ),
    Action(
        "regenerate",
        "post",
        lambda w: w.url("variant_regenerate", w.variant),
        MAKERS,
        lambda w: {"seed": "new"},
        True,
    ),
    Action(
        "more like this",
        "post",
        lambda w: w.url("variant_vary", w.variant),
        MAKERS,
        lambda w: {"strength": "0.5", "count": "2"},
        True,
    ),
    Action("preview formats", "get", lambda w: w.url("variant_preview", w.variant), EVERYONE),
    Action("animate form", "get", lambda w: w.url("variant_animate", w.variant), MAKERS),
    Action(
        "animate",
        "post",
        lambda w: w.url("variant_animate", w.variant),
        MAKERS,
        lambda w: {"clip_formats": ["square-1080"], "clip_lengths": ["6"]},
        True,
    ),
    Action("clips panel", "get", lambda w: w.url("variant_clips", w.variant), EVERYONE),
    Action("why panel", "get", lambda w: w.url("variant_why", w.variant), EVERYONE),
    Action(
        "compare",
        "get",
        lambda w: reverse("campaigns:variant_compare") + f"?ids={w.variant.pk}&ids={w.other.pk}",
        EVERYONE,
    ),
    Action("media file", "get", lambda w: w.variant.renditions.first().image.url, EVERYONE),
    # Pages of the moderation, export and analytics features, held to the same roles.
    Action("moderation queue", "get", lambda w: reverse("campaigns:moderation_queue"), MODERATORS),
    Action("exports index", "get", lambda w: reverse("campaigns:export_index"), MANAGERS),
    Action("campaign exports", "get", lambda w: w.url("export_campaign", w.campaign), MANAGERS),
    Action("analytics", "get", lambda w: w.url("analytics", w.campaign), MANAGERS),
    Action("analytics csv", "get", lambda w: w.url("analytics_csv", w.campaign), MANAGERS),
]


class World:
    def __init__(self, brand, campaign, segments, variants):
        self.brand, self.campaign, self.segment = brand, campaign, segments[0]
        self.variant, self.other = variants[0], variants[1]

    @staticmethod
    def url(name, obj):
        return reverse(f"campaigns:{name}", args=[obj.pk])


@pytest.fixture
def world(brand, campaign, segments, variants):
    return World(brand, campaign, segments, variants)


@pytest.fixture
def role_user(request, make_user, brand):
    role = request.param
    if role == SU:
        return role, make_user("root", superuser=True)
    from campaigns import roles

    group = {D: roles.DESIGNER, M: roles.CAMPAIGN_MANAGER, MOD: roles.MODERATOR}[role]
    return role, make_user(role, group, brand)


def call(client, action, world):
    headers = {"HX-Request": "true"} if action.htmx else {}
    send = getattr(client, action.method)
    return send(action.url(world), action.data(world), headers=headers)


@pytest.mark.parametrize("role_user", [D, M, MOD, SU], indirect=True)
@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_role_can_or_cannot(client, world, role_user, action):
    role, user = role_user
    client.force_login(user)
    response = call(client, action, world)
    if role in action.allowed:
        assert response.status_code in (200, 302), (role, action.name, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"]
    else:
        assert response.status_code == 403, (role, action.name, response.status_code)


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_user_without_a_role_gets_403(client, world, make_user, brand, action):
    client.force_login(make_user("norole", brand=brand))
    assert call(client, action, world).status_code == 403


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_anonymous_is_sent_to_login(client, world, action):
    response = call(client, action, world)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Lists and create forms have no object of another brand to hide.
UNSCOPED = {
    "campaign list",
    "brand list",
    "campaign create",
    "brand create",
    "moderation queue",
    "exports index",
}
SCOPED = [a for a in ACTIONS if a.name not in UNSCOPED]


@pytest.mark.parametrize("action", SCOPED, ids=lambda a: a.name)
def test_other_brands_objects_are_not_found(client, world, outsider, action):
    client.force_login(outsider)
    response = call(client, action, world)
    if action.name == "compare":
        assert response.status_code == 400  # the ids are refused as not theirs
    else:
        assert response.status_code == 404, (action.name, response.status_code)


def test_lists_show_only_own_brands(client, world, outsider, other_brand):
    client.force_login(outsider)
    assert world.campaign.name not in client.get(reverse("campaigns:campaign_list")).text
    assert world.brand.name not in client.get(reverse("campaigns:brand_list")).text


def test_forbidden_decisions_change_nothing(client, world, moderator):
    client.force_login(moderator)
    client.post(reverse("campaigns:variant_approve", args=[world.variant.pk]))
    client.post(
        reverse("campaigns:variants_bulk", args=[world.campaign.pk]),
        {"ids": [world.variant.pk], "action": "reject"},
    )
    world.variant.refresh_from_db()
    assert world.variant.status == Variant.Status.PENDING
    assert not Review.objects.exists()
