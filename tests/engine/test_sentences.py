"""Description sentences stay whole: URLs, emails, decimals and abbreviations included."""

import pytest

from studio.engine.copywriter.sentences import split_sentences

DESCRIPTION = (
    "Questions? Email sales@trailhead-outlet.com or visit https://summit2.shop/run. "
    "Rated 4.5 by 2,300 runners. The outsole, e.g. on wet rock, grips. Ready in 20 min."
)


def test_urls_emails_and_decimals_stay_whole():
    sentences = split_sentences(DESCRIPTION)
    assert sentences == [
        "Questions?",
        "Email sales@trailhead-outlet.com or visit https://summit2.shop/run.",
        "Rated 4.5 by 2,300 runners.",
        "The outsole, e.g. on wet rock, grips.",
        "Ready in 20 min.",
    ]
    joined = "\n".join(sentences)
    for whole in ("sales@trailhead-outlet.com", "https://summit2.shop/run", "4.5"):
        assert sum(whole in s for s in sentences) == 1, joined


@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_other_languages_keep_them_whole_too(lang):
    sentences = split_sentences(DESCRIPTION, lang)
    for whole in ("sales@trailhead-outlet.com", "https://summit2.shop/run", "4.5"):
        assert any(whole in s for s in sentences)
    assert not any(s.endswith("trailhead-outlet.") or s.endswith("summit2.") for s in sentences)


def test_empty_and_whitespace():
    assert split_sentences("") == [] and split_sentences("  \n ") == []
    assert split_sentences("One line\nsplit  oddly.") == ["One line split oddly."]
