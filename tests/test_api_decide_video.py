"""Video placements: the decide API answers with a signed link to a ready clip of the
current copy; creatives without one are no candidates; bad media/seconds are a JSON 400
with nothing stored."""

from __future__ import annotations

import av
import numpy as np
import pytest
from django.core.files import File
from django.urls import reverse

from campaigns.models import AdFormat, Decision, Placement, VariantClip
from campaigns.serving.services.placements import placement_create
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants, post

pytestmark = pytest.mark.django_db
URL = reverse("campaigns:api_decide")


def tiny_mp4(path, seconds=1):
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=10)
        stream.width = stream.height = 64
        stream.pix_fmt = "yuv420p"
        for i in range(10 * seconds):
            image = np.full((64, 64, 3), i * 20, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def add_clip(variant, tmp_path, seconds=6):
    path = tiny_mp4(tmp_path / f"v{variant.pk}-{seconds}.mp4")
    clip = VariantClip(
        variant=variant,
        format=AdFormat.objects.get(slug="square-1080"),
        seconds=seconds,
        kind="mp4",
        status=VariantClip.Status.READY,
        variant_version=variant.version,
        width=1080,
        height=1080,
        sha256=f"{variant.pk:02x}{seconds:02x}".ljust(64, "0"),
        bytes=path.stat().st_size,
    )
    with open(path, "rb") as handle:
        clip.file.save(path.name, File(handle), save=False)
    clip.save()
    return clip


@pytest.fixture
def video(campaign, segments, tmp_path):
    activate(campaign, segments)
    with_clip, without = make_variants(campaign, segments[0], 2)
    clips = [add_clip(with_clip, tmp_path, 6), add_clip(with_clip, tmp_path, 15)]
    placement, key = placement_create(
        campaign=campaign,
        name="reels",
        format=AdFormat.objects.get(slug="square-1080"),
        media=Placement.Media.VIDEO,
    )
    return {"key": key, "variant": with_clip, "without": without, "clips": clips}


def decide(client, key, **more):
    payload = {"user_id": "u1", "features": TRAIL_USER, "consent": True, **more}
    return post(client, URL, key, payload)


def test_video_placement_gets_a_signed_clip_of_a_creative_that_has_one(client, video):
    for _ in range(5):
        data = decide(client, video["key"], user_id=f"u{_}").json()
        assert data["media"] == "video" and data["variant_id"] == video["variant"].pk
        assert data["explanation"]["candidates"] == 1  # the creative without a clip is out
        assert data["clip"]["seconds"] == 6 and data["clip"]["type"] == "video/mp4"
        assert data["clip"]["url"].startswith("http://testserver/api/v1/clips/")
    longer = decide(client, video["key"], seconds=15, user_id="u9").json()
    assert longer["clip"]["seconds"] == 15
    served = client.get(longer["clip"]["url"])
    assert served.status_code == 200 and served["Content-Type"] == "video/mp4"
    assert b"".join(served.streaming_content) == open(video["clips"][1].file.path, "rb").read()


def test_a_clip_stops_being_served_when_its_copy_changes(client, video):
    url = decide(client, video["key"]).json()["clip"]["url"]
    variant = video["variant"]
    variant.version = 2  # as a copy edit leaves it, saved (so the serving cache hears)
    variant.save()
    assert client.get(url).status_code == 404
    fresh = decide(client, video["key"]).json()
    assert fresh["variant_id"] is None and "ready clip" in fresh["explanation"]["no_fill"]
    assert client.get(url.replace("/clips/", "/clips/x")).status_code == 403


def test_image_placement_is_unchanged_and_may_ask_for_video(client, video, campaign):
    _, key = make_placement(campaign)
    image = decide(client, key).json()
    assert image["media"] == "image" and image["clip"] is None
    assert image["explanation"]["candidates"] == 2
    asked = decide(client, key, media="video").json()
    assert asked["media"] == "video" and asked["variant_id"] == video["variant"].pk


@pytest.mark.parametrize(
    ("more", "field", "message"),
    [
        ({"media": "hologram"}, "media", '"media" must be "image" or "video".'),
        ({"media": "video", "seconds": 7}, "seconds", '"seconds" must be a clip length: 6 or 15.'),
        ({"seconds": "6"}, "seconds", '"seconds" must be a clip length: 6 or 15.'),
        ({"media": "image", "seconds": 6}, "seconds", '"seconds" is for video'),
    ],
)
def test_bad_media_or_seconds_is_a_json_400_and_nothing_is_stored(
    client, video, more, field, message
):
    response = decide(client, video["key"], **more)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == field and error["message"].startswith(message)
    assert not Decision.objects.exists()


def test_placement_media_is_validated(campaign):
    with pytest.raises(Exception, match="Unknown media"):
        placement_create(
            campaign=campaign,
            name="odd",
            format=AdFormat.objects.get(slug="square-1080"),
            media="hologram",
        )
    assert not Placement.objects.exists()
