"""The REST API: tokens, the documented error shape, the review and export flows,
the OpenAPI schema, and a permission matrix that mirrors the browser UI's."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from campaigns import roles
from campaigns.models import ApiToken, Brand, GenerationJob, ModerationCase, Variant
from campaigns.services import api_tokens, exports
from tests.factories import make_job, make_rendition, make_variant
from tests.integrations.api_helpers import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(campaign, make_user):
    other = Brand.objects.create(name="Rival")
    return {
        "designer": make_user("dana", roles.DESIGNER, campaign.brand),
        "manager": make_user("mia", roles.CAMPAIGN_MANAGER, campaign.brand),
        "moderator": make_user("mo", roles.MODERATOR, campaign.brand),
        "outsider": make_user("otto", roles.CAMPAIGN_MANAGER, other),
        "nobody": make_user("nell", None, campaign.brand),
    }


def api_for(user):
    return ApiClient(Client(), user)


def test_tokens_are_hashed_shown_once_and_revocable(client, people):
    client.force_login(people["designer"])
    page = client.post(reverse("campaigns:profile"), {"name": "DAM sync"}).content.decode()
    token = ApiToken.objects.get()
    raw = page.split('<code class="token">')[1].split("</code>")[0]
    assert raw.startswith("stu_") and raw not in str(token.__dict__)
    assert token.token_hash != raw and len(token.token_hash) == 64
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get("/api/v1/brands", **headers).status_code == 200
    assert raw not in client.get(reverse("campaigns:profile")).content.decode()
    client.post(reverse("campaigns:token_revoke", args=[token.pk]))
    response = Client().get("/api/v1/brands", **headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_another_users_token_cannot_be_revoked(client, people):
    token, _ = api_tokens.api_token_create(user=people["manager"], name="x")
    client.force_login(people["designer"])
    assert client.post(reverse("campaigns:token_revoke", args=[token.pk])).status_code == 404


def test_errors_have_the_serving_shape(people, campaign):
    assert Client().get("/api/v1/campaigns").json() == {
        "error": {"code": "unauthorized", "message": "Send Authorization: Bearer <API token>."}
    }
    api = api_for(people["designer"])
    missing = api.get("/campaigns/999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    bad = api.post(f"/campaigns/{campaign.pk}/jobs", {"segments": "nope"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_payload"
    assert bad.json()["error"]["field"] == "segments"
    invalid = api.post(f"/campaigns/{campaign.pk}/jobs", {"segments": [], "preset": "offline"})
    assert invalid.status_code == 400 and invalid.json()["error"]["field"] == "segments"


def test_campaign_and_segment_crud_through_the_forms(people, campaign):
    api = api_for(people["designer"])
    fmt = campaign.formats.first()
    body = {
        "brand": campaign.brand_id,
        "name": "Autumn",
        "product_name": "Trail shoe",
        "objective": campaign.objective,
        "formats": [fmt.pk],
    }
    created = api.post("/campaigns", body)
    assert created.status_code == 201, created.content
    new_id = created.json()["id"]
    assert api.post("/campaigns", body).json()["error"]["code"] == "invalid"  # same name
    patched = api.send("patch", f"/campaigns/{new_id}", {"description": "Grippy."})
    assert patched.status_code == 200 and patched.json()["description"] == "Grippy."
    assert patched.json()["name"] == "Autumn"
    seg = {"name": "Hikers", "persona": "People who hike at weekends.", "age_min": 30}
    made = api.post(f"/campaigns/{new_id}/segments", seg)
    assert made.status_code == 201 and made.json()["rules"] == {"age": {"min": 30}}
    wrong = api.post(
        f"/campaigns/{new_id}/segments", {**seg, "name": "X", "age_min": 80, "age_max": 20}
    )
    assert wrong.status_code == 400 and wrong.json()["error"]["field"] in ("age_min", "age_max")
    other_brand = Brand.objects.create(name="Elsewhere")
    foreign = api.post("/campaigns", {**body, "name": "Sneaky", "brand": other_brand.pk})
    assert foreign.status_code == 400 and foreign.json()["error"]["field"] == "brand"


def test_campaigns_and_segments_are_deleted_as_the_studio_deletes_them(people, campaign, segments):
    manager, designer, outsider = (api_for(people[r]) for r in ("manager", "designer", "outsider"))
    path = f"/campaigns/{campaign.pk}/segments/{segments[1].pk}"
    assert designer.send("delete", path).status_code == 403
    assert outsider.send("delete", path).status_code == 404
    assert manager.send("delete", path).json() == {"outcome": "deleted"}
    assert not campaign.segments.filter(pk=segments[1].pk).exists()
    # A segment whose variant has a moderation case stays (its audit trail), and says why.
    variant = make_variant(make_job(campaign, segments[:1]), segments[0])
    ModerationCase.objects.create(variant=variant, reasons=[])
    refused = manager.send("delete", f"/campaigns/{campaign.pk}/segments/{segments[0].pk}")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "refused"
    # ... and its campaign is archived rather than deleted.
    assert designer.send("delete", f"/campaigns/{campaign.pk}").status_code == 403
    assert manager.send("delete", f"/campaigns/{campaign.pk}").json() == {"outcome": "archived"}
    campaign.refresh_from_db()
    assert campaign.status == campaign.Status.ARCHIVED


def test_a_round_started_through_the_api_takes_the_background_source(people, campaign, segments):
    manager = api_for(people["manager"])
    body = {"segments": [segments[0].pk], "variants_per_segment": 1, "preset": "offline"}
    refused = manager.post(f"/campaigns/{campaign.pk}/jobs", {**body, "background": "library"})
    # The brand has no library photos: refused as the generate page refuses it.
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid"
    started = manager.post(f"/campaigns/{campaign.pk}/jobs", {**body, "background": "backdrop"})
    assert started.status_code == 202, started.content
    assert GenerationJob.objects.get(pk=started.json()["id"]).background_source == "backdrop"


def test_round_poll_review_and_export_with_a_token(people, campaign, segments):
    manager = api_for(people["manager"])
    started = manager.post(
        f"/campaigns/{campaign.pk}/jobs",
        {"segments": [segments[0].pk], "variants_per_segment": 2, "preset": "offline"},
    )
    assert started.status_code == 202, started.content
    polled = manager.get(f"/jobs/{started.json()['id']}")
    assert polled.status_code == 200 and polled.json()["status"] == "queued"

    job = make_job(campaign, segments)
    fmt = campaign.formats.first()
    good, bad = make_variant(job, segments[0]), make_variant(job, segments[1])
    for v in (good, bad):
        make_rendition(v, fmt)
    listing = manager.get(f"/campaigns/{campaign.pk}/variants", status="pending", sort="alignment")
    assert listing.status_code == 200
    assert {v["id"] for v in listing.json()["items"]} == {good.pk, bad.pk}
    assert listing.json()["count"] == 2
    only_first = manager.get(f"/campaigns/{campaign.pk}/variants", segment=segments[0].pk)
    assert [v["id"] for v in only_first.json()["items"]] == [good.pk]

    approved = manager.post(f"/variants/{good.pk}/approve", {"comment": "Ship it"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert good.reviews.get().comment == "Ship it"
    rejected = manager.post(f"/variants/{bad.pk}/reject", {"comment": "Off brand"})
    assert rejected.json()["status"] == "rejected"

    export = manager.post(f"/campaigns/{campaign.pk}/exports", {})
    assert export.status_code == 202, export.content
    export_id = export.json()["id"]
    not_ready = manager.get(f"/exports/{export_id}/download")
    assert not_ready.status_code == 409 and not_ready.json()["error"]["code"] == "not_ready"
    exports.export_build(export_id=export_id)
    status = manager.get(f"/exports/{export_id}").json()
    assert status["status"] == "succeeded"
    download = manager.client.get(status["download_url"], **manager._headers())
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert any(f"v{good.pk}" in n or str(good.pk) in n for n in names)


def test_copy_edit_has_the_version_guard(people, campaign, segments):
    variant = make_variant(make_job(campaign, segments), segments[0])
    api = api_for(people["designer"])
    body = {"headline": "Run further", "body": "Springy foam.", "cta": "Shop now", "version": 1}
    first = api.post(f"/variants/{variant.pk}/copy", body)
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    stale = api.post(f"/variants/{variant.pk}/copy", {**body, "headline": "Mine wins"})
    assert stale.status_code == 409
    assert stale.json()["error"] == {
        "code": "version_conflict",
        "message": stale.json()["error"]["message"],
        "field": "version",
    }
    variant.refresh_from_db()
    assert variant.headline == "Run further"


def no_duplicate_keys(pairs):
    # Swagger UI refuses a schema with a key twice (json.loads would keep the last).
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate keys: {keys}"
    return dict(pairs)


def test_schema_is_valid_openapi_and_describes_serving():
    from openapi_spec_validator import validate

    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content, object_pairs_hook=no_duplicate_keys)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/decide", "/api/v1/events", "/api/v1/campaigns/{campaign_id}/jobs"):
        assert path in schema["paths"]


def test_docs_page_uses_local_static_files_only(people):
    client = Client()
    client.force_login(people["designer"])
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_serving_endpoints_still_answer_at_the_same_urls():
    response = Client().post("/api/v1/decide", "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert reverse("campaigns:api_events") == "/api/v1/events"


# --- The permission matrix: the API answers exactly as the UI does ---------------------

ROLES = ("designer", "manager", "moderator", "outsider", "nobody")


def outcome(status: int) -> str:
    return {403: "forbidden", 404: "hidden", 401: "forbidden"}.get(status, "allowed")


def ui_and_api_actions(campaign, segments, variant):
    fmt = campaign.formats.first()
    segment_form = {"name": "New", "persona": "Someone who likes running in the rain."}
    edit = {
        "brand": campaign.brand_id,
        "name": campaign.name,
        "product_name": "Renamed shoe",
        "objective": campaign.objective,
        "formats": [fmt.pk],
        "status": campaign.status,
    }
    gen = {"segments": [segments[0].pk], "variants_per_segment": 1, "preset": "offline"}
    return {
        "view campaign": (
            ("get", reverse("campaigns:campaign_detail", args=[campaign.pk]), None),
            ("get", f"/campaigns/{campaign.pk}", None),
        ),
        "edit campaign": (
            ("post", reverse("campaigns:campaign_edit", args=[campaign.pk]), edit),
            ("patch", f"/campaigns/{campaign.pk}", {"product_name": "Renamed shoe"}),
        ),
        "add segment": (
            ("post", reverse("campaigns:segment_create", args=[campaign.pk]), segment_form),
            ("post", f"/campaigns/{campaign.pk}/segments", segment_form),
        ),
        "generate": (
            ("post", reverse("campaigns:generate", args=[campaign.pk]), gen),
            ("post", f"/campaigns/{campaign.pk}/jobs", gen),
        ),
        "approve": (
            ("post", reverse("campaigns:variant_approve", args=[variant.pk]), {}),
            ("post", f"/variants/{variant.pk}/approve", {}),
        ),
        "export": (
            ("post", reverse("campaigns:export_campaign", args=[campaign.pk]), {}),
            ("post", f"/campaigns/{campaign.pk}/exports", {}),
        ),
    }


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_mirrors_the_ui(role, people, campaign, segments):
    variant = make_variant(make_job(campaign, segments), segments[0])
    make_rendition(variant, campaign.formats.first())
    user = people[role]
    browser = Client()
    browser.force_login(user)
    api = api_for(user)
    seen = {}
    for name, (ui, rest) in ui_and_api_actions(campaign, segments, variant).items():
        method, url, data = ui
        ui_status = getattr(browser, method)(url, data or {}).status_code
        rest_method, rest_path, body = rest
        api_status = (
            api.get(rest_path) if rest_method == "get" else api.send(rest_method, rest_path, body)
        ).status_code
        seen[name] = (outcome(ui_status), outcome(api_status))
        Variant.objects.filter(pk=variant.pk).update(status=Variant.Status.PENDING)
    assert all(ui == rest for ui, rest in seen.values()), seen
    expected_allowed = {
        "designer": {"view campaign", "edit campaign", "add segment", "generate", "approve"},
        "manager": set(seen),
        "moderator": {"view campaign"},
        "outsider": set(),
        "nobody": set(),
    }[role]
    assert {n for n, (ui, _) in seen.items() if ui == "allowed"} == expected_allowed


def test_a_deactivated_user_token_stops_working(people):
    api = api_for(people["designer"])
    user = get_user_model().objects.get(pk=people["designer"].pk)
    user.is_active = False
    user.save()
    assert api.get("/brands").status_code == 401
    assert json.loads(api.get("/brands").content)["error"]["code"] == "unauthorized"
