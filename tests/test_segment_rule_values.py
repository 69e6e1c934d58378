"""Segment rules check values, not only keys: sensitive interests are refused (from the
one list in campaigns.sensitive_categories), countries are stored as ISO 3166-1 alpha-2 codes from
names or codes, unknown ones get a suggestion, and messages are in words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns import roles
from campaigns.models import AudienceSegment
from campaigns.rules import RuleError, country_code, normalise_rules, parse_rules
from campaigns.sensitive_categories import sensitive_value as sensitive_category
from campaigns.sensitive_categories import sensitive_values


@pytest.mark.parametrize(
    "value",
    ["health conditions", "HIV treatment", "islam", "Ｉｓｌａｍ", "gay dating", "trade unions",
     "Labour Party", "is\u200blam"],
)  # fmt: skip
def test_sensitive_interest_values_are_refused(value):
    assert sensitive_category(value) is not None
    with pytest.raises(RuleError, match="cannot be targeted") as exc:
        parse_rules({"interests": ["running", value]})
    assert exc.value.field == "interests"
    assert value in str(exc.value)


@pytest.mark.parametrize("value", ["trail running", "yoga", "hiking", "black friday", "union jack"])
def test_ordinary_interests_pass(value):
    assert sensitive_values([value]) == []
    assert parse_rules({"interests": [value]}).interests == {value}


@pytest.mark.parametrize(
    ("given", "code"),
    [("United Kingdom", "GB"), ("united kingdom", "GB"), ("gb", "GB"), ("UK", "GB"),
     ("GBR", "GB"), ("Germany", "DE"), ("de", "DE"), ("United States of America", "US"),
     ("USA", "US")],
)  # fmt: skip
def test_countries_accept_names_and_codes_and_store_alpha2(given, code):
    assert country_code(given) == code
    assert normalise_rules({"countries": [given]}) == {"countries": [code]}
    assert parse_rules({"countries": [given]}).matches({"country": code})


def test_unknown_countries_are_refused_with_a_suggestion():
    with pytest.raises(RuleError) as exc:
        parse_rules({"countries": ["Untied Kingdom"]})
    assert "“Untied Kingdom” is not a country we know. Did you mean United Kingdom (GB)" in str(
        exc.value
    )
    assert exc.value.field == "countries"
    with pytest.raises(RuleError, match="two-letter code"):
        parse_rules({"countries": ["Qqqqxz"]})


def test_describe_names_countries():
    assert parse_rules({"countries": ["gb", "DE"]}).describe() == (
        "countries: Germany, United Kingdom"
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"age": {"min": 40, "max": 20}}, "“Age from” (40) must not be greater than “Age to” (20)"),
        ({"age": {"min": 5}}, "“Age from” must be between 13 and 120."),
        ({"age": {"max": "x"}}, "“Age to” must be a whole number of years."),
        ({"devices": ["fridge"]}, "Devices must be among"),
        ({"interests": [1]}, "Interests must be a list of words or phrases."),
    ],
)
def test_messages_are_in_words(raw, message):
    with pytest.raises(RuleError) as exc:
        parse_rules(raw)
    assert message in str(exc.value)
    assert "age.min" not in str(exc.value) and '"' not in str(exc.value)


# --- the rule builder in the studio ----------------------------------------------------


@pytest.fixture
def designer_client(client, make_user, brand):
    client.force_login(make_user("dana", roles.DESIGNER, brand))
    return client


def post_segment(client, campaign, **fields):
    data = {"name": "New one", "persona": "Somebody who runs.", **fields}
    return client.post(reverse("campaigns:segment_create", args=[campaign.pk]), data)


def test_builder_refuses_a_sensitive_interest_on_the_interests_field(designer_client, campaign):
    response = post_segment(designer_client, campaign, interests="running, health conditions")
    assert response.status_code == 200
    errors = response.context["form"].errors["interests"]
    assert any("cannot be targeted: health conditions" in e for e in errors)
    assert not AudienceSegment.objects.filter(name="New one").exists()


def test_builder_stores_country_names_as_codes(designer_client, campaign):
    response = post_segment(
        designer_client, campaign, countries="United Kingdom, de", estimated_size="5000"
    )
    assert response.status_code == 302
    assert AudienceSegment.objects.get(name="New one").rules == {"countries": ["DE", "GB"]}


def test_builder_suggests_the_country_meant(designer_client, campaign):
    response = post_segment(designer_client, campaign, countries="Germny")
    errors = response.context["form"].errors["countries"]
    assert any("Did you mean Germany (DE)" in e for e in errors)
    preview = designer_client.post(
        reverse("campaigns:rules_preview", args=[campaign.pk]),
        {"countries": "Germny"},
        headers={"HX-Request": "true"},
    )
    assert "Did you mean Germany (DE)" in preview.text


def test_an_empty_size_says_never_targeted_on_the_form_and_the_segment(
    designer_client, campaign, segments, settings
):
    settings.STUDIO_MIN_SEGMENT_SIZE = 100
    form_page = designer_client.get(reverse("campaigns:segment_create", args=[campaign.pk]))
    assert "never targeted when serving (k-anonymity)" in form_page.text
    segment = segments[0]  # no estimated size
    detail = designer_client.get(reverse("campaigns:campaign_detail", args=[campaign.pk]))
    assert "Never targeted: no estimated size (segments need at least 100 people)." in detail.text
    edit = designer_client.get(reverse("campaigns:segment_edit", args=[campaign.pk, segment.pk]))
    assert "Never targeted: no estimated size" in edit.text
    segment.estimated_size = 40
    segment.save()
    detail = designer_client.get(reverse("campaigns:campaign_detail", args=[campaign.pk]))
    assert "Never targeted: 40 people, below the minimum of 100." in detail.text
    segment.estimated_size = 4000
    segment.save()
    AudienceSegment.objects.filter(pk=segments[1].pk).update(estimated_size=4000)
    detail = designer_client.get(reverse("campaigns:campaign_detail", args=[campaign.pk]))
    assert "Never targeted" not in detail.text
