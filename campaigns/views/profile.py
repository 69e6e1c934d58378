"""The user's own page: personal API tokens, created (shown once) and revoked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from campaigns.forms_integrations import ApiTokenForm
from campaigns.services import api_tokens


@login_required
def profile(request):
    """Every logged-in user may hold tokens: a token acts with that user's own roles and
    brands, so it can do nothing the user cannot do in the browser."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = api_tokens.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    context = {"form": form, "tokens": tokens, "new_token": new_token}
    return render(request, "integrations/profile.html", context)


@require_POST
@login_required
def token_revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    api_tokens.api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("campaigns:profile")
