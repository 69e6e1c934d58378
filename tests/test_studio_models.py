import io

import pytest
from django.core.management import CommandError, call_command

from studio.engine import registry


@pytest.fixture(autouse=True)
def fresh_registry():
    registry.clear()
    yield
    registry.clear()


@pytest.mark.models
def test_lists_and_loads_the_configured_models(settings, tiny_lm_path, tiny_clip_path):
    settings.STUDIO_ENGINE = {
        **settings.STUDIO_ENGINE,
        "copywriter": "transformers",
        "text_model": str(tiny_lm_path),
        "scorer": "clip",
        "clip_model": str(tiny_clip_path),
        "device": "cpu",
    }
    out = io.StringIO()
    call_command("studio_models", stdout=out)
    text = out.getvalue()
    assert f"transformers  {tiny_lm_path}" in text
    assert text.count("load: ok") == 3


def test_missing_model_says_how_to_fetch_it(settings, tmp_path):
    settings.STUDIO_ENGINE = {
        **settings.STUDIO_ENGINE,
        "copywriter": "transformers",
        "text_model": str(tmp_path / "no-such-model"),
    }
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 model check"):
        call_command("studio_models", stdout=out)
    assert "studio_models --download" in out.getvalue()
    assert "STUDIO_TEXT_MODEL" in out.getvalue()


def test_download_refused_clearly_when_offline(settings, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings.STUDIO_ENGINE = {
        **settings.STUDIO_ENGINE,
        "copywriter": "transformers",
        "text_model": "some-org/some-model",
    }
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("studio_models", "--download", "--no-load", stdout=out)
    assert "download: FAILED: HF_HUB_OFFLINE is set" in out.getvalue()
