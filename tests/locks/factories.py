"""factory_boy factories for KitLocks."""

from __future__ import annotations

import datetime as dt

import factory

from locks.models import KitLock
from tests.factories import SiteFactory


class KitLockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KitLock

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Key box {n}")
    location = "Front door"
    model = "KL1060"
    timecode = "202601151030"
    identifier = factory.Sequence(lambda n: f"{451254 + n:06d}")
    clock_zone = "UTC"
    master_code = "12345678"
    initialised_at = factory.LazyFunction(lambda: dt.datetime(2026, 1, 15, 10, 30, tzinfo=dt.UTC))
    clock_set_at = factory.LazyFunction(lambda: dt.datetime(2026, 1, 15, 10, 30, tzinfo=dt.UTC))
