"""factory_boy factories for K3 accounts, smart locks, phone users and audit entries."""

from __future__ import annotations

import factory
from django.utils import timezone

from k3clients.models import AuditEntry, K3Account, PhoneClient, SmartLock
from tests.factories import SiteFactory


class K3AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = K3Account

    site = factory.SubFactory(SiteFactory)
    access_key = factory.Sequence(lambda n: f"factorykey{n:06d}")
    access_key_last4 = factory.LazyAttribute(lambda a: a.access_key[-4:])
    email = factory.Sequence(lambda n: f"facilities-{n}@example.com")
    status = "active"
    linked_at = factory.LazyFunction(timezone.now)


class SmartLockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SmartLock

    account = factory.SubFactory(K3AccountFactory)
    site = factory.SelfAttribute("account.site")
    lock_id = factory.Sequence(lambda n: f"{n:032x}")
    name = factory.Sequence(lambda n: f"Door {n}")
    battery_status = "80"
    model_name = "CL5510"
    time_zone = "Europe/London"
    first_seen_at = factory.LazyFunction(timezone.now)


class PhoneClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhoneClient

    lock = factory.SubFactory(SmartLockFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    status = "accepted"
    active_periods = factory.LazyFunction(
        lambda: {
            "0": {
                "enabled": True,
                "starts": "08:00",
                "ends": "18:00",
                **{
                    day: day not in ("sat", "sun")
                    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                },
            }
        }
    )


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    lock = factory.SubFactory(SmartLockFactory)
    audit_entry_id = factory.Sequence(lambda n: 1_000_000 + n)
    date_entered = factory.LazyFunction(timezone.now)
    entry_type = "Unlock"
    entry_text = "Unlocked with a NetCode on the keypad"
