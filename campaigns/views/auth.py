"""The login page's lock-out answer for django-axes (settings.AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


def login_locked_out(request, original_response=None, credentials=None):
    """The login page again, with a message saying why and for how long, as a 429.

    Said the same way whether or not the username exists, so a lock-out tells an
    attacker nothing about the accounts."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {
        "form": AuthenticationForm(request),
        "locked_out": True,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": minutes,
    }
    return render(request, "registration/login.html", context, status=429)
