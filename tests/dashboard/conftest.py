"""A seeded pair of sites: locks in every state, codes, invitations, door events, ledger rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from k3clients.models import SmartLock
from locks.models import KitLock, Site
from tests.dashboard.factories import NetCodeFactory, NetCodeIssueFactory
from tests.k3clients.factories import (
    AuditEntryFactory,
    K3AccountFactory,
    PhoneClientFactory,
    SmartLockFactory,
)
from tests.locks.factories import KitLockFactory

# 11:00 in London (BST): a fixed moment the widgets are asked about.
NOW = datetime(2026, 7, 14, 10, 0, tzinfo=UTC)


@dataclass
class World:
    site: Site
    other_site: Site
    clock_lock: KitLock
    uninitialised: KitLock
    fine_kitlock: KitLock
    low_battery: SmartLock
    stale: SmartLock
    gone: SmartLock
    healthy: SmartLock
    other_lock: SmartLock


def _smart(account, name, **fields) -> SmartLock:
    fields.setdefault("last_synced_at", NOW - timedelta(hours=1))
    return SmartLockFactory(account=account, name=name, **fields)


def _codes(world: World) -> None:
    site, other = world.site, world.other_site
    hour = timedelta(hours=1)
    active = NetCodeFactory(site=site, kitlock=world.fine_kitlock, starts_at=NOW - hour)
    NetCodeIssueFactory(netcode=active, recipient_name="Carla Cleaner")
    later = NetCodeFactory(site=site, kitlock=world.fine_kitlock, starts_at=NOW + 3 * hour)
    NetCodeIssueFactory(netcode=later, recipient_name="Pete Plumber")
    tomorrow = NetCodeFactory(site=site, kitlock=world.fine_kitlock, starts_at=NOW + 20 * hour)
    NetCodeIssueFactory(netcode=tomorrow, recipient_name="Tom Tomorrow")
    past = NetCodeFactory(site=site, kitlock=world.fine_kitlock, starts_at=NOW - 30 * hour)
    NetCodeIssueFactory(netcode=past, recipient_name="Yolanda Yesterday")
    theirs = NetCodeFactory(site=other, smartlock=world.other_lock, starts_at=NOW - hour)
    NetCodeIssueFactory(netcode=theirs, recipient_name="Oscar Otherside")


def _doors(world: World) -> None:
    for minutes, kind in ((5, "Unlock"), (50, "Lock"), (60 * 30, "Unlock")):
        AuditEntryFactory(
            lock=world.healthy,
            date_entered=NOW - timedelta(minutes=minutes),
            entry_type=kind,
            entry_text=f"{kind} by keypad",
        )
    AuditEntryFactory(
        lock=world.other_lock, date_entered=NOW, entry_type="Unlock", entry_text="Depot secret"
    )


@pytest.fixture
def world(site, other_site) -> World:
    account = K3AccountFactory(site=site)
    other_account = K3AccountFactory(site=other_site)
    w = World(
        site=site,
        other_site=other_site,
        clock_lock=KitLockFactory(site=site, name="Bin store", clock_needs_setting=True),
        uninitialised=KitLockFactory(site=site, name="Roof hatch", initialised_at=None),
        fine_kitlock=KitLockFactory(site=site, name="Plant room"),
        low_battery=_smart(account, "Back door", battery_status="15"),
        stale=_smart(account, "Side gate", last_synced_at=NOW - timedelta(days=3)),
        gone=_smart(account, "Old shed", gone_at=NOW - timedelta(days=1)),
        healthy=_smart(account, "Front door", battery_status="90"),
        other_lock=_smart(other_account, "Depot gate", battery_status="5"),
    )
    KitLockFactory(site=other_site, name="Depot box", clock_needs_setting=True)
    PhoneClientFactory(lock=w.healthy, email="newbie@example.com", status="pending")
    PhoneClientFactory(lock=w.healthy, email="regular@example.com", status="accepted")
    PhoneClientFactory(lock=w.other_lock, email="depot-newbie@example.com", status="pending")
    _codes(w)
    _doors(w)
    return w
