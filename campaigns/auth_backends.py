"""django-axes' backend, minus its refusal of calls without a request.

Every log-in over HTTP (the login page, the admin) passes the request and is throttled.
`authenticate()` called without one (Django's test client `login()`, a shell, a
script) has no client address to throttle by; axes would raise there, so this backend
steps aside and the next backend (ModelBackend) checks the password as usual."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
