"""Forms of the review studio: segment rule builder, generation, review actions."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator

from campaigns.engine_words import engine_summary, uses_models
from campaigns.forms_clips import ClipChoicesMixin
from campaigns.ids import IdMultipleChoiceField, parse_id
from campaigns.models import AudienceSegment, GenerationJob, Variant
from campaigns.rules import DEVICES, RuleError, normalise_rules
from campaigns.selectors_review import SORTS, ReviewFilters
from campaigns.services import briefs, variations
from studio.engine.locales import language_of, locale_problem
from studio.engine.registry import EngineConfig

STRENGTH_RANGE = (
    f"Strength must be between {variations.MIN_STRENGTH} and {variations.MAX_STRENGTH}."
)
COUNT_RANGE = f"Make between 1 and {variations.MAX_COUNT} variations."


class SegmentRuleForm(forms.ModelForm):
    """A segment with its targeting rules built from plain fields, validated by
    `campaigns.rules` exactly as the model validates them."""

    age_min = forms.IntegerField(required=False, label="Age from")
    age_max = forms.IntegerField(required=False, label="Age to")
    interests = forms.CharField(
        required=False, max_length=2000, help_text="Comma-separated, e.g. trail running, hiking"
    )
    locales = forms.CharField(required=False, max_length=500, help_text="e.g. en, de-DE")
    countries = forms.CharField(
        required=False,
        max_length=500,
        help_text="Names or two-letter codes, e.g. United Kingdom, DE; stored as ISO codes",
    )
    devices = forms.MultipleChoiceField(
        required=False,
        choices=[(d, d) for d in DEVICES],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AudienceSegment
        fields = ["name", "persona", "estimated_size", "locale", "audience_noun", "focus_benefit"]
        widgets = {"persona": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.instance.campaign = campaign
        self.fields["estimated_size"].help_text = (
            "How many people the segment reaches. Left empty, or below "
            f"{settings.STUDIO_MIN_SEGMENT_SIZE}, the segment is never targeted when serving "
            "(k-anonymity): its users fall to the other segments."
        )
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

    def brief_fields(self):
        return [self[name] for name in ("locale", "audience_noun", "focus_benefit")]

    def clean_locale(self):
        locale = self.cleaned_data["locale"].strip().replace("_", "-")
        problem = locale_problem(locale)
        if problem:
            raise forms.ValidationError(problem)
        return locale

    def clean_audience_noun(self):
        return " ".join(self.cleaned_data["audience_noun"].split())

    def clean_focus_benefit(self):
        focus = " ".join(self.cleaned_data["focus_benefit"].split())
        if not focus:
            return focus
        brief = briefs.campaign_brief(self.campaign)
        language = language_of(self.data.get(self.add_prefix("locale"), "")) or brief.language
        localized = brief.in_language(language) or brief
        known = [b.text for b in (*localized.benefits, *brief.benefits)]
        match = next((b for b in known if b.lower() == focus.lower()), None)
        if match is None:
            listed = "; ".join(f"“{b}”" for b in dict.fromkeys(known)) or "none yet"
            raise forms.ValidationError(
                f"Choose one of the campaign's benefits, as written in its brief: {listed}."
            )
        return match

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
            self.add_error(exc.field, str(exc))
        return cleaned

    def save(self, commit=True):
        self.instance.rules = self.rules
        return super().save(commit)


def engine_presets() -> dict[str, tuple[str, dict]]:
    """Preset key -> (label, engine_config): the configured engine and the offline one,
    each label saying what that preset really uses."""
    configured = briefs.default_engine_config().as_dict()
    offline = EngineConfig(
        device=configured["device"], embedder_path=configured["embedder_path"]
    ).as_dict()
    if uses_models(configured):
        configured_label = f"Configured models: {engine_summary(configured)}"
    else:
        configured_label = (
            "Configured models: none set (no STUDIO_TEXT_MODEL, STUDIO_IMAGE_MODEL or "
            "STUDIO_CLIP_MODEL), so the same as offline"
        )
    return {
        "configured": (configured_label, configured),
        "offline": (f"Offline, no model weights: {engine_summary(offline)}", offline),
    }


class GenerateForm(ClipChoicesMixin, forms.Form):
    segments = IdMultipleChoiceField(
        queryset=AudienceSegment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one audience segment."},
    )
    variants_per_segment = forms.IntegerField(min_value=1, initial=4)
    preset = forms.ChoiceField(label="Backend preset")
    # Not required: a post without it keeps what the preset implies (model when an image
    # model is configured, else backdrop).
    background = forms.ChoiceField(
        required=False,
        choices=GenerationJob.Background.choices,
        initial=GenerationJob.Background.BACKDROP,
        label="Background",
        help_text="Backdrop: painted studio sets; library: the brand's own photos, matched "
        "to the image concept by their tags; model: the configured image model.",
    )
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
        if self.presets["configured"][1].get("painter") == "diffusers":
            self.fields["background"].initial = GenerationJob.Background.MODEL
        # Optional: clips of every variant the round makes, queued as each is laid out.
        self.add_clip_fields(required=False)

    @property
    def engine_config(self) -> dict:
        return self.presets[self.cleaned_data["preset"]][1]

    def job_kwargs(self) -> dict:
        """The `generation.job_start` arguments the valid form asks for: one place for the
        generate page and the REST API, so both honour every field."""
        data = self.cleaned_data
        return {
            "segments": data["segments"],
            "variants_per_segment": data["variants_per_segment"],
            "engine_config": self.engine_config,
            "seed": data["seed"],
            "background_source": data["background"] or None,
            "animate": self.clip_request() if data.get("clip_formats") else None,
        }


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


class VaryForm(forms.Form):
    """ "More like this": how far the variations move from the variant, and how many."""

    strength = forms.FloatField(
        min_value=variations.MIN_STRENGTH,
        max_value=variations.MAX_STRENGTH,
        error_messages={
            "required": "Choose a strength.",
            "invalid": "Strength must be a number.",
            "min_value": STRENGTH_RANGE,
            "max_value": STRENGTH_RANGE,
        },
    )
    count = forms.IntegerField(
        min_value=1,
        max_value=variations.MAX_COUNT,
        error_messages={
            "required": "Choose how many variations to make.",
            "invalid": "The number of variations must be a whole number.",
            "min_value": COUNT_RANGE,
            "max_value": COUNT_RANGE,
        },
    )

    def error_text(self) -> str:
        return " ".join(e for errors in self.errors.values() for e in errors)


class BulkForm(forms.Form):
    ids = IdMultipleChoiceField(
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
    parsed = [parse_id(v) for v in values]
    if None in parsed:
        return [], "Variant ids must be whole numbers that name a variant."
    ids = list(dict.fromkeys(parsed))
    if not 2 <= len(ids) <= 4:
        return ids, f"Choose 2 to 4 variants to compare (got {len(ids)})."
    return ids, None


class ReviewFilterForm(forms.Form):
    segment = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Variant.Status.choices]
    )
    moderation = forms.ChoiceField(
        required=False,
        choices=[("", "Held or not"), ("held", "Held by moderation"), ("clear", "Not held")],
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
            held={"held": True, "clear": False}.get(data.get("moderation") or ""),
            format_id=data.get("format"),
            checks=data.get("checks") or None,
            sort=data.get("sort") or "newest",
            best_first=(data.get("order") or "best") == "best",
        )
