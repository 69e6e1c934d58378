"""The NinjaAPI object mounted at /api/v1/ (see studio/urls.py)."""

from __future__ import annotations

from ninja import NinjaAPI

from campaigns.rest import catalog, errors, studio
from campaigns.rest.auth import ApiTokenAuth
from campaigns.serving.views.api_schema import add_serving_paths


class StudioApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return add_serving_paths(super().get_openapi_schema(*args, **kwargs))


api = StudioApi(
    title="Creative Studio API",
    version="1",
    description=(
        "The studio's REST API: the same roles and brands as the browser UI, behind a "
        "personal API token (Authorization: Bearer stu_...). Errors are "
        '{"error": {"code", "message", "field"}}.'
    ),
    auth=ApiTokenAuth(),
    urls_namespace="rest",
    # The docs page loads Swagger UI from ninja's own static files ("ninja" app), no CDN.
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", catalog.router)
api.add_router("", studio.router)
