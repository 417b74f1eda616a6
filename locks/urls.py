from __future__ import annotations

from django.urls import path

from locks import kitlock_views, views

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
    path("locks/", kitlock_views.kitlock_list, name="kitlock_list"),
    path("locks/new/", kitlock_views.kitlock_initialise, name="kitlock_initialise"),
    path("locks/new/by-hand/", kitlock_views.kitlock_add, name="kitlock_add"),
    path("locks/<int:lock_id>/", kitlock_views.kitlock_detail, name="kitlock_detail"),
    path("locks/<int:lock_id>/edit/", kitlock_views.kitlock_edit, name="kitlock_edit"),
    path("locks/<int:lock_id>/sequence/", kitlock_views.kitlock_sequence, name="kitlock_sequence"),
    path(
        "locks/<int:lock_id>/batteries/", kitlock_views.kitlock_batteries, name="kitlock_batteries"
    ),
    path("locks/<int:lock_id>/clock/", kitlock_views.kitlock_clock, name="kitlock_clock"),
]
