"""A real Celery worker builds exports (two of one campaign at once) and re-renders a
variant after a moderator's fix."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from campaigns.models import Export
from campaigns.services import exports, moderation, rendering
from tests.exports_helpers import check_against_manifest
from tests.factories import approve, make_job, make_rendition, make_variant
from tests.worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def worker(start_worker):
    return start_worker(concurrency=2)


@pytest.fixture
def staff(brand):
    user = get_user_model().objects.create_user("staff", password="pw-staff-12345")
    brand.members.add(user)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["export_campaign", "review_variant", "moderate_variant"]
        )
    )
    return get_user_model().objects.get(pk=user.pk)


def test_worker_builds_two_exports_of_one_campaign_at_once(worker, campaign, segments, staff):
    job = make_job(campaign, segments)
    expected = set()
    for segment in segments:
        for _ in range(3):
            variant = make_variant(job, segment)
            for fmt in campaign.formats.all():
                make_rendition(variant, fmt)
            approve(variant, staff)
            expected.add(variant.pk)
    # Enqueued on commit: no wrapping transaction here, so both go out at once.
    started = [exports.export_start(campaign=campaign, user=staff) for _ in range(2)]

    def finished():
        return all(Export.objects.get(pk=e.pk).is_finished for e in started)

    wait_for(finished, timeout=120, worker=worker)
    log = worker.log_path.read_text()
    for export in started:
        export.refresh_from_db()
        assert export.status == Export.Status.SUCCEEDED, export.error + log
        manifest = check_against_manifest(export.file.path)
        assert {i["variant_id"] for i in manifest["items"]} == expected
    assert started[0].file.name != started[1].file.name


def test_worker_rerenders_after_fix_and_clear(worker, campaign, segments, staff):
    variant = make_variant(
        make_job(campaign, segments), segments[0], body="Mail sales@rival.com for a fitting."
    )
    for fmt in campaign.formats.all():
        make_rendition(variant, fmt)
    case = moderation.variant_screen(variant=variant)
    moderation.case_fix_and_clear(
        case=case,
        user=staff,
        headline=variant.headline,
        body="Book a fitting at acme.example today.",
        cta=variant.cta,
    )
    variant.refresh_from_db()

    def rerendered():
        renditions = list(variant.renditions.all())
        return renditions and all(rendering.rendition_is_current(r, variant) for r in renditions)

    wait_for(rerendered, timeout=120, worker=worker)
    assert variant.renditions.count() == campaign.formats.count()
    assert all(r.version == 2 for r in variant.renditions.all())
