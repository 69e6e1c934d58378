"""Pattern checks match the whole value: "$" also matches before a final newline, so
"#FFFFFF\n" or "square-1080\n" used to pass."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.validators import validate_palette


@pytest.mark.parametrize("colour", ["#FFFFFF\n", "#FFFFFF\r\n", " #FFFFFF", "#FFFFFF0"])
def test_palette_colour_with_anything_around_it_is_refused(colour):
    with pytest.raises(ValidationError, match="Not hex colours"):
        validate_palette(["#000000", colour])


def test_palette_of_plain_hex_colours_passes():
    validate_palette(["#000000", "#1f2937"])
