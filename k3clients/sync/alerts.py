"""Battery alerts: one e-mail to a site's Managers and Admins when a lock's battery turns low."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from k3clients.models import LOW_BATTERY_PERCENT, K3Account, SmartLock
from k3clients.sync.lease import lease_duration
from locks.models import Membership, Role

logger = logging.getLogger("k3clients.sync")

BATTERY_LOW_SUBJECT = "Keyhouse: the battery of “{lock}” is low ({percent}%)"
BATTERY_LOW_BODY = (
    "The battery of the smart lock “{lock}” at {site} reported {percent}% "
    "(low is {threshold}% or less).\n\n"
    "Replace its batteries soon: a lock with flat batteries opens for no one. Keyhouse flags "
    "the lock in every list until its battery reports a healthy level again, and will not "
    "e-mail about it again until then.\n"
)


def alert_recipients(lock: SmartLock) -> list[str]:
    """The e-mail addresses of the Managers and Admins of the lock's site."""
    members = Membership.objects.filter(
        site_id=lock.site_id, role__in=[Role.MANAGER, Role.ADMIN]
    ).select_related("user")
    return sorted({m.user.email for m in members if m.user.email and m.user.is_active})


def _send_alert(lock: SmartLock) -> None:
    recipients = alert_recipients(lock)
    if not recipients:
        return
    percent = lock.battery_percent
    send_mail(
        BATTERY_LOW_SUBJECT.format(lock=lock, percent=percent),
        BATTERY_LOW_BODY.format(
            lock=lock, site=lock.site, percent=percent, threshold=LOW_BATTERY_PERCENT
        ),
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )


def _recovered(lock: SmartLock) -> bool:
    return lock.battery_percent is not None and not lock.battery_low


def _unsent(lock: SmartLock, now: datetime) -> bool:
    """An episode whose e-mail never went out: its sync died or the mail server failed."""
    alerted = lock.battery_alerted_at
    return (
        lock.battery_low
        and lock.battery_low_since is not None
        and lock.battery_low_since < now - lease_duration()  # the sync that claimed it is over
        and (alerted is None or alerted < lock.battery_low_since)
    )


def _claim(lock: SmartLock, now: datetime) -> bool:
    """Make this sync (of possibly several) the one to e-mail, by a conditional UPDATE."""
    if lock.battery_low_since is None:
        mine = SmartLock.objects.filter(pk=lock.pk, battery_low_since__isnull=True)
        return bool(mine.update(battery_low_since=now))
    # Claimed again by marking it alerted first: at most one more e-mail, even if this dies too.
    mine = SmartLock.objects.filter(pk=lock.pk, battery_alerted_at=lock.battery_alerted_at)
    return bool(mine.update(battery_alerted_at=now))


def battery_alerts_check(*, account: K3Account) -> int:
    """Start or end low-battery episodes of the account's locks; e-mail each new one once."""
    sent = 0
    for lock in account.locks.present().select_related("site"):
        now = timezone.now()
        if (lock.battery_low and lock.battery_low_since is None) or _unsent(lock, now):
            if _claim(lock, now):
                try:
                    _send_alert(lock)
                except OSError:
                    logger.exception("battery alert for lock %s not sent", lock.pk)
                    # Left unsent (undoing a renewed claim), so a later sync tries again.
                    SmartLock.objects.filter(pk=lock.pk, battery_alerted_at=now).update(
                        battery_alerted_at=lock.battery_alerted_at
                    )
                    continue
                SmartLock.objects.filter(pk=lock.pk).update(battery_alerted_at=now)
                sent += 1
        elif lock.battery_low_since is not None and _recovered(lock):
            SmartLock.objects.filter(pk=lock.pk).update(battery_low_since=None)
    return sent
