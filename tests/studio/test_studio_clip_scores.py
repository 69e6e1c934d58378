"""With an image model configured, the chips and the Why panel show its numbers (a tiny
random CLIP stands in for a real one)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns import roles
from campaigns.models import GenerationJob
from studio.engine.registry import EngineConfig
from tests.helpers import run_round

pytestmark = [pytest.mark.models, pytest.mark.django_db]


def test_clip_scores_reach_the_grid_and_the_why_panel(
    client, campaign, segments, make_user, brand, tiny_clip_path
):
    config = EngineConfig(scorer="clip", clip_model=str(tiny_clip_path), device="cpu").as_dict()
    job = run_round(campaign, segments, n=1, seed=3, engine_config=config)
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    v = job.variants.first()
    assert v.alignment is not None and v.segment_rank in (1, 2)
    assert v.safety_risk == pytest.approx(max(v.safety.values()))

    client.force_login(make_user("clipper", roles.DESIGNER, brand))
    grid = client.get(reverse("campaigns:review_grid", args=[campaign.pk])).text
    assert f"alignment <b>{v.alignment:.1f}</b>" in grid
    assert f"safety risk <b>{v.safety_risk:.2f}</b>" in grid
    assert f"novelty <b>{v.image_novelty:.2f}</b>" in grid  # image novelty wins over copy
    why = client.get(reverse("campaigns:variant_why", args=[v.pk])).text
    assert f"Ranks <strong>{v.segment_rank} of 2</strong>" in why
    assert "image cosine" in why
