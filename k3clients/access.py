"""Fetch a K3 object and check the user's role on its site in one call (404, then 403)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from k3clients.models import K3Account, PhoneClient, SmartLock
from locks.access import require_role
from locks.models import Role

if TYPE_CHECKING:
    from django.http import HttpRequest


def account_for(request: HttpRequest, account_id: int, *, role: Role = Role.STAFF) -> K3Account:
    """An account of one of the user's sites (404 otherwise) with at least `role` (403)."""
    account = get_object_or_404(
        K3Account.objects.visible_to(request.user).select_related("site"), pk=account_id
    )
    require_role(request, account.site, role)
    return account


def lock_for(request: HttpRequest, lock_pk: int, *, role: Role = Role.STAFF) -> SmartLock:
    """A smart lock of one of the user's sites (404 otherwise) with at least `role` (403)."""
    lock = get_object_or_404(
        SmartLock.objects.visible_to(request.user).select_related("site", "account"), pk=lock_pk
    )
    require_role(request, lock.site, role)
    return lock


def phone_client_for(
    request: HttpRequest, client_pk: int, *, role: Role = Role.STAFF
) -> PhoneClient:
    """A phone user of a smart lock of the user's sites (404 otherwise) with `role` (403)."""
    client = get_object_or_404(
        PhoneClient.objects.visible_to(request.user).select_related("lock__site", "lock__account"),
        pk=client_pk,
    )
    require_role(request, client.lock.site, role)
    return client
