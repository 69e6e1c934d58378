import json

from django import forms
from django.conf import settings

from campaigns.ids import IdMultipleChoiceField
from campaigns.models import AdFormat, AudienceSegment, Brand, Campaign
from campaigns.rules import RuleError, normalise_rules


class BrandForm(forms.ModelForm):
    palette = forms.CharField(
        help_text="Hex colours separated by commas, e.g. #1F2937, #F59E0B, #FFFFFF."
    )

    class Meta:
        model = Brand
        fields = ["name", "voice", "palette", "logo", "banned_terms", "disclaimer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["palette"] = ", ".join(self.instance.palette)

    def clean_palette(self):
        return [c.strip() for c in self.cleaned_data["palette"].split(",") if c.strip()]


class CampaignForm(forms.ModelForm):
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
        ]

    def __init__(self, *args, brands=None, **kwargs):
        super().__init__(*args, **kwargs)
        if brands is not None:
            self.fields["brand"].queryset = brands


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
