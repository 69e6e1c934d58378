"""The creative brief end to end: forms, the demo brief, a round's copy traced to frames
and brief fields, the segment's language, small print and badge, right-to-left locales."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns import roles
from campaigns.forms import CampaignForm
from campaigns.forms_studio import SegmentRuleForm
from campaigns.models import AdFormat, Campaign
from campaigns.services import briefs
from campaigns.services.demo import demo_seed
from studio.engine import locales
from studio.engine.copywriter.frames import bank_for
from studio.engine.types import BrandBrief
from tests.helpers import run_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    campaign = demo_seed()
    # One small format keeps the round quick; the copy is what is under test.
    campaign.formats.set(AdFormat.objects.filter(slug="mrec-300x250"))
    return campaign


def test_seed_demo_fills_the_brief(demo):
    brief = briefs.campaign_brief(demo)
    kinds = {b.kind for b in brief.benefits}
    assert kinds == {"does", "gets"} and len(brief.benefits) >= 6
    assert brief.proof_points and brief.offer.discount_percent == 20
    assert brief.offer.ends > dt.date.today()
    assert "recycled" in brief.small_print and brief.disclaimer in brief.small_print
    assert "de" in brief.languages
    segments = {s.name: briefs.segment_brief(s) for s in demo.segments.all()}
    assert all(s.audience and s.focus_benefit for s in segments.values())
    assert segments["City commuters"].locale == "de-DE"


def test_every_variant_of_a_round_is_a_frame_filled_from_the_brief(demo):
    segments = list(demo.segments.all())
    job = run_round(demo, segments, n=4, seed=5)
    assert job.status == "succeeded", job.error
    brief = briefs.campaign_brief(demo)
    for variant in job.variants.select_related("segment"):
        facts = variant.lineage["copy"]
        lang = facts["language"]
        bank = bank_for(lang)
        localized = brief.in_language(lang)
        typed = {
            "product_name": {localized.product_name},
            "segment.audience": {variant.segment.audience_noun},
            "proof_points": set(localized.proof_points),
            "benefits.does": {b.text for b in localized.benefits if b.kind == "does"},
            "benefits.gets": {b.text for b in localized.benefits if b.kind == "gets"},
        }
        for part in ("headline", "body"):
            frame = bank.all_frames()[facts["frames"][part]]
            slots = facts["slots"][part]
            values = {name: slot["value"] for name, slot in slots.items()}
            assert bank.fix(frame.format(**values)) == getattr(variant, part)
            for slot in slots.values():
                if slot["field"] in typed:
                    value = slot["value"]
                    assert {value, value[:1].lower() + value[1:]} & typed[slot["field"]], slot
        assert variant.cta in bank.cta_choices(demo.objective)
        assert facts["badge"] == bank.badge(20, "")
        if variant.segment.name == "City commuters":
            assert lang == "de" and facts["language_note"] == ""
        else:
            assert lang == "en"


def test_a_german_segment_gets_german_copy(demo):
    commuters = demo.segments.get(name="City commuters")
    job = run_round(demo, [commuters], n=3, seed=9)
    assert job.status == "succeeded", job.error
    de = bank_for("de")
    for variant in job.variants.all():
        assert variant.lineage["copy"]["language"] == "de"
        assert variant.cta in de.cta_choices("conversion")
    text = " ".join(f"{v.headline} {v.body}" for v in job.variants.all())
    assert any(w in text.split() for w in ("für", "mit", "auf", "Rabatt", "Stadtläufer"))


def test_the_card_says_when_copy_fell_back_to_english(demo, client, make_user):
    segment = demo.segments.get(name="Ultra competitors")
    segment.locale = "it-IT"
    segment.save()
    job = run_round(demo, [segment], n=1, seed=3)
    assert job.status == "succeeded", job.error
    designer = make_user("dana", roles.DESIGNER, demo.brand)
    client.force_login(designer)
    page = client.get(f"/campaigns/{demo.pk}/review/").content.decode()
    assert "No Italian frames ship with the template copywriter" in page


def test_small_print_is_the_campaigns_disclaimer_else_the_brands(demo):
    brand = BrandBrief(name="x", disclaimer="Brand terms.")
    english = briefs.layout_brand(brand, campaign=demo, language="en")
    assert english.disclaimer.startswith("20% off full-price pairs only.")
    assert "Upper made with 60% recycled polyester." in english.disclaimer
    german = briefs.layout_brand(brand, campaign=demo, language="de")
    assert german.disclaimer.startswith("20 % Rabatt nur auf Paare zum vollen Preis.")
    Campaign.objects.filter(pk=demo.pk).update(disclaimer="", required_claims="")
    demo.refresh_from_db()
    assert briefs.layout_brand(brand, campaign=demo, language="en").disclaimer == "Brand terms."


def campaign_data(brand, **changes):
    data = {
        "brand": brand.pk,
        "name": "Brief test",
        "product_name": "Summit 2",
        "description": "A light shoe.",
        "objective": "conversion",
        "formats": [AdFormat.objects.get(slug="square-1080").pk],
        "status": "draft",
        "spend": "0",
        "benefits_does": "grips on wet rock\n\n  cushions   every descent \ngrips on wet rock",
        "benefits_gets": "dry feet all day",
        "proof_points": "Tested on 1,200 km of Alpine trails",
        "offer_discount": "20",
        "offer_ends": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
        "words_to_avoid": "cheap, , unbeatable",
        "de__benefits_does": "greift auf nassem Fels",
        "de__benefits_gets": "trockene Füße den ganzen Tag",
    }
    return data | changes


def test_brief_form_saves_typed_fields_and_a_language_version(brand):
    form = CampaignForm(campaign_data(brand), brands=type(brand).objects.all())
    assert form.is_valid(), form.errors
    campaign = form.save()
    assert campaign.benefits_does == "grips on wet rock\ncushions every descent"
    assert campaign.words_to_avoid == "cheap, unbeatable"
    assert campaign.brief_translations["de"]["benefits_does"] == ["greift auf nassem Fels"]
    brief = briefs.campaign_brief(campaign)
    assert brief.in_language("de").benefits[0].text == "greift auf nassem Fels"
    assert "cheap" in brief.banned_terms
    # The edit form shows the stored German version again.
    again = CampaignForm(instance=campaign, brands=type(brand).objects.all())
    assert again["de__benefits_gets"].value() == "trockene Füße den ganzen Tag"
    html = str(again["benefits_does"].help_text)
    assert "grips on wet rock" in html  # each field explains itself with an example


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"offer_discount": "95"}, "offer_discount", "between 1 and 90"),
        ({"offer_price": "cheap"}, "offer_price", "amount and currency"),
        ({"offer_ends": "2001-01-01"}, "offer_ends", "in the past"),
        ({"offer_discount": ""}, "offer_ends", "needs a discount or a price"),
        ({"benefits_gets": "x" * 70}, "benefits_gets", "keep each line under 61"),
        ({"de__proof_points": "\n".join(f"p{i}" for i in range(9))}, "de__proof_points", "At most"),
    ],
)
def test_brief_form_refuses_bad_input_with_words(brand, changes, field, message):
    form = CampaignForm(campaign_data(brand, **changes), brands=type(brand).objects.all())
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def segment_data(**changes):
    return {"name": "Stadt", "persona": "Busy city runners.", **changes}


def test_segment_form_takes_the_brief_overrides(demo):
    form = SegmentRuleForm(
        segment_data(
            locale="de_DE", audience_noun=" Stadt  läufer ", focus_benefit="Frische Beine im Ziel"
        ),
        campaign=demo,
    )
    assert form.is_valid(), form.errors
    segment = form.save()
    assert (segment.locale, segment.audience_noun) == ("de-DE", "Stadt läufer")
    assert segment.focus_benefit == "frische Beine im Ziel"  # as written in the brief


def test_segment_form_refuses_an_unknown_focus_benefit_and_a_bad_locale(demo):
    form = SegmentRuleForm(
        segment_data(locale="not a locale", focus_benefit="flies"), campaign=demo
    )
    assert not form.is_valid()
    assert "is not a locale" in form.errors["locale"][0]
    assert "Choose one of the campaign's benefits" in form.errors["focus_benefit"][0]
    assert "grips on wet rock" in form.errors["focus_benefit"][0]


def test_right_to_left_locale_is_refused_where_text_cannot_be_shaped(demo, monkeypatch):
    monkeypatch.setattr(locales, "rtl_supported", lambda: False)
    form = SegmentRuleForm(segment_data(locale="ar-EG"), campaign=demo)
    assert not form.is_valid()
    assert "Arabic is written right to left" in form.errors["locale"][0]
    assert "libraqm" in form.errors["locale"][0]
    monkeypatch.setattr(locales, "rtl_supported", lambda: True)
    assert SegmentRuleForm(segment_data(locale="ar-EG"), campaign=demo).is_valid()


def test_the_forms_render_their_brief_fields(demo, client, make_user):
    manager = make_user("mia", roles.CAMPAIGN_MANAGER, demo.brand)
    client.force_login(manager)
    page = client.get(f"/campaigns/{demo.pk}/edit/").content.decode()
    assert 'id="creative-brief"' in page and "German version of the brief" in page
    assert "greift auf nassem Fels" in page
    segment = demo.segments.first()
    page = client.get(f"/campaigns/{demo.pk}/segments/{segment.pk}/edit/").content.decode()
    assert 'id="segment-brief"' in page and "audience_noun" in page


def test_renditions_get_the_badge_language_and_small_print_of_the_copy(demo):
    from tests.factories import make_job, make_variant

    commuters = demo.segments.get(name="City commuters")
    job = make_job(demo, [commuters])
    lineage = {"copy": {"badge": "-20 %", "language": "de"}}
    variant = make_variant(job, commuters, headline="Summit 2 für Stadtläufer", lineage=lineage)
    copy = briefs.variant_copy(variant)
    assert (copy.badge, copy.language) == ("-20 %", "de")
    older = make_variant(job, commuters, lineage={})  # made before the brief: English, no badge
    assert (briefs.variant_copy(older).badge, briefs.variant_copy(older).language) == ("", "en")
    from campaigns.services.rendering import variant_render

    variant_render(variant=variant)
    rendition = variant.renditions.get()
    # A 300x250 may give up the body for the small print; headline, CTA, badge and the
    # German small print are all drawn.
    assert not {"headline", "cta", "badge", "disclaimer"} & set(rendition.layout["dropped"])
    assert {"headline", "cta", "badge", "disclaimer"} <= set(rendition.layout["boxes"])
