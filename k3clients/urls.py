"""URLs of the smart-lock pages; no secret or e-mail ever appears in them."""

from __future__ import annotations

from django.urls import path

from k3clients.views import accounts, locks, phone_clients

urlpatterns = [
    path("smart-locks/", accounts.smart_lock_index, name="k3_index"),
    path("smart-locks/sites/<int:site_id>/link/", accounts.account_link, name="k3_account_link"),
    path(
        "smart-locks/sites/<int:site_id>/invite/",
        phone_clients.bulk_invite,
        name="k3_bulk_invite",
    ),
    path(
        "smart-locks/accounts/<int:account_id>/",
        accounts.account_detail,
        name="k3_account_detail",
    ),
    path(
        "smart-locks/accounts/<int:account_id>/key/",
        accounts.account_replace_key,
        name="k3_account_replace_key",
    ),
    path(
        "smart-locks/accounts/<int:account_id>/check/",
        accounts.account_check,
        name="k3_account_check",
    ),
    path(
        "smart-locks/accounts/<int:account_id>/refresh/",
        accounts.account_locks_refresh,
        name="k3_account_locks_refresh",
    ),
    path(
        "smart-locks/accounts/<int:account_id>/unlink/",
        accounts.account_unlink,
        name="k3_account_unlink",
    ),
    path("smart-locks/locks/<int:lock_pk>/", locks.lock_detail, name="k3_lock_detail"),
    path("smart-locks/locks/<int:lock_pk>/refresh/", locks.lock_refresh, name="k3_lock_refresh"),
    path(
        "smart-locks/locks/<int:lock_pk>/phone-users/refresh/",
        locks.lock_clients_refresh,
        name="k3_lock_clients_refresh",
    ),
    path(
        "smart-locks/locks/<int:lock_pk>/audit/refresh/",
        locks.lock_audit_fetch,
        name="k3_lock_audit_fetch",
    ),
    path(
        "smart-locks/locks/<int:lock_pk>/phone-users/invite/",
        phone_clients.phone_client_invite,
        name="k3_client_invite",
    ),
    path(
        "smart-locks/phone-users/<int:client_pk>/periods/",
        phone_clients.phone_client_periods,
        name="k3_client_periods",
    ),
    path(
        "smart-locks/phone-users/<int:client_pk>/suspend/",
        phone_clients.phone_client_state,
        {"action": "suspend"},
        name="k3_client_suspend",
    ),
    path(
        "smart-locks/phone-users/<int:client_pk>/restore/",
        phone_clients.phone_client_state,
        {"action": "restore"},
        name="k3_client_restore",
    ),
    path(
        "smart-locks/phone-users/<int:client_pk>/delete/",
        phone_clients.phone_client_delete,
        name="k3_client_delete",
    ),
]
