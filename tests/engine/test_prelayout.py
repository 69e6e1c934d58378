"""Pre-layout for painters that paint around the product: the template and product box
are chosen before painting; the render of the painted (baked) background keeps both,
puts no text on the product, passes the composition checks, and leaves the product's opaque
pixels exactly the cut-out's, in every format family."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from studio.engine import checks, placement
from studio.engine.layers import Layers, visible
from studio.engine.layout import render
from studio.engine.painter.backdrop import BackdropPainter
from studio.engine.painter.product import product_fitted
from studio.engine.prelayout import plan_product
from studio.engine.types import BackgroundRequest
from tests.engine.test_layout import BRAND, COPY, FORMATS, logo, products  # noqa: F401

CORE = (
    "text_over_product",
    "outside_safe_area",
    "font_under_minimum",
    "low_contrast",
    "product_cut",
)


@pytest.fixture(scope="module")
def cutout_path(products, tmp_path_factory):  # noqa: F811
    path = tmp_path_factory.mktemp("product") / "shoe.png"
    products["transparent"].save(path)
    return str(path)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.slug)
def test_a_baked_product_stays_where_the_pre_layout_put_it(fmt, products, logo, cutout_path):  # noqa: F811
    product = products["transparent"]
    template, box = plan_product(COPY, BRAND, fmt, product, logo=logo, product_name="Summit 2")
    family = placement.family_of(fmt.width, fmt.height, fmt.slug)
    assert template.startswith(f"{family}/") and box is not None
    assert 0 <= box[0] < box[2] <= fmt.width and 0 <= box[1] < box[3] <= fmt.height
    aspect = product.width / product.height
    assert (box[2] - box[0]) / (box[3] - box[1]) == pytest.approx(aspect, rel=0.08, abs=0.02)
    # The offline painter paints around it (product composited exactly at the box).
    request = BackgroundRequest(
        "a trail at dawn", 5, fmt.width, fmt.height, palette=BRAND.palette,
        product_path=cutout_path, product_box=box,
    )  # fmt: skip
    painted = BackdropPainter().paint_around([request])[0]
    assert painted.lineage["product_baked"] and tuple(painted.lineage["product_box"]) == box
    layers = Layers(painted.image, product, logo, floor_y=painted.floor_y, baked_box=box)
    result = render(layers, COPY, BRAND, fmt, product_name="Summit 2", template=template)
    assert result.template == template and result.boxes["product"] == box
    for code in CORE:
        assert result.checks[code]["ok"], (code, result.checks[code])
    # Baking adds no failure: what fails (a product under its share on a 50 px banner)
    # fails the same when layout places the product itself.
    placed = render(
        Layers(painted.image, product, logo), COPY, BRAND, fmt, product_name="Summit 2",
        template=template,
    )  # fmt: skip
    assert set(checks.failed(result.checks)) <= set(checks.failed(placed.checks))
    fitted = np.asarray(product_fitted(visible(product), box))
    got = np.asarray(result.image.crop(box))
    opaque = fitted[..., 3] == 255
    assert np.array_equal(got[opaque], fitted[..., :3][opaque])


def test_a_baked_layer_gets_no_second_contact_shadow(products):  # noqa: F811
    fmt = FORMATS[0]
    product = products["transparent"]
    template, box = plan_product(COPY, BRAND, fmt, product)
    flat = Image.new("RGB", (fmt.width, fmt.height), (200, 200, 200))
    result = render(
        Layers(flat, product, floor_y=box[3] / fmt.height, baked_box=box), COPY, BRAND, fmt,
        template=template,
    )  # fmt: skip
    below = np.asarray(result.image.crop((box[0], box[3], box[2], min(fmt.height, box[3] + 8))))
    assert (below == 200).all()  # nothing drawn under the product: the scene has its shadow
