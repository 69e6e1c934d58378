"""Forms of the review studio: segment rule builder, generation, review actions."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator

from campaigns.models import AudienceSegment, Variant
from campaigns.rules import DEVICES, RuleError, normalise_rules
from campaigns.selectors_review import SORTS, ReviewFilters
from campaigns.services import briefs
from studio.engine.registry import EngineConfig

# Which builder field a rule error is about, by the key its message names.
_RULE_FIELDS = {
    '"age.max"': "age_max",
    '"age': "age_min",
    '"interests"': "interests",
    '"locales"': "locales",
    '"countries"': "countries",
    '"devices"': "devices",
}


class SegmentRuleForm(forms.ModelForm):
    """A segment with its targeting rules built from plain fields, validated by
    `campaigns.rules` exactly as the model validates them."""

    age_min = forms.IntegerField(required=False, label="Age from")
    age_max = forms.IntegerField(required=False, label="Age to")
    interests = forms.CharField(
        required=False, max_length=2000, help_text="Comma-separated, e.g. trail running, hiking"
    )
    locales = forms.CharField(required=False, max_length=500, help_text="e.g. en, de-DE")
    countries = forms.CharField(required=False, max_length=500, help_text="e.g. US, GB")
    devices = forms.MultipleChoiceField(
        required=False,
        choices=[(d, d) for d in DEVICES],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AudienceSegment
        fields = ["name", "persona", "estimated_size"]
        widgets = {"persona": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.instance.campaign = campaign
        rules = self.instance.rules or {}
        if not self.is_bound:
            age = rules.get("age", {})
            self.initial.update(
                age_min=age.get("min"),
                age_max=age.get("max"),
                interests=", ".join(rules.get("interests", [])),
                locales=", ".join(rules.get("locales", [])),
                countries=", ".join(rules.get("countries", [])),
                devices=rules.get("devices", []),
            )

    def basic_fields(self):
        return [self[name] for name in ("name", "persona", "estimated_size")]

    def age_fields(self):
        return [self["age_min"], self["age_max"]]

    def list_fields(self):
        return [self[name] for name in ("interests", "locales", "countries", "devices")]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = AudienceSegment.objects.filter(campaign=self.campaign, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("This campaign already has a segment with that name.")
        return name

    def raw_rules(self) -> dict:
        data = self.cleaned_data
        raw: dict = {}
        if data.get("age_min") is not None or data.get("age_max") is not None:
            raw["age"] = {
                k: data[f"age_{k}"] for k in ("min", "max") if data.get(f"age_{k}") is not None
            }
        for key in ("interests", "locales", "countries"):
            if data.get(key):
                raw[key] = data[key]
        if data.get("devices"):
            raw["devices"] = list(data["devices"])
        return raw

    def clean(self):
        cleaned = super().clean()
        try:
            self.rules = normalise_rules(self.raw_rules())
        except RuleError as exc:
            message = str(exc)
            field = next((f for k, f in _RULE_FIELDS.items() if message.startswith(k)), None)
            self.add_error(field, message)
        return cleaned

    def save(self, commit=True):
        self.instance.rules = self.rules
        return super().save(commit)


def engine_presets() -> dict[str, tuple[str, dict]]:
    """Preset key -> (label, engine_config): the configured engine and the offline one."""
    configured = briefs.default_engine_config()
    offline = EngineConfig(device=configured.device, embedder_path=configured.embedder_path)
    return {
        "configured": (f"configured: {describe_engine(configured)}", configured.as_dict()),
        "offline": ("offline: template + procedural + MiniLM", offline.as_dict()),
    }


def describe_engine(config: EngineConfig) -> str:
    copy = config.text_model or config.copywriter
    image = config.image_model or config.painter
    scorer = f"MiniLM + CLIP {config.clip_model}" if config.scorer == "clip" else "MiniLM"
    return f"{copy} + {image} + {scorer}"


class GenerateForm(forms.Form):
    segments = forms.ModelMultipleChoiceField(
        queryset=AudienceSegment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one audience segment."},
    )
    variants_per_segment = forms.IntegerField(min_value=1, initial=4)
    preset = forms.ChoiceField(label="Backend preset")
    seed = forms.IntegerField(
        required=False, min_value=0, max_value=2**31 - 1, help_text="Empty for a random seed."
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"].queryset = campaign.segments.all()
        limit = settings.STUDIO_MAX_VARIANTS_PER_SEGMENT
        field = self.fields["variants_per_segment"]
        field.validators.append(MaxValueValidator(limit))
        field.widget.attrs.update(min=1, max=limit)
        self.presets = engine_presets()
        self.fields["preset"].choices = [(k, label) for k, (label, _) in self.presets.items()]

    @property
    def engine_config(self) -> dict:
        return self.presets[self.cleaned_data["preset"]][1]


class DecisionForm(forms.Form):
    comment = forms.CharField(required=False, max_length=2000)


class CopyEditForm(forms.Form):
    headline = forms.CharField(max_length=120)
    body = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    cta = forms.CharField(max_length=40, label="Call to action")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(required=False, max_length=2000)


class RegenerateForm(forms.Form):
    seed = forms.ChoiceField(choices=[("same", "Same seed"), ("new", "New seed")])


class BulkForm(forms.Form):
    ids = forms.ModelMultipleChoiceField(
        queryset=Variant.objects.none(),
        error_messages={"required": "Select at least one variant."},
    )
    action = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    comment = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = campaign.variants.all()


def compare_ids(values: list[str]) -> tuple[list[int], str | None]:
    """The variant ids to compare, or a message saying what is wrong with them."""
    try:
        ids = list(dict.fromkeys(int(v) for v in values))
    except ValueError:
        return [], "Variant ids must be numbers."
    if not 2 <= len(ids) <= 4:
        return ids, f"Choose 2 to 4 variants to compare (got {len(ids)})."
    return ids, None


class ReviewFilterForm(forms.Form):
    segment = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Variant.Status.choices]
    )
    format = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    checks = forms.ChoiceField(
        required=False,
        label="Layout checks",
        choices=[("", "Any checks"), ("failing", "Some check fails"), ("passing", "All pass")],
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k.replace("_", " ")) for k in SORTS])
    order = forms.ChoiceField(
        required=False, choices=[("best", "best first"), ("worst", "worst first")]
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [("", "Any segment")] + [
            (s.pk, s.name) for s in campaign.segments.all()
        ]
        self.fields["format"].choices = [("", "Main format")] + [
            (f.pk, f.name) for f in campaign.formats.all()
        ]

    def filters(self) -> ReviewFilters:
        """The valid filters; an invalid value is dropped (the form shows why)."""
        self.is_valid()
        data = self.cleaned_data
        return ReviewFilters(
            segment_id=data.get("segment"),
            status=data.get("status") or None,
            format_id=data.get("format"),
            checks=data.get("checks") or None,
            sort=data.get("sort") or "newest",
            best_first=(data.get("order") or "best") == "best",
        )
