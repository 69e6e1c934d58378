"""Forms of the moderation queue and the export page."""

from django import forms

from campaigns.ids import IdMultipleChoiceField
from campaigns.models import AdFormat, AudienceSegment, ModerationCase
from studio.engine import copy_rules
from studio.engine.safety import REASONS


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("open", "Open"), ("cleared", "Cleared"), ("blocked", "Blocked"), ("", "All")],
        required=False,
        initial="open",
    )
    reason = forms.ChoiceField(choices=[("", "Any reason"), *REASONS.items()], required=False)

    def filters(self) -> dict[str, str]:
        """Status and reason code for the selector; open cases when the input is bad."""
        if not self.is_valid():
            return {"status": ModerationCase.Status.OPEN, "code": ""}
        status = self.cleaned_data["status"] if "status" in self.data else "open"
        return {"status": status, "code": self.cleaned_data["reason"]}


class DecisionForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BlockForm(DecisionForm):
    """Blocking is final, so it takes two steps: without `confirm` the view shows a
    confirmation page (with JavaScript, the browser's confirm dialog sets it)."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class FixAndClearForm(DecisionForm):
    headline = forms.CharField(max_length=copy_rules.FIELD_LIMITS["headline"][1])
    body = forms.CharField(
        max_length=copy_rules.FIELD_LIMITS["body"][1], widget=forms.Textarea(attrs={"rows": 3})
    )
    cta = forms.CharField(max_length=copy_rules.FIELD_LIMITS["cta"][1], label="Call to action")

    field_order = ["headline", "body", "cta", "note"]


class ExportForm(forms.Form):
    segments = IdMultipleChoiceField(
        queryset=AudienceSegment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every segment.",
    )
    formats = IdMultipleChoiceField(
        queryset=AdFormat.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every format.",
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"].queryset = campaign.segments.order_by("name")
        self.fields["formats"].queryset = campaign.formats.order_by("slug")
