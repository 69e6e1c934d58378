"""studio.engine.safety: one fixture per flag reason, plus the innocent look-alikes."""

from __future__ import annotations

import pytest

from studio.engine import safety
from studio.engine.safety import SafetyPolicy

POLICY = SafetyPolicy(
    brand_terms=("cheapest", "guaranteed"),
    global_terms=("miracle cure",),
    landing_domain="acme.example",
    unsafe_threshold=0.5,
    min_alignment=20.0,
)
CLEAN = {"headline": "Run lighter", "body": "Springy foam for every trail.", "cta": "Shop now"}


def codes(flags):
    return [f.code for f in flags]


@pytest.fixture
def banned_copy():
    return {**CLEAN, "headline": "The CHEAPEST shoe", "body": "A miracle cure for tired legs."}


@pytest.fixture
def email_copy():
    return {**CLEAN, "body": "Questions? Write to help.desk+ads@mail.other.com today."}


@pytest.fixture
def phone_copy():
    return {**CLEAN, "body": "Call +44 20 7946 0958 or (555) 201-7788 to order."}


@pytest.fixture
def url_copy():
    return {
        **CLEAN,
        "body": "See https://shop.acme.example/aero and www.cheap-shoes.com/deal, or rival.io.",
    }


@pytest.fixture
def unsafe_scores():
    return {"weapons": 0.91, "drugs": 0.12, "violence or gore": 0.5}


def test_clean_copy_and_no_models_raise_nothing():
    assert safety.check(CLEAN, POLICY) == []
    # No model computed these: None is not evidence.
    assert safety.check(CLEAN, POLICY, safety=None, alignment=None, nsfw_detected=None) == []


def test_banned_terms_from_brand_and_global_lists(banned_copy):
    flags = safety.check(banned_copy, POLICY)
    assert codes(flags) == ["banned_term", "banned_term"]
    brand, global_ = flags
    assert brand.evidence == {
        "field": "headline",
        "term": "CHEAPEST",
        "source": "brand",
        "text": "The CHEAPEST shoe",
    }
    assert global_.evidence["source"] == "global"
    assert global_.evidence["term"] == "miracle cure"
    assert "miracle cure" in global_.detail


def test_banned_term_is_word_bounded():
    assert safety.check({**CLEAN, "body": "Guaranteedly the cheapestish."}, POLICY) == []


def test_email_is_flagged_once_not_as_a_url(email_copy):
    flags = safety.check(email_copy, POLICY)
    assert codes(flags) == ["pii_email"]
    evidence = flags[0].evidence
    assert evidence["match"] == "help.desk+ads@mail.other.com"
    start, end = evidence["span"]
    assert email_copy["body"][start:end] == evidence["match"]


def test_phone_numbers(phone_copy):
    flags = safety.check(phone_copy, POLICY)
    assert codes(flags) == ["pii_phone", "pii_phone"]
    assert [f.evidence["match"] for f in flags] == ["+44 20 7946 0958", "(555) 201-7788"]


@pytest.mark.parametrize(
    "text",
    ["Save 20% in 2024-2025.", "Only $1,299.99 until 12.05.2026", "Run 100-200 km", "1080x1080"],
)
def test_numbers_that_are_not_phones(text):
    assert safety.check({**CLEAN, "body": text}, POLICY) == []


def test_urls_outside_the_landing_domain(url_copy):
    flags = safety.check(url_copy, POLICY)
    assert codes(flags) == ["pii_url", "pii_url"]
    assert [f.evidence["host"] for f in flags] == ["cheap-shoes.com", "rival.io"]
    assert all(f.evidence["allowed"] == "acme.example" for f in flags)


def test_without_a_landing_domain_every_url_is_outside():
    policy = SafetyPolicy(landing_domain="")
    flags = safety.check({**CLEAN, "cta": "acme.com"}, policy)
    assert codes(flags) == ["pii_url"]


def test_innocent_dots_are_not_urls():
    assert safety.check({**CLEAN, "body": "Built with Node.js. Run.Fast e.g. daily"}, POLICY) == []


def test_unsafe_concepts_above_threshold(unsafe_scores):
    flags = safety.check(CLEAN, POLICY, safety=unsafe_scores)
    assert codes(flags) == ["unsafe_concept"]  # 0.5 is not above 0.5
    assert flags[0].evidence == {"concept": "weapons", "probability": 0.91, "threshold": 0.5}


def test_diffusion_safety_checker():
    flags = safety.check(CLEAN, POLICY, nsfw_detected=True)
    assert codes(flags) == ["nsfw_detected"]
    assert safety.check(CLEAN, POLICY, nsfw_detected=False) == []


def test_low_alignment():
    flags = safety.check(CLEAN, POLICY, alignment=12.5)
    assert codes(flags) == ["low_alignment"]
    assert flags[0].evidence == {"alignment": 12.5, "threshold": 20.0}
    assert safety.check(CLEAN, POLICY, alignment=20.0) == []


def test_flags_serialise_to_plain_dicts(banned_copy):
    dicts = [f.as_dict() for f in safety.check(banned_copy, POLICY)]
    assert set(dicts[0]) == {"code", "detail", "evidence"}


def test_every_code_has_a_label():
    assert set(safety.REASONS) >= safety.COPY_CODES | {"unsafe_concept", "low_alignment"}


# --- Unicode tricks: the checks read the text as it reads, not as it is spelt ----------

ZWSP, RLO = "\u200b", "\u202e"


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [
        ("headline", f"Guaran{ZWSP}teed fit", safety.BANNED_TERM),
        ("headline", "Ｇｕａｒａｎｔｅｅｄ fit", safety.BANNED_TERM),
        ("body", f"A miracle{ZWSP} cure for legs.", safety.BANNED_TERM),
        ("body", f"Write to sales{ZWSP}@rival-shop.com today.", safety.PII_EMAIL),
        ("body", "Write to sales@rival-shop\u2024com today.", safety.PII_EMAIL),
        ("body", "Write to ｓａｌｅｓ＠ｒｉｖａｌ．ｃｏｍ today.", safety.PII_EMAIL),
        ("body", f"Call 555{ZWSP}-0134 now, or later.", safety.PII_PHONE),
        ("body", "Call ５５５-０１３４ now, or later.", safety.PII_PHONE),
        ("body", "Visit rival-shop\u2024com for more.", safety.PII_URL),
    ],
)
def test_unicode_tricks_do_not_hide_a_flag(field, text, code):
    assert code in codes(safety.check_copy({**CLEAN, field: text}, POLICY))


def test_folding_leaves_honest_copy_alone():
    honest = {**CLEAN, "body": "Springy foam… for every trail — café runs too."}
    assert safety.check_copy(honest, POLICY) == []


def test_hidden_characters_are_named():
    from studio.engine.unicode_text import for_checks, hidden_characters, strip_hidden

    text = f"Run{ZWSP} {RLO}lighter\u2066"
    assert hidden_characters(text) == [
        "U+200B ZERO WIDTH SPACE",
        "U+202E RIGHT-TO-LEFT OVERRIDE",
        "U+2066 LEFT-TO-RIGHT ISOLATE",
    ]
    assert strip_hidden(text) == "Run lighter"
    assert for_checks("Ｒｕｎ\u2024") == "Run."
    assert hidden_characters("Springy foam… café") == []
