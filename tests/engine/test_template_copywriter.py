import pytest

from studio.engine import copy_rules
from studio.engine.copywriter.template import TemplateCopywriter, detect_tone
from studio.engine.types import BrandBrief, CampaignBrief, CopyRequest, EngineError, SegmentBrief

PARENTS = SegmentBrief("1", "Parents", "Busy parents who want healthy meals in under 20 minutes")
RUNNERS = SegmentBrief("2", "Runners", "Marathon runners who need fast recovery after long runs")


def make_request(segment=PARENTS, *, n=4, seed=7, banned=(), description=None, **brand):
    brand_brief = BrandBrief(
        name="FreshBox",
        voice=brand.pop("voice", "Playful and warm"),
        banned_terms=banned,
        **brand,
    )
    campaign = CampaignBrief(
        brand=brand_brief,
        product_name="FreshBox Kit",
        description=description
        or "Fresh meal kits delivered weekly. Chef-designed recipes, ready in 20 minutes.",
        objective="conversion",
    )
    return CopyRequest(campaign=campaign, segment=segment, n=n, seed=seed)


@pytest.fixture(scope="module")
def writer(minilm):
    return TemplateCopywriter(embedder=minilm)


def as_tuples(copies):
    return [(c.headline, c.body, c.cta, c.image_prompt, c.lineage) for c in copies]


def test_same_seed_same_copy_and_other_seed_differs(writer):
    first = writer.write(make_request(seed=11))
    assert as_tuples(first) == as_tuples(writer.write(make_request(seed=11)))
    assert as_tuples(first) != as_tuples(writer.write(make_request(seed=12)))


@pytest.mark.parametrize("n", [1, 3, 6])
def test_returns_n_distinct_candidates_within_limits(writer, n):
    copies = writer.write(make_request(n=n))
    assert len(copies) == n
    assert len({c.text for c in copies}) == n
    for copy in copies:
        fields = {k: getattr(copy, k) for k in ("headline", "body", "cta", "image_prompt")}
        assert copy_rules.length_problems(fields) == []
        assert copy.cta in copy_rules.CTA_CHOICES_BY_OBJECTIVE["conversion"]
        assert 0 < copy.lineage["persona_fit"] <= 1
        assert set(copy.lineage["templates"]) == {"headline", "body"}


def test_ranked_best_fit_first_and_lineage(writer):
    copies = writer.write(make_request(n=4))
    assert [c.lineage["rank"] for c in copies] == [1, 2, 3, 4]
    assert copies[0].lineage["rank_score"] == max(c.lineage["rank_score"] for c in copies)
    assert "FreshBox Kit" in copies[0].image_prompt
    assert "amber" in copies[0].image_prompt  # palette colour named for the image model


def test_banned_terms_never_emitted_even_from_the_description(writer):
    banned = ("cheapest", "guaranteed", "miracle")
    description = "The cheapest meal kit around. Guaranteed results. A miracle for busy weeknights."
    for seed in range(5):
        copies = writer.write(make_request(n=5, seed=seed, banned=banned, description=description))
        for copy in copies:
            text = " ".join((copy.headline, copy.body, copy.cta, copy.image_prompt))
            assert copy_rules.find_banned(text, banned) == []


def test_very_long_persona_and_description_still_fit_limits(writer):
    long_words = " ".join(["extraordinarily comprehensive wholesome nourishment"] * 6)
    segment = SegmentBrief("3", "Long", f"Households who want {long_words}")
    copies = writer.write(make_request(segment, n=3, description=long_words + "."))
    for copy in copies:
        assert len(copy.headline) <= 40 and len(copy.body) <= 125


def test_persona_changes_ranking(writer, minilm):
    parents = writer.write(make_request(PARENTS, n=3))
    runners = writer.write(make_request(RUNNERS, n=3))
    assert {c.text for c in parents} != {c.text for c in runners}
    # Each segment's chosen copy fits its own persona better than the other persona.
    for copies, own, other in ((parents, PARENTS, RUNNERS), (runners, RUNNERS, PARENTS)):
        vectors = minilm.encode([c.text for c in copies])
        own_fit, other_fit = minilm.encode([own.persona, other.persona])
        assert (vectors @ own_fit).mean() > (vectors @ other_fit).mean()


def test_voice_selects_phrase_bank():
    assert detect_tone("Premium, refined and elegant") == "premium"
    assert detect_tone("Bold & energetic") == "bold"
    assert detect_tone("") == "friendly"


def test_inspiration_is_blended_in(writer):
    plain = make_request(n=4)
    inspired = CopyRequest(
        campaign=plain.campaign,
        segment=plain.segment,
        n=4,
        seed=plain.seed,
        inspiration=("Dinner sorted in minutes. Family table favourites.",),
    )
    copies = writer.write(inspired)
    assert all(c.lineage["inspired"] for c in copies)
    assert as_tuples(copies) != as_tuples(writer.write(plain))


def test_everything_banned_raises_clear_error(writer):
    # Every call to action for the objective is banned, so no candidate can survive.
    banned = copy_rules.CTA_CHOICES_BY_OBJECTIVE["conversion"]
    with pytest.raises(EngineError, match="banned terms or length limits"):
        writer.write(make_request(banned=banned))


def test_describe(writer):
    info = writer.describe()
    assert info["backend"] == "template" and info["embedder"]["name"] == "minilm"
