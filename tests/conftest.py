"""Fixtures shared by the whole suite: media in a temp dir, demo data, users."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from campaigns.models import AdFormat, AudienceSegment, Brand, Campaign


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    settings.STUDIO_EXPORT_ROOT = str(tmp_path_factory.mktemp("exports"))
    return settings.MEDIA_ROOT


@pytest.fixture
def brand(db):
    return Brand.objects.create(
        name="Acme Sports",
        voice="Playful and warm",
        palette=["#0F172A", "#F97316", "#FFFFFF"],
        banned_terms="cheapest\nguaranteed",
        disclaimer="Terms apply.",
    )


@pytest.fixture
def campaign(brand):
    campaign = Campaign.objects.create(
        brand=brand,
        name="Spring launch",
        product_name="Aero running shoe",
        description="A light running shoe with springy foam.",
        objective=Campaign.Objective.CONVERSION,
        landing_url="https://acme.example/aero",
    )
    campaign.formats.set(AdFormat.objects.filter(slug__in=["square-1080", "mrec-300x250"]))
    return campaign


@pytest.fixture
def segments(campaign):
    return [
        AudienceSegment.objects.create(
            campaign=campaign,
            name="Trail runners",
            persona="Outdoorsy runners who love muddy mountain trails and nature.",
            rules={"age": {"min": 25, "max": 45}, "interests": ["trail running"]},
        ),
        AudienceSegment.objects.create(
            campaign=campaign,
            name="Commuters",
            persona="City office workers who jog to work and want comfort and style.",
            rules={"locales": ["en"], "devices": ["mobile"]},
        ),
    ]


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("casey", password="pw-casey-123")


@pytest.fixture
def groups(db):
    from campaigns import roles

    return roles.ensure_roles()


@pytest.fixture
def make_user(groups):
    """make_user(username, role=None, brand=None, superuser=False); password "pw-<username>"."""

    def make(username, role=None, brand=None, superuser=False):
        user = get_user_model().objects.create_user(
            username, password="pw-" + username, is_superuser=superuser, is_staff=superuser
        )
        if role:
            user.groups.add(groups[role])
        if brand is not None:
            brand.members.add(user)
        return user

    return make


# Tiny random-weight models of the real backends, built once per session and loaded
# through the production code path.
@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("tiny_models")


@pytest.fixture(scope="session")
def tiny_lm_path(tiny_models_dir):
    from tests.engine.tiny_models import build_tiny_lm

    return build_tiny_lm(tiny_models_dir / "lm")


@pytest.fixture(scope="session")
def tiny_sd_path(tiny_models_dir):
    from tests.engine.tiny_models import build_tiny_sd

    return build_tiny_sd(tiny_models_dir / "sd")


@pytest.fixture(scope="session")
def tiny_sd_inpaint_path(tiny_models_dir):
    from tests.engine.tiny_models import build_tiny_sd_inpaint

    return build_tiny_sd_inpaint(tiny_models_dir / "sd-inpaint")


@pytest.fixture(scope="session")
def tiny_clip_path(tiny_models_dir):
    from tests.engine.tiny_models import build_tiny_clip

    return build_tiny_clip(tiny_models_dir / "clip")


# --- Real MiniLM embedder (bundled weights, CPU), shared by the template/scorer tests -------
@pytest.fixture(scope="session")
def minilm():
    from studio.engine.embedder import MiniLMEmbedder

    return MiniLMEmbedder()


@pytest.fixture
def hf_offline(monkeypatch):
    """Act as a worker started with HF_HUB_OFFLINE=1 (huggingface_hub reads it at import)."""
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The local-memory cache outlives a test; serving state, per-user caps and rate
    limits must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def start_worker(tmp_path):
    """Start real Celery worker processes for a test; each is stopped afterwards."""
    from tests.worker import start_worker as start

    started = []

    def _start(**kwargs):
        started.append(start(tmp_path / f"worker-{len(started)}.log", **kwargs))
        return started[-1]

    yield _start
    for proc in started:
        proc.stop()


@pytest.fixture
def worker(start_worker):
    return start_worker()


@pytest.fixture
def manager(brand):
    """A member of `brand` who may export and review (no role group), as the export tests
    need; modules that need another kind of manager define their own."""
    user = get_user_model().objects.create_user("cm", password="pw-cm-12345")
    brand.members.add(user)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["export_campaign", "review_variant"])
    )
    return get_user_model().objects.get(pk=user.pk)
