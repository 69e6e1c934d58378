"""No CSV the studio writes carries a spreadsheet formula: copy beginning with =, +, -,
@ (through a designer's copy edit or a moderator's fix) and campaign / segment names
beginning with those or with a tab or CR, in every cell of every sheet of an export and
in the analytics CSV. Also: an export holds no server path, no JSON blob in a CSV cell
and no long float."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns.models import AdFormat, Export, ModerationCase, Rendition
from campaigns.services import edits, exports, moderation
from studio.engine import csv_safe
from tests.exports_helpers import every_csv_cell, read_sheet
from tests.factories import approve, make_job, make_rendition, make_variant

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def manager(brand):
    user = get_user_model().objects.create_user("cm", password="pw-cm-12345")
    brand.members.add(user)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["export_campaign", "review_variant", "moderate_variant"]
        )
    )
    return get_user_model().objects.get(pk=user.pk)


def rerender(variant):
    """What refresh_edited_variant does after an edit: renditions of the new copy."""
    variant.refresh_from_db()
    Rendition.objects.filter(variant=variant).delete()
    for fmt in variant.campaign.formats.all():
        make_rendition(variant, fmt, size=(fmt.width, fmt.height))


@pytest.fixture
def hostile_export(campaign, segments, manager):
    campaign.name = "=HYPERLINK(1)"
    campaign.save()
    segments[0].name = "\t=cmd|' /C calc'!A0"
    segments[0].save()
    segments[1].name = "\r@SUM(1+1)"
    segments[1].save()
    campaign.formats.set(AdFormat.objects.filter(slug__in=["square-1080", "landscape-1200x628"]))
    job = make_job(campaign, segments)
    edited, fixed = make_variant(job, segments[0]), make_variant(job, segments[1])
    edits.variant_copy_edit(
        variant=edited, user=manager, headline="=1+1 miles", body="-20% on trail shoes.",
        cta="@Shop now",
    )  # fmt: skip
    rerender(edited)
    approve(edited, manager)
    approve(fixed, manager)
    case = ModerationCase.objects.create(variant=fixed, reasons=[{"code": "manual"}])
    moderation.case_fix_and_clear(
        case=case, user=manager, headline="+Lighter runs", body="@everyone loves the foam.",
        cta="-Go",
    )  # fmt: skip
    rerender(fixed)
    export = exports.export_start(campaign=campaign, user=manager, enqueue=False)
    export = exports.export_build(export_id=export.pk)
    assert export.status == Export.Status.SUCCEEDED, export.error
    return export, edited, fixed


def test_no_cell_of_any_exported_csv_starts_a_formula(hostile_export):
    export, edited, fixed = hostile_export
    with zipfile.ZipFile(export.file.path) as zf:
        cells = list(every_csv_cell(zf))
        meta = read_sheet(zf, "meta_ads.csv")
        google = read_sheet(zf, "google_ads.csv")
        manifest = read_sheet(zf, "manifest.csv")
    sheets = {sheet for sheet, _ in cells}
    assert sheets == {"manifest.csv", "google_ads.csv", "meta_ads.csv", "skipped.csv"}
    assert [c for _, c in cells if c.startswith(TRIGGERS)] == []
    # The text is kept, behind the apostrophe that tells a spreadsheet "this is text".
    assert {r["Title"] for r in meta} == {"'=1+1 miles", "'+Lighter runs"}
    assert {r["Body"] for r in meta} == {"'-20% on trail shoes.", "'@everyone loves the foam."}
    assert {r["Campaign"] for r in google} == {"'=HYPERLINK(1)"}
    assert {r["Ad group"] for r in google} == {"'\t=cmd|' /C calc'!A0", "'\r@SUM(1+1)"}
    assert {r["cta"] for r in manifest} == {"'@Shop now", "'-Go"}


def test_analytics_csv_goes_through_the_same_helper(client, campaign, segments, user):
    segments[0].name = "=HYPERLINK(1)"
    segments[0].save()
    from tests.serving_helpers import activate, make_placement, make_variants
    from tests.test_analytics import grant, send

    activate(campaign, segments)
    campaign.brand.members.add(user)
    grant(user, "view_analytics")
    variant = make_variants(campaign, segments[0], 1, headline="@everyone run")[0]
    send(make_placement(campaign), variant, segments[0], 10, 1)
    client.force_login(get_user_model().objects.get(pk=user.pk))
    response = client.get(reverse("campaigns:analytics_csv", args=[campaign.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert not any(cell.startswith(TRIGGERS) for row in rows for cell in row)


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r", "\uff1d"])
def test_the_helper_neutralises_every_trigger(prefix):
    assert csv_safe.cell(prefix + "1+1") == "'" + prefix + "1+1"
    assert csv_safe.cell("a" + prefix) == "a" + prefix  # only a leading trigger counts


def test_the_helper_keeps_numbers_as_numbers():
    assert [csv_safe.cell(v) for v in (-0.5, 3, None, True)] == ["-0.5", "3", "", "True"]


def test_exports_hold_no_server_path_no_json_blob_and_rounded_scores(hostile_export):
    export, edited, fixed = hostile_export
    # Lineage as real backends write it: local model directories and long floats.
    model_dir = str(Path(settings.BASE_DIR) / ".venv/lib/python3.11/site-packages/minilm")
    lineage = {
        "copywriter": {"backend": "template", "embedder": {"name": "all-MiniLM-L6-v2",
                                                           "model_dir": model_dir}},
        "painter": {"backend": "diffusers", "model": "/srv/models/sd-turbo", "device": "cuda"},
        "scorer": {"backend": "minilm-text+clip", "text": {"embedder": {
                       "name": "all-MiniLM-L6-v2", "model_dir": model_dir}},
                   "image": {"model": "ViT-B-32", "pretrained": "/srv/ckpt/laion.bin"}},
    }  # fmt: skip
    type(edited).objects.filter(pk__in=[edited.pk, fixed.pk]).update(
        lineage=lineage, alignment=41.583871841430664, text_fit=0.123456789
    )
    again = exports.export_start(campaign=export.campaign, user=export.requested_by, enqueue=False)
    again = exports.export_build(export_id=again.pk)
    secrets = [settings.MEDIA_ROOT, str(settings.BASE_DIR), ".venv", "/srv/", model_dir]
    with zipfile.ZipFile(again.file.path) as zf:
        for name in zf.namelist():
            assert not name.startswith("/") and ".." not in name
            data = zf.read(name)
            text = data.decode("utf-8", "replace")
            for secret in secrets:
                assert secret not in text, (name, secret)
        manifest = json.loads(zf.read("manifest.json"))
        rows = read_sheet(zf, "manifest.csv")
    for cell in (c for row in rows for c in row.values()):
        assert not cell.lstrip("'").startswith(("{", "[")), cell  # flat columns only
        assert not re.fullmatch(r"-?\d+\.\d{3,}", cell), cell  # at most 2 decimals
    item = manifest["items"][0]
    assert item["alignment"] == 41.58 and item["text_fit"] == 0.12
    assert item["painter_model"] == "sd-turbo"
    assert item["scorer_model"] == "all-MiniLM-L6-v2 + ViT-B-32 (laion.bin)"
