import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns.models import ModerationCase, Review, Variant
from campaigns.selectors import variant_list_cleared
from campaigns.services import reviews
from tests.helpers import run_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def variant(campaign, segments):
    return run_round(campaign, segments[:1], n=1, seed=1).variants.get()


def test_approve_is_idempotent_and_audited(variant, user):
    reviews.variant_approve(variant=variant, user=user, comment="great")
    reviews.variant_approve(variant=variant, user=user, comment="again")
    variant.refresh_from_db()
    assert variant.status == Variant.Status.APPROVED
    assert list(Review.objects.values_list("action", "comment")) == [("approve", "great")]
    assert list(variant_list_cleared(campaign=variant.campaign)) == [variant]


def test_open_case_blocks_approval_and_serving(variant, user):
    case = ModerationCase.objects.create(variant=variant, reasons=[{"code": "banned_term"}])
    with pytest.raises(PermissionDenied):
        reviews.variant_approve(variant=variant, user=user)
    case.status = ModerationCase.Status.CLEARED
    case.save()
    reviews.variant_approve(variant=variant, user=user)
    assert variant_list_cleared().count() == 1
    ModerationCase.objects.create(variant=variant, status=ModerationCase.Status.BLOCKED)
    assert variant_list_cleared().count() == 0


def test_draft_cannot_be_reviewed(variant, user):
    Variant.objects.filter(pk=variant.pk).update(status=Variant.Status.DRAFT)
    with pytest.raises(ValidationError):
        reviews.variant_reject(variant=variant, user=user)
