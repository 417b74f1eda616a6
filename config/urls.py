"""The portal's URLs: each app mounts its own."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from config import views

admin.site.site_header = "Keyhouse administration"
admin.site.site_title = "Keyhouse"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    # Before Django's auth URLs: our sign-in view (two-factor, rate limit) takes "login/".
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("locks.urls")),
    path("", include("netcodes.urls")),
    path("", include("k3clients.urls")),
    path("", include("dashboard.urls")),
    path("", include("k3clients.sync.urls")),
]
