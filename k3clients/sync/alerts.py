"""Battery alerts: one e-mail to a site's Managers and Admins when a lock's battery turns low."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from k3clients.models import LOW_BATTERY_PERCENT, K3Account, SmartLock
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


def battery_alerts_check(*, account: K3Account) -> int:
    """Start or end low-battery episodes of the account's locks; e-mail each new one once."""
    sent = 0
    for lock in account.locks.present().select_related("site"):
        if lock.battery_low and lock.battery_low_since is None:
            # The conditional UPDATE makes one sync (of possibly several) own the episode.
            now = timezone.now()
            claimed = SmartLock.objects.filter(pk=lock.pk, battery_low_since__isnull=True).update(
                battery_low_since=now
            )
            if claimed:
                try:
                    _send_alert(lock)
                except OSError:
                    logger.exception("battery alert for lock %s not sent", lock.pk)
                    continue
                SmartLock.objects.filter(pk=lock.pk).update(battery_alerted_at=now)
                sent += 1
        elif lock.battery_low_since is not None and _recovered(lock):
            SmartLock.objects.filter(pk=lock.pk).update(battery_low_since=None)
    return sent
