"""Two designers acting on one variant at the same moment end in one consistent state.

Real threads, each with its own database connection, released together by a barrier.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from campaigns.models import Review, Variant
from campaigns.services import edits, reviews
from tests.studio.conftest import make_variants

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(*actions):
    """Run each action in its own thread, started together; return results or errors."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait()
            results[i] = action()
        except Exception as exc:  # noqa: BLE001 - the test looks at what happened
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def variant(campaign, segments):
    return make_variants(campaign, segments[:1], n=1)[0]


@pytest.fixture
def two_designers(make_user, brand):
    from campaigns import roles

    return make_user("d1", roles.DESIGNER, brand), make_user("d2", roles.DESIGNER, brand)


def test_two_approvals_at_once_record_one_review(variant, two_designers):
    a, b = two_designers
    results = race(
        lambda: reviews.variant_approve(variant=variant, user=a, comment="a"),
        lambda: reviews.variant_approve(variant=variant, user=b, comment="b"),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    variant.refresh_from_db()
    assert variant.status == Variant.Status.APPROVED
    assert Review.objects.filter(variant=variant).count() == 1


def test_approve_and_reject_at_once_end_in_the_last_decision(variant, two_designers):
    a, b = two_designers
    results = race(
        lambda: reviews.variant_approve(variant=variant, user=a),
        lambda: reviews.variant_reject(variant=variant, user=b),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    variant.refresh_from_db()
    log = list(Review.objects.filter(variant=variant).order_by("created_at", "pk"))
    assert len(log) == 2
    # The stored state is the one the later decision wrote, and the audit trail says so.
    assert variant.status == {"approve": "approved", "reject": "rejected"}[log[-1].action]


def test_two_copy_edits_from_one_version_let_exactly_one_win(variant, two_designers):
    a, b = two_designers

    def edit(user, headline):
        return lambda: edits.variant_copy_edit(
            variant=variant,
            user=user,
            headline=headline,
            body=variant.body,
            cta=variant.cta,
            expected_version=1,
        )

    results = race(edit(a, "Headline from Ann"), edit(b, "Headline from Bob"))
    winners = [r for r in results if isinstance(r, Variant)]
    losers = [r for r in results if isinstance(r, ValidationError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "Someone else changed this variant" in str(losers[0])
    variant.refresh_from_db()
    assert variant.version == 2 and len(variant.history) == 1
    assert variant.headline == winners[0].headline
    assert Review.objects.filter(variant=variant, action="edit").count() == 1
