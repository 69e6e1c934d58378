"""Copy edits, re-renders and regenerations on the real offline engine, in this process."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from campaigns import roles
from campaigns.models import GenerationJob, Review, Variant
from campaigns.services import edits, generation, regenerate, reviews
from tests.helpers import run_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(campaign, segments):
    job = run_round(campaign, segments, n=2, seed=5)
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    return job


def shas(variant):
    return dict(variant.renditions.values_list("format__slug", "sha256"))


def edit(variant, user, **changes):
    fields = {"headline": variant.headline, "body": variant.body, "cta": variant.cta, **changes}
    return edits.variant_copy_edit(
        variant=variant, user=user, expected_version=variant.version, **fields
    )


def test_copy_edit_keeps_history_and_rerenders(round_, user, django_capture_on_commit_callbacks):
    v = round_.variants.first()
    before, old_headline, old_fit = shas(v), v.headline, v.text_fit
    with django_capture_on_commit_callbacks() as callbacks:
        edited = edit(v, user, headline="Run further, feel lighter")
    assert len(callbacks) == 1  # the re-render task, enqueued after commit
    assert edited.version == 2 and edited.headline == "Run further, feel lighter"
    assert edited.history[0]["version"] == 1 and edited.history[0]["headline"] == old_headline
    assert Review.objects.filter(variant=v, action=Review.Action.EDIT).count() == 1
    assert edits.variant_rerender(variant_id=v.pk, version=2) is True
    v.refresh_from_db()
    after = shas(v)
    assert set(after) == set(before) and all(after[f] != before[f] for f in after)
    assert all(r.version == 2 and r.layout["variant_version"] == 2 for r in v.renditions.all())
    assert v.text_fit is not None and v.text_fit != old_fit  # scored again, on the new words


def test_outdated_rerender_does_nothing(round_, user):
    v = round_.variants.first()
    edit(v, user, headline="First new headline")
    v.refresh_from_db()
    edit(v, user, headline="Second new headline")
    assert edits.variant_rerender(variant_id=v.pk, version=2) is False
    assert set(v.renditions.values_list("version", flat=True)) == {1}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"headline": "x" * 41}, "headline", "Headline is too long (41 > 40 characters)."),
        ({"body": "short"}, "body", "Body is too short"),
        ({"cta": "Get the cheapest now"}, "cta", "brand banned term “cheapest”"),
        ({"headline": "GUARANTEED wins"}, "headline", "brand banned term “GUARANTEED”"),
        ({"body": "Write to deals@spam.example for more."}, "body", "email"),
    ],
)
def test_copy_edit_validates_lengths_and_banned_terms(round_, user, changes, field, message):
    v = round_.variants.first()
    with pytest.raises(ValidationError) as info:
        edit(v, user, **changes)
    assert message in " ".join(info.value.message_dict[field])
    v.refresh_from_db()
    assert v.version == 1 and v.history == []


def test_copy_edit_refuses_a_stale_version(round_, user):
    v = round_.variants.first()
    edit(v, user, headline="Someone else got here")
    with pytest.raises(ValidationError, match="Someone else changed this variant"):
        edits.variant_copy_edit(
            variant=v, user=user, headline="Mine", body=v.body, cta=v.cta, expected_version=1
        )


def test_editing_an_approved_variant_sends_it_back_to_review(round_, user):
    v = round_.variants.first()
    reviews.variant_approve(variant=v, user=user)
    assert edit(v, user, headline="Fresh words for you").status == Variant.Status.PENDING


def test_same_seed_regeneration_reproduces_the_variant(round_, user):
    source = round_.variants.order_by("segment", "index").last()
    job = regenerate.variant_regenerate(variant=source, user=user, same_seed=True)
    assert job.only_index == source.index and job.progress["copy"]["total"] == 1
    job = generation.job_run_sync(job_id=job.pk)
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    child = job.variants.get()
    assert child.parent == source and child.seed == source.seed and child.index == source.index
    assert (child.headline, child.body, child.cta) == (source.headline, source.body, source.cta)
    check = regenerate.reproduction_check(variant=child)
    assert check["all_identical"], check
    assert Review.objects.filter(variant=source, action="regenerate").exists()


def test_new_seed_regeneration_makes_a_different_child(round_, user):
    source = round_.variants.first()
    job = regenerate.variant_regenerate(variant=source, user=user, same_seed=False)
    child = generation.job_run_sync(job_id=job.pk).variants.get()
    assert child.parent == source and child.seed != source.seed
    assert child.status == Variant.Status.PENDING
    assert regenerate.reproduction_check(variant=child) is None
    assert shas(child) != shas(source)


def test_why_panel_explains_from_stored_numbers(client, round_, user, make_user, brand):
    designer = make_user("whyuser", roles.DESIGNER, brand)
    v = round_.variants.first()
    client.force_login(designer)
    html = client.get(reverse("campaigns:variant_why", args=[v.pk])).text
    assert "Score breakdown" in html and "0.25" in html  # text-fit weight
    assert "n/a — no image model ranked this variant" in html
    assert f"{v.text_fit:.2f}" in html
    assert str(v.seed) in html and v.lineage["image_prompt"][:20] in html
    assert "Nearest variants" in html and "copy cosine" in html
    assert "Reproduce (same seed" in html


def test_ensure_roles_is_idempotent_and_exact(db):
    first = roles.ensure_roles()
    second = roles.ensure_roles()
    assert {g.pk for g in first.values()} == {g.pk for g in second.values()}
    moderator = set(second[roles.MODERATOR].permissions.values_list("codename", flat=True))
    assert "moderate_variant" in moderator and "review_variant" not in moderator
    designer = set(second[roles.DESIGNER].permissions.values_list("codename", flat=True))
    assert "review_variant" in designer and "change_brand" not in designer


def test_seed_demo_creates_one_user_per_role_who_can_log_in(client, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    users = get_user_model().objects
    for name, (role, password) in {
        "designer": (roles.DESIGNER, "designer-dev-pass"),
        "manager": (roles.CAMPAIGN_MANAGER, "manager-dev-pass"),
        "moderator": (roles.MODERATOR, "moderator-dev-pass"),
    }.items():
        assert f"password {password}" in out
        user = users.get(username=name)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.brands.filter(name="Trailhead Outfitters").exists()
        response = client.post(reverse("login"), {"username": name, "password": password})
        assert response.status_code == 302, name
        assert client.get(reverse("campaigns:campaign_list")).status_code == 200
    assert users.get(username="admin").is_superuser


def test_seed_demo_without_debug_takes_passwords_from_the_environment(
    settings, monkeypatch, capsys
):
    settings.DEBUG = False
    monkeypatch.setenv("STUDIO_DEMO_PASSWORD_DESIGNER", "from-env-123")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "dev-pass" not in out
    assert "user moderator: skipped (DEBUG is off" in out
    users = get_user_model().objects
    assert users.get(username="designer").check_password("from-env-123")
    assert not users.filter(username="moderator").exists()
