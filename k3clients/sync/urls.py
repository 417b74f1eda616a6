"""URLs of the sync pages, under the site they belong to."""

from __future__ import annotations

from django.urls import path

from k3clients.sync import views

urlpatterns = [
    path("sites/<int:site_id>/sync/", views.sync_page, name="k3_sync_page"),
    path("sites/<int:site_id>/sync/now/", views.sync_now, name="k3_sync_now"),
    path("sites/<int:site_id>/sync/progress/", views.sync_progress, name="k3_sync_progress"),
]
