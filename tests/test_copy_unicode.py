"""Copy with zero-width characters or bidi controls is refused when a person types it (a
copy edit, a moderator's fix: clear form errors) and cleaned before generated copy is
stored; the copy checks see through fullwidth letters and look-alike dots."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import ModerationCase, Variant
from campaigns.services import edits, moderation
from studio.engine.unicode_text import hidden_characters
from tests.factories import make_job, make_variant
from tests.helpers import run_round

pytestmark = pytest.mark.django_db
ZWSP, RLO = "\u200b", "\u202e"
CLEAN = {
    "headline": "Run lighter today",
    "body": "Springy foam for every trail.",
    "cta": "Shop now",
}


@pytest.fixture
def variant(campaign, segments):
    return make_variant(make_job(campaign, segments), segments[0])


@pytest.fixture
def case(campaign, segments):
    flagged = make_variant(
        make_job(campaign, segments), segments[0], body="Mail sales@rival.com to order today."
    )
    return moderation.variant_screen(variant=flagged)


def _grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("field", "text", "says"),
    [
        ("headline", f"Run{ZWSP} lighter", "U+200B ZERO WIDTH SPACE"),
        ("body", f"Springy foam {RLO}for every trail.", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("headline", "Ｇｕａｒａｎｔｅｅｄ fit", "banned term"),
        ("body", "Mail sales@rival\u2024com for a deal.", "email address"),
        ("body", f"Call 555{ZWSP}-0134 for a deal.", "invisible characters"),
    ],
)
def test_a_copy_edit_with_unicode_tricks_is_refused(variant, user, field, text, says):
    with pytest.raises(ValidationError) as refused:
        edits.variant_copy_edit(variant=variant, user=user, **{**CLEAN, field: text})
    assert any(says in message for message in refused.value.message_dict[field])
    variant.refresh_from_db()
    assert variant.version == 1 and variant.headline == "Run lighter today"


def test_the_copy_edit_page_shows_the_error_on_the_field(client, variant, user):
    user = _grant(user, "view_variant", "review_variant")
    variant.campaign.brand.members.add(user)
    client.force_login(user)
    data = {**CLEAN, "headline": f"Run{RLO} lighter", "version": 1}
    response = client.post(reverse("campaigns:variant_edit", args=[variant.pk]), data)
    assert response.status_code == 400
    assert "invisible characters" in response.text and "RIGHT-TO-LEFT OVERRIDE" in response.text


@pytest.mark.parametrize(
    ("field", "text", "says"),
    [
        ("cta", f"Shop{ZWSP} now", "ZERO WIDTH SPACE"),
        ("headline", f"{RLO}Run lighter", "RIGHT-TO-LEFT OVERRIDE"),
        ("headline", f"Guaran{ZWSP}teed grip", "banned term"),
    ],
)
def test_a_moderation_fix_with_unicode_tricks_is_refused(case, brand, user, field, text, says):
    brand.members.add(user)
    moderator = _grant(user, "moderate_variant")
    with pytest.raises(ValidationError) as refused:
        moderation.case_fix_and_clear(case=case, user=moderator, **{**CLEAN, field: text})
    assert any(says in message for message in refused.value.message_dict[field])
    case.refresh_from_db()
    assert case.status == ModerationCase.Status.OPEN


def test_the_moderation_fix_page_shows_the_error(client, case, brand, user):
    brand.members.add(user)
    client.force_login(_grant(user, "moderate_variant"))
    url = reverse("campaigns:moderation_decide", args=[case.pk, "fix"])
    response = client.post(url, {**CLEAN, "body": f"Springy{ZWSP} foam for every trail."})
    assert response.status_code == 400
    assert "ZERO WIDTH SPACE" in response.text
    case.refresh_from_db()
    assert case.status == ModerationCase.Status.OPEN


def test_generated_copy_is_stored_without_hidden_characters(campaign, segments):
    # A product name pasted with a zero-width space and a bidi override in it.
    campaign.product_name = f"Aero{ZWSP}{RLO} Trail"
    campaign.save()
    run_round(campaign, segments[:1], n=2)
    variants = list(Variant.objects.filter(campaign=campaign))
    assert variants
    for v in variants:
        for text in (v.headline, v.body, v.cta, v.image_prompt):
            assert hidden_characters(text) == [], text
    assert any("Aero Trail" in f"{v.headline} {v.body}" for v in variants)
