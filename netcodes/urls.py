from __future__ import annotations

from django.urls import path

from netcodes.views import bulk, generate, history, usage

urlpatterns = [
    path("netcodes/", history.netcode_history, name="netcode_history"),
    path(
        "netcodes/new/kitlock/<int:lock_id>/",
        generate.netcode_new,
        {"kind": "kitlock"},
        name="netcode_new_kitlock",
    ),
    path(
        "netcodes/starts/kitlock/<int:lock_id>/",
        generate.netcode_starts,
        {"kind": "kitlock"},
        name="netcode_starts_kitlock",
    ),
    path(
        "netcodes/new/smartlock/<int:lock_id>/",
        generate.netcode_new,
        {"kind": "smartlock"},
        name="netcode_new_smartlock",
    ),
    path(
        "netcodes/starts/smartlock/<int:lock_id>/",
        generate.netcode_starts,
        {"kind": "smartlock"},
        name="netcode_starts_smartlock",
    ),
    path("netcodes/<int:issue_id>/", generate.netcode_issue, name="netcode_issue"),
    path("netcodes/<int:issue_id>/reveal/", generate.netcode_reveal, name="netcode_reveal"),
    path("netcodes/<int:issue_id>/card/", generate.netcode_card, name="netcode_card"),
    path("netcodes/<int:issue_id>/send/", generate.netcode_send, name="netcode_send"),
    path("netcodes/bulk/", bulk.bulk_new, name="netcode_bulk"),
    path("netcodes/bulk/<int:batch_id>/", bulk.bulk_results, name="netcode_bulk_results"),
    path("usage/", usage.usage, name="usage"),
]
