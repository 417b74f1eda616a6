"""A journey through every main feature: no secret in a log line, a Celery message or a page."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from celery.app.task import Task
from django.test import Client, TestCase
from django.urls import reverse

from config.celery import app as celery_app
from k3clients import tasks as k3_tasks
from k3clients.models import K3Account
from locks.models import KitLock
from netcodes.models import NetCode
from tests.conftest import SANDBOX_ACCESSKEY, SANDBOX_API_KEY
from tests.factories import UserFactory
from tests.k3clients.conftest import free_registered_email, period_post
from tests.netcodes.helpers import netcode_form_data

pytestmark = pytest.mark.django_db

MASTER_CODE = "24681357"
# The vendor's stand-in logs the requests it receives, as the vendor would: not the portal's.
VENDOR_SIDE_LOGGERS = ("codelocks.sandbox",)


@dataclass
class Journey:
    """Everything the portal said while a person used it: pages, and where secrets may show."""

    client: Client
    pages: list[tuple[str, str]] = field(default_factory=list)
    allowed: list[tuple[str, str]] = field(default_factory=list)

    def _keep(self, url: str, response: Any, may_show_secrets: bool) -> Any:
        for hop in [*getattr(response, "redirect_chain", [])]:
            self.pages.append((f"redirect {hop[0]}", hop[0]))
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        (self.allowed if may_show_secrets else self.pages).append((url, body))
        self.pages.append((f"headers of {url}", str(dict(response.items()))))
        return response

    def get(self, url: str, *, may_show_secrets: bool = False, **kwargs: Any) -> Any:
        return self._keep(url, self.client.get(url, **kwargs), may_show_secrets)

    def post(self, url: str, data: Any = None, *, may_show_secrets: bool = False) -> Any:
        return self._keep(url, self.client.post(url, data or {}, follow=True), may_show_secrets)


@pytest.fixture
def every_log_record(caplog) -> Iterator[pytest.LogCaptureFixture]:
    """Capture every logger at DEBUG, including those configured quieter."""
    for name in ["", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


@pytest.fixture
def celery_messages(monkeypatch) -> list[str]:
    """The arguments of every task sent, as Celery would serialise them; tasks run eagerly."""
    sent: list[str] = []
    original = Task.apply_async

    def recording(self: Task, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        sent.append(f"{self.name} {args!r} {kwargs!r} {options!r}")
        return original(self, args, kwargs, **options)

    monkeypatch.setattr(Task, "apply_async", recording)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    return sent


def _kitlock_journey(j: Journey, site) -> KitLock:
    """Onboard a KitLock with a master code, confirm it, generate a code, look at it again."""
    data = {"site": site.pk, "model": "KL1060", "name": "Vault box", "random_identifier": "on"}
    # The wizard's sequence page is where the master code must be keyed in from.
    j.post(
        reverse("kitlock_initialise"), {**data, "master_code": MASTER_CODE}, may_show_secrets=True
    )
    lock = KitLock.objects.get(name="Vault box")
    j.post(reverse("kitlock_sequence", args=[lock.pk]))
    url = reverse("netcode_new_kitlock", args=[lock.pk])
    j.get(url)
    j.post(url, netcode_form_data(confirm=None))
    j.post(url, netcode_form_data(), may_show_secrets=True)  # the code shown once
    return lock


def _smartlock_journey(j: Journey, sandbox, lock) -> None:
    """A NetCode for a smart lock, revealed on request; a phone user invited."""
    url = reverse("netcode_new_smartlock", args=[lock.pk])
    j.get(url)
    j.post(url, netcode_form_data(recipient_name="Sid Smart"), may_show_secrets=True)
    issue = NetCode.objects.get(smartlock=lock).issues.get()
    j.get(reverse("netcode_issue", args=[issue.pk]))
    j.post(reverse("netcode_reveal", args=[issue.pk]), may_show_secrets=True)
    email = free_registered_email(sandbox, lock.lock_id)
    invite = period_post(email=email, access_type="STANDARD", message="Welcome")
    j.get(reverse("k3_client_invite", args=[lock.pk]))
    j.post(reverse("k3_client_invite", args=[lock.pk]), invite)


def _sync_journey(j: Journey, site, account: K3Account, lock) -> None:
    """Sync now from the page, then each sync task as beat would send it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        j.post(reverse("k3_sync_now", args=[site.pk]))
    with TestCase.captureOnCommitCallbacks(execute=True):
        k3_tasks.sync_account_locks.delay(account.pk)
        k3_tasks.sync_lock_clients.delay(lock.pk)
        k3_tasks.sync_lock_audit.delay(lock.pk)
        k3_tasks.sync_plan.delay()
    j.get(reverse("k3_sync_page", args=[site.pk]))
    j.get(reverse("k3_sync_progress", args=[site.pk]), HTTP_HX_REQUEST="true")


