"""Device, dtype and thread choices for the model backends.

Everything here is a function called at first use inside a worker, never at import:
importing this module touches neither torch nor CUDA, so a Celery parent can fork safely.
"""

from __future__ import annotations

import os
import re
from typing import Any

from studio.engine.types import EngineError

_DEVICE_RE = re.compile(r"auto|cpu|mps|cuda(:\d+)?")  # fullmatch: "$" accepts a trailing "\n"
_cpu_share: int | None = None  # set by configure_threads in each worker process


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _mps_available(torch: Any) -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def resolve_device(name: str | None = "auto") -> str:
    """Turn a setting ("auto", "cpu", "cuda", "cuda:1", "mps") into a usable device string.

    "auto" picks cuda, then mps, then cpu. An explicit device that is not there is an
    EngineError rather than a silent fallback, so a misconfigured GPU worker is noticed.
    """
    wanted = (name or "auto").strip().lower()
    if not _DEVICE_RE.fullmatch(wanted):
        raise EngineError(
            f"Unknown device {name!r}: use auto, cpu, cuda, cuda:N or mps (STUDIO_DEVICE)."
        )
    if wanted == "cpu":
        return "cpu"
    import torch

    if wanted == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if _mps_available(torch):
            return "mps"
        return "cpu"
    if wanted == "mps":
        if not _mps_available(torch):
            raise EngineError("Device 'mps' was requested but Apple MPS is not available here.")
        return "mps"
    if not torch.cuda.is_available():
        raise EngineError(f"Device {name!r} was requested but CUDA is not available here.")
    index = int(wanted.split(":", 1)[1]) if ":" in wanted else 0
    count = torch.cuda.device_count()
    if index >= count:
        raise EngineError(f"Device {name!r} was requested but only {count} CUDA device(s) exist.")
    return wanted


def dtype_for(device: str) -> Any:
    """fp16 on CUDA, fp32 elsewhere (CPU half precision is slow and MPS fp16 is patchy)."""
    import torch

    return torch.float16 if str(device).startswith("cuda") else torch.float32


def dtype_name(dtype: Any) -> str:
    return str(dtype).replace("torch.", "")


def configure_threads(concurrency: int = 1) -> int:
    """Give each of `concurrency` worker processes an equal share of the CPUs.

    Returns the intra-op thread count set with torch.set_num_threads.
    """
    import torch

    global _cpu_share
    threads = max(1, cpu_count() // max(1, int(concurrency or 1)))
    torch.set_num_threads(threads)
    _cpu_share = threads
    return threads


def cpu_share() -> int:
    """CPUs this process may keep busy: its configure_threads share, else all of them."""
    return _cpu_share or cpu_count()
