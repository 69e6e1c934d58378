"""`Authorization: Bearer stu_...`: a personal token acting as its user."""

from __future__ import annotations

from ninja.security import HttpBearer

from campaigns.rest.errors import ApiError
from campaigns.services.api_tokens import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    openapi_description = "A personal API token from your profile page (stu_...)."

    def authenticate(self, request, token):
        user = api_token_authenticate(raw=token.strip())
        if user is not None:
            # Views, selectors and services read request.user, as they do for a session.
            request.user = user
        return user


def require(request, *codenames: str) -> None:
    """The same Django permissions the UI's views check (campaigns.roles)."""
    if not request.user.has_perms([f"campaigns.{c}" for c in codenames]):
        raise ApiError(403, "forbidden", "Your role does not allow this.")
