import pytest

from campaigns.rules import RuleError, normalise_rules, parse_rules


def test_parse_and_match():
    rules = parse_rules(
        '{"age": {"min": 18, "max": 34}, "interests": ["Running"], "locales": ["en"],'
        ' "countries": ["us"], "devices": ["mobile"]}'
    )
    user = {
        "age": 25,
        "interests": ["running", "chess"],
        "locale": "en-GB",
        "country": "US",
        "device": "mobile",
    }
    assert rules.matches(user)
    assert not rules.matches({**user, "age": 40})
    assert not rules.matches({**user, "interests": ["chess"]})
    assert not rules.matches({**user, "locale": "de-DE"})
    assert not rules.matches({**user, "age": "25"})  # a string is not an age
    assert rules.match_count({**user, "age": 40}) == 4


def test_empty_rules_match_everyone():
    assert parse_rules("").matches({})
    assert parse_rules({}).describe() == "everyone"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"age": {"min": 40, "max": 20}}', "must not be greater"),
        ('{"age": {"min": "x"}}', "whole number"),
        ('{"age": {"min": 5}}', "between 13 and 120"),
        ('{"shoe_size": 42}', "Unknown rule keys: shoe_size"),
        ('{"interests": "a" }', None),
        ('{"interests": [1, 2]}', "list of words or phrases"),
        ('{"devices": ["fridge"]}', "Devices must be among"),
        ('{"religion": ["x"]}', "sensitive attributes"),
        ('{"Health": ["diabetes"]}', "sensitive attributes"),
    ],
)
def test_bad_rules_explain_themselves(raw, message):
    if message is None:
        assert parse_rules(raw).interests == frozenset({"a"})
        return
    with pytest.raises(RuleError, match=message):
        parse_rules(raw)


def test_normalised_form_is_stable():
    canonical = normalise_rules({"age": [18, 30], "interests": ["b", "A"], "locales": ["en_US"]})
    assert canonical == {
        "age": {"min": 18, "max": 30},
        "interests": ["a", "b"],
        "locales": ["en-us"],
    }
    assert normalise_rules(canonical) == canonical
