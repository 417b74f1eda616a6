from __future__ import annotations

from django.urls import path

from locks import views

urlpatterns = [
    path("sites/", views.site_list, name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<int:site_id>/", views.site_detail, name="site_detail"),
    path("sites/<int:site_id>/edit/", views.site_edit, name="site_edit"),
    path("sites/<int:site_id>/switch/", views.site_switch, name="site_switch"),
    path("sites/<int:site_id>/members/", views.member_list, name="member_list"),
    path(
        "sites/<int:site_id>/members/<int:membership_id>/role/",
        views.member_change_role,
        name="member_change_role",
    ),
    path(
        "sites/<int:site_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
]
