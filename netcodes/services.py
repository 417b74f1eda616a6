"""Generating NetCodes without paying twice, and sharing them."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac

from dashboard.activity import activity_record
from dashboard.models import Verb
from locks.models.kitlocks import NetCodeMode, mode_key
from netcodes import clock
from netcodes.api import codelocks_client
from netcodes.durations import duration_rule
from netcodes.models import (
    ApiCategory,
    DurationOption,
    NetCode,
    NetCodeBatch,
    NetCodeIssue,
    NetCodeState,
)
from netcodes.quota import quota_guard

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from netcodes.targets import NetCodeTarget

WRONG_MODE = (
    "This lock is set to the {lock_mode} NetCode mode, so a {code_mode} code would not work on "
    "the door. Choose a Standard or {lock_mode} duration, or change the lock's mode."
)
BUSY = (
    "Someone else is generating this very code right now. Wait a few seconds and try again: "
    "it will then come from the history, free."
)
FROM_HISTORY = (
    "This code was already generated through Keyhouse, so it came from the history: no API "
    "call was made and no quota was used."
)
POLL_INTERVAL = 0.1


@dataclass(frozen=True)
class NetCodePlan:
    """Everything about a code request before it is made: window on both clocks and its price."""

    target: NetCodeTarget
    option: DurationOption
    rule: clock.StartRule
    starts_at: datetime
    lock_start: datetime
    lock_end: datetime
    fingerprint: str
    stored: NetCode | None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + self.option.length

    @property
    def site_start(self) -> datetime:
        return self.starts_at.astimezone(self.target.site.tz)

    @property
    def site_end(self) -> datetime:
        return self.ends_at.astimezone(self.target.site.tz)

    @property
    def lock_zone(self) -> str:
        return clock.lock_zone_name(self.target.clock_zone, self.rule)

    @property
    def free(self) -> bool:
        """Whether the code is already in the history (so asking costs nothing)."""
        return self.stored is not None and self.stored.is_ready


def request_fingerprint(target: NetCodeTarget, lock_start: datetime, duration_id: int) -> str:
    """A keyed hash of the parameters that decide a code (the identifier may be a secret)."""
    message = "|".join(
        (
            target.lock_ref.lower(),
            target.lockmodel,
            target.identifier,
            clock.format_lock_time(lock_start),
            str(duration_id),
        )
    )
    return salted_hmac("keyhouse.netcodes.fingerprint", message, algorithm="sha256").hexdigest()


def netcode_plan(
    *,
    target: NetCodeTarget,
    option: DurationOption,
    start: datetime,
    user: AbstractBaseUser | None = None,
) -> NetCodePlan:
    """Check a request against the lock and the duration's rules; ValidationError says why not."""
    if target.not_ready:
        raise ValidationError(target.not_ready)
    code_mode = mode_key(option.mode)
    if code_mode not in ("standard", target.netcode_mode):
        raise ValidationError(
            WRONG_MODE.format(lock_mode=_mode_label(target.netcode_mode), code_mode=option.mode)
        )
    rule = duration_rule(option, user=user)
    error = clock.start_error(
        start, is_day_code=option.is_day_code, clock_zone=target.clock_zone, rule=rule
    )
    if error:
        raise ValidationError(error)
    lock_start = clock.to_lock_clock(start, target.clock_zone, rule)
    fingerprint = request_fingerprint(target, lock_start, option.duration_id)
    return NetCodePlan(
        target=target,
        option=option,
        rule=rule,
        starts_at=clock.from_lock_clock(lock_start, target.clock_zone, rule),
        lock_start=lock_start,
        lock_end=lock_start + option.length,
        fingerprint=fingerprint,
        stored=NetCode.objects.filter(fingerprint=fingerprint).first(),
    )


def _mode_label(value: str) -> str:
    return NetCodeMode(value).label if value in NetCodeMode.values else value


def netcode_generate(
    *,
    plan: NetCodePlan,
    recipient_name: str,
    recipient_email: str = "",
    note: str = "",
    user: AbstractBaseUser | None = None,
    batch: NetCodeBatch | None = None,
) -> NetCodeIssue:
    """Give a code for the plan: from the history when stored, else from the API (once)."""
    netcode, from_history = _netcode_obtain(plan, user)
    issue = NetCodeIssue.objects.create(
        netcode=netcode,
        site_id=netcode.site_id,
        batch=batch,
        requested_by=user,
        recipient_name=recipient_name,
        recipient_email=recipient_email,
        note=note,
        from_history=from_history,
    )
    _record_issue(issue, user)
    return issue


