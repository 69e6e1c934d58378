"""The brand asset library: who may see, upload and delete; what uploads are refused;
and a library round whose photo is named in the lineage and the export manifest."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw

from campaigns import roles
from campaigns.models import Brand, BrandAsset, GenerationJob
from campaigns.services import exports
from campaigns.services.generation import job_start
from campaigns.services.library import asset_create
from studio.engine.asset_match import AssetCandidate, choose_asset
from tests.exports_helpers import check_against_manifest, read_sheet
from tests.factories import approve
from tests.helpers import png_bytes, run_round

pytestmark = pytest.mark.django_db


def photo_bytes(size=(600, 400), horizon=0.6, fmt="JPEG") -> bytes:
    """A landscape photo stand-in: sky above `horizon`, ground below."""
    image = Image.new("RGB", size, (120, 170, 220))
    ImageDraw.Draw(image).rectangle((0, round(horizon * size[1]), size[0], size[1]), (90, 70, 40))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, quality=90)
    return buffer.getvalue()


def upload(name="alps.jpg", data=None):
    return SimpleUploadedFile(name, data if data is not None else photo_bytes())


def add_asset(brand, title="Alpine ridge", tags="mountain, trail, dusk", **kwargs):
    return asset_create(
        brand=brand,
        user=None,
        image=upload(),
        title=title,
        licence="Own shoot 2025, all channels",
        tags=tags,
        **kwargs,
    )


@pytest.fixture
def other_brand(db):
    return Brand.objects.create(name="Rival Co", palette=["#111111", "#EEEEEE"])


@pytest.fixture
def manager(make_user, brand):
    return make_user("mia", roles.CAMPAIGN_MANAGER, brand)


@pytest.fixture
def designer(make_user, brand):
    return make_user("dan", roles.DESIGNER, brand)


def client_for(client, user):
    client.force_login(user)
    return client


def post_upload(client, brand, **overrides):
    data = {
        "title": "Alpine ridge",
        "kind": "background",
        "tags": "Mountain, trail",
        "licence": "Own shoot 2025",
        "image": upload(),
        **overrides,
    }
    return client.post(reverse("campaigns:asset_upload", args=[brand.pk]), data)


def test_manager_uploads_and_designer_sees_but_may_not_upload_or_delete(
    client, brand, manager, designer
):
    response = post_upload(client_for(client, manager), brand)
    assert response.status_code == 302
    asset = BrandAsset.objects.get()
    assert (asset.brand, asset.uploaded_by, asset.tag_list) == (
        brand,
        manager,
        ["mountain", "trail"],
    )
    assert Path(asset.image.path).is_file()

    client.force_login(designer)
    page = client.get(reverse("campaigns:asset_list", args=[brand.pk]))
    assert page.status_code == 200 and b"Alpine ridge" in page.content
    assert b"Upload an asset" not in page.content
    assert client.get(asset.image.url).status_code == 200  # served to the brand's members
    assert post_upload(client, brand, title="Sneaky").status_code == 403
    delete = client.post(reverse("campaigns:asset_delete", args=[asset.pk]))
    assert delete.status_code == 403 and BrandAsset.objects.count() == 1


def test_another_brands_asset_answers_404(client, brand, other_brand, make_user):
    theirs = add_asset(other_brand, title="Their beach")
    outsider = make_user("olga", roles.CAMPAIGN_MANAGER, brand)
    client.force_login(outsider)
    assert client.get(reverse("campaigns:asset_list", args=[other_brand.pk])).status_code == 404
    assert post_upload(client, other_brand).status_code == 404
    assert client.post(reverse("campaigns:asset_delete", args=[theirs.pk])).status_code == 404
    assert client.get(theirs.image.url).status_code == 404
    assert BrandAsset.objects.filter(pk=theirs.pk).exists()


def truncated_jpeg() -> bytes:
    data = photo_bytes((800, 600))
    return data[: len(data) // 2]


def truncated_png() -> bytes:
    data = png_bytes((300, 300))
    return data[: len(data) - 40]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.png", b"MZ\x90\x00 definitely not an image", "not a readable image"),
        ("half.jpg", truncated_jpeg(), "not a readable image"),
        ("half.png", truncated_png(), "not a readable image"),
        ("bomb.png", png_bytes((2000, 2000), colour=(0, 0, 0)), "pixels"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    client, brand, manager, settings, media_root, name, data, message
):
    settings.STUDIO_MAX_UPLOAD_PIXELS = 1_000_000  # the 2000x2000 PNG is a bomb here
    response = post_upload(client_for(client, manager), brand, image=upload(name, data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BrandAsset.objects.exists()
    assert not list(Path(media_root).rglob("*.*"))


def test_upload_without_licence_is_refused(client, brand, manager):
    response = post_upload(client_for(client, manager), brand, licence="")
    assert response.status_code == 400 and not BrandAsset.objects.exists()


def test_deleting_an_asset_removes_its_file_on_commit(
    client, brand, manager, django_capture_on_commit_callbacks
):
    asset = add_asset(brand)
    path = Path(asset.image.path)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("campaigns:asset_delete", args=[asset.pk]))
    assert response.status_code == 302 and not BrandAsset.objects.exists()
    assert path.is_file()  # not before the deletion commits ...
    for callback in callbacks:
        callback()
    assert not path.exists()  # ... and gone after


def test_tag_overlap_picks_the_asset_and_the_seed_breaks_ties():
    candidates = [
        AssetCandidate(1, ("kitchen", "counter")),
        AssetCandidate(2, ("mountain", "trail", "dusk")),
        AssetCandidate(3, ("mountain", "lake")),
    ]
    assert choose_asset(candidates, "Aero on a mountain trail at dusk", 5) == (2, 3)
    assert choose_asset(candidates, "trail runners in the mountains", 5)[0] == 2
    tied = [AssetCandidate(k, ("studio",)) for k in (4, 5, 6)]
    picks = {choose_asset(tied, "a product on a beach", seed)[0] for seed in range(30)}
    assert picks == {4, 5, 6}
    assert choose_asset(tied, "x", 11) == choose_asset(tied, "x", 11)


def test_library_source_needs_a_backdrop_photo_and_model_needs_a_model(campaign, segments):
    add_asset(campaign.brand, title="Spare angle", kind=BrandAsset.Kind.PRODUCT_ANGLE)
    with pytest.raises(ValidationError, match="asset library"):
        job_start(
            campaign=campaign,
            segments=segments,
            variants_per_segment=1,
            background_source="library",
            enqueue=False,
        )
    with pytest.raises(ValidationError, match="No image model"):
        job_start(
            campaign=campaign,
            segments=segments,
            variants_per_segment=1,
            background_source="model",
            enqueue=False,
        )


def test_library_round_names_the_photo_in_lineage_and_export_manifest(campaign, segments, manager):
    mountain = add_asset(campaign.brand, floor=0.6)
    add_asset(campaign.brand, title="Kitchen counter", tags="kitchen, counter, home")
    job = run_round(campaign, segments[:1], n=2, seed=3, background_source="library")
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    assert job.background_source == "library" and job.engine_config["painter"] == "backdrop"
    variants = list(job.variants.order_by("index"))
    for variant in variants:
        background = variant.lineage["background"]
        assert background["source"] == "library"
        # The trail runners' concepts talk about trails and mountains: the ridge wins.
        assert background["asset"]["id"] == mountain.pk, variant.image_prompt
        assert background["asset"]["licence"] == "Own shoot 2025, all channels"
        assert variant.lineage["image"]["source"] == "library"
        assert variant.lineage["image"]["asset"] == Path(mountain.image.name).name
    variant = variants[0]
    approve(variant, manager)
    export = exports.export_build(
        export_id=exports.export_start(campaign=campaign, user=manager, enqueue=False).pk
    )
    manifest = check_against_manifest(export.file.path)
    item = manifest["items"][0]
    assert item["background_asset"] == f"Alpine ridge (#{mountain.pk})"
    with zipfile.ZipFile(export.file.path) as zf:
        row = read_sheet(zf, "manifest.csv")[0]
    assert row["background_asset"] == f"Alpine ridge (#{mountain.pk})"


def test_generate_form_chooses_the_background_source(client, campaign, segments, designer):
    add_asset(campaign.brand)
    client.force_login(designer)
    data = {
        "segments": [segments[0].pk],
        "variants_per_segment": 1,
        "preset": "offline",
        "background": "library",
    }
    response = client.post(reverse("campaigns:generate", args=[campaign.pk]), data)
    assert response.status_code == 302
    assert GenerationJob.objects.get().background_source == "library"
    refused = client.post(
        reverse("campaigns:generate", args=[campaign.pk]), {**data, "background": "model"}
    )
    assert refused.status_code == 200 and b"No image model" in refused.content


def test_admin_lists_only_the_staff_members_brands(client, brand, other_brand, make_user):
    ours, theirs = add_asset(brand), add_asset(other_brand, title="Their beach")
    staff = make_user("sam", roles.CAMPAIGN_MANAGER, brand)
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_brandasset", "change_brandasset"])
    )
    client.force_login(staff)
    changelist = client.get(reverse("admin:campaigns_brandasset_changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == [ours]
    change = reverse("admin:campaigns_brandasset_change", args=[theirs.pk])
    assert client.get(change).status_code == 302  # "doesn't exist" -> back to the index
    page = client.get(reverse("admin:campaigns_brandasset_change", args=[ours.pk]))
    assert page.status_code == 200
    assert list(page.context["adminform"].form.fields["brand"].queryset) == [brand]


def test_regenerating_a_library_variant_reproduces_it_from_the_same_photo(
    client, campaign, segments, manager
):
    from campaigns.services.generation import job_run_sync
    from campaigns.services.regenerate import variant_regenerate

    add_asset(campaign.brand)
    job = run_round(campaign, segments[:1], n=1, seed=8, background_source="library")
    source = job.variants.get()
    child_job = variant_regenerate(variant=source, user=manager, same_seed=True)
    assert child_job.background_source == "library"
    child = job_run_sync(job_id=child_job.pk).variants.get()
    assert child.lineage["background"] == source.lineage["background"]
    assert child.base_image.read() == source.base_image.read()  # byte-identical
    client.force_login(manager)
    why = client.get(reverse("campaigns:variant_why", args=[child.pk]))
    assert why.status_code == 200 and "Alpine ridge" in why.content.decode()


def test_the_background_source_picks_the_painter(campaign):
    from campaigns.services.generation import background_choose

    diffusers = {"painter": "diffusers", "image_model": "some/model"}
    source, _ = background_choose(
        campaign=campaign, background_source=None, engine_config=diffusers
    )
    assert source == "model"
    source, config = background_choose(
        campaign=campaign, background_source="backdrop", engine_config=diffusers
    )
    assert (source, config["painter"]) == ("backdrop", "backdrop")
    procedural = {"painter": "procedural"}
    assert background_choose(
        campaign=campaign, background_source="backdrop", engine_config=procedural
    ) == ("backdrop", procedural)
    add_asset(campaign.brand)
    source, config = background_choose(
        campaign=campaign, background_source="library", engine_config=procedural
    )
    assert (source, config["painter"]) == ("library", "backdrop")
