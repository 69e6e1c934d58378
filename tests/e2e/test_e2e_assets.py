"""A campaign manager fills the brand asset library in a real browser: upload a photo
with tags and a licence, see its card, try a broken file, delete the photo."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image, ImageDraw

from campaigns import roles
from campaigns.models import BrandAsset

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def landscape(path):
    image = Image.new("RGB", (900, 600), (120, 165, 215))
    ImageDraw.Draw(image).polygon(
        [(0, 380), (300, 250), (600, 330), (900, 240), (900, 600), (0, 600)], fill=(80, 95, 70)
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_manager_uploads_and_deletes_a_library_photo(page, live_server, make_user, brand, tmp_path):
    make_user("mona", roles.CAMPAIGN_MANAGER, brand)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "mona")
    page.fill("#id_password", "pw-mona")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/brands/")
    page.click("text=Asset library")
    page.fill("#id_title", "Alpine ridge at dusk")
    page.set_input_files("#id_image", landscape(tmp_path / "alps.jpg"))
    page.fill("#id_tags", "mountain, trail, dusk")
    page.fill("#id_licence", "Own shoot 2025, all channels")
    page.fill("#id_floor", "0.7")
    page.click("button:has-text('Upload')")
    page.wait_for_selector(".assetcard:has-text('Alpine ridge at dusk')")
    assert page.locator(".assetcard img").evaluate("img => img.naturalWidth") == 900
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    page.fill("#id_title", "Broken")
    page.set_input_files("#id_image", str(tmp_path / "broken.jpg"))
    page.fill("#id_licence", "n/a")
    page.click("button:has-text('Upload')")
    page.wait_for_selector("text=not a readable image")
    if os.environ.get("STUDIO_SCREENSHOT_DIR"):  # for looking at the page by eye
        page.screenshot(path=f"{os.environ['STUDIO_SCREENSHOT_DIR']}/assets.png", full_page=True)
    assert BrandAsset.objects.count() == 1
    page.click(".assetcard button:has-text('Delete')")
    page.wait_for_selector("text=No assets yet")
    assert not BrandAsset.objects.exists()
