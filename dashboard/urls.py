from __future__ import annotations

from django.urls import path

from dashboard import views

urlpatterns = [
    path("sites/<int:site_id>/dashboard/", views.site_dashboard, name="site_dashboard"),
    path("sites/<int:site_id>/activity/", views.activity_log, name="activity_log"),
    path("audit/", views.audit_browser, name="audit_browser"),
    path("locks/<int:lock_id>/timeline/", views.kitlock_timeline, name="kitlock_timeline"),
    path(
        "smart-locks/locks/<int:lock_pk>/timeline/",
        views.smartlock_timeline,
        name="smartlock_timeline",
    ),
]
