"""Fetch configured model weights into the local cache (for `manage.py studio_models
--download`), with a plain answer when this machine has no internet."""

from __future__ import annotations

from studio.engine.hub import hub_offline, is_local_path
from studio.engine.types import EngineError

NO_INTERNET = (
    "could not reach the model hub ({reason}). This machine seems to have no internet "
    "access: run the same command on one that has, then copy its Hugging Face cache "
    "(~/.cache/huggingface) here, or point the setting at a local directory."
)


def fetch(kind: str, name: str, pretrained: str = "") -> str:
    """Download one model; return where it is. `kind` is text, image or clip."""
    if not name:
        raise EngineError(f"No {kind} model is configured.")
    if is_local_path(name):
        return f"local directory {name} (nothing to download)"
    if hub_offline():
        raise EngineError("HF_HUB_OFFLINE is set: unset it to allow downloads.")
    try:
        if kind == "clip":
            return _fetch_clip(name, pretrained)
        from huggingface_hub import snapshot_download

        return snapshot_download(repo_id=name)
    except EngineError:
        raise
    except Exception as exc:  # noqa: BLE001 - network, DNS, HTTP and hub errors all land here
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else repr(exc)
        raise EngineError(NO_INTERNET.format(reason=reason)) from exc


def _fetch_clip(name: str, pretrained: str) -> str:
    import open_clip

    if name.startswith("hf-hub:"):
        from huggingface_hub import snapshot_download

        return snapshot_download(repo_id=name.removeprefix("hf-hub:"))
    if not pretrained:
        raise EngineError(f"Set STUDIO_CLIP_PRETRAINED for the open_clip model {name!r}.")
    path = open_clip.download_pretrained(open_clip.get_pretrained_cfg(name, pretrained))
    if not path:
        raise EngineError(f"open_clip knows no pretrained weights {pretrained!r} for {name!r}.")
    return path
