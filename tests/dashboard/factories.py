"""factory_boy factories for the dashboard tests: NetCodes, their issues, ledger rows."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from netcodes.models import ApiCall, NetCode, NetCodeIssue, NetCodeState
from tests.factories import SiteFactory


class NetCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetCode

    site = factory.SubFactory(SiteFactory)
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    lock_name = factory.LazyAttribute(
        lambda o: o.kitlock.name if o.kitlock else (o.smartlock.name if o.smartlock else "Door")
    )
    lock_model = "KL1060"
    lock_ref = "202601151030"
    clock_zone = "UTC"
    duration_id = 1
    duration_label = "2 hours"
    starts_at = factory.LazyFunction(timezone.now)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    lock_start = factory.LazyAttribute(lambda o: f"{o.starts_at:%Y-%m-%d %H:%M}")
    lock_end = factory.LazyAttribute(lambda o: f"{o.ends_at:%Y-%m-%d %H:%M}")
    code = "7830719"
    state = NetCodeState.READY
    claimed_at = factory.LazyFunction(timezone.now)
    kitlock = None
    smartlock = None


class NetCodeIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetCodeIssue

    netcode = factory.SubFactory(NetCodeFactory)
    site = factory.SelfAttribute("netcode.site")
    recipient_name = factory.Sequence(lambda n: f"Guest {n}")


class ApiCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiCall

    at = factory.LazyFunction(timezone.now)
    category = "utility"
    operation = "k3_locks"
    method = "GET"
    status = 200
    elapsed_ms = 120
