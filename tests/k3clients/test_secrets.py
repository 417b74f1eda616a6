"""No page, log line, URL or ledger row ever carries a K3 Connect access key."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from k3clients.models import K3Account, PhoneClient
from netcodes.models import ApiCall
from tests.conftest import SANDBOX_ACCESSKEY
from tests.factories import UserFactory
from tests.k3clients.conftest import fault, period_post, sandbox_account

pytestmark = pytest.mark.django_db

NEW_KEY = "freshkey4242"
WRONG_KEY = "wrongkey1357"


def _walk(client, site, sandbox):
    """Link, browse, invite, fail, revoke and replace: every response of the journey."""
    pages = [
        client.post(reverse("k3_account_link", args=[site.pk]), {"access_key": WRONG_KEY}),
        client.post(reverse("k3_account_link", args=[site.pk]), {"access_key": SANDBOX_ACCESSKEY}),
    ]
    account = K3Account.objects.get()
    lock = account.locks.first()
    pages += [
        client.get(reverse("k3_index")),
        client.get(reverse("k3_account_detail", args=[account.pk])),
        client.post(reverse("k3_lock_refresh", args=[lock.pk])),
        client.post(reverse("k3_lock_clients_refresh", args=[lock.pk])),
        client.post(reverse("k3_lock_audit_fetch", args=[lock.pk])),
        client.get(reverse("k3_lock_detail", args=[lock.pk])),
        client.post(
            reverse("k3_client_invite", args=[lock.pk]),
            period_post(email="judy@example.com", access_type="STANDARD", message="Hi"),
        ),
    ]
    fault(sandbox, operation="delete_client", drop=True, count=1)
    some_client = PhoneClient.objects.filter(lock=lock).first()
    pages.append(client.post(reverse("k3_client_delete", args=[some_client.pk])))
    remote = sandbox_account(sandbox)
    with sandbox.state.lock:
        sandbox.state.accounts.pop(SANDBOX_ACCESSKEY)
    pages.append(client.post(reverse("k3_account_locks_refresh", args=[account.pk])))
    pages.append(client.get(reverse("k3_account_detail", args=[account.pk])))
    with sandbox.state.lock:
        remote.accesskey = NEW_KEY
        sandbox.state.accounts[NEW_KEY] = remote
    pages.append(
        client.post(reverse("k3_account_replace_key", args=[account.pk]), {"access_key": NEW_KEY})
    )
    pages.append(client.get(reverse("k3_account_detail", args=[account.pk])))
    return pages


def test_no_page_log_line_url_or_ledger_row_carries_an_access_key(
    sandbox, site, site_admin_client, caplog
):
    caplog.set_level(logging.DEBUG)

    pages = _walk(site_admin_client, site, sandbox)

    secrets = (SANDBOX_ACCESSKEY, NEW_KEY, WRONG_KEY)
    assert K3Account.objects.get().access_key == NEW_KEY
    for response in pages:
        body = response.content.decode()
        location = response.get("Location", "")
        for secret in secrets:
            assert secret not in body
            assert secret not in location
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records)
    assert "k3connect" in logged  # the calls were logged, just not their keys
    for secret in secrets:
        assert secret not in logged
    for row in ApiCall.objects.all():
        for secret in secrets:
            assert secret not in f"{row.operation} {row.error} {row.task}"


def test_the_account_shows_only_the_last_four_characters(sandbox, site, site_admin_client):
    site_admin_client.post(
        reverse("k3_account_link", args=[site.pk]), {"access_key": SANDBOX_ACCESSKEY}
    )
    account = K3Account.objects.get()
    response = site_admin_client.get(reverse("k3_account_detail", args=[account.pk]))
    assert "••••9dzx" in response.text
    assert SANDBOX_ACCESSKEY[:-4] not in response.text
    assert "9dzx" not in repr(account) and SANDBOX_ACCESSKEY not in str(account)


def test_the_admin_never_shows_the_access_key(sandbox, site, account):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(root)
    response = client.get(reverse("admin:k3clients_k3account_change", args=[account.pk]))
    assert response.status_code == 200
    assert SANDBOX_ACCESSKEY not in response.content.decode()