def _browse(j: Journey, site, account: K3Account, lock, kitlock: KitLock) -> None:
    """Every page that lists or describes what the journey made."""
    for url in (
        reverse("home"),
        reverse("site_dashboard", args=[site.pk]),
        reverse("activity_log", args=[site.pk]),
        reverse("kitlock_list"),
        reverse("kitlock_detail", args=[kitlock.pk]),
        reverse("kitlock_timeline", args=[kitlock.pk]),
        reverse("netcode_history"),
        reverse("netcode_history") + "?export=csv",
        reverse("k3_index"),
        reverse("k3_account_detail", args=[account.pk]),
        reverse("k3_account_replace_key", args=[account.pk]),
        reverse("k3_lock_detail", args=[lock.pk]),
        reverse("smartlock_timeline", args=[lock.pk]),
        reverse("audit_browser"),
        reverse("audit_browser") + "?export=csv",
        reverse("usage"),
        reverse("usage") + "?export=csv",
    ):
        j.get(url)
    for issue_url in NetCode.objects.values_list("issues__pk", flat=True):
        j.get(reverse("netcode_issue", args=[issue_url]))  # masked after the first showing


def _secrets() -> dict[str, str]:
    codes = {
        f"NetCode {n}": code
        for n, code in enumerate(NetCode.objects.values_list("code", flat=True))
    }
    return {
        "API key": SANDBOX_API_KEY,
        "access key": SANDBOX_ACCESSKEY,
        "master code": MASTER_CODE,
        **codes,
    }


def _found(secret: str, text: str) -> bool:
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", text) is not None


def test_no_secret_reaches_a_log_a_celery_message_or_a_page_it_does_not_belong_on(
    sandbox, site, site_admin, every_log_record, celery_messages
):
    client = Client()
    client.force_login(site_admin)
    j = Journey(client)

    j.get(reverse("k3_account_link", args=[site.pk]))
    j.post(reverse("k3_account_link", args=[site.pk]), {"access_key": SANDBOX_ACCESSKEY})
    account = K3Account.objects.get()
    lock = account.locks.order_by("pk").first()
    kitlock = _kitlock_journey(j, site)
    _smartlock_journey(j, sandbox, lock)
    _sync_journey(j, site, account, lock)
    _browse(j, site, account, lock, kitlock)
    root = Client()
    root.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    for name in ("k3account", "smartlock", "phoneclient"):
        j.pages.append((name, root.get(reverse(f"admin:k3clients_{name}_changelist")).text))
    j.pages.append(
        ("admin", root.get(reverse("admin:k3clients_k3account_change", args=[account.pk])).text)
    )

    secrets = _secrets()
    assert len(secrets) == 5  # the journey made its two codes
    logs = [
        f"{r.name} {r.getMessage()} {r.exc_text or ''}"
        for r in every_log_record.records
        if not r.name.startswith(VENDOR_SIDE_LOGGERS)
    ]
    assert logs and celery_messages  # the journey was heard
    leaks = [
        (what, where[:80])
        for what, secret in secrets.items()
        for where in [*logs, *celery_messages, *(f"{url}\n{body}" for url, body in j.pages)]
        if _found(secret, where)
    ]
    assert not leaks
    # The pages that exist to show a secret did show it: the search above could find one.
    shown = "\n".join(body for _, body in j.allowed)
    assert _found(MASTER_CODE, shown)
    assert all(_found(code, shown) for code in NetCode.objects.values_list("code", flat=True))
