"""Side effects of the K3 app: one call = fetch from the API (or change it) and upsert."""

from __future__ import annotations

from k3clients.services.accounts import (
    ALREADY_LINKED,
    KEY_OF_ANOTHER_ACCOUNT,
    LocksRefreshed,
    account_locks_refresh,
    k3_account_check,
    k3_account_link,
    k3_account_replace_key,
    k3_account_unlink,
    lock_refresh,
)
from k3clients.services.audit import lock_audit_fetch
from k3clients.services.phone_clients import (
    NO_ENABLED_PERIOD,
    ClientChange,
    InviteOutcome,
    check_periods,
    lock_clients_refresh,
    phone_client_delete,
    phone_client_invite,
    phone_client_set_state,
    phone_client_update_periods,
    phone_clients_invite_many,
)

__all__ = [
    "ALREADY_LINKED",
    "KEY_OF_ANOTHER_ACCOUNT",
    "NO_ENABLED_PERIOD",
    "ClientChange",
    "InviteOutcome",
    "LocksRefreshed",
    "account_locks_refresh",
    "check_periods",
    "k3_account_check",
    "k3_account_link",
    "k3_account_replace_key",
    "k3_account_unlink",
    "lock_audit_fetch",
    "lock_clients_refresh",
    "lock_refresh",
    "phone_client_delete",
    "phone_client_invite",
    "phone_client_set_state",
    "phone_client_update_periods",
    "phone_clients_invite_many",
]
