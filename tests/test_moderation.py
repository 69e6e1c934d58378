"""Moderation services: screening opens cases (one fixture per reason), the decisions,
the audit log, and "a blocked variant can never be approved"."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns.models import Brand, Campaign, ModerationCase, ModerationEvent, Variant
from campaigns.selectors import moderation_queue, variant_list_cleared
from campaigns.services import moderation, rendering, reviews
from tests.factories import make_job, make_rendition, make_variant
from tests.helpers import run_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def policy(settings):
    settings.STUDIO_GLOBAL_BANNED_TERMS = ["miracle cure"]
    settings.STUDIO_UNSAFE_THRESHOLD = 0.5
    settings.STUDIO_MIN_ALIGNMENT = 20.0


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def moderator(brand):
    user = get_user_model().objects.create_user("mo", password="pw-mo-12345")
    brand.members.add(user)
    return grant(user, "moderate_variant", "review_variant")


@pytest.fixture
def job(campaign, segments):
    return make_job(campaign, segments)


@pytest.fixture
def segment(segments):
    return segments[0]


@pytest.fixture
def brand_banned_variant(job, segment):
    return make_variant(job, segment, headline="The cheapest trail shoe")


@pytest.fixture
def global_banned_variant(job, segment):
    return make_variant(job, segment, body="A miracle cure for tired legs on every run.")


@pytest.fixture
def email_variant(job, segment):
    return make_variant(job, segment, body="Questions? Mail sales@rival.com for a fitting.")


@pytest.fixture
def phone_variant(job, segment):
    return make_variant(job, segment, body="Call 020 7946 0958 to book your fitting today.")


@pytest.fixture
def url_variant(job, segment):
    return make_variant(job, segment, body="Order at https://rival-shop.com/aero before Friday.")


@pytest.fixture
def unsafe_variant(job, segment):
    return make_variant(job, segment, safety={"weapons": 0.83, "drugs": 0.02})


@pytest.fixture
def nsfw_variant(job, segment):
    return make_variant(job, segment, nsfw_detected=True)


@pytest.fixture
def misaligned_variant(job, segment):
    return make_variant(job, segment, alignment=7.5)


@pytest.fixture
def clean_variant(job, segment):
    return make_variant(job, segment, alignment=31.0, safety={"weapons": 0.1}, nsfw_detected=False)


@pytest.mark.parametrize(
    ("fixture", "code", "evidence"),
    [
        ("brand_banned_variant", "banned_term", {"term": "cheapest", "source": "brand"}),
        ("global_banned_variant", "banned_term", {"term": "miracle cure", "source": "global"}),
        ("email_variant", "pii_email", {"match": "sales@rival.com"}),
        ("phone_variant", "pii_phone", {"match": "020 7946 0958"}),
        ("url_variant", "pii_url", {"host": "rival-shop.com", "allowed": "acme.example"}),
        ("unsafe_variant", "unsafe_concept", {"concept": "weapons", "probability": 0.83}),
        ("nsfw_variant", "nsfw_detected", {"nsfw_detected": True}),
        ("misaligned_variant", "low_alignment", {"alignment": 7.5, "threshold": 20.0}),
    ],
)
def test_each_reason_opens_a_case_with_evidence(request, fixture, code, evidence, user):
    variant = request.getfixturevalue(fixture)
    case = moderation.variant_screen(variant=variant)
    assert case.status == ModerationCase.Status.OPEN
    assert case.reason_codes == [code]
    assert evidence.items() <= case.reasons[0]["evidence"].items()
    assert case.reasons[0]["detail"]
    event = case.events.get()
    content_hash = moderation.variant_content_hash(variant)
    assert (event.action, event.user, event.hash_before, event.hash_after) == (
        "opened",
        None,
        content_hash,
        content_hash,
    )
    with pytest.raises(PermissionDenied):
        reviews.variant_approve(variant=variant, user=user)


def test_clean_variant_and_missing_models_open_nothing(clean_variant, job, segment):
    no_models = make_variant(job, segment)  # every score None: no model, no evidence
    assert moderation.variants_screen(variants=[clean_variant, no_models]) == []
    assert not ModerationCase.objects.exists()


def test_screening_twice_opens_one_case(url_variant):
    first = moderation.variant_screen(variant=url_variant)
    assert moderation.variant_screen(variant=url_variant) == first
    assert ModerationCase.objects.count() == 1 and ModerationEvent.objects.count() == 1


def test_content_hash_covers_copy_and_base_image(clean_variant):
    before = moderation.variant_content_hash(clean_variant)
    clean_variant.headline = "Another headline"
    assert moderation.variant_content_hash(clean_variant) != before


def test_generation_round_screens_every_variant(campaign, segments):
    # The product name carries a link off the landing domain. The template copywriter runs
    # the same copy checks on its final copy, so it writes only lines without the name;
    # whatever it wrote is screened, and a variant that mentioned the link would be held.
    Campaign.objects.filter(pk=campaign.pk).update(
        product_name="rival-shop.com",
        benefits_gets="dry feet all day\nfresh legs at the finish",
        proof_points="Tested on 1,200 km of trails\nRated 4.7 by 2,300 runners",
    )
    job = run_round(campaign, segments[:1], n=3, seed=5)
    assert job.status == "succeeded", job.error
    for variant in job.variants.all():
        assert variant.status == Variant.Status.PENDING
        mentions = "rival-shop.com" in f"{variant.headline} {variant.body} {variant.cta}"
        assert not mentions
        assert not variant.moderation_cases.exists()
    # The screen itself runs on the stored copy: a later edit carrying the link is held.
    variant = job.variants.first()
    Variant.objects.filter(pk=variant.pk).update(headline="Shop at rival-shop.com")
    variant.refresh_from_db()
    case = moderation.variant_screen(variant=variant)
    assert case is not None and "pii_url" in case.reason_codes


def test_clear_lets_the_variant_be_approved(url_variant, moderator):
    case = moderation.variant_screen(variant=url_variant)
    moderation.case_clear(case=case, user=moderator, note="It is our partner shop.")
    case.refresh_from_db()
    assert (case.status, case.decided_by) == (ModerationCase.Status.CLEARED, moderator)
    event = case.events.get(action="cleared")
    assert (event.user, event.note) == (moderator, "It is our partner shop.")
    assert event.hash_before == event.hash_after == moderation.variant_content_hash(url_variant)
    reviews.variant_approve(variant=url_variant, user=moderator)
    assert list(variant_list_cleared()) == [url_variant]
    moderation.case_clear(case=case, user=moderator)  # idempotent: no second event
    assert case.events.count() == 2


def test_a_block_is_final(unsafe_variant, moderator):
    case = moderation.variant_screen(variant=unsafe_variant)
    moderation.case_block(case=case, user=moderator, note="Weapon in shot.")
    with pytest.raises(PermissionDenied, match="final"):
        moderation.case_clear(case=case, user=moderator)
    with pytest.raises(PermissionDenied, match="final"):
        moderation.case_fix_and_clear(
            case=case, user=moderator, headline="New", body="A brand new body text.", cta="Go"
        )
    case.refresh_from_db()
    assert case.status == ModerationCase.Status.BLOCKED
    assert list(case.events.values_list("action", flat=True)) == ["opened", "blocked"]
    # Even a second, cleared case does not lift the block.
    ModerationCase.objects.create(variant=unsafe_variant, status=ModerationCase.Status.CLEARED)
    with pytest.raises(PermissionDenied):
        reviews.variant_approve(variant=unsafe_variant, user=moderator)


def test_blocking_an_approved_variant_withdraws_it(clean_variant, moderator):
    reviews.variant_approve(variant=clean_variant, user=moderator)
    case = ModerationCase.objects.create(variant=clean_variant, reasons=[{"code": "manual"}])
    moderation.case_block(case=case, user=moderator)
    assert not variant_list_cleared().exists()


def test_fix_and_clear_edits_copy_and_rerenders(
    url_variant, moderator, campaign, segment, django_capture_on_commit_callbacks
):
    fmt = campaign.formats.first()
    old = make_rendition(url_variant, fmt)
    case = moderation.variant_screen(variant=url_variant)
    hash_before = moderation.variant_content_hash(url_variant)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        moderation.case_fix_and_clear(
            case=case,
            user=moderator,
            headline=url_variant.headline,
            body="Order at https://shop.acme.example/aero before Friday.",
            cta=url_variant.cta,
            note="Link swapped for ours.",
        )
    # The domain event (moderation_case.decided), then the re-render task.
    assert len(callbacks) == 2
    url_variant.refresh_from_db()
    assert url_variant.body == "Order at https://shop.acme.example/aero before Friday."
    assert url_variant.version == 2
    assert url_variant.history[-1]["body"].startswith("Order at https://rival-shop.com")
    event = case.events.get(action="fixed_and_cleared")
    assert event.hash_before == hash_before
    assert event.hash_after == moderation.variant_content_hash(url_variant) != hash_before
    assert not rendering.rendition_is_current(old, url_variant)
    rendering.variant_render(variant=url_variant)  # what the task runs
    fresh = url_variant.renditions.get(format=fmt)
    assert rendering.rendition_is_current(fresh, url_variant)
    assert fresh.sha256 != old.sha256 and fresh.version == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"headline": "Now the cheapest shoe"}, "banned term"),
        ({"body": "Now a miracle cure for tired legs."}, "banned term"),
        ({"body": "Ring 020 7946 0958 for a free fitting."}, "phone number"),
        ({"headline": "x" * 41}, "too long"),
    ],
)
def test_fix_that_breaks_the_rules_is_refused(url_variant, moderator, change, message):
    case = moderation.variant_screen(variant=url_variant)
    fields = {"headline": url_variant.headline, "body": "Fresh copy, no links.", "cta": "Shop now"}
    with pytest.raises(ValidationError) as info:
        moderation.case_fix_and_clear(case=case, user=moderator, **{**fields, **change})
    assert message in str(info.value)
    case.refresh_from_db()
    url_variant.refresh_from_db()
    assert case.status == ModerationCase.Status.OPEN
    assert url_variant.version == 1 and "rival-shop.com" in url_variant.body
    assert list(case.events.values_list("action", flat=True)) == ["opened"]


def test_fix_with_unchanged_copy_is_refused(url_variant, moderator):
    case = moderation.variant_screen(variant=url_variant)
    with pytest.raises(ValidationError, match="unchanged"):
        moderation.case_fix_and_clear(
            case=case,
            user=moderator,
            headline=url_variant.headline,
            body=url_variant.body,
            cta=url_variant.cta,
        )


def test_only_moderators_of_the_brand_may_decide(url_variant, user, moderator):
    case = moderation.variant_screen(variant=url_variant)
    with pytest.raises(PermissionDenied):
        moderation.case_clear(case=case, user=user)  # no permission
    outsider = get_user_model().objects.create_user("out", password="pw-out-12345")
    Brand.objects.create(name="Other brand").members.add(outsider)
    outsider = grant(outsider, "moderate_variant")
    with pytest.raises(PermissionDenied):
        moderation.case_block(case=case, user=outsider)  # not a member of the brand
    assert list(moderation_queue(user=outsider)) == []
    assert list(moderation_queue(user=moderator)) == [case]


def test_events_are_append_only(url_variant):
    event = moderation.variant_screen(variant=url_variant).events.get()
    event.note = "rewritten"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_queue_is_oldest_first_and_filters_by_reason(
    url_variant, unsafe_variant, phone_variant, moderator
):
    cases = [moderation.variant_screen(variant=v) for v in (url_variant, unsafe_variant)]
    phone_case = moderation.variant_screen(variant=phone_variant)
    moderation.case_clear(case=phone_case, user=moderator)
    assert list(moderation_queue(user=moderator)) == cases
    assert list(moderation_queue(user=moderator, code="unsafe_concept")) == [cases[1]]
    assert list(moderation_queue(user=moderator, status="cleared")) == [phone_case]
    assert len(moderation_queue(user=moderator, status="")) == 3
