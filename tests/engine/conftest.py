# --- Tiny random-weight models of the real backends (built once per session) -------------
# Everything below is Django-free: the engine tests run with or without pytest-django.
import sys as _sys
from pathlib import Path as _Path

import pytest as _pytest

_ROOT = _Path(__file__).resolve().parents[2]
if str(_ROOT) not in _sys.path:
    _sys.path.insert(0, str(_ROOT))


@_pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("tiny_models")


@_pytest.fixture(scope="session")
def tiny_lm_path(tiny_models_dir):
    from tests.engine.tiny_models import build_tiny_lm

    return build_tiny_lm(tiny_models_dir / "lm")


@_pytest.fixture(scope="session")
def tiny_sd_path(tiny_models_dir):
    from tests.engine.tiny_models import build_tiny_sd

    return build_tiny_sd(tiny_models_dir / "sd")


@_pytest.fixture(scope="session")
def tiny_clip_path(tiny_models_dir):
    from tests.engine.tiny_models import build_tiny_clip

    return build_tiny_clip(tiny_models_dir / "clip")


# --- Real MiniLM embedder (bundled weights, CPU), shared by the template/scorer tests -------
@_pytest.fixture(scope="session")
def minilm():
    from studio.engine.embedder import MiniLMEmbedder

    return MiniLMEmbedder()


@_pytest.fixture
def hf_offline(monkeypatch):
    """Act as a worker started with HF_HUB_OFFLINE=1 (huggingface_hub reads it at import)."""
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
