from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from campaigns.rest.api import api as rest_api
from campaigns.views import media_file
from studio.observability.health import healthz
from studio.observability.views import metrics


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico on every page whatever the <link> says: send them to
    the static file (by its served name, hashed or not)."""
    return HttpResponseRedirect(static("favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Media goes through a login- and brand-checked view, in DEBUG and in production alike.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_file, name="media"),
    path("", include("campaigns.urls")),
    # After campaigns.urls, whose /api/v1/decide and /api/v1/events stay plain views.
    path("api/v1/", rest_api.urls),
]
