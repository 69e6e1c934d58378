"""The Animate choices (formats x lengths), on a variant's card and in the generate form."""

from __future__ import annotations

from django import forms

from campaigns.models import AdFormat, VariantClip
from campaigns.services.clips import BANNER_KINDS, clip_kind_for
from studio.engine.motion import LENGTHS


def animatable_formats():
    """Active formats a clip can be made in (the video and banner sizes)."""
    return [f for f in AdFormat.objects.filter(is_active=True) if clip_kind_for(f) is not None]


class ClipChoicesMixin:
    """Formats by slug and lengths in seconds; unknown ones get an error that names them."""

    def add_clip_fields(self, *, required: bool) -> None:
        allowed = " or ".join(f"{n} s" for n in LENGTHS)
        formats = animatable_formats()
        self.fields["clip_formats"] = forms.MultipleChoiceField(
            required=required,
            label="Animate: formats",
            choices=[(f.slug, f"{f.name} ({f.width}×{f.height})") for f in formats],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Choose at least one format to animate.",
                "invalid_choice": "%(value)s is not a format clips can be made in.",
            },
        )
        self.fields["clip_lengths"] = forms.TypedMultipleChoiceField(
            required=required,
            label="Animate: lengths",
            choices=[(str(n), f"{n} s") for n in LENGTHS],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Choose at least one clip length.",
                "invalid_choice": f"%(value)s is not a clip length; choose {allowed}.",
            },
        )
        self.fields["banner_kind"] = forms.ChoiceField(
            required=False,
            label="Animated banners as",
            choices=[(k, VariantClip.Kind(k).label) for k in BANNER_KINDS],
            initial=VariantClip.Kind.GIF,
        )
        self._clip_formats = {f.slug: f for f in formats}

    def clip_request(self) -> dict:
        """clip_request's formats, lengths and banner kind from the valid form."""
        data = self.cleaned_data
        return {
            "formats": [self._clip_formats[s] for s in data.get("clip_formats") or []],
            "lengths": list(data.get("clip_lengths") or []),
            "banner_kind": data.get("banner_kind") or VariantClip.Kind.GIF,
        }

    def clean(self):
        cleaned = super().clean()
        has_formats, has_lengths = (
            bool(cleaned.get("clip_formats")),
            bool(cleaned.get("clip_lengths")),
        )
        if has_formats != has_lengths and not self.errors.get("clip_formats"):
            missing = "clip_lengths" if has_formats else "clip_formats"
            what = "a clip length" if has_formats else "a format"
            self.add_error(missing, f"To animate, choose {what} as well.")
        return cleaned


class AnimateForm(ClipChoicesMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_clip_fields(required=True)
        # Under the card's "Animate" already: the fields need no "Animate:" prefix.
        self.fields["clip_formats"].label = "Formats"
        self.fields["clip_lengths"].label = "Lengths"
