"""Export service: what gets in (and what never does), the ZIP against its manifest,
the AI disclosure read back from the images, bad input, concurrent exports."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.urls import reverse
from PIL import Image, ImageChops

from campaigns.models import Export, ModerationCase
from campaigns.services import exports, moderation
from studio.engine.disclosure import ALGORITHMIC
from tests.exports_helpers import check_against_manifest, read_disclosure, read_sheet
from tests.factories import approve, make_job, make_rendition, make_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def formats(campaign):
    return list(campaign.formats.order_by("slug"))


@pytest.fixture
def world(campaign, segments, formats, manager):
    """Two approved variants, one approved then re-flagged (open case), one blocked,
    one flagged and never approved; every variant rendered in every format."""
    job = make_job(campaign, segments)
    v = {
        "ok_a": make_variant(job, segments[0]),
        "ok_b": make_variant(job, segments[1], headline="City runs, lighter"),
        "reopened": make_variant(job, segments[0]),
        "blocked": make_variant(job, segments[1]),
        "flagged": make_variant(job, segments[0], body="Mail sales@rival.com for a fitting."),
    }
    for variant in v.values():
        for fmt in formats:
            make_rendition(variant, fmt)
    for name in ("ok_a", "ok_b", "reopened", "blocked"):
        approve(v[name], manager)
    ModerationCase.objects.create(variant=v["reopened"], reasons=[{"code": "manual"}])
    ModerationCase.objects.create(variant=v["blocked"], status=ModerationCase.Status.BLOCKED)
    assert moderation.variant_screen(variant=v["flagged"]) is not None
    return v


def build(campaign, user, **filters) -> Export:
    export = exports.export_start(campaign=campaign, user=user, enqueue=False, **filters)
    return exports.export_build(export_id=export.pk)


def test_only_approved_and_cleared_variants_are_exported(world, campaign, manager, formats):
    export = build(campaign, manager)
    assert export.status == Export.Status.SUCCEEDED, export.error
    manifest = check_against_manifest(export.file.path)
    exported = {item["variant_id"] for item in manifest["items"]}
    assert exported == {world["ok_a"].pk, world["ok_b"].pk}
    assert len(manifest["items"]) == 2 * len(formats)
    sheets = export.counts.pop("sheets")
    assert set(sheets) == {"google_ads.csv", "meta_ads.csv"}
    assert export.counts == {
        "variants": 2,
        "renditions": 2 * len(formats),
        "bytes": Path(export.file.path).stat().st_size,
        "skipped_stale": 0,
        "skipped_unreadable": 0,
        "clips": 0,
    }
    assert export.progress == {"done": 4, "total": 4}
    assert Path(export.file.path).is_relative_to(Path(exports.settings.STUDIO_EXPORT_ROOT))


def test_manifest_carries_ids_copy_scores_approval_models_and_seed(world, campaign, manager):
    export = build(campaign, manager)
    manifest = check_against_manifest(export.file.path)
    item = next(i for i in manifest["items"] if i["variant_id"] == world["ok_b"].pk)
    variant = world["ok_b"]
    assert item["file"] == (
        f"renditions/commuters-{variant.segment_id}/{item['format']}/"
        f"variant-{variant.pk}-{item['format']}.png"
    )
    assert (item["headline"], item["segment"], item["seed"]) == (
        "City runs, lighter",
        "Commuters",
        variant.seed,
    )
    assert item["approved_by"] == "cm" and item["approved_at"]
    assert (item["painter_backend"], item["copywriter_backend"]) == ("procedural", "template")
    assert item["alignment"] is None  # no model: null in JSON ...
    # Procedural painting ran no trained model: labelled as algorithmic, not "AI-trained".
    assert {i["digital_source_type"] for i in manifest["items"]} == {ALGORITHMIC}
    assert all(i["ai_generated"] is False for i in manifest["items"])
    with zipfile.ZipFile(export.file.path) as zf:
        row = next(r for r in read_sheet(zf, "manifest.csv") if r["file"] == item["file"])
    assert row["alignment"] == "n/a"  # ... and "n/a" in the CSV, never a number
    assert row["ai_generated"] == "False" and row["digital_source_type"] == ALGORITHMIC


def test_images_carry_the_disclosure_and_unchanged_pixels(world, campaign, manager):
    export = build(campaign, manager)
    manifest = check_against_manifest(export.file.path)
    with zipfile.ZipFile(export.file.path) as zf:
        for item in manifest["items"]:
            image, found = read_disclosure(zf, item["file"])
            assert found["text"]["DigitalSourceType"] == ALGORITHMIC
            assert "procedural algorithm" in found["text"]["AI Disclosure"]
            assert found["xmp_source_type"] == ALGORITHMIC
            source = world_rendition(world, item)
            original = Image.open(source.image.path).convert("RGB")
            assert ImageChops.difference(original, image.convert("RGB")).getbbox() is None
            assert image.size == (item["width"], item["height"])


def world_rendition(world, item):
    variant = next(v for v in world.values() if v.pk == item["variant_id"])
    return variant.renditions.get(pk=item["rendition_id"])


def test_segment_and_format_filters(world, campaign, manager, segments, formats):
    export = build(campaign, manager, segments=[segments[1]], formats=formats[:1])
    manifest = check_against_manifest(export.file.path)
    assert [(i["variant_id"], i["format"]) for i in manifest["items"]] == [
        (world["ok_b"].pk, formats[0].slug)
    ]
    assert manifest["export"]["segments"] == [segments[1].pk]


def test_nothing_approved_gives_a_message_and_no_zip(campaign, segments, manager, formats):
    job = make_job(campaign, segments)
    make_rendition(make_variant(job, segments[0]), formats[0])  # pending, not approved
    with pytest.raises(ValidationError, match="Nothing to export"):
        exports.export_start(campaign=campaign, user=manager, enqueue=False)
    assert not Export.objects.exists()
    assert not any(Path(exports.settings.STUDIO_EXPORT_ROOT).rglob("*.zip*"))


def test_variant_blocked_after_the_request_fails_cleanly(world, campaign, manager, segments):
    export = exports.export_start(
        campaign=campaign, user=manager, segments=[segments[0]], enqueue=False
    )
    ModerationCase.objects.create(variant=world["ok_a"], status=ModerationCase.Status.BLOCKED)
    export = exports.export_build(export_id=export.pk)
    assert export.status == Export.Status.FAILED
    assert "Nothing to export" in export.error and not export.file
    assert not any(Path(exports.settings.STUDIO_EXPORT_ROOT).rglob("*.zip*"))


def test_renditions_of_fixed_copy_wait_for_the_rerender(world, campaign, manager, formats):
    moderator = manager
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_variant"))
    moderator = get_user_model().objects.get(pk=moderator.pk)
    case = ModerationCase.objects.get(variant=world["reopened"])
    moderation.case_fix_and_clear(
        case=case, user=moderator, headline="Fixed headline", body="Fixed body copy.", cta="Go"
    )
    export = build(campaign, manager)
    assert export.counts["skipped_stale"] == len(formats)  # old copy is never exported
    manifest = check_against_manifest(export.file.path)
    assert world["reopened"].pk not in {i["variant_id"] for i in manifest["items"]}


def test_export_needs_permission_and_membership(world, campaign, user):
    with pytest.raises(PermissionDenied):
        exports.export_start(campaign=campaign, user=user, enqueue=False)


def test_a_finished_export_is_not_built_twice(world, campaign, manager):
    export = build(campaign, manager)
    again = exports.export_build(export_id=export.pk)
    assert (again.file.name, again.sha256) == (export.file.name, export.sha256)
    assert len(list(Path(exports.settings.STUDIO_EXPORT_ROOT).rglob("*.zip"))) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_exports_of_one_campaign_at_once(world, campaign, manager, formats):
    first, second = (
        exports.export_start(campaign=campaign, user=manager, enqueue=False) for _ in range(2)
    )
    errors = []

    def run(export_id):
        try:
            exports.export_build(export_id=export_id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(e.pk,)) for e in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Export.Status.SUCCEEDED
    assert first.file.name != second.file.name
    for export in (first, second):
        manifest = check_against_manifest(export.file.path)
        assert manifest["export"]["id"] == export.pk
        assert {i["variant_id"] for i in manifest["items"]} == {
            world["ok_a"].pk,
            world["ok_b"].pk,
        }
    assert not list(Path(exports.settings.STUDIO_EXPORT_ROOT).rglob("*.part"))


def test_a_missing_or_foreign_rendition_file_is_left_out_without_a_server_path(
    world, campaign, manager, client
):
    a, b = (world[k].renditions.order_by("format__slug").first() for k in ("ok_a", "ok_b"))
    Path(a.image.path).unlink()
    Path(b.image.path).write_bytes(b"GIF89a not what the row says")
    export = build(campaign, manager)
    assert export.status == Export.Status.SUCCEEDED, export.error
    assert export.counts["skipped_unreadable"] == 2
    manifest = check_against_manifest(export.file.path)  # no partial entry in the ZIP
    assert {a.pk, b.pk}.isdisjoint(i["rendition_id"] for i in manifest["items"])
    client.force_login(manager)
    html = client.get(reverse("campaigns:export_campaign", args=[campaign.pk])).content.decode()
    assert "2 image files missing or unreadable on the server left out" in html
    assert str(exports.settings.MEDIA_ROOT) not in html
