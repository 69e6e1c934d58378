from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from campaigns.views import media_file

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Media goes through a login- and brand-checked view, in DEBUG and in production alike.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_file, name="media"),
    path("", include("campaigns.urls")),
]
