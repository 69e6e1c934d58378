import json

from django import forms
from django.conf import settings

from campaigns.forms_brief import BRIEF_FIELDS, BriefFormMixin
from campaigns.ids import IdMultipleChoiceField
from campaigns.models import AdFormat, AudienceSegment, Brand, BrandAsset, Campaign
from campaigns.rules import RuleError, normalise_rules

COLOUR_ROLE_HELP = {
    "background": "Backgrounds and logo plates",
    "accent": "Offer badge and accents",
    "text": "Copy, where it reads (else white or near-black)",
    "cta": "Call-to-action button",
}


class BrandForm(forms.ModelForm):
    palette = forms.CharField(
        help_text="Hex colours separated by commas, e.g. #1F2937, #F59E0B, #FFFFFF."
    )

    class Meta:
        model = Brand
        fields = [
            "name", "voice", "palette", "logo", "headline_font", "body_font", "cta_shape",
            "banned_terms", "disclaimer",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["palette"] = ", ".join(self.instance.palette)
        self.fields["cta_shape"].required = False  # forms that predate the brand kit
        for role, help_text in COLOUR_ROLE_HELP.items():
            self.fields[f"colour_{role}"] = forms.RegexField(
                regex=r"\A#[0-9A-Fa-f]{6}\Z",
                required=False,
                label=f"{role.title()} colour",
                help_text=f"{help_text}; #RRGGBB, empty = from the palette.",
                error_messages={"invalid": "Use a hex colour like #1F2937."},
                initial=(self.instance.colours or {}).get(role, ""),
            )

    def clean_palette(self):
        return [c.strip() for c in self.cleaned_data["palette"].split(",") if c.strip()]

    def clean_cta_shape(self):
        return self.cleaned_data.get("cta_shape") or self.instance.cta_shape or "rounded"

    def clean(self):
        cleaned = super().clean()
        self.instance.colours = {
            role: cleaned[f"colour_{role}"]
            for role in COLOUR_ROLE_HELP
            if cleaned.get(f"colour_{role}")
        }
        return cleaned


class CampaignForm(BriefFormMixin, forms.ModelForm):
    formats = IdMultipleChoiceField(
        queryset=AdFormat.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one ad format."},
    )
    landing_url = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Campaign
        fields = [
            "brand",
            "name",
            "product_name",
            "description",
            "product_image",
            "objective",
            "landing_url",
            "formats",
            "status",
            "spend",
            "fatigue_action",
            "serving_policy",
            *BRIEF_FIELDS,
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("benefits_does", "benefits_gets", "proof_points", "required_claims")
        } | {"offer_ends": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "product_name": "As it should read in the copy, e.g. “Summit 2”.",
            "description": "Whole sentences; the copy may quote one whole sentence, "
            "e.g. “A lightweight trail shoe with a grippy outsole.”",
        }

    def __init__(self, *args, brands=None, can_manage_serving=False, **kwargs):
        super().__init__(*args, **kwargs)
        if brands is not None:
            self.fields["brand"].queryset = brands
        # Only campaign managers decide what serving does on its own; for everyone else
        # the field shows the setting and a posted value is ignored (Django's disabled).
        action = self.fields["fatigue_action"]
        action.required = False  # omitted (REST, older clients): the setting stays
        if not can_manage_serving:
            action.disabled = True
            action.help_text += " Only a campaign manager can change this."
        self.add_translation_fields()

    def main_fields(self):
        return [f for f in self.visible_fields() if f.name in self.Meta.fields[:12]]

    def clean_fatigue_action(self):
        value = self.cleaned_data.get("fatigue_action")
        return value or self.instance.fatigue_action

    def clean(self):
        cleaned = super().clean()
        self.clean_brief(cleaned)
        return cleaned


class SegmentForm(forms.ModelForm):
    rules = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='JSON, e.g. {"age": {"min": 18, "max": 34}, "interests": ["running"]}',
    )

    class Meta:
        model = AudienceSegment
        fields = ["name", "persona", "rules", "estimated_size"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["rules"] = json.dumps(self.instance.rules)

    def clean_rules(self):
        try:
            return normalise_rules(self.cleaned_data.get("rules") or "")
        except RuleError as exc:
            raise forms.ValidationError(str(exc)) from exc


class SpendForm(forms.ModelForm):
    """Media spend per campaign, for ROAS on the analytics page."""

    class Meta:
        model = Campaign
        fields = ["spend"]

    def clean_spend(self):
        spend = self.cleaned_data["spend"]
        if spend < 0:
            raise forms.ValidationError("Spend cannot be negative.")
        return spend


class WinnersForm(forms.Form):
    variants_per_segment = forms.IntegerField(min_value=1, initial=4)
    min_impressions = forms.IntegerField(min_value=1, initial=100)

    def clean_variants_per_segment(self):
        n = self.cleaned_data["variants_per_segment"]
        if n > settings.STUDIO_MAX_VARIANTS_PER_SEGMENT:
            raise forms.ValidationError(
                f"At most {settings.STUDIO_MAX_VARIANTS_PER_SEGMENT} per segment."
            )
        return n


class AssetForm(forms.Form):
    """Upload to the brand asset library; the service validates the image itself."""

    title = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=BrandAsset.Kind.choices, initial=BrandAsset.Kind.BACKGROUND)
    image = forms.FileField(help_text="PNG, JPEG or WebP.")
    tags = forms.CharField(
        required=False,
        max_length=500,
        help_text="Words the image concept is matched on, e.g. mountain, trail, dusk.",
    )
    licence = forms.CharField(
        max_length=300, help_text="Who owns it and where it may be used, e.g. own shoot 2025."
    )
    floor = forms.FloatField(
        required=False,
        min_value=0.05,
        max_value=0.98,
        label="Floor line",
        help_text="Where the product stands, as a fraction of the height from the top "
        "(0.67 = lower third). Empty for the lower third.",
    )
