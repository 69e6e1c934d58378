"""Device and thread choices; nothing heavy is imported or initialised at import time."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from studio.engine import device
from studio.engine.types import EngineError


def test_importing_backends_does_not_import_torch():
    code = (
        "import sys\n"
        "import studio.engine.device, studio.engine.hub\n"
        "import studio.engine.copywriter.llm, studio.engine.copywriter.constrained\n"
        "import studio.engine.painter.diffusion, studio.engine.scorer.clip\n"
        "heavy = [m for m in ('torch', 'transformers', 'diffusers', 'open_clip') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cpu_is_always_available():
    assert device.resolve_device("cpu") == "cpu"
    assert device.resolve_device(" CPU ") == "cpu"


def test_auto_prefers_cuda_then_mps_then_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(device, "_mps_available", lambda torch: False)
    assert device.resolve_device("auto") == "cpu"
    assert device.resolve_device(None) == "cpu"
    monkeypatch.setattr(device, "_mps_available", lambda torch: True)
    assert device.resolve_device("auto") == "mps"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert device.resolve_device("auto") == "cuda"


def test_explicit_device_that_is_missing_is_an_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(device, "_mps_available", lambda torch: False)
    for name in ("cuda", "cuda:1", "mps"):
        with pytest.raises(EngineError, match="not available"):
            device.resolve_device(name)
    with pytest.raises(EngineError, match="Unknown device"):
        device.resolve_device("tpu")


def test_cuda_index_must_exist(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert device.resolve_device("cuda:0") == "cuda:0"
    with pytest.raises(EngineError, match="only 1 CUDA"):
        device.resolve_device("cuda:1")


def test_dtype_is_fp16_on_cuda_only():
    assert device.dtype_for("cuda") is torch.float16
    assert device.dtype_for("cuda:1") is torch.float16
    assert device.dtype_for("cpu") is torch.float32
    assert device.dtype_for("mps") is torch.float32
    assert device.dtype_name(torch.float16) == "float16"


def test_configure_threads_shares_the_cpus():
    before = torch.get_num_threads()
    try:
        for concurrency in (1, 2, 64):
            expected = max(1, device.cpu_count() // concurrency)
            assert device.configure_threads(concurrency) == expected
            assert torch.get_num_threads() == expected
            assert device.cpu_share() == expected
        assert device.configure_threads(0) == device.cpu_count()
    finally:
        torch.set_num_threads(before)
        device._cpu_share = None
