"""Services announce domain events after commit, through campaigns.events only."""

import pytest

from campaigns import events
from campaigns.services import generation, moderation, reviews
from tests.factories import make_job, make_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    received = []
    events.subscribe(received.append)
    yield received
    events._subscribers.remove(received.append)


def types(heard):
    return [e.type for e in heard]


def test_job_failure_is_announced(campaign, segments, heard, django_capture_on_commit_callbacks):
    job = make_job(campaign, segments)
    job.status = job.Status.RUNNING
    job.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        generation.job_fail(job_id=job.pk, message="paint: out of memory")
    assert types(heard) == ["job.failed"]
    assert heard[0].data["error"] == "paint: out of memory"
    assert heard[0].brand_id == campaign.brand_id


def test_review_decisions_are_announced(
    campaign, segments, user, heard, django_capture_on_commit_callbacks
):
    job = make_job(campaign, segments)
    a, b = make_variant(job, segments[0]), make_variant(job, segments[0])
    with django_capture_on_commit_callbacks(execute=True):
        reviews.variant_approve(variant=a, user=user, comment="good")
        reviews.variant_approve(variant=a, user=user)  # already approved: no second event
        reviews.variant_reject(variant=b, user=user, comment="off brand")
    assert types(heard) == ["variant.approved", "variant.rejected"]
    assert heard[1].data["comment"] == "off brand"


def test_moderation_cases_opened_and_decided(
    campaign, segments, user, heard, django_capture_on_commit_callbacks
):
    variant = make_variant(make_job(campaign, segments), segments[0], headline="The cheapest shoe")
    with django_capture_on_commit_callbacks(execute=True):
        case = moderation.variant_screen(variant=variant)
    assert case is not None and types(heard) == ["moderation_case.opened"]
    user.is_superuser = True
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.case_block(case=case, user=user, note="no")
    assert types(heard) == ["moderation_case.opened", "moderation_case.decided"]
    assert heard[1].data["status"] == "blocked"


def test_unknown_event_types_are_refused():
    with pytest.raises(ValueError):
        events.emit("variant.exploded", brand_id=1, data={})


def test_a_failing_subscriber_breaks_nothing(
    campaign, segments, user, heard, django_capture_on_commit_callbacks
):
    def broken(event):
        raise RuntimeError("boom")

    events.subscribe(broken)
    try:
        variant = make_variant(make_job(campaign, segments), segments[0])
        with django_capture_on_commit_callbacks(execute=True):
            reviews.variant_approve(variant=variant, user=user)
    finally:
        events._subscribers.remove(broken)
    assert types(heard) == ["variant.approved"]


def test_export_ready_and_failed_are_announced(
    campaign, segments, user, heard, django_capture_on_commit_callbacks
):
    from campaigns.models import Export
    from campaigns.services import exports

    export = Export.objects.create(campaign=campaign, requested_by=user)
    with django_capture_on_commit_callbacks(execute=True):
        exports.export_fail(export_id=export.pk, message="disk full")
    assert types(heard) == ["export.failed"]
    assert heard[0].data["export_id"] == export.pk


def test_a_built_export_is_announced_ready(
    campaign, segments, make_user, heard, django_capture_on_commit_callbacks
):
    from campaigns import roles
    from campaigns.services import exports
    from tests.factories import approve, make_rendition

    manager = make_user("mia", roles.CAMPAIGN_MANAGER, campaign.brand)
    variant = make_variant(make_job(campaign, segments), segments[0])
    make_rendition(variant, campaign.formats.first())
    approve(variant, manager)
    export = exports.export_start(campaign=campaign, user=manager, enqueue=False)
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        exports.export_build(export_id=export.pk)
    assert types(heard) == ["export.ready"]
    assert heard[0].data["counts"]["renditions"] == 1