def _record_issue(issue: NetCodeIssue, user: AbstractBaseUser | None) -> None:
    """Log who asked for a code, for whom, on which lock and when: never the code itself."""
    netcode = issue.netcode
    window = {"starts_at": netcode.starts_at.isoformat(), "ends_at": netcode.ends_at.isoformat()}
    activity_record(
        site=netcode.site,
        actor=user,
        verb=Verb.NETCODE_GENERATED,
        target=issue,
        lock=netcode.lock,
        target_label=f"for {issue.recipient_name} on {netcode.lock_name}",
        details={**window, "recipient": issue.recipient_name, "from_history": issue.from_history},
    )


def _claim_wait() -> float:
    """How long a request waits for another one generating the same code."""
    return settings.CODELOCKS_TIMEOUT * 4 + 5


def _netcode_obtain(plan: NetCodePlan, user: AbstractBaseUser | None) -> tuple[NetCode, bool]:
    """The stored code for the plan's parameters, or a new one made by claiming its row first."""
    deadline = time.monotonic() + _claim_wait()
    while True:
        stored = NetCode.objects.filter(fingerprint=plan.fingerprint).first()
        if stored is not None and stored.is_ready:
            return stored, True
        if stored is None:
            claimed = _claim(plan, user)
            if claimed is not None:
                return _fill(claimed, plan, user), False
        elif _take_over_if_abandoned(stored):
            return _fill(stored, plan, user), False
        if time.monotonic() > deadline:
            raise ValidationError(BUSY)
        time.sleep(POLL_INTERVAL)


def _claim(plan: NetCodePlan, user: AbstractBaseUser | None) -> NetCode | None:
    """Insert the pending row for the plan; None when another request inserted it first."""
    target = plan.target
    try:
        with transaction.atomic():
            return NetCode.objects.create(
                site=target.site,
                **target.lock_fields,
                fingerprint=plan.fingerprint,
                lock_name=target.name,
                lock_location=target.location,
                lock_model=target.lockmodel,
                lock_ref=target.lock_ref,
                clock_zone=plan.lock_zone,
                mode=plan.option.mode,
                sub_mode=plan.option.sub_mode,
                duration_id=plan.option.duration_id,
                duration_label=plan.option.label,
                starts_at=plan.starts_at,
                ends_at=plan.ends_at,
                lock_start=clock.format_lock_time(plan.lock_start),
                lock_end=clock.format_lock_time(plan.lock_end),
                claimed_at=timezone.now(),
                created_by=user,
            )
    except IntegrityError:
        return None


def _take_over_if_abandoned(stored: NetCode) -> bool:
    """Claim a pending row whose owner died (older than the longest wait); True if ours now."""
    cutoff = timezone.now() - timedelta(seconds=_claim_wait())
    if stored.state != NetCodeState.PENDING or stored.claimed_at > cutoff:
        return False
    taken = NetCode.objects.filter(
        pk=stored.pk, state=NetCodeState.PENDING, claimed_at=stored.claimed_at
    ).update(claimed_at=timezone.now())
    return taken == 1


def _fill(netcode: NetCode, plan: NetCodePlan, user: AbstractBaseUser | None) -> NetCode:
    """Call the API for a claimed row (outside any transaction) and store the code."""
    target = plan.target
    try:
        quota_guard(ApiCategory.NETCODE)
        answer = codelocks_client(user=user).netcode(
            target.lock_ref,
            start=plan.lock_start,
            duration=plan.option.duration_id,
            lockmodel=target.lockmodel,
            identifier=target.identifier,
        )
    except BaseException:
        netcode.delete()  # release the claim so the request can be made again
        raise
    netcode.code = answer.actual_netcode
    netcode.state = NetCodeState.READY
    if answer.expires is not None:
        netcode.lock_end = clock.format_lock_time(answer.expires.replace(second=0))
    netcode.save(update_fields=["code", "state", "lock_end"])
    return netcode


def netcode_send(*, issue: NetCodeIssue, to: str, user: AbstractBaseUser | None = None) -> None:
    """E-mail a code with its lock, window and how to key it in; remember whom it went to."""
    netcode = issue.netcode
    context = {"issue": issue, "netcode": netcode, "site": netcode.site, "lock": netcode.lock}
    subject = render_to_string("netcodes/email_subject.txt", context).strip()
    body = render_to_string("netcodes/email_body.txt", context)
    send_mail(subject, body, None, [to])
    sent = [a for a in issue.sent_to.split(", ") if a]
    if to not in sent:
        sent.append(to)
    issue.sent_to = ", ".join(sent)[:254]
    issue.sent_at = timezone.now()
    issue.save(update_fields=["sent_to", "sent_at"])
