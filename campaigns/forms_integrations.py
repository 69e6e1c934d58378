"""Forms for webhook endpoints and API tokens (the services do the real checks)."""

from __future__ import annotations

from django import forms

from campaigns.events import EVENT_TYPES


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label="Endpoint URL", max_length=500, assume_scheme="https", help_text="Public https URL."
    )
    events = forms.MultipleChoiceField(
        choices=list(EVENT_TYPES.items()), widget=forms.CheckboxSelectMultiple
    )
    secret = forms.CharField(
        required=False,
        max_length=128,
        help_text="Leave empty to have one generated. It signs every delivery.",
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What will use it, e.g. “DAM sync”.")
