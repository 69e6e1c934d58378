"""Shared helpers for loading weights by hub id or local path, offline-first.

Workers usually have no internet: a model is first looked up in the local cache (or taken
from a directory); only when that fails and HF_HUB_OFFLINE is not set is the hub tried.
Anything that still fails becomes an EngineError that says how to fetch the weights.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from studio.engine.types import EngineError, TransientEngineError

T = TypeVar("T")

FETCH_HINT = (
    "run `python manage.py studio_models --download` on a machine with internet access "
    "(it fills the Hugging Face cache, which you can copy to this machine), "
    "or set {setting} to a local directory that holds the weights"
)


def hub_offline() -> bool:
    value = os.environ.get("HF_HUB_OFFLINE", "") or os.environ.get("TRANSFORMERS_OFFLINE", "")
    return value.strip().lower() in {"1", "true", "yes", "on"}


def is_local_path(name: str) -> bool:
    return bool(name) and Path(name).expanduser().exists()


def missing_model_error(what: str, name: str, setting: str, exc: BaseException) -> EngineError:
    reason = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
    return EngineError(
        f"The {what} {name!r} is not available offline ({reason}). To fix: "
        + FETCH_HINT.format(setting=setting)
        + "."
    )


def is_out_of_memory(exc: BaseException) -> bool:
    return "out of memory" in str(exc).lower() or type(exc).__name__ == "OutOfMemoryError"


def load_offline_first(
    loader: Callable[..., T], name: str, *, what: str, setting: str, **kwargs: Any
) -> T:
    """Call loader(name, local_files_only=..., **kwargs): cache/directory first, then the hub.

    The hub is only tried when the name is not a local path and HF_HUB_OFFLINE is unset.
    """
    if not name:
        raise EngineError(f"No {what} is configured: set {setting}.")
    local = is_local_path(name)
    if name.startswith(("/", "./", "../", "~")) and not local:
        raise EngineError(
            f"The {what} directory {name!r} does not exist. To fix: "
            + FETCH_HINT.format(setting=setting)
            + "."
        )
    path = str(Path(name).expanduser()) if local else name
    try:
        return loader(path, local_files_only=True, **kwargs)
    except EngineError:
        raise
    except Exception as exc:  # noqa: BLE001 - libraries raise OSError, ValueError, hub errors...
        if is_out_of_memory(exc):
            raise TransientEngineError(f"Out of memory while loading the {what} {name!r}") from exc
        if local or hub_offline():
            raise missing_model_error(what, name, setting, exc) from exc
        first = exc
    try:
        return loader(path, local_files_only=False, **kwargs)
    except Exception as exc:  # noqa: BLE001
        if is_out_of_memory(exc):
            raise TransientEngineError(f"Out of memory while loading the {what} {name!r}") from exc
        raise missing_model_error(what, name, setting, first) from exc
